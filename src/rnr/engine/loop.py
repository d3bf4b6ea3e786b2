"""The one host loop: every command that trains runs its compiled chunks here.

    compile ahead (timed apart); the first checkpoint
    until a limit (epochs, steps = windows over the whole run, minutes of
    training in this invocation) or Ctrl-C:
        at an epoch's start:   state = job.begin_epoch(state, epoch)
        state, losses = job.train(state, pos, n, step)      one compiled call
        divergence?            keep the last good state, stop, raise Diverged
        every eval_every:      job.evaluate(state)      (validation, best)
        every checkpoint_every: checkpoint
    checkpoint, then a final evaluation unless interrupted

A *job* is what a command gives the loop (``Job`` below): how many windows
make an epoch, how to compile and run a chunk of them, what a checkpoint
holds. eco, text, sweep (and its gap tasks' fresh-batch steps) are jobs.

Divergence: a loss that is not finite, parameters that are not finite, or
a loss above ``job.explode`` (ten times the loss of a uniform guess: the
model has left the region where it learns); and the same of a validation
loss (``job.validation_loss_of(result)`` of each evaluation; a job that keeps
a best checkpoint checks before writing it, ``rnr.engine.job``). The
checkpoint then holds the last good state: the state from before the chunk
that diverged, or from before the chunk ahead of it when the chunk's first
window already diverged (its loss is the loss of the state it started
from). A checkpoint never holds a diverged state, not even the one written
just before a final evaluation that finds the divergence.

Ctrl-C: the first one lets the running chunk finish, saves and returns with
``stopped_by = "interrupted"`` (no final validation: the user wants out,
unless the job sets ``evaluate_on_interrupt``: it scores what was trained);
the second raises KeyboardInterrupt at once, and since every file is
written atomically nothing is left half-written. In a multi-process run a
Ctrl-C at any process stops every process at the same chunk.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Protocol

import numpy as np

from rnr.engine import devices
from rnr.errors import Diverged


@dataclass
class Limits:
    """When training stops; 0 means no limit of that kind."""
    epochs: int = 0
    steps: int = 0
    minutes: float = 0.0

    def total(self, per_epoch: int) -> int | None:
        """Windows the run ends at (None when only the time budget limits it)."""
        ends = [s for s in (self.steps, self.epochs * per_epoch) if s]
        return min(ends) if ends else None


@dataclass
class Position:
    """Where a run stands; stored in every checkpoint's metadata."""
    step: int = 0  # windows (optimizer steps) trained in the whole run
    epoch: int = 0  # epochs completed
    pos: int = 0  # window index within the current epoch
    train_seconds: float = 0.0  # over the whole run, resumes included
    extra: dict = field(default_factory=dict)  # the job's own (best validation loss, ...)

    def meta(self) -> dict:
        return asdict(self)

    def copy(self) -> "Position":
        return replace(self, extra=dict(self.extra))

    KEYS = ("step", "epoch", "pos", "train_seconds")  # what every checkpoint the trainer writes holds

    @classmethod
    def from_meta(cls, meta: dict, per_epoch: int | None = None) -> "Position":
        """The position stored in a checkpoint; ValueError if it is not one
        (a count that is not a whole number in range, a window past the epoch)."""
        known = {k: meta[k] for k in ("step", "epoch", "pos", "train_seconds", "extra") if k in meta}
        p = cls(**known)
        counts_ok = all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 2**53
                        for v in (p.step, p.epoch, p.pos))
        seconds_ok = isinstance(p.train_seconds, (int, float)) and math.isfinite(p.train_seconds) and p.train_seconds >= 0
        if not counts_ok or not seconds_ok or not isinstance(p.extra, dict):
            raise ValueError("not a position")
        if per_epoch is not None and (p.pos >= per_epoch or p.step < p.epoch * per_epoch + p.pos):
            raise ValueError("a position past the epoch")
        best, best_step = p.extra.get("best_val"), p.extra.get("best_step")
        if best is not None and not (isinstance(best, (int, float)) and math.isfinite(best)):
            raise ValueError("a best loss that is not a number")
        if best_step is not None and not (isinstance(best_step, int) and 0 <= best_step <= p.step):
            raise ValueError("a best window out of range")
        return p


class Job(Protocol):
    per_epoch: int  # windows in one epoch
    chunk: int  # windows per compiled call (at most)
    explode: float  # a window loss above this is divergence (math.inf: never)
    keeps_diverged: bool  # many runs side by side: a diverged run is a result, not a reason to stop
    evaluate_on_interrupt: bool  # score what was trained when Ctrl-C stops the run
    stop_early: bool  # set by the job (no validation gain for --patience evaluations): stop now

    def compile(self, state, n: int) -> None: ...
    def begin_epoch(self, state, epoch: int): ...
    def train(self, state, pos: int, n: int, step: int) -> tuple[object, np.ndarray]: ...
    def finite(self, state) -> bool: ...
    def tree(self, state) -> dict: ...
    def evaluate(self, state, position: Position) -> dict | None: ...
    def validation_loss_of(self, result: dict) -> float | None: ...


@dataclass
class Outcome:
    state: object
    position: Position
    stopped_by: str  # "epochs", "steps", "time_budget", "early_stop", "interrupted"
    compile_seconds: float
    train_seconds: float  # this invocation
    windows: int  # trained in this invocation
    last_losses: np.ndarray | None
    last_eval: dict | None


class StopFlag:
    """The first SIGINT sets ``.set``; the second raises KeyboardInterrupt."""

    def __init__(self):
        self.set = False
        self.old = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        self.set = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)


def run(job: Job, state, limits: Limits, position: Position | None = None, *,
        save: Callable | None = None, checkpoint_every: int = 0, eval_every: int = 0,
        on_chunk: Callable | None = None, on_compiled: Callable | None = None, progress=None,
        stop: "StopFlag | None" = None, checkpoint_seconds: float = 0.0) -> Outcome:
    """Train ``job`` from ``state`` until a limit; see the module docstring.

    ``save(state, position)`` writes the checkpoint (None: no checkpoints).
    ``on_chunk(info)`` runs after every compiled call with a dict: step,
    epoch, pos, losses (n,) or (n, runs), seconds, state. ``progress``: a
    ``rnr.cli.progress.Progress`` (or None). ``stop``: a ``StopFlag`` the caller
    holds across several runs (a sweep's groups); by default the loop
    installs its own once training starts. ``checkpoint_seconds``: also
    checkpoint when this much time has passed since the last checkpoint.
    """
    position = position or Position()
    t0 = time.perf_counter()
    compiled = _chunk_sizes(job, limits, position)
    for n in sorted(compiled):
        job.compile(state, n)
    compile_seconds = time.perf_counter() - t0
    if on_compiled:
        on_compiled(compile_seconds)  # the command may create its run folder now
    if save and position.step == 0:
        save(state, position)  # the first checkpoint, before training: a run killed at once is usable
    if stop is not None:
        return _run(job, state, limits, position, save, checkpoint_every, eval_every, on_chunk, progress,
                    stop, compiled, compile_seconds, checkpoint_seconds)
    with StopFlag() as stop:  # from here the first Ctrl-C finishes the chunk and saves
        return _run(job, state, limits, position, save, checkpoint_every, eval_every, on_chunk, progress,
                    stop, compiled, compile_seconds, checkpoint_seconds)


def _chunk_sizes(job: Job, limits: Limits, position: Position) -> set[int]:
    """The chunk lengths a run will call: full chunks, the epoch's tail, the steps limit's tail."""
    n0 = min(job.chunk, job.per_epoch)
    sizes = {n0}
    if job.per_epoch % n0:
        sizes.add(job.per_epoch % n0)
    total = limits.total(job.per_epoch)
    if total is not None and total > position.step:
        start = position.pos
        left = total - position.step
        while left > 0:  # walk the chunks to the end only as far as a few epochs need
            n = min(n0, job.per_epoch - start, left)
            sizes.add(n)
            left -= n
            start = (start + n) % job.per_epoch
            if left > 3 * job.per_epoch:
                left = left % job.per_epoch + job.per_epoch
    return sizes


