"""Where a minGRU layer's gradient spends its time, part by part, at the text
model's shapes (window 256, 16 rows, 256 units, input width 64; one device).

Parts, each jitted and timed in this process (median of --rounds, compile apart):

    forward           the layer (``cells.mingru.layer``, the CPU's sequential scan)
    gradient          its gradient with respect to the weights and the inputs
    scan gradient     ``linear_scan.scan`` alone, from given a_t and b_t
    product gradient  the input product x W_x alone (``cells.common.dot``)
    gates gradient    from the gate inputs k = x W_x + b_x on: the gates, g and the scan
    gates, a held     the same with a_t = 1 - z_t kept out of the gradient

The upstream gradient is an argument of every part, as in training.

    JAX_NUM_CPU_DEVICES=1 taskset -c 0 python benchmarks/profile_mingru_layer.py

One call at a time maps its large buffers afresh, so these times include the
page faults of first touching them, which training (a chunk of windows per
call) does not pay; glibc keeps freed memory, and the faults go, with
``MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296
MALLOC_TOP_PAD_=536870912`` in front (docs/parallel.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--window", type=int, default=256)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--inputs", type=int, default=64)
    p.add_argument("--rounds", type=int, default=15)
    args = p.parse_args(argv)
    os.environ.setdefault("JAX_NUM_CPU_DEVICES", "1")
    import jax
    import jax.numpy as jnp

    from rnr.engine.cells import linear_scan, mingru
    from rnr.engine.cells.common import dot

    T, B, H, E = args.window, args.batch, args.hidden, args.inputs
    key = jax.random.PRNGKey(0)
    params = mingru.init(key, E, H)
    xs = jax.random.normal(key, (T, B, E))
    up = jax.random.normal(jax.random.PRNGKey(1), (T, B, H))  # a fixed upstream gradient
    h0 = jnp.zeros((B, H))
    a = jax.nn.sigmoid(jax.random.normal(key, (T, B, H)))
    b = jax.random.normal(jax.random.PRNGKey(2), (T, B, H))
    k = mingru.inputs(params, xs)

    def gates(k, up, hold_a=False):
        k_z, k_n = jnp.split(k, 2, axis=-1)
        a_t = jax.nn.sigmoid(-k_z)
        a_t = jax.lax.stop_gradient(a_t) if hold_a else a_t
        return jnp.vdot(linear_scan.scan(a_t, jax.nn.sigmoid(k_z) * mingru.g(k_n), h0, None, "sequential")[1], up)

    # the upstream gradient ``up`` is an argument: a constant captured by the jitted function is sunk into
    # XLA's loops and copied at every step, which costs more than the loop itself
    layer = lambda p, x: mingru.layer(p, (h0,), x, method="sequential")[1]  # noqa: E731
    parts = {
        "forward": (jax.jit(layer), (params, xs)),
        "gradient": (jax.jit(jax.grad(lambda p, x, up: jnp.vdot(layer(p, x), up), argnums=(0, 1))), (params, xs, up)),
        "scan gradient": (jax.jit(jax.grad(lambda a, b, up: jnp.vdot(linear_scan.scan(a, b, h0, None,
                                                                                      "sequential")[1], up),
                                           argnums=(0, 1))), (a, b, up)),
        "product gradient": (jax.jit(jax.grad(lambda w, x, up: jnp.vdot(dot(x, w), jnp.concatenate([up, up], -1)),
                                              argnums=(0, 1))), (params["Wx"], xs, up)),
        "gates gradient": (jax.jit(jax.grad(gates)), (k, up)),
        "gates, a held": (jax.jit(jax.grad(lambda k, up: gates(k, up, hold_a=True))), (k, up)),
    }
    times = {}
    for name, (fn, inputs) in parts.items():
        jax.block_until_ready(fn(*inputs))
        runs = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            jax.block_until_ready(fn(*inputs))
            runs.append(time.perf_counter() - t)
        times[name] = statistics.median(runs)
    print(f"jax {jax.__version__}, load {os.getloadavg()[0]:.2f}; window {T}, batch {B}, hidden {H}, inputs {E}")
    print("| part | ms |")
    print("|---|---|")
    for name, s in times.items():
        print(f"| {name} | {s * 1e3:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
