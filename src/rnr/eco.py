"""The tutorial's echo experiment, end to end (``rnr eco``).

Defaults are the tutorial's: 100 epochs, each on a fresh random bit series
of 50,000 steps laid out as 5 rows of 10,000; windows of 15 steps (666 per
epoch, the last 10 steps of each row unused); a tanh RNN of 4 units with
weights uniform in [0, 1) and zero biases; 2 output classes; Adagrad 0.3;
the target is the input 3 steps earlier. The state carries over from window
to window and resets when an epoch starts.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from rnr import cells, model, optim, tbptt
from rnr.cells.common import INITS
from rnr.errors import Diverged, UserError
from rnr.tasks import echo


@dataclass(frozen=True)
class EcoConfig:
    epochs: int = 100
    length: int = 50000
    window: int = 15
    hidden: int = 4
    classes: int = 2
    delay: int = 3
    batch: int = 5
    lr: float = 0.3
    optimizer: str = "adagrad"
    clip: float | None = None
    cell: str = "rnn"
    init: str = "tutorial"
    forget_bias: float = 0.0
    seed: int = 0
    chunk: int = 0  # windows per compiled call; 0 = a whole epoch

    @property
    def row(self) -> int:
        return self.length // self.batch

    @property
    def windows(self) -> int:
        return self.row // self.window

    def model(self) -> model.ModelConfig:
        return model.ModelConfig(cell=self.cell, n_in=1, hidden=self.hidden, n_out=self.classes,
                                 init=self.init, forget_bias=self.forget_bias)

    def validate(self) -> "EcoConfig":
        """Raise UserError for any setting training cannot use."""
        for name in ("epochs", "length", "window", "hidden", "batch"):
            v = getattr(self, name)
            if not isinstance(v, int) or v <= 0:
                raise UserError("not_positive", name=name, value=v)
        if self.delay < 0:
            raise UserError("negative", name="delay", value=self.delay)
        if self.chunk < 0:
            raise UserError("negative", name="chunk", value=self.chunk)
        if self.classes < 2:
            raise UserError("bad_classes", value=self.classes)
        if self.window > self.row:
            raise UserError("window_too_long", window=self.window, row=self.row,
                            length=self.length, batch=self.batch)
        if self.delay >= self.row:
            raise UserError("delay_too_long", delay=self.delay, row=self.row)
        if self.init not in INITS:
            raise UserError("unknown_init", name=self.init, choices=", ".join(INITS))
        cells.get(self.cell)
        optim.make(self.optimizer, self.lr, self.clip)
        return self


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


def train(cfg: EcoConfig, params=None, data: Callable | None = None, log_every: int = 100,
          on_epoch: Callable | None = None, on_snapshot: Callable | None = None,
          on_compiled: Callable | None = None) -> EcoResult:
    """Train the echo model; the library function behind ``rnr eco``.

    Args:
        params: initial parameters (default: ``model.init`` from ``cfg.seed``),
            so a run can start from exactly the weights of another program.
        data: ``data(epoch) -> (X, Y)`` windows of shape (windows, w, B)
            (default: a fresh random series per epoch from ``cfg.seed``).
        on_epoch(epoch), on_snapshot(Snapshot), on_compiled(seconds): host
            callbacks for progress, plots and logs, run between compiled calls.

    Ctrl-C stops training between compiled calls and returns what was
    trained so far, with ``summary["interrupted"] = True``.

    Raises:
        Diverged if a loss is not finite; it holds the last good parameters.
    """
    cfg.validate()
    mcfg = cfg.model()
    key = jax.random.PRNGKey(cfg.seed)
    if params is None:
        params = model.init(key, mcfg)
    rng = np.random.default_rng(cfg.seed)
    if data is None:
        data = lambda epoch: epoch_data(cfg, rng)  # noqa: E731

    opt = optim.make(cfg.optimizer, cfg.lr, cfg.clip)
    opt_state = opt.init(params)
    step_fn = tbptt.make_train_chunk(mcfg, opt)
    carry0 = model.zeros(mcfg, cfg.batch)
    chunk = cfg.chunk or cfg.windows
    bounds = [(s, min(s + chunk, cfg.windows)) for s in range(0, cfg.windows, chunk)]

    t0 = time.perf_counter()
    compiled = {}
    for s, e in bounds:  # compile every distinct chunk length before training
        if e - s not in compiled:
            xs = jax.ShapeDtypeStruct((e - s, cfg.window, cfg.batch), jnp.int32)
            compiled[e - s] = step_fn.lower(params, opt_state, carry0, xs, xs).compile()
    compile_seconds = time.perf_counter() - t0
    if on_compiled:
        on_compiled(compile_seconds)

    state = {"params": params, "opt_state": opt_state}
    all_losses: list[np.ndarray] = []
    train_seconds = 0.0
    interrupted = False
    try:
        for epoch in range(cfg.epochs):
            X, Y = (np.asarray(a, np.int32) for a in data(epoch))
            if on_epoch:
                on_epoch(epoch)
            carry = carry0  # the state resets when an epoch draws new data
            epoch_losses = []
            for s, e in bounds:
                t = time.perf_counter()
                out = compiled[e - s](state["params"], state["opt_state"], carry, X[s:e], Y[s:e])
                losses = np.asarray(out[3])
                train_seconds += time.perf_counter() - t
                if not np.all(np.isfinite(losses)):
                    raise Diverged(epoch, float(losses[~np.isfinite(losses)][0]), state["params"])
                state["params"], state["opt_state"], carry, _, logits = out
                epoch_losses.append(losses)
                if on_snapshot:
                    so_far = np.concatenate(all_losses + epoch_losses)
                    for k in range(s + (-s) % log_every, e, log_every):
                        pred = np.asarray(jnp.argmax(logits[k - s], -1))
                        on_snapshot(Snapshot(epoch, k, float(losses[k - s]),
                                             so_far[: epoch * cfg.windows + k + 1], X[k], Y[k], pred))
            all_losses.append(np.concatenate(epoch_losses))
    except KeyboardInterrupt:
        interrupted = True
    params = state["params"]
    if not all_losses:
        all_losses.append(np.full(cfg.windows, np.nan))

    losses = np.stack(all_losses)
    acc = accuracy(cfg, params, np.random.default_rng(cfg.seed + 1_000_003))
    n_windows = len(all_losses) * cfg.windows
    summary = {
        "task": "echo",
        "final_loss": float(losses[-1].mean()),
        "accuracy": acc,
        "epochs": len(all_losses),
        "windows": n_windows,
        "compile_seconds": compile_seconds,
        "train_seconds": train_seconds,
        "windows_per_second": n_windows / train_seconds if train_seconds > 0 else math.inf,
        "cell": cfg.cell,
        "seed": cfg.seed,
        "interrupted": interrupted,
    }
    return EcoResult(params=params, losses=losses, summary=summary)


def config_dict(cfg: EcoConfig) -> dict:
    return {"task": "echo", **dataclasses.asdict(cfg)}


def load_run(run_dir) -> tuple[EcoConfig, dict]:
    """The config and trained parameters of an ``rnr eco`` run directory."""
    from pathlib import Path

    from rnr import checkpoint, runs

    run_dir = Path(run_dir)
    try:
        raw = runs.read_json(run_dir / "config.json")
    except (OSError, ValueError):
        raise UserError("not_a_run", path=run_dir) from None
    if raw.pop("task", None) != "echo":
        raise UserError("wrong_task", path=run_dir, expected="echo")
    names = {f.name for f in dataclasses.fields(EcoConfig)}
    cfg = EcoConfig(**{k: v for k, v in raw.items() if k in names})
    template = model.init(jax.random.PRNGKey(0), cfg.model())
    return cfg, checkpoint.load(run_dir / "params.safetensors", template)
