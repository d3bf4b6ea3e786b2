"""``rnr view`` on a series run: the gates and states over one sequence.

Classification runs show one sequence of the run's test file (or its
training file) with its true class and the predicted one; forecasting runs
show the last ``context`` rows of the table (``--text``: another with the
same columns), the window the next forecast
reads. Top panel: the input features over time; below, one heatmap per
traced quantity of the chosen layer (units down, steps across) for the 16
units that decide the output: the largest |weight| into the readout, which
reads the pooled state (a lower layer: into the next layer), numbered on
the axis, largest on top. Colours span the 1st to 99th percentile of each
heatmap, so a few outliers do not wash out the rest. With both directions,
units H..2H-1 are the backward ones.
"""

from __future__ import annotations

import numpy as np

from rnr.engine import model
from rnr.engine import traces as tr
from rnr.i18n import text
from rnr.io import files

MAX_FEATURES_SHOWN = 6
TOP_UNITS = 16  # units shown per quantity


def traces_of(mcfg, params, x: np.ndarray) -> list[dict]:
    """Every traced quantity of every layer over one sequence x (T, F): [{name: (T, H')}]."""
    collected = tr.collect(*model.cells_only(mcfg, params), x[:, None, :])
    return [{k: v[:, 0] for k, v in d.items()} for d in collected.layers]


def unit_scores(mcfg, params, layer: int) -> tuple[np.ndarray | None, str]:
    """How much each unit of ``layer``'s output (width H, 2H with both
    directions) weighs in what comes next: for the top layer the largest
    |weight| from the unit into the readout (which reads the pooled state),
    for a lower layer the largest |weight| from it into the next layer.
    Returns (scores, "readout" | "next"), or (None, "all") for a cell whose
    input weights cannot be read."""
    if layer == mcfg.layers - 1:  # the readout's rows that read the cells (a --conv branch's come after)
        return np.abs(np.asarray(params["out"]["W"][: mcfg.width_out()])).max(axis=1), "readout"
    from rnr.engine import cells

    cell = cells.get(mcfg.cell)
    if not hasattr(cell, "inputs"):
        return None, "all"
    n = mcfg.width_out()
    nxt = params["layers"][layer + 1]
    parts = [nxt["fwd"], nxt["bwd"]] if mcfg.bidirectional else [nxt]
    eye, zero = np.eye(n, dtype=np.float32), np.zeros((1, n), np.float32)
    weights = [np.abs(np.asarray(cell.inputs(q, eye)) - np.asarray(cell.inputs(q, zero))) for q in parts]
    return np.max([w.max(axis=1) for w in weights], axis=0), "next"


def top_units(scores: np.ndarray | None, width: int, k: int = TOP_UNITS) -> np.ndarray:
    """The ``k`` units with the largest scores, largest first (ties: the lower
    number); without scores the first ``k``."""
    if scores is None or len(scores) != width:
        return np.arange(min(k, width))
    return np.argsort(-np.asarray(scores), kind="stable")[:k]


def robust_limits(v: np.ndarray) -> tuple[float, float]:
    """The colour range: the 1st and 99th percentiles of the values shown
    (a few outliers do not wash out the rest)."""
    lo, hi = (float(q) for q in np.percentile(v, [1, 99]))
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


