"""rnr and torch.nn.LSTM on whatever accelerator is present, side by side.

For hidden 256 and 1024 (embedding 64, batch 32, window 64, Adam 2e-3, clip
5, Tiny Shakespeare): tokens/s of rnr's compiled chunk (JAX's default
backend: the GPU when jax[cuda] is installed) through cuDNN ("rnr") and
through its own scan ("rnr-scan", RNR_CUDNN=0), and of torch.nn.LSTM (cuDNN
on CUDA), each in its own process; then the echo workload's training
seconds (``rnr eco``). Prints the device names. Run through bench_gpu.sh.

    python benchmarks/bench_gpu.py --seconds 30
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "tinyshakespeare.txt"


def windows(V, B=32, T=64, K=50, seed=0):
    import numpy as np

    text = DATA.read_text(encoding="utf-8") if DATA.exists() else "".join(chr(97 + i % 26) for i in range(10**6))
    chars = sorted(set(text))
    ids = np.array([chars.index(c) for c in text[: B * T * K + 1]], np.int32)
    x = ids[:-1].reshape(B, K, T).transpose(1, 2, 0)
    y = ids[1:].reshape(B, K, T).transpose(1, 2, 0)
    return len(chars), x, y


def run_rnr(hidden, seconds):
    import jax
    import numpy as np

    from rnr.engine import model, optim, tbptt

    V, X, Y = windows(0)
    mcfg = model.ModelConfig(cell="lstm", n_in=V, hidden=hidden, n_out=V, input="embed", embed_dim=64)
    opt = optim.make("adam", 2e-3, 5.0)
    params = model.init(jax.random.PRNGKey(0), mcfg)
    state = (params, opt.init(params), model.zeros(mcfg, 32))
    t = time.perf_counter()
    chunk = tbptt.make_train_chunk(mcfg, opt).lower(*state, X, Y, 0, jax.random.PRNGKey(1)).compile()
    compile_s = time.perf_counter() - t
    n, t = 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        out = chunk(*state, X, Y, 0, jax.random.PRNGKey(1))
        state = out[:3]
        np.asarray(out[3])
        n += X.shape[0]
    return {"tokens_per_s": n * 32 * 64 / (time.perf_counter() - t), "compile": compile_s,
            "device": str(jax.devices()[0].device_kind)}


def run_torch(hidden, seconds):
    import torch

    dev = "cuda" if torch.cuda.is_available() else "cpu"
    V, X, Y = windows(0)
    X, Y = torch.from_numpy(X).long().to(dev), torch.from_numpy(Y).long().to(dev)
    emb, rnn, lin = torch.nn.Embedding(V, 64).to(dev), torch.nn.LSTM(64, hidden).to(dev), torch.nn.Linear(hidden, V).to(dev)
    ps = [*emb.parameters(), *rnn.parameters(), *lin.parameters()]
    opt = torch.optim.Adam(ps, lr=2e-3)
    n, state, t = 0, None, time.perf_counter()
    while time.perf_counter() - t < seconds:
        k = n % X.shape[0]
        out, state = rnn(emb(X[k]), state)
        state = tuple(s.detach() for s in state)
        loss = torch.nn.functional.cross_entropy(lin(out).reshape(-1, V), Y[k].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(ps, 5.0)
        opt.step()
        n += 1
    if dev == "cuda":
        torch.cuda.synchronize()
    name = torch.cuda.get_device_name(0) if dev == "cuda" else "cpu"
    return {"tokens_per_s": n * 32 * 64 / (time.perf_counter() - t), "compile": 0.0, "device": name}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--hidden", default="256,1024")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)  # "rnr:256" inside a child process
    args = ap.parse_args()
    if args.one:
        name, hidden = args.one.split(":")
        if name == "rnr-scan":
            import os

            os.environ["RNR_CUDNN"] = "0"
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps((run_torch if name == "torch" else run_rnr)(int(hidden), args.seconds)))
        return 0
    for hidden in args.hidden.split(","):
        res = {}
        for name in ("rnr", "rnr-scan", "torch"):
            p = subprocess.run([sys.executable, __file__, "--one", f"{name}:{hidden}", "--seconds", str(args.seconds)],
                               capture_output=True, text=True)
            if p.returncode:
                print(p.stderr[-1500:])
                return 1
            res[name] = json.loads(p.stdout.strip().splitlines()[-1])
            print(f"hidden {hidden:>5}  {name:8s} {res[name]['tokens_per_s']:11,.0f} tokens/s  "
                  f"compile {res[name]['compile']:.1f} s  on {res[name]['device']}", flush=True)
        print(f"hidden {hidden:>5}  ratio rnr/torch {res['rnr']['tokens_per_s'] / res['torch']['tokens_per_s']:.2f}x")
    p = subprocess.run([sys.executable, "-m", "rnr", "eco", "--plot", "none", "--quiet", "--no-cache",
                        "--out", str(Path("/tmp") / f"bench-gpu-eco-{int(time.time())}")],
                       capture_output=True, text=True, env={**__import__("os").environ,
                                                             "PYTHONPATH": str(ROOT / "src")})
    print("rnr eco (the tutorial's 100 epochs):", p.stdout.strip().splitlines()[0] if p.stdout else p.stderr[-500:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
