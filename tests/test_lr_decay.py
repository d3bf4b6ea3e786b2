"""Learning-rate decay per epoch: with ``optim.make("sgd", lr, decay=d,
per_epoch=K)`` the update at step s is -lr * d ** floor(s / K) * grad."""

import jax.numpy as jnp
import numpy as np
import pytest

from rnr.engine import optim

GRAD = np.array([1.0, -2.0, 0.5], np.float32)


def updates(opt, steps):
    """The updates for ``steps`` steps of the same gradient, (steps, 3)."""
    params = {"w": jnp.zeros(3)}
    state = opt.init(params)
    out = []
    for _ in range(steps):
        u, state = opt.update({"w": jnp.asarray(GRAD)}, state, params)
        out.append(np.asarray(u["w"]))
    return np.array(out)


@pytest.mark.parametrize("lr,decay,per_epoch", [(0.1, 0.5, 4), (0.3, 0.7, 3), (0.05, 0.9, 1)])
def test_sgd_rate_decays_once_per_epoch(lr, decay, per_epoch):
    got = updates(optim.make("sgd", lr, None, decay=decay, per_epoch=per_epoch), 3 * per_epoch)
    for s, u in enumerate(got):
        rate = lr * decay ** (s // per_epoch)  # floor(step / K), by hand
        np.testing.assert_allclose(u, -rate * GRAD, rtol=1e-6, err_msg=f"step {s}")
    # three epochs: three distinct rates, each held for a whole epoch
    assert len({round(float(u[0]), 7) for u in got}) == 3


def test_no_decay_is_constant():
    got = updates(optim.make("sgd", 0.2, None, decay=1.0, per_epoch=2), 6)
    np.testing.assert_allclose(got, np.tile(-0.2 * GRAD, (6, 1)), rtol=1e-6)
