"""Many training runs as one compiled program: the engine of ``rnr sweep``.

Runs that share every shape (same cell, same sequence length, same window)
train together: their parameters, optimizer states and data keys carry a
leading run axis R, and one ``jax.vmap`` turns the single-run training step
into R of them side by side in the same XLA program.

Independent sequences (copy, adding): every step draws a fresh batch of B
sequences inside the compiled program and backpropagates through each whole
sequence (full BPTT, the state starts at zero for every sequence). This
``GapProgram`` is the one compiled training step besides
``rnr.engine.tbptt.make_train_chunk``: its batches are drawn in the graph from a
per-run key (no host data at all), so it needs neither windows nor a carried
state, and it is vmapped over runs whole:

    x, y     = task.batch(key_s, T, B)                 (T', B[, n_in]), targets
    loss     = task loss of model(x) against y
    params  <- optimizer update with d loss / d params

Streaming echo: ``rnr.engine.tbptt.make_train_chunk`` (stateful truncated BPTT) under
``jax.vmap``; runs with the same window but different delays share shapes, so
they train together too.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import optax

from rnr.engine import model, optim, tbptt
from rnr.sweep import tasks


@dataclass(frozen=True)
class GapProgram:
    """Compiled-to-be functions for one (task, cell, T); every function takes
    one run's values and is meant to be ``jax.vmap``-ped over runs."""
    task: str
    T: int
    mcfg: model.ModelConfig
    optimizer: optax.GradientTransformation
    batch: int
    eval_batch: int
    unroll: int = 1

    @property
    def module(self):
        return tasks.get(self.task)

    def loss(self, params, x, y):
        """Mean loss of a batch; returns (loss, outputs (T', B, n_out))."""
        _, out = model.apply(self.mcfg, params, model.zeros(self.mcfg, x.shape[1]), x, unroll=self.unroll)
        return self.module.loss(out, y), out

    def start(self, seed):
        """The state of a fresh run: (params, opt_state, data key)."""
        k_params, k_data = jax.random.split(jax.random.PRNGKey(seed))
        params = model.init(k_params, self.mcfg)
        return params, self.optimizer.init(params), k_data

    def train_step(self, state, _=None):
        """One optimizer step on a fresh batch; returns (state, loss)."""
        params, opt_state, key = state
        key, k_batch = jax.random.split(key)
        x, y = self.module.batch(k_batch, self.T, self.batch)
        (loss, _), grads = jax.value_and_grad(self.loss, has_aux=True)(params, x, y)
        updates, opt_state = self.optimizer.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state, key), loss

    def chunk(self, state, n: int):
        """``n`` training steps in one loop; returns (state, losses (n,))."""
        return jax.lax.scan(self.train_step, state, None, length=n)

    def evaluate(self, params, seed):
        """(loss, recall accuracy or NaN) on ``eval_batch`` fresh sequences
        drawn from a key no training batch uses."""
        key = jax.random.fold_in(jax.random.PRNGKey(seed), 0x5EED)
        x, y = self.module.batch(key, self.T, self.eval_batch)
        loss, out = self.loss(params, x, y)
        acc = self.module.accuracy(out, y)
        return loss, acc


def gap_program(task: str, cell: str, T: int, hidden: int, batch: int, eval_batch: int,
                optimizer: str, lr: float, clip: float | None, init: str, forget_bias: float,
                layers: int = 1, unroll: int = 1) -> GapProgram:
    mod = tasks.get(task)
    mcfg = model.ModelConfig(cell=cell, n_in=mod.N_IN, hidden=hidden, n_out=mod.N_OUT, layers=layers,
                             input=mod.INPUT, init=init,
                             forget_bias=forget_bias)
    return GapProgram(task, T, mcfg, optim.make(optimizer, lr, clip), batch, eval_batch, unroll)


