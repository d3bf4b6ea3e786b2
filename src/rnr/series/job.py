"""Training on whole sequences: the part of a series job that ``rnr.engine.loop`` runs.

An epoch visits the N training examples in a fresh order (a permutation
drawn from the seed and the epoch number, so a resumed run sees the same
order), cut into K = ceil(N / B) batches of B; the last batch is topped up
with the epoch's first examples (repeated when B > N). Each batch is one optimizer step of the one
compiled chunk (``rnr.engine.tbptt``), started from the zero state (``stateless``).
Every ``--eval-every`` steps the model is scored on validation data carved
from the training data; the checkpoint with the lowest validation loss is the
one the run keeps as its result (``best.safetensors``), and a test file is
scored once, at the end, with it: the test never chooses anything.

    X (K, T, B, F)   inputs, time-major, zeros past each row's length
    Y (K, B[, ...])  targets: a class, or the next values
    L (K, B)         valid steps of each row

Unequal lengths are bucketed (``buckets``): a few bucket lengths are cut
from the training lengths (at most ``MOST_BUCKETS``, each a multiple of
``BUCKET_ROUND`` or the full length T); each epoch's permutation is sorted,
stably, by each example's bucket, so a batch holds rows of similar lengths,
and the batches are then shuffled (in groups of a chunk, so that a chunk's
batches share a bucket). A chunk gets only the steps of its longest
bucket: its padding past that is cut off. Rows are masked past their length
(``rnr.engine.tbptt``), so the cut changes no number of the batch, only the
work; at most ``len(buckets)`` shapes per chunk size are compiled, all
ahead. (With ``--dropout`` the masks are drawn for the cut shape: other
masks, the same distribution.) Fixed-length windows (forecasts) have one
bucket, T, and train as before.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine import devices, model, optim, tbptt
from rnr.engine.job import LOSSES, ChunkJob, programs
from rnr.engine.loop import Limits
from rnr.engine.trainer import Schedule
from rnr.io import checkpoint, runs

BUCKETING = True  # False: every batch padded to the longest sequence (benchmarks/bench_buckets.py flips it)
MOST_BUCKETS = 4  # bucket lengths at most: each one more compiled shape per chunk size
BUCKET_ROUND = 16  # a bucket length is a multiple of this, or the full length
MEMBERS_IN_TURN = True  # False: an ensemble's members vmapped on a CPU too (benchmarks/bench_ensemble.py flips it)


def buckets(lengths, T: int, batch: int, most: int = MOST_BUCKETS, multiple: int = BUCKET_ROUND) -> np.ndarray:
    """The bucket lengths (ascending, the last T) for sequences of ``lengths``
    padded to T in batches of ``batch``: the lengths where batches of the
    sorted sequences end (at most ``most`` of them, evenly spaced), each
    rounded up to a multiple of ``multiple`` and at most T."""
    ordered = np.sort(np.asarray(lengths))
    k = -(-len(ordered) // batch)  # batches of the sorted sequences
    ends = np.ceil(np.arange(1, min(most, k) + 1) * k / min(most, k)).astype(int)  # batches where a bucket ends
    cut = ordered[np.minimum(ends * batch, len(ordered)) - 1]
    out = np.minimum(-(-cut // multiple) * multiple, T)
    out[-1] = T
    return np.unique(out)


def bucket_of(lengths, bounds: np.ndarray) -> np.ndarray:
    """The index of each length's bucket: the shortest bucket length that holds it."""
    return np.searchsorted(bounds, np.asarray(lengths), side="left")


def stack(trees):
    """Same-shaped pytrees -> one with a leading member axis."""
    return jax.tree_util.tree_map(lambda *a: jnp.stack(a), *trees)


def member(tree, m: int):
    """Member ``m``'s slice of a stacked pytree."""
    return jax.tree_util.tree_map(lambda a: a[m], tree)


