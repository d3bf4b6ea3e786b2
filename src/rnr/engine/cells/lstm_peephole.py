"""The LSTM with peephole connections (Gers & Schmidhuber 2000): the gates
also look at the cell state, through a diagonal (elementwise) weight.

    f_t = sigmoid([x_t, h_{t-1}] W_f + p_f * C_{t-1} + b_f)   forget gate, peeks at C_{t-1}
    i_t = sigmoid([x_t, h_{t-1}] W_i + p_i * C_{t-1} + b_i)   input gate, peeks at C_{t-1}
    g_t = tanh([x_t, h_{t-1}] W_g + b_g)                      candidate values
    C_t = f_t * C_{t-1} + i_t * g_t                           cell state update
    o_t = sigmoid([x_t, h_{t-1}] W_o + p_o * C_t + b_o)       output gate, peeks at the new C_t
    h_t = o_t * tanh(C_t)                                     hidden state

Parameters: as ``rnr.engine.cells.lstm`` (W: (n_in + n_hidden, 4 * n_hidden), b: (4 * n_hidden,),
gates in ``GATE_ORDER`` f, i, g, o) plus the peephole vectors pf, pi, po, each (n_hidden,).
Carry: ``(h, c)``, each (batch, n_hidden).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from rnr.engine.cells import lstm
from rnr.engine.cells.common import dot, sigmoid, tanh, uniform

GATE_ORDER = lstm.GATE_ORDER
GATES = lstm.GATES
TRACED = lstm.TRACED

TORCH = None  # no torch module computes this cell: rnr export refuses it
inputs = lstm.inputs
zeros = lstm.zeros


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", forget_bias: float = 0.0, **_):
    """The LSTM's weights plus three peephole vectors drawn like the weights."""
    k_lstm, kf, ki, ko = jax.random.split(key, 4)
    params = lstm.init(k_lstm, n_in, n_hidden, scheme, forget_bias=forget_bias)
    for name, k in (("pf", kf), ("pi", ki), ("po", ko)):
        params[name] = uniform(k, (n_hidden,), scheme, n_hidden)
    return params


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    h, c_prev = carry
    n_in = params["W"].shape[0] - h.shape[-1]
    a_f, a_i, a_g, a_o = jnp.split(u + dot(h, params["W"][n_in:]), 4, axis=-1)
    f = sigmoid(a_f + params["pf"] * c_prev)  # forget gate, also sees C_{t-1}
    i = sigmoid(a_i + params["pi"] * c_prev)  # input gate, also sees C_{t-1}
    g = tanh(a_g)  # candidate values C~_t
    c = f * c_prev + i * g  # cell state update C_t
    o = sigmoid(a_o + params["po"] * c)  # output gate, sees the new C_t
    h = o * tanh(c)  # hidden state h_t
    out = {"f": f, "i": i, "g": g, "o": o, "c": c, "h": h} if trace else h
    return (h, c), out
