"""The tutorial's echo experiment, end to end (``rnr eco``).

Defaults are the tutorial's: 100 epochs, each on a fresh random bit series
of 50,000 steps laid out as 5 rows of 10,000; windows of 15 steps (666 per
epoch, the last 10 steps of each row unused); a tanh RNN of 4 units with
weights uniform in [0, 1) and zero biases; 2 output classes; Adagrad 0.3;
the target is the input 3 steps earlier. The state carries over from window
to window and resets when an epoch starts.

Training is one ``rnr.engine.loop`` job (``EcoJob``): a chunk is a whole epoch
(``chunk`` windows with ``--plot live``), compiled once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from rnr.settings import flags
from rnr.engine import loop, memory, model, optim, tbptt
from rnr.engine.job import ChunkJob, programs
from rnr.engine.trainer import Schedule, train_run
from rnr.errors import UserError
from rnr.settings import setting
from rnr.sweep.tasks import echo

KIND = "echo"
CHECKPOINT_SECONDS = 30.0  # a long echo run checkpoints this often (an epoch takes milliseconds)


@dataclass(frozen=True)
class EcoConfig:
    epochs: int = flags.epochs(100)
    length: int = flags.series_length(50000)
    window: int = flags.window(15)
    hidden: int = flags.hidden(4)
    classes: int = setting(2, "help_eco_classes", low=2, high=1_000_000)
    delay: int = setting(3, "help_eco_delay", low=0, high=10**9)
    batch: int = flags.batch(5)
    lr: float = flags.lr(0.3)
    optimizer: str = flags.optimizer("adagrad")
    clip: float | None = flags.clip(None)
    cell: str = flags.cell("rnn")
    init: str = flags.init("tutorial")
    forget_bias: float = flags.forget_bias(0.0)
    seed: int = flags.seed(0)
    chunk: int = flags.chunk(0)  # windows per compiled call; 0 = a whole epoch

    @property
    def row(self) -> int:
        return self.length // self.batch

    @property
    def windows(self) -> int:
        return self.row // self.window

    def model(self) -> model.ModelConfig:
        return model.ModelConfig(cell=self.cell, n_in=1, hidden=self.hidden, n_out=self.classes,
                                 init=self.init, forget_bias=self.forget_bias)

    def check(self) -> None:
        """Rules between settings, and the memory the arrays would take."""
        memory.check_fits(4 * 8 * self.length, "--series-length")  # series, targets, windows, a fresh set
        outputs = 4 * 3 * (self.length // self.window + 1) * self.window * self.classes  # an epoch's logits
        memory.check_fits(model.param_bytes(self.model()) * 6 + outputs, "--hidden/--classes/--series-length")
        if not self.epochs:
            raise UserError("no_limit", flags="--epochs")
        if self.window > self.row:
            raise UserError("window_too_long", window=self.window, row=self.row,
                            length=self.length, batch=self.batch)
        if self.delay >= self.row:
            raise UserError("delay_too_long", delay=self.delay, row=self.row)

    def validate(self) -> "EcoConfig":
        from rnr import settings

        return settings.validate(self)


Config = EcoConfig


def config_dict(cfg: EcoConfig) -> dict:
    """What config.json holds for an echo run: the task and every setting."""
    from rnr import settings

    return {"task": KIND, **settings.to_dict(cfg)}


def model_config(cfg: EcoConfig, raw: dict) -> model.ModelConfig:
    return cfg.model()


def check_stored(cfg: EcoConfig, raw: dict, where) -> None:
    """Nothing beyond the settings is stored for an echo run."""


@dataclass
class EcoResult:
    params: dict
    losses: np.ndarray  # (epochs run, windows): every window's loss
    summary: dict


@dataclass
class Snapshot:
    """What the host sees every ``log_every`` windows."""
    epoch: int
    step: int  # window index within the epoch
    loss: float
    losses_so_far: np.ndarray
    x: np.ndarray  # (w, B) the window's input
    y: np.ndarray  # (w, B) its target
    pred: np.ndarray  # (w, B) the predicted class, before this window's update


def epoch_data(cfg: EcoConfig, rng: np.random.Generator):
    """One epoch's windows, X and Y of shape (windows, w, B)."""
    x, y = echo.rows(rng, cfg.length, cfg.delay, cfg.batch)
    return tbptt.to_windows(x, cfg.window), tbptt.to_windows(y, cfg.window)


