"""minGRU, minLSTM and LRU: the whole-window parallel form (``cell.layer``,
``rnr.engine.cells.linear_scan``) against the same cell step by step, against the
NumPy float64 reference (tests/reference.py), against finite differences;
the carried state across windows, padding, and controls that show the checks
can fail."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import reference as ref
from rnr.engine import cells, model, scan
from rnr.engine.cells import linear_scan

MIN = ("mingru", "minlstm", "lru")
METHODS = {"mingru": ("associative", "log", "sequential", "chunked"),
           "minlstm": ("associative", "log", "sequential", "chunked"), "lru": ("associative", "sequential", "chunked")}
CASES = [(name, m) for name in MIN for m in METHODS[name]]
T, B, N_IN, H = 13, 3, 2, 4


def case(name, seed=0, dtype=jnp.float64):
    """Params (init plus noise, so no gate sits at its init), xs (T, B, n_in),
    a nonzero carry (positive: the state of a positive recurrence), upstream R."""
    rng = np.random.default_rng(seed)
    p = cells.get(name).init(jax.random.PRNGKey(seed), N_IN, H, forget_bias=1.0)
    p = {k: jnp.asarray(np.asarray(v) + rng.normal(0, 0.3, v.shape), dtype) for k, v in p.items()}
    xs = jnp.asarray(rng.normal(size=(T, B, N_IN)), dtype)
    carry = tuple(jnp.asarray(rng.uniform(0.1, 1.0, (B, H)), dtype) for _ in cells.get(name).zeros((B,), H))
    R = jnp.asarray(rng.normal(size=(T, B, H)), dtype)
    return p, xs, carry, R


def loss_of(forward, R):
    """A scalar of the outputs and the final carry, so both carry gradients."""
    def loss(p, carry, xs):
        c, hs = forward(p, carry, xs)
        return jnp.sum(hs * R) + sum(jnp.sum(jnp.sin(a)) for a in c)
    return loss


def stepwise(name):
    return lambda p, c, xs: scan.run(cells.get(name), p, c, xs)


def parallel(name, method):
    return lambda p, c, xs: cells.get(name).layer(p, c, xs, method=method)


def forward_and_grads(forward, R, *args):
    """(outputs, gradients) compiled as one program (op by op, an associative
    scan dispatches hundreds of slices)."""
    return jax.jit(lambda *a: (forward(*a), jax.grad(loss_of(forward, R), argnums=(0, 1, 2))(*a)))(*args)


def close(a, b, rtol=1e-10, atol=1e-12, msg=""):
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=rtol, atol=atol, err_msg=msg)


@pytest.mark.parametrize("name,method", CASES)
def test_parallel_equals_step_values_and_gradients(name, method):
    with jax.enable_x64(True):
        p, xs, carry, R = case(name)
        out_par, g_par = forward_and_grads(parallel(name, method), R, p, carry, xs)
        out_step, g_step = forward_and_grads(stepwise(name), R, p, carry, xs)
    close(out_par, out_step)
    assert set(g_par[0]) == set(p)
    close(g_par, g_step, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("name", MIN)
def test_matches_numpy_reference(name):
    """Float64 NumPy forward (every traced value) and backward (BPTT written out)."""
    with jax.enable_x64(True):
        p, xs, carry, R = case(name, seed=1)
        c, hs = jax.jit(cells.get(name).layer)(p, carry, xs)
        _, traces = jax.jit(lambda p: scan.run(cells.get(name), p, carry, xs, trace=True))(p)
        g = jax.jit(jax.grad(lambda p: jnp.sum(cells.get(name).layer(p, carry, xs)[1] * R)))(p)
    ref_c, ref_trace, caches = ref.run(name, p, xs, carry)
    close(hs, ref_trace["h"])
    close(c, ref_c)
    assert set(traces) == set(ref_trace) == set(cells.get(name).TRACED)
    for k in ref_trace:
        close(traces[k], ref_trace[k], msg=k)
    ref_grads, _, _ = ref.run_backward(name, ref.as64(p), caches, np.asarray(R))
    assert set(g) == set(ref_grads)
    for k in ref_grads:
        close(g[k], ref_grads[k], rtol=1e-9, atol=1e-11, msg=k)


@pytest.mark.parametrize("name", MIN)
def test_gradients_match_finite_differences(name):
    eps = 1e-6
    with jax.enable_x64(True):
        p, xs, carry, R = case(name, seed=2)
        loss = jax.jit(loss_of(parallel(name, None), R))
        g = jax.jit(jax.grad(loss))(p, carry, xs)
        rng = np.random.default_rng(3)
        for k, v in p.items():
            v = np.asarray(v)
            for idx in [tuple(rng.integers(0, n) for n in v.shape) for _ in range(3)]:
                plus, minus = v.copy(), v.copy()
                plus[idx] += eps
                minus[idx] -= eps
                fd = (loss({**p, k: plus}, carry, xs) - loss({**p, k: minus}, carry, xs)) / (2 * eps)
                np.testing.assert_allclose(g[k][idx], fd, rtol=1e-6, atol=1e-8, err_msg=f"{name} {k}{idx}")


@pytest.mark.parametrize("name", MIN)
def test_two_windows_carry_the_state(name):
    """A window, then the next from its carry == one window twice as long:
    the carried state enters the scan as its first element."""
    with jax.enable_x64(True):
        p, xs, carry, _ = case(name, seed=4)
        layer = jax.jit(cells.get(name).layer)
        c_long, hs_long = layer(p, carry, xs)
        c1, hs1 = layer(p, carry, xs[:6])
        c2, hs2 = layer(p, c1, xs[6:])
    close(jnp.concatenate([hs1, hs2]), hs_long)
    close(c2, c_long)


def test_dropping_the_carry_is_noticed():
    """Control: a second window started from zeros instead of the carry must
    fail the comparison above."""
    with jax.enable_x64(True):
        p, xs, carry, _ = case("mingru", seed=4)
        layer = jax.jit(cells.get("mingru").layer)
        _, hs_long = layer(p, carry, xs)
        _, hs1 = layer(p, carry, xs[:6])
        _, hs2 = layer(p, cells.get("mingru").zeros((B,), H), xs[6:])
    with pytest.raises(AssertionError):
        close(jnp.concatenate([hs1, hs2]), hs_long)


def test_reference_check_can_fail():
    """Control: reading minGRU's blocks in the other order (n, z) must fail
    the NumPy comparison."""
    with jax.enable_x64(True):
        p, xs, carry, _ = case("mingru", seed=1)
        _, hs = jax.jit(cells.get("mingru").layer)(p, carry, xs)
    swap = np.concatenate([np.arange(H, 2 * H), np.arange(H)])
    wrong = {"Wx": np.asarray(p["Wx"])[:, swap], "bx": np.asarray(p["bx"])[swap]}
    _, ref_trace, _ = ref.run("mingru", wrong, xs, carry)
    with pytest.raises(AssertionError):
        close(hs, ref_trace["h"])


@pytest.mark.parametrize("name,method", [("mingru", "associative"), ("mingru", "log"), ("minlstm", "sequential"),
                                         ("lru", "associative")])
def test_padding_matches_each_row_alone(name, method):
    """Rows of lengths 13, 7, 0: each row's outputs and final carry are those of
    its valid steps alone (NumPy); padded steps output 0; gradients equal
    ``scan.run_masked`` step by step."""
    lengths = np.array([T, 7, 0])
    with jax.enable_x64(True):
        p, xs, carry, R = case(name, seed=5)
        mask = jnp.asarray(np.arange(T)[:, None] < lengths[None, :], jnp.float64)
        fwd_par = lambda p, c, xs: cells.get(name).layer(p, c, xs, mask=mask, method=method)  # noqa: E731
        fwd_step = lambda p, c, xs: scan.run_masked(cells.get(name), p, c, xs, mask)  # noqa: E731
        (c, hs), g_par = forward_and_grads(fwd_par, R, p, carry, xs)
        _, g_step = forward_and_grads(fwd_step, R, p, carry, xs)
    close(g_par, g_step, rtol=1e-9, atol=1e-11)
    for b, n in enumerate(lengths):
        row_carry = tuple(np.asarray(a)[b:b + 1] for a in carry)
        if n:
            ref_c, ref_trace, _ = ref.run(name, p, np.asarray(xs)[:n, b:b + 1], row_carry)
            close(hs[:n, b:b + 1], ref_trace["h"])
        else:
            ref_c = row_carry
        close(tuple(a[b:b + 1] for a in c), ref_c)
        assert not np.any(np.asarray(hs)[n:, b])


@pytest.mark.parametrize("name", ["lru"])  # the model's masking is the same for every cell
def test_model_uses_the_parallel_layer_with_lengths_and_both_directions(name):
    """``model.apply`` without traces (the parallel layer, mask included) equals
    ``model.apply`` with traces (step by step), two bidirectional layers."""
    cfg = model.ModelConfig(cell=name, n_in=3, hidden=H, n_out=2, layers=2, bidirectional=True)
    params = model.init(jax.random.PRNGKey(0), cfg)
    xs = jax.random.normal(jax.random.PRNGKey(1), (T, B, 3))
    lengths = jnp.array([T, 5, 1])
    apply = jax.jit(model.apply, static_argnums=0, static_argnames="trace")
    c_par, logits_par = apply(cfg, params, model.zeros(cfg, B), xs, lengths=lengths)
    c_step, logits_step, _ = apply(cfg, params, model.zeros(cfg, B), xs, lengths=lengths, trace=True)
    close(logits_par, logits_step, rtol=2e-5, atol=2e-6)
    close(c_par, c_step, rtol=2e-5, atol=2e-6)


def test_float32_long_window_agrees_across_methods():
    """T = 1024, gates near 1 (long memory), float32: the pairs' scan, the log
    scan and the sequential one agree, and the gradient from h_0 = 0 is finite."""
    rng = np.random.default_rng(6)
    Tl = 1024
    a = jnp.asarray(1.0 - 10.0 ** rng.uniform(-5, -1, (Tl, 2, 3)), jnp.float32)
    b = jnp.asarray(rng.uniform(0.0, 1e-3, (Tl, 2, 3)), jnp.float32)
    h0 = jnp.zeros((2, 3), jnp.float32)
    _, seq = jax.jit(linear_scan.scan, static_argnames="method")(a, b, h0, method="sequential")
    _, par = jax.jit(linear_scan.scan)(a, b, h0)
    _, log = jax.jit(linear_scan.log_scan)(jnp.log(a), jnp.log(b), h0)
    np.testing.assert_allclose(par, seq, rtol=2e-4, atol=1e-6)
    np.testing.assert_allclose(log, seq, rtol=2e-4, atol=1e-6)
    for fn in (lambda h: linear_scan.scan(a, b, h)[1], lambda h: linear_scan.log_scan(jnp.log(a), jnp.log(b), h)[1]):
        g = jax.jit(jax.grad(lambda h: jnp.sum(fn(h))))(h0)
        assert np.all(np.isfinite(g)) and np.all(np.asarray(g) > 0)


def test_lru_init_ring_and_real_arrays():
    """|lambda| on the ring [r_min, r_max], phases in [0, max_phase]; every
    parameter and the carry are real float32 (safetensors has no complex)."""
    lru = cells.get("lru")
    p = lru.init(jax.random.PRNGKey(0), 5, 128, r_min=0.5, r_max=0.9, max_phase=1.0)
    l_re, l_im, gamma = lru.decay(p)
    r = np.hypot(l_re, l_im)
    assert r.min() >= 0.5 - 1e-6 and r.max() <= 0.9 + 1e-6 and r.max() - r.min() > 0.3
    assert np.all(np.arctan2(l_im, l_re) >= -1e-6) and np.all(np.arctan2(l_im, l_re) <= 1.0 + 1e-6)
    np.testing.assert_allclose(gamma, np.sqrt(1 - r**2), rtol=1e-5)
    c = lru.zeros((2,), 128)
    assert all(a.dtype == jnp.float32 for a in [*p.values(), *c])


def test_min_cells_positive_state_and_normalised_gates():
    """minGRU/minLSTM from h_0 = 0: every state positive (g > 0); minLSTM's
    traced f' + i' = 1."""
    for name in ("mingru", "minlstm"):
        p, xs, _, _ = case(name, seed=7, dtype=jnp.float32)
        _, tr = jax.jit(lambda p: scan.run(cells.get(name), p, cells.get(name).zeros((B,), H), xs, trace=True))(p)
        assert np.all(np.asarray(tr["h"]) > 0) and np.all(np.asarray(tr["n"]) > 0)
        if name == "minlstm":
            np.testing.assert_allclose(tr["f"] + tr["i"], 1.0, rtol=1e-6)


@pytest.mark.parametrize("name,bidirectional", [("minlstm", True), ("lru", False)])
def test_export_reference_forward_gives_the_same_logits(name, bidirectional):
    """The exported weights, run by the documented NumPy forward (rnr.export.torch),
    give rnr's logits; the safetensors metadata names the cell."""
    from rnr.export import torch as export

    cfg = model.ModelConfig(cell=name, n_in=7, hidden=5, n_out=7, layers=2, input="embed", embed_dim=4,
                            bidirectional=bidirectional)
    params = model.init(jax.random.PRNGKey(3), cfg)
    ids = np.random.default_rng(0).integers(0, 7, size=(9, 2))
    _, logits = jax.jit(model.apply, static_argnums=0)(cfg, params, model.zeros(cfg, 2), ids)
    sd, meta = export.torch_state_dict(cfg, params), export.torch_metadata(cfg)
    assert meta["reference_cell"] == name and all(v.dtype == np.float32 for v in sd.values())
    np.testing.assert_allclose(logits, export.reference_forward(sd, meta, ids), rtol=1e-4, atol=1e-5)
    if bidirectional:  # control: the two directions' weights swapped must differ
        swapped = {k.replace("l0.", "lX.").replace("l0_reverse.", "l0.").replace("lX.", "l0_reverse."): v
                   for k, v in sd.items()}
        with pytest.raises(AssertionError):
            np.testing.assert_allclose(logits, export.reference_forward(swapped, meta, ids), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["mingru", "minlstm", "lru"])
def test_every_traced_quantity_has_a_name_for_view(name):
    """rnr view labels each traced key through traces.QUANTITY (an LRU run's
    view failed with KeyError 're' before it named the LRU's)."""
    from rnr.engine import cells, traces

    assert set(cells.get(name).TRACED) <= set(traces.QUANTITY)
