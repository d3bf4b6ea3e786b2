"""rnr.engine.traces.collect against an independent NumPy forward pass."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from rnr.engine import cells, model, traces

import reference as ref


@pytest.mark.parametrize("cell,inp", [("lstm", "vector"), ("gru", "onehot"), ("rnn", "embed")])
def test_traces_match_numpy_and_model(cell, inp):
    T, B, H = 7, 3, 5
    cfg = model.ModelConfig(cell=cell, n_in=4 if inp != "vector" else 2, hidden=H, n_out=3, layers=2,
                            input=inp, embed_dim=3 if inp == "embed" else 0, init="torch")
    params = model.init(jax.random.PRNGKey(1), cfg)
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(T, B, 2)).astype(np.float32) if inp == "vector" else rng.integers(0, 4, (T, B))
    got = traces.collect(cfg, params, xs)

    # every documented key and shape
    assert got.names() == cells.get(cell).TRACED
    assert len(got.layers) == 2
    for d in got.layers:
        for v in d.values():
            assert v.shape == (T, B, H)
    assert got.logits.shape == got.probs.shape == (T, B, 3) and got.pred.shape == (T, B)

    # the outputs are exactly the model's
    _, logits = model.apply(cfg, params, model.zeros(cfg, B), xs)
    np.testing.assert_allclose(got.logits, np.asarray(logits), rtol=0, atol=1e-6)
    np.testing.assert_array_equal(got.pred, np.asarray(logits).argmax(-1))

    # and every quantity agrees with NumPy
    _, logits_np, layers = ref.model_forward(cfg, params, xs, trace=True)
    np.testing.assert_allclose(got.logits, logits_np, atol=2e-5)
    p = np.exp(logits_np - logits_np.max(-1, keepdims=True))
    np.testing.assert_allclose(got.probs, p / p.sum(-1, keepdims=True), atol=2e-6)
    for mine, theirs in zip(got.layers, layers):
        assert set(mine) == set(theirs)
        for k in mine:
            np.testing.assert_allclose(mine[k], theirs[k], atol=2e-5, err_msg=k)

    # gates lie in [0, 1], candidates and hidden states in [-1, 1]
    for d in got.layers:
        for k, v in d.items():
            if k in traces.GATE_KEYS:
                assert v.min() >= 0 and v.max() <= 1
            elif k != "c":
                assert np.abs(v).max() <= 1


def test_carry_continues_the_sequence():
    cfg = model.ModelConfig(cell="lstm", n_in=1, hidden=3, n_out=2, init="torch")
    params = model.init(jax.random.PRNGKey(2), cfg)
    xs = np.random.default_rng(1).integers(0, 2, (10, 2))
    whole = traces.collect(cfg, params, xs)
    first = traces.collect(cfg, params, xs[:4])
    rest = traces.collect(cfg, params, xs[4:], carry=first.carry)
    np.testing.assert_allclose(np.concatenate([first.layers[0]["c"], rest.layers[0]["c"]]),
                               whole.layers[0]["c"], atol=1e-6)
