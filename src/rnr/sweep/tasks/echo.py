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

from rnr.engine.tbptt import layout_rows

METRIC = "accuracy"  # the final metric a sweep reports (higher is better)
HIGHER_IS_BETTER = True
BASELINE = 0.5  # a memoryless guess of a random bit
SOLVED = 0.99
# the settings of `rnr sweep --task echo` that the user does not give: the
# tutorial's, with shorter epochs
SWEEP = dict(windows=(15,), delays=(3,), hidden=4, batch=5, epochs=20, series=10000, lr=0.3,
             optimizer="adagrad", clip=None, init="tutorial", forget_bias=0.0)
STREAMING = True  # one long series, stateful truncated BPTT (rnr.echo.experiment), not independent sequences


def baseline(delay: int) -> float:
    """Accuracy of guessing: 0.5 for every delay."""
    return BASELINE


def solved(accuracy: float, delay: int) -> bool:
    return accuracy >= SOLVED


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
