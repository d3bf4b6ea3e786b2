"""The LSTM variants against a NumPy forward and a hand-written backward
(backpropagation through time written out step by step), and that backward
against finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from rnr import cells, scan

KINDS = ("lstm", "lstm_peephole", "lstm_coupled", "lstm_nofg")
FOUR_BLOCKS = ("lstm", "lstm_peephole")


def sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def np_forward(kind, P, xs, h, c):
    """Hidden states (T, B, H) and what the backward pass needs."""
    n_hid = h.shape[-1]
    cache, hs = [], []
    for x in xs:
        z = np.concatenate([x, h], -1)
        a = z @ P["W"] + P["b"]
        blocks = np.split(a, 4 if kind in FOUR_BLOCKS else 3, axis=-1)
        if kind in FOUR_BLOCKS:
            a_f, a_i, a_g, a_o = blocks
        else:
            a_i, a_g, a_o = blocks
        if kind == "lstm_peephole":
            a_f = a_f + P["pf"] * c
            a_i = a_i + P["pi"] * c
        i, g = sig(a_i), np.tanh(a_g)
        f = {"lstm_coupled": lambda: 1.0 - i, "lstm_nofg": lambda: np.ones_like(i)}.get(kind, lambda: sig(a_f))()
        c_new = f * c + i * g
        if kind == "lstm_peephole":
            a_o = a_o + P["po"] * c_new
        o = sig(a_o)
        h = o * np.tanh(c_new)
        cache.append((z, c, i, f, g, c_new, o))
        c = c_new
        hs.append(h)
    assert h.shape[-1] == n_hid
    return np.array(hs), cache


def np_backward(kind, P, cache, dhs, n_in):
    """Gradients of sum(dhs * hs) with respect to every parameter."""
    grads = {k: np.zeros_like(v) for k, v in P.items()}
    dh_next = np.zeros_like(dhs[0])
    dc_next = np.zeros_like(dhs[0])
    for t in reversed(range(len(cache))):
        z, c_prev, i, f, g, c, o = cache[t]
        dh = dhs[t] + dh_next
        tc = np.tanh(c)
        da_o = dh * tc * o * (1 - o)
        dc = dc_next + dh * o * (1 - tc ** 2)
        if kind == "lstm_peephole":
            dc = dc + da_o * P["po"]
            grads["po"] += np.sum(da_o * c, axis=0)
        df, di, dg = dc * c_prev, dc * g, dc * i
        if kind == "lstm_coupled":
            di = di - df  # f = 1 - i
        da_i = di * i * (1 - i)
        da_g = dg * (1 - g ** 2)
        dc_prev = dc * f
        if kind in FOUR_BLOCKS:
            da_f = df * f * (1 - f)
            da = np.concatenate([da_f, da_i, da_g, da_o], -1)
        else:
            da = np.concatenate([da_i, da_g, da_o], -1)
        if kind == "lstm_peephole":
            dc_prev = dc_prev + da_f * P["pf"] + da_i * P["pi"]
            grads["pf"] += np.sum(da_f * c_prev, axis=0)
            grads["pi"] += np.sum(da_i * c_prev, axis=0)
        grads["W"] += z.T @ da
        grads["b"] += da.sum(0)
        dh_next = da @ P["W"][n_in:].T
        dc_next = dc_prev
    return grads


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
    P = {k: np.asarray(v, np.float64) for k, v in params.items()}
    B, H = xs.shape[1], params["W"].shape[1] // (4 if kind in FOUR_BLOCKS else 3)
    (h_last, c_last), hs = scan.run(cell, params, cell.zeros((B,), H), jnp.asarray(xs))
    ref, cache = np_forward(kind, P, xs.astype(np.float64), np.zeros((B, H)), np.zeros((B, H)))
    np.testing.assert_allclose(hs, ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c_last, cache[-1][5], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_match_handwritten_backward(kind):
    cell, params, xs, R = setup(kind, seed=1)
    B, H = xs.shape[1], R.shape[-1]

    def loss(p):
        _, hs = scan.run(cell, p, cell.zeros((B,), H), jnp.asarray(xs))
        return jnp.sum(hs * R)

    got = jax.grad(loss)(params)
    P = {k: np.asarray(v, np.float64) for k, v in params.items()}
    _, cache = np_forward(kind, P, xs.astype(np.float64), np.zeros((B, H)), np.zeros((B, H)))
    ref = np_backward(kind, P, cache, R.astype(np.float64), xs.shape[-1])
    assert set(got) == set(ref)
    for k in ref:
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-4, atol=1e-5, err_msg=f"{kind} d/d{k}")


@pytest.mark.parametrize("kind", KINDS)
def test_handwritten_backward_matches_finite_differences(kind):
    _, params, xs, R = setup(kind, seed=2)
    P = {k: np.asarray(v, np.float64) for k, v in params.items()}
    B, H = xs.shape[1], R.shape[-1]
    x64, R64 = xs.astype(np.float64), R.astype(np.float64)

    def loss(P):
        hs, _ = np_forward(kind, P, x64, np.zeros((B, H)), np.zeros((B, H)))
        return np.sum(hs * R64)

    _, cache = np_forward(kind, P, x64, np.zeros((B, H)), np.zeros((B, H)))
    grads = np_backward(kind, P, cache, R64, xs.shape[-1])
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
