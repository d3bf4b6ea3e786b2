"""Shared bits of the text tests: corpus location and a tiny config."""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

SPANISH = ("¿Dónde está el niño? ¡Allí, junto al señor Muñoz! El pingüino comió açaí, "
           "crème brûlée y piñones 🐧🍰. «Año nuevo», dijo. Ñandú, cigüeña.\n")


def lstm_numpy(params, ids, H):
    """Independent NumPy forward of one LSTM layer model: embed -> LSTM -> linear.
    Gates (f, i, g, o) side by side in W (n_in + H, 4H); returns logits (T, V)."""
    E = np.asarray(params["embed"])
    W = np.asarray(params["layers"][0]["W"])
    b = np.asarray(params["layers"][0]["b"])
    Wo, bo = np.asarray(params["out"]["W"]), np.asarray(params["out"]["b"])
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731
    h = np.zeros(H)
    c = np.zeros(H)
    out = []
    for t in ids:
        a = np.concatenate([E[t], h]) @ W + b
        f, i, g, o = sig(a[:H]), sig(a[H:2 * H]), np.tanh(a[2 * H:3 * H]), sig(a[3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        out.append(h @ Wo + bo)
    return np.array(out), (h, c)
