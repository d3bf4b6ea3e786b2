"""The base of every job that ``rnr.engine.loop`` runs: one model, one optimizer and
THE compiled chunk (``rnr.engine.tbptt.make_train_chunk``) over windows a subclass
lays out.

    state      (params, opt_state, carry); parameters and optimizer state on
               every device, the carried state (per layer, (B, H)) split by rows
    a subclass gives
      windows(pos, n, step) -> (X, Y, L)   the chunk's data for windows pos..pos+n
                                           of the epoch that ``step`` falls in
                                           (L: per-row lengths, or None)
      evaluate(state, position)            a validation or final score (or None);
                                           its "val_loss" (``validation_loss_of``)
                                           is judged for divergence by the loop,
                                           and a job that keeps a best checkpoint
                                           calls ``check_validation`` before
                                           writing it: best never holds a
                                           diverged model
    and may set
      stateless = True     every window is a batch of independent sequences that
                           starts from zeros: checkpoints hold no carry
      begin_epoch(state, epoch)   (default: the carried state restarts at zeros)

The jitted chunk and its compiled executables by shape are kept per setting
for the process (``programs``), so a resumed or repeated run in the same
process compiles nothing again.
"""

from __future__ import annotations

import functools
import math

import jax

from rnr.engine import devices, loop, model, optim, tbptt
from rnr.errors import Diverged

LOSSES = {"cross_entropy": tbptt.cross_entropy, "mean_squared": tbptt.mean_squared}


@functools.lru_cache(maxsize=8)
def programs(mcfg: model.ModelConfig, optimizer: optim.Spec, n_devices: int, loss: str = "cross_entropy",
             dropout: float = 0.0, pool: str | None = None, stateless: bool = False,
             unroll: int | bool = 1, outputs: bool = False) -> dict:
    """The optimizer, the device mesh, the jitted chunk, and a dict for its
    compiled executables (filled by ``ChunkJob.compile``)."""
    opt = optimizer.make()
    mesh = devices.make_mesh(n_devices)
    chunk = tbptt.make_train_chunk(mcfg, opt, loss_fn=LOSSES[loss], unroll=unroll, dropout=dropout,
                                   outputs=outputs, mesh=mesh, pool=pool, stateless=stateless)
    return {"opt": opt, "mesh": mesh, "chunk": chunk, "compiled": {}}


