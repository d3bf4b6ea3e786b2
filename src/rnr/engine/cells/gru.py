"""The GRU cell (Cho et al. 2014), in the formulation PyTorch and cuDNN use.

    r_t = sigmoid(x_t W_xr + b_xr + h_{t-1} W_hr + b_hr)        reset gate
    z_t = sigmoid(x_t W_xz + b_xz + h_{t-1} W_hz + b_hz)        update gate
    n_t = tanh(x_t W_xn + b_xn + r_t * (h_{t-1} W_hn + b_hn))   candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                       new state

Cho et al. apply the reset gate before the recurrent product,
``tanh(x W_xn + (r * h) W_hn)``; PyTorch applies it after, as above, which
lets all three recurrent products run as one matrix product. rnr follows
PyTorch so that weights move between the two unchanged.

Parameters, gates side by side in ``GATE_ORDER`` (r, z, n), as in PyTorch:
    Wx: (n_in, 3 * n_hidden)    Wh: (n_hidden, 3 * n_hidden)
    bx: (3 * n_hidden,)         bh: (3 * n_hidden,)
Carry: ``(h,)`` with h of shape (batch, n_hidden).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine.cells.common import bias, dot, sigmoid, tanh, uniform

GATE_ORDER = ("r", "z", "n")
GATES = ("r", "z")
TRACED = ("r", "z", "n", "h")

TORCH = "GRU"  # torch.nn.GRU computes the same, in the same (r, z, n) order (rnr.export.torch)


def torch_weights(p, n_in: int) -> tuple:
    """torch's (weight_ih, weight_hh, bias_ih, bias_hh): Wx.T, Wh.T, bx, bh."""
    return np.asarray(p["Wx"]).T, np.asarray(p["Wh"]).T, np.asarray(p["bx"]), np.asarray(p["bh"])


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", **_):
    k1, k2, k3, k4 = jax.random.split(key, 4)
    return {
        "Wx": uniform(k1, (n_in, 3 * n_hidden), scheme, n_hidden),
        "Wh": uniform(k2, (n_hidden, 3 * n_hidden), scheme, n_hidden),
        "bx": bias(k3, (3 * n_hidden,), scheme, n_hidden),
        "bh": bias(k4, (3 * n_hidden,), scheme, n_hidden),
    }


def inputs(params, x):
    """x W_x + b_x for the three gates, shape (..., 3 * n_hidden)."""
    return dot(x, params["Wx"]) + params["bx"]


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    (h_prev,) = carry
    u_r, u_z, u_n = jnp.split(u, 3, axis=-1)
    w_r, w_z, w_n = jnp.split(dot(h_prev, params["Wh"]) + params["bh"], 3, axis=-1)
    r = sigmoid(u_r + w_r)  # reset gate
    z = sigmoid(u_z + w_z)  # update gate
    n = tanh(u_n + r * w_n)  # candidate state
    h = (1.0 - z) * n + z * h_prev  # new state: blend of candidate and old
    out = {"r": r, "z": z, "n": n, "h": h} if trace else h
    return (h,), out


def zeros(batch_shape, n_hidden: int):
    """The carry at the start of a sequence: h = 0."""
    return (jnp.zeros((*batch_shape, n_hidden), jnp.float32),)
