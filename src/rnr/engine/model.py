"""A recurrent model: input encoding -> stacked cells -> linear readout.

    x_t (B,) or (B, n_in)  --encode-->  e_t (B, n_in')
    e_t --layer 1..L-->  h_t (B, H)                    (each layer a cell)
    logits_t = h_t W_out + b_out                        (B, n_out)

Bidirectional layers (``bidirectional=True``, as ``torch.nn.LSTM``): each
layer has a forward cell and a backward cell that reads each row's valid
steps in reverse; h_t = [h_t^fwd, h_t^bwd] (B, 2H). Unequal lengths
(``lengths`` (B,) in ``apply``): steps at or past a row's length are
padding; they leave the state unchanged and output 0 (``scan.run_masked``).

Inputs:
    ``vector``: real-valued features, xs of shape (T, B, n_in)
               (the echo task's single bit is n_in = 1 and may come as (T, B));
    ``onehot``: integer symbols in [0, n_in), one-hot encoded;
    ``embed``:  integer symbols in [0, n_in), looked up in a learned table
               of ``embed_dim`` columns.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import jax
import jax.numpy as jnp

from rnr.engine import cells, conv, scan
from rnr.engine.cells.common import dot, uniform

INPUTS = ("vector", "onehot", "embed")


@dataclass(frozen=True)
class ModelConfig:
    cell: str = "rnn"
    n_in: int = 1
    hidden: int = 4
    n_out: int = 2
    layers: int = 1
    input: str = "vector"
    embed_dim: int = 0
    init: str = "torch"
    forget_bias: float = 0.0
    bidirectional: bool = False
    conv: int = 0  # width N of the convolutional branch beside the cells (rnr.engine.conv); 0: none

    def width_in(self) -> int:
        """Width of what the first layer reads."""
        return self.embed_dim if self.input == "embed" else self.n_in

    def width_out(self) -> int:
        """Width of what a layer gives: H, or 2H in both directions."""
        return self.hidden * (2 if self.bidirectional else 1)

    def width_read(self) -> int:
        """Width of what the readout reads: the top layer's output, and the
        convolutional branch's N beside it."""
        return self.width_out() + self.conv


def init(key, cfg: ModelConfig):
    """Parameters: {"embed"?: (n_in, embed_dim), "layers": [...], "out": {W, b},
    "conv"?: [...] (``rnr.engine.conv``)}."""
    cell = cells.get(cfg.cell)
    keys = jax.random.split(key, cfg.layers + 2)
    params = {"layers": []}
    n = cfg.width_in()
    for k in keys[: cfg.layers]:
        if cfg.bidirectional:  # one cell per direction, as torch's weight_*_l{k} and *_l{k}_reverse
            kf, kb = jax.random.split(k)
            params["layers"].append({"fwd": cell.init(kf, n, cfg.hidden, cfg.init, forget_bias=cfg.forget_bias),
                                     "bwd": cell.init(kb, n, cfg.hidden, cfg.init, forget_bias=cfg.forget_bias)})
        else:
            params["layers"].append(cell.init(k, n, cfg.hidden, cfg.init, forget_bias=cfg.forget_bias))
        n = cfg.width_out()
    kw, kb = jax.random.split(keys[-2])
    if cfg.init == "tutorial":
        b_out = jnp.zeros((cfg.n_out,), jnp.float32)
    else:  # torch.nn.Linear: uniform +-1/sqrt(fan_in)
        b_out = uniform(kb, (cfg.n_out,), "torch", cfg.hidden)
    params["out"] = {"W": uniform(kw, (cfg.width_read(), cfg.n_out), cfg.init, cfg.hidden), "b": b_out}
    if cfg.input == "embed":
        params["embed"] = jax.random.normal(keys[-1], (cfg.n_in, cfg.embed_dim), jnp.float32)
    if cfg.conv:  # its own key, so the cells draw the same weights with or without it
        params["conv"] = conv.init(jax.random.fold_in(key, 7919), cfg.width_in(), cfg.conv)
    return params


