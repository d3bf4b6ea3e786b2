"""The LSTM without a forget gate, as Hochreiter & Schmidhuber published it
in 1997: the cell state only adds (the "constant error carousel").

    i_t = sigmoid([x_t, h_{t-1}] W_i + b_i)     input gate
    g_t = tanh([x_t, h_{t-1}] W_g + b_g)        candidate values
    C_t = C_{t-1} + i_t * g_t                   cell state: nothing is forgotten
    o_t = sigmoid([x_t, h_{t-1}] W_o + b_o)     output gate
    h_t = o_t * tanh(C_t)                       hidden state

Parameters, three gate blocks side by side in ``GATE_ORDER`` (i, g, o):
    W: (n_in + n_hidden, 3 * n_hidden)    b: (3 * n_hidden,)
There is no forget gate, so ``forget_bias`` is accepted and ignored.
Carry: ``(h, c)``, each (batch, n_hidden).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from rnr.engine.cells import lstm
from rnr.engine.cells.common import bias, dot, sigmoid, tanh, uniform

GATE_ORDER = ("i", "g", "o")
GATES = ("i", "o")
TRACED = ("i", "g", "o", "c", "h")

TORCH = None  # no torch module computes this cell: rnr export refuses it
zeros = lstm.zeros
inputs = lstm.inputs  # x W_x + b, whatever the number of gate blocks


def init(key, n_in: int, n_hidden: int, scheme: str = "torch", **_):
    kw, kb = jax.random.split(key)
    return {"W": uniform(kw, (n_in + n_hidden, 3 * n_hidden), scheme, n_hidden),
            "b": bias(kb, (3 * n_hidden,), scheme, n_hidden)}


def step(params, carry, u, trace: bool = False):
    """One time step; ``u`` is ``inputs(params, x_t)``."""
    h, c = carry
    n_in = params["W"].shape[0] - h.shape[-1]
    a_i, a_g, a_o = jnp.split(u + dot(h, params["W"][n_in:]), 3, axis=-1)
    i = sigmoid(a_i)  # input gate
    g = tanh(a_g)  # candidate values C~_t
    c = c + i * g  # cell state: add, never forget
    o = sigmoid(a_o)  # output gate
    h = o * tanh(c)  # hidden state h_t
    out = {"i": i, "g": g, "o": o, "c": c, "h": h} if trace else h
    return (h, c), out
