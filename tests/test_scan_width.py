"""An input whose width is not the parameters' n_in is refused, for every
cell and every way of running one (the cells would otherwise read rows of
the recurrent weights as input weights, or drop input features)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from rnr.engine import scan
from rnr.engine.cells import CELLS

N_IN, H, B, T = 3, 4, 2, 5


@pytest.mark.parametrize("name", sorted(CELLS))
@pytest.mark.parametrize("runner", [scan.run, scan.run_loop], ids=["run", "run_loop"])
def test_wrong_input_width_is_refused(name, runner):
    cell = CELLS[name]
    params = cell.init(jax.random.PRNGKey(0), N_IN, H)
    carry = cell.zeros((B,), H)
    for width in (N_IN + 4, N_IN - 1):
        with pytest.raises(ValueError) as e:
            runner(cell, params, carry, jnp.ones((T, B, width)))
        words = str(e.value)
        assert "n_in" in words and str(width) in words and str(N_IN) in words
    # the right width runs, and gives what the step-by-step loop gives
    xs = jax.random.normal(jax.random.PRNGKey(1), (T, B, N_IN))
    _, hs = runner(cell, params, carry, xs)
    _, ref = scan.run_loop(cell, params, carry, xs)
    np.testing.assert_allclose(np.asarray(hs), np.asarray(ref), rtol=1e-5, atol=1e-6)
