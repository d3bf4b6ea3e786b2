"""The LSTM over a whole window through cuDNN, on an NVIDIA GPU.

``jax.experimental.rnn.lstm`` calls cuDNN's fused LSTM (forward and
backward). It takes PyTorch's layout: batch-first inputs and one flat weight
vector holding, per layer, W_ih (4H, n_in), W_hh (4H, H), b_ih (4H,),
b_hh (4H,), the gate blocks in the order (i, f, g, o). rnr keeps
W (n_in + H, 4H) with columns in (f, i, g, o) and one bias, so ``pack``
transposes, swaps the first two gate blocks and puts rnr's bias in b_ih
(b_hh = 0: cuDNN adds the two). The packing is differentiable, so the
gradient reaches rnr's W and b.

``rnr.engine.cells.lstm.layer`` takes this path when JAX's default backend is a
GPU (and ``RNR_CUDNN`` is not "0"); elsewhere it runs ``lstm_window``.
"""

from __future__ import annotations

import os

import jax
import jax.numpy as jnp


def available() -> bool:
    """True on a CUDA GPU, unless RNR_CUDNN=0."""
    return os.environ.get("RNR_CUDNN", "1") != "0" and jax.default_backend() == "gpu"


def _torch_rows(a):
    """Gate blocks along axis 0 from rnr's (f, i, g, o) to (i, f, g, o)."""
    f, i, g, o = jnp.split(a, 4, axis=0)
    return jnp.concatenate([i, f, g, o], axis=0)


def pack(params, n_in: int):
    """rnr's {"W", "b"} -> cuDNN's flat weights of one layer."""
    W, b = params["W"], params["b"]
    w_ih = _torch_rows(W[:n_in].T)
    w_hh = _torch_rows(W[n_in:].T)
    b_ih = _torch_rows(b)
    return jnp.concatenate([w_ih.ravel(), w_hh.ravel(), b_ih, jnp.zeros_like(b_ih)])


def layer(params, carry, xs):
    """xs (T, B, n_in) -> ((h, c), hs (T, B, H)) through cuDNN."""
    from jax.experimental import rnn

    h0, c0 = carry
    T, B, n_in = xs.shape
    H = h0.shape[-1]
    y, h, c = rnn.lstm(jnp.swapaxes(xs, 0, 1), h0[None], c0[None], pack(params, n_in),
                       jnp.full((B,), T, jnp.int32), input_size=n_in, hidden_size=H, num_layers=1,
                       dropout=0.0, bidirectional=False)
    return (h[0], c[0]), jnp.swapaxes(y, 0, 1)