def sequence_figure(mcfg, params, x: np.ndarray, title: str, layer: int, lang: str, k: int = TOP_UNITS):
    """The figure: features, then the layer's gates and states, each for the
    ``k`` units that weigh most in the readout (lower layers: in the next
    layer), largest on top, numbered; colours span the 1st to 99th
    percentile of each heatmap's values."""
    from matplotlib.colors import Normalize, TwoSlopeNorm
    from matplotlib.figure import Figure

    from rnr.views.gates import GATE_CMAP, SIGNED_CMAP

    layer_tr = traces_of(mcfg, params, x)[layer]
    keys = list(layer_tr)
    T = x.shape[0]
    width = mcfg.width_out()
    scores, how = unit_scores(mcfg, params, layer)
    units = top_units(scores, width, k)
    rows = len(units)
    per_panel = max(1.3, 0.11 * rows + 0.35)  # about 8 points per unit number
    fig = Figure(figsize=(max(8.0, min(18.0, 0.06 * T + 6)), 2.0 + 1.3 + per_panel * len(keys)), layout="constrained")
    axes = fig.subplots(len(keys) + 1, 1, sharex=True, gridspec_kw={"height_ratios": [1.3] + [per_panel] * len(keys)})
    ax0 = axes[0]
    for f in range(min(x.shape[1], MAX_FEATURES_SHOWN)):
        ax0.plot(np.arange(T), x[:, f], lw=1.2, label=f"x{f + 1}" if x.shape[1] > 1 else None)
    if x.shape[1] > 1:
        ax0.legend(loc="upper right", fontsize=7, ncols=min(x.shape[1], MAX_FEATURES_SHOWN), frameon=False)
    ax0.set_ylabel(text("series_view_input", lang), fontsize=8)
    ax0.grid(alpha=0.3)
    if how == "readout":
        ylabel = text("view_series_units_readout", lang, k=rows, n=width)
    elif how == "next":
        ylabel = text("view_series_units_next", lang, k=rows, n=width, next=layer + 1)
    else:
        ylabel = text("view_series_units_all", lang, last=rows - 1)
    for ax, key in zip(axes[1:], keys):
        full = layer_tr[key].T  # (H', T)
        shown = units if full.shape[0] == width else np.arange(min(k, full.shape[0]))
        v = full[shown]
        lo, hi = robust_limits(v)
        if key in tr.GATE_KEYS:
            cmap, norm = GATE_CMAP, Normalize(lo, hi)
        else:
            cmap, norm = SIGNED_CMAP, TwoSlopeNorm(0.0, lo, hi) if lo < 0 < hi else Normalize(lo, hi)
        im = ax.imshow(v, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
        ax.set_title(text(tr.QUANTITY[key], lang), fontsize=9, loc="left")
        ax.set_yticks(range(len(shown)), [str(int(u)) for u in shown], fontsize=7 if len(shown) > 8 else 8)
        cb = fig.colorbar(im, ax=ax, pad=0.01, fraction=0.03, extend="both")
        cb.ax.tick_params(labelsize=7)
        ax.set_ylabel(text("view_unit", lang), fontsize=8)
    axes[-1].set_xlabel(text("view_step", lang))
    notes = [text("view_series_scale", lang)]
    if mcfg.bidirectional:
        notes.append(text("view_series_backward", lang, first=mcfg.hidden, last=width - 1))
    fig.suptitle(title + "\n" + ylabel + "\n" + "; ".join(notes), fontsize=10)
    return fig


def render(run, args, lang: str) -> list:
    """Write gates.png for the sequence ``--row`` (classification) or the
    table's last window (forecasting); returns the paths written."""
    from rnr.errors import UserError
    from rnr.series.sequences import Scaler

    raw, cfg = run.raw, run.cfg
    if args.layer >= cfg.layers:
        raise UserError("series_view_layer", layer=args.layer, layers=cfg.layers)
    scaler = Scaler.from_dict(raw["scaler"])
    if raw["problem"] == "classify":
        from rnr.series import classify
        from rnr.series.sequences import relabel

        path = args.text or raw.get("test", {}).get("path") or raw["data"]["path"]
        data = classify.read_sequences(path)
        if data.features != raw["features"]:
            raise UserError("series_features_differ", path=path, found=data.features, expected=raw["features"])
        if args.row >= len(data):
            raise UserError("series_view_row", row=args.row, n=len(data), path=path)
        labelled = (data.y >= 0).all()
        data = scaler.apply(relabel(data, tuple(raw["classes"]), path) if labelled else data)
        one = data.take([args.row])
        p = np.exp(classify.log_probabilities(run.mcfg, cfg.pooled(), run.params, one)[0])
        x = one.X[0, : one.lengths[0]]
        true = raw["classes"][one.y[0]] if labelled else "?"
        title = text("series_view_title", lang, row=args.row, true=true, pred=raw["classes"][int(p.argmax())],
                     p=100 * float(p.max()), cell=cfg.cell.upper(), layer=args.layer)
    else:
        from rnr.series import forecast

        table, _, transform = forecast.inputs_of_run(run, args.text)
        z = transform.forward(table.values)[-cfg.context:]
        x = z - z.mean(axis=0)  # what the network reads: the window relative to its level
        title = text("series_view_title_forecast", lang, n=cfg.context, cell=cfg.cell.upper(), layer=args.layer)
    fig = sequence_figure(run.mcfg, run.params, x, title, args.layer, lang)
    out = run.path / "gates.png"
    files.save_figure(fig, out)
    return [out]
