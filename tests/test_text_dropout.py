"""Dropout in rnr.engine.model.apply: off by default, only between stacked layers."""

import jax
import numpy as np

from rnr.engine import model


def _run(layers, **kw):
    cfg = model.ModelConfig(cell="gru", n_in=7, hidden=5, n_out=7, layers=layers, input="embed", embed_dim=3)
    params = model.init(jax.random.PRNGKey(0), cfg)
    x = np.arange(12).reshape(4, 3) % 7
    return np.asarray(model.apply(cfg, params, model.zeros(cfg, 3), x, **kw)[1])


def test_one_layer_has_nothing_to_drop():
    np.testing.assert_array_equal(_run(1), _run(1, dropout=0.5, key=jax.random.PRNGKey(1)))


def test_two_layers_masks_depend_on_the_key_and_zero_is_off():
    a = _run(2, dropout=0.5, key=jax.random.PRNGKey(1))
    b = _run(2, dropout=0.5, key=jax.random.PRNGKey(2))
    assert not np.allclose(a, b)
    np.testing.assert_array_equal(_run(2), _run(2, dropout=0.0, key=jax.random.PRNGKey(1)))
    np.testing.assert_array_equal(a, _run(2, dropout=0.5, key=jax.random.PRNGKey(1)))
