"""The tutorial's concept pictures, drawn from a real run's data and model.

- ``layout_figure``: the series laid out as batch rows, every point numbered
  with its position in the series, the current window boxed and an arrow from
  its right edge across the next window (what ``rnr.engine.tbptt.layout_rows`` /
  ``to_windows`` do).
- ``unrolled_figure``: the network unrolled over one window, at most 8 steps
  a line (9.2 inches wide): inputs below, one box per step holding the state
  h_t with its units numbered, the probability of a 1 and the target above,
  the state carried over at the true window edges, where the gradient stops.
- ``window_scores`` / ``truncation_figure``: accuracy and loss at each step
  of the training window, for one window length or several. Targets at
  steps < delay echo a bit from the previous window, which the truncated
  gradient never links to its target: a window not longer than the delay
  cannot learn the echo, a longer one can (``truncation_models`` trains one
  of each for ``rnr view``).
"""

from __future__ import annotations

import numpy as np

from rnr.engine import tbptt
from rnr.engine import traces as tr
from rnr.i18n import number, text
from rnr.sweep.tasks import echo


LAYOUT_COLS = 37  # steps drawn at most in layout.png (0.5 inch each: two windows of 15)
PAGE_WIDTH = 9.0  # inches a page shows a figure at (900 pixels at 100 dpi)
UNROLL_PER_ROW = 8  # steps per line of unrolled.png (a 15-step window: two lines)
UNROLL_WIDTH = 9.2  # inches: 920 pixels at 100 dpi, legible at a page width of about 900 pixels


