"""The LSTM with coupled input and forget gates: the cell forgets exactly as
much as it writes, f = 1 - i (one of the variants in Greff et al. 2017 and
in colah's "Understanding LSTM Networks").

    i_t = sigmoid([x_t, h_{t-1}] W_i + b_i)     input gate
    f_t = 1 - i_t                               forget gate, tied to the input gate
    g_t = tanh([x_t, h_{t-1}] W_g + b_g)        candidate values
    C_t = f_t * C_{t-1} + i_t * g_t             cell state update
    o_t = sigmoid([x_t, h_{t-1}] W_o + b_o)     output gate
    h_t = o_t * tanh(C_t)                       hidden state

Parameters, three gate blocks side by side in ``GATE_ORDER`` (i, g, o):
    W: (n_in + n_hidden, 3 * n_hidden)    b: (3 * n_hidden,)
Since f = 1 - sigmoid(a_i) = sigmoid(-a_i), ``forget_bias`` is subtracted
from b_i. Carry: ``(h, c)``, each (batch, n_hidden).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from rnr.engine.cells import lstm
from rnr.engine.cells.common import bias, dot, sigmoid, tanh, uniform

GATE_ORDER = ("i", "g", "o")
GATES = ("f", "i", "o")
TRACED = ("f", "i", "g", "o", "c", "h")

TORCH = None  # no torch module computes this cell: rnr export refuses it
zeros = lstm.zeros
inputs = lstm.inputs  # x W_x + b, whatever the number of gate blocks


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", forget_bias: float = 0.0, **_):
    """Weights as ``scheme`` says; ``forget_bias`` lowers b_i (raises f)."""
    kw, kb = jax.random.split(key)
    b = bias(kb, (3 * n_hidden,), scheme, n_hidden)
    b = b.at[:n_hidden].add(-forget_bias)
    return {"W": uniform(kw, (n_in + n_hidden, 3 * n_hidden), scheme, n_hidden), "b": b}


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    h, c = carry
    n_in = params["W"].shape[0] - h.shape[-1]
    a_i, a_g, a_o = jnp.split(u + dot(h, params["W"][n_in:]), 3, axis=-1)
    i = sigmoid(a_i)  # input gate: how much of the candidate to write
    f = 1.0 - i  # forget gate: forget exactly what is written over
    g = tanh(a_g)  # candidate values C~_t
    c = f * c + i * g  # cell state update C_t
    o = sigmoid(a_o)  # output gate
    h = o * tanh(c)  # hidden state h_t
    out = {"f": f, "i": i, "g": g, "o": o, "c": c, "h": h} if trace else h
    return (h, c), out
