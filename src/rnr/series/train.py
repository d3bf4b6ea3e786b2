"""Train a series job into a run folder, or resume it; the summary it ends with.

    train(job, run, ...)   first checkpoint, then config.json (``rnr.runs``), then
                           ``rnr.loop.run``: evaluation and a checkpoint every
                           ``--eval-every`` epochs, the held-out scores at the end
"""

from __future__ import annotations

from rnr import checkpoint, loop, runs
from rnr.errors import UserError

CHECKPOINT_SECONDS = 60.0


def resume_point(job, run_path):
    """The state and position in a run's last checkpoint."""
    tree, meta = checkpoint.load(run_path / runs.CHECKPOINT, job.template(), finite=("params", "opt"))
    try:
        position = loop.Position.from_meta(meta, job.per_epoch)
    except ValueError:
        raise UserError("checkpoint_corrupt", path=run_path / runs.CHECKPOINT) from None
    from rnr import model

    return job.place((tree["params"], tree["opt"], model.zeros(job.mcfg, job.batch))), position


def train(job, run, resume: bool, config: dict | None, progress=None, on_compiled=None) -> tuple:
    """Train ``job`` in the locked ``run`` (a ``rnr.runs.Run``, or None for no
    files); returns (outcome of ``rnr.loop.run``, the last evaluation)."""
    cfg = job.cfg
    if resume:
        state, position = resume_point(job, run.path)
        runs.cut_metrics(run.file(runs.METRICS), position.step)
    else:
        state, position = job.start(), loop.Position()

    def chunk_record(info):
        if run is not None:
            runs.append_metrics(run.file(runs.METRICS), {"step": info["step"], "epoch": info["epoch"],
                                                         "loss": float(info["losses"].mean())})

    save = run.saver(job.tree, config) if run is not None else None
    limits = loop.Limits(epochs=cfg.epochs, minutes=cfg.time_budget)
    out = loop.run(job, state, limits, position, save=save, checkpoint_every=job.per_eval,
                   eval_every=job.per_eval, on_chunk=chunk_record, on_compiled=on_compiled, progress=progress,
                   checkpoint_seconds=CHECKPOINT_SECONDS)
    last = out.last_eval
    if last is None or last.get("step") != out.position.step:  # interrupted: score what was trained
        last = job.evaluate(out.state, out.position)
    return out, last


def summary(job, out, last: dict) -> dict:
    """What summary.json holds: the held-out scores and the timings."""
    pos = out.position
    s = last["scores"]
    base = {"task": "series", "problem": "classify" if "accuracy" in s else "forecast",
            "steps": pos.step, "epochs": pos.epoch + pos.pos / job.per_epoch,
            "train_loss": float(out.last_losses.mean()) if out.last_losses is not None else None,
            "compile_seconds": out.compile_seconds, "train_seconds": pos.train_seconds,
            "devices": job.n_devices, "stopped_by": out.stopped_by, "interrupted": out.stopped_by == "interrupted"}
    which = last["which"]
    if "accuracy" in s:
        return {**base, f"{which}_accuracy": s["accuracy"], f"{which}_loss": s["loss"],
                f"{which}_per_class": s["per_class"], f"{which}_confusion": s["confusion"], "held": which}
    return {**base, "held": which, **{k: s[k] for k in ("mae", "rmse", "mase", "smape")},
            "naive": s["naive"], "season": job.prep.season, "forecast": s["forecast"],
            "naive_forecast": s["naive_forecast"]}
