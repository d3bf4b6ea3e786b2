"""16 seeds of one setting trained together (one compiled program, jax.vmap)
against one seed alone, in the same process; goal: 16 together cost at most
3x one alone on a 2-core CPU.

Workloads:
  echo     the tutorial's streaming echo (tanh RNN of 4 units, 5 rows, window
           15, delay 3, Adagrad 0.3), --epochs epochs of a 10,000-step series
  adding   adding problem, T=--T, LSTM of --hidden units, batch 32, Adam 0.01,
           clip 1, full BPTT, --steps steps
PyTorch peer (adding only): the same LSTM math (torch.nn.LSTM + Linear on the
last step, Adam after clipping, batch 32) for one seed in eager PyTorch;
16 seeds there would run one after another, so their cost is 16 x one.
Compile time is reported apart; training times exclude it.

    python benchmarks/bench_sweep.py
    python benchmarks/bench_sweep.py --threads 1 --skip torch
"""

from __future__ import annotations

import argparse
import os
import time


def bench_echo(R, epochs):
    from rnr.sweep import grid as sweep, programs as sweep_train

    cfg = sweep.SweepConfig.for_task("echo", cells=("rnn",), windows=(15,), delays=(3,), seeds=R, epochs=epochs)
    from rnr.engine import devices

    vm = sweep_train.VmappedEcho(sweep.echo_configs(cfg, cfg.groups()[0]), devices.make_mesh(devices.choose(R)))
    state = vm.start()
    t = time.perf_counter()
    vm.compile(state)
    compile_s = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(epochs):
        state, _ = vm.epoch(state)
    return compile_s, time.perf_counter() - t


def bench_adding(R, T, hidden, steps):
    import jax

    from rnr.sweep import programs as sweep_train

    prog = sweep_train.gap_program("adding", "lstm", T, hidden, 32, 32, "adam", 0.01, 1.0, "torch", 1.0)
    vm = sweep_train.VmappedGap(prog)
    from rnr.engine import devices

    state = vm.start(list(range(R)), devices.make_mesh(devices.choose(R)))  # runs split over the devices
    t = time.perf_counter()
    vm.compile(state, steps)
    compile_s = time.perf_counter() - t
    t = time.perf_counter()
    state, losses = vm.chunk(state, steps)
    jax.block_until_ready(losses)
    return compile_s, time.perf_counter() - t


def bench_torch_adding(T, hidden, steps):
    import torch

    torch.manual_seed(0)
    lstm, head = torch.nn.LSTM(2, hidden), torch.nn.Linear(hidden, 1)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=0.01)
    gen = torch.Generator().manual_seed(0)
    t = time.perf_counter()
    for _ in range(steps):
        values = torch.rand(T, 32, generator=gen)
        a = torch.randint(0, T // 2, (32,), generator=gen)
        b = torch.randint(T // 2, T, (32,), generator=gen)
        markers = torch.zeros(T, 32)
        markers[a, torch.arange(32)] = 1
        markers[b, torch.arange(32)] = 1
        y = (values * markers).sum(0)
        out, _ = lstm(torch.stack([values, markers], -1))
        loss = ((head(out[-1])[:, 0] - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=5, help="echo epochs (5)")
    ap.add_argument("--T", type=int, default=30, help="adding: sequence length (30)")
    ap.add_argument("--hidden", type=int, default=32, help="adding: LSTM units (32)")
    ap.add_argument("--steps", type=int, default=200, help="adding: training steps (200)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for XLA and PyTorch")
    ap.add_argument("--skip", default="", help="comma list to skip: echo,adding,torch")
    args = ap.parse_args()
    if args.threads == 1:
        os.environ["RNR_XLA_THREADS"] = "single"
    skip = set(filter(None, args.skip.split(",")))
    import rnr  # noqa: F401  (applies the XLA settings before JAX starts)

    print(f"threads {args.threads}, {os.cpu_count()} cores visible")
    R = args.seeds
    if "echo" not in skip:
        c1, t1 = bench_echo(1, args.epochs)
        cR, tR = bench_echo(R, args.epochs)
        print(f"echo    1 seed : compile {c1:6.2f} s  train {t1:7.3f} s")
        print(f"echo   {R:2d} seeds: compile {cR:6.2f} s  train {tR:7.3f} s")
        print(f"echo   ratio {R} together / 1 alone: {tR / t1:.2f}x  (goal <= 3x; {R} one after another: {R}x)")
    if "adding" not in skip:
        c1, t1 = bench_adding(1, args.T, args.hidden, args.steps)
        cR, tR = bench_adding(R, args.T, args.hidden, args.steps)
        print(f"adding  1 seed : compile {c1:6.2f} s  train {t1:7.3f} s")
        print(f"adding {R:2d} seeds: compile {cR:6.2f} s  train {tR:7.3f} s")
        print(f"adding ratio {R} together / 1 alone: {tR / t1:.2f}x  (goal <= 3x; {R} one after another: {R}x)")
        if "torch" not in skip:
            import torch

            torch.set_num_threads(args.threads)
            tt = bench_torch_adding(args.T, args.hidden, args.steps)
            print(f"torch   1 seed : train {tt:7.3f} s   (rnr 1 seed / torch: {t1 / tt:.2f}x; "
                  f"rnr {R} together vs torch {R} one after another: {tR / (R * tt):.2f}x)")


if __name__ == "__main__":
    main()