class VmappedGap:
    """R runs of one GapProgram (one per seed), compiled once.

    ``start(seeds)``, ``chunk(state, n)`` and ``evaluate(state, seeds)`` work
    on the stacked state; ``compile(n)`` compiles a chunk of n steps ahead and
    returns nothing (the time it takes is compile time)."""

    def __init__(self, prog: GapProgram):
        self.prog = prog
        self._eval = jax.jit(jax.vmap(prog.evaluate))
        self._chunks = {}

    def start(self, seeds, mesh=None):
        """The stacked fresh state of every seed (run op by op: a jit here
        would cost a compilation per group for a few microseconds of work),
        its run axis split over ``mesh``'s devices (``rnr.engine.devices``): the runs
        are independent, so each device trains its own share, with no
        communication."""
        from rnr.engine import devices

        return devices.split(stack([self.prog.start(s) for s in seeds]), mesh, 0)

    def _chunk_fn(self, n: int):
        if n not in self._chunks:
            self._chunks[n] = jax.jit(jax.vmap(lambda s: self.prog.chunk(s, n)))
        return self._chunks[n]

    def compile(self, state, n: int):
        fn = self._chunk_fn(n)
        self._chunks[n] = fn.lower(state).compile()

    def chunk(self, state, n: int):
        return self._chunk_fn(n)(state)

    def evaluate(self, state, seeds):
        loss, acc = self._eval(state[0], jnp.asarray(seeds, jnp.uint32))
        return np.asarray(loss), np.asarray(acc)


def stack(trees):
    """A list of same-shaped pytrees -> one pytree with a leading run axis."""
    return jax.tree_util.tree_map(lambda *a: jnp.stack(a), *trees)


def unstack(tree, r: int):
    """Run ``r``'s slice of a stacked pytree."""
    return jax.tree_util.tree_map(lambda a: a[r], tree)


class VmappedEcho:
    """R streaming echo runs (``rnr.echo.experiment``) with the same window, trained together.

    Each run r has its own EcoConfig (delay, seed); its parameters start from
    ``model.init(PRNGKey(seed))`` and its data from ``default_rng(seed)``,
    exactly as ``rnr.echo.experiment.train`` does, so run r reproduces ``rnr eco`` with the
    same settings (the tests check it). The state, (params, opt_state)
    stacked over runs, is the caller's: ``start``, ``epoch(state)``."""

    def __init__(self, cfgs, mesh=None):
        from rnr.engine import devices
        from rnr.echo import experiment as eco

        self.eco = eco
        self.cfgs = cfgs
        self.split = lambda tree: devices.split(tree, mesh, 0)  # runs over the devices
        c0 = cfgs[0]
        self.mcfg = c0.model()
        self.opt = optim.make(c0.optimizer, c0.lr, c0.clip)
        self.rngs = [np.random.default_rng(c.seed) for c in cfgs]
        self.carry0 = self.split(stack([model.zeros(self.mcfg, c0.batch)] * len(cfgs)))
        chunk = tbptt.make_train_chunk(self.mcfg, self.opt, unroll=True)
        self.key = jax.random.PRNGKey(0)  # no dropout: the key is not used
        self._chunk = jax.jit(jax.vmap(chunk, in_axes=(0, 0, 0, 0, 0, None, None)))

    def start(self):
        params = stack([model.init(jax.random.PRNGKey(c.seed), self.mcfg) for c in self.cfgs])
        return self.split((params, jax.vmap(self.opt.init)(params)))

    def compile(self, state):
        c0, r = self.cfgs[0], len(self.cfgs)
        xs = jax.ShapeDtypeStruct((r, c0.windows, c0.window, c0.batch), jnp.int32)
        self._chunk = self._chunk.lower(*state, self.carry0, xs, xs, 0, self.key).compile()

    def epoch(self, state):
        """Train every run for one epoch on fresh data; returns (state, losses (R, windows))."""
        data = [self.eco.epoch_data(c, rng) for c, rng in zip(self.cfgs, self.rngs)]
        X, Y = self.split((np.stack([d[0] for d in data]).astype(np.int32),
                           np.stack([d[1] for d in data]).astype(np.int32)))
        params, opt_state, _, losses, _ = self._chunk(*state, self.carry0, X, Y, 0, self.key)
        return (params, opt_state), np.asarray(losses)

    def accuracy(self, state):
        """Each run's accuracy on a fresh series, as ``rnr.echo.experiment`` measures it."""
        params = jax.device_get(state[0])
        return np.array([self.eco.accuracy(c, unstack(params, r), np.random.default_rng(c.seed + 1_000_003))
                         for r, c in enumerate(self.cfgs)])
