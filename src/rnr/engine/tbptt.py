"""Stateful truncated backpropagation through time (TBPTT).

A long series becomes ``B`` batch rows, row r holding the r-th contiguous
stretch (the tutorial's ``reshape((batch, -1))``). Each row is cut into
windows of ``w`` steps. Window k of every row is one training step:

    carry_k  = final state of window k-1 (zeros for k = 0)
    loss_k   = mean over the window's steps and rows of loss(logits, y)
    params  <- optimizer update with d loss_k / d params

The gradient stops at window edges: ``carry_k`` enters window k as a
constant, so window k's loss sees nothing of window k-1's inputs.

``make_train_chunk`` compiles a whole chunk of windows (forward, backward
and update for each, dropout optional) into one call; Python runs only
between chunks (``rnr.engine.loop``). ``make_evaluate`` runs windows in order
without updates and sums the masked negative log-likelihood.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax

from rnr.engine import devices, model


def layout_rows(series, batch: int):
    """(N, ...) -> (batch, N // batch, ...): row r is the r-th contiguous stretch.

    A tail of fewer than ``batch`` elements is dropped."""
    series = np.asarray(series)
    n = (series.shape[0] // batch) * batch
    return series[:n].reshape((batch, -1) + series.shape[1:])


def to_windows(rows, window: int):
    """(B, L, ...) -> (L // window, window, B, ...), time-major windows.

    Window k holds steps [k*window, (k+1)*window) of every row; steps past
    the last whole window are dropped (the tutorial's ``num_batches``)."""
    rows = np.asarray(rows)
    b, length = rows.shape[:2]
    k = length // window
    w = rows[:, : k * window].reshape((b, k, window) + rows.shape[2:])
    return np.moveaxis(w, 0, 2)


def cross_entropy(logits, targets):
    """Mean softmax cross-entropy, logits (..., K) and integer targets (...)."""
    logp = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(logp, targets[..., None].astype(jnp.int32), axis=-1))


def mean_squared(outputs, targets):
    """Mean squared error over every output; outputs and targets of one shape."""
    return jnp.mean((outputs - targets) ** 2)


def window_loss(cfg, params, carry, x, y, loss_fn=cross_entropy, unroll=1, dropout: float = 0.0, key=None,
                lengths=None, pool=None):
    """Loss of one window; returns ``(loss, (carry, outputs))``. With
    ``lengths`` (B,) the steps past each row's length are padding; with
    ``pool`` the model gives one output per row (``model.pool_steps``)."""
    carry = jax.lax.stop_gradient(carry)  # truncation: nothing flows into the past
    carry, outputs = model.apply(cfg, params, carry, x, unroll=unroll, dropout=dropout, key=key,
                                 lengths=lengths, pool=pool)
    return loss_fn(outputs, y), (carry, outputs)


def make_train_chunk(cfg: model.ModelConfig, optimizer: optax.GradientTransformation,
                     loss_fn=cross_entropy, unroll: int | bool = 1, dropout: float = 0.0,
                     outputs: bool = False, mesh=None, pool: str | None = None, stateless: bool = False):
    """Compile training over a chunk of windows: the one training chunk of rnr.

    Returns ``chunk(params, opt_state, carry, X, Y, step0, key)`` with X, Y of
    shape (K, w, B[, ...]) giving ``(params, opt_state, carry, losses, outs)``:
    the per-window losses (K,), each computed before its window's update, and
    with ``outputs=True`` every window's outputs (K, w, B, n_out) (else None).

    Window k of the chunk is window ``step0 + k`` of the whole run; with
    ``dropout`` > 0 its masks come from ``fold_in(key, step0 + k)``, so a run
    resumed at any window draws the masks of a run that never stopped.

    With a ``mesh`` (``rnr.engine.devices``) the batch rows of X, Y and the carry
    are split over its devices and the chunk runs under ``jax.shard_map``:
    each device's gradient and loss are averaged over the mesh (``pmean``)
    before the update, so the update is the one-device update. (With
    dropout each device draws its own rows' masks: other masks than on one
    device, from the same distribution.)

    Whole sequences (``rnr series``): ``stateless=True`` starts every window
    from the zero state (each window is a batch of independent sequences),
    ``chunk(..., L=lengths)`` with L (K, B) masks each row's padding, and
    ``pool`` gives one output per row, so Y is (K, B[, ...]).
    """
    grad_fn = jax.value_and_grad(partial(window_loss, cfg, loss_fn=loss_fn, unroll=unroll, dropout=dropout,
                                         pool=pool), has_aux=True)

    def one_window(state, xykl):
        params, opt_state, carry, step0, key = state
        x, y, k, lengths = xykl
        if stateless:  # independent sequences: each window starts from zeros
            carry = jax.tree_util.tree_map(jnp.zeros_like, carry)
        (loss, (carry, outs)), grads = grad_fn(params, carry, x, y, key=jax.random.fold_in(key, step0 + k),
                                               lengths=lengths)
        if mesh is not None:  # data parallel: the mean over every device's rows
            grads, loss = jax.lax.pmean((grads, loss), devices.AXIS)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        return (params, opt_state, carry, step0, key), (loss, outs if outputs else None)

    def windows(params, opt_state, carry, X, Y, step0, key, L):
        ks = jnp.arange(X.shape[0], dtype=jnp.int32)
        (params, opt_state, carry, _, _), (losses, outs) = jax.lax.scan(
            one_window, (params, opt_state, carry, step0, key), (X, Y, ks, L))
        return params, opt_state, carry, losses, outs

    if mesh is not None:
        rows, rep = devices.batch_spec(0), devices.P()
        y_rows = devices.batch_spec(1 if pool else 2)
        windows = jax.shard_map(windows, mesh=mesh, check_vma=False,
                                in_specs=(rep, rep, rows, devices.batch_spec(2), y_rows, rep, rep,
                                          devices.batch_spec(1)),
                                out_specs=(rep, rep, rows, rep, y_rows if outputs else rep))

    @jax.jit
    def chunk(params, opt_state, carry, X, Y, step0=0, key=None, L=None):
        key = jax.random.PRNGKey(0) if key is None else key  # used only by dropout
        return windows(params, opt_state, carry, X, Y, jnp.asarray(step0, jnp.int32), key, L)

    return chunk


def make_evaluate(cfg: model.ModelConfig, unroll: int | bool = 1, mesh=None):
    """Compile ``evaluate(params, X, Y, M) -> (sum of -log p, count)`` over
    windows (K, w, B) run in order from a zero state, the state carried from
    window to window, no dropout. Only positions where the mask M is 1 count:

        nats/char = sum(-log p(y) * M) / sum(M),    bits/char = nats / ln 2
    """

    def total(params, X, Y, M):
        def one_window(carry, xym):
            x, y, m = xym
            carry, logits = model.apply(cfg, params, carry, x, unroll=unroll)
            logp = jax.nn.log_softmax(logits)
            nll = -jnp.take_along_axis(logp, y[..., None].astype(jnp.int32), axis=-1)[..., 0]
            return carry, (jnp.sum(nll * m), jnp.sum(m))

        _, (s, n) = jax.lax.scan(one_window, model.zeros(cfg, X.shape[2]), (X, Y, M))
        s, n = jnp.sum(s), jnp.sum(n)
        if mesh is not None:  # every device's rows
            s, n = jax.lax.psum((s, n), devices.AXIS)
        return s, n

    if mesh is not None:
        rows = devices.batch_spec(2)
        total = jax.shard_map(total, mesh=mesh, check_vma=False, in_specs=(devices.P(), rows, rows, rows),
                              out_specs=(devices.P(), devices.P()))
    return jax.jit(total)
