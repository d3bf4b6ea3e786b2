"""Copy-memory and adding generators: layout, targets, baselines."""

import math

import jax
import numpy as np
import pytest

from rnr.sweep.tasks import adding, copy


@pytest.mark.parametrize("T", [1, 2, 7, 30])
def test_copy_layout_and_alignment(T):
    x, y = (np.asarray(a) for a in copy.batch(jax.random.PRNGKey(T), T, 64))
    assert x.shape == y.shape == (T + 20, 64)
    assert x.dtype == y.dtype == np.int32
    assert np.all((x[:10] >= 1) & (x[:10] <= 8))  # 10 symbols from 1..8
    assert np.all(x[10:T + 9] == 0)  # T - 1 blanks
    assert np.all(x[T + 9] == 9)  # the delimiter
    assert np.all(x[T + 10:] == 0)  # 10 blanks while recalling
    assert np.all(y[:T + 10] == 0)  # blanks until the delimiter's successor
    np.testing.assert_array_equal(y[T + 10:], x[:10])  # then the same symbols in order
    assert len(np.unique(x[:10])) == 8  # all 8 symbols occur among 640 draws


@pytest.mark.parametrize("T", [1, 10, 100])
def test_copy_baseline_is_the_memoryless_optimum(T):
    """The best memoryless guess (certain blank, then 1/8 each symbol) costs
    exactly 10 ln 8 / (T + 20) on generated data."""
    _, y = (np.asarray(a) for a in copy.batch(jax.random.PRNGKey(0), T, 16))
    p = np.zeros(y.shape + (copy.N_OUT,))
    p[:T + 10, :, 0] = 1.0
    p[T + 10:, :, 1:9] = 1.0 / 8
    nll = -np.log(np.take_along_axis(p, y[..., None], -1)[..., 0])
    assert math.isclose(nll.mean(), 10 * math.log(8) / (T + 20), rel_tol=1e-9)
    assert math.isclose(copy.baseline(T), 10 * math.log(8) / (T + 20), rel_tol=1e-12)
    assert copy.solved(0.09 * copy.baseline(T), T) and not copy.solved(0.5 * copy.baseline(T), T)


@pytest.mark.parametrize("T", [2, 3, 11, 50])
def test_adding_markers_and_target(T):
    x, y = (np.asarray(a) for a in adding.batch(jax.random.PRNGKey(T), T, 500))
    assert x.shape == (T, 500, 2) and y.shape == (500,)
    values, markers = x[..., 0], x[..., 1]
    assert np.all((values >= 0) & (values < 1))
    assert set(np.unique(markers)) <= {0.0, 1.0}
    half = T // 2
    np.testing.assert_array_equal(markers[:half].sum(0), 1)  # exactly one in the first half
    np.testing.assert_array_equal(markers[half:].sum(0), 1)  # exactly one in the second half
    for b in range(0, 500, 37):
        (a1, a2) = np.flatnonzero(markers[:, b])
        np.testing.assert_allclose(y[b], values[a1, b] + values[a2, b], rtol=1e-6)


def test_adding_baseline_is_predicting_one():
    """Answering 1 scores Var(U + U') = 2/12 on generated data."""
    _, y = (np.asarray(a, np.float64) for a in adding.batch(jax.random.PRNGKey(7), 40, 200_000))
    mse = np.mean((1.0 - y) ** 2)
    assert abs(mse - 1 / 6) < 0.002
    assert math.isclose(adding.baseline(40), 2 / 12)
    assert adding.solved(0.009, 40) and not adding.solved(0.02, 40)


def test_generators_are_reproducible_and_vary():
    a = np.asarray(adding.batch(jax.random.PRNGKey(1), 10, 4)[0])
    b = np.asarray(adding.batch(jax.random.PRNGKey(1), 10, 4)[0])
    c = np.asarray(adding.batch(jax.random.PRNGKey(2), 10, 4)[0])
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
