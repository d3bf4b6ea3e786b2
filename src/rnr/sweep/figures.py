"""The sweep's figure: final metric against the gap, one colour and marker per cell.

copy, adding: left, the final loss (log scale; each seed a small dot, the mean
a line) with the memoryless baseline dashed and the "solved" threshold dotted;
right, the fraction of seeds that solved the task, each cell's marker shifted
a little sideways, so cells with the same value stay visible; every fraction
above 0 is labelled "solved/runs" once per gap (cells at one value share the
label, so labels never overlap), and the markers at 0 are explained once.
With one gap the means are markers without lines, and the baseline and
threshold level lines across the panel: the legend names only what is drawn. echo: accuracy against the delay, one panel per window, chance
(0.5) dashed and the threshold dotted. The gap axis is logarithmic when the
gaps span a factor of 8 or more (10, 30, 100).

The threshold is read from the task's own ``solved(value, gap)`` rule
(``threshold``: the value where it turns), so no task is named here.
"""

from __future__ import annotations

import numpy as np

from rnr.sweep import tasks
from rnr.i18n import text
from rnr.echo.figures import _plain_log_labels

MARKERS = "osD^vP*X"
SPREAD = 0.14  # cells of one gap drawn within +-14 % of it


def threshold(task: str, gap: int) -> float | None:
    """The metric value where ``tasks.get(task).solved(value, gap)`` turns
    (found by bisection on a log scale); None if the rule does not turn
    between 1e-12 and 1e6."""
    mod = tasks.get(task)
    higher = getattr(mod, "HIGHER_IS_BETTER", False)
    lo, hi = -12.0, 6.0  # log10 of the value
    if mod.solved(10 ** lo, gap) == mod.solved(10 ** hi, gap):
        return None
    for _ in range(60):
        mid = (lo + hi) / 2
        if mod.solved(10 ** mid, gap) == higher:  # on the "high" side of the turn
            hi = mid
        else:
            lo = mid
    return float(10 ** ((lo + hi) / 2))


def _solved_side(task: str) -> str:
    return "view_sweep_above" if getattr(tasks.get(task), "HIGHER_IS_BETTER", False) else "view_sweep_below"


def _by_cell(rows, window=None):
    out = {}
    for r in rows:
        if window is None or r.get("window") == window:
            out.setdefault(r["cell"], []).append(r)
    return out


def _spread(gaps) -> bool:
    return min(gaps) > 0 and max(gaps) / min(gaps) >= 8


def _shift(log_x: bool, i: int, n: int, gaps) -> float:
    """Sideways offset of cell ``i`` of ``n``: all cells of a gap within
    +-SPREAD of it (a factor on a log axis, a share of the smallest step
    between gaps on a linear one)."""
    k = (i - (n - 1) / 2) / max((n - 1) / 2, 1)  # -1 .. 1
    if log_x:
        return (1 + SPREAD) ** k
    step = min(np.diff(sorted(set(gaps)))) if len(set(gaps)) > 1 else 1.0
    return k * SPREAD * step


def _at(g, shift, log_x):
    return g * shift if log_x else g + shift


def _line(ax, rs, key, color, marker, label, shift, log_x, dots=True, diverged_count=False):
    """Each gap's mean as a marker, joined by a line when there are two gaps
    or more (with one gap: markers alone, so the legend shows what is drawn);
    each run a small dot. A diverged run has no value to draw and is left out
    (summary.json's rule), unless ``diverged_count`` (the fraction solved,
    where it counts as a run that did not solve the task)."""
    gaps = sorted({r["gap"] for r in rs})
    kept = rs if diverged_count else [r for r in rs if not r.get("diverged")]

    def mean_at(g):
        values = [key(r) for r in kept if r["gap"] == g]
        return np.mean(values) if values else np.nan

    ys = [mean_at(g) for g in gaps]
    rs = kept
    ax.plot([_at(g, shift, log_x) for g in gaps], ys, ls="-" if len(gaps) > 1 else "none", marker=marker,
            color=color, label=label, lw=1.6, ms=5 if len(gaps) > 1 else 7)
    if dots:
        ax.scatter([_at(r["gap"], shift, log_x) for r in rs], [key(r) for r in rs], color=color, s=10, alpha=0.35,
                   marker=marker)


def _solved_labels(ax, rows, cell_names, shift, log_x, lang):
    """One "solved/runs" label per gap and distinct fraction above 0, over
    the middle of its cells' markers (cells at one value share one label, so
    labels never overlap); the markers at 0 are explained once."""
    zero = False
    for g in sorted({r["gap"] for r in rows}):
        groups = {}
        for c in cell_names:
            at = [r for r in rows if r["cell"] == c and r["gap"] == g]
            if not at:
                continue
            solved = sum(bool(r["solved"]) for r in at)
            if solved == 0:
                zero = True
                continue
            groups.setdefault(round(solved / len(at), 9), []).append((c, f"{solved}/{len(at)}"))
        for frac, members in groups.items():
            xs = [_at(g, shift[c], log_x) for c, _ in members]
            x = float(np.exp(np.mean(np.log(xs)))) if log_x else float(np.mean(xs))
            ax.annotate(", ".join(dict.fromkeys(lab for _, lab in members)), (x, frac), textcoords="offset points",
                        xytext=(0, 8), ha="center", fontsize=8)
    if zero:
        ax.text(0.5, 0.035, text("view_sweep_none_solved", lang), transform=ax.transAxes, ha="center",
                va="bottom", fontsize=8, color="0.3")