def accuracy(cfg: EcoConfig, params, rng: np.random.Generator) -> float:
    """Accuracy on a fresh series: each row run from a zero state to its end,
    argmax prediction against the target, leaving out the first ``delay``
    steps of each row (they echo the previous row, which a row cannot see)."""
    mcfg = cfg.model()
    x, y = echo.rows(rng, cfg.length, cfg.delay, cfg.batch)
    _, logits = jax.jit(model.apply, static_argnums=0)(mcfg, params, model.zeros(mcfg, cfg.batch),
                                                       jnp.asarray(x.T))
    pred = np.asarray(jnp.argmax(logits, -1)).T
    mask = echo.predictable(cfg.batch, cfg.row, cfg.delay)
    return float((pred == y)[mask].mean())


class EcoJob(ChunkJob):
    """The echo experiment as a ``rnr.engine.loop`` job (``rnr.engine.job``): a fresh series
    every epoch, the state carried from window to window. It keeps every
    window's loss by epoch (``epochs``) and the last chunk's outputs."""

    def __init__(self, cfg: EcoConfig, data: Callable, on_epoch: Callable | None = None, log_every: int = 100,
                 params=None):
        mcfg = cfg.model()
        fns = programs(mcfg, optim.Spec(cfg.optimizer, cfg.lr, cfg.clip), 1, unroll=True, outputs=True)
        super().__init__(mcfg, fns, seed=cfg.seed, batch=cfg.batch, per_epoch=cfg.windows,
                         chunk=cfg.chunk or cfg.windows, explode=10 * math.log(cfg.classes),  # ten times a guess
                         key=jax.random.PRNGKey(cfg.seed))
        self.cfg, self.data, self.on_epoch, self.log_every = cfg, data, on_epoch, log_every
        self.initial_params = params  # another program's weights, or None: from the seed
        self.epochs: list[np.ndarray] = []  # every finished epoch's window losses
        self.current: list[np.ndarray] = []  # the running epoch's chunks

    def fresh_params(self):
        return super().fresh_params() if self.initial_params is None else self.initial_params

    def begin_epoch(self, state, epoch):
        self.X, self.Y = (np.asarray(a, np.int32) for a in self.data(epoch))
        if self.on_epoch:
            self.on_epoch(epoch)
        return super().begin_epoch(state, epoch)  # new data: the state resets

    def windows(self, pos, n, step):
        return self.X[pos:pos + n], self.Y[pos:pos + n], None

    def example_windows(self, n):
        xs = jax.ShapeDtypeStruct((n, self.cfg.window, self.cfg.batch), jnp.int32)
        return xs, xs, None

    def train(self, state, pos, n, step):
        state, losses = super().train(state, pos, n, step)
        self.current.append(losses)
        if pos + n == self.per_epoch:
            self.epochs.append(np.concatenate(self.current))
            self.current = []
        return state, losses

    def chunk_records(self, info):
        """A line every ``log_every`` windows, and each epoch's mean when it ends."""
        start, epoch = (info["pos"] - info["n"]) % self.per_epoch, info["step"] // self.per_epoch
        epoch -= info["pos"] == 0  # the chunk that ends an epoch belongs to it
        recs = [{"step": epoch * self.per_epoch + k + 1, "epoch": epoch, "window": k,
                 "loss": float(info["losses"][k - start])}
                for k in range(start + (-start) % self.log_every, start + info["n"], self.log_every)]
        if info["pos"] == 0:
            recs.append({"step": info["step"], "epoch": epoch, "mean_loss": float(self.epochs[-1].mean())})
        return recs

    def evaluate(self, state, position):
        return {"step": position.step,
                "accuracy": accuracy(self.cfg, state[0], np.random.default_rng(self.cfg.seed + 1_000_003))}

    def summary(self, outcome, last):
        recent = self.epochs[-1] if self.epochs else np.concatenate(self.current) if self.current else None
        final = float(recent.mean()) if recent is not None else float("nan")  # the last (or running) epoch's mean
        return {"task": KIND, "final_loss": final, "accuracy": last["accuracy"],
                "epochs": len(self.epochs), "windows": len(self.epochs) * self.per_epoch,
                "train_seconds": outcome.train_seconds,
                "windows_per_second": outcome.windows / max(outcome.train_seconds, 1e-9),
                "cell": self.cfg.cell, "seed": self.cfg.seed}


