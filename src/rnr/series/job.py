"""Training on whole sequences: the part of a series job that ``rnr.engine.loop`` runs.

An epoch visits the N training examples in a fresh order (a permutation
drawn from the seed and the epoch number, so a resumed run sees the same
order), cut into K = ceil(N / B) batches of B; the last batch is topped up
with the epoch's first examples (repeated when B > N). Each batch is one optimizer step of the one
compiled chunk (``rnr.engine.tbptt``), started from the zero state (``stateless``):

    X (K, T, B, F)   inputs, time-major, zeros past each row's length
    Y (K, B[, ...])  targets: a class, or the next values
    L (K, B)         valid steps of each row
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from rnr.engine import devices, optim
from rnr.engine.job import ChunkJob, programs
from rnr.engine.loop import Limits
from rnr.engine.trainer import Schedule


class SequenceJob(ChunkJob):
    """Batches of whole sequences as a ``rnr.engine.loop`` job (``rnr.engine.job``), each
    started from zeros. Subclasses give ``evaluate`` and ``summary``."""

    stateless = True

    def __init__(self, cfg, mcfg, X, Y, L, classify: bool, explode: float):
        self.cfg, self.X, self.Y, self.L = cfg, X, Y, L
        per_epoch = -(-len(X) // cfg.batch)
        n_devices = devices.choose(cfg.batch, cfg.devices)
        fns = programs(mcfg, optim.Spec("adam", cfg.lr, cfg.clip), n_devices,
                       loss="cross_entropy" if classify else "mean_squared", dropout=cfg.dropout,
                       pool=cfg.pooled(), stateless=True)
        super().__init__(mcfg, fns, seed=cfg.seed, batch=cfg.batch, per_epoch=per_epoch,
                         chunk=min(per_epoch, 64), explode=explode, n_devices=n_devices)
        self.per_eval = cfg.eval_every * per_epoch
        self._epoch = None

    def limits(self) -> Limits:
        return Limits(epochs=self.cfg.epochs, minutes=self.cfg.time_budget)

    def schedule(self) -> Schedule:
        """Evaluate and checkpoint every ``--eval-every`` epochs, and at least every minute."""
        return Schedule(eval_every=self.per_eval, checkpoint_every=self.per_eval, checkpoint_seconds=60.0)

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

    def windows(self, pos, n, step):
        X, Y, L = self.epoch_arrays(step // self.per_epoch)
        return X[pos:pos + n], Y[pos:pos + n], L[pos:pos + n]
