"""The tutorial's training figure and a loss curve of the whole run.

Training figure, a 2x3 grid: top left the loss of every window so far; the
other five panels show one batch row each over the current window, with the
input as blue bars (height 1), the target as red bars (height 0.5) and the
prediction as green bars (height 0.3), so a learned echo shows the green bars
under the red ones.
"""

from __future__ import annotations

import numpy as np

from rnr.i18n import text


class TrainingFigure:
    """The training figure, built once and updated in place (cheap to redraw).

    ``update`` takes every window's loss so far (n,) and the current window's
    input, target and predicted class, each (w, B) with B >= 1 rows
    (time-major, as trained); up to five rows are shown.
    """

    def __init__(self, window: int, lang: str = "en"):
        import matplotlib.pyplot as plt

        self.lang = lang
        self.fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), layout="constrained")
        axes = axes.ravel()
        self.loss_ax = axes[0]
        (self.loss_line,) = self.loss_ax.plot([], [], lw=0.8)
        self.loss_ax.set_title(text("fig_loss", lang))
        self.loss_ax.set_xlabel(text("fig_windows", lang))
        self.loss_ax.set_yscale("log")
        steps = np.arange(window)
        self.bars = []
        for r, ax in enumerate(axes[1:]):
            zeros = np.zeros(window)
            self.bars.append((
                ax.bar(steps, zeros, width=1, color="blue", label=text("fig_input", lang)),
                ax.bar(steps, zeros, width=1, color="red", label=text("fig_target", lang)),
                ax.bar(steps, zeros, width=1, color="green", label=text("fig_prediction", lang)),
            ))
            ax.set_xlim(-0.5, window - 0.5)
            ax.set_ylim(0, 2)
            ax.set_title(text("fig_row", lang, row=r), fontsize=9)
            ax.set_xlabel(text("fig_window", lang), fontsize=8)
            if r == 0:
                ax.legend(loc="upper right", fontsize=7)

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
            for bars, values in ((bx, x[:, r]), (by, y[:, r] * 0.5), (bp, pred[:, r] * 0.3)):
                for bar, v in zip(bars, values):
                    bar.set_height(v)
        self.fig.suptitle(title)


def live_plot(cfg, lang: str = "en"):
    """An ``on_snapshot`` callback for ``rnr.eco.train`` that shows the training
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
    """Figure of every window's loss over the run, with each epoch's mean.

    Args:
        losses_per_epoch: (epochs, windows) array of window losses.
    """
    import matplotlib.pyplot as plt

    losses = np.asarray(losses_per_epoch)
    n_epochs, k = losses.shape
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(np.arange(losses.size), losses.ravel(), lw=0.4, alpha=0.6, label=text("fig_loss", lang))
    ax.plot((np.arange(n_epochs) + 0.5) * k, losses.mean(axis=1), "o-", ms=3,
            color="black", label=text("fig_epoch_mean", lang))
    ax.set_yscale("log")
    ax.set_xlabel(text("fig_windows", lang))
    ax.set_title(text("fig_loss_run", lang))
    ax.legend()
    fig.tight_layout()
    return fig
