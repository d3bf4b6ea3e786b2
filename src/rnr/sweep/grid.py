"""``rnr sweep``: a grid of cells x task settings x seeds, trained in groups.

A group is every run that shares shapes, and it trains as one compiled
program (``rnr.sweep.programs``, ``jax.vmap`` over its runs, the run axis
split over the devices, ``rnr.engine.devices``):

    copy, adding   group = (cell, T)        runs = seeds
    echo           group = (cell, window)   runs = delays x seeds

The gap is what the long-term dependency spans: T for copy and adding, the
delay for echo. Each run ends with one final metric, compared with the
task's memoryless baseline and "solved" threshold:

    task    metric                     baseline          solved
    copy    cross-entropy (fresh set)  10 ln 8 / (T+20)  <= 0.1 x baseline
    adding  mean squared error         1/6               <= 0.01
    echo    accuracy (fresh series)    0.5               >= 0.99
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from rnr.engine import cells, devices, loop, memory, model, trainer
from rnr.settings import flags
from rnr import settings
from rnr.sweep import tasks
from rnr.errors import UserError
from rnr.settings import setting

KIND = "sweep"


@dataclass(frozen=True)
class SweepConfig:
    task: str = setting("adding", "help_sweep_task", choices=tuple(tasks.TASKS))
    cells: tuple[str, ...] = setting(("rnn", "lstm", "gru"), "help_sweep_cells", item=str,
                                     choices=lambda: tuple(cells.CELLS))
    lengths: tuple[int, ...] = setting((), "help_sweep_lengths", item=int, flag="gaps",
                                       aliases=("lengths",))  # copy, adding: the gap T
    windows: tuple[int, ...] = setting((), "help_sweep_windows", item=int)  # echo: truncation windows
    delays: tuple[int, ...] = setting((), "help_sweep_delays", item=int)  # echo: the gap
    seeds: int = setting(4, "help_sweep_seeds", low=1, high=100_000)
    hidden: int = flags.hidden(32)
    batch: int = flags.batch(32)
    steps: int = flags.steps(1500)  # copy, adding: optimizer steps per run
    epochs: int = flags.epochs(20)  # echo: epochs per run
    series: int = flags.series_length(10000)  # echo: steps in each epoch's series
    lr: float = flags.lr(0.01)
    optimizer: str = flags.optimizer("adam")
    clip: float | None = flags.clip(1.0)
    init: str = flags.init("torch")
    forget_bias: float = flags.forget_bias(1.0)
    chunk: int = flags.chunk(100)  # copy, adding: steps per compiled call
    eval_batch: int = setting(1000, "help_sweep_eval_batch", low=1, high=1_000_000)  # copy, adding: scored at the end

    @classmethod
    def for_task(cls, task: str, **given) -> "SweepConfig":
        """The task's sweep defaults, overridden by every setting in ``given`` that is not None."""
        values = {**tasks.get(task).SWEEP, **{k: v for k, v in given.items() if v is not None}}
        if values.get("clip") == 0:
            values["clip"] = None  # --clip 0 turns clipping off
        return cls(task=task, **values)

    @property
    def module(self):
        return tasks.get(self.task)

    @classmethod
    def shown_defaults(cls) -> dict:
        """{field: "adding, copy: 32; echo: 5"} for the settings whose default
        depends on the task (``tasks/*.SWEEP``), for --help."""
        out = {}
        for name in sorted({k for t in tasks.TASKS.values() for k in t.SWEEP}):
            by_value = {}
            for task, mod in sorted(tasks.TASKS.items()):
                if name in mod.SWEEP:
                    by_value.setdefault(settings.shown_default(mod.SWEEP[name]), []).append(task)
            out[name] = "; ".join(f"{', '.join(ts)}: {v}" for v, ts in by_value.items())
        return out

    def validate(self) -> "SweepConfig":
        return settings.validate(self)

    def check(self) -> None:
        """Rules between settings, and the memory a group would take."""
        if not (self.epochs if getattr(self.module, "STREAMING", False) else self.steps):
            raise UserError("no_limit", flags="--epochs" if getattr(self.module, "STREAMING", False) else "--steps")
        if not self.cells:
            raise UserError("sweep_empty", name="cells")
        _no_repeats("cells", self.cells)
        if getattr(self.module, "STREAMING", False):
            self._check_echo()
        else:
            if self.windows or self.delays:
                raise UserError("sweep_wrong_axis", task=self.task, given="--windows/--delays", use="--gaps")
            if not self.lengths:
                raise UserError("sweep_empty", name="gaps")
            smallest = self.module.MIN_GAP
            for T in self.lengths:
                if not 1 <= T <= 10**6 or T < smallest:
                    raise UserError("sweep_bad_length", task=self.task, value=T, smallest=smallest)
            _no_repeats("gaps", self.lengths)
        runs = max(len(g["runs"]) for g in self.groups())
        mcfg = model.ModelConfig(cell=self.cells[0], n_in=10, hidden=self.hidden, n_out=10)
        longest = max(self.lengths or (0,)) + 20
        acts = 4 * 8 * max(longest * max(self.batch, self.eval_batch), self.series) * (self.hidden + 10)
        memory.check_fits(runs * (4 * model.param_bytes(mcfg) + acts),
                          "--seeds/--hidden/--batch/--eval-batch/--gaps")

    def _check_echo(self):
        if self.lengths:
            raise UserError("sweep_wrong_axis", task="echo", given="--gaps", use="--windows and --delays")
        for name in ("windows", "delays"):
            if not getattr(self, name):
                raise UserError("sweep_empty", name=name)
            _no_repeats(name, getattr(self, name))
        row = self.series // self.batch
        for w in self.windows:
            if not 0 < w <= row:
                raise UserError("sweep_bad_window", value=w, row=row)
        for d in self.delays:
            if not 0 <= d < row:
                raise UserError("sweep_bad_delay", value=d, row=row)

    def groups(self) -> list[dict]:
        """Every group of runs that trains as one program, in order."""
        if getattr(self.module, "STREAMING", False):
            return [{"cell": c, "window": w, "runs": [{"delay": d, "seed": s} for d in self.delays
                                                       for s in range(self.seeds)]}
                    for c in self.cells for w in self.windows]
        return [{"cell": c, "T": T, "runs": [{"seed": s} for s in range(self.seeds)]}
                for c in self.cells for T in self.lengths]

    def work(self) -> int:
        """Progress units of the whole sweep: steps (copy, adding) or epochs (echo), per group."""
        per = self.epochs if getattr(self.module, "STREAMING", False) else self.steps
        return per * len(self.groups())

    def as_dict(self) -> dict:
        return settings.to_dict(self)


Config = SweepConfig


def config_dict(cfg: SweepConfig) -> dict:
    """config.json of a sweep: "task" says "sweep" (the run's kind, as for
    every run), "sweep_task" the task swept, then every other setting."""
    return {**cfg.as_dict(), "task": KIND, "sweep_task": cfg.task}


def stored_settings(raw: dict) -> dict:
    """The settings in a sweep's config.json, as SweepConfig names them."""
    return {**raw, "task": raw.get("sweep_task")}


def check_stored(cfg, raw, where) -> None:
    """A sweep stores only its settings."""


def _no_repeats(name, values):
    seen = set()
    for v in values:
        if v in seen:
            raise UserError("sweep_repeated", name=name, value=v)
        seen.add(v)


def baseline(task: str, gap: int) -> float:
    return tasks.get(task).baseline(gap)


def solved(task: str, value: float, gap: int) -> bool:
    return math.isfinite(value) and tasks.get(task).solved(value, gap)


@dataclass
class Progress:
    """What the host hears while a sweep runs."""
    done: int  # progress units finished in the whole sweep
    total: int
    group: dict
    group_done: int = 0  # progress units finished in this group: each run's own step, from 1
    losses: np.ndarray | None = None  # (runs,) mean training loss of the latest chunk
    train_seconds: float = 0.0  # training (and scoring) so far, compiling left out
    compile_seconds: float = 0.0  # compiling so far
    compiled: int = 0  # groups compiled so far
    groups: int = 0  # groups in the sweep

    def pending(self) -> float:
        """Seconds of compiling still ahead: the groups not yet compiled, at
        the mean compile time so far (compiling can be half a sweep's time)."""
        if not self.compiled:
            return 0.0
        return self.compile_seconds / self.compiled * max(0, self.groups - self.compiled)