def layout_figure(x_series: np.ndarray, batch: int, window: int, k: int = 1, windows_shown: int = 3,
                  lang: str = "en"):
    """Draw the first ``windows_shown`` windows of every batch row (at most
    ``LAYOUT_COLS`` steps, at least two windows). The labels grow with the
    figure, so that they still print at 7 points or more when a page shows
    it ``PAGE_WIDTH`` inches wide.

    Args:
        x_series: the bit series (N,) as generated, before the layout.
        k: which window to box as the current one (0-based); the arrow starts
            at its right edge and spans the next window.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, Rectangle

    rows = tbptt.layout_rows(x_series, batch)  # (B, L)
    row_len = rows.shape[1]
    # half an inch per step, so a 5-digit position is printed at 9 points:
    # at most LAYOUT_COLS steps wide, and at least two windows (one to slide into)
    windows_shown = max(2, min(windows_shown, LAYOUT_COLS // window))
    cols = min(row_len, windows_shown * window)
    k = min(k, max(0, (cols - 1) // window - 1))  # window k whole, and some of window k + 1
    width = 1.5 + 0.5 * cols
    big = max(10.0, round(0.8 * width, 1))  # labels: at least 7 points once shrunk to PAGE_WIDTH
    fig, ax = plt.subplots(figsize=(width, 2.0 + 0.5 * batch + big / 40))
    for r in range(batch):
        for t in range(cols):
            bit = rows[r, t]
            ax.add_patch(Rectangle((t - 0.44, r - 0.4), 0.88, 0.8, color="0.25" if bit else "0.88"))
            label = str(r * row_len + t)
            ax.text(t, r, label, ha="center", va="center", fontsize={1: 12, 2: 12, 3: 12, 4: 10.5, 5: 9}.get(len(label), 8),
                    color="white" if bit else "black")
    for b in range(1, cols // window + 1):  # every window edge, across the rows
        ax.plot([b * window - 0.5] * 2, [-0.5, batch - 0.5], color="0.6", lw=0.6)
    x0, x1 = k * window - 0.5, (k + 1) * window - 0.5  # the current window's true edges
    ax.add_patch(Rectangle((x0, -0.55), window, batch + 0.1, fill=False, ls="--", lw=2.2, edgecolor="tab:red"))
    if x1 < cols - 0.5:  # the next window (clipped where it leaves the picture) and the slide
        ax.add_patch(Rectangle((x1, -0.55), window, batch + 0.1, fill=False, ls=":", lw=1.6,
                               edgecolor="tab:red", alpha=0.6))
        end = min(x1 + window, cols - 0.5)
        ax.add_patch(FancyArrowPatch((x1, batch + 0.05), (end, batch + 0.05), arrowstyle="-|>", mutation_scale=18,
                                     color="tab:red", lw=2, shrinkA=0, shrinkB=0))
        ax.text(x1 - 0.15, batch + 0.05, text("view_layout_next", lang, k=k + 1, first=(k + 1) * window,
                                              last=(k + 2) * window - 1),
                ha="right", va="center", fontsize=0.9 * big, color="tab:red")
    ax.text(x0 + 0.1, -0.65, text("view_layout_current", lang, k=k, first=k * window, last=(k + 1) * window - 1),
            ha="left", va="bottom", fontsize=0.9 * big, color="tab:red")
    ax.set_xlim(-0.7, cols - 0.3)
    ax.set_ylim(batch + 0.75, -1.3)
    ax.set_xticks([])
    ax.set_yticks(range(batch), [text("view_layout_row", lang, row=r) for r in range(batch)])
    ax.set_xlabel(text("view_layout_col", lang), fontsize=big)
    ax.set_title(text("view_layout_title", lang, batch=batch, window=window), fontsize=big + 1)
    ax.tick_params(labelsize=big, length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    fig.tight_layout()
    return fig


def window_edges(start: int, steps: int, window: int) -> list[int]:
    """Positions t in 0..steps where a training window starts (t = steps:
    where the next one starts), for steps [start, start + steps) of a row."""
    return [t for t in range(steps + 1) if (start + t) % window == 0]


def unrolled_figure(x: np.ndarray, h: np.ndarray, p1: np.ndarray, y: np.ndarray, k: int, row: int,
                    lang: str = "en", start: int | None = None, window: int | None = None):
    """The chain of one row over ``len(x)`` steps, at most ``UNROLL_PER_ROW``
    steps per line, ``UNROLL_WIDTH`` inches wide: the input bit below each
    step, the state's units (numbered) in the box, the probability of a 1
    and the target above; at the window edges the state is carried on and
    the gradient stops.

    Args:
        x, y: (w,) input bits and targets; h: (w, H) the states;
        p1: (w,) the model's probability of a 1.
        k: the training window of the first step shown.
        start, window: the first step's position in the row and the training
            window's length, so that the window edges drawn are the true
            ones and the steps are numbered by their position in the row;
            default: the steps shown are the whole window k, numbered from
            0 within it.
    """
    import matplotlib.pyplot as plt
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

    w, n = h.shape
    window = window or w
    known = start is not None  # positions in the row known: number steps by them
    start = k * window if start is None else start
    k = start // window
    first_step = start if known else 0
    lines = -(-w // UNROLL_PER_ROW)
    per = -(-w // lines)  # steps per line, balanced (15: 8 + 7)
    edges = set(window_edges(start, w, window))  # t: a window starts at step t (t = w: after the last)
    line_h = 5.4  # data units per line
    fig = plt.figure(figsize=(UNROLL_WIDTH, 1.45 + 2.1 * lines))
    bottom = 0.75 / fig.get_figheight()  # room for the key
    ax = fig.add_axes((0.0, bottom, 0.905, 1 - bottom - 0.62 / fig.get_figheight()))
    arrow = dict(arrowstyle="-|>", mutation_scale=12, color="0.35", lw=1.2, shrinkA=0, shrinkB=0)
    carried = {**arrow, "color": "tab:blue", "lw": 2}
    cmap = plt.get_cmap("RdBu_r")
    small, normal = 8, 9
    hh = 1.2 / n  # one strip per unit, unit 0 on top
    units = range(n) if n <= 8 else (0, n - 1)
    for line in range(lines):
        y0 = -line * line_h
        first, last = line * per, min(w, (line + 1) * per) - 1
        for level, key in ((-0.75, "view_unroll_step" if known else "view_position"), (0, "view_unroll_input"),
                           (1.5, "view_unroll_state"),
                           (2.95, "view_unroll_p1")):
            ax.text(-3.3, y0 + level, text(key, lang), fontsize=normal, va="center", ha="left")
        for u in units:  # unit numbers beside the first box of the line
            ax.text(-0.42, y0 + 2.1 - (u + 0.5) * hh, str(u), ha="right", va="center", fontsize=small)
        for t in range(first, last + 1):
            col = t - first
            ax.text(col, y0 - 0.75, str(first_step + t), ha="center", va="center", fontsize=normal)
            ax.add_patch(Rectangle((col - 0.3, y0 - 0.3), 0.6, 0.6, color="0.25" if x[t] else "0.88"))
            ax.text(col, y0, str(int(x[t])), ha="center", va="center", fontsize=normal,
                    color="white" if x[t] else "black")
            ax.add_patch(FancyArrowPatch((col, y0 + 0.32), (col, y0 + 0.88), **arrow))
            for u in range(n):
                ax.add_patch(Rectangle((col - 0.35, y0 + 2.1 - (u + 1) * hh), 0.7, hh,
                                       color=cmap(0.5 + 0.5 * float(np.clip(h[t, u], -1, 1)))))
            ax.add_patch(Rectangle((col - 0.35, y0 + 0.9), 0.7, 1.2, fill=False, edgecolor="black", lw=1))
            if t < last:  # on to the next step of the line; across a window edge: carried, no gradient
                ax.add_patch(FancyArrowPatch((col + 0.36, y0 + 1.5), (col + 0.64, y0 + 1.5),
                                             **(carried if t + 1 in edges else arrow)))
            # the probability of a 1 in a 0..1 frame, the target as a red line at 0 or 1
            ax.add_patch(FancyArrowPatch((col, y0 + 2.12), (col, y0 + 2.52), **arrow))
            ax.add_patch(Rectangle((col - 0.27, y0 + 2.55), 0.54, 0.8, fill=False, edgecolor="0.6", lw=0.8))
            ax.add_patch(Rectangle((col - 0.25, y0 + 2.55), 0.5, 0.8 * float(p1[t]), color="tab:green"))
            ax.plot([col - 0.34, col + 0.34], [y0 + 2.55 + 0.8 * float(y[t])] * 2, color="tab:red", lw=2.5)
            ax.text(col, y0 + 3.45, number(float(p1[t]), lang, ".2f"), ha="center", va="bottom", fontsize=small)
        # the true window edges on this line: the gradient stops there
        for t in sorted(edges):
            for col in ([t - first] if first <= t <= last else []) + ([last - first + 1] if t == last + 1 else []):
                ax.plot([col - 0.5] * 2, [y0 - 0.45, y0 + 3.95], color="tab:purple", ls=":", lw=1.6)
                if t <= last:
                    ax.text(col - 0.45, y0 + 4.0, text("view_unroll_window", lang, k=(start + t) // window),
                            fontsize=small, color="tab:purple", ha="left", va="bottom")
        # the state coming in on the left of the line, going out on the right
        if first in edges:
            label = (text("view_carried_in", lang, k=(start + first) // window - 1) if start + first > 0
                     else text("view_unroll_zero", lang))
            style = carried
        else:
            label, style = text("view_unroll_from", lang, step=first_step + first - 1), arrow
        ax.add_patch(FancyArrowPatch((-1.8, y0 + 1.5), (-0.7, y0 + 1.5), **style))
        ax.text(-1.2, y0 + 1.38, label, fontsize=small, ha="center", va="top", color=style["color"])
        end = last - first
        if last + 1 in edges:
            label, style = text("view_carried_out", lang, k=(start + last + 1) // window), carried
            ax.text(end + 1.2, y0 + 1.62, text("view_gradient_cut", lang), fontsize=small, ha="center",
                    va="bottom", color="tab:purple")
        else:
            label = text("view_unroll_to" if line + 1 < lines else "view_unroll_beyond", lang,
                         step=first_step + last + 1)
            style = arrow
        ax.add_patch(FancyArrowPatch((end + 0.37, y0 + 1.5), (end + 1.6, y0 + 1.5), **style))
        ax.text(end + 1.2, y0 + 1.38, label, fontsize=small, ha="center", va="top", color=style["color"])
    ax.set_xlim(-3.4, max(per, 6) + 1.85)
    ax.set_ylim(-(lines - 1) * line_h - 1.1, 4.45)
    ax.axis("off")
    fig.suptitle(text("view_unrolled_title" if known else "view_unrolled_title_window", lang, row=row, first=start,
                      last=start + w - 1, k=k, window_first=k * window, window_last=(k + 1) * window - 1, hidden=n),
                 fontsize=10, y=0.995, va="top")
    # the colour scale of the state boxes (h lies in [-1, 1] for every cell)
    cax = fig.add_axes((0.925, bottom + 0.15, 0.014, 0.5))
    cb = fig.colorbar(ScalarMappable(Normalize(-1, 1), cmap), cax=cax, ticks=[-1, 0, 1])
    cb.set_label(text("view_state_scale", lang), fontsize=small)
    cb.ax.tick_params(labelsize=small)
    handles = [Patch(color="tab:green"), Line2D([], [], color="tab:red", lw=2.5),
               Line2D([], [], color="tab:purple", ls=":", lw=1.6), Line2D([], [], color="tab:blue", lw=2)]
    labels = [text("view_unroll_key_p1", lang), text("view_unroll_key_target", lang),
              text("view_unroll_key_edge", lang), text("view_unroll_key_carried", lang)]
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=small, frameon=False,
               bbox_to_anchor=(0.46, 0.0))
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


TRUNC_EPOCHS, TRUNC_LENGTH = 15, 20000  # budget of a comparison model trained by ``rnr view``


def truncation_models(cfg, params, epochs: int = TRUNC_EPOCHS, length: int = TRUNC_LENGTH):
    """Per-step scores of a window not longer than the delay and of one longer.

    The run itself stands for its own window; the other window is trained
    here with the run's settings (at most ``epochs`` epochs of ``length``
    steps): the window just shorter than the delay (delay - 1, at least 1)
    when the run's window is longer, else a window of max(15, 2 delay + 1).
    A delay of 0 needs no memory: only the run is scored.

    Returns:
        ({window: accuracy per step}, {window: loss per step}, a note saying
        how each model was trained, in ``lang``-free form: a list of
        (message key, fields)).
    """
    from dataclasses import replace

    from rnr.echo import experiment as eco

    scored = min(cfg.length, length)
    own = window_scores(cfg, params, length=scored)
    curves, losses = {cfg.window: own["accuracy"]}, {cfg.window: own["loss"]}
    notes = [("view_trunc_note_run", {"window": cfg.window, "epochs": cfg.epochs, "length": cfg.length})]
    if cfg.delay < 1:
        return curves, losses, notes
    other = max(1, cfg.delay - 1) if cfg.window > cfg.delay else max(15, 2 * cfg.delay + 1)
    small = replace(cfg, window=other, epochs=min(cfg.epochs, epochs), length=min(cfg.length, length))
    if other == cfg.window or other > small.row:
        return curves, losses, notes
    got = window_scores(small, eco.train(small).params, length=scored)
    curves[other], losses[other] = got["accuracy"], got["loss"]
    notes.append(("view_trunc_note_trained", {"window": other, "epochs": small.epochs,
                                               "length": small.length}))
    return curves, losses, notes


def truncation_figure(curves: dict[int, np.ndarray], delay: int, lang: str = "en",
                      losses: dict[int, np.ndarray] | None = None, classes: int = 2, note: str | None = None):
    """Accuracy by step within the window, one line per window length; with
    ``losses`` ({window: loss per step}), a second panel of the loss per step
    on a log scale (plain numbers, no offset), the memoryless loss ln(classes)
    dotted: a window not longer than the delay stays near it, a longer one
    falls far below at every step.

    The shaded steps (< delay) have targets that echo a bit read in the
    previous window: the truncated gradient never links the two. With one
    window, the title gives the measured accuracy and loss there against the
    other steps; with several, each window's mean accuracy (and loss).

    Args:
        curves: {window: accuracy per step (window,)} from ``window_scores``.
        note: a line under the panels (how the models were trained).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from rnr.echo.figures import _plain_log_labels

    panels = 2 if losses else 1
    fig, axes = plt.subplots(panels, 1, figsize=(8, 4 if panels == 1 else 5.6), sharex=True, squeeze=False)
    axes = axes[:, 0]
    ax = axes[0]
    longest = max(curves)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colour = {w: colours[i % len(colours)] for i, w in enumerate(sorted(curves))}

    def label(w):
        if len(curves) == 1:
            return text("view_trunc_label", lang, window=w)
        return text("view_trunc_short" if w <= delay else "view_trunc_long", lang, window=w, delay=delay)

    for w, acc in sorted(curves.items()):
        ax.plot(np.arange(len(acc)), acc, "o-", ms=5, lw=1.8, color=colour[w], label=label(w))
    for a in axes:
        a.axvspan(-0.5, min(delay, longest) - 0.5, color="tab:red", alpha=0.12, lw=0)
        for w in curves:  # where a shorter window ends
            if w < longest:
                a.axvline(w - 0.5, color=colour[w], ls="--", lw=1)
    ax.axhline(1 / classes, color="0.5", ls=":", lw=1.2, label=text("view_chance", lang))
    ax.set_xlim(-0.5, longest - 0.5)
    ax.set_ylim(min(0.4, 1 / classes - 0.1), 1.03)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.0f} %"))
    ax.set_ylabel(text("view_accuracy", lang))
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(color="tab:red", alpha=0.12))
    labels.append(text("view_trunc_shade", lang, delay=delay))
    ax.legend(handles, labels, fontsize=8, loc="center right" if len(curves) > 1 else "best")
    if losses:
        lx = axes[1]
        for w, loss in sorted(losses.items()):
            lx.plot(np.arange(len(loss)), loss, "o-", ms=5, lw=1.8, color=colour.get(w))
        chance = float(np.log(classes))
        lx.axhline(chance, color="0.5", ls=":", lw=1.2)
        lx.text(longest - 0.55, chance * 1.15, text("view_trunc_chance_loss", lang, loss=chance), fontsize=8,
                ha="right", va="bottom", color="0.35")
        values = np.concatenate([np.ravel(v) for v in losses.values()])
        low = max(float(values[values > 0].min()) if (values > 0).any() else 1e-6, 1e-12)
        lx.set_yscale("log")  # at least the span from the lowest loss to chance: noise stays flat
        lx.set_ylim(low / 3, max(chance, float(values.max())) * 3)
        _plain_log_labels(lx)
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
    else:
        each = [text("view_trunc_each", lang, window=w, acc=100 * float(np.mean(acc)),
                     loss=float(np.mean(losses[w])))
                if losses and w in losses else text("view_trunc_each_acc", lang, window=w, acc=100 * float(np.mean(acc)))
                for w, acc in sorted(curves.items())]
        title = text("view_trunc_compare", lang, delay=delay) + "\n" + "; ".join(each)
    fig.suptitle(title, fontsize=9.5)
    if note:
        fig.text(0.5, 0.01, note, ha="center", va="bottom", fontsize=8, color="0.3")
    fig.tight_layout(rect=(0, 0.03 * (note.count("\n") + 1.2) if note else 0, 1, 1))
    return fig
