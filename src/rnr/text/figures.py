"""loss.png of a text run (``rnr text train``): the training loss of every
window, its moving average, the validation loss at each evaluation, in nats
per character (cross-entropy) with bits per character on the right axis, and
the epoch starts marked (the carried state restarts from zero there).

Read from the run's ``metrics.jsonl``, so a resumed run draws its whole
history. Drawn on a bare ``matplotlib.figure.Figure`` (no pyplot, no
backend to choose), written through ``rnr.io.runs``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from rnr.i18n import default_lang, text
from rnr.io import files


def read_metrics(path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(window losses (n,), validation steps (m,), validation losses (m,))
    from a text run's ``metrics.jsonl``; unreadable lines are skipped."""
    losses, last_step, vs, vl = {}, 0, [], []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        if isinstance(rec.get("losses"), list) and isinstance(rec.get("step"), int):
            step, ls = rec["step"], rec["losses"]
            for k, v in enumerate(ls):  # the chunk's windows end at ``step``
                losses[step - len(ls) + k] = float(v)
            last_step = max(last_step, step)
        if isinstance(rec.get("val_loss"), (int, float)) and isinstance(rec.get("step"), int):
            vs.append(rec["step"])
            vl.append(float(rec["val_loss"]))
    train = np.full(last_step, np.nan)
    for k, v in losses.items():
        if 0 <= k < last_step:
            train[k] = v
    return train, np.array(vs, float), np.array(vl, float)


def loss_figure(train: np.ndarray, val_steps, val_losses, per_epoch: int | None = None, lang: str = "en"):
    """The figure (a ``matplotlib.figure.Figure``)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.5))
    ax = fig.add_subplot()
    n = len(train)
    x = np.arange(1, n + 1)  # window k ends at step k
    if n:
        ax.plot(x, train, lw=0.5, alpha=0.45, color="tab:blue", label=text("view_text_train", lang))
        k = max(1, n // 50)
        if k > 1 and n > k:
            ok = np.nan_to_num(train)
            smooth = np.convolve(ok, np.ones(k) / k, mode="valid")
            ax.plot(x[k - 1:], smooth, lw=1.6, color="tab:blue",
                    label=text("view_text_smooth", lang, windows=k))
    if len(val_steps):
        ax.plot(val_steps, val_losses, "o-", ms=4, color="tab:orange", label=text("view_text_val", lang))
    if per_epoch and n and 1 < n / per_epoch <= 60:
        for e in range(1, math.ceil(n / per_epoch)):
            ax.axvline(e * per_epoch, color="tab:red", ls=":", lw=0.8)
        ax.plot([], [], color="tab:red", ls=":", lw=0.8, label=text("view_text_epoch", lang))
    ax.set_xlabel(text("view_text_windows", lang))
    ax.set_ylabel(text("view_fig_nats", lang))
    bits = ax.secondary_yaxis("right", functions=(lambda v: v / math.log(2), lambda v: v * math.log(2)))
    bits.set_ylabel(text("view_text_bits", lang))
    ax.set_title(text("view_text_loss_title", lang), fontsize=10)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def write_loss(run, per_epoch: int | None = None, lang: str | None = None) -> Path | None:
    """Draw ``loss.png`` into a text run folder (``rnr.io.runs.Run`` or a path)
    from its ``metrics.jsonl``; None when there is nothing to draw."""
    from rnr import i18n
    from rnr.io import runs

    folder = Path(getattr(run, "path", run))
    metrics = folder / runs.METRICS
    if not metrics.is_file():
        return None
    train, vs, vl = read_metrics(metrics)
    if not len(train) and not len(vs):
        return None
    lang = lang or i18n._current["lang"] or default_lang()
    out = folder / "loss.png"
    files.save_figure(loss_figure(train, vs, vl, per_epoch, lang), out)
    return out
