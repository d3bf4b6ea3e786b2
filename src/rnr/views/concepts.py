"""The tutorial's concept pictures, drawn from a real run's data and model.

- ``layout_figure``: the series laid out as batch rows, every point numbered
  with its position in the series, the current window boxed and an arrow to
  where it slides next (what ``rnr.tbptt.layout_rows``/``to_windows`` do).
- ``unrolled_figure``: the network unrolled over one window: inputs below,
  one box per step holding the state h_t, P(1) above, the state carried in
  from the previous window and out to the next, the gradient cut at the edges.
- ``window_scores`` / ``truncation_figure``: accuracy and loss at each step
  of the training window. Targets at steps < delay echo a bit from the
  previous window, which the truncated gradient never links to its target;
  the figure compares those steps with the others, as measured.
"""

from __future__ import annotations

import numpy as np

from rnr import tbptt
from rnr import traces as tr
from rnr.i18n import text
from rnr.tasks import echo


LAYOUT_COLS = 37  # steps drawn at most in layout.png (0.5 inch each)


def layout_figure(x_series: np.ndarray, batch: int, window: int, k: int = 1, windows_shown: int = 3,
                  lang: str = "en"):
    """Draw the first ``windows_shown`` windows of every batch row.

    Args:
        x_series: the bit series (N,) as generated, before the layout.
        k: which window to box as the current one (0-based).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, Rectangle

    rows = tbptt.layout_rows(x_series, batch)  # (B, L)
    row_len = rows.shape[1]
    # half an inch per step, so a 5-digit position is printed at 8 points:
    # at most LAYOUT_COLS steps wide, and at least two windows (one to slide into)
    windows_shown = max(2, min(windows_shown, LAYOUT_COLS // window))
    cols = min(row_len, windows_shown * window)
    k = min(k, max(0, cols // window - 2))
    fig, ax = plt.subplots(figsize=(1.5 + 0.5 * cols, 1.7 + 0.5 * batch))
    for r in range(batch):
        for t in range(cols):
            bit = rows[r, t]
            ax.add_patch(Rectangle((t - 0.44, r - 0.4), 0.88, 0.8, color="0.25" if bit else "0.88"))
            label = str(r * row_len + t)
            ax.text(t, r, label, ha="center", va="center", fontsize={1: 9, 2: 9, 3: 9, 4: 9, 5: 8}.get(len(label), 7),
                    color="white" if bit else "black")
    x0 = k * window - 0.5
    ax.add_patch(Rectangle((x0, -0.55), window, batch + 0.1, fill=False, ls="--", lw=2, edgecolor="tab:red"))
    if (k + 1) * window < cols:
        ax.add_patch(FancyArrowPatch((x0 + window * 0.3, batch - 0.2), (x0 + window * 1.3, batch - 0.2),
                                     arrowstyle="-|>", mutation_scale=18, color="tab:red", lw=2))
    for b in range(1, cols // window + 1):
        ax.axvline(b * window - 0.5, color="0.6", lw=0.6)
    ax.set_xlim(-0.7, cols - 0.3)
    ax.set_ylim(batch + 0.3, -0.8)
    ax.set_yticks(range(batch), [text("view_layout_row", lang, row=r) for r in range(batch)])
    ax.set_xlabel(text("view_layout_col", lang))
    ax.set_title(text("view_layout_title", lang, batch=batch, k=k), fontsize=10)
    ax.tick_params(labelsize=9)
    for s in ax.spines.values():
        s.set_visible(False)
    fig.tight_layout()
    return fig


def unrolled_figure(x: np.ndarray, h: np.ndarray, p1: np.ndarray, y: np.ndarray, k: int, row: int,
                    lang: str = "en"):
    """The chain of one window for one row.

    Args:
        x, y: (w,) the window's input bits and targets; h: (w, H) the states;
        p1: (w,) the model's probability of a 1; k: the window's index.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, Rectangle

    w, n = h.shape
    fig, ax = plt.subplots(figsize=(3.6 + 1.05 * w, 4.6))
    arrow = dict(arrowstyle="-|>", mutation_scale=12, color="0.3", lw=1.2)
    cmap = plt.get_cmap("RdBu_r")
    for t in range(w):
        # input below
        ax.add_patch(Rectangle((t - 0.3, -0.3), 0.6, 0.6, color="0.25" if x[t] else "0.88"))
        ax.text(t, 0, f"x={int(x[t])}", ha="center", va="center", fontsize=7, color="white" if x[t] else "black")
        ax.add_patch(FancyArrowPatch((t, 0.32), (t, 0.95), **arrow))
        # the cell: a strip of the state's units
        for u in range(n):
            hh = 0.9 / n
            ax.add_patch(Rectangle((t - 0.35, 1.0 + u * hh), 0.7, hh, color=cmap(0.5 + 0.5 * float(h[t, u]))))
        ax.add_patch(Rectangle((t - 0.35, 1.0), 0.7, 0.9, fill=False, edgecolor="black", lw=1))
        if t + 1 < w:
            ax.add_patch(FancyArrowPatch((t + 0.37, 1.45), (t + 0.63, 1.45), **arrow))
        # output above
        ax.add_patch(FancyArrowPatch((t, 1.93), (t, 2.45), **arrow))
        ax.bar(t, 0.6 * p1[t], bottom=2.5, width=0.5, color="tab:green")
        ax.plot([t - 0.3, t + 0.3], [2.5 + 0.6 * y[t]] * 2, color="tab:red", lw=2)
        ax.text(t, 3.2, f"{p1[t]:.2f}", ha="center", fontsize=7)
    ax.add_patch(FancyArrowPatch((-1.25, 1.45), (-0.38, 1.45), **{**arrow, "color": "tab:blue", "lw": 2}))
    ax.add_patch(FancyArrowPatch((w - 0.62, 1.45), (w + 0.25, 1.45), **{**arrow, "color": "tab:blue", "lw": 2}))
    ax.text(-2.05, 1.6, text("view_carried_in", lang, k=k - 1), fontsize=8, color="tab:blue", va="bottom")
    ax.text(w - 0.45, 1.6, text("view_carried_out", lang, k=k + 1), fontsize=8, color="tab:blue", va="bottom")
    for edge in (-0.5, w - 0.5):
        ax.axvline(edge, color="tab:purple", ls=":", lw=1.5)
    ax.text(-0.45, -0.75, text("view_gradient_cut", lang), fontsize=8, color="tab:purple", va="bottom")
    ax.text(-2.05, 2.75, f"{text('view_p1', lang)}:\n{text('view_prediction', lang)}\n"
            f"— {text('view_target', lang)}", fontsize=8, va="center")
    ax.text(-2.05, 0, text("view_input", lang), fontsize=8, va="center")
    ax.set_xlim(-2.15, w + 1.45)
    ax.set_ylim(-0.85, 3.45)
    ax.set_xticks(range(w), [str(t) for t in range(w)])
    ax.set_xlabel(text("view_position", lang))
    ax.set_yticks([])
    for s in ("left", "right", "top"):
        ax.spines[s].set_visible(False)
    ax.set_title(text("view_unrolled_title", lang, row=row, k=k, hidden=n), fontsize=10)
    # the colour scale of the state boxes (h lies in [-1, 1] for every cell)
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    cb = fig.colorbar(ScalarMappable(Normalize(-1, 1), cmap), ax=ax, fraction=0.012, pad=0.01, ticks=[-1, 0, 1])
    cb.set_label(text("view_state_scale", lang), fontsize=8)
    cb.ax.tick_params(labelsize=8)
    fig.tight_layout()
    return fig