class GroupJob:
    """What the two kinds of group share as ``rnr.engine.loop`` jobs: runs side by
    side, a diverged run is one of the sweep's results, the final scores are
    the group's evaluation."""
    keeps_diverged = True  # a run that diverges is a result of the sweep
    evaluate_on_interrupt = False  # a group cut short is no result
    stop_early = False
    explode = math.inf

    def begin_epoch(self, state, epoch):
        return state

    def finite(self, state):
        return True

    def chunk_records(self, info):
        return []

    def summary(self, outcome, last):
        return {}


class GapJob(GroupJob):
    """A group of copy or adding runs (one per seed): one "epoch" of ``steps``
    fresh-batch full-BPTT steps (``rnr.sweep.programs.GapProgram``); state stacked over runs."""

    def __init__(self, cfg: SweepConfig, g: dict):
        from rnr.sweep import programs as sweep_train

        self.prog = sweep_train.gap_program(cfg.task, g["cell"], g["T"], cfg.hidden, cfg.batch, cfg.eval_batch,
                                            cfg.optimizer, cfg.lr, cfg.clip, cfg.init, cfg.forget_bias)
        self.vm = sweep_train.VmappedGap(self.prog)
        self.seeds = [r["seed"] for r in g["runs"]]
        self.per_epoch, self.chunk = cfg.steps, cfg.chunk or cfg.steps
        self.n_devices = devices.choose(len(self.seeds))
        self.mesh = devices.make_mesh(self.n_devices)  # the runs spread over the devices

    def start(self):
        return self.vm.start(self.seeds, self.mesh)

    def compile(self, state, n):
        self.vm.compile(state, n)

    def train(self, state, pos, n, step):
        state, losses = self.vm.chunk(state, n)
        return state, np.asarray(losses).T  # (n, runs)

    def evaluate(self, state, position):
        """The final metric and accuracy of every run, on fresh sequences."""
        value, acc = self.vm.evaluate(state, self.seeds)
        return {"step": position.step, "value": value, "accuracy": acc}


class EchoGroupJob(GroupJob):
    """A group of echo runs with the same window (delays x seeds), trained as
    ``rnr eco`` trains each of them, side by side (``rnr.sweep.programs.VmappedEcho``)."""

    def __init__(self, cfg: SweepConfig, g: dict):
        from rnr.sweep import programs as sweep_train

        self.n_devices = devices.choose(len(g["runs"]))
        self.vm = sweep_train.VmappedEcho(echo_configs(cfg, g), devices.make_mesh(self.n_devices))
        self.per_epoch = self.chunk = self.vm.cfgs[0].windows
        self.compiled = False

    def start(self):
        return self.vm.start()

    def compile(self, state, n):
        if not self.compiled:
            self.vm.compile(state)
            self.compiled = True

    def train(self, state, pos, n, step):
        state, losses = self.vm.epoch(state)
        return state, losses.T  # (windows, runs)

    def evaluate(self, state, position):
        acc = self.vm.accuracy(state)
        return {"step": position.step, "value": acc, "accuracy": acc}


def run(cfg: SweepConfig, on_progress: Callable | None = None, on_group: Callable | None = None):
    """Train the whole grid; returns (rows, timing).

    ``rows``: one dict per run (cell, task, setting, gap, seed, metric, value,
    baseline, solved, accuracy, final_train_loss). ``on_progress(Progress)``
    is called after every compiled call (``Progress.group_done``: the
    group's own steps, or epochs for echo, so far; every group starts at 1),
    ``on_group(group, rows, timing)`` after every group (timing: compile_seconds, train_seconds, seconds);
    both run between compiled calls. Each group is one ``rnr.engine.loop`` run; the
    first Ctrl-C ends the sweep after the current chunk, with the groups
    finished so far (the interrupted group is left out; ``timing["interrupted"]``
    is then True).
    """
    cfg.validate()
    with loop.StopFlag() as stop:  # one Ctrl-C ends the sweep after the current chunk, whichever group
        return _run_groups(cfg, on_progress, on_group, stop)


