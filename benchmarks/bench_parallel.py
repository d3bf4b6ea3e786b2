"""minGRU, minLSTM and LRU: a window trained in parallel against the same cell
step by step, at T = 256, 1024, 4096.

One training step of one layer: the forward pass over the window and the
gradient of a loss on every output with respect to the parameters (what
``rnr.engine.model`` does for a layer in training). Forms of the same cell, all in
this one process (the same XLA thread pool, timed one after another):

    step         scan.run(cell.step): T dependent steps, each computing the
                 gates and the blend (the "sequential scan" of the issue;
                 what the model runs for traces)
    associative  cell.layer, method "associative": gates for every step at
                 once, then jax.lax.associative_scan over (a_t, b_t) pairs
    log          cell.layer, method "log": the paper's log-space scan
                 (mingru, minlstm)
    sequential   cell.layer, method "sequential": gates for every step at
                 once, then a lax.scan of one multiply-add per step
    chunked      cell.layer, method "chunked": blocks of 8 steps computed
                 for every block at once, a loop of T/8 steps between blocks
    lstm         the LSTM's own whole-window layer (hand-written backward),
                 same shapes: the classic cell for reference

Prints milliseconds per training step (median of repeats, after compiling;
the compile time apart) and the speed-up of each form over ``step``.

    python3 benchmarks/bench_parallel.py                      # all cells, T = 256 1024 4096
    python3 benchmarks/bench_parallel.py --cells mingru --lengths 4096
    python3 benchmarks/bench_parallel.py --batch 32 --hidden 128 --n-in 2
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax
import jax.numpy as jnp

from rnr.engine import cells, scan


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cells", default="mingru,minlstm,lru")
    p.add_argument("--lengths", default="256,1024,4096")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--n-in", type=int, default=2, help="input width (2: the adding problem's)")
    p.add_argument("--seconds", type=float, default=2.0, help="time each form at least this long (2)")
    p.add_argument("--no-lstm", action="store_true", help="skip the LSTM reference")
    return p.parse_args()


def forms(name):
    cell = cells.get(name)
    out = {"step": lambda p, c, xs: scan.run(cell, p, c, xs)[1]}
    methods = (("associative", "log", "sequential", "chunked") if name in ("mingru", "minlstm")
               else ("associative", "sequential", "chunked"))
    for m in methods:
        out[m] = lambda p, c, xs, m=m: cell.layer(p, c, xs, method=m)[1]
    return cell, out


def measure(fn, args, seconds):
    """(compile seconds, median seconds per call)."""
    t0 = time.perf_counter()
    compiled = jax.jit(fn).lower(*args).compile()
    compile_s = time.perf_counter() - t0
    jax.block_until_ready(compiled(*args))  # first run: allocations
    times, start = [], time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < seconds and len(times) < 50):
        t = time.perf_counter()
        jax.block_until_ready(compiled(*args))
        times.append(time.perf_counter() - t)
    return compile_s, statistics.median(times)


def train_step(forward):
    """The gradient of mean(h^2) over the window, with respect to the parameters."""
    return jax.grad(lambda p, c, xs: jnp.mean(forward(p, c, xs) ** 2))


def main():
    args = parse()
    B, H, N = args.batch, args.hidden, args.n_in
    print(f"jax {jax.__version__} on {jax.devices()[0].platform} ({jax.device_count()} device(s)); "
          f"batch {B}, hidden {H}, input width {N}; one layer, training step = forward + gradient")
    print(f"{'cell':8} {'T':>5} {'form':12} {'ms/step':>10} {'compile s':>10} {'vs step':>8}")
    for T in (int(t) for t in args.lengths.split(",")):
        xs = jax.random.normal(jax.random.PRNGKey(1), (T, B, N), jnp.float32)
        names = args.cells.split(",") + ([] if args.no_lstm else ["lstm"])
        for name in names:
            if name == "lstm":
                cell = cells.get("lstm")
                fs = {"layer": lambda p, c, xs: cell.layer(p, c, xs)[1]}
            else:
                cell, fs = forms(name)
            p = cell.init(jax.random.PRNGKey(0), N, H, forget_bias=1.0)
            c = cell.zeros((B,), H)
            base = None
            for form, fwd in fs.items():
                compile_s, run_s = measure(train_step(fwd), (p, c, xs), args.seconds)
                base = run_s if form == "step" else base
                ratio = f"{base / run_s:7.1f}x" if base else ""
                print(f"{name:8} {T:5d} {form:12} {run_s * 1e3:10.2f} {compile_s:10.2f} {ratio:>8}", flush=True)


if __name__ == "__main__":
    main()
