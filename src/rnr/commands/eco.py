"""``rnr eco``: the tutorial's echo RNN, trained with its exact settings.

Progress: the tutorial's own lines ("New data, epoch N", "Step ... Loss")
for the first ``TUTORIAL_EPOCHS`` epochs and the last one (every epoch
with ``--verbose``); in between a bar on a terminal, or one line per epoch
in a log (``rnr.progress``). The last line is the summary.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rnr.i18n import t, text
from rnr.io import files

ORDER = 10

# With --plot save the training figure is refreshed every 100 windows, but the
# file is rewritten at most this often: rendering a PNG costs far more than
# training 100 windows.
SAVE_EVERY_SECONDS = 1.0

TUTORIAL_EPOCHS = 3  # epochs 0, 1, 2 (and the last) print the tutorial's lines


def add_parser(sub, common):
    from rnr import settings
    from rnr.eco import EcoConfig

    p = sub.add_parser("eco", parents=[common], help=t("help_eco"), description=t("help_eco_long"))
    settings.add_arguments(p, EcoConfig)
    p.add_argument("--out", default=None, metavar=t("meta_dir"), help=t("help_eco_out"))
    p.add_argument("--plot", choices=("end", "none", "save", "live"), default="end", help=t("help_eco_plot"))
    p.add_argument("--quiet", action="store_true", help=t("help_eco_quiet"))
    p.add_argument("--verbose", action="store_true", help=t("help_eco_verbose"))
    p.set_defaults(run=run)
    return p


def run(args) -> int:
    import matplotlib

    from rnr import eco, runs, settings
    from rnr.errors import Diverged, UserError
    from rnr.views import echo_figure, live

    lang = args.lang
    plot = args.plot
    if plot != "live":
        matplotlib.use("Agg")
    elif not live.screen_available():
        print(text("live_unavailable", lang), file=sys.stderr)
        plot = "save"
    base = eco.EcoConfig()
    if args.chunk is None and plot == "live":
        base = eco.EcoConfig(chunk=100)
    cfg = settings.from_args(eco.EcoConfig, args, base=base)  # every check before anything is written
    out = Path(args.out) if args.out else runs.default_dir("eco")
    runs.Run.check_new(out)
    metrics = out / runs.METRICS
    holder = {}

    def save(state, position):
        holder["save"](state, position)

    def on_compiled(seconds):
        # the run directory appears only once training can start
        run = holder["run"] = runs.Run.create(out)
        holder["save"] = run.saver(holder["tree"], eco.config_dict(cfg))

    from rnr.progress import Progress

    def tutorial(epoch):
        """Does this epoch print the tutorial's lines?"""
        return args.verbose or epoch < TUTORIAL_EPOCHS or epoch == cfg.epochs - 1

    # a bar on a terminal; in a log one line per epoch for the epochs without the tutorial's lines
    progress = Progress(lang, quiet=args.quiet, per_epoch=cfg.windows, unit="windows",
                        epoch_line=lambda epoch: not tutorial(epoch))
    say = progress.write
    fig = shown = None
    last = {"saved": 0.0}

    def title(snap):
        return text("fig_title", lang, cell=cfg.cell, epoch=snap.epoch, window=snap.step)

    def on_epoch(epoch):
        if tutorial(epoch):
            say(text("new_data", lang, epoch=epoch))

    def on_snapshot(snap):
        nonlocal fig, shown
        if tutorial(snap.epoch):
            say(text("step_loss", lang, step=snap.step, loss=snap.loss))
        runs.append_metrics(metrics, {"step": snap.epoch * cfg.windows + snap.step + 1, "epoch": snap.epoch,
                                      "window": snap.step, "loss": snap.loss})
        last["snap"] = snap
        if plot in ("save", "live"):
            if fig is None:
                fig = echo_figure.TrainingFigure(cfg.window, lang)
                shown = live.LiveFigure(fig.fig) if plot == "live" else None
            fig.update(snap.losses_so_far, snap.x, snap.y, snap.pred, title(snap))
            if shown:
                shown.refresh()
            elif time.perf_counter() - last["saved"] >= SAVE_EVERY_SECONDS:
                files.save_figure(fig.fig, out / "training.png")
                last["saved"] = time.perf_counter()

    say(text("compiling", lang))
    try:
        try:
            result = eco.train(cfg, on_epoch=on_epoch, on_snapshot=on_snapshot, on_compiled=on_compiled,
                               save=save, on_job=lambda job: holder.setdefault("tree", job.tree),
                               progress=progress)
        except Diverged as e:
            raise UserError("diverged", loss=e.loss, step=e.step, path=out / runs.CHECKPOINT) from None
        finally:
            progress.close()
        _finish(args, cfg, out, result, last, fig)
    finally:
        if "run" in holder:
            holder["run"].close()
    s = result.summary
    print(text("summary", lang, delay=cfg.delay, **s))
    print(text("saved_to", lang, path=out))
    if s["interrupted"]:
        print(text("interrupted", lang, path=out), file=sys.stderr)
    if plot == "live" and shown and not shown.notebook:
        import matplotlib.pyplot as plt

        plt.ioff()
        plt.show()
    return 130 if s["interrupted"] else 0


def _finish(args, cfg, out, result, last, fig) -> None:
    """metrics' epoch means, summary.json and the figures."""
    from rnr import runs
    from rnr.views import echo_figure

    for epoch, row in enumerate(result.losses):
        runs.append_metrics(out / runs.METRICS, {"step": (epoch + 1) * cfg.windows, "epoch": epoch,
                                                 "mean_loss": float(row.mean())})
    files.write_json(out / runs.SUMMARY, result.summary)
    if args.plot != "none" and "snap" in last:
        snap = last["snap"]
        fig = fig or echo_figure.TrainingFigure(cfg.window, args.lang)
        fig.update(snap.losses_so_far, snap.x, snap.y, snap.pred,
                   text("fig_title", args.lang, cell=cfg.cell, epoch=snap.epoch, window=snap.step))
        files.save_figure(fig.fig, out / "training.png")
        files.save_figure(echo_figure.loss_curve(result.losses, args.lang), out / "loss.png")
