"""The minLSTM cell (Feng et al. 2024, "Were RNNs All We Needed?", arXiv 2410.01201):
an LSTM whose gates read only the input, with no output gate and no tanh,
so a window trains with a parallel scan.

    f_t = sigmoid(x_t W_f + b_f)                forget gate (no h_{t-1})
    i_t = sigmoid(x_t W_i + b_i)                input gate
    f'_t = f_t / (f_t + i_t)                    normalised: f'_t + i'_t = 1, so the
    i'_t = i_t / (f_t + i_t)                    state's scale does not depend on time
    n_t = g(x_t W_n + b_n)                      candidate, g(k) = k + 1/2 if k >= 0 else sigmoid(k)
    h_t = f'_t * h_{t-1} + i'_t * n_t           new state: linear in h_{t-1}

In log space (``linear_scan.log_scan``, as the paper), with d_t = softplus(-k_f) - softplus(-k_i)
= log i_t - log f_t:

    log a_t = log f'_t = -softplus(d_t)
    log b_t = log i'_t + log n_t = -softplus(-d_t) + log g(k_n)

``layer`` runs a whole window at once, as ``mingru.layer`` does (the gates
of every step in one product, then the recurrence by ``linear_scan``);
``step`` is the same cell one step at a time.

Parameters, gates side by side in ``GATE_ORDER`` (f, i, n):
    Wx: (n_in, 3 * n_hidden)    bx: (3 * n_hidden,)
``forget_bias`` is added to b_f. Traces show the normalised gates f', i'.
Carry: ``(h,)`` with h of shape (batch, n_hidden).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine.cells import linear_scan
from rnr.engine.cells.common import bias, check_width, dot, sigmoid, uniform
from rnr.engine.cells import mingru
from rnr.engine.cells.mingru import _np_sigmoid, g, log_g, np_g

GATE_ORDER = ("f", "i", "n")
GATES = ("f", "i")
TRACED = ("f", "i", "n", "h")

TORCH = None  # no torch module: exported as rnr holds it, with ``numpy_forward`` (rnr.export.torch)
METHOD = None  # ``layer``'s scan (linear_scan.METHODS, or "log"); None: linear_scan.default_method()


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", forget_bias: float = 0.0, **_):
    kw, kb = jax.random.split(key)
    b = bias(kb, (3 * n_hidden,), scheme, n_hidden).at[:n_hidden].add(forget_bias)
    return {"Wx": uniform(kw, (n_in, 3 * n_hidden), scheme, n_hidden), "bx": b}


def inputs(params, x):
    """x W_x + b_x for f, i and n, shape (..., 3 * n_hidden)."""
    return dot(x, params["Wx"]) + params["bx"]


def _gates(u):
    """(f'_t, i'_t, log f'_t, log i'_t, k_n) from the pre-activations."""
    k_f, k_i, k_n = jnp.split(u, 3, axis=-1)
    d = jax.nn.softplus(-k_f) - jax.nn.softplus(-k_i)  # log i_t - log f_t
    return sigmoid(-d), sigmoid(d), -jax.nn.softplus(d), -jax.nn.softplus(-d), k_n


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    (h_prev,) = carry
    k_f, k_i, k_n = jnp.split(u, 3, axis=-1)
    f = sigmoid(k_f)  # forget gate, from x_t alone
    i = sigmoid(k_i)  # input gate, from x_t alone
    f, i = f / (f + i), i / (f + i)  # normalised: f' + i' = 1
    n = g(k_n)  # positive candidate
    h = f * h_prev + i * n  # new state, linear in h_{t-1}
    out = {"f": f, "i": i, "n": n, "h": h} if trace else h
    return (h,), out


zeros = mingru.zeros  # the carry at the start of a sequence: h = 0


def layer(params, carry, xs, mask=None, method: str | None = None):
    """The whole window in parallel: xs (T, B, n_in) -> (carry, hs (T, B, H)),
    equal to stepping; ``mask`` (T, B) as ``scan.run_masked``."""
    (h0,) = carry
    check_width(params, xs.shape[-1], h0.shape[-1])
    f, i, log_f, log_i, k_n = _gates(inputs(params, xs))
    method = method or METHOD or linear_scan.default_method()
    if method == "log":
        hT, hs = linear_scan.log_scan(log_f, log_i + log_g(k_n), h0, mask)
    else:
        hT, hs = linear_scan.scan(f, i * g(k_n), h0, mask, method)
    return (hT,), hs


def numpy_forward(p: dict, xs: np.ndarray) -> np.ndarray:
    """The layer in NumPy from a zero state, for exported weights: xs (T, B, n) -> h (T, B, H)."""
    h = np.zeros(xs.shape[1:2] + (p["bx"].shape[0] // 3,))
    outs = []
    for x in xs:
        k_f, k_i, k_n = np.split(x @ p["Wx"] + p["bx"], 3, axis=-1)
        f, i = _np_sigmoid(k_f), _np_sigmoid(k_i)
        h = (f * h + i * np_g(k_n)) / (f + i)
        outs.append(h)
    return np.stack(outs)
