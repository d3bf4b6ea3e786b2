"""Evaluation in nats per character, against the NumPy reference model.

``tbptt.make_evaluate`` sums -log p(y) over the positions the mask keeps,
windows run in order with the state carried across them; ``padded_rows``
lays a stream out so that each of its (input, target) pairs is counted once.
"""

import jax
import numpy as np
import pytest

import reference as ref
from rnr.engine import model, tbptt
from rnr.text.data import padded_rows

V, K, W, B = 7, 3, 4, 2


def small_model(cell):
    cfg = model.ModelConfig(cell=cell, n_in=V, hidden=5, n_out=V, layers=2, input="embed", embed_dim=3)
    params = model.init(jax.random.PRNGKey(0), cfg)
    # sharper logits than the init gives, so that a wrong target costs clearly more
    params["out"]["W"] = params["out"]["W"] * 4.0
    return cfg, params


def windows(seed=1):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, V, (K, W, B)).astype(np.int32)
    Y = rng.integers(0, V, (K, W, B)).astype(np.int32)
    M = (rng.random((K, W, B)) > 0.3).astype(np.float32)
    M[-1, -2:, :] = 0.0  # padding at the end, as padded_rows makes it
    return X, Y, M


def numpy_nll(cfg, params, X, Y, M, carry_across=True):
    """(sum of -log p(y) * M, sum of M) from the NumPy model forward."""
    carry, total = None, 0.0
    for x, y, m in zip(X, Y, M):
        carry, logits = ref.model_forward(cfg, params, x, carry if carry_across else None)
        logp = ref.log_softmax(logits)
        nll = -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]
        total += float(np.sum(nll * m))
    return total, float(np.sum(M))


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_masked_nats_match_numpy(cell):
    cfg, params = small_model(cell)
    X, Y, M = windows()
    assert 0 < M.sum() < M.size
    s, n = tbptt.make_evaluate(cfg)(params, X, Y, M)
    want_s, want_n = numpy_nll(cfg, params, X, Y, M)
    assert float(n) == want_n
    np.testing.assert_allclose(float(s) / float(n), want_s / want_n, rtol=1e-5)
    np.testing.assert_allclose(float(s), want_s, rtol=1e-5)
    # the state is carried from window to window: restarting each window from
    # zeros gives another number, so the comparison above can tell
    restarted, _ = numpy_nll(cfg, params, X, Y, M, carry_across=False)
    assert abs(restarted - want_s) > 1e-3 * abs(want_s)


def test_only_unmasked_targets_count():
    cfg, params = small_model("lstm")
    X, Y, M = windows(seed=2)
    evaluate = tbptt.make_evaluate(cfg)
    s0, n0 = evaluate(params, X, Y, M)
    masked = tuple(np.argwhere(M == 0)[0])
    kept = tuple(np.argwhere(M == 1)[0])
    Y_masked, Y_kept = Y.copy(), Y.copy()
    Y_masked[masked] = (Y[masked] + 1) % V
    Y_kept[kept] = (Y[kept] + 1) % V
    s1, n1 = evaluate(params, X, Y_masked, M)
    s2, n2 = evaluate(params, X, Y_kept, M)
    assert float(n0) == float(n1) == float(n2) == M.sum()
    assert float(s1) == pytest.approx(float(s0), rel=1e-6)
    assert abs(float(s2) - float(s0)) > 1e-4
    np.testing.assert_allclose(float(s2), numpy_nll(cfg, params, X, Y_kept, M)[0], rtol=1e-5)


@pytest.mark.parametrize("n,batch,window", [(23, 3, 4), (24, 3, 4), (9, 1, 3), (4, 5, 2), (40, 4, 5)])
def test_padded_rows_count_every_pair_once(n, batch, window):
    ids = np.arange(100, 100 + n)  # distinct symbols: a pair (t, t + 1) names its position
    X, Y, M = padded_rows(ids, batch, window)
    assert X.shape == Y.shape == M.shape and X.shape[1:] == (window, batch)
    assert M.sum() == n - 1
    kept = M == 1
    pairs = sorted(zip(X[kept].tolist(), Y[kept].tolist()))
    assert pairs == [(100 + t, 101 + t) for t in range(n - 1)]
    assert set(np.unique(M)) <= {0.0, 1.0}
    # each row is one stretch of the stream, in order, padding only at its end
    for b in range(batch):
        m = M[:, :, b].reshape(-1)
        x = X[:, :, b].reshape(-1)[m == 1]
        assert np.all(np.diff(x) == 1)
        assert np.all(m[:int(m.sum())] == 1)


def test_padded_rows_through_evaluate_equal_the_stream():
    """A stream evaluated through padded_rows and make_evaluate gives the
    NumPy model's nats over each row's stretch of the stream, from zeros."""
    cfg, params = small_model("gru")
    rng = np.random.default_rng(5)
    ids = rng.integers(0, V, 30)
    batch, window = 3, 4
    s, n = tbptt.make_evaluate(cfg)(params, *padded_rows(ids, batch, window))
    length = -(-(len(ids) - 1) // batch)
    total = 0.0
    for r in range(batch):
        stretch = ids[r * length:min((r + 1) * length, len(ids) - 1) + 1]
        _, logits = ref.model_forward(cfg, params, stretch[:-1, None])
        logp = ref.log_softmax(logits[:, 0])
        total -= float(np.sum(logp[np.arange(len(stretch) - 1), stretch[1:]]))
    assert float(n) == len(ids) - 1
    np.testing.assert_allclose(float(s) / float(n), total / (len(ids) - 1), rtol=1e-5)
