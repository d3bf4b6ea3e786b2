"""``rnr eco``: the tutorial's echo RNN, trained with its exact settings.

Progress: the tutorial's own lines ("New data, epoch N", "Step ... Loss")
for the first ``TUTORIAL_EPOCHS`` epochs and the last one (every epoch
with ``--verbose``); in between a bar on a terminal, or one line per epoch
in a log (``rnr.cli.progress``). The last line is the summary.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rnr.i18n import t, text
from rnr.io import files
from rnr.cli.progress import report_end

ORDER = 10

# With --plot save the training figure is refreshed every 100 windows, but the
# file is rewritten at most this often: rendering a PNG costs far more than
# training 100 windows.
SAVE_EVERY_SECONDS = 1.0

TUTORIAL_EPOCHS = 3  # epochs 0, 1, 2 (and the last) print the tutorial's lines


def add_parser(sub, common):
    from rnr import settings
    from rnr.echo.experiment import EcoConfig

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

    from rnr.echo import experiment as eco
    from rnr import settings
    from rnr.engine import trainer
    from rnr.cli.progress import Progress
    from rnr.views import live

    lang = args.lang
    plot = args.plot
    if plot != "live":
        matplotlib.use("Agg")
    elif not live.screen_available():
        print(text("live_unavailable", lang), file=sys.stderr)
        plot = "save"
    base = eco.EcoConfig(chunk=100) if args.chunk is None and plot == "live" else eco.EcoConfig()
    cfg = settings.from_args(eco.EcoConfig, args, base=base)  # every check before anything is written
    out = trainer.new_run_dir(args, "eco")

    def tutorial(epoch):
        """Does this epoch print the tutorial's lines?"""
        return args.verbose or epoch < TUTORIAL_EPOCHS or epoch == cfg.epochs - 1

    # a bar on a terminal; in a log one line per epoch for the epochs without the tutorial's lines
    progress = Progress(lang, quiet=args.quiet, per_epoch=cfg.windows, unit="windows",
                        epoch_line=lambda epoch: not tutorial(epoch))
    figure = TrainingPicture(cfg, out, plot, lang)

    def on_epoch(epoch):
        if tutorial(epoch):
            progress.write(text("new_data", lang, epoch=epoch))

    def on_snapshot(snap):
        if tutorial(snap.epoch):
            progress.write(text("step_loss", lang, step=snap.step, loss=snap.loss))
        figure.show(snap)

    progress.write(text("compiling", lang))
    try:
        result = eco.train(cfg, out, on_epoch=on_epoch, on_snapshot=on_snapshot, on_finished=figure.finish,
                           progress=progress)
    finally:
        progress.close()
    s = result.summary
    code = report_end(text("summary", lang, delay=cfg.delay, **s), out, lang, s["interrupted"])
    figure.keep_open()
    return code


class TrainingPicture:
    """The tutorial's training figure: live on screen (``--plot live``),
    refreshed in the run folder (``save``), or drawn once at the end (``end``),
    with loss.png beside it."""

    def __init__(self, cfg, out: Path, plot: str, lang: str):
        self.cfg, self.out, self.plot, self.lang = cfg, out, plot, lang
        self.fig = self.shown = self.last = None
        self.saved_at = 0.0

    def _draw(self, snap) -> None:
        from rnr.echo import figures as echo_figure
        from rnr.views import live

        if self.fig is None:
            self.fig = echo_figure.TrainingFigure(self.cfg.window, self.lang)
            self.shown = live.LiveFigure(self.fig.fig) if self.plot == "live" else None
        title = text("fig_title", self.lang, cell=self.cfg.cell, epoch=snap.epoch, window=snap.step)
        self.fig.update(snap.losses_so_far, snap.x, snap.y, snap.pred, title)

    def show(self, snap) -> None:
        self.last = snap
        if self.plot not in ("save", "live"):
            return
        self._draw(snap)
        if self.shown:
            self.shown.refresh()
        elif time.perf_counter() - self.saved_at >= SAVE_EVERY_SECONDS:
            files.save_figure(self.fig.fig, self.out / "training.png")
            self.saved_at = time.perf_counter()

    def finish(self, run, summary, losses) -> None:
        """training.png (the last snapshot) and loss.png (every window's loss) in the run folder."""
        from rnr.echo import figures as echo_figure

        if self.plot == "none" or self.last is None:
            return
        self._draw(self.last)
        files.save_figure(self.fig.fig, run.file("training.png"))
        files.save_figure(echo_figure.loss_curve(losses, self.lang), run.file("loss.png"))

    def keep_open(self) -> None:
        if self.plot == "live" and self.shown and not self.shown.notebook:
            import matplotlib.pyplot as plt

            plt.ioff()
            plt.show()
