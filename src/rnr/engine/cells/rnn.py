"""The tutorial's tanh RNN cell (Elman 1990).

    s_t = tanh([x_t, s_{t-1}] W + b)

Parameters (the tutorial's single matrix over the concatenated input and state):
    W: (n_in + n_hidden, n_hidden)    rows [0, n_in) read x, the rest read s
    b: (n_hidden,)
Carry: ``(s,)`` with s of shape (batch, n_hidden).

``inputs`` computes the x-half of the product for every time step at once
(``[x, s] W = x W[:n_in] + s W[n_in:]``), so the recurrent ``step`` only does
the s-half. ``rnr.engine.scan.run`` calls both.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine.cells.common import bias, dot, tanh, uniform

GATES = ()
TRACED = ("h",)

TORCH = "RNN"  # torch.nn.RNN (tanh) computes the same: ``torch_weights`` maps the weights (rnr.export.torch)


def torch_weights(p, n_in: int) -> tuple:
    """torch's (weight_ih, weight_hh, bias_ih, bias_hh): W (n_in + H, H) split
    and transposed; torch adds two biases, so bias_hh is zero."""
    W, b = np.asarray(p["W"]), np.asarray(p["b"])
    return W[:n_in].T, W[n_in:].T, b, np.zeros_like(b)


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", **_):
    kw, kb = jax.random.split(key)
    return {
        "W": uniform(kw, (n_in + n_hidden, n_hidden), scheme, n_hidden),
        "b": bias(kb, (n_hidden,), scheme, n_hidden),
    }


def inputs(params, x):
    """x W_x + b for x of shape (..., n_in): the part that does not depend on s."""
    n_in = x.shape[-1]
    return dot(x, params["W"][:n_in]) + params["b"]


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    (s,) = carry
    n_in = params["W"].shape[0] - s.shape[-1]
    s = tanh(u + dot(s, params["W"][n_in:]))  # new state s_t
    return (s,), ({"h": s} if trace else s)


def zeros(batch_shape, n_hidden: int):
    """The carry at the start of a sequence: s = 0."""
    return (jnp.zeros((*batch_shape, n_hidden), jnp.float32),)