def _run(job, state, limits, position, save, checkpoint_every, eval_every, on_chunk, progress, stop, compiled,
         compile_seconds, checkpoint_seconds) -> Outcome:
    saved_at = time.perf_counter()
    total = limits.total(job.per_epoch)
    budget = limits.minutes * 60.0 if limits.minutes else math.inf
    stopped_by, last_losses, last_eval = None, None, None
    trained, seconds = 0, 0.0
    if progress:
        progress.start(position.step, total, budget)

    good = (state, position.copy())  # the last good state: before the chunk running now
    before = good  # the state before the chunk ahead of it

    def evaluate():
        nonlocal last_eval
        try:
            result = job.evaluate(state, position)
            bad = _validation_divergence(job, result)
        except Diverged as e:  # the job found it before writing anything (a best checkpoint)
            bad = e.loss
        if bad is not None:
            if save:
                save(*good)  # overwrites any checkpoint of the diverged state
            err = Diverged(position.step, bad, position.epoch)
            err.validation = True
            raise err
        if result is not None:
            last_eval = result

    while True:
        # process 0 judges the limits for every process of a multi-process run; a Ctrl-C at any
        # process stops them all at this chunk (rnr.engine.devices.agree)
        at_limit = total is not None and position.step >= total
        decision, interrupted = devices.agree(
            4 if job.stop_early else 3 if at_limit else 2 if seconds >= budget else 0, stop.set)
        if interrupted:
            stopped_by = "interrupted"
            break
        if decision == 3:
            stopped_by = "steps" if limits.steps and position.step >= limits.steps else "epochs"
            break
        if decision == 2:
            stopped_by = "time_budget"
            break
        if decision == 4:
            stopped_by = "early_stop"
            break
        if position.pos == 0:
            state = job.begin_epoch(state, position.epoch)
        n = min(job.chunk, job.per_epoch - position.pos, (total - position.step) if total is not None else job.chunk)
        t = time.perf_counter()
        if n not in compiled:  # a length not foreseen: compile it, not counted as training
            job.compile(state, n)
            compiled.add(n)
            compile_seconds += time.perf_counter() - t
            t = time.perf_counter()
        before, good = good, (state, position.copy())
        new_state, losses = job.train(state, position.pos, n, position.step)
        losses = np.asarray(losses)
        spent = time.perf_counter() - t
        bad = _divergence(job, new_state, losses)
        if bad is not None:
            if save:  # the last good state: before this chunk, or before the one ahead when it began diverged
                save(*(before if _diverged_losses(job, losses[:1]) else good))
            raise Diverged(position.step, bad, position.epoch)
        state = new_state
        seconds += spent
        trained += n
        prev = position.step
        position.step += n
        position.train_seconds += spent
        position.pos = (position.pos + n) % job.per_epoch
        position.epoch += position.pos == 0
        last_losses = losses
        info = {"step": position.step, "epoch": position.epoch, "pos": position.pos, "n": n, "losses": losses,
                "seconds": spent, "state": state}
        if on_chunk:
            on_chunk(info)
        if progress:
            progress.update(position.step, float(np.mean(losses)), seconds)
        if eval_every and position.step // eval_every > prev // eval_every:
            evaluate()
        due = checkpoint_every and position.step // checkpoint_every > prev // checkpoint_every
        if save and (due or checkpoint_seconds and time.perf_counter() - saved_at >= checkpoint_seconds):
            save(state, position)
            saved_at = time.perf_counter()
    if progress:
        progress.close()
    if save:
        save(state, position)  # first, so that a second Ctrl-C during validation loses nothing
    final = stopped_by != "interrupted" or getattr(job, "evaluate_on_interrupt", False)
    if final and (last_eval is None or last_eval.get("step") != position.step):
        evaluate()
        if save:
            save(state, position)
    return Outcome(state, position, stopped_by, compile_seconds, seconds, trained, last_losses, last_eval)


def diverged(loss, explode: float) -> bool:
    """Is ``loss`` (a number) divergence: not finite, or above ``explode``?"""
    return not math.isfinite(loss) or loss > explode


def _diverged_losses(job, losses) -> bool:
    losses = np.asarray(losses, dtype=np.float64)
    return bool(losses.size) and (not np.all(np.isfinite(losses)) or float(np.max(losses)) > job.explode)


def _divergence(job, state, losses) -> float | None:
    """The loss that shows divergence, or None when training is sound. A job
    of many runs side by side (a sweep) sets ``keeps_diverged``: a run that
    diverges is one of its results, not a reason to stop the others."""
    if getattr(job, "keeps_diverged", False):
        return None
    if not np.all(np.isfinite(losses)):
        return float(losses[~np.isfinite(losses)].flat[0])
    if losses.size and float(np.max(losses)) > job.explode:
        return float(np.max(losses))
    if not job.finite(state):
        return float("nan")
    return None


def _validation_divergence(job, result) -> float | None:
    """The validation loss of an evaluation ``result`` that shows divergence,
    or None (no loss to judge; a sweep keeps its diverged runs)."""
    if result is None or getattr(job, "keeps_diverged", False):
        return None
    judge = getattr(job, "validation_loss_of", None)
    loss = judge(result) if judge is not None else None
    if loss is None:
        return None
    return float(loss) if diverged(float(loss), job.explode) else None
