"""Dropout: ``model.drop`` keeps each element with probability 1 - rate and
scales what it keeps by 1 / (1 - rate); ``model.apply`` drops only between
stacked layers, layer n's input with the mask of ``fold_in(key, n)``."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import reference as ref
from rnr.engine import model

T, B, H = 6, 3, 5


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_drop_keeps_with_probability_one_minus_rate(rate):
    n = 200_000
    h = jax.random.normal(jax.random.PRNGKey(0), (n,)) + 3.0  # no zeros to confuse with dropped ones
    out = np.asarray(model.drop(jax.random.PRNGKey(1), h, rate))
    kept = out != 0
    # binomial count of kept elements, within 5 standard deviations
    mean, sd = n * (1 - rate), np.sqrt(n * rate * (1 - rate))
    assert abs(kept.sum() - mean) < 5 * sd, (kept.sum(), mean, sd)
    # the kept ones scaled by 1 / (1 - rate) up to float32 rounding (XLA may
    # multiply by the reciprocal: one unit in the last place), the rest exactly 0
    h = np.asarray(h)
    np.testing.assert_array_max_ulp(out[kept], h[kept] / np.float32(1 - rate), maxulp=1)
    assert np.all(out[~kept] == 0.0)


def test_drop_mask_depends_on_key_and_shape_only():
    """What makes the by-hand mask below the same as the model's."""
    key = jax.random.PRNGKey(2)
    a = jax.random.normal(jax.random.PRNGKey(3), (T, B, H)) + 3.0
    b = jax.random.normal(jax.random.PRNGKey(4), (T, B, H)) - 3.0
    np.testing.assert_array_equal(model.drop(key, a, 0.4) != 0, model.drop(key, b, 0.4) != 0)
    assert np.any((model.drop(key, a, 0.4) != 0) != (model.drop(jax.random.PRNGKey(5), a, 0.4) != 0))


def setup(cell, layers):
    cfg = model.ModelConfig(cell=cell, n_in=4, hidden=H, n_out=3, layers=layers, input="onehot")
    params = model.init(jax.random.PRNGKey(6), cfg)
    xs = jax.random.randint(jax.random.PRNGKey(7), (T, B), 0, 4)
    return cfg, params, xs


def test_one_layer_has_nothing_to_drop():
    cfg, params, xs = setup("lstm", 1)
    _, plain = model.apply(cfg, params, model.zeros(cfg, B), xs)
    _, dropped = model.apply(cfg, params, model.zeros(cfg, B), xs, dropout=0.5, key=jax.random.PRNGKey(8))
    np.testing.assert_array_equal(dropped, plain)


def masks_by_hand(key, rate, layers, fold=lambda n: n):
    """The scaled keep-mask of layer n's input, n = 1 .. layers - 1."""
    ones = jnp.ones((T, B, H))
    return {n: np.asarray(model.drop(jax.random.fold_in(key, fold(n)), ones, rate)) for n in range(1, layers)}


@pytest.mark.parametrize("cell,layers", [("lstm", 2), ("gru", 2), ("rnn", 3)])
def test_dropout_between_layers_matches_numpy(cell, layers):
    cfg, params, xs = setup(cell, layers)
    key, rate = jax.random.PRNGKey(9), 0.5
    carry, dropped = model.apply(cfg, params, model.zeros(cfg, B), xs, dropout=rate, key=key)
    _, plain = model.apply(cfg, params, model.zeros(cfg, B), xs)
    assert np.abs(np.asarray(dropped) - np.asarray(plain)).max() > 1e-3
    masks = masks_by_hand(key, rate, layers)
    assert all(0 < (m == 0).mean() < 1 for m in masks.values())
    ref_carry, want = ref.model_forward(cfg, params, xs, masks=masks)
    np.testing.assert_allclose(dropped, want, rtol=1e-5, atol=1e-5)
    for a, b in zip(jax.tree_util.tree_leaves(carry), jax.tree_util.tree_leaves(ref_carry), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    # control: the masks of other keys (fold_in(key, n + 1)) do not match
    _, other = ref.model_forward(cfg, params, xs, masks=masks_by_hand(key, rate, layers, lambda n: n + 1))
    assert np.abs(np.asarray(dropped) - other).max() > 1e-3
