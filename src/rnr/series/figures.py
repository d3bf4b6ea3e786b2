"""Figures of a series run (``rnr series``), drawn on bare matplotlib Figures
and written through ``rnr.io.runs``:

    confusion.png  classification: true class (rows) against predicted class
                   (columns), counts written in each cell, accuracy in the title
    holdout.png    forecasting: the training history, the held-out truth, rnr's
                   forecast and the seasonal naive one, each with its MASE
    forecast.png   ``rnr series forecast``: the table's end and the next values
"""

from __future__ import annotations

import numpy as np

from rnr.i18n import text
from rnr.io import files


def _figure(width, height):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def confusion_figure(confusion, classes, accuracy: float, which: str, lang: str):
    m = np.asarray(confusion)
    k = len(classes)
    size = min(9.0, 3.2 + 0.45 * k)
    fig = _figure(size + 1.0, size)
    ax = fig.add_subplot()
    im = ax.imshow(m, cmap="Blues", vmin=0)
    for i in range(k):
        for j in range(k):
            ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=10 if k <= 10 else 7,
                    color="white" if m[i, j] > 0.6 * max(m.max(), 1) else "black")
    ax.set_xticks(range(k), classes, rotation=45 if max(len(c) for c in classes) > 3 else 0, ha="right"
                  if max(len(c) for c in classes) > 3 else "center")
    ax.set_yticks(range(k), classes)
    ax.set_xlabel(text("series_fig_predicted", lang))
    ax.set_ylabel(text("series_fig_true", lang))
    ax.set_title(text("series_fig_confusion", lang, which=text("series_fig_" + which, lang),
                      accuracy=100 * accuracy, n=int(m.sum())))
    fig.colorbar(im, ax=ax, label=text("series_fig_count", lang), shrink=0.8)
    return fig


def _drawable(dates) -> bool:
    """Matplotlib draws dates of the years 1 to 9999 only; others are shown by row number."""
    if dates is None or not len(dates):
        return True
    d = np.asarray(dates).astype("datetime64[D]").astype(np.int64)  # days since 1970
    low, high = (np.array(["0001-01-01", "9999-12-31"], "datetime64[D]").astype(np.int64))
    margin = 0.1 * (d.max() - d.min()) + 31  # the axis' own margin past the data
    return bool(d.min() - margin >= low and d.max() + margin <= high)


def _by_row(table):
    """``table`` with its dates left out (the x axis becomes the row number)."""
    from dataclasses import replace

    return replace(table, dates=None)


def _x(table, n: int, start: int = 0):
    return table.dates[start:start + n] if table.dates is not None else np.arange(start, start + n)


def forecast_figure(table, target: int, name: str, summary: dict, lang: str):
    if not _drawable(table.dates):
        table = _by_row(table)
    values = table.values[:, target]
    h = len(summary["forecast"])
    T = len(values)
    fig = _figure(9.0, 4.2)
    ax = fig.add_subplot()
    ax.plot(_x(table, T - h), values[: T - h], color="0.35", lw=1.4, label=text("series_fig_history", lang))
    ax.plot(_x(table, h + 1, T - h - 1), values[T - h - 1:], color="black", lw=1.8,
            label=text("series_fig_truth", lang))
    if summary.get("forecast_by") == "naive":  # rnr.series.fallback: the run forecasts with the naive
        ax.plot(_x(table, h, T - h), summary["network"]["forecast"], color="tab:red", lw=1.2, marker="o", ms=2,
                alpha=0.6, label=text("series_fig_network_unused", lang, mase=summary["network"]["forecast_mase"]))
        ax.plot(_x(table, h, T - h), summary["naive_forecast"], color="tab:blue", lw=2.0, marker="o", ms=3,
                label=text("series_fig_naive_chosen", lang, mase=summary["naive"]["mase"]))
    else:
        ax.plot(_x(table, h, T - h), summary["forecast"], color="tab:red", lw=2.0, marker="o", ms=3,
                label=text("series_fig_rnr", lang, mase=summary["mase"]))
        ax.plot(_x(table, h, T - h), summary["naive_forecast"], color="tab:blue", lw=1.4, ls="--",
                label=text("series_fig_naive", lang, mase=summary["naive"]["mase"]))
    ax.axvspan(_x(table, 1, T - h)[0], _x(table, 1, T - 1)[0], color="0.92", zorder=0)
    ax.set_ylabel(name)
    ax.set_title(text("series_fig_forecast_title", lang, target=name, h=h))
    ax.legend(loc="upper left", frameon=False)
    ax.grid(alpha=0.3)
    return fig


def write(run, job, summary: dict, lang: str) -> None:
    """The figure of a finished training run, into its folder."""
    if summary["problem"] == "classify":
        which = summary["held"]
        if f"{which}_confusion" not in summary:  # too many classes to draw one
            return
        fig = confusion_figure(summary[f"{which}_confusion"], job.prep.info["classes"],
                               summary[f"{which}_accuracy"], which, lang)
        files.save_figure(fig, run.file("confusion.png"))
        return
    if "each" in summary:  # several series: the figure draws the first, with its own scores
        summary = {**summary, "mase": summary["each"][0]["mase"], "naive": summary["each"][0]["naive"]}
    fig = forecast_figure(job.prep.table, job.prep.target, job.cfg.target, summary, lang)
    files.save_figure(fig, run.file("holdout.png"))


def write_future(path, table, target: int, when, values, name: str, lang: str, interval=None,
                 naive: bool = False) -> None:
    """The last rows of the table and the forecast after them; ``interval``:
    (lower, upper) of a 90% prediction interval, drawn as a band; ``naive``:
    the forecast is the seasonal naive's (``rnr.series.fallback``), and the legend says so."""
    T, h = len(table.values), len(values)
    if table.dates is not None and not (_drawable(table.dates) and _drawable(np.array(when, dtype=table.dates.dtype))):
        table = _by_row(table)
    shown = min(T, max(3 * h, 48))
    fig = _figure(9.0, 4.0)
    ax = fig.add_subplot()
    ax.plot(_x(table, shown, T - shown), table.values[T - shown:, target], color="black", lw=1.6, label=name)
    future = np.array(when, dtype=table.dates.dtype) if table.dates is not None else np.arange(T, T + len(values))
    future = np.concatenate([_x(table, 1, T - 1), future])  # from the last known value on
    values = np.concatenate([table.values[-1:, target], values])
    ax.plot(future, values, color="tab:red", lw=2.0, marker="o", ms=3,
            label=text("series_fig_future_naive" if naive else "series_fig_future", lang))
    if interval is not None:
        lower, upper = (np.concatenate([table.values[-1:, target], np.asarray(b, float)]) for b in interval)
        ax.fill_between(future, lower, upper, color="tab:red", alpha=0.18, lw=0,
                        label=text("series_fig_interval_naive" if naive else "series_fig_interval", lang))
    ax.set_title(text("series_fig_future_title", lang, target=name, h=h))
    ax.set_ylabel(name)
    ax.legend(loc="upper left", frameon=False)
    ax.grid(alpha=0.3)
    files.save_figure(fig, path)
