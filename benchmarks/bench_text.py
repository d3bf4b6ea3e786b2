"""Character-level LSTM on Tiny Shakespeare: rnr against torch.nn.LSTM.

Same model (embedding 64 -> one LSTM layer of 256 -> linear), same data
(the last 10% held out; 32 batch rows, windows of 64 characters, state
carried across windows and reset each epoch), Adam 2e-3, gradient clipping
at norm 5, the same wall-clock budget and thread count, in one process.
Prints tokens/s (training only; rnr's compile time apart) and the
validation loss each reaches, nats/char and bits/char, and the ratios.

    python benchmarks/bench_text.py --budget 300             # the issue's setting
    python benchmarks/bench_text.py --budget 60 --threads 1  # quick, on a busy machine

``--threads 1`` also turns XLA's multi-threading off (RNR_XLA_THREADS=single);
with more threads XLA uses its own pool (all cores) and torch gets
``torch.set_num_threads(N)``.
"""

from __future__ import annotations

import argparse
import math
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
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for both (all cores)")
    p.add_argument("--data", default=str(DATA), help="text file (Tiny Shakespeare)")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--embed", type=int, default=64)
    p.add_argument("--only", choices=("both", "rnr", "torch"), default="both")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def run_rnr(prep, args):
    from rnr.text import train as tr

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


def main():
    args = parse()
    if not Path(args.data).exists():
        print(f"skipped: {args.data} not found (the corpora live in ../shared/data)")
        return 0
    if args.threads == 1:
        os.environ.setdefault("RNR_XLA_THREADS", "single")
    sys.path.insert(0, str(ROOT / "src"))
    import torch

    torch.set_num_threads(args.threads)
    from rnr.text import data
    from rnr.text import train as tr
    from rnr.text.config import TextConfig

    cfg = TextConfig(cell="lstm", hidden=args.hidden, embed=args.embed, batch=32, window=64, lr=2e-3, clip=5.0,
                     time_budget=args.budget / 60.0, eval_every=10**9, sample_length=0, chunk=50, seed=args.seed)
    prep = tr.prepare(cfg, data.read_text(args.data), args.data)
    print(f"{Path(args.data).name}: {len(prep.text):,} chars, vocab {len(prep.vocab)}, "
          f"{prep.X.shape[0]} windows of 64 x 32 per epoch; budget {args.budget:.0f} s each, "
          f"threads {args.threads}, XLA_FLAGS={os.environ.get('XLA_FLAGS', '')!r}")
    res = {}
    for name, fn in (("rnr", run_rnr), ("torch", run_torch)):
        if args.only in ("both", name):
            r = res[name] = fn(prep, args)
            print(f"{name:6s} {r['windows']:6d} windows  {r['tokens_per_s']:9,.0f} tokens/s  "
                  f"val {r['val']:.4f} nats/char ({r['val'] / math.log(2):.4f} bits/char)  "
                  f"compile {r['compile']:.1f} s, loop {r['seconds']:.1f} s", flush=True)
    if len(res) == 2:
        print(f"ratio rnr/torch: tokens/s {res['rnr']['tokens_per_s'] / res['torch']['tokens_per_s']:.2f}x, "
              f"validation loss {res['rnr']['val'] - res['torch']['val']:+.4f} nats/char")
    return 0


if __name__ == "__main__":
    sys.exit(main())
