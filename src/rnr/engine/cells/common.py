"""Pieces every cell shares: activations, the small matrix product, initialisers.

Shapes: ``x`` is (..., n_in), ``h`` is (..., n_hidden); a leading batch axis
is optional because every operation broadcasts over it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

sigmoid = jax.nn.sigmoid
tanh = jnp.tanh

# Below this many weights a product is written as broadcast-multiply-and-sum,
# which XLA fuses with its neighbours; above it, a real matrix product wins.
SMALL_MATMUL = 1024


def dot(a, w):
    """``a @ w`` for a (..., k) and w (k, n), fused when ``w`` is tiny.

    Leading axes are flattened into one, (T, B, k) -> (T B, k), so the
    product and both of its gradients are plain 2-D matrix products: XLA's
    CPU backend computes the weight gradient of a 3-D product (contracting
    T and B together) about 4x slower than the same numbers as one 2-D
    product (bench: (256, 32, 64) @ (64, 512), forward and gradient, 67 ms
    against 15 ms on 2 cores)."""
    if w.size <= SMALL_MATMUL:
        return jnp.sum(a[..., :, None] * w, axis=-2)
    if a.ndim <= 2:
        return a @ w
    return (a.reshape(-1, a.shape[-1]) @ w).reshape(*a.shape[:-1], w.shape[-1])


INITS = ("torch", "tutorial")


def uniform(key, shape, scheme: str, n_hidden: int):
    """Weights drawn as the chosen scheme says.

    - ``torch``: uniform in [-1/sqrt(n_hidden), 1/sqrt(n_hidden)), as PyTorch's
      RNN, LSTM and GRU layers do;
    - ``tutorial``: uniform in [0, 1), as the echo tutorial's
      ``np.random.rand`` does.
    """
    if scheme == "tutorial":
        return jax.random.uniform(key, shape, jnp.float32, 0.0, 1.0)
    if scheme == "torch":
        k = 1.0 / jnp.sqrt(n_hidden)
        return jax.random.uniform(key, shape, jnp.float32, -k, k)
    raise ValueError(f"unknown init scheme {scheme!r}; choose one of {INITS}")


def bias(key, shape, scheme: str, n_hidden: int):
    """Biases: zero for the tutorial, uniform like the weights for PyTorch."""
    if scheme == "tutorial":
        return jnp.zeros(shape, jnp.float32)
    return uniform(key, shape, scheme, n_hidden)


def n_in(params, n_hidden: int) -> int:
    """How wide an input ``params`` read: the rows of the input matrix (``Wx``
    of the GRU), or for cells with one matrix over ``[x, h]`` (``W`` of the
    RNN and the LSTMs) its rows less the ``n_hidden`` that read h."""
    if "Wx" in params:
        return params["Wx"].shape[0]
    return params["W"].shape[0] - n_hidden


def check_width(params, width: int, n_hidden: int) -> None:
    """Raise ValueError unless inputs of ``width`` features are what ``params``
    read: the cells slice their input rows by the input's width, so a wider
    input would read recurrent weights as input weights, a narrower one
    would drop input weights, without a word."""
    expected = n_in(params, n_hidden)
    if width != expected:
        raise ValueError(f"the input has {width} features, but the cell's parameters read "
                         f"n_in = {expected} (n_hidden = {n_hidden}); give inputs of width {expected} "
                         f"or parameters made with n_in = {width}")
