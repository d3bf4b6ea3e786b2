"""``rnr view`` on a series run: the gates and states over one sequence.

Classification runs show one sequence of the run's test file (or its
training file) with its true class and the predicted one; forecasting runs
show the last ``context`` rows of the table (``--text``: another with the
same columns), the window the next forecast
reads. Top panel: the input features over time; below, one heatmap per
traced quantity of the chosen layer (units down, steps across); with both
directions the forward units sit above the line, the backward ones below.
"""

from __future__ import annotations

import numpy as np

from rnr import traces as tr
from rnr.i18n import text
from rnr.views.gates import _style
from rnr.io import files

MAX_FEATURES_SHOWN = 6


def traces_of(mcfg, params, x: np.ndarray) -> list[dict]:
    """Every traced quantity of every layer over one sequence x (T, F): [{name: (T, H')}]."""
    collected = tr.collect(mcfg, params, x[:, None, :])
    return [{k: v[:, 0] for k, v in d.items()} for d in collected.layers]


def sequence_figure(mcfg, params, x: np.ndarray, title: str, layer: int, lang: str):
    """The figure: features, then the layer's gates and states."""
    from matplotlib.figure import Figure

    layer_tr = traces_of(mcfg, params, x)[layer]
    keys = list(layer_tr)
    T = x.shape[0]
    fig = Figure(figsize=(max(8.0, min(18.0, 0.06 * T + 6)), 1.8 + 1.3 * (len(keys) + 1)), layout="constrained")
    axes = fig.subplots(len(keys) + 1, 1, sharex=True, gridspec_kw={"height_ratios": [1.3] + [1] * len(keys)})
    ax0 = axes[0]
    for f in range(min(x.shape[1], MAX_FEATURES_SHOWN)):
        ax0.plot(np.arange(T), x[:, f], lw=1.2, label=f"x{f + 1}" if x.shape[1] > 1 else None)
    if x.shape[1] > 1:
        ax0.legend(loc="upper right", fontsize=7, ncols=min(x.shape[1], MAX_FEATURES_SHOWN), frameon=False)
    ax0.set_ylabel(text("series_view_input", lang), fontsize=8)
    ax0.grid(alpha=0.3)
    for ax, key in zip(axes[1:], keys):
        v = layer_tr[key].T  # (H', T)
        cmap, lo, hi = _style(key, v)
        im = ax.imshow(v, cmap=cmap, vmin=lo, vmax=hi, aspect="auto", interpolation="nearest")
        if mcfg.bidirectional:
            ax.axhline(mcfg.hidden - 0.5, color="black", lw=1.0)
        ax.set_title(text(tr.QUANTITY[key], lang), fontsize=9, loc="left")
        ax.set_ylabel(text("view_unit", lang), fontsize=8)
        if mcfg.bidirectional:
            h = mcfg.hidden
            ax.set_yticks([h / 2 - 0.5, 1.5 * h - 0.5],
                          [text("series_view_forward", lang), text("series_view_backward", lang)], fontsize=7)
        else:
            ax.set_yticks([])
        fig.colorbar(im, ax=ax, pad=0.01, fraction=0.03)
    axes[-1].set_xlabel(text("view_step", lang))
    fig.suptitle(title, fontsize=10)
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
