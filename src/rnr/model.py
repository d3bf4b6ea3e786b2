"""A recurrent model: input encoding -> stacked cells -> linear readout.

    x_t (B,) or (B, n_in)  --encode-->  e_t (B, n_in')
    e_t --layer 1..L-->  h_t (B, H)                    (each layer a cell)
    logits_t = h_t W_out + b_out                        (B, n_out)

Inputs:
    ``vector``: real-valued features, xs of shape (T, B, n_in)
               (the echo task's single bit is n_in = 1 and may come as (T, B));
    ``onehot``: integer symbols in [0, n_in), one-hot encoded;
    ``embed``:  integer symbols in [0, n_in), looked up in a learned table
               of ``embed_dim`` columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp

from rnr import cells, scan
from rnr.cells.common import dot, uniform

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

    def width_in(self) -> int:
        """Width of what the first layer reads."""
        return self.embed_dim if self.input == "embed" else self.n_in


def init(key, cfg: ModelConfig):
    """Parameters: {"embed"?: (n_in, embed_dim), "layers": [...], "out": {W, b}}."""
    cell = cells.get(cfg.cell)
    keys = jax.random.split(key, cfg.layers + 2)
    params = {"layers": []}
    n = cfg.width_in()
    for k in keys[: cfg.layers]:
        params["layers"].append(cell.init(k, n, cfg.hidden, cfg.init, forget_bias=cfg.forget_bias))
        n = cfg.hidden
    kw, kb = jax.random.split(keys[-2])
    if cfg.init == "tutorial":
        b_out = jnp.zeros((cfg.n_out,), jnp.float32)
    else:  # torch.nn.Linear: uniform +-1/sqrt(fan_in)
        b_out = uniform(kb, (cfg.n_out,), "torch", cfg.hidden)
    params["out"] = {"W": uniform(kw, (cfg.hidden, cfg.n_out), cfg.init, cfg.hidden), "b": b_out}
    if cfg.input == "embed":
        params["embed"] = jax.random.normal(keys[-1], (cfg.n_in, cfg.embed_dim), jnp.float32)
    return params


def param_bytes(cfg: ModelConfig) -> int:
    """Bytes of the parameters, from the shapes alone (nothing is allocated)."""
    shapes = jax.eval_shape(lambda k: init(k, cfg), jax.ShapeDtypeStruct((2,), jnp.uint32))
    return sum(int(a.size) * a.dtype.itemsize for a in jax.tree_util.tree_leaves(shapes))


@jax.jit
def finite(params) -> bool:
    """True when every parameter is a finite number."""
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(a)) for a in jax.tree_util.tree_leaves(params)]))


def zeros(cfg: ModelConfig, batch: int):
    """The state of every layer at the start of a sequence."""
    cell = cells.get(cfg.cell)
    return tuple(cell.zeros((batch,), cfg.hidden) for _ in range(cfg.layers))


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


def apply(cfg: ModelConfig, params, carry, xs, trace: bool = False, unroll: int | bool = 1,
          dropout: float = 0.0, key=None):
    """Run the model over a window.

    Args:
        xs: (T, B) symbols or bits, or (T, B, n_in) features.
        carry: ``zeros(cfg, B)`` or the carry returned for the previous window.
        dropout: probability of zeroing each hidden unit between stacked layers
            (inverted dropout, as ``torch.nn.LSTM(dropout=...)``: not after the
            last layer); needs ``key``. Default 0: off.

    Returns:
        ``(carry, logits)`` with logits (T, B, n_out); with ``trace=True``,
        ``(carry, logits, traces)`` where traces is a list (one per layer) of
        dicts of (T, B, H) arrays.
    """
    cell = cells.get(cfg.cell)
    h = encode(cfg, params, xs)
    new_carry, traces = [], []
    for n, (p, c) in enumerate(zip(params["layers"], carry)):
        if n and dropout > 0.0:  # between layers only
            h = drop(jax.random.fold_in(key, n), h, dropout)
        if hasattr(cell, "layer") and not trace:  # the cell's own whole-window layer (LSTM)
            c, out = cell.layer(p, c, h)
        else:
            c, out = scan.run(cell, p, c, h, trace=trace, unroll=unroll)
        h = out["h"] if trace else out
        new_carry.append(c)
        traces.append(out)
    logits = dot(h, params["out"]["W"]) + params["out"]["b"]
    if trace:
        return tuple(new_carry), logits, traces
    return tuple(new_carry), logits
