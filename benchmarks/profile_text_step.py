"""Where a text LSTM training step spends its time: the layer alone against
the whole step, built up part by part, at the per-device shapes of
``rnr text train``'s defaults (embedding 64, one LSTM of 256, window 64,
batch 32 split over the devices, Adam 2e-3, clip 5).

Parts, each a jitted function timed in this one process, interleaved round
by round (median of rounds, compile apart):

    layer        the LSTM window layer alone: forward and hand-written
                 backward, with a fixed upstream gradient
    loss+grad    embedding -> layer -> readout -> cross-entropy, and its
                 gradient (``tbptt.window_loss``)
    + update     the same, then clipping and Adam (one window of the chunk,
                 ``tbptt.make_train_chunk`` on one device, batch B)
    chunk K      K windows of that chunk in one call, per window
    2 devices    the chunk as rnr trains it: batch 2B over a 2-device mesh
                 (shard_map, the gradient averaged with pmean), per window

    python3 benchmarks/profile_text_step.py             # B = 16 per device
    python3 benchmarks/profile_text_step.py --batch 32
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=16, help="rows per device (16)")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--embed", type=int, default=64)
    p.add_argument("--window", type=int, default=64)
    p.add_argument("--vocab", type=int, default=65, help="Tiny Shakespeare's 65 characters")
    p.add_argument("--chunk", type=int, default=8, help="windows per chunk call (8)")
    p.add_argument("--rounds", type=int, default=15)
    return p.parse_args()


def main() -> int:
    args = parse()
    os.environ.setdefault("JAX_NUM_CPU_DEVICES", "2")
    import jax
    import jax.numpy as jnp

    from rnr.engine import devices, model, optim, tbptt
    from rnr.engine.cells import lstm_window

    B, T, H, E, V, K = args.batch, args.window, args.hidden, args.embed, args.vocab, args.chunk
    cfg = model.ModelConfig(cell="lstm", n_in=V, hidden=H, n_out=V, input="embed", embed_dim=E)
    params = model.init(jax.random.PRNGKey(0), cfg)
    opt = optim.Spec("adam", 2e-3, 5.0).make()
    key = jax.random.PRNGKey(1)
    X = jax.random.randint(key, (K, T, 2 * B), 0, V)
    Y = jax.random.randint(jax.random.PRNGKey(2), (K, T, 2 * B), 0, V)
    carry1 = model.zeros(cfg, B)

    W, b = params["layers"][0]["W"], params["layers"][0]["b"]
    xs = jax.random.normal(key, (T, B, E))
    g = jax.random.normal(key, (T, B, H))
    h0 = jnp.zeros((B, H))

    def layer(W, b, xs):
        hs, _, _ = lstm_window.lstm_layer(W, b, h0, h0, xs)
        return jnp.vdot(hs, g)

    layer_grad = jax.jit(jax.grad(layer, argnums=(0, 1, 2)))
    loss_grad = jax.jit(jax.value_and_grad(lambda p, x, y: tbptt.window_loss(cfg, p, carry1, x, y)[0]))
    one = tbptt.make_train_chunk(cfg, opt)
    opt_state = opt.init(params)
    mesh = devices.make_mesh(2) if len(jax.devices()) >= 2 else None
    two = tbptt.make_train_chunk(cfg, opt, mesh=mesh) if mesh is not None else None
    carry2 = model.zeros(cfg, 2 * B)
    if mesh is not None:
        X2, Y2 = devices.split(X, mesh, 2), devices.split(Y, mesh, 2)
        carry2 = devices.split(carry2, mesh, 0)

    parts = {
        "layer": (lambda: layer_grad(W, b, xs), 1),
        "loss+grad": (lambda: loss_grad(params, X[0, :, :B], Y[0, :, :B]), 1),
        "+ update": (lambda: one(params, opt_state, carry1, X[:1, :, :B], Y[:1, :, :B]), 1),
        f"chunk {K}": (lambda: one(params, opt_state, carry1, X[:, :, :B], Y[:, :, :B]), K),
    }
    if two is not None:
        parts[f"2 devices, chunk {K}"] = (lambda: two(params, opt_state, carry2, X2, Y2), K)
    compile_s = {}
    for name, (fn, _) in parts.items():
        t = time.perf_counter()
        jax.block_until_ready(fn())
        compile_s[name] = time.perf_counter() - t
    times = {name: [] for name in parts}
    for _ in range(args.rounds):
        for name, (fn, n) in parts.items():
            t = time.perf_counter()
            jax.block_until_ready(fn())
            times[name].append((time.perf_counter() - t) / n)
    load = os.getloadavg()[0]
    print(f"jax {jax.__version__}, {len(jax.devices())} CPU devices, load {load:.2f}; per device: batch {B}, "
          f"window {T}, embedding {E}, LSTM {H}, vocabulary {V}")
    base = statistics.median(times["layer"])
    print(f"{'part':22s} {'ms/window':>9s} {'tokens/s':>9s} {'x layer':>7s} {'first call s':>12s}")
    for name, ts in times.items():
        ms = statistics.median(ts)
        rows = 2 * B if name.startswith("2 devices") else B
        print(f"{name:22s} {ms * 1e3:9.2f} {rows * T / ms:9.0f} {ms / base:7.2f} {compile_s[name]:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
