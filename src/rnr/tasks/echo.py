"""The tutorial's echo task: repeat a random bit stream ``delay`` steps later.

    x_t ~ Bernoulli(0.5)
    y_t = x_{t - delay}   for t >= delay,   y_t = 0 before

The series is generated whole and then laid out as batch rows, so row r > 0
begins with targets that echo the end of row r-1: no model that starts a row
from a zero state can predict its first ``delay`` targets, which is why the
accuracy leaves them out.
"""

from __future__ import annotations

import numpy as np

from rnr.tbptt import layout_rows


def series(rng: np.random.Generator, length: int, delay: int):
    """A random bit series x (length,) and its echo y, both int32."""
    x = rng.integers(0, 2, size=length).astype(np.int32)
    y = np.roll(x, delay)
    y[:delay] = 0
    return x, y


def rows(rng: np.random.Generator, length: int, delay: int, batch: int):
    """``series`` laid out as (batch, length // batch) rows, x then y."""
    x, y = series(rng, length, delay)
    return layout_rows(x, batch), layout_rows(y, batch)


def predictable(batch: int, row_length: int, delay: int):
    """Mask (batch, row_length): True where the target can be predicted
    from the row itself, i.e. every step but the first ``delay``."""
    mask = np.ones((batch, row_length), bool)
    mask[:, :delay] = False
    return mask