@functools.lru_cache(maxsize=8)
def member_programs(mcfg, opt_spec, loss: str, dropout: float, pool, n_devices: int = 1) -> dict:
    """The one chunk over a leading member axis of the parameters, optimizer
    state, carry, batches, dropout keys and lengths: an ensemble's members
    train in one compiled program.

    On a CPU the program runs the members one after another (``jax.lax.map``);
    with several devices each runs its own members (``jax.shard_map``). On
    XLA's CPU backend ``jax.vmap`` costs more than that: the members' saved
    states and time-major copies outgrow the caches and are paged in anew at
    every call (``benchmarks/bench_member_layout.py``, 5 LSTMs of GunPoint's
    shape: vmapped 13.6x one network, mapped 7.1x). Accelerators keep ``vmap``."""
    opt = opt_spec.make()
    chunk = tbptt.make_train_chunk(mcfg, opt, loss_fn=LOSSES[loss], dropout=dropout, pool=pool, stateless=True)
    if jax.default_backend() != "cpu" or not MEMBERS_IN_TURN:
        return {"opt": opt, "mesh": None, "chunk": jax.jit(jax.vmap(chunk, in_axes=(0, 0, 0, 0, 0, None, 0, 0))),
                "compiled": {}}

    def in_turn(params, opt_state, carry, X, Y, step0, key, L):
        def one(m):
            p, o, c, x, y, k, lengths = m
            return chunk(p, o, c, x, y, step0, k, lengths)

        return jax.lax.map(one, (params, opt_state, carry, X, Y, key, L))

    mesh = devices.make_mesh(n_devices)
    if mesh is not None:
        each, whole = devices.P(devices.AXIS), devices.P()
        in_turn = jax.shard_map(in_turn, mesh=mesh, check_vma=False, in_specs=(each,) * 5 + (whole, each, each),
                                out_specs=each)
    return {"opt": opt, "mesh": None, "chunk": jax.jit(in_turn), "compiled": {}}


