"""Pictures of a trained echo model from the inside (``rnr view`` on an echo run).

``echo_traces`` runs the model over a fresh series, exactly as it ran in
training (batch rows, state carried from step 0), and keeps a stretch of
``steps`` steps. ``gates_figure`` draws, for one row, the input, target and
prediction, then one heatmap (units x steps) per traced quantity: for an
LSTM the forget, input and output gates, the candidate, the cell state and
the hidden state. ``cell_figure`` draws the LSTM cell state as a conveyor
belt: at each step what is kept (f_t C_{t-1}) and what is written (i_t g_t).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnr.engine import traces as tr
from rnr.i18n import text
from rnr.sweep.tasks import echo

GATE_CMAP, SIGNED_CMAP = "viridis", "RdBu_r"


@dataclass
class EchoWindow:
    x: np.ndarray  # (T, B) input bits of the stretch shown
    y: np.ndarray  # (T, B) targets
    start: int  # index of the first step shown within each row
    traces: tr.Traces  # every quantity over the stretch, (T, B, ...)
    prev_c: list | None  # per layer (T, B, H): LSTM cell state one step earlier; else None


def echo_traces(cfg, params, steps: int = 30, start: int | None = None, seed: int | None = None) -> EchoWindow:
    """Run an echo model over a fresh series; keep steps [start, start + steps).

    Args:
        cfg: the run's ``EcoConfig``; params: its trained parameters.
        start: first step shown (default: a little after the state has settled).
        seed: data seed (default: one the run never trained on).
    """
    mcfg = cfg.model()
    if start is None:
        start = min(3 * cfg.window, cfg.row - steps)
    start = max(0, min(start, cfg.row - steps))
    rng = np.random.default_rng(cfg.seed + 7_000_003 if seed is None else seed)
    x, y = echo.rows(rng, cfg.length, cfg.delay, cfg.batch)  # (B, row)
    xs = x[:, : start + steps].T  # time-major, from the start of every row
    full = tr.collect(mcfg, params, xs)
    sl = slice(start, start + steps)
    cut = tr.Traces(layers=[{k: v[sl] for k, v in d.items()} for d in full.layers],
                    logits=full.logits[sl], probs=full.probs[sl], pred=full.pred[sl], carry=full.carry)
    prev_c = None
    if "c" in full.layers[0]:  # LSTM: C_{t-1} for every shown step, per layer
        prev_c = [np.concatenate([np.zeros_like(d["c"][:1]), d["c"][:-1]])[sl] for d in full.layers]
    return EchoWindow(x=xs[sl], y=y[:, : start + steps].T[sl], start=start, traces=cut, prev_c=prev_c)


def _io_panel(ax, x, y, pred, lang):
    """Three rows of squares (input, target, prediction), each bit written in."""
    grid = np.stack([x, y, pred]).astype(float)
    ax.imshow(grid, cmap="Greys", vmin=-0.3, vmax=1.6, aspect="auto", interpolation="nearest")
    for r in range(3):
        for t in range(grid.shape[1]):
            ax.text(t, r, str(int(grid[r, t])), ha="center", va="center", fontsize=7,
                    color="white" if grid[r, t] > 0.5 else "black")
    for t in np.nonzero(pred != y)[0]:
        ax.add_patch(_rect(t - 0.5, 1.5, 1, 1, "red"))
    ax.set_yticks(range(3), [text("view_input", lang), text("view_target", lang), text("view_prediction", lang)])
    ax.set_title(text("view_io", lang) + "  (" + text("view_wrong", lang) + ")", fontsize=9, loc="left")


def _rect(x, y, w, h, color):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, fill=False, edgecolor=color, lw=1.5)


def _style(key: str, values: np.ndarray):
    """Colour map and range: gates in [0, 1], signed quantities symmetric about 0."""
    if key in tr.GATE_KEYS:
        return GATE_CMAP, 0.0, 1.0
    if key == "c":
        m = float(np.abs(values).max()) or 1.0
        return SIGNED_CMAP, -m, m
    return SIGNED_CMAP, -1.0, 1.0


def gates_figure(win: EchoWindow, cell: str, row: int = 0, layer: int = 0, lang: str = "en"):
    """Figure: input/target/prediction of ``row``, then one heatmap per traced
    quantity of ``layer`` (units on the vertical axis, steps across)."""
    import matplotlib.pyplot as plt

    layer_tr = win.traces.layers[layer]
    keys = list(layer_tr)
    steps = win.x.shape[0]
    fig, axes = plt.subplots(len(keys) + 1, 1, figsize=(max(8, 0.32 * steps + 3), 1.5 + 1.25 * (len(keys) + 1)),
                             sharex=True, gridspec_kw={"height_ratios": [1.1] + [1] * len(keys)})
    x, y, pred = win.x[:, row], win.y[:, row], win.traces.pred[:, row]
    _io_panel(axes[0], x, y, pred, lang)
    for ax, key in zip(axes[1:], keys):
        v = layer_tr[key][:, row, :].T  # (H, T)
        cmap, lo, hi = _style(key, v)
        im = ax.imshow(v, cmap=cmap, vmin=lo, vmax=hi, aspect="auto", interpolation="nearest")
        ax.set_title(text(tr.QUANTITY[key], lang), fontsize=9, loc="left")
        ax.set_ylabel(text("view_unit", lang), fontsize=8)
        ax.set_yticks(range(v.shape[0]) if v.shape[0] <= 8 else [])
        fig.colorbar(im, ax=ax, pad=0.01, fraction=0.03)
    # keep the io panel as wide as the heatmaps: give it an invisible colour bar slot
    cb = fig.colorbar(axes[0].images[0], ax=axes[0], pad=0.01, fraction=0.03)
    cb.ax.set_visible(False)
    ticks = np.arange(0, steps, max(1, steps // 15))
    axes[-1].set_xticks(ticks, [str(win.start + t) for t in ticks])
    axes[-1].set_xlabel(text("view_step", lang))
    fig.suptitle(text("view_gates_title", lang, cell=cell.upper(), layer=layer, row=row,
                      start=win.start, end=win.start + steps - 1), fontsize=10)
    fig.tight_layout()
    return fig


def _data_range(*values, pad: float = 0.08) -> tuple[float, float]:
    """Vertical limits that hold 0 and every value, with ``pad`` of the span
    to spare on each side (a unit whose values are all positive gets no
    empty negative half)."""
    lo = min(0.0, *(float(np.min(v)) for v in values))
    hi = max(0.0, *(float(np.max(v)) for v in values))
    span = max(hi - lo, 1e-3)
    return lo - pad * span, hi + pad * span


def cell_figure(win: EchoWindow, row: int = 0, layer: int = 0, lang: str = "en"):
    """LSTM only: one panel per unit. Bars: kept f_t C_{t-1} (blue) and written
    i_t g_t (orange), side by side; black dots: C_t, their sum; grey background:
    the darker, the larger the share of the old cell state erased, 1 - f_t."""
    import matplotlib.pyplot as plt

    d = win.traces.layers[layer]
    f, i, g, c = (d[k][:, row, :] for k in ("f", "i", "g", "c"))
    c_prev = win.prev_c[layer][:, row, :]
    kept, written = f * c_prev, i * g
    steps, n = c.shape
    t = np.arange(steps)
    fig, axes = plt.subplots(n, 1, figsize=(max(8, 0.32 * steps + 2), 1.2 + 1.7 * n), sharex=True, squeeze=False)
    for u, ax in enumerate(axes[:, 0]):
        lo, hi = _data_range(c[:, u], kept[:, u], written[:, u])
        for k in range(steps):  # the darker the background, the more of C_{t-1} is erased
            ax.axvspan(k - 0.5, k + 0.5, color="0.55", alpha=0.6 * float(1 - f[k, u]), lw=0, zorder=0)
        ax.bar(t - 0.2, kept[:, u], width=0.4, color="tab:blue", label=text("view_kept", lang))
        ax.bar(t + 0.2, written[:, u], width=0.4, color="tab:orange", label=text("view_written", lang))
        ax.plot(t, c[:, u], "k.-", lw=0.8, ms=5, label=text("view_cell_now", lang))
        ax.axhline(0, color="0.4", lw=0.5)
        ax.set_ylim(lo, hi)
        ax.set_ylabel(text("view_unit_n", lang, unit=u), fontsize=8)
    ticks = np.arange(0, steps, max(1, steps // 15))
    axes[-1, 0].set_xticks(ticks, [str(win.start + k) for k in ticks])
    axes[-1, 0].set_xlabel(text("view_step", lang))
    axes[-1, 0].set_xlim(-0.6, steps - 0.4)
    from matplotlib.patches import Patch

    handles, labels = axes[0, 0].get_legend_handles_labels()
    handles.append(Patch(color="0.55", alpha=0.6))
    labels.append(text("view_erased", lang))
    fig.suptitle(text("view_cell_title", lang), fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.legend(handles, labels, loc="upper center", ncol=4, fontsize=8, bbox_to_anchor=(0.5, 0.96))
    return fig
