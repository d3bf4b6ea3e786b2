"""The sweep's figure: final metric against the gap, one line per cell.

copy, adding: left, the final loss (log scale; each seed a dot, the mean a
line) with the memoryless baseline dashed; right, the fraction of seeds that
solved the task. echo: accuracy against the delay, one panel per window,
chance (0.5) dashed.
"""

from __future__ import annotations

import numpy as np

from rnr import tasks
from rnr.i18n import text


def _by_cell(rows, window=None):
    out = {}
    for r in rows:
        if window is None or r.get("window") == window:
            out.setdefault(r["cell"], []).append(r)
    return out


def _line(ax, rs, key, color, label, dots=True):
    gaps = sorted({r["gap"] for r in rs})
    ys = [np.mean([key(r) for r in rs if r["gap"] == g]) for g in gaps]
    ax.plot(gaps, ys, "o-", color=color, label=label, lw=1.8, ms=4)
    if dots:
        ax.scatter([r["gap"] for r in rs], [key(r) for r in rs], color=color, s=10, alpha=0.35)


def figure(task: str, rows: list[dict], lang: str = "en"):
    import matplotlib.pyplot as plt

    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    cell_names = list(dict.fromkeys(r["cell"] for r in rows))
    color = {c: colors[k % len(colors)] for k, c in enumerate(cell_names)}
    if getattr(tasks.get(task), "STREAMING", False):
        windows = sorted({r["window"] for r in rows})
        fig, axes = plt.subplots(1, len(windows), figsize=(4.2 * len(windows) + 1, 3.8), squeeze=False,
                                 sharey=True)
        for ax, w in zip(axes[0], windows):
            for c, rs in _by_cell(rows, w).items():
                _line(ax, rs, lambda r: r["value"], color[c], c)
            ax.axhline(0.5, color="gray", ls="--", lw=1, label=text("sweep_fig_chance", lang))
            ax.axvline(w, color="gray", ls=":", lw=1)
            ax.set_title(text("sweep_fig_window", lang, window=w))
            ax.set_xlabel(text("sweep_fig_delay", lang))
            ax.set_ylim(0.4, 1.02)
        axes[0][0].set_ylabel(text("sweep_fig_accuracy", lang))
        axes[0][-1].legend(fontsize=8)
    else:
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
        for c, rs in _by_cell(rows).items():
            _line(ax, rs, lambda r: max(r["value"], 1e-6), color[c], c)
            _line(ax2, rs, lambda r: float(r["solved"]), color[c], c, dots=False)
        gaps = sorted({r["gap"] for r in rows})
        fine = np.linspace(min(gaps), max(gaps), 200)
        ax.plot(fine, [tasks.get(task).baseline(g) for g in fine],
                "k--", lw=1, label=text("sweep_fig_baseline", lang))
        ax.set_yscale("log")
        ax.set_xlabel(text("sweep_fig_gap", lang))
        ax.set_ylabel(text(f"sweep_fig_metric_{task}", lang))
        ax.legend(fontsize=8)
        ax2.set_xlabel(text("sweep_fig_gap", lang))
        ax2.set_ylabel(text("sweep_fig_solved", lang))
        ax2.set_ylim(-0.05, 1.05)
        ax.set_title(text(f"sweep_fig_title_{task}", lang))
    fig.tight_layout()
    return fig
