"""Character-level LSTM on Tiny Shakespeare: rnr against torch.nn.LSTM.

Same model (embedding 64 -> one LSTM layer of 256 -> linear), same data
(the last 10% held out; 32 batch rows, windows of 64 characters, state
carried across windows and reset each epoch), Adam 2e-3, gradient clipping
at norm 5, the same wall-clock budget and the same cores. Each program runs
in its own process (a JAX thread pool left in a process slows PyTorch),
pinned to the first N cores (``--cores 1,2``): rnr with one JAX device per
core and the batch split over them (``--devices N``), PyTorch with
``torch.set_num_threads(N)`` and its fastest layout for this math
(time-major ``nn.LSTM``, oneDNN). A third process measures the cores'
practical float32 peak: the faster of a large matrix product (2048 x 2048)
in PyTorch and in XLA.

Prints tokens/s (training only; rnr's compile time apart), the validation
loss each reaches, the ratio, and each program's fraction of the peak. A
window costs 3 x (forward FLOPs): input, recurrent and readout products,
forward and backward (about 4.2 GFLOP for the default model).

    python benchmarks/bench_text.py --budget 300 --cores 1,2   # the issue's setting
    python benchmarks/bench_text.py --budget 60                # quicker
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "tinyshakespeare.txt"


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--budget", type=float, default=300.0, help="seconds of training for each (300)")
    p.add_argument("--cores", default="1,2", help="core counts to measure, e.g. 1,2 (1,2)")
    p.add_argument("--threads", type=int, default=0, help=argparse.SUPPRESS)  # one program, one core count
    p.add_argument("--data", default=str(DATA), help="text file (Tiny Shakespeare)")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--embed", type=int, default=64)
    p.add_argument("--only", choices=("both", "rnr", "torch", "peak"), default="both")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def window_flops(V: int, E: int, H: int, T: int = 64, B: int = 32) -> float:
    """FLOPs of one training window: 3 x the forward products (input, recurrent, readout)."""
    forward = 2 * T * B * (E * 4 * H + H * 4 * H + H * V)
    return 3.0 * forward


def run_peak(args):
    """The faster of PyTorch's (MKL) and XLA's (Eigen/oneDNN) 2048 x 2048 float32
    product on these cores: on this AMD EPYC, MKL takes its AVX2 path
    (about 100 GFLOP/s a core) while XLA uses AVX-512 (about 230)."""
    import torch

    if args.threads == 1:
        os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    import jax
    import jax.numpy as jnp

    def rate(mul, a, b, sync):
        for _ in range(3):
            sync(mul(a, b))
        n, t = 20, time.perf_counter()
        for _ in range(n):
            sync(mul(a, b))
        return n * 2 * 2048**3 / (time.perf_counter() - t) / 1e9

    torch_rate = rate(lambda a, b: a @ b, torch.randn(2048, 2048), torch.randn(2048, 2048), lambda r: r)
    f = jax.jit(lambda a, b: a @ b)
    xla_rate = rate(f, jnp.ones((2048, 2048)), jnp.ones((2048, 2048)), lambda r: r.block_until_ready())
    return {"gflops": max(torch_rate, xla_rate), "torch": torch_rate, "xla": xla_rate}


def run_rnr(prep, args):
    import dataclasses

    from rnr.text import train as tr

    prep.cfg = dataclasses.replace(prep.cfg, devices=args.threads)
    with tempfile.TemporaryDirectory() as d:
        s = tr.train(prep, Path(d) / "run")
    return {"tokens_per_s": s["tokens_per_second"], "val": s["val_loss"], "windows": s["steps"],
            "compile": s["compile_seconds"], "seconds": s["train_seconds"]}


def run_torch(prep, args):
    import numpy as np
    import torch

    torch.manual_seed(args.seed)
    V, cfg = len(prep.vocab), prep.cfg
    emb = torch.nn.Embedding(V, cfg.embed)
    rnn = torch.nn.LSTM(cfg.embed, cfg.hidden)
    lin = torch.nn.Linear(cfg.hidden, V)
    params = [*emb.parameters(), *rnn.parameters(), *lin.parameters()]
    opt = torch.optim.Adam(params, lr=cfg.lr)
    X, Y = torch.from_numpy(prep.X.astype(np.int64)), torch.from_numpy(prep.Y.astype(np.int64))
    K = X.shape[0]
    windows, train_s, state = 0, 0.0, None
    start = time.perf_counter()
    while time.perf_counter() - start < args.budget:
        k = windows % K
        if k == 0:
            state = None  # a new epoch starts from a zero state, as in rnr
        t = time.perf_counter()
        out, state = rnn(emb(X[k]), state)
        state = tuple(s.detach() for s in state)  # truncation at the window edge
        loss = torch.nn.functional.cross_entropy(lin(out).reshape(-1, V), Y[k].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, cfg.clip)
        opt.step()
        train_s += time.perf_counter() - t
        windows += 1
    Xv, Yv, Mv = (torch.from_numpy(a) for a in prep.val)
    total, count, state = 0.0, 0.0, None
    with torch.no_grad():
        for k in range(Xv.shape[0]):
            out, state = rnn(emb(Xv[k].long()), state)
            nll = torch.nn.functional.cross_entropy(lin(out).reshape(-1, V), Yv[k].long().reshape(-1),
                                                    reduction="none")
            total += float((nll * Mv[k].reshape(-1)).sum())
            count += float(Mv[k].sum())
    tokens = windows * cfg.batch * cfg.window
    return {"tokens_per_s": tokens / train_s, "val": total / count, "windows": windows, "compile": 0.0,
            "seconds": time.perf_counter() - start}


def one(args):
    """One program on ``args.threads`` cores, in this process; prints a JSON line."""
    import json

    os.sched_setaffinity(0, set(range(args.threads)))
    if args.only == "peak":
        import torch

        torch.set_num_threads(args.threads)
        print(json.dumps(run_peak(args)))
        return 0
    if args.only == "rnr":
        os.environ["JAX_NUM_CPU_DEVICES"] = str(args.threads)
        if args.threads == 1:
            os.environ.setdefault("RNR_XLA_THREADS", "single")
    sys.path.insert(0, str(ROOT / "src"))
    if args.only == "torch":
        import torch

        torch.set_num_threads(args.threads)
    from rnr.text import data
    from rnr.text import train as tr
    from rnr.text.config import TextConfig

    cfg = TextConfig(cell="lstm", hidden=args.hidden, embed=args.embed, batch=32, window=64, lr=2e-3, clip=5.0,
                     time_budget=args.budget / 60.0, eval_every=10**9, sample_length=0, chunk=50, seed=args.seed)
    prep = tr.prepare(cfg, data.read_text(args.data), args.data)
    r = (run_rnr if args.only == "rnr" else run_torch)(prep, args)
    r["flops_per_window"] = window_flops(len(prep.vocab), args.embed, args.hidden)
    print(json.dumps(r))
    return 0


def main():
    import json
    import subprocess

    args = parse()
    if not Path(args.data).exists():
        print(f"skipped: {args.data} not found (the corpora live in ../shared/data)")
        return 0
    if args.threads:
        return one(args)
    print(f"{Path(args.data).name}; LSTM {args.hidden}, embedding {args.embed}, batch 32, window 64; "
          f"budget {args.budget:.0f} s each; every program in its own process; load {os.getloadavg()[0]:.2f}")
    for cores in (int(c) for c in args.cores.split(",")):
        res = {}
        for name in ("peak", "rnr", "torch"):
            if args.only not in ("both", name) and name != "peak":
                continue
            cmd = [sys.executable, __file__, "--only", name, "--threads", str(cores), "--budget", str(args.budget),
                   "--data", args.data, "--hidden", str(args.hidden), "--embed", str(args.embed),
                   "--seed", str(args.seed)]
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode:
                print(out.stderr[-2000:])
                return 1
            res[name] = json.loads(out.stdout.strip().splitlines()[-1])
        peak = res["peak"]["gflops"]
        print(f"{cores} core(s): matrix-product peak {peak:.0f} GFLOP/s "
              f"(XLA {res['peak']['xla']:.0f}, PyTorch {res['peak']['torch']:.0f})")
        for name in ("rnr", "torch"):
            if name in res:
                r = res[name]
                gflops = r["tokens_per_s"] / (32 * 64) * r["flops_per_window"] / 1e9
                print(f"  {name:6s} {r['tokens_per_s']:9,.0f} tokens/s  {gflops:6.1f} GFLOP/s "
                      f"({gflops / peak:.0%} of peak)  val {r['val']:.4f} nats/char after {r['windows']} windows  "
                      f"compile {r['compile']:.1f} s", flush=True)
        if "rnr" in res and "torch" in res:
            print(f"  ratio rnr/torch: tokens/s {res['rnr']['tokens_per_s'] / res['torch']['tokens_per_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
