"""The LSTM variants against the NumPy reference (tests/reference.py): its
forward, and for every cell its hand-written backward (backpropagation through
time written out step by step), and that backward against finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import reference as ref
from rnr.engine import cells, scan

KINDS = ref.LSTMS  # lstm, lstm_peephole, lstm_coupled, lstm_nofg


def np_forward(kind, P, xs):
    """The reference's hidden states (T, B, H), final carry and caches, from zeros."""
    carry, trace, caches = ref.run(kind, P, xs)
    return trace["h"], carry, caches


def setup(kind, T=5, B=3, n_in=2, H=3, seed=0):
    cell = cells.get(kind)
    params = cell.init(jax.random.PRNGKey(seed), n_in, H, "torch", forget_bias=1.0)
    rng = np.random.default_rng(seed)
    # larger weights than the init so that every gate works away from 0.5
    params = {k: v + jnp.asarray(rng.normal(0, 0.5, v.shape), jnp.float32) for k, v in params.items()}
    xs = rng.normal(size=(T, B, n_in)).astype(np.float32)
    R = rng.normal(size=(T, B, H)).astype(np.float32)
    return cell, params, xs, R


@pytest.mark.parametrize("kind", KINDS)
def test_forward_matches_numpy(kind):
    cell, params, xs, _ = setup(kind)
    P = ref.as64(params)
    B, H = xs.shape[1], ref.hidden_size(kind, P)
    (h_last, c_last), hs = scan.run(cell, params, cell.zeros((B,), H), jnp.asarray(xs))
    ref_hs, (ref_h, ref_c), _ = np_forward(kind, P, xs)
    np.testing.assert_allclose(hs, ref_hs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h_last, ref_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c_last, ref_c, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", ref.CELLS)
def test_gradients_match_handwritten_backward(kind):
    cell, params, xs, R = setup(kind, seed=1)
    B, H = xs.shape[1], R.shape[-1]

    def loss(p):
        _, hs = scan.run(cell, p, cell.zeros((B,), H), jnp.asarray(xs))
        return jnp.sum(hs * R)

    got = jax.grad(loss)(params)
    P = ref.as64(params)
    _, _, caches = np_forward(kind, P, xs)
    want, _, _ = ref.run_backward(kind, P, caches, R)
    assert set(got) == set(want)
    for k in want:
        np.testing.assert_allclose(got[k], want[k], rtol=1e-4, atol=1e-5, err_msg=f"{kind} d/d{k}")


@pytest.mark.parametrize("kind", ref.CELLS)
def test_handwritten_backward_matches_finite_differences(kind):
    _, params, xs, R = setup(kind, seed=2)
    P = ref.as64(params)
    x64, R64 = xs.astype(np.float64), R.astype(np.float64)

    def loss(P):
        return np.sum(np_forward(kind, P, x64)[0] * R64)

    grads, _, _ = ref.run_backward(kind, P, np_forward(kind, P, x64)[2], R64)
    rng = np.random.default_rng(3)
    eps = 1e-6
    for k, v in P.items():
        for _ in range(4):
            idx = tuple(rng.integers(0, s) for s in v.shape)
            plus, minus = {**P, k: v.copy()}, {**P, k: v.copy()}
            plus[k][idx] += eps
            minus[k][idx] -= eps
            fd = (loss(plus) - loss(minus)) / (2 * eps)
            np.testing.assert_allclose(grads[k][idx], fd, rtol=1e-5, atol=1e-7, err_msg=f"{kind} {k}{idx}")


def test_forget_bias_option():
    """1.0 raises the forget gate's bias (lstm, peephole), lowers the coupled
    input gate's (f = 1 - i), and is ignored without a forget gate."""
    key = jax.random.PRNGKey(4)
    for kind, block, sign in (("lstm", 0, 1), ("lstm_peephole", 0, 1), ("lstm_coupled", 0, -1), ("lstm_nofg", 0, 0)):
        cell = cells.get(kind)
        b0 = np.asarray(cell.init(key, 2, 3, forget_bias=0.0)["b"])
        b1 = np.asarray(cell.init(key, 2, 3, forget_bias=1.0)["b"])
        np.testing.assert_allclose(b1[:3] - b0[:3], sign * np.ones(3), atol=1e-6)
        np.testing.assert_array_equal(b1[3:], b0[3:])


def test_variants_registered_with_traces():
    for kind in KINDS[1:]:
        cell = cells.get(kind)
        params = cell.init(jax.random.PRNGKey(0), 2, 3)
        _, tr = scan.run(cell, params, cell.zeros((1,), 3), jnp.ones((4, 1, 2)), trace=True)
        assert set(tr) == set(cell.TRACED)
        if "f" in tr and kind == "lstm_coupled":
            np.testing.assert_allclose(tr["f"], 1 - tr["i"], atol=1e-6)