def window_scores(cfg, params, seed: int | None = None, length: int | None = None) -> dict[str, np.ndarray]:
    """Accuracy and loss (cross-entropy of the target, nats) at each step
    0..window-1 of the training windows: {"accuracy": (window,), "loss": (window,)}.

    The model runs over a fresh series exactly as in training: batch rows,
    state carried from window to window; the first window of each row is
    left out (its first steps echo the previous row)."""
    rng = np.random.default_rng(cfg.seed + 9_000_011 if seed is None else seed)
    x, y = echo.rows(rng, length or cfg.length, cfg.delay, cfg.batch)
    run = tr.collect(cfg.model(), params, x.T)
    yt = y.T  # (T, B)
    correct = (run.pred == yt)
    p = np.take_along_axis(np.asarray(run.probs, np.float64), yt[..., None].astype(int), -1)[..., 0]
    loss = -np.log(np.maximum(p, 1e-30))
    out = {}
    for name, v in (("accuracy", correct), ("loss", loss)):
        win = tbptt.to_windows(v.T, cfg.window)  # (K, w, B)
        out[name] = win[1:].mean(axis=(0, 2))
    return out


def window_accuracy(cfg, params, seed: int | None = None, length: int | None = None) -> np.ndarray:
    """Accuracy at each step 0..window-1 of the training windows (shape (window,));
    see ``window_scores``."""
    return window_scores(cfg, params, seed, length)["accuracy"]


