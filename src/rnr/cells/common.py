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
    """``a @ w`` for a (..., k) and w (k, n), fused when ``w`` is tiny."""
    if w.size <= SMALL_MATMUL:
        return jnp.sum(a[..., :, None] * w, axis=-2)
    return a @ w


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