def train(cfg: EcoConfig, out=None, params=None, data: Callable | None = None, log_every: int = 100,
          on_epoch: Callable | None = None, on_snapshot: Callable | None = None,
          on_compiled: Callable | None = None, on_finished: Callable | None = None, progress=None) -> EcoResult:
    """Train the echo model; the library function behind ``rnr eco``.

    Args:
        out: the run folder to write (``rnr.engine.trainer``); None: nothing written.
        params: initial parameters (default: ``model.init`` from ``cfg.seed``),
            so a run can start from exactly the weights of another program.
        data: ``data(epoch) -> (X, Y)`` windows of shape (windows, w, B)
            (default: a fresh random series per epoch from ``cfg.seed``).
        on_epoch(epoch), on_snapshot(Snapshot), on_compiled(seconds): host
            callbacks for progress, plots and logs, run between compiled calls;
            on_finished(run, summary, losses) draws figures into the run
            folder (losses: (epochs, windows), every window's loss).

    Ctrl-C stops training between compiled calls and returns what was
    trained so far, with ``summary["interrupted"] = True``. Divergence
    raises UserError naming the checkpoint kept.
    """
    cfg.validate()
    rng = np.random.default_rng(cfg.seed)
    if data is None:
        data = lambda epoch: epoch_data(cfg, rng)  # noqa: E731
    job = EcoJob(cfg, data, on_epoch, log_every, params)

    def on_chunk(info):
        if not on_snapshot:
            return
        start = (info["pos"] - info["n"]) % cfg.windows  # the chunk's first window in its epoch
        so_far = np.concatenate(job.epochs + job.current) if job.epochs or job.current else np.zeros(0)
        epoch = len(job.epochs) - (info["pos"] == 0)
        for k in range(start + (-start) % log_every, start + info["n"], log_every):
            pred = np.asarray(jnp.argmax(job.outputs[k - start], -1))
            on_snapshot(Snapshot(epoch, k, float(info["losses"][k - start]),
                                 so_far[: epoch * cfg.windows + k + 1], job.X[k], job.Y[k], pred))

    def losses():
        return np.stack(job.epochs) if job.epochs else np.full((1, cfg.windows), np.nan)

    def finished(run, summary):
        if on_finished:
            on_finished(run, summary, losses())

    trained = train_run(job, out, loop.Limits(epochs=cfg.epochs), Schedule(checkpoint_seconds=CHECKPOINT_SECONDS),
                        config=config_dict(cfg), on_chunk=on_chunk, on_compiled=on_compiled,
                        on_finished=finished, progress=progress)
    return EcoResult(params=trained.state[0], losses=losses(), summary=trained.summary)


def load_run(run_dir) -> tuple[EcoConfig, dict]:
    """The config and trained parameters of an ``rnr eco`` run directory."""
    from rnr.io import runs

    run = runs.load_run(run_dir, kind=KIND)
    return run.cfg, run.params
