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


def new_figure():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5))
    return fig, axes.ravel()


def draw_training(fig, axes, losses, x, y, pred, lang="en", title=""):
    """Draw the training figure in place.

    Args:
        losses: every window's loss so far, (n,).
        x, y, pred: the current window's input, target and predicted class,
            each (w, B) with B >= 5 rows shown (time-major, as trained).
    """
    x, y, pred = (np.asarray(a) for a in (x, y, pred))
    ax = axes[0]
    ax.cla()
    ax.plot(np.asarray(losses), lw=0.8)
    ax.set_title(text("fig_loss", lang))
    ax.set_xlabel(text("fig_windows", lang))
    ax.set_yscale("log")
    w = x.shape[0]
    steps = np.arange(w)
    for r in range(min(5, x.shape[1])):
        ax = axes[r + 1]
        ax.cla()
        ax.bar(steps, x[:, r], width=1, color="blue", label=text("fig_input", lang))
        ax.bar(steps, y[:, r] * 0.5, width=1, color="red", label=text("fig_target", lang))
        ax.bar(steps, pred[:, r] * 0.3, width=1, color="green", label=text("fig_prediction", lang))
        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(0, 2)
        ax.set_title(text("fig_row", lang, row=r), fontsize=9)
        ax.set_xlabel(text("fig_window", lang), fontsize=8)
        if r == 0:
            ax.legend(loc="upper right", fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()


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
