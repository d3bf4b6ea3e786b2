"""The LSTM cell (Hochreiter & Schmidhuber 1997, with the forget gate of
Gers, Schmidhuber & Cummins 2000), step by step as the tutorial walks it.

    f_t = sigmoid([x_t, h_{t-1}] W_f + b_f)     forget gate
    i_t = sigmoid([x_t, h_{t-1}] W_i + b_i)     input gate
    g_t = tanh([x_t, h_{t-1}] W_g + b_g)        candidate values (C~_t)
    C_t = f_t * C_{t-1} + i_t * g_t             cell state update
    o_t = sigmoid([x_t, h_{t-1}] W_o + b_o)     output gate
    h_t = o_t * tanh(C_t)                       hidden state

Parameters: the four gate matrices side by side, in ``GATE_ORDER`` (f, i, g, o):
    W: (n_in + n_hidden, 4 * n_hidden)    rows [0, n_in) read x, the rest read h
    b: (4 * n_hidden,)
PyTorch stores the gates as (i, f, g, o); ``rnr.export.torch`` maps the order.
Carry: ``(h, c)``, each (batch, n_hidden).

``layer`` runs a whole window at once: the same values as stepping, with a
hand-written backward pass (``lstm_window.py``), or cuDNN on a GPU
(``lstm_cudnn.py``); ``rnr.engine.model`` uses it for training and evaluation,
``step`` for traces.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine.cells.common import bias, dot, sigmoid, tanh, uniform

GATE_ORDER = ("f", "i", "g", "o")
GATES = ("f", "i", "o")
TRACED = ("f", "i", "g", "o", "c", "h")

TORCH = "LSTM"  # torch.nn.LSTM computes the same: ``torch_weights`` maps the weights (rnr.export.torch)


def _torch_rows(a):
    """Rows in rnr's (f, i, g, o) blocks -> torch's (i, f, g, o)."""
    f, i, g, o = np.split(a, 4, axis=0)
    return np.concatenate([i, f, g, o], axis=0)


def torch_weights(p, n_in: int) -> tuple:
    """torch's (weight_ih, weight_hh, bias_ih, bias_hh): W (n_in + H, 4H)
    split, transposed and its gate blocks put in torch's order; bias_hh zero."""
    W, b = np.asarray(p["W"]), np.asarray(p["b"])
    return _torch_rows(W[:n_in].T), _torch_rows(W[n_in:].T), _torch_rows(b), np.zeros_like(b)


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", forget_bias: float = 0.0, **_):
    """Weights as ``scheme`` says; ``forget_bias`` is added to b_f (1.0 is a
    common choice: the cell starts out remembering)."""
    kw, kb = jax.random.split(key)
    b = bias(kb, (4 * n_hidden,), scheme, n_hidden)
    b = b.at[:n_hidden].add(forget_bias)
    return {"W": uniform(kw, (n_in + n_hidden, 4 * n_hidden), scheme, n_hidden), "b": b}


def inputs(params, x):
    """x W_x + b for all four gates, shape (..., 4 * n_hidden)."""
    n_in = x.shape[-1]
    return dot(x, params["W"][:n_in]) + params["b"]


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    h, c = carry
    n_in = params["W"].shape[0] - h.shape[-1]
    a_f, a_i, a_g, a_o = jnp.split(u + dot(h, params["W"][n_in:]), 4, axis=-1)
    f = sigmoid(a_f)  # forget gate: how much of C_{t-1} to keep
    i = sigmoid(a_i)  # input gate: how much of the candidate to write
    g = tanh(a_g)  # candidate values C~_t
    c = f * c + i * g  # cell state update C_t
    o = sigmoid(a_o)  # output gate: which parts of tanh(C_t) to show
    h = o * tanh(c)  # hidden state h_t
    out = {"f": f, "i": i, "g": g, "o": o, "c": c, "h": h} if trace else h
    return (h, c), out


def zeros(batch_shape, n_hidden: int):
    """The carry at the start of a sequence: h = C = 0."""
    z = jnp.zeros((*batch_shape, n_hidden), jnp.float32)
    return (z, z)


def layer(params, carry, xs):
    """The whole window: xs (T, B, n_in) -> (carry, hs (T, B, H)), as a scan
    of ``step`` computes it, with the fast backward of ``lstm_window``."""
    from rnr.engine.cells import lstm_cudnn
    from rnr.engine.cells.lstm_window import lstm_layer

    if lstm_cudnn.available():  # on an NVIDIA GPU: cuDNN's fused LSTM
        return lstm_cudnn.layer(params, carry, xs)
    h0, c0 = carry
    hs, h, c = lstm_layer(params["W"], params["b"], h0, c0, xs)
    return (h, c), hs