def _run_groups(cfg, on_progress, on_group, stop):
    rows, timing = [], {"compile_seconds": 0.0, "train_seconds": 0.0, "groups": [], "interrupted": False}
    done, total = 0, cfg.work()
    streaming = getattr(cfg.module, "STREAMING", False)
    groups = cfg.groups()
    seen = {"train": 0.0, "compile": 0.0, "compiled": 0}  # for the time left, compiling apart
    for g in groups:
        if stop.set:
            timing["interrupted"] = True
            break
        t0 = time.perf_counter()
        job = EchoGroupJob(cfg, g) if streaming else GapJob(cfg, g)
        limits = loop.Limits(epochs=cfg.epochs if streaming else 1)

        in_group = 0

        def on_chunk(info, g=g):
            nonlocal done, in_group
            units = 1 if streaming else info["n"]
            done += units
            in_group += units
            seen["train"] += info["seconds"]
            if on_progress:
                on_progress(Progress(done, total, g, in_group, info["losses"].mean(axis=0), seen["train"],
                                     seen["compile"], seen["compiled"], len(groups)))

        def on_compiled(seconds):
            seen["compile"] += seconds
            seen["compiled"] += 1

        trained = trainer.train_run(job, None, limits, on_chunk=on_chunk, on_compiled=on_compiled, stop=stop)
        out = trained.outcome
        if out.stopped_by == "interrupted":  # a group cut short is no result: report the finished ones
            timing["interrupted"] = True
            break
        t_train = out.train_seconds  # the final scoring is counted as training, as it runs after it
        scoring = time.perf_counter() - t0 - out.compile_seconds - out.train_seconds
        t_train += max(0.0, scoring)
        seen["train"] += max(0.0, scoring)
        value, acc = trained.last_eval["value"], trained.last_eval["accuracy"]
        last = out.last_losses.mean(axis=0) if out.last_losses is not None else np.full(len(g["runs"]), np.nan)
        group_rows = _group_rows(cfg, g, value, acc, last)
        timing["compile_seconds"] += out.compile_seconds
        timing["train_seconds"] += t_train
        g_time = {"compile_seconds": out.compile_seconds, "train_seconds": t_train,
                  "seconds": time.perf_counter() - t0}
        timing["groups"].append({k: v for k, v in g.items() if k != "runs"} | {"runs": len(g["runs"])} | g_time)
        rows.extend(group_rows)
        if on_group:
            on_group(g, group_rows, g_time)
    return rows, timing


def _group_rows(cfg, g, value, acc, last) -> list[dict]:
    if "window" in g:
        return [_row(cfg, g["cell"], f"window={g['window']},delay={r['delay']}", r["delay"], r["seed"],
                     value[k], acc[k], last[k]) | {"window": g["window"]} for k, r in enumerate(g["runs"])]
    return [_row(cfg, g["cell"], f"T={g['T']}", g["T"], r["seed"], value[k], acc[k], last[k])
            for k, r in enumerate(g["runs"])]


def echo_configs(cfg: SweepConfig, g: dict):
    """The ``rnr.echo.experiment.EcoConfig`` of every run in an echo group."""
    from rnr.echo.experiment import EcoConfig

    return [EcoConfig(epochs=cfg.epochs, length=cfg.series, window=g["window"], hidden=cfg.hidden,
                      delay=r["delay"], batch=cfg.batch, lr=cfg.lr, optimizer=cfg.optimizer, clip=cfg.clip,
                      cell=g["cell"], init=cfg.init, forget_bias=cfg.forget_bias, seed=r["seed"]).validate()
            for r in g["runs"]]


def _row(cfg, cell, setting, gap, seed, value, acc, train_loss):
    """One run's result; ``diverged`` when its final score or training loss is not finite."""
    value, train_loss = float(value), float(train_loss)
    diverged = not (np.isfinite(value) and np.isfinite(train_loss))
    return {"cell": cell, "task": cfg.task, "setting": setting, "gap": gap, "seed": seed,
            "metric": cfg.module.METRIC, "value": value, "baseline": baseline(cfg.task, gap),
            "solved": False if diverged else solved(cfg.task, value, gap), "accuracy": float(acc),
            "final_train_loss": train_loss, "diverged": diverged}
