"""The tutorial's full echo workload in rnr and in PyTorch, side by side.

Workload (the tutorial's): 100 epochs x 666 windows of 15 steps, 5 batch rows,
a 4-unit tanh RNN, 2 classes, Adagrad 0.3; every program gets the same
initial weights and the same data. Measured:
  rnr            compiled chunk of windows per epoch (compile time apart)
  torch eager    the tutorial's explicit per-step cell, eager PyTorch
  torch nn.RNN   torch.nn.RNN + nn.Linear, one call per window
Prints each time, the ratios, and each program's final-epoch mean loss.

    python benchmarks/bench_eco.py                 # full workload, 1 thread each
    python benchmarks/bench_eco.py --epochs 10     # quicker
    python benchmarks/bench_eco.py --threads 2     # both libraries on 2 threads
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1, help="threads for XLA and for PyTorch (1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip", default="", help="comma list of peers to skip: eager,nn")
    ap.add_argument("--json", default=None, help="also write the results to this file")
    args = ap.parse_args()
    if args.threads == 1:
        os.environ["RNR_XLA_THREADS"] = "single"

    import jax
    import numpy as np
    import torch

    from rnr.echo import experiment as eco
    from rnr.engine import model
    from peers import torch_echo

    torch.set_num_threads(args.threads)
    cfg = eco.EcoConfig(epochs=args.epochs, seed=args.seed)
    params = model.init(jax.random.PRNGKey(cfg.seed), cfg.model())
    rng = np.random.default_rng(cfg.seed)
    data = [eco.epoch_data(cfg, rng) for _ in range(cfg.epochs)]
    np_params = jax.tree_util.tree_map(np.asarray, params)

    res = {}
    r = eco.train(cfg, params=params, data=lambda e: data[e])
    res["rnr"] = {"train_s": r.summary["train_seconds"], "compile_s": r.summary["compile_seconds"],
                  "final_loss": r.summary["final_loss"]}
    print(f"rnr          compile {res['rnr']['compile_s']:7.2f} s   train {res['rnr']['train_s']:7.2f} s"
          f"   final loss {res['rnr']['final_loss']:.6f}", flush=True)
    skip = set(filter(None, args.skip.split(",")))
    peers = [("torch eager", "eager", torch_echo.train_eager), ("torch nn.RNN", "nn", torch_echo.train_nn_rnn)]
    for label, key, fn in peers:
        if key in skip:
            continue
        t = time.perf_counter()
        out = fn(np_params, data, lr=cfg.lr)
        seconds = time.perf_counter() - t
        losses = out[0] if isinstance(out, tuple) else out
        res[label] = {"train_s": seconds, "final_loss": float(np.mean(losses[-1]))}
        print(f"{label:12s}                   train {seconds:7.2f} s   final loss {res[label]['final_loss']:.6f}"
              f"   ratio {seconds / res['rnr']['train_s']:6.1f}x", flush=True)
    torch_times = [v["train_s"] for k, v in res.items() if k != "rnr"]
    if torch_times:
        print(f"rnr is {min(torch_times) / res['rnr']['train_s']:.1f}x faster than the fastest PyTorch variant "
              f"(training time, {args.epochs} epochs, {args.threads} thread(s), {platform.machine()}, "
              f"{os.cpu_count()} cores, jax {jax.__version__}, torch {torch.__version__})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"epochs": args.epochs, "threads": args.threads, "results": res}, f, indent=2)


if __name__ == "__main__":
    main()