def _gap_axis(ax, gaps, log_x, label):
    if log_x:
        from matplotlib.ticker import NullLocator

        ax.set_xscale("log")
        ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(gaps, [str(g) for g in gaps])
    lo, hi = min(gaps), max(gaps)
    if log_x:
        ax.set_xlim(lo / 1.3, hi * 1.3)
    else:
        step = min(np.diff(gaps)) if len(gaps) > 1 else 1.0
        ax.set_xlim(lo - 0.4 * step, hi + 0.4 * step)
    ax.set_xlabel(label)


def figure(task: str, rows: list[dict], lang: str = "en"):
    import matplotlib.pyplot as plt

    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    cell_names = list(dict.fromkeys(r["cell"] for r in rows))
    color = {c: colors[k % len(colors)] for k, c in enumerate(cell_names)}
    marker = {c: MARKERS[k % len(MARKERS)] for k, c in enumerate(cell_names)}
    n = len(cell_names)
    gaps = sorted({r["gap"] for r in rows})
    log_x = _spread(gaps)
    shift = {c: _shift(log_x, i, n, gaps) for i, c in enumerate(cell_names)}
    if getattr(tasks.get(task), "STREAMING", False):
        windows = sorted({r["window"] for r in rows})
        fig, axes = plt.subplots(1, len(windows), figsize=(4.2 * len(windows) + 1, 4.0), squeeze=False,
                                 sharey=True)
        for ax, w in zip(axes[0], windows):
            for c, rs in _by_cell(rows, w).items():
                _line(ax, rs, lambda r: r["value"], color[c], marker[c], c, shift[c], log_x)
            ax.axhline(0.5, color="gray", ls="--", lw=1, label=text("sweep_fig_chance", lang))
            th = threshold(task, gaps[0])
            if th is not None:
                ax.axhline(th, color="black", ls=":", lw=1.2, label=text(_solved_side(task), lang))
            ax.axvline(w, color="gray", ls=":", lw=1)
            ax.set_title(text("sweep_fig_window", lang, window=w))
            _gap_axis(ax, gaps, log_x, text("sweep_fig_delay", lang))
            ax.set_ylim(0.4, 1.03)
        axes[0][0].set_ylabel(text("sweep_fig_accuracy", lang))
        axes[0][-1].legend(fontsize=8)
    else:
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.6))
        for c, rs in _by_cell(rows).items():
            _line(ax, rs, lambda r: max(r["value"], 1e-6), color[c], marker[c], c, shift[c], log_x)
            _line(ax2, rs, lambda r: float(r["solved"]), color[c], marker[c], c, shift[c], log_x, dots=False,
                  diverged_count=True)
        _solved_labels(ax2, rows, cell_names, shift, log_x, lang)
        mod = tasks.get(task)
        if len(gaps) > 1:
            fine = np.geomspace(min(gaps), max(gaps), 200) if log_x else np.linspace(min(gaps), max(gaps), 200)
            at = fine
        else:  # one gap: its baseline and threshold as level lines across the panel
            fine = np.array([gaps[0] - 0.4, gaps[0] + 0.4])
            at = np.full(2, gaps[0])
        ax.plot(fine, [mod.baseline(g) for g in at], "k--", lw=1, label=text("sweep_fig_baseline", lang))
        ths = [threshold(task, g) for g in at]
        if all(t is not None for t in ths):
            ax.plot(fine, ths, color="black", ls=":", lw=1.4, label=text(_solved_side(task), lang))
        ax.set_yscale("log")
        _plain_log_labels(ax)
        _gap_axis(ax, gaps, log_x, text("sweep_fig_gap", lang))
        ax.set_ylabel(text(f"sweep_fig_metric_{task}", lang))
        _gap_axis(ax2, gaps, log_x, text("sweep_fig_gap", lang))
        ax2.set_ylabel(text("sweep_fig_solved", lang))
        ax2.set_ylim(-0.2, 1.18)
        ax2.set_yticks([0, 0.25, 0.5, 0.75, 1])
        ax2.set_title(text("view_sweep_solved_title", lang), fontsize=9)
        ax.set_title(text(f"sweep_fig_title_{task}", lang))
        # one legend under both panels, clear of the data
        handles, labels = ax.get_legend_handles_labels()
        rows = 1 + (len(labels) > 8)
        fig.legend(handles, labels, loc="lower center", ncol=-(-len(labels) // rows), fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0.06 * rows, 1, 1))
        return fig
    fig.tight_layout()
    return fig
