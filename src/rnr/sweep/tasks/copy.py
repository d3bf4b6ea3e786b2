"""The copy-memory task (Hochreiter & Schmidhuber 1997; in the form of
Arjovsky, Shah & Bengio 2016): remember 10 symbols across a gap of T steps.

Alphabet: 0 blank, 1..8 symbols, 9 delimiter. One sequence has T + 20 steps:

    input   s_1 .. s_10   0 x (T - 1)   9   0 x 10          (s_k uniform in 1..8)
    target  0 x (T + 10)                    s_1 .. s_10

Loss: cross-entropy averaged over all T + 20 steps. A model without memory
does best by saying "blank" for the first T + 10 steps and guessing one of
8 symbols uniformly for the last 10, which costs

    baseline(T) = 10 ln 8 / (T + 20).

Solved: loss at most ``SOLVED_FRACTION`` (10%) of the baseline, i.e. about
0.2 nats per recalled symbol instead of ln 8 = 2.08.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from rnr.sweep.tasks.defaults import GAP_TASKS

N_SYMBOLS = 10  # to remember
N_ALPHABET = 8  # symbols are 1..8
BLANK, DELIMITER = 0, 9
N_IN = 10  # input classes: blank, 8 symbols, delimiter
N_OUT = 9  # output classes: blank and the 8 symbols
SOLVED_FRACTION = 0.1
INPUT = "onehot"  # how rnr.engine.model reads the symbols
METRIC = "cross_entropy"  # the final metric a sweep reports (lower is better)
HIGHER_IS_BETTER = False
MIN_GAP = 1  # the smallest T the task is defined for
# the settings of `rnr sweep --task copy` that the user does not give
SWEEP = dict(lengths=(10, 20, 50, 100), **GAP_TASKS)


def length(T: int) -> int:
    """Steps in one sequence."""
    return T + 2 * N_SYMBOLS


def baseline(T: int) -> float:
    """Cross-entropy of the best memoryless prediction, 10 ln 8 / (T + 20)."""
    return N_SYMBOLS * math.log(N_ALPHABET) / length(T)


def solved(loss: float, T: int) -> bool:
    return loss <= SOLVED_FRACTION * baseline(T)


def batch(key, T: int, B: int):
    """B sequences, time-major: x, y of shape (T + 20, B), int32."""
    symbols = jax.random.randint(key, (N_SYMBOLS, B), 1, N_ALPHABET + 1, jnp.int32)
    blanks = jnp.zeros((T - 1, B), jnp.int32)
    delim = jnp.full((1, B), DELIMITER, jnp.int32)
    tail = jnp.zeros((N_SYMBOLS, B), jnp.int32)
    x = jnp.concatenate([symbols, blanks, delim, tail])
    y = jnp.concatenate([jnp.zeros((T + N_SYMBOLS, B), jnp.int32), symbols])
    return x, y


def loss(outputs, y):
    """Mean cross-entropy over every step; outputs (T+20, B, 9), y (T+20, B)."""
    from rnr.engine.tbptt import cross_entropy

    return cross_entropy(outputs, y)


def accuracy(outputs, y):
    """Fraction of recalled symbols right (see ``recall_accuracy``)."""
    return recall_accuracy(outputs, y)


def recall_accuracy(logits, y):
    """Fraction of the 10 recalled symbols predicted right; logits (T+20, B, 9)."""
    pred = jnp.argmax(logits[-N_SYMBOLS:], -1)
    return jnp.mean(pred == y[-N_SYMBOLS:])
