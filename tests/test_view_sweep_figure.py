"""sweep.png: cells with equal values stay visible, the gap axis is
logarithmic for 10/30/100, the "solved" threshold is drawn where the task's
rule turns."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from rnr.sweep.tasks import adding, copy, echo  # noqa: E402
from rnr.sweep import figures as sweep_figure  # noqa: E402

CELLS = ("rnn", "lstm", "gru", "lstm_nofg")


def rows_for(task, gaps, solved=lambda c, g, s: False, value=lambda c, g, s: 0.5, window=None):
    return [{"cell": c, "gap": g, "seed": s, "window": window, "value": value(c, g, s), "solved": solved(c, g, s)}
            for c in CELLS for g in gaps for s in range(2)]


def test_threshold_is_where_the_rule_turns():
    for g in (5, 10, 100):
        assert sweep_figure.threshold("copy", g) == pytest.approx(copy.SOLVED_FRACTION * copy.baseline(g), rel=1e-9)
        assert sweep_figure.threshold("adding", g) == pytest.approx(adding.SOLVED_MSE, rel=1e-9)
        assert sweep_figure.threshold("echo", g) == pytest.approx(echo.SOLVED, rel=1e-9)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_four_cells_at_zero_all_visible(lang):
    gaps = (10, 30, 100)
    fig = sweep_figure.figure("copy", rows_for("copy", gaps), lang)
    ax, ax2 = fig.axes
    assert ax.get_xscale() == "log" and ax2.get_xscale() == "log"
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["10", "30", "100"]
    # the solved panel: one marker line per cell, each at its own x for every gap
    lines = [ln for ln in ax2.lines if ln.get_marker() not in ("None", None, "")]
    assert len(lines) == len(CELLS)
    assert len({ln.get_marker() for ln in lines}) == len(CELLS)  # a shape per cell
    xs = np.array([ln.get_xdata() for ln in lines])  # (cells, gaps)
    for j, g in enumerate(gaps):
        col = np.sort(xs[:, j])
        assert np.all(np.diff(np.log(col)) > 0.08)  # apart on the log axis
        assert col[0] > g / 1.3 and col[-1] < g * 1.3  # and still near their gap
    # no "0/2" on every marker: the markers at 0 are explained once
    assert [t.get_text() for t in ax2.texts] == [
        "markers at 0: no seed solved the task" if lang == "en" else "marcadores en 0: ninguna semilla resolvió la tarea"]
    # the threshold on the metric panel: 10 % of the baseline, copy's own rule
    dotted = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    assert len(dotted) == 1
    x, y = dotted[0].get_data()
    np.testing.assert_allclose(y, copy.SOLVED_FRACTION * np.array([copy.baseline(v) for v in x]), rtol=1e-8)


def test_linear_axis_for_close_gaps_and_echo_threshold():
    fig = sweep_figure.figure("adding", rows_for("adding", (10, 20, 30)), "en")
    assert fig.axes[0].get_xscale() == "linear"
    dotted = [ln for ln in fig.axes[0].lines if ln.get_linestyle() == ":"]
    np.testing.assert_allclose(dotted[0].get_ydata(), adding.SOLVED_MSE)
    fig = sweep_figure.figure("echo", rows_for("echo", (1, 2, 4, 8, 16), window=8), "es")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    ys = [ln.get_ydata()[0] for ln in ax.lines if ln.get_linestyle() == ":" and ln.get_ydata()[0] == ln.get_ydata()[-1]]
    assert echo.SOLVED in ys


def _legend_entries(fig):
    (legend,) = fig.legends or [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    return [t.get_text() for t in legend.get_texts()]


def _drawn(ax, label):
    """What the axes draws under ``label``: True when a line with a line style
    spans two x positions or more, or markers are drawn."""
    for ln in ax.lines:
        if ln.get_label() != label:
            continue
        xs = set(np.round(np.asarray(ln.get_xdata(), float), 9))
        styled = ln.get_linestyle() not in ("None", "none", "", " ")
        marked = ln.get_marker() not in ("None", "none", "", " ", None)
        return (styled and len(xs) >= 2) or (marked and not styled and len(xs) >= 1)
    return False


@pytest.mark.parametrize("task,lang", [("copy", "en"), ("adding", "es"), ("echo", "en")])
def test_one_gap_legend_names_only_what_is_drawn(task, lang):
    rows = rows_for(task, (10,), window=8 if task == "echo" else None)
    fig = sweep_figure.figure(task, rows, lang)
    ax = fig.axes[-1] if task == "echo" else fig.axes[0]
    labels = _legend_entries(fig)
    assert set(CELLS) <= set(labels)
    for label in labels:
        assert _drawn(ax, label), label
    cells = [ln for ln in ax.lines if ln.get_label() in CELLS]
    assert all(ln.get_linestyle() == "None" for ln in cells)  # markers, no lines: one gap


def _overlaps(fig, texts):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in texts]
    return [(a.get_text(), b.get_text()) for i, a in enumerate(texts) for j, b in enumerate(texts)
            if i < j and boxes[i].overlaps(boxes[j])]


@pytest.mark.parametrize("gaps", [(10,), (10, 30, 100), (5, 10, 20)])
def test_solved_labels_never_overlap(gaps):
    cases = [
        lambda c, g, s: False,  # nothing solved: one note, no "0/2"
        lambda c, g, s: True,  # everything solved: one "2/2" per gap
        lambda c, g, s: s == 0 or c == "lstm",  # lstm 2/2, the others 1/2
        lambda c, g, s: (c in ("rnn", "gru") and s == 0) or g == gaps[0],
    ]
    six = ("rnn", "lstm", "gru", "lstm_peephole", "lstm_coupled", "lstm_nofg")
    for solved in cases:
        rows = [{"cell": c, "gap": g, "seed": s, "window": None, "value": 0.5, "solved": solved(c, g, s)}
                for c in six for g in gaps for s in range(2)]
        fig = sweep_figure.figure("copy", rows, "en")
        ax2 = fig.axes[1]
        texts = list(ax2.texts)
        assert not _overlaps(fig, texts)
        assert "0/2" not in [t.get_text() for t in texts]
        # one label per gap and fraction above 0, each "solved/runs"
        expected = set()
        for g in gaps:
            for c in six:
                n = sum(solved(c, g, s) for s in range(2))
                if n:
                    expected.add((g, n / 2, f"{n}/2"))
        labels = [t for t in texts if "/" in t.get_text()]
        assert len(labels) == len(expected)
        assert {t.get_text() for t in labels} == {e[2] for e in expected}
        zero = any(sum(solved(c, g, s) for s in range(2)) == 0 for c in six for g in gaps)
        assert sum("no seed solved" in t.get_text() for t in texts) == int(zero)
