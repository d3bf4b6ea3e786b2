#!/usr/bin/env bash
# One command for a GPU machine: rnr against torch.nn.LSTM (cuDNN) at hidden 256
# and 1024, the echo workload's training seconds, then 16 seeds against one
# (benchmarks/bench_sweep.py, echo and adding, without PyTorch). Uses the JAX
# already there when it sees a GPU (a machine with no network), else installs
# rnr with JAX's CUDA wheels and PyTorch. Needs no data file: the text comes from
# ../shared/data when present, else a synthetic one.
#   bash benchmarks/bench_gpu.sh            # 30 s per program
#   SECONDS_EACH=10 bash benchmarks/bench_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if python3 -c "import jax, sys; sys.exit(jax.default_backend() != 'gpu')" 2>/dev/null; then
    echo "JAX $(python3 -c 'import jax; print(jax.__version__, jax.devices()[0].device_kind)') already here"
else
    python3 -m pip install -q -e ".[cuda,compare]"
fi
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 benchmarks/bench_gpu.py --seconds "${SECONDS_EACH:-30}"
python3 benchmarks/bench_sweep.py --skip torch --seeds 16
