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
and update for each) into one call; Python runs only between chunks.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax

from rnr import model


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


def squared_error(outputs, targets):
    """Mean squared error for a single regression output, outputs (..., 1)."""
    return jnp.mean((outputs[..., 0] - targets) ** 2)


def window_loss(cfg, params, carry, x, y, loss_fn=cross_entropy, unroll=1, **apply_options):
    """Loss of one window; returns ``(loss, (carry, logits))``.

    ``apply_options`` go to ``model.apply`` (dropout, key, runner)."""
    carry = jax.lax.stop_gradient(carry)  # truncation: nothing flows into the past
    carry, logits = model.apply(cfg, params, carry, x, unroll=unroll, **apply_options)
    return loss_fn(logits, y), (carry, logits)


def make_train_chunk(cfg: model.ModelConfig, optimizer: optax.GradientTransformation,
                     loss_fn=cross_entropy, unroll: int | bool = True):
    """Compile training over a chunk of windows.

    Returns ``chunk(params, opt_state, carry, X, Y)`` with X, Y of shape
    (K, w, B[, ...]) giving ``(params, opt_state, carry, losses, logits)``:
    the per-window losses (K,) and every window's logits (K, w, B, n_out),
    both computed before that window's update.
    """
    grad_fn = jax.value_and_grad(partial(window_loss, cfg, loss_fn=loss_fn, unroll=unroll), has_aux=True)

    def one_window(state, xy):
        params, opt_state, carry = state
        (loss, (carry, logits)), grads = grad_fn(params, carry, *xy)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        return (params, opt_state, carry), (loss, logits)

    @jax.jit
    def chunk(params, opt_state, carry, X, Y):
        (params, opt_state, carry), (losses, logits) = jax.lax.scan(
            one_window, (params, opt_state, carry), (X, Y))
        return params, opt_state, carry, losses, logits

    return chunk


def make_evaluate(cfg: model.ModelConfig, unroll: int | bool = 1):
    """Compile ``evaluate(params, X, Y, M) -> (sum of -log p, count)`` over
    windows (K, w, B) run in order from a zero state, the state carried from
    window to window, no dropout. Only positions where the mask M is 1 count:

        nats/char = sum(-log p(y) * M) / sum(M),    bits/char = nats / ln 2
    """

    @jax.jit
    def evaluate(params, X, Y, M):
        def one_window(carry, xym):
            x, y, m = xym
            carry, logits = model.apply(cfg, params, carry, x, unroll=unroll)
            logp = jax.nn.log_softmax(logits)
            nll = -jnp.take_along_axis(logp, y[..., None].astype(jnp.int32), axis=-1)[..., 0]
            return carry, (jnp.sum(nll * m), jnp.sum(m))

        _, (s, n) = jax.lax.scan(one_window, model.zeros(cfg, X.shape[2]), (X, Y, M))
        return jnp.sum(s), jnp.sum(n)

    return evaluate