class SequenceJob(ChunkJob):
    """Batches of whole sequences as a ``rnr.engine.loop`` job (``rnr.engine.job``), each
    started from zeros. Subclasses give ``evaluate`` and ``summary``."""

    stateless = True

    def __init__(self, cfg, mcfg, X, Y, L, classify: bool, explode: float):
        self.cfg, self.X, self.Y, self.L = cfg, X, Y, L
        self.members = cfg.ensemble
        per_epoch = -(-len(X) // cfg.batch)
        T = X.shape[1]
        # whole-sequence targets only (pooled): an iterated forecast's per-step targets keep their T
        self.buckets = buckets(L, T, cfg.batch) if BUCKETING and cfg.pooled() is not None else np.array([T])
        self.bucketed = len(self.buckets) > 1
        # a chunk's batches share a bucket when the epoch holds a few chunks per bucket
        chunk = max(1, min(per_epoch, 64, per_epoch // (2 * len(self.buckets)))) if self.bucketed \
            else min(per_epoch, 64)
        loss = "cross_entropy" if classify else "mean_squared"
        opt = optim.Spec("adam", cfg.lr, cfg.clip, weight_decay=cfg.weight_decay)
        if self.members > 1:  # the members in one program (in turn on a CPU), spread over the devices that divide them
            n_devices = devices.for_members(self.members, cfg.devices)
            fns = member_programs(mcfg, opt, loss, cfg.dropout, cfg.pooled(), n_devices)
        else:
            n_devices = devices.choose(cfg.batch, cfg.devices)
            fns = programs(mcfg, opt, n_devices, loss=loss, dropout=cfg.dropout, pool=cfg.pooled(), stateless=True)
        super().__init__(mcfg, fns, seed=cfg.seed, batch=cfg.batch, per_epoch=per_epoch,
                         chunk=chunk, explode=explode, n_devices=n_devices)
        if self.members > 1:  # member m: seed + m for its weights, dropout and batch order
            self.member_mesh = devices.make_mesh(n_devices)  # None on one device
            self.key = self.on_member_devices(
                jnp.stack([jax.random.fold_in(jax.random.PRNGKey(s), 1) for s in self.member_seeds()]))
        self.per_eval = cfg.eval_every  # optimizer steps between evaluations (and checkpoints)
        self.best_params = None  # the parameters of the lowest validation loss so far (host copies)
        self._epoch = None

    def limits(self) -> Limits:
        return Limits(epochs=self.cfg.epochs, steps=self.cfg.steps, minutes=self.cfg.time_budget)

    def keep_if_best(self, params, val_loss: float, position) -> bool:
        """The checkpoint is chosen on validation only: remember ``params``
        (and write best.safetensors) when ``val_loss`` is the lowest so far."""
        self.check_validation(val_loss, position)  # a diverged model is never the chosen one
        best = position.extra.get("best_val")
        if best is not None and not val_loss < best:
            waited = position.extra["since_best"] = position.extra.get("since_best", 0) + 1
            self.stop_early = bool(self.cfg.patience) and waited >= self.cfg.patience
            return False
        position.extra.update(best_val=val_loss, best_step=position.step, since_best=0)
        self.best_params = devices.fetch_tree(params)
        if self.run is not None:
            checkpoint.save(self.run.file(runs.BEST), {"params": params},
                            {"step": position.step, "val_loss": val_loss, "facts": self.run.facts})
        return True

    def chosen_params(self, state):
        """The chosen checkpoint's parameters: this run's best, a resumed run's
        best.safetensors, else the last state's (no validation has run)."""
        if self.best_params is None and self.run is not None and self.run.file(runs.BEST).is_file():
            tree, _ = checkpoint.load(self.run.file(runs.BEST), {"params": self.fresh_params()})
            self.best_params = tree["params"]
        return self.best_params if self.best_params is not None else devices.fetch_tree(state[0])

    chosen_by = "lowest validation loss"  # how the checkpoint is chosen, for summary.json

    def chosen(self, position) -> dict:
        """What summary.json says of the chosen checkpoint."""
        return {"chosen_step": position.extra.get("best_step"), "chosen_by": self.chosen_by,
                "chosen_value": position.extra.get("best_val")}

    def schedule(self) -> Schedule:
        """Evaluate and checkpoint every ``--eval-every`` epochs, and at least every minute."""
        return Schedule(eval_every=self.per_eval, checkpoint_every=self.per_eval, checkpoint_seconds=60.0)

    def order(self, epoch: int, seed: int | None = None) -> np.ndarray:
        """(K, B) example indices of ``epoch``: a permutation, topped up; bucketed,
        sorted stably by bucket, cut into batches, and the batches shuffled in
        groups of a chunk (``arrange``)."""
        rng = np.random.default_rng([self.cfg.seed if seed is None else seed, epoch])
        perm = rng.permutation(len(self.X))
        perm = np.resize(perm, self.per_epoch * self.batch)  # topped up; repeated when --batch > N
        if not self.bucketed:
            return perm.reshape(self.per_epoch, self.batch)
        perm = perm[np.argsort(bucket_of(self.L[perm], self.buckets), kind="stable")]
        return perm.reshape(self.per_epoch, self.batch)[arrange(self.per_epoch, self.chunk, rng)]

    def lengths_of(self, idx) -> np.ndarray:
        """The steps each batch of ``idx`` (..., K, B) needs: its longest row's bucket (..., K)."""
        return self.buckets[bucket_of(self.L[idx].max(axis=-1), self.buckets)]

    def _batches(self, idx):
        """The epoch's arrays for the example indices ``idx`` (K, B), time-major."""
        X = np.moveaxis(self.X[idx], 1, 2)  # (K, B, T, F) -> (K, T, B, F)
        Y = self.Y[idx]
        if Y.ndim == 4:  # an iterated forecast's per-step targets (K, B, T, F) -> (K, T, B, F)
            Y = np.moveaxis(Y, 1, 2)
        return X, Y, self.L[idx]

    def epoch_arrays(self, epoch: int):
        """The epoch's X, Y, L on the devices, and the steps each batch needs (K,) or (members, K)."""
        if self._epoch is None or self._epoch[0] != epoch:
            if self.members > 1:  # (members, K, ...): each member's own batch order
                orders = [self.order(epoch, s) for s in self.member_seeds()]
                parts = [self._batches(o) for o in orders]
                X, Y, L = (self.on_member_devices(jnp.asarray(np.stack(a))) for a in zip(*parts))
            else:
                orders = self.order(epoch)
                X, Y, L = self._batches(orders)
                X = devices.split(jnp.asarray(X), self.mesh, 2)
                Y = devices.split(jnp.asarray(Y), self.mesh, 2 if Y.ndim == 4 else 1)
                L = devices.split(jnp.asarray(L), self.mesh, 1)
            self._epoch = (epoch, X, Y, L, self.lengths_of(np.asarray(orders)))
        return self._epoch[1:]

    def windows(self, pos, n, step, steps: int | None = None):
        """Windows pos..pos+n of the epoch, cut to the steps they need (or to ``steps``)."""
        X, Y, L, need = self.epoch_arrays(step // self.per_epoch)
        if steps is None:
            steps = int(need[..., pos:pos + n].max())
        if self.members > 1:
            X, Y, L = X[:, pos:pos + n], Y[:, pos:pos + n], L[:, pos:pos + n]
            return (X if steps == X.shape[2] else X[:, :, :steps]), Y, L
        X, Y, L = X[pos:pos + n], Y[pos:pos + n], L[pos:pos + n]
        return (X if steps == X.shape[1] else X[:, :steps]), Y, L

    def compile(self, state, n: int) -> None:
        """Compile a chunk of ``n`` windows ahead for every bucket length."""
        for steps in self.buckets:
            self._compile_steps = int(steps)
            try:
                super().compile(state, n)
            finally:
                self._compile_steps = None

    _compile_steps = None

    def example_windows(self, n: int) -> tuple:
        return self.windows(0, n, 0, self._compile_steps)

    # ---------------------------------------------------------------- an ensemble's members

    def member_seeds(self) -> list[int]:
        """Member m is the run of seed ``--seed + m``: its weights, dropout and batch order."""
        return [self.cfg.seed + m for m in range(self.members)]

    def fresh_params(self):
        if self.members == 1:
            return super().fresh_params()
        return stack([model.init(jax.random.PRNGKey(s), self.mcfg) for s in self.member_seeds()])

    def zeros(self):
        z = model.zeros(self.mcfg, self.batch)
        return z if self.members == 1 else stack([z] * self.members)

    def on_member_devices(self, tree):
        """An ensemble's arrays (a leading member axis) split over its devices:
        each device trains members/devices networks (``devices.for_members``)."""
        return devices.split(tree, self.member_mesh, 0)

    def place(self, state):
        if self.members == 1:
            return super().place(state)
        return self.on_member_devices(tuple(state))

    def start(self, params=None):
        if self.members == 1:
            return super().start(params)
        params = self.fresh_params() if params is None else params
        return self.place((params, jax.vmap(self.fns["opt"].init)(params), self.zeros()))

    def template(self) -> dict:
        if self.members == 1:
            return super().template()
        params = self.fresh_params()
        return {"params": params, "opt": jax.vmap(self.fns["opt"].init)(params)}

    def train(self, state, pos, n, step):
        state, losses = super().train(state, pos, n, step)
        return state, (losses.T if self.members > 1 else losses)  # (n, members): the loop's many-run shape


def arrange(k: int, chunk: int, rng) -> np.ndarray:
    """An order of ``k`` batches sorted by length: the chunks of an epoch
    (``chunk`` batches each, the last one ``k % chunk``) take consecutive
    runs of the sorted batches, the runs in a random order (the short run
    last, cut at a random place)."""
    full, rest = divmod(k, chunk)
    at = rng.integers(full + 1) if rest else full  # the short run: sorted batches at*chunk .. +rest
    runs_ = [np.arange(i * chunk, (i + 1) * chunk) + (rest if i >= at else 0) for i in range(full)]
    out = [runs_[i] for i in rng.permutation(full)]
    if rest:
        out.append(np.arange(at * chunk, at * chunk + rest))
    return np.concatenate(out) if out else np.arange(0)
