"""Shared bits of the text tests: corpus location and a tiny config."""

from pathlib import Path

import reference as ref

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

SPANISH = ("¿Dónde está el niño? ¡Allí, junto al señor Muñoz! El pingüino comió açaí, "
           "crème brûlée y piñones 🐧🍰. «Año nuevo», dijo. Ñandú, cigüeña.\n")


def lstm_numpy(params, ids, H=None):
    """Independent NumPy forward of an embed -> LSTM -> linear model over ids
    (T,): ``(logits (T, V), (h, c))``. A name kept for the tests that use it;
    the reference itself is ``reference.embed_lstm_forward``."""
    return ref.embed_lstm_forward(params, ids)
