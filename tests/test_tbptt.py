"""Stateful truncated BPTT: layout, carried state, cut gradients, and a whole
training run against an independent PyTorch implementation."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from rnr.engine import model, optim, tbptt


def test_layout_rows_and_windows_follow_the_tutorial():
    series = np.arange(36)
    rows = tbptt.layout_rows(series, 3)  # the tutorial's picture: 3 rows of 12
    assert rows.shape == (3, 12)
    np.testing.assert_array_equal(rows[1], np.arange(12, 24))
    win = tbptt.to_windows(rows, 3)  # (windows, steps, rows)
    assert win.shape == (4, 3, 3)
    # window 1 covers steps 3..5 of every row: 3-5, 15-17, 27-29
    np.testing.assert_array_equal(win[1].T, [[3, 4, 5], [15, 16, 17], [27, 28, 29]])
    # a tail that fills no whole window is dropped
    assert tbptt.to_windows(tbptt.layout_rows(np.arange(50), 5), 3).shape == (3, 3, 5)


def vector_model(cell):
    cfg = model.ModelConfig(cell=cell, n_in=2, hidden=3, n_out=2, input="vector")
    return cfg, model.init(jax.random.PRNGKey(0), cfg)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_carried_state_equals_one_unroll(cell):
    cfg, params = vector_model(cell)
    xs = jax.random.normal(jax.random.PRNGKey(1), (20, 4, 2))
    _, whole = model.apply(cfg, params, model.zeros(cfg, 4), xs)
    carry, parts = model.zeros(cfg, 4), []
    for k in range(4):
        carry, logits = model.apply(cfg, params, carry, xs[5 * k:5 * (k + 1)])
        parts.append(logits)
    np.testing.assert_allclose(jnp.concatenate(parts), whole, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_gradient_stops_at_window_edges(cell):
    cfg, params = vector_model(cell)
    x_prev = jax.random.normal(jax.random.PRNGKey(2), (5, 4, 2))
    x_k = jax.random.normal(jax.random.PRNGKey(3), (5, 4, 2))
    y_k = jnp.ones((5, 4), jnp.int32)

    def loss_k(x_prev, x_k, truncated=True):
        carry, _ = model.apply(cfg, params, model.zeros(cfg, 4), x_prev)  # window k-1
        if truncated:
            return tbptt.window_loss(cfg, params, carry, x_k, y_k)[0]
        _, logits = model.apply(cfg, params, carry, x_k)
        return tbptt.cross_entropy(logits, y_k)

    g_prev, g_k = jax.grad(loss_k, argnums=(0, 1))(x_prev, x_k)
    assert float(jnp.abs(g_prev).max()) == 0.0
    assert float(jnp.abs(g_k).max()) > 0.0
    # without truncation the same loss does reach window k-1 (the check can fail)
    g_full = jax.grad(lambda a: loss_k(a, x_k, truncated=False))(x_prev)
    assert float(jnp.abs(g_full).max()) > 0.0


def test_cross_entropy_matches_numpy():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 3, 5)).astype(np.float32)
    y = rng.integers(0, 5, size=(4, 3))
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    expected = -np.mean(np.log(np.take_along_axis(p, y[..., None], -1)))
    np.testing.assert_allclose(tbptt.cross_entropy(jnp.asarray(logits), jnp.asarray(y)), expected, rtol=1e-6)


def test_training_matches_pytorch_window_by_window():
    """Same initial weights, same data: rnr's compiled TBPTT and the tutorial's
    explicit cell in eager PyTorch give the same loss at every window."""
    torch_echo = pytest.importorskip("peers.torch_echo")
    from rnr.echo.experiment import EcoConfig, epoch_data

    cfg = EcoConfig(epochs=2, length=3000, seed=4)
    mcfg = cfg.model()
    params = model.init(jax.random.PRNGKey(cfg.seed), mcfg)
    rng = np.random.default_rng(0)
    data = [epoch_data(cfg, rng) for _ in range(cfg.epochs)]
    ref_losses, ref_params = torch_echo.train_eager(params, data, lr=cfg.lr)

    opt = optim.make("adagrad", cfg.lr)
    chunk = tbptt.make_train_chunk(mcfg, opt)
    p, s = params, opt.init(params)
    for (X, Y), expected in zip(data, ref_losses):
        p, s, _, losses, _ = chunk(p, s, model.zeros(mcfg, cfg.batch), X, Y)
        np.testing.assert_allclose(losses, expected, rtol=2e-4, atol=1e-5)
    np.testing.assert_allclose(p["layers"][0]["W"], ref_params["layers"][0]["W"], rtol=1e-3, atol=1e-4)
