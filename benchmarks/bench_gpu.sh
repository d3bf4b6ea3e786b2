#!/usr/bin/env bash
# One command for a GPU machine: install rnr with JAX's CUDA wheels and PyTorch,
# print the GPU, then rnr against torch.nn.LSTM (cuDNN) at hidden 256 and 1024
# and the echo workload's training seconds.
#   bash benchmarks/bench_gpu.sh            # 30 s per program
#   SECONDS_EACH=10 bash benchmarks/bench_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -e ".[cuda,compare]"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 benchmarks/bench_gpu.py --seconds "${SECONDS_EACH:-30}"
