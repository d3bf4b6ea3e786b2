"""Each cell against the NumPy reference (tests/reference.py: forward and
hand-written backward), against central finite differences, and against
PyTorch's cells."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import reference as ref
from rnr.engine import cells

B, N_IN, H = 3, 2, 4


def random_case(name, seed=0):
    """Float64 params, input, carry and upstream gradients for cell ``name``."""
    rng = np.random.default_rng(seed)
    params = jax.tree_util.tree_map(
        lambda a: rng.normal(0, 0.7, a.shape), cells.get(name).init(jax.random.PRNGKey(seed), N_IN, H))
    x = rng.normal(size=(B, N_IN))
    carry = tuple(rng.normal(size=(B, H)) for _ in cells.get(name).zeros((B,), H))
    upstream = tuple(rng.normal(size=(B, H)) for _ in carry)
    return params, x, carry, upstream


def rnr_step(name, params, x, carry):
    cell = cells.get(name)
    return cell.step(params, carry, cell.inputs(params, x))[0]


def scalar(name, params, x, carry, upstream):
    """sum(upstream * new carry): a scalar whose gradient the references give."""
    new = rnr_step(name, params, x, carry)
    return sum(jnp.sum(u * c) for u, c in zip(upstream, new))


def numpy_forward_backward(name, params, x, carry, upstream):
    new, _, cache = ref.step(name, params, x, carry)
    grads, dx, dcarry = ref.step_backward(name, params, cache, upstream)
    return new, grads, dx, dcarry


def test_reference_covers_every_cell():
    assert set(ref.CELLS) == set(cells.CELLS)


@pytest.mark.parametrize("name", ref.CELLS)
def test_forward_and_gradients_match_numpy(name):
    with jax.enable_x64(True):
        params, x, carry, up = random_case(name)
        new = rnr_step(name, params, x, carry)
        gp, gx, gc = jax.grad(scalar, argnums=(1, 2, 3))(name, params, x, carry, up)
    ref_new, ref_gp, ref_gx, ref_gc = numpy_forward_backward(name, params, x, carry, up)
    assert set(gp) == set(ref_gp)
    for a, b in zip(new, ref_new, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    for k in ref_gp:
        np.testing.assert_allclose(gp[k], ref_gp[k], rtol=1e-9, atol=1e-12, err_msg=k)
    np.testing.assert_allclose(gx, ref_gx, rtol=1e-9, atol=1e-12)
    for a, b in zip(gc, ref_gc, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_numpy_check_can_fail():
    """Control: read rnr's LSTM weights in PyTorch's gate order (i, f, g, o)
    and the NumPy comparison above must notice."""
    params, x, carry, _ = random_case("lstm")
    with jax.enable_x64(True):
        new = rnr_step("lstm", params, x, carry)
    swap = np.concatenate([np.arange(H, 2 * H), np.arange(H), np.arange(2 * H, 4 * H)])
    wrong = {"W": np.asarray(params["W"])[:, swap], "b": np.asarray(params["b"])[swap]}
    ref_new, _, _ = ref.step("lstm", wrong, x, carry)
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(new[1], ref_new[1], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ref.CELLS)
def test_gradients_match_finite_differences(name):
    eps = 1e-6
    with jax.enable_x64(True):
        params, x, carry, up = random_case(name, seed=1)
        grads = jax.grad(scalar, argnums=1)(name, params, x, carry, up)
        rng = np.random.default_rng(2)
        for k, v in params.items():
            v = np.asarray(v)
            for idx in [tuple(rng.integers(0, n) for n in v.shape) for _ in range(5)]:
                plus, minus = v.copy(), v.copy()
                plus[idx] += eps
                minus[idx] -= eps
                fd = (scalar(name, {**params, k: plus}, x, carry, up)
                      - scalar(name, {**params, k: minus}, x, carry, up)) / (2 * eps)
                np.testing.assert_allclose(grads[k][idx], fd, rtol=1e-5, atol=1e-8, err_msg=f"{k}{idx}")


def test_lstm_gate_order_is_forget_input_candidate_output():
    """Setting only the forget block of the bias high must keep C_{t-1} intact."""
    cell = cells.get("lstm")
    p = cell.init(jax.random.PRNGKey(0), N_IN, H)
    p = {"W": jnp.zeros_like(p["W"]), "b": jnp.zeros(4 * H).at[:H].set(50.0).at[H:2 * H].set(-50.0)}
    c_prev = jnp.arange(1.0, H + 1)[None]
    (_, c), _ = cell.step(p, (jnp.zeros((1, H)), c_prev), cell.inputs(p, jnp.ones((1, N_IN))))
    np.testing.assert_allclose(c, c_prev, rtol=1e-6)


torch = pytest.importorskip("torch")


def torch_cell(name, p):
    """A torch cell holding rnr's weights, mapped explicitly."""
    p = {k: torch.tensor(np.asarray(v)) for k, v in p.items()}
    if name == "rnn":
        m = torch.nn.RNNCell(N_IN, H).double()
        w = {"weight_ih": p["W"][:N_IN].T, "weight_hh": p["W"][N_IN:].T,
             "bias_ih": p["b"], "bias_hh": torch.zeros(H, dtype=torch.float64)}
    elif name == "lstm":
        m = torch.nn.LSTMCell(N_IN, H).double()
        # rnr: (f, i, g, o); torch: (i, f, g, o)
        order = torch.cat([torch.arange(H, 2 * H), torch.arange(0, H), torch.arange(2 * H, 4 * H)])
        w = {"weight_ih": p["W"][:N_IN, order].T, "weight_hh": p["W"][N_IN:, order].T,
             "bias_ih": p["b"][order], "bias_hh": torch.zeros(4 * H, dtype=torch.float64)}
    else:
        m = torch.nn.GRUCell(N_IN, H).double()
        w = {"weight_ih": p["Wx"].T, "weight_hh": p["Wh"].T, "bias_ih": p["bx"], "bias_hh": p["bh"]}
    with torch.no_grad():
        for k, v in w.items():
            getattr(m, k).copy_(v)
    return m


@pytest.mark.parametrize("name", ["rnn", "lstm", "gru"])
def test_matches_torch_cells(name):
    with jax.enable_x64(True):
        params, x, carry, up = random_case(name, seed=3)
        new = rnr_step(name, params, x, carry)
        gx = jax.grad(scalar, argnums=2)(name, params, x, carry, up)
    m = torch_cell(name, params)
    tx = torch.tensor(x, requires_grad=True)
    tc = tuple(torch.tensor(c) for c in carry)
    out = m(tx, tc if name == "lstm" else tc[0])
    out = out if isinstance(out, tuple) else (out,)
    sum((o * torch.tensor(u)).sum() for o, u in zip(out, up)).backward()
    for a, b in zip(new, out):
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("scheme,low,high", [("tutorial", 0.0, 1.0), ("torch", -0.5, 0.5)])
def test_init_schemes(scheme, low, high):
    p = cells.get("lstm").init(jax.random.PRNGKey(0), 3, 4, scheme)  # 1/sqrt(4) = 0.5
    w = np.asarray(p["W"])
    assert w.min() >= low and w.max() < high
    assert w.min() < low + 0.1 and w.max() > high - 0.1  # the whole range is used
    if scheme == "tutorial":
        assert not np.any(np.asarray(p["b"]))
