"""Training on whole sequences: the part of a series job that ``rnr.loop`` runs.

An epoch visits the N training examples in a fresh order (a permutation
drawn from the seed and the epoch number, so a resumed run sees the same
order), cut into K = ceil(N / B) batches of B; the last batch is topped up
with the epoch's first examples (repeated when B > N). Each batch is one optimizer step of the one
compiled chunk (``rnr.tbptt``), started from the zero state (``stateless``):

    X (K, T, B, F)   inputs, time-major, zeros past each row's length
    Y (K, B[, ...])  targets: a class, or the next values
    L (K, B)         valid steps of each row
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from rnr import devices, model, optim, tbptt


def mean_squared(outputs, targets):
    """Mean squared error over every output; outputs and targets of one shape."""
    return jnp.mean((outputs - targets) ** 2)


@functools.lru_cache(maxsize=8)
def _programs(mcfg, lr, clip, classify, pool, dropout, n_devices) -> dict:
    opt = optim.make("adam", lr, clip)
    mesh = devices.make_mesh(n_devices)
    loss = tbptt.cross_entropy if classify else mean_squared
    chunk = tbptt.make_train_chunk(mcfg, opt, loss_fn=loss, dropout=dropout, mesh=mesh, pool=pool, stateless=True)
    return {"opt": opt, "mesh": mesh, "chunk": chunk, "compiled": {}}


class SequenceJob:
    """Batches of whole sequences as a ``rnr.loop`` job; state = (params, opt_state, carry).

    Subclasses give ``examples`` (X (N, T, F), Y (N, ...), L (N,)) and ``evaluate``."""

    explode = math.inf  # set by the subclass

    def __init__(self, cfg, mcfg, X, Y, L, classify: bool):
        self.cfg, self.mcfg = cfg, mcfg
        self.X, self.Y, self.L = X, Y, L
        n = len(X)
        self.batch = cfg.batch
        self.per_epoch = -(-n // self.batch)
        self.chunk = min(self.per_epoch, 64)
        self.n_devices = devices.choose(self.batch, cfg.devices)
        self.fns = _programs(mcfg, cfg.lr, cfg.clip, classify, cfg.pooled(), cfg.dropout, self.n_devices)
        self.mesh = self.fns["mesh"]
        self.key = jax.random.fold_in(jax.random.PRNGKey(cfg.seed), 1)  # dropout masks
        self._epoch = None

    # ---------------------------------------------------------------- state

    def start(self):
        params = model.init(jax.random.PRNGKey(self.cfg.seed), self.mcfg)
        return self.place((params, self.fns["opt"].init(params), model.zeros(self.mcfg, self.batch)))

    def template(self) -> dict:
        params = model.init(jax.random.PRNGKey(self.cfg.seed), self.mcfg)
        return {"params": params, "opt": self.fns["opt"].init(params)}

    def place(self, state):
        params, opt_state, carry = state
        return (*devices.replicate((params, opt_state), self.mesh), devices.split(carry, self.mesh, 0))

    def tree(self, state) -> dict:
        return {"params": state[0], "opt": state[1]}

    def finite(self, state) -> bool:
        return bool(devices.fetch(model.finite(state[0])))

    # ---------------------------------------------------------------- batches

    def order(self, epoch: int) -> np.ndarray:
        """(K, B) example indices of ``epoch``: a permutation, topped up."""
        rng = np.random.default_rng([self.cfg.seed, epoch])
        perm = rng.permutation(len(self.X))
        perm = np.resize(perm, self.per_epoch * self.batch)  # topped up; repeated when --batch > N
        return perm.reshape(self.per_epoch, self.batch)

    def epoch_arrays(self, epoch: int):
        if self._epoch is None or self._epoch[0] != epoch:
            idx = self.order(epoch)
            X = np.moveaxis(self.X[idx], 1, 2)  # (K, B, T, F) -> (K, T, B, F)
            Y = self.Y[idx]
            if Y.ndim == 4:  # an iterated forecast's per-step targets (K, B, T, F) -> (K, T, B, F)
                Y = np.moveaxis(Y, 1, 2)
            y_axis = 2 if Y.ndim == 4 else 1
            X = devices.split(jnp.asarray(X), self.mesh, 2)
            Y = devices.split(jnp.asarray(Y), self.mesh, y_axis)
            L = devices.split(jnp.asarray(self.L[idx]), self.mesh, 1)
            self._epoch = (epoch, X, Y, L)
        return self._epoch[1:]

    def _shape(self, n: int) -> tuple:
        return (n, self.X.shape[1:], self.Y.shape[1:])

    def begin_epoch(self, state, epoch: int):
        return state

    def compile(self, state, n: int) -> None:
        X, Y, L = self.epoch_arrays(0)
        key = self._shape(n)
        if key not in self.fns["compiled"]:
            self.fns["compiled"][key] = self.fns["chunk"].lower(*state, X[:n], Y[:n], 0, self.key, L[:n]).compile()

    def train(self, state, pos: int, n: int, step: int):
        X, Y, L = self.epoch_arrays(step // self.per_epoch)
        fn = self.fns["compiled"].get(self._shape(n), self.fns["chunk"])
        params, opt_state, carry, losses, _ = fn(*state, X[pos:pos + n], Y[pos:pos + n], step, self.key,
                                                 L[pos:pos + n])
        return (params, opt_state, carry), devices.fetch(losses)
