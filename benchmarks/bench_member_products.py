"""How fast XLA's CPU backend runs the products of K small networks, one
against K at once: the ceiling on what many seeds in one program can save.

Each step of an LSTM of H units with n inputs and batch B computes
(B, n + H) x (n + H, 4H). This script times a chain of such products (each
fed the tanh of the last, so none can be skipped), for one network and for K
networks batched (``einsum("kbi,kio->kbo")``, what ``jax.vmap`` of the cell
compiles to), and prints the time per step and the GFLOP/s reached.

    JAX_NUM_CPU_DEVICES=1 taskset -c 0 python benchmarks/bench_member_products.py
    JAX_NUM_CPU_DEVICES=1 taskset -c 0 python benchmarks/bench_member_products.py --members 5 --batch 16 --inputs 65 --hidden 64

K networks can only cost less than K times one if the batched product runs
at a higher rate than one network's; the defaults are the adding sweep of
``bench_sweep.py`` (LSTM of 32 units, 2 inputs, batch 32).
"""

from __future__ import annotations

import argparse
import os
import time


def chain_seconds(K: int, B: int, I: int, O: int, steps: int, repeats: int) -> float:
    import jax
    import jax.numpy as jnp

    x = jnp.full((K, B, I), 0.01, jnp.float32)
    w = jnp.full((K, I, O), 0.01, jnp.float32)

    @jax.jit
    def chain(x, w):
        def body(_, h):
            return jnp.tanh(jnp.einsum("kbi,kio->kbo", h, w)[..., :I])
        return jax.lax.fori_loop(0, steps, body, x)

    chain(x, w).block_until_ready()  # compile apart
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        chain(x, w).block_until_ready()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--members", type=int, default=16)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--inputs", type=int, default=34, help="inputs + hidden units, the product's inner size (34)")
    p.add_argument("--hidden", type=int, default=32, help="hidden units: the product gives 4 x hidden (32)")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args(argv)
    B, I, O, n = args.batch, args.inputs, 4 * args.hidden, args.steps
    print(f"load {os.getloadavg()[0]:.2f}; products ({B}, {I}) x ({I}, {O}), {n} in a chain, best of {args.repeats}")
    print("| networks | us per step | GFLOP/s | / one network |")
    print("|---|---|---|---|")
    one = None
    for K in (1, args.members):
        s = chain_seconds(K, B, I, O, n, args.repeats)
        one = one or s
        print(f"| {K} | {s * 1e6 / n:.1f} | {2 * K * B * I * O * n / s / 1e9:.1f} | {s / one:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
