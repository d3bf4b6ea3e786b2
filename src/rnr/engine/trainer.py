"""The one trainer: what every training command does around ``rnr.engine.loop.run``.

    train_run(job, out, limits, schedule, resume=..., config=...)
        resume:  lock the run, read the last checkpoint (state and position,
                 which it must hold; the run kind's facts, which must be
                 config.json's and those of the data given now), cut
                 metrics.jsonl back to it (no line repeats after a kill; the
                 TensorBoard points a kill lost are written again). A run
                 already at its limits (its summary.json at the checkpoint's
                 step) is left as it is: one sentence says there is nothing
                 left to train, and the stored summary is returned
        new:     compile first; the run folder appears once training can
                 start (``Run.create``), its first checkpoint, then config.json
        train:   ``rnr.engine.loop.run``, a metrics line per chunk (``job.chunk_records``)
        divergence: one sentence naming the checkpoint kept (the last good state),
                 of a training loss or of a validation loss
        end:     a final evaluation when the loop made none (``job.evaluate``),
                 summary.json (the keys below and ``job.summary``), then
                 ``on_finished(run, summary)`` (figures) while the run is held

The summary keys every run has: task, steps, epochs (fractional), train_loss
(the last chunk's mean), compile_seconds, train_seconds (the whole run,
resumes included), devices, stopped_by, interrupted.

``out=None`` trains in memory: no folder, no file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from rnr.io import checkpoint, runs
from rnr.engine import devices, loop
from rnr.errors import Diverged, UserError
from rnr.io import files


@dataclass(frozen=True)
class Schedule:
    """How often a run validates and checkpoints (0: never by count)."""
    eval_every: int = 0  # windows (optimizer steps)
    checkpoint_every: int = 0  # windows
    checkpoint_seconds: float = 0.0  # also checkpoint when this much time has passed


@dataclass
class Trained:
    state: object
    summary: dict
    outcome: loop.Outcome
    last_eval: dict | None


def resume_point(job, run_path: Path) -> tuple[object, loop.Position, dict]:
    """The state, position and metadata stored in a run's last checkpoint;
    UserError if it holds no position (not written by rnr's trainer)."""
    path = Path(run_path) / runs.CHECKPOINT
    finite = ("params", "opt") if job.stateless else ("params", "opt", "carry")
    tree, meta = checkpoint.load(path, job.template(), finite=finite)
    if any(k not in meta for k in loop.Position.KEYS):  # not written by rnr's trainer: no step to go on from
        raise UserError("checkpoint_no_position", path=path)
    if "extra" not in meta and "best_val" in meta:  # written by rnr 0.1
        meta = {**meta, "extra": {"best_val": meta["best_val"], "best_step": meta.get("best_step")}}
    try:
        position = loop.Position.from_meta(meta, job.per_epoch)
    except ValueError:
        raise UserError("checkpoint_corrupt", path=path) from None
    return job.restore(tree), position, meta


def _resume_facts(run, meta: dict, config: dict | None) -> dict:
    """The facts the run's checkpoints store: config.json's, which the
    checkpoint's must be (if it has any) and the data given now must keep."""
    _, _, raw = runs.read_config(run.path)
    runs.check_facts(raw, meta, run.file(runs.CHECKPOINT))
    stored = runs.facts(raw)
    if config is not None:
        now = runs.facts(config)
        for name, digest in stored.items():
            if now.get(name) != digest:
                raise UserError("resume_other_facts", name=name, run=run.path)
    return stored


def _finished(run, position: loop.Position, limits: loop.Limits, job) -> dict | None:
    """The stored summary of a run already at its limits, or None: a run
    that stopped short of them, or whose summary.json is not of its last
    checkpoint (killed before writing it: the end is still to do)."""
    total = limits.total(job.per_epoch)
    if total is None or position.step < total:
        return None
    try:
        summary = files.read_json(run.file(runs.SUMMARY))
    except (OSError, ValueError):
        return None
    if not isinstance(summary, dict) or summary.get("steps") != position.step or summary.get("interrupted"):
        return None
    return summary


def train_run(job, out: Path | None, limits: loop.Limits, schedule: Schedule = Schedule(), *,
              resume: bool = False, config: dict | None = None, on_chunk: Callable | None = None,
              on_compiled: Callable | None = None, on_finished: Callable | None = None,
              progress=None, stop: loop.StopFlag | None = None) -> Trained:
    """Train ``job`` into the run folder ``out`` (see the module docstring).
    ``stop``: a Ctrl-C flag the caller holds across several runs (a sweep)."""
    limits = smoke_limits(limits)
    run = runs.Run.resume(out) if resume else None
    try:
        if resume:
            job.run = run
            state, position, meta = resume_point(job, run.path)
            run.facts = _resume_facts(run, meta, config)
            done = _finished(run, position, limits, job)
            if done is not None:  # nothing to train: nothing appended, nothing rewritten
                lang = getattr(progress, "lang", None)
                from rnr.i18n import default_lang, text

                print(text("nothing_left", lang or default_lang(), path=run.path, step=position.step),
                      file=sys.stderr)
                outcome = loop.Outcome(state, position, done.get("stopped_by") or "steps", 0.0, 0.0, 0, None, None)
                return Trained(state, done, outcome, None)
            runs.cut_metrics(run.file(runs.METRICS), position.step)
            devices.mark_checkpointed()  # its checkpoint is there: a lost peer leaves a run to resume
        else:
            state, position = job.start(), loop.Position()
            devices.mark_checkpointed(False)  # nothing saved yet

        def compiled(seconds):
            nonlocal run
            if out is not None and run is None:  # the folder appears once training can start
                run = job.run = runs.Run.create(out)
                run.facts = runs.facts(config) if config is not None else {}
            if on_compiled:
                on_compiled(seconds)

        def chunk_done(info):
            if run is not None:
                for rec in job.chunk_records(info):
                    runs.append_metrics(run.file(runs.METRICS), rec)
            if on_chunk:
                on_chunk(info)

        pending = {"config": config}

        def save(state, position):
            checkpoint.save(run.file(runs.CHECKPOINT), job.tree(state), {**position.meta(), "facts": run.facts})
            devices.mark_checkpointed()  # a lost peer from now on leaves a run to resume
            if pending["config"] is not None:  # config.json after the first checkpoint (a resume's new limits)
                run.finish_creating(pending["config"])
                pending["config"] = None

        try:
            outcome = loop.run(job, state, limits, position, save=save if out is not None else None,
                               checkpoint_every=schedule.checkpoint_every, eval_every=schedule.eval_every,
                               on_chunk=chunk_done, on_compiled=compiled, progress=progress,
                               checkpoint_seconds=schedule.checkpoint_seconds, stop=stop)
        except Diverged as e:
            validation = getattr(e, "validation", False)  # a validation loss showed it
            if run is None:
                key = "diverged_validation_in_memory" if validation else "diverged_in_memory"
                raise UserError(key, loss=e.loss, step=e.step) from None
            key = "diverged_validation" if validation else "diverged"
            raise UserError(key, loss=e.loss, step=e.step, path=run.file(runs.CHECKPOINT)) from None
        last = outcome.last_eval  # the loop's final evaluation (after Ctrl-C too, for evaluate_on_interrupt)
        summary = {**shared_summary(job, outcome), **job.summary(outcome, last)}
        if run is not None:
            files.write_json(run.file(runs.SUMMARY), summary)
            if on_finished:
                on_finished(run, summary)
        return Trained(outcome.state, summary, outcome, last)
    finally:
        if run is not None:
            run.close()


def smoke_limits(limits: loop.Limits) -> loop.Limits:
    """``limits`` with at most RNR_SMOKE_STEPS optimizer steps (when set)."""
    from rnr.settings import environment

    cap = environment.smoke_steps()
    if not cap:
        return limits
    return loop.Limits(epochs=limits.epochs, steps=min(limits.steps or cap, cap), minutes=limits.minutes)


def shared_summary(job, outcome: loop.Outcome) -> dict:
    """The summary keys every run kind has."""
    pos = outcome.position
    losses = outcome.last_losses
    return {"steps": pos.step, "epochs": pos.epoch + pos.pos / job.per_epoch,
            "train_loss": float(np.mean(losses)) if losses is not None and np.size(losses) else None,
            "compile_seconds": outcome.compile_seconds, "train_seconds": pos.train_seconds,
            "devices": job.n_devices, "stopped_by": outcome.stopped_by,
            "interrupted": outcome.stopped_by == "interrupted"}


def resumed_settings(args, kind: str, config_class) -> tuple[Path, object, dict]:
    """``--resume RUN``: the run's folder, its settings with the flags given
    now (only those its settings allow to change), and its raw config.json."""
    from rnr import settings

    out = Path(args.resume)
    if getattr(args, "out", None) and Path(args.out).resolve() != out.resolve():
        raise UserError("resume_out", run=out, out=args.out)
    loaded = runs.load_run(out, kind=kind, which="last")  # config, weights' shapes, finiteness
    settings.resume_conflicts(config_class, args, loaded.cfg)
    return out, settings.from_args(config_class, args, base=loaded.cfg, resumed=True), loaded.raw


def new_run_dir(args, kind: str, check: bool = True) -> Path:
    """``--out`` (or ``runs/<kind>-<time>``), checked to take a new run before anything is written."""
    out = Path(args.out) if getattr(args, "out", None) else runs.default_dir(kind)
    if check:
        runs.Run.check_new(out)
    return out
