"""``rnr sweep``: cells x task settings x seeds, each shape group one compiled program."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rnr.i18n import text
from rnr.io import files
from rnr.cli.progress import report_end
from rnr.errors import UserError

ORDER = 30


def add_parser(sub, common):
    from rnr import settings
    from rnr.i18n import t
    from rnr.sweep.grid import SweepConfig

    p = sub.add_parser("sweep", parents=[common], help=t("help_sweep"), description=t("help_sweep_long"))
    settings.add_arguments(p, SweepConfig, defaults=SweepConfig.shown_defaults())
    p.add_argument("--out", default=None, metavar=t("meta_dir"), help=t("help_sweep_out"))
    p.add_argument("--plot", choices=("end", "none"), default="end", help=t("help_sweep_plot"))
    p.add_argument("--no-plot", dest="plot", action="store_const", const="none",
                   help=argparse.SUPPRESS)  # the old spelling of --plot none
    p.add_argument("--quiet", action="store_true", help=t("help_sweep_quiet"))
    p.set_defaults(run=run)
    return p


def config_from_args(args):
    """The task's defaults, the user's flags over them, every value checked."""
    from rnr import settings
    from rnr.sweep.grid import SweepConfig

    given = settings.given(SweepConfig, args)
    return SweepConfig.for_task(given.pop("task", "adding"), **given).validate()


def run(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np

    from rnr.io import runs
    from rnr.sweep import grid as sweep
    from rnr.cli.progress import Progress

    lang = args.lang
    cfg = config_from_args(args)  # every check before anything is written
    out = Path(args.out) if args.out else runs.default_dir(f"sweep-{cfg.task}")
    run_dir = runs.Run.create(out)
    run_dir.finish_creating(sweep.config_dict(cfg))
    metrics = out / runs.METRICS

    groups = cfg.groups()
    n_runs = sum(len(g["runs"]) for g in groups)
    what = ", ".join(f"{g['cell']} {g.get('T', g.get('window'))}" for g in groups[:4]) + (" ..." if len(groups) > 4 else "")
    streaming = getattr(cfg.module, "STREAMING", False)
    progress = Progress(lang, quiet=args.quiet, unit="epochs" if streaming else "steps",
                        every=1 if streaming else 10 * cfg.chunk)
    progress.write(text("sweep_plan", lang, task=cfg.task, groups=len(groups), runs=n_runs, what=what))
    progress.start(0, cfg.work(), float("inf"))

    def on_progress(p):
        # the rate over training time; the groups still to compile add their expected compile time
        progress.update(p.done, float(np.nanmean(p.losses)), p.train_seconds, pending=p.pending())
        runs.append_metrics(metrics, record(p))

    def on_group(g, rows, timing):
        by_setting = {}
        for r in rows:
            by_setting.setdefault(r["setting"], []).append(r)
        for setting, rs in by_setting.items():
            if "window" in g:  # the setting in the reader's words ("T=10" reads the same in both)
                setting = text("sweep_setting_echo", lang, window=g["window"], delay=rs[0]["gap"])
            kept = [r["value"] for r in rs if not r["diverged"]]
            say_line(text("sweep_group_done", lang, cell=g["cell"], setting=setting,
                          metric=text("metric_" + rs[0]["metric"], lang),
                          mean=sum(kept) / len(kept) if kept else float("nan"), baseline=rs[0]["baseline"],
                          solved=sum(r["solved"] for r in rs), runs=len(rs),
                          compile=timing["compile_seconds"], train=timing["train_seconds"]))
            if len(kept) < len(rs):
                say_line(text("sweep_group_diverged", lang, diverged=len(rs) - len(kept), runs=len(rs)))

    say_line = progress.write

    t0 = time.perf_counter()
    with run_dir:
        try:
            rows, timing = sweep.run(cfg, on_progress=on_progress, on_group=on_group)
        finally:
            progress.close()
        seconds = time.perf_counter() - t0
        _write_results(args, cfg, out, rows, timing, seconds)
    if rows and all(r["diverged"] for r in rows):  # the results are written; none of them learned anything
        raise UserError("sweep_all_diverged", runs=len(rows), path=out)
    return report_end(text("sweep_done", lang, runs=len(rows), seconds=seconds, compile=timing["compile_seconds"],
                           train=timing["train_seconds"]), out, lang, timing["interrupted"])


def record(p) -> dict:
    """One metrics.jsonl line of a sweep: the group's own step (each group's
    runs start at 1, so TensorBoard overlays them), the group, the runs'
    seeds (and echo's delays), one training loss per run."""
    g = p.group
    rec = {"step": p.group_done, "cell": g["cell"], "T": g.get("T"), "window": g.get("window")}
    if "window" in g:
        rec["delays"] = [r["delay"] for r in g["runs"]]
    return rec | {"seeds": [r["seed"] for r in g["runs"]], "train_loss": [float(v) for v in p.losses]}


def _write_results(args, cfg, out, rows, timing, seconds) -> None:
    """results.csv, summary.json, table.md and sweep.png."""
    from rnr.io import runs
    from rnr.sweep import results

    summary = results.summarize(cfg, rows, timing) | {"wall_seconds": seconds, "interrupted": timing["interrupted"]}
    files.atomic_write_bytes(out / "results.csv", results.to_csv(rows).encode())
    files.write_json(out / runs.SUMMARY, summary)
    files.atomic_write_bytes(out / "table.md", results.to_markdown(summary).encode())
    if args.plot != "none" and rows:
        from rnr.sweep import figures as sweep_figure

        files.save_figure(sweep_figure.figure(cfg.task, rows, args.lang), out / "sweep.png", dpi=110)
