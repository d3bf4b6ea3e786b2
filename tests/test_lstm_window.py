"""The LSTM's whole-window layer (cells/lstm_window.py): the hand-written
backward against JAX autodiff of the plain cell (cells/lstm.py through
scan.run), an independent derivation; and rnr.engine.model, which runs every plain
LSTM layer through it, against a model stepped with scan.run."""

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine import model, scan, tbptt
from rnr.engine.cells import lstm, lstm_window


def test_layer_values_and_gradients_match_autodiff():
    T, B, n_in, H = 7, 3, 5, 4
    k = jax.random.split(jax.random.PRNGKey(0), 6)
    p = lstm.init(k[0], n_in, H)
    h0, c0 = (jax.random.normal(k[1], (B, H)), jax.random.normal(k[2], (B, H)))
    xs = jax.random.normal(k[3], (T, B, n_in))
    ct = (jax.random.normal(k[4], (T, B, H)), jax.random.normal(k[5], (B, H)), jnp.ones((B, H)))

    def plain(W, b, h0, c0, xs):
        (h, c), hs = scan.run(lstm, {"W": W, "b": b}, (h0, c0), xs)
        return hs, h, c

    args = (p["W"], p["b"], h0, c0, xs)
    out_a, vjp_a = jax.vjp(jax.jit(plain), *args)
    out_b, vjp_b = jax.vjp(jax.jit(lstm_window.lstm_layer), *args)
    for a, b in zip(out_a, out_b):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(vjp_a(ct), vjp_b(ct)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_model_gradient_with_fused_layers_matches_plain():
    cfg = model.ModelConfig(cell="lstm", n_in=9, hidden=6, n_out=9, layers=2, input="embed", embed_dim=4)
    params = model.init(jax.random.PRNGKey(2), cfg)
    x = np.random.default_rng(0).integers(0, 9, (8, 3))
    y = np.random.default_rng(1).integers(0, 9, (8, 3))
    carry = model.zeros(cfg, 3)
    key = jax.random.PRNGKey(5)

    def stepped_loss(p):  # the model written out with scan.run, dropout as model.apply draws it
        h = p["embed"][x]
        for n, lp in enumerate(p["layers"]):
            if n:
                h = model.drop(jax.random.fold_in(key, n), h, 0.25)
            _, h = scan.run(lstm, lp, carry[n], h)
        logits = h @ p["out"]["W"] + p["out"]["b"]
        return tbptt.cross_entropy(logits, y)

    window = lambda p: tbptt.window_loss(cfg, p, carry, x, y, dropout=0.25, key=key)[0]  # noqa: E731
    np.testing.assert_allclose(jax.jit(window)(params), jax.jit(stepped_loss)(params), rtol=1e-5)
    ga, gb = jax.jit(jax.grad(stepped_loss))(params), jax.jit(jax.grad(window))(params)
    for a, b in zip(jax.tree_util.tree_leaves(ga), jax.tree_util.tree_leaves(gb)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