def param_bytes(cfg: ModelConfig) -> int:
    """Bytes of the parameters, from the shapes alone (nothing is allocated)."""
    shapes = jax.eval_shape(lambda k: init(k, cfg), jax.ShapeDtypeStruct((2,), jnp.uint32))
    return sum(int(a.size) * a.dtype.itemsize for a in jax.tree_util.tree_leaves(shapes))


def cells_only(cfg: ModelConfig, params):
    """The model without its convolutional branch: the cells, and the rows of
    the readout that read them (what traces and views of the cells need)."""
    if not cfg.conv:
        return cfg, params
    import dataclasses

    rest = {k: v for k, v in params.items() if k != "conv"}
    rest["out"] = {"W": params["out"]["W"][: cfg.width_out()], "b": params["out"]["b"]}
    return dataclasses.replace(cfg, conv=0), rest


@jax.jit
def finite(params) -> bool:
    """True when every parameter is a finite number."""
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(a)) for a in jax.tree_util.tree_leaves(params)]))


def zeros(cfg: ModelConfig, batch: int):
    """The state of every layer at the start of a sequence."""
    cell = cells.get(cfg.cell)
    one = (lambda: (cell.zeros((batch,), cfg.hidden), cell.zeros((batch,), cfg.hidden))) if cfg.bidirectional \
        else (lambda: cell.zeros((batch,), cfg.hidden))
    return tuple(one() for _ in range(cfg.layers))


def encode(cfg: ModelConfig, params, xs):
    """Turn raw inputs (T, B[, n_in]) into the first layer's input (T, B, n_in')."""
    if cfg.input == "embed":
        return params["embed"][xs]
    if cfg.input == "onehot":
        return jax.nn.one_hot(xs, cfg.n_in, dtype=jnp.float32)
    xs = xs.astype(jnp.float32)
    return xs[..., None] if xs.ndim == 2 else xs


def drop(key, h, rate: float):
    """Inverted dropout: each element kept with probability 1 - rate and then
    scaled by 1 / (1 - rate), so the expected value is unchanged."""
    keep = jax.random.bernoulli(key, 1.0 - rate, h.shape)
    return jnp.where(keep, h / (1.0 - rate), 0.0)


def reverse_valid(x, lengths):
    """Each row's first ``lengths[b]`` steps in reverse order, padding left in
    place; x (T, B, ...). Applied twice it gives x back."""
    t = jnp.arange(x.shape[0])[:, None]
    idx = jnp.where(t < lengths[None, :], lengths[None, :] - 1 - t, t)
    return jnp.take_along_axis(x, idx.reshape(idx.shape + (1,) * (x.ndim - 2)), axis=0)


def _direction(cell, p, c, h, mask, trace, unroll):
    """One direction of a layer: the cell's own whole-window ``layer`` when it
    has one (the LSTM's; the parallel scan of mingru, minlstm, lru), given the
    mask when its ``layer`` takes one; else ``scan`` step by step (traces)."""
    if hasattr(cell, "layer") and not trace:
        if mask is None:
            return cell.layer(p, c, h)
        if "mask" in inspect.signature(cell.layer).parameters:
            return cell.layer(p, c, h, mask=mask)
    if mask is not None:
        return scan.run_masked(cell, p, c, h, mask, trace=trace, unroll=unroll)
    return scan.run(cell, p, c, h, trace=trace, unroll=unroll)


def _layer(cfg, cell, p, c, h, lengths, mask, trace, unroll):
    """One layer over the window: (carry, outputs or traces)."""
    if not cfg.bidirectional:
        return _direction(cell, p, c, h, mask, trace, unroll)
    if lengths is None:
        lengths = jnp.full((h.shape[1],), h.shape[0], jnp.int32)
    c_f, out_f = _direction(cell, p["fwd"], c[0], h, mask, trace, unroll)
    c_b, out_b = _direction(cell, p["bwd"], c[1], reverse_valid(h, lengths), mask, trace, unroll)
    out_b = jax.tree_util.tree_map(lambda o: reverse_valid(o, lengths), out_b)
    both = jax.tree_util.tree_map(lambda f, b: jnp.concatenate([f, b], axis=-1), out_f, out_b)
    return (c_f, c_b), both


