"""The tutorial's training figure and a loss curve of the whole run.

Training figure, a 2x3 grid: top left the loss (cross-entropy, nats) of every
window so far; the other five panels show one batch row each over the
current window as three strips of bits, input (blue), target (red) and
prediction (green; a wrong one framed in orange): a filled square is a 1,
an empty one a 0. One legend for the whole figure.

Loss curve: every window's loss over the run and each epoch's mean, with the
epoch starts marked: each epoch is a fresh series and the state restarts
from zero, so its first windows' loss jumps.
"""

from __future__ import annotations

import numpy as np

from rnr.i18n import text

STRIPS = ("input", "target", "prediction")  # top to bottom
COLOURS = {"input": "tab:blue", "target": "tab:red", "prediction": "tab:green", "wrong": "tab:orange"}
_Y = {"input": 2, "target": 1, "prediction": 0}  # bottom of each strip
_H = 0.8  # a strip's height


class TrainingFigure:
    """The training figure, built once and updated in place (cheap to redraw).

    ``update`` takes every window's loss so far (n,) and the current window's
    input, target and predicted class, each (w, B) with B >= 1 rows
    (time-major, as trained); up to five rows are shown.
    """

    def __init__(self, window: int, lang: str = "en"):
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch, Rectangle
        from matplotlib.ticker import MaxNLocator

        self.lang = lang
        self.fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), layout="constrained")
        axes = axes.ravel()
        self.loss_ax = axes[0]
        (self.loss_line,) = self.loss_ax.plot([], [], lw=0.8)
        self.loss_ax.set_title(text("fig_loss", lang), fontsize=10)
        self.loss_ax.set_xlabel(text("fig_windows", lang))
        self.loss_ax.set_ylabel(text("view_fig_nats", lang))
        self.loss_ax.set_yscale("log")
        _plain_log_labels(self.loss_ax)
        self.loss_ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        steps = np.arange(window)
        self.bars = []
        for r, ax in enumerate(axes[1:]):
            zeros = np.zeros(window)
            for name in STRIPS:  # a pale frame per step: where a 0 sits
                for t in steps:
                    ax.add_patch(Rectangle((t - 0.45, _Y[name]), 0.9, _H, fill=False, lw=0.5, edgecolor="0.75"))
            self.bars.append(tuple(
                ax.bar(steps, zeros, width=0.9, bottom=_Y[name], align="center", color=COLOURS[name])
                for name in STRIPS))
            ax.set_xlim(-0.6, window - 0.4)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylim(-0.15, 2.95)
            ax.set_yticks([_Y[n] + _H / 2 for n in STRIPS], [text(f"fig_{n}", lang) for n in STRIPS], fontsize=8)
            ax.tick_params(axis="y", length=0)
            for s in ("top", "right", "left"):
                ax.spines[s].set_visible(False)
            ax.set_title(text("fig_row", lang, row=r), fontsize=9)
            ax.set_xlabel(text("fig_window", lang), fontsize=8)
        handles = [Patch(color=COLOURS["input"]), Patch(color=COLOURS["target"]),
                   Patch(color=COLOURS["prediction"]), Patch(facecolor="none", edgecolor=COLOURS["wrong"], lw=2),
                   Patch(fill=False, edgecolor="0.6", lw=0.8)]
        labels = [text("fig_input", lang) + " = 1", text("fig_target", lang) + " = 1",
                  text("view_fig_right", lang), text("view_fig_wrong", lang), text("view_fig_zero", lang)]
        self.fig.legend(handles, labels, loc="outside lower center", ncol=5, fontsize=9, frameon=False)

    def update(self, losses, x, y, pred, title: str = ""):
        losses = np.asarray(losses)
        self.loss_line.set_data(np.arange(losses.size), losses)
        if losses.size:
            positive = losses[losses > 0]
            low = positive.min() if positive.size else 1e-3
            self.loss_ax.set_xlim(0, max(losses.size - 1, 1))
            self.loss_ax.set_ylim(low * 0.8, max(losses.max(), low) * 1.25)
        x, y, pred = (np.asarray(a) for a in (x, y, pred))
        for r, (bx, by, bp) in enumerate(self.bars[: x.shape[1]]):
            for bars, values in ((bx, x[:, r]), (by, y[:, r])):
                for bar, v in zip(bars, values):
                    bar.set_height(_H * float(v > 0))
            for bar, v, ok in zip(bp, pred[:, r], pred[:, r] == y[:, r]):  # wrong: an orange frame
                bar.set_height(_H)
                bar.set_facecolor("none" if v == 0 else COLOURS["prediction"] if ok else COLOURS["wrong"])
                bar.set_edgecolor("none" if ok else COLOURS["wrong"])
                bar.set_linewidth(0 if ok else 1.5)
        self.fig.suptitle(title)


def _plain_log_labels(ax):
    """0.2, 0.001 rather than 2x10^-1 on a log axis; the 2s and 5s between
    the powers of ten labelled only when the axis spans 2 decades or less."""
    import math

    from matplotlib.ticker import FuncFormatter

    def minor(v, _):
        lo, hi = sorted(ax.get_ylim())
        few = lo > 0 and math.log10(hi / lo) <= 2
        return f"{v:g}" if few and f"{v:.0e}"[0] in "25" else ""

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(FuncFormatter(minor))


def live_plot(cfg, lang: str = "en"):
    """An ``on_snapshot`` callback for ``rnr.echo.experiment.train`` that shows the training
    figure live (a window on screen, or inline in Jupyter), updated every
    ``log_every`` windows::

        cfg = eco.EcoConfig(chunk=100)   # a compiled call per 100 windows
        eco.train(cfg, on_snapshot=echo_figure.live_plot(cfg))

    (With the default chunk of a whole epoch, the figure still shows every
    100th window, but the updates arrive together at the end of each epoch.)
    """
    from rnr.views.live import LiveFigure

    fig = TrainingFigure(cfg.window, lang)
    shown = LiveFigure(fig.fig)

    def on_snapshot(snap):
        title = text("fig_title", lang, cell=cfg.cell, epoch=snap.epoch, window=snap.step)
        fig.update(snap.losses_so_far, snap.x, snap.y, snap.pred, title)
        shown.refresh()

    return on_snapshot


def loss_curve(losses_per_epoch, lang="en"):
    """Figure of every window's loss over the run, with each epoch's mean and
    the epoch starts marked (a fresh series, the state restarted from zero).

    Args:
        losses_per_epoch: (epochs, windows) array of window losses.
    """
    import matplotlib.pyplot as plt

    losses = np.asarray(losses_per_epoch)
    n_epochs, k = losses.shape
    fig, ax = plt.subplots(figsize=(9, 4.3))
    ax.plot(np.arange(losses.size), losses.ravel(), lw=0.4, alpha=0.6, label=text("fig_loss", lang))
    ax.plot((np.arange(n_epochs) + 0.5) * k, losses.mean(axis=1), "o-", ms=3,
            color="black", label=text("fig_epoch_mean", lang))
    if n_epochs > 1:  # the first window of every later epoch: a fresh series, the state from zero
        ax.plot(np.arange(1, n_epochs) * k, losses[1:, 0], "o", ms=3.5, mfc="none", mew=0.9, color="tab:red",
                label=text("view_fig_epoch_start", lang))
    ax.set_yscale("log")
    _plain_log_labels(ax)
    ax.set_xlabel(text("fig_windows", lang))
    ax.set_ylabel(text("view_fig_nats", lang))
    ax.set_title(text("fig_loss_run", lang) + "\n" + text("view_fig_spikes", lang), fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig
