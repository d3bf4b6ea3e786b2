"""Run a cell over a sequence.

``run`` is the compiled path (``jax.lax.scan``); ``run_loop`` is the same
computation as a plain Python loop, kept as the reference the tests compare
against. Sequences are time-major: ``xs`` has shape (T, batch, n_in).

``run_masked`` runs sequences of unequal lengths padded to T: where
``mask[t, b]`` is 0 the state is carried through unchanged and the output is
0, so the final carry is the state at each row's last valid step and padding
never changes a result (PyTorch's ``pack_padded_sequence`` semantics).
"""

from __future__ import annotations

import jax

from rnr.engine.cells.common import check_width


def _hidden(carry) -> int:
    """n_hidden, from the carry: its first array is h, (batch, n_hidden)."""
    return jax.tree_util.tree_leaves(carry)[0].shape[-1]


def run(cell, params, carry, xs, trace: bool = False, unroll: int | bool = 1):
    """Apply ``cell`` to every step of ``xs``.

    Args:
        cell: a module from ``rnr.engine.cells`` (``rnn``, ``lstm``, ``gru``, ...).
        params: that cell's parameters.
        carry: the state before the first step, e.g. ``cell.zeros((B,), H)``.
        xs: inputs, (T, B, n_in).
        trace: also return every gate and state at every step.
        unroll: steps per loop iteration in the compiled loop (True: all).

    Returns:
        ``(carry, hs)``: the state after the last step and the hidden states,
        (T, B, H); with ``trace=True``, ``hs`` is a dict of (T, B, H) arrays
        keyed by the cell's ``TRACED`` names.

    Raises:
        ValueError: ``xs``'s last axis is not the parameters' n_in.
    """
    check_width(params, xs.shape[-1], _hidden(carry))
    us = cell.inputs(params, xs)  # the input half of every step in one product

    def body(c, u):
        return cell.step(params, c, u, trace=trace)

    return jax.lax.scan(body, carry, us, unroll=unroll)


def run_masked(cell, params, carry, xs, mask, trace: bool = False, unroll: int | bool = 1):
    """``run`` over padded rows; ``mask`` (T, B) is 1 on valid steps."""
    import jax.numpy as jnp

    check_width(params, xs.shape[-1], _hidden(carry))
    us = cell.inputs(params, xs)

    def body(c, um):
        u, m = um
        new, out = cell.step(params, c, u, trace=trace)
        valid = m[:, None] > 0
        c = jax.tree_util.tree_map(lambda a, b: jnp.where(valid, a, b), new, c)  # padding: the state waits
        out = jax.tree_util.tree_map(lambda o: jnp.where(valid, o, 0.0), out)  # and shows nothing
        return c, out

    return jax.lax.scan(body, carry, (us, mask), unroll=unroll)


def run_loop(cell, params, carry, xs, trace: bool = False):
    """``run`` as a Python loop over steps: slow, obvious, the tests' reference."""
    import jax.numpy as jnp

    check_width(params, xs.shape[-1], _hidden(carry))
    outs = []
    for x in xs:
        carry, out = cell.step(params, carry, cell.inputs(params, x), trace=trace)
        outs.append(out)
    stacked = jax.tree_util.tree_map(lambda *a: jnp.stack(a), *outs)
    return carry, stacked