class ChunkJob:
    """A ``rnr.engine.loop`` job (see ``rnr.engine.loop.Job``) over the one compiled chunk."""

    stateless = False  # whole sequences: no carry from window to window
    keeps_diverged = False  # many runs side by side keep going when one diverges
    evaluate_on_interrupt = True  # score what was trained when Ctrl-C stops the run
    stop_early = False  # set when validation has stopped improving (``rnr.series.job``: --patience)
    run = None  # the locked run folder (``rnr.io.runs.Run``) once the trainer opened it

    def __init__(self, mcfg: model.ModelConfig, fns: dict, *, seed: int, batch: int, per_epoch: int,
                 chunk: int, explode: float, n_devices: int = 1, key=None):
        self.mcfg, self.fns = mcfg, fns
        self.mesh = fns["mesh"]
        self.seed, self.batch, self.n_devices = seed, batch, n_devices
        self.per_epoch, self.chunk, self.explode = per_epoch, chunk, explode
        # dropout masks: fold_in(key, window of the run)
        self.key = jax.random.fold_in(jax.random.PRNGKey(seed), 1) if key is None else key
        self.outputs = None  # the last chunk's outputs, with programs(..., outputs=True)

    # ---------------------------------------------------------------- state

    def fresh_params(self):
        return model.init(jax.random.PRNGKey(self.seed), self.mcfg)

    def zeros(self):
        return model.zeros(self.mcfg, self.batch)

    def place(self, state):
        """Parameters and optimizer state on every device, the carried state split by rows."""
        params, opt_state, carry = state
        return (*devices.replicate((params, opt_state), self.mesh), devices.split(carry, self.mesh, 0))

    def start(self, params=None):
        params = self.fresh_params() if params is None else params
        return self.place((params, self.fns["opt"].init(params), self.zeros()))

    def template(self) -> dict:
        """The tree a checkpoint of this job holds, with the right shapes."""
        params = self.fresh_params()
        tree = {"params": params, "opt": self.fns["opt"].init(params)}
        return tree if self.stateless else {**tree, "carry": self.zeros()}

    def tree(self, state) -> dict:
        return {"params": state[0], "opt": state[1]} if self.stateless else \
            {"params": state[0], "opt": state[1], "carry": state[2]}

    def restore(self, tree: dict):
        """The state a checkpoint's tree (``template``'s shape) holds, placed."""
        return self.place((tree["params"], tree["opt"], tree.get("carry", self.zeros())))

    def finite(self, state) -> bool:
        return bool(devices.fetch(model.finite(state[0])))

    # ---------------------------------------------------------------- training

    def begin_epoch(self, state, epoch: int):
        if self.stateless:
            return state
        zeros = devices.split(self.zeros(), self.mesh, 0)
        return state[0], state[1], zeros  # a new pass over the data starts from a zero state

    def windows(self, pos: int, n: int, step: int) -> tuple:
        raise NotImplementedError

    def example_windows(self, n: int) -> tuple:
        """Arrays (or shapes) of a chunk of ``n`` windows, to compile for."""
        return self.windows(0, n, 0)

    def _call(self, fn, state, X, Y, L, step):
        if L is None:
            return fn(*state, X, Y, step, self.key)
        return fn(*state, X, Y, step, self.key, L)

    def _shape_key(self, X, Y) -> tuple:
        return tuple(X.shape), tuple(Y.shape)

    def compile(self, state, n: int) -> None:
        X, Y, L = self.example_windows(n)
        key = self._shape_key(X, Y)
        if key not in self.fns["compiled"]:
            lowered = self.fns["chunk"].lower(*state, X, Y, 0, self.key) if L is None else \
                self.fns["chunk"].lower(*state, X, Y, 0, self.key, L)
            self.fns["compiled"][key] = lowered.compile()

    def train(self, state, pos: int, n: int, step: int):
        X, Y, L = self.windows(pos, n, step)
        fn = self.fns["compiled"].get(self._shape_key(X, Y), self.fns["chunk"])
        params, opt_state, carry, losses, self.outputs = self._call(fn, state, X, Y, L, step)
        return (params, opt_state, carry), devices.fetch(losses)

    # ---------------------------------------------------------------- records

    def chunk_records(self, info: dict) -> list[dict]:
        """The metrics.jsonl lines a chunk gives (default: its mean loss)."""
        return [{"step": info["step"], "epoch": info["epoch"], "loss": float(info["losses"].mean())}]

    def evaluate(self, state, position) -> dict | None:
        return None

    def validation_loss_of(self, result: dict) -> float | None:
        """The validation loss of an evaluation's result, which the loop judges
        for divergence (``rnr.engine.loop``); None: nothing to judge."""
        loss = result.get("val_loss") if isinstance(result, dict) else None
        return float(loss) if isinstance(loss, (int, float)) and not isinstance(loss, bool) else None

    def check_validation(self, loss: float, position) -> None:
        """Raise Diverged when a validation ``loss`` is not finite or above
        ``explode``: call it before writing a best checkpoint."""
        if not self.keeps_diverged and loop.diverged(loss, self.explode):
            raise Diverged(position.step, loss, position.epoch)

    def summary(self, outcome, last_eval: dict | None) -> dict:
        """This kind's keys of summary.json (beside the trainer's)."""
        return {}


def uniform_loss(classes: int) -> float:
    """A loss above ten times a uniform guess's (and a margin for tiny K) is divergence."""
    return 10 * math.log(classes) + 10
