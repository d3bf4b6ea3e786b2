"""The compiled scan runner against a plain Python loop, and traces against outputs."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import reference as ref
from rnr.engine import cells, model, scan

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


@pytest.mark.parametrize("name", ref.CELLS)
def test_sequence_and_traces_match_numpy(name):
    """Every traced gate and state at every step, and the final carry, from a
    non-zero initial carry, against the NumPy reference's sequence runner."""
    cell, params, xs, carry = setup(name)
    c, tr = scan.run(cell, params, carry, xs, trace=True)
    ref_c, ref_tr, _ = ref.run(name, params, xs, carry)
    assert set(tr) == set(ref_tr) == set(cell.TRACED)
    for k in ref_tr:
        np.testing.assert_allclose(tr[k], ref_tr[k], rtol=1e-5, atol=1e-6, err_msg=k)
    for a, b in zip(c, ref_c, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,inp", [("rnn", "vector"), ("gru", "onehot"), ("lstm_peephole", "embed"),
                                      ("lstm_coupled", "vector"), ("lstm_nofg", "onehot"), ("lstm", "embed")])
def test_model_apply_matches_numpy_model_forward(name, inp):
    """The whole model, two layers, two windows with the carry passed on."""
    cfg = model.ModelConfig(cell=name, n_in=3, hidden=H, n_out=4, layers=2, input=inp,
                            embed_dim=2 if inp == "embed" else 0)
    params = model.init(jax.random.PRNGKey(3), cfg)
    if inp == "vector":
        xs = jax.random.normal(jax.random.PRNGKey(4), (2, T, B, 3))
    else:
        xs = jax.random.randint(jax.random.PRNGKey(4), (2, T, B), 0, 3)
    carry, ref_carry = model.zeros(cfg, B), None
    for x in xs:
        carry, logits = model.apply(cfg, params, carry, x)
        ref_carry, ref_logits = ref.model_forward(cfg, params, x, ref_carry)
        assert logits.shape == ref_logits.shape == (T, B, 4)
        np.testing.assert_allclose(logits, ref_logits, rtol=1e-5, atol=1e-5)
        for a, b in zip(jax.tree_util.tree_leaves(carry), jax.tree_util.tree_leaves(ref_carry), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
