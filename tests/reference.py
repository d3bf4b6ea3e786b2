"""Independent NumPy references: each cell's forward pass and a hand-written
backward pass, in float64. The tests compare rnr's JAX code against these."""

from __future__ import annotations

import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# ---- tanh RNN: s = tanh([x, h] W + b) ------------------------------------

def rnn_forward(p, x, h):
    z = np.concatenate([x, h], axis=-1)
    s = np.tanh(z @ p["W"] + p["b"])
    return s, (z, s)


def rnn_backward(p, cache, ds):
    """Gradients of sum(ds * s) w.r.t. W, b, x and h."""
    z, s = cache
    da = ds * (1 - s**2)
    dz = da @ p["W"].T
    n_in = z.shape[-1] - s.shape[-1]
    return {"W": z.T @ da, "b": da.sum(0)}, dz[:, :n_in], dz[:, n_in:]


# ---- LSTM, gates side by side in the order f, i, g, o ----------------------

def lstm_forward(p, x, h, c):
    z = np.concatenate([x, h], axis=-1)
    a = z @ p["W"] + p["b"]
    H = h.shape[-1]
    f = sigmoid(a[:, :H])
    i = sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:])
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    return (h_new, c_new), (z, c, f, i, g, o, c_new)


def lstm_backward(p, cache, dh, dc):
    """Gradients of sum(dh * h_new + dc * c_new) w.r.t. W, b, x, h, c."""
    z, c, f, i, g, o, c_new = cache
    tc = np.tanh(c_new)
    do = dh * tc
    dct = dc + dh * o * (1 - tc**2)  # everything that reaches C_t
    df, di, dg, dc_prev = dct * c, dct * g, dct * i, dct * f
    da = np.concatenate([df * f * (1 - f), di * i * (1 - i), dg * (1 - g**2), do * o * (1 - o)], axis=-1)
    dz = da @ p["W"].T
    n_in = z.shape[-1] - c.shape[-1]
    return {"W": z.T @ da, "b": da.sum(0)}, dz[:, :n_in], dz[:, n_in:], dc_prev


# ---- GRU, PyTorch's formulation, gates r, z, n -----------------------------

def gru_forward(p, x, h):
    H = h.shape[-1]
    ux = x @ p["Wx"] + p["bx"]
    wh = h @ p["Wh"] + p["bh"]
    r = sigmoid(ux[:, :H] + wh[:, :H])
    zg = sigmoid(ux[:, H:2 * H] + wh[:, H:2 * H])
    n = np.tanh(ux[:, 2 * H:] + r * wh[:, 2 * H:])
    h_new = (1 - zg) * n + zg * h
    return h_new, (x, h, wh, r, zg, n)


def gru_backward(p, cache, dh_new):
    """Gradients of sum(dh_new * h_new) w.r.t. Wx, Wh, bx, bh, x, h."""
    x, h, wh, r, zg, n = cache
    H = h.shape[-1]
    dn = dh_new * (1 - zg)
    dzg = dh_new * (h - n)
    dan = dn * (1 - n**2)
    dr = dan * wh[:, 2 * H:]
    dar = dr * r * (1 - r)
    daz = dzg * zg * (1 - zg)
    dux = np.concatenate([dar, daz, dan], axis=-1)
    dwh = np.concatenate([dar, daz, dan * r], axis=-1)
    grads = {"Wx": x.T @ dux, "bx": dux.sum(0), "Wh": h.T @ dwh, "bh": dwh.sum(0)}
    return grads, dux @ p["Wx"].T, dh_new * zg + dwh @ p["Wh"].T
