"""Layouts for K networks trained side by side (a sweep's seeds, an ensemble's
members), timed on one LSTM layer: forward and gradient over a window, in one process.

    batched    jax.vmap over the member axis, data member-major (K, T, B, 4H):
               at every step a batch of K small products (B, H) x (H, 4H), XLA's
               dot_general with a batch axis (what rnr's sweeps compile, and its
               ensembles on accelerators)
    timemajor  the same vmap, but the data arrive time-major (T, K, B, 4H), the
               layout the vmapped scan iterates over, so XLA does not transpose
               the whole window into a fresh buffer on every call
    unrolled   the same K products written one by one in the step (K dots XLA
               may schedule side by side)
    blockdiag  one product (B, K H) x (K H, 4 K H) with the members' weights on
               the diagonal blocks: one larger product, K times the arithmetic
    grouped g  lax.map over groups of g members, each group vmapped and running
               its own forward and backward (value_and_grad inside the map): the
               groups run one after another, so each backward pass reads the
               saved states of g members only, not all K; g 1 means the members
               run one after another

Why vmap costs more than K times one network here: the products themselves
scale with K (the batched dot_general is no faster or slower than K separate
2-D dots). The extra time goes to memory: under vmap the scan wants the window
time-major, so XLA copies the member-major inputs (8 MB at K 16) on every call;
autodiff keeps a dozen (T, K, B, H) stacks of saved states for the backward loop
(24 MB at K 16, 1.5 MB for one network), filled after a zeroing copy; and glibc
hands such large buffers back to the kernel between calls, so each call pays
thousands of page faults. ``faults/call`` in the table counts those.

Each member has its own batch (its own data order), so the block-diagonal input
is the members' rows side by side. All layouts compute the same gradient (checked
before timing). Shapes default to the adding workload of bench_sweep.py (LSTM of
32 units, batch 32, T 30); one network alone is timed beside them. The machine's
load average is printed with the timings; on a shared machine compare the rows of
one run, not runs.

    python benchmarks/bench_member_layout.py                      # K 16, H 32
    python benchmarks/bench_member_layout.py --members 5 --hidden 64 --batch 16 --steps 150
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--members", type=int, default=16)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=30, help="time steps of the window (30)")
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--groups", default="1,2", help="group sizes of the grouped layout (1,2)")
    return p.parse_args(argv)


def lstm_step(gates_x, U, carry):
    """One step from hoisted input gates (B, 4H) and recurrent weights U (H, 4H)."""
    h, c = carry
    z = gates_x + h @ U
    i, f, g, o = jnp.split(z, 4, axis=-1)
    c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
    h = jax.nn.sigmoid(o) * jnp.tanh(c)
    return h, c


def one_network(U, gx):
    """Sum of squares of the top states; gx (T, B, 4H), U (H, 4H)."""
    B, H = gx.shape[1], U.shape[0]

    def step(carry, g):
        carry = lstm_step(g, U, carry)
        return carry, carry[0]

    _, hs = jax.lax.scan(step, (jnp.zeros((B, H)), jnp.zeros((B, H))), gx)
    return jnp.sum(hs ** 2)


def batched(Us, gxs):
    return jnp.sum(jax.vmap(one_network)(Us, gxs))


def unrolled(Us, gxs):
    K, H = Us.shape[0], Us.shape[1]
    B = gxs.shape[2]

    def step(carry, g):
        new = [lstm_step(g[k], Us[k], (carry[0][k], carry[1][k])) for k in range(K)]
        h = jnp.stack([n[0] for n in new])
        c = jnp.stack([n[1] for n in new])
        return (h, c), h

    zeros = jnp.zeros((K, B, H))
    _, hs = jax.lax.scan(step, (zeros, zeros), jnp.swapaxes(gxs, 0, 1))
    return jnp.sum(hs ** 2)


def timemajor(Us, gxts):
    """vmap with the window given time-major, gxts (T, K, B, 4H)."""
    return jnp.sum(jax.vmap(one_network, in_axes=(0, 1))(Us, gxts))


def grouped(size):
    """The summed loss of the members, in groups of ``size`` that each compute
    their loss and gradient (a custom VJP, so jax.grad of it gives the same
    gradient as the other layouts: the one saved in the forward pass)."""
    value_grad = jax.value_and_grad(one_network)

    @jax.custom_vjp
    def loss(Us, gxs):
        return both(Us, gxs)[0]

    def both(Us, gxs):
        losses, grads = jax.lax.map(lambda a: value_grad(*a), (Us, gxs), batch_size=size)
        return jnp.sum(losses), grads

    loss.defvjp(both, lambda grads, ct: (ct * grads, None))
    loss.__name__ = f"grouped {size}"
    return loss


def gate_major(a, K, H):
    """(..., K, 4H) member-major gates -> (..., 4, K H) gate-major, so a split
    into 4 gives each gate for every member side by side."""
    return jnp.swapaxes(a.reshape(*a.shape[:-2], K, 4, H), -3, -2).reshape(*a.shape[:-2], 4 * K * H)


def blockdiag(Us, gxs):
    K, H = Us.shape[0], Us.shape[1]
    B = gxs.shape[2]
    # (K H, 4 K H): member k's rows feed member k's columns of every gate
    blocks = jnp.einsum("kl,khg->khlg", jnp.eye(K), Us)  # (K, H, K, 4H)
    W = gate_major(blocks.reshape(K * H, K, 4 * H), K, H)
    gx = gate_major(jnp.moveaxis(gxs, 0, 2), K, H)  # (T, B, 4 K H)

    def step(carry, g):
        carry = lstm_step(g, W, carry)
        return carry, carry[0]

    zeros = jnp.zeros((B, K * H))
    _, hs = jax.lax.scan(step, (zeros, zeros), gx)
    return jnp.sum(hs ** 2)


def timed(fn, *args, repeats):
    """Best of 3 x ``repeats`` calls of the jitted gradient, in seconds, and the
    minor page faults per call."""
    g = jax.jit(jax.grad(fn))
    jax.block_until_ready(g(*args))
    best = float("inf")
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(repeats):
            jax.block_until_ready(g(*args))
        best = min(best, (time.perf_counter() - t) / repeats)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / (3 * repeats)
    return best, faults


def main(argv=None) -> int:
    a = parse(argv)
    K, H, B, T = a.members, a.hidden, a.batch, a.steps
    rng = np.random.default_rng(0)
    Us = jnp.asarray(rng.normal(0, 0.3, (K, H, 4 * H)), jnp.float32)
    gxs = jnp.asarray(rng.normal(0, 1, (K, T, B, 4 * H)), jnp.float32)
    gxts = jnp.asarray(np.ascontiguousarray(np.swapaxes(np.asarray(gxs), 0, 1)))  # (T, K, B, 4H)
    layouts = [(batched, gxs), (timemajor, gxts), (unrolled, gxs), (blockdiag, gxs)]
    layouts += [(grouped(int(g)), gxs) for g in a.groups.split(",")]
    ref = jax.jit(jax.grad(batched))(Us, gxs)
    for f, x in layouts[1:]:
        got = jax.jit(jax.grad(f))(Us, x)
        assert np.allclose(got, ref, rtol=1e-4, atol=1e-4), f.__name__
    print(f"load {os.getloadavg()[0]:.2f}; {len(jax.devices())} device(s); K {K}, H {H}, B {B}, T {T}; "
          f"forward and gradient, best of 3 x {a.repeats}")
    one, faults = timed(one_network, Us[0], gxs[0], repeats=a.repeats)
    print(f"| layout | ms | / one network | faults/call |\n|---|---|---|---|\n"
          f"| one network | {one * 1e3:.2f} | 1.00x | {faults:.0f} |")
    for f, x in layouts:
        s, faults = timed(f, Us, x, repeats=a.repeats)
        print(f"| {f.__name__} ({K} members) | {s * 1e3:.2f} | {s / one:.2f}x | {faults:.0f} |", flush=True)
    print(f"load {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
