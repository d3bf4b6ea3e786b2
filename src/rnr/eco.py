"""The tutorial's echo experiment, end to end (``rnr eco``).

Defaults are the tutorial's: 100 epochs, each on a fresh random bit series
of 50,000 steps laid out as 5 rows of 10,000; windows of 15 steps (666 per
epoch, the last 10 steps of each row unused); a tanh RNN of 4 units with
weights uniform in [0, 1) and zero biases; 2 output classes; Adagrad 0.3;
the target is the input 3 steps earlier. The state carries over from window
to window and resets when an epoch starts.

Training is one ``rnr.loop`` job (``EcoJob``): a chunk is a whole epoch
(``chunk`` windows with ``--plot live``), compiled once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from rnr import cells, loop, memory, model, optim, tbptt
from rnr.cells.common import INITS
from rnr.errors import UserError
from rnr.optim import OPTIMIZERS
from rnr.settings import SEED_MAX, setting
from rnr.tasks import echo

KIND = "echo"
CHECKPOINT_SECONDS = 30.0  # a long echo run checkpoints this often (an epoch takes milliseconds)


@dataclass(frozen=True)
class EcoConfig:
    epochs: int = setting(100, "help_eco_epochs", low=1)
    length: int = setting(50000, "help_eco_length", low=1, flag="series-length", aliases=("length",))
    window: int = setting(15, "help_eco_window", low=1)
    hidden: int = setting(4, "help_eco_hidden", low=1)
    classes: int = setting(2, "help_eco_classes", low=2)
    delay: int = setting(3, "help_eco_delay", low=0)
    batch: int = setting(5, "help_eco_batch", low=1)
    lr: float = setting(0.3, "help_eco_lr", above=0)
    optimizer: str = setting("adagrad", "help_eco_optimizer", choices=tuple(OPTIMIZERS))
    clip: float | None = setting(None, "help_eco_clip", above=0, zero_is_none=True)
    cell: str = setting("rnn", "help_eco_cell", choices=lambda: tuple(cells.CELLS))
    init: str = setting("tutorial", "help_eco_init", choices=INITS)
    forget_bias: float = setting(0.0, "help_eco_forget_bias")
    seed: int = setting(0, "help_eco_seed", low=0, high=SEED_MAX)
    chunk: int = setting(0, "help_eco_chunk", low=0)  # windows per compiled call; 0 = a whole epoch

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


class EcoJob:
    """The echo experiment as a ``rnr.loop`` job; state = (params, opt_state, carry)."""

    def __init__(self, cfg: EcoConfig, data: Callable, on_epoch: Callable | None = None):
        self.cfg, self.data, self.on_epoch = cfg, data, on_epoch
        self.mcfg = cfg.model()
        self.opt = optim.make(cfg.optimizer, cfg.lr, cfg.clip)
        self.fn = tbptt.make_train_chunk(self.mcfg, self.opt, unroll=True, outputs=True)
        self.per_epoch = cfg.windows
        self.chunk = cfg.chunk or cfg.windows
        self.explode = 10 * math.log(cfg.classes)  # ten times a uniform guess
        self.key = jax.random.PRNGKey(cfg.seed)
        self.compiled, self.outputs = {}, None

    def start(self, params=None):
        params = model.init(self.key, self.mcfg) if params is None else params
        return params, self.opt.init(params), model.zeros(self.mcfg, self.cfg.batch)

    def compile(self, state, n):
        xs = jax.ShapeDtypeStruct((n, self.cfg.window, self.cfg.batch), jnp.int32)
        self.compiled[n] = self.fn.lower(*state, xs, xs, 0, self.key).compile()

    def begin_epoch(self, state, epoch):
        self.X, self.Y = (np.asarray(a, np.int32) for a in self.data(epoch))
        if self.on_epoch:
            self.on_epoch(epoch)
        return state[0], state[1], model.zeros(self.mcfg, self.cfg.batch)  # new data: the state resets

    def train(self, state, pos, n, step):
        fn = self.compiled.get(n) or self.fn
        params, opt_state, carry, losses, self.outputs = fn(*state, self.X[pos:pos + n], self.Y[pos:pos + n],
                                                            step, self.key)
        return (params, opt_state, carry), losses

    def finite(self, state):
        return model.finite(state[0])

    def tree(self, state):
        return {"params": state[0], "opt": state[1], "carry": state[2]}

    def evaluate(self, state, position):
        return None


def train(cfg: EcoConfig, params=None, data: Callable | None = None, log_every: int = 100,
          on_epoch: Callable | None = None, on_snapshot: Callable | None = None,
          on_compiled: Callable | None = None, save: Callable | None = None, progress=None,
          on_job: Callable | None = None) -> EcoResult:
    """Train the echo model; the library function behind ``rnr eco``.

    Args:
        params: initial parameters (default: ``model.init`` from ``cfg.seed``),
            so a run can start from exactly the weights of another program.
        data: ``data(epoch) -> (X, Y)`` windows of shape (windows, w, B)
            (default: a fresh random series per epoch from ``cfg.seed``).
        on_epoch(epoch), on_snapshot(Snapshot), on_compiled(seconds): host
            callbacks for progress, plots and logs, run between compiled calls.
        save(state, position): writes checkpoints (see ``rnr.loop.run``);
            on_job(job) sees the ``EcoJob`` first (its ``tree`` names what
            a checkpoint holds).

    Ctrl-C stops training between compiled calls and returns what was
    trained so far, with ``summary["interrupted"] = True``.

    Raises:
        Diverged if a loss is not finite or explodes (the last good state
        was given to ``save``).
    """
    cfg.validate()
    rng = np.random.default_rng(cfg.seed)
    if data is None:
        data = lambda epoch: epoch_data(cfg, rng)  # noqa: E731
    job = EcoJob(cfg, data, on_epoch)
    if on_job:
        on_job(job)
    epochs: list[np.ndarray] = []
    current: list[np.ndarray] = []

    def on_chunk(info):
        start = (info["pos"] - info["n"]) % cfg.windows  # the chunk's first window in its epoch
        losses = info["losses"]
        current.append(losses)
        if on_snapshot:
            so_far = np.concatenate(epochs + current)
            epoch = len(epochs)
            for k in range(start + (-start) % log_every, start + info["n"], log_every):
                pred = np.asarray(jnp.argmax(job.outputs[k - start], -1))
                on_snapshot(Snapshot(epoch, k, float(losses[k - start]), so_far[: epoch * cfg.windows + k + 1],
                                     job.X[k], job.Y[k], pred))
        if info["pos"] == 0:
            epochs.append(np.concatenate(current))
            current.clear()

    out = loop.run(job, job.start(params), loop.Limits(epochs=cfg.epochs), save=save, on_chunk=on_chunk,
                   on_compiled=on_compiled, progress=progress, checkpoint_seconds=CHECKPOINT_SECONDS)
    params = out.state[0]
    losses = np.stack(epochs) if epochs else np.full((1, cfg.windows), np.nan)
    acc = accuracy(cfg, params, np.random.default_rng(cfg.seed + 1_000_003))
    n_windows = len(epochs) * cfg.windows
    summary = {
        "task": KIND,
        "final_loss": float(losses[-1].mean()),
        "accuracy": acc,
        "epochs": len(epochs),
        "windows": n_windows,
        "compile_seconds": out.compile_seconds,
        "train_seconds": out.train_seconds,
        "windows_per_second": out.windows / out.train_seconds if out.train_seconds > 0 else math.inf,
        "cell": cfg.cell,
        "seed": cfg.seed,
        "interrupted": out.stopped_by == "interrupted",
    }
    return EcoResult(params=params, losses=losses, summary=summary)


def load_run(run_dir) -> tuple[EcoConfig, dict]:
    """The config and trained parameters of an ``rnr eco`` run directory."""
    from rnr import runs

    run = runs.load_run(run_dir, kind=KIND)
    return run.cfg, run.params
