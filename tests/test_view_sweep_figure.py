"""sweep.png: cells with equal values stay visible, the gap axis is
logarithmic for 10/30/100, the "solved" threshold is drawn where the task's
rule turns."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from rnr.tasks import adding, copy, echo  # noqa: E402
from rnr.views import sweep_figure  # noqa: E402

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
    # every marker labelled with solved/runs
    assert sorted(t.get_text() for t in ax2.texts) == ["0/2"] * (len(CELLS) * len(gaps))
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
