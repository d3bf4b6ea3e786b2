"""Every picture of an echo run, written into its run directory.

    gates.png       input/target/prediction and a heatmap per gate and state
    cell.png        (LSTM) the cell state: kept vs written at every step
    layout.png      the series as batch rows and the sliding window
    unrolled.png    the network unrolled over one window, with carried state
    truncation.png  accuracy and loss at each step of the training window, this
                    run's window against one not longer than the delay
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rnr.errors import UserError
from rnr.i18n import text
from rnr.sweep.tasks import echo
from rnr.views import concepts, gates
from rnr.io import files


def check_options(cfg, steps: int, row: int, layer: int, layers: int = 1) -> None:
    """UserError for a stretch, row or layer the run does not have."""
    if not 2 <= steps <= min(200, cfg.row):
        raise UserError("view_bad_steps", most=min(200, cfg.row), value=steps)
    if not 0 <= row < cfg.batch:
        raise UserError("view_bad_row", last=cfg.batch - 1, value=row)
    if not 0 <= layer < layers:
        raise UserError("view_bad_layer", last=layers - 1, value=layer)


def render(run_dir, cfg, params, lang: str = "en", steps: int = 30, row: int = 0, layer: int = 0) -> list[Path]:
    """Write the echo figures of ``run_dir``; return their paths."""
    import matplotlib.pyplot as plt

    check_options(cfg, steps, row, layer)
    run_dir = Path(run_dir)
    written = []

    def save(fig, name):
        files.save_figure(fig, run_dir / name)
        plt.close(fig)
        written.append(run_dir / name)

    win = gates.echo_traces(cfg, params, steps=steps)
    save(gates.gates_figure(win, cfg.cell, row=row, layer=layer, lang=lang), "gates.png")
    if cfg.cell == "lstm":
        save(gates.cell_figure(win, row=row, layer=layer, lang=lang), "cell.png")

    # the batch layout, from a series generated as training generates it
    x_series, _ = echo.series(np.random.default_rng(cfg.seed), cfg.length, cfg.delay)
    save(concepts.layout_figure(x_series, min(cfg.batch, 5), min(cfg.window, 15), lang=lang), "layout.png")

    # one window, unrolled: window k of the stretch traced above, with its true edges
    k = max(1, win.start // cfg.window)
    lo = k * cfg.window - win.start
    shown = min(cfg.window, 24)
    if lo < 0 or lo + shown > steps:  # trace the window itself
        win = gates.echo_traces(cfg, params, steps=shown, start=k * cfg.window)
        lo = k * cfg.window - win.start
    sl = slice(lo, lo + shown)
    t = win.traces
    save(concepts.unrolled_figure(win.x[sl, row], t.layers[-1]["h"][sl, row], t.probs[sl, row, 1],
                                  win.y[sl, row], k=k, row=row, lang=lang, start=k * cfg.window,
                                  window=cfg.window), "unrolled.png")

    # truncation: this run's window against one not longer than the delay (or longer)
    curves, losses, notes = concepts.truncation_models(cfg, params)
    note = "\n".join(text(key, lang, **fields) for key, fields in notes) if len(notes) > 1 else None
    save(concepts.truncation_figure(curves, cfg.delay, lang=lang, losses=losses, classes=cfg.classes, note=note),
         "truncation.png")
    return written
