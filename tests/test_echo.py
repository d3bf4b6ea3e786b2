"""The echo task's data, and honest learning checks on it."""

import numpy as np
import pytest

from rnr.echo import experiment as eco
from rnr.sweep.tasks import echo


def test_target_is_input_delayed():
    x, y = echo.series(np.random.default_rng(0), 1000, 3)
    assert set(np.unique(x)) == {0, 1}
    np.testing.assert_array_equal(y[:3], 0)
    np.testing.assert_array_equal(y[3:], x[:-3])
    x0, y0 = echo.series(np.random.default_rng(0), 1000, 0)
    np.testing.assert_array_equal(y0, x0)


def test_rows_are_laid_out_like_the_tutorial():
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    xr, yr = echo.rows(rng_a, 60, 3, 5)
    x, y = echo.series(rng_b, 60, 3)
    assert xr.shape == (5, 12)
    for r in range(5):
        np.testing.assert_array_equal(xr[r], x[12 * r:12 * (r + 1)])
    # row 1 starts with targets that echo the end of row 0
    np.testing.assert_array_equal(yr[1, :3], xr[0, -3:])


def test_predictable_mask_leaves_out_first_delay_steps():
    m = echo.predictable(5, 10, 3)
    assert m.sum() == 5 * 7 and not m[:, :3].any()


def test_reduced_echo_learns():
    cfg = eco.EcoConfig(epochs=15, seed=0)
    r = eco.train(cfg)
    assert r.summary["final_loss"] < 0.01
    assert r.summary["accuracy"] > 0.999
    assert r.losses.shape == (15, cfg.windows)
    # a memoryless guess scores ln 2; the first epoch starts there
    assert r.losses[0, :20].mean() > 0.5


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_cells_learn_the_echo(cell):
    r = eco.train(eco.EcoConfig(epochs=6, cell=cell, init="torch", optimizer="adam", lr=0.02))
    assert r.summary["accuracy"] > 0.99


def test_same_seed_same_losses_and_other_seed_differs():
    cfg = eco.EcoConfig(epochs=2, length=5000, seed=7)
    a, b = eco.train(cfg), eco.train(cfg)
    np.testing.assert_array_equal(a.losses, b.losses)
    c = eco.train(eco.EcoConfig(epochs=2, length=5000, seed=8))
    assert not np.array_equal(a.losses, c.losses)


def test_chunking_does_not_change_the_math():
    cfg = eco.EcoConfig(epochs=2, length=3000, seed=3)
    whole = eco.train(cfg).losses
    chunked = eco.train(eco.EcoConfig(epochs=2, length=3000, seed=3, chunk=7)).losses
    np.testing.assert_allclose(whole, chunked, rtol=1e-5, atol=1e-7)


def test_explicit_params_and_data_are_used():
    import jax

    from rnr.engine import model

    cfg = eco.EcoConfig(epochs=1, length=600, window=4, batch=2, lr=0.1, optimizer="sgd")
    zero = jax.tree_util.tree_map(lambda a: a * 0, model.init(jax.random.PRNGKey(0), cfg.model()))
    X = np.zeros((75, 4, 2), np.int32)
    r = eco.train(cfg, params=zero, data=lambda e: (X, X))
    # all-zero weights give equal logits, so the first loss is exactly ln 2
    np.testing.assert_allclose(r.losses[0, 0], np.log(2), rtol=1e-6)
