"""The adding problem (Hochreiter & Schmidhuber 1997; in the form of
Le, Jaitly & Hinton 2015 and Arjovsky et al. 2016): add two numbers seen
up to T steps before the answer is asked for.

Input, T steps of 2 channels:
    channel 0: values v_t uniform in [0, 1)
    channel 1: markers, 1 at exactly one step a in [0, T // 2) and one step
               b in [T // 2, T), 0 elsewhere
Target, read from the last step's single output: y = v_a + v_b.

Loss: mean squared error. Always answering 1 (the mean of y) scores the
variance of a sum of two uniforms, 2/12:

    baseline = 1/6 ~ 0.167.

Solved: mean squared error at most ``SOLVED_MSE`` = 0.01 (6% of the baseline).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from rnr.sweep.tasks.defaults import GAP_TASKS

N_IN = 2
N_OUT = 1
BASELINE = 1.0 / 6.0
SOLVED_MSE = 0.01
INPUT = "vector"  # values and markers, two real channels
METRIC = "mse"  # the final metric a sweep reports (lower is better)
HIGHER_IS_BETTER = False
MIN_GAP = 2  # the smallest T the task is defined for
# the settings of `rnr sweep --task adding` that the user does not give
SWEEP = dict(lengths=(10, 50, 100, 200), **GAP_TASKS)


def length(T: int) -> int:
    """Steps in one sequence."""
    return T


def baseline(T: int) -> float:
    """Mean squared error of always answering 1; the same for every T."""
    return BASELINE


def solved(mse: float, T: int) -> bool:
    return mse <= SOLVED_MSE


def loss(outputs, y):
    """Mean squared error of the last step's single output; outputs (T, B, 1), y (B,)."""
    return jnp.mean((outputs[-1, :, 0] - y) ** 2)


def accuracy(outputs, y):
    """The adding problem has no accuracy: NaN."""
    return jnp.float32(jnp.nan)


def batch(key, T: int, B: int):
    """B sequences: x (T, B, 2) float32, y (B,) float32."""
    kv, ka, kb = jax.random.split(key, 3)
    values = jax.random.uniform(kv, (T, B), jnp.float32)
    a = jax.random.randint(ka, (B,), 0, T // 2)
    b = jax.random.randint(kb, (B,), T // 2, T)
    steps = jnp.arange(T)[:, None]
    markers = ((steps == a) | (steps == b)).astype(jnp.float32)
    y = jnp.sum(values * markers, axis=0)
    return jnp.stack([values, markers], axis=-1), y
