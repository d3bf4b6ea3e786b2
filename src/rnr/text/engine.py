"""The compiled hot loops of text training: a chunk of training windows and
a pass of evaluation windows.

Training, window k of a chunk (the same stateful truncated BPTT as
``rnr.tbptt``, with dropout between layers):

    key_k    = fold_in(PRNGKey(seed), step0 + k)        dropout mask of this window
    loss_k   = mean_{t, b} -log softmax(logits_{t,b})[y_{t,b}]
    carry_k  = the state after window k-1 (gradient stopped)
    params  <- Adam (or another Optax optimizer) step on d loss_k / d params

The key depends only on the global window number, so a run resumed at any
window draws the same masks as one that never stopped.

Evaluation runs windows in order with the state carried and no dropout,
summing -log p over the positions where ``mask`` is 1:

    nats/char = sum(-log p * mask) / sum(mask),   bits/char = nats / ln 2
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import optax

from rnr import fused_lstm, model, tbptt


def make_train_chunk(cfg: model.ModelConfig, optimizer: optax.GradientTransformation,
                     dropout: float = 0.0, unroll: int | bool = 1, fused: bool = True):
    """Compile ``chunk(params, opt_state, carry, X, Y, step0, key)`` for X, Y of
    shape (K, w, B) -> ``(params, opt_state, carry, losses (K,))``; each loss
    is computed before its window's update. ``fused``: LSTM layers use
    ``rnr.fused_lstm`` (same values, hand-written backward)."""
    runner = fused_lstm.run if fused else None
    grad_fn = jax.value_and_grad(partial(tbptt.window_loss, cfg, unroll=unroll, dropout=dropout, runner=runner),
                                 has_aux=True)

    @jax.jit
    def chunk(params, opt_state, carry, X, Y, step0, key):
        def one_window(state, xyk):
            params, opt_state, carry = state
            x, y, k = xyk
            (loss, (carry, _)), grads = grad_fn(params, carry, x, y, key=jax.random.fold_in(key, step0 + k))
            updates, opt_state = optimizer.update(grads, opt_state, params)
            return (optax.apply_updates(params, updates), opt_state, carry), loss

        ks = jnp.arange(X.shape[0], dtype=jnp.int32)
        (params, opt_state, carry), losses = jax.lax.scan(one_window, (params, opt_state, carry), (X, Y, ks))
        return params, opt_state, carry, losses

    return chunk


make_evaluate = tbptt.make_evaluate
