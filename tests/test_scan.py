"""The compiled scan runner against a plain Python loop, and traces against outputs."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import reference as ref
from rnr import cells, scan

T, B, N_IN, H = 7, 3, 2, 5


def setup(name):
    cell = cells.get(name)
    params = cell.init(jax.random.PRNGKey(1), N_IN, H)
    xs = jax.random.normal(jax.random.PRNGKey(2), (T, B, N_IN))
    carry = jax.tree_util.tree_map(lambda z: z + 0.3, cell.zeros((B,), H))
    return cell, params, xs, carry


@pytest.mark.parametrize("name", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("unroll", [1, True])
def test_scan_equals_python_loop(name, unroll):
    cell, params, xs, carry = setup(name)
    c1, h1 = scan.run(cell, params, carry, xs, unroll=unroll)
    c2, h2 = scan.run_loop(cell, params, carry, xs)
    np.testing.assert_allclose(h1, h2, rtol=1e-6, atol=1e-6)
    for a, b in zip(c1, c2):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["rnn", "lstm", "gru"])
def test_traces_reproduce_outputs(name):
    cell, params, xs, carry = setup(name)
    c, hs = scan.run(cell, params, carry, xs)
    ct, tr = scan.run(cell, params, carry, xs, trace=True)
    assert set(tr) == set(cell.TRACED)
    np.testing.assert_array_equal(tr["h"], hs)
    np.testing.assert_array_equal(tr["h"][-1], c[0])
    for g in cell.GATES:
        assert tr[g].shape == (T, B, H)
        assert float(tr[g].min()) >= 0.0 and float(tr[g].max()) <= 1.0
    if name == "lstm":
        np.testing.assert_array_equal(tr["c"][-1], c[1])
        # C_t = f C_{t-1} + i g, recomputed from the traced gates
        c_prev = jnp.concatenate([carry[1][None], tr["c"][:-1]])
        np.testing.assert_allclose(tr["c"], tr["f"] * c_prev + tr["i"] * tr["g"], rtol=1e-6, atol=1e-6)


def test_lstm_sequence_matches_numpy_unroll():
    cell, params, xs, carry = setup("lstm")
    _, hs = scan.run(cell, params, carry, xs)
    p = {k: np.asarray(v, np.float64) for k, v in params.items()}
    h, c = (np.asarray(a, np.float64) for a in carry)
    for t in range(T):
        (h, c), _ = ref.lstm_forward(p, np.asarray(xs[t], np.float64), h, c)
        np.testing.assert_allclose(hs[t], h, rtol=1e-5, atol=1e-6)
