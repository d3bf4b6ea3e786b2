"""The minGRU cell (Feng et al. 2024, "Were RNNs All We Needed?", arXiv 2410.01201):
a GRU whose gates read only the input, so a window trains with a parallel scan.

    z_t = sigmoid(x_t W_z + b_z)                update gate (no h_{t-1})
    n_t = g(x_t W_n + b_n)                      candidate, g(k) = k + 1/2 if k >= 0 else sigmoid(k)
    h_t = (1 - z_t) * h_{t-1} + z_t * n_t       new state: linear in h_{t-1}

g is the paper's positive activation: with h_0 >= 0 every state stays
positive, so the window can run in log space (``linear_scan.log_scan``):

    log a_t = -softplus(k_z)                    log(1 - z_t)
    log b_t = -softplus(-k_z) + log g(k_n)      log(z_t n_t)

``layer`` runs a whole window at once: the gates of every step in one
product, then the recurrence by ``linear_scan`` (``METHOD``, or its
``method`` argument; default ``linear_scan.default_method()``: ``sequential`` on
CPUs, ``associative`` on accelerators): ``associative`` scans the pairs (a_t, b_t) in
O(log T) depth, ``log`` the paper's log-space form above, ``sequential``
one multiply-add per step. The pairs' scan never divides, so it is as
stable as log space, and on CPUs it is cheaper (docs/parallel.md).
``step`` is the same cell one step at a time (sampling, traces, and the
tests' reference).

Parameters, gates side by side in ``GATE_ORDER`` (z, n):
    Wx: (n_in, 2 * n_hidden)    bx: (2 * n_hidden,)
``forget_bias`` lowers b_z: the cell starts out keeping more of h_{t-1}.
Carry: ``(h,)`` with h of shape (batch, n_hidden).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine.cells import linear_scan
from rnr.engine.cells.common import bias, check_width, dot, sigmoid, uniform

GATE_ORDER = ("z", "n")
GATES = ("z",)
TRACED = ("z", "n", "h")

TORCH = None  # no torch module: exported as rnr holds it, with ``numpy_forward`` (rnr.export.torch)
METHOD = None  # ``layer``'s scan (linear_scan.METHODS, or "log"); None: linear_scan.default_method()


def g(k):
    """The paper's positive activation: k + 1/2 for k >= 0, sigmoid(k) below (continuous at 0)."""
    return jnp.where(k >= 0, k + 0.5, sigmoid(k))


def log_g(k):
    """log g(k), without ever taking the log of a small number."""
    return jnp.where(k >= 0, jnp.log(jnp.maximum(k, 0.0) + 0.5), -jax.nn.softplus(-k))


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", forget_bias: float = 0.0, **_):
    kw, kb = jax.random.split(key)
    b = bias(kb, (2 * n_hidden,), scheme, n_hidden).at[:n_hidden].add(-forget_bias)
    return {"Wx": uniform(kw, (n_in, 2 * n_hidden), scheme, n_hidden), "bx": b}


def inputs(params, x):
    """x W_x + b_x for z and n, shape (..., 2 * n_hidden): all of each step's work but the blend."""
    return dot(x, params["Wx"]) + params["bx"]


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    (h_prev,) = carry
    k_z, k_n = jnp.split(u, 2, axis=-1)
    z = sigmoid(k_z)  # update gate, from x_t alone
    n = g(k_n)  # positive candidate
    h = (1.0 - z) * h_prev + z * n  # new state: a blend, linear in h_{t-1}
    out = {"z": z, "n": n, "h": h} if trace else h
    return (h,), out


def zeros(batch_shape, n_hidden: int):
    """The carry at the start of a sequence: h = 0."""
    return (jnp.zeros((*batch_shape, n_hidden), jnp.float32),)


def layer(params, carry, xs, mask=None, method: str | None = None):
    """The whole window in parallel: xs (T, B, n_in) -> (carry, hs (T, B, H)),
    equal to stepping; ``mask`` (T, B) as ``scan.run_masked``."""
    (h0,) = carry
    check_width(params, xs.shape[-1], h0.shape[-1])
    k_z, k_n = jnp.split(inputs(params, xs), 2, axis=-1)
    method = method or METHOD or linear_scan.default_method()
    if method == "log":
        hT, hs = linear_scan.log_scan(-jax.nn.softplus(k_z), -jax.nn.softplus(-k_z) + log_g(k_n), h0, mask)
    else:
        z = sigmoid(k_z)
        hT, hs = linear_scan.scan(sigmoid(-k_z), z * g(k_n), h0, mask, method)
    return (hT,), hs


def _np_sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def np_g(k):
    """``g`` in NumPy: k + 1/2 for k >= 0, sigmoid(k) below."""
    return np.where(k >= 0, k + 0.5, _np_sigmoid(np.minimum(k, 0.0)))


def numpy_forward(p: dict, xs: np.ndarray) -> np.ndarray:
    """The layer in NumPy from a zero state, for exported weights: xs (T, B, n) -> h (T, B, H)."""
    h = np.zeros(xs.shape[1:2] + (p["bx"].shape[0] // 2,))
    outs = []
    for x in xs:
        k_z, k_n = np.split(x @ p["Wx"] + p["bx"], 2, axis=-1)
        z = _np_sigmoid(k_z)
        h = (1 - z) * h + z * np_g(k_n)
        outs.append(h)
    return np.stack(outs)
