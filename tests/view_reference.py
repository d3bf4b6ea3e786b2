"""Independent NumPy forward passes of rnr's cells and readout (float64), the
reference the view tests compare traces and figures with."""

from __future__ import annotations

import numpy as np


def sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def _np(tree):
    return {k: np.asarray(v, np.float64) for k, v in tree.items()}


def cell_forward(cell: str, p, xs):
    """xs (T, B, n_in) -> dict of (T, B, H) arrays, as the cell's equations say."""
    p = _np(p)
    T, B, n_in = xs.shape
    out = {}
    if cell == "lstm":
        H = p["W"].shape[1] // 4
        h, c = np.zeros((B, H)), np.zeros((B, H))
        for t in range(T):
            a = np.concatenate([xs[t], h], 1) @ p["W"] + p["b"]
            f, i, g, o = sig(a[:, :H]), sig(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
            c = f * c + i * g
            h = o * np.tanh(c)
            for k, v in zip("figoch", (f, i, g, o, c, h)):
                out.setdefault(k, []).append(v)
    elif cell == "gru":
        H = p["Wh"].shape[0]
        h = np.zeros((B, H))
        for t in range(T):
            ux, uh = xs[t] @ p["Wx"] + p["bx"], h @ p["Wh"] + p["bh"]
            r = sig(ux[:, :H] + uh[:, :H])
            z = sig(ux[:, H:2 * H] + uh[:, H:2 * H])
            n = np.tanh(ux[:, 2 * H:] + r * uh[:, 2 * H:])
            h = (1 - z) * n + z * h
            for k, v in zip("rznh", (r, z, n, h)):
                out.setdefault(k, []).append(v)
    else:
        H = p["W"].shape[1]
        h = np.zeros((B, H))
        for t in range(T):
            h = np.tanh(np.concatenate([xs[t], h], 1) @ p["W"] + p["b"])
            out.setdefault("h", []).append(h)
    return {k: np.stack(v) for k, v in out.items()}


def model_forward(cfg, params, xs):
    """(layers, logits) of an rnr model for raw inputs xs (T, B) or (T, B, n_in)."""
    xs = np.asarray(xs)
    if cfg.input == "embed":
        e = np.asarray(params["embed"], np.float64)[xs]
    elif cfg.input == "onehot":
        e = np.eye(cfg.n_in)[xs]
    else:
        e = xs.astype(np.float64)
        e = e[..., None] if e.ndim == 2 else e
    layers = []
    for p in params["layers"]:
        d = cell_forward(cfg.cell, p, e)
        layers.append(d)
        e = d["h"]
    out = _np(params["out"])
    return layers, e @ out["W"] + out["b"]