def truncation_figure(curves: dict[int, np.ndarray], delay: int, lang: str = "en",
                      losses: dict[int, np.ndarray] | None = None):
    """Accuracy by step within the window, one line per window length; with
    ``losses`` ({window: loss per step}), a second panel of the loss per step
    on a log scale, which still differs where accuracy is 100 % everywhere.

    The shaded steps (< delay) have targets that echo a bit read in the
    previous window: the truncated gradient never links the two. With one
    window, the title gives the measured accuracy and loss there against the
    other steps.

    Args:
        curves: {window: accuracy per step (window,)} from ``window_scores``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    panels = 2 if losses else 1
    fig, axes = plt.subplots(panels, 1, figsize=(8, 4 if panels == 1 else 5.6), sharex=True, squeeze=False)
    axes = axes[:, 0]
    ax = axes[0]
    longest = max(curves)
    for w, acc in sorted(curves.items()):
        ax.plot(np.arange(len(acc)), acc, "o-", ms=4, label=text("view_trunc_label", lang, window=w))
    for a in axes:
        a.axvspan(-0.5, min(delay, longest) - 0.5, color="tab:red", alpha=0.12, lw=0)
    ax.axhline(0.5, color="0.5", ls=":", lw=1, label=text("view_chance", lang))
    ax.set_xlim(-0.5, longest - 0.5)
    ax.set_ylim(0.4, 1.03)
    ax.set_ylabel(text("view_accuracy", lang))
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(color="tab:red", alpha=0.12))
    labels.append(text("view_trunc_shade", lang, delay=delay))
    ax.legend(handles, labels, fontsize=8, loc="best")
    if losses:
        lx = axes[1]
        for w, loss in sorted(losses.items()):
            lx.plot(np.arange(len(loss)), loss, "o-", ms=4)
        low, high = min(float(v.min()) for v in losses.values()), max(float(v.max()) for v in losses.values())
        if low > 0 and high / low > 10:
            lx.set_yscale("log")
        else:
            lx.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
        lx.set_ylabel(text("view_fig_nats", lang), fontsize=9)
    axes[-1].set_xlabel(text("view_position", lang))
    axes[-1].xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    if len(curves) == 1:
        acc = curves[longest]
        shaded, rest = slice(0, min(delay, longest)), slice(min(delay, longest), longest)
        if rest.start >= longest or not losses:
            title = text("view_trunc_title", lang, window=longest, delay=delay)
        else:
            loss = losses[longest]
            title = text("view_trunc_measured", lang, window=longest, delay=delay,
                         acc_in=100 * float(acc[shaded].mean()), acc_out=100 * float(acc[rest].mean()),
                         loss_in=float(loss[shaded].mean()), loss_out=float(loss[rest].mean()))
        fig.suptitle(title, fontsize=9)
    else:
        fig.suptitle(text("view_trunc_multi", lang, delay=delay), fontsize=10)
    fig.tight_layout()
    return fig
