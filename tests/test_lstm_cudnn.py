"""The cuDNN path of the LSTM layer (cells/lstm_cudnn.py). Everywhere: the
weight packing, read back by JAX's own unpacking and run through its CPU
reference of the cuDNN LSTM (jax.experimental.rnn.lstm_ref), equals rnr's
cell stepped by scan. On a GPU only: cuDNN itself, values and gradients."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from rnr.engine import scan
from rnr.engine.cells import lstm, lstm_cudnn

T, B, N_IN, H = 6, 3, 5, 4


def setup():
    k = jax.random.split(jax.random.PRNGKey(3), 4)
    p = lstm.init(k[0], N_IN, H, forget_bias=0.5)
    h0, c0 = jax.random.normal(k[1], (B, H)), jax.random.normal(k[2], (B, H))
    xs = jax.random.normal(k[3], (T, B, N_IN))
    return p, (h0, c0), xs


def test_packing_matches_the_cudnn_reference():
    from jax.experimental import rnn

    p, (h0, c0), xs = setup()
    W_ih, W_hh, b_ih, b_hh = rnn.unpack_lstm_weights(lstm_cudnn.pack(p, N_IN), N_IN, H, 1, False)
    y, h, c = rnn.lstm_ref(jnp.swapaxes(xs, 0, 1), h0[None], c0[None], W_ih, W_hh, b_ih, b_hh,
                           jnp.full((B,), T, jnp.int32), N_IN, H, 1, 0.0, False)
    (h_ref, c_ref), hs = scan.run(lstm, p, (h0, c0), xs)
    np.testing.assert_allclose(jnp.swapaxes(y, 0, 1), hs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h[0], h_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c[0], c_ref, rtol=1e-5, atol=1e-6)


def test_a_wrong_gate_order_would_be_caught():
    from jax.experimental import rnn

    p, (h0, c0), xs = setup()
    swapped = {"W": jnp.concatenate(jnp.split(p["W"], 4, axis=1)[::-1], axis=1), "b": p["b"]}
    W_ih, W_hh, b_ih, b_hh = rnn.unpack_lstm_weights(lstm_cudnn.pack(swapped, N_IN), N_IN, H, 1, False)
    y, _, _ = rnn.lstm_ref(jnp.swapaxes(xs, 0, 1), h0[None], c0[None], W_ih, W_hh, b_ih, b_hh,
                           jnp.full((B,), T, jnp.int32), N_IN, H, 1, 0.0, False)
    _, hs = scan.run(lstm, p, (h0, c0), xs)
    assert not np.allclose(jnp.swapaxes(y, 0, 1), hs, atol=1e-3)


@pytest.mark.skipif(jax.default_backend() != "gpu", reason="cuDNN needs an NVIDIA GPU")
def test_cudnn_values_and_gradients_match_the_scan():
    p, carry, xs = setup()

    def loss(layer_fn, p, xs):
        (h, c), hs = layer_fn(p, carry, xs)
        return jnp.sum(hs ** 2) + jnp.sum(h * c)

    stepped = lambda p, carry, xs: scan.run(lstm, p, carry, xs)  # noqa: E731
    a, ga = jax.value_and_grad(lambda p, x: loss(stepped, p, x), argnums=(0, 1))(p, xs)
    b, gb = jax.value_and_grad(lambda p, x: loss(lstm_cudnn.layer, p, x), argnums=(0, 1))(p, xs)
    np.testing.assert_allclose(b, a, rtol=1e-4)
    for x, y in zip(jax.tree_util.tree_leaves(gb), jax.tree_util.tree_leaves(ga)):
        np.testing.assert_allclose(x, y, rtol=1e-3, atol=1e-5)