POOLS = ("last", "mean", "max")


def pool_steps(cfg: ModelConfig, h, lengths, how: str):
    """One vector per sequence from the top layer's outputs h (T, B, H'):

        last:  h at each row's last valid step; with both directions the
               forward half there and the backward half at step 0 (where
               the backward cell has read the whole row), as torch's h_n
        mean:  the mean of h over each row's valid steps
        max:   the largest value of each unit over each row's valid steps

    Returns (B, H')."""
    T, B = h.shape[:2]
    lengths = jnp.full((B,), T, jnp.int32) if lengths is None else lengths
    mask = (jnp.arange(T)[:, None] < lengths[None, :]).astype(h.dtype)
    if how == "mean":
        return jnp.sum(h * mask[..., None], axis=0) / jnp.maximum(lengths, 1)[:, None].astype(h.dtype)
    if how == "max":  # padding never wins: it is pushed below any value a unit can take
        return jnp.max(jnp.where(mask[..., None] > 0, h, -jnp.inf), axis=0)
    last = jnp.take_along_axis(h, jnp.maximum(lengths - 1, 0)[None, :, None], axis=0)[0]
    if not cfg.bidirectional:
        return last
    return jnp.concatenate([last[:, : cfg.hidden], h[0, :, cfg.hidden:]], axis=-1)


def apply(cfg: ModelConfig, params, carry, xs, trace: bool = False, unroll: int | bool = 1,
          dropout: float = 0.0, key=None, lengths=None, pool: str | None = None):
    """Run the model over a window.

    Args:
        xs: (T, B) symbols or bits, or (T, B, n_in) features.
        carry: ``zeros(cfg, B)`` or the carry returned for the previous window.
        dropout: probability of zeroing each hidden unit between stacked layers
            (inverted dropout, as ``torch.nn.LSTM(dropout=...)``: not after the
            last layer); needs ``key``. Default 0: off.
        lengths: (B,) valid steps of each row (None: all T); the carry
            returned is each row's state at its last valid step.
        pool: None for outputs at every step; ``"last"``, ``"mean"`` or ``"max"``
            (``pool_steps``) for one output per sequence (many-to-one); with
            ``cfg.conv``, the convolutional branch's summary (``rnr.engine.conv``)
            is joined to the pooled state before the readout:
            logits = [pool(h), c] W_out + b_out.

    Returns:
        ``(carry, logits)`` with logits (T, B, n_out) (pooled: (B, n_out)); with ``trace=True``,
        ``(carry, logits, traces)`` where traces is a list (one per layer) of
        dicts of (T, B, H) arrays.
    """
    cell = cells.get(cfg.cell)
    h = x = encode(cfg, params, xs)
    mask = None
    if lengths is not None:
        lengths = jnp.asarray(lengths, jnp.int32)
        mask = (jnp.arange(h.shape[0])[:, None] < lengths[None, :]).astype(h.dtype)
    new_carry, traces = [], []
    for n, (p, c) in enumerate(zip(params["layers"], carry)):
        if n and dropout > 0.0:  # between layers only
            h = drop(jax.random.fold_in(key, n), h, dropout)
        c, out = _layer(cfg, cell, p, c, h, lengths, mask, trace, unroll)
        h = out["h"] if trace else out
        new_carry.append(c)
        traces.append(out)
    if pool is not None:
        h = pool_steps(cfg, h, lengths, pool)
        if cfg.conv:
            h = jnp.concatenate([h, conv.apply(params["conv"], x, lengths)], axis=-1)
    elif cfg.conv:
        raise ValueError("the convolutional branch summarises whole sequences: it needs a pool")
    logits = dot(h, params["out"]["W"]) + params["out"]["b"]
    if trace:
        return tuple(new_carry), logits, traces
    return tuple(new_carry), logits
