"""A tiny character model for the view tests, trained with the core API only
(rnr.engine.model + rnr.engine.tbptt), so the page can be tested before text runs exist."""

from __future__ import annotations

import jax
import numpy as np

from rnr.engine import model, optim, tbptt

SAMPLE = ('She said "yes" and he said "no".\n'
          'The cat sat on the mat; "the dog" sat on the log.\n'
          'A line, then "a quote", then a line again.\n') * 8


def train_tiny(text: str = SAMPLE, cell: str = "lstm", hidden: int = 16, windows: int = 60,
               window: int = 16, batch: int = 4, seed: int = 0):
    """(cfg, params, vocab) of a char model trained for ``windows`` windows."""
    vocab = sorted(set(text))
    ids = np.array([vocab.index(c) for c in text], np.int32)
    cfg = model.ModelConfig(cell=cell, n_in=len(vocab), hidden=hidden, n_out=len(vocab),
                            input="embed", embed_dim=8)
    params = model.init(jax.random.PRNGKey(seed), cfg)
    x = tbptt.to_windows(tbptt.layout_rows(ids[:-1], batch), window)
    y = tbptt.to_windows(tbptt.layout_rows(ids[1:], batch), window)
    opt = optim.make("adam", 0.01, None)
    state = opt.init(params)
    chunk = tbptt.make_train_chunk(cfg, opt, unroll=1)  # compiles faster
    carry = model.zeros(cfg, batch)
    done = 0
    while done < windows:
        k = min(len(x), windows - done)
        params, state, carry, _, _ = chunk(params, state, carry, x[:k], y[:k], done, jax.random.PRNGKey(seed))
        done += k
        carry = model.zeros(cfg, batch)
    return cfg, params, vocab
