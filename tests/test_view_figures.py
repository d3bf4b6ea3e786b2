"""`rnr view` on echo runs: the PNG files, their content, their language, errors."""

from __future__ import annotations

import struct

import jax
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from rnr.io import checkpoint, runs
from rnr import cli
from rnr.echo import experiment as eco
from rnr.engine import model, tbptt  # noqa: E402
from rnr.sweep.tasks import echo  # noqa: E402
from rnr.views import concepts, gates  # noqa: E402
from rnr.io import files

import reference as ref  # noqa: E402

CFG = eco.EcoConfig(epochs=1, length=600, window=6, hidden=3, delay=2, batch=5, cell="lstm", init="torch", seed=3)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """An echo run directory with untrained (random) LSTM weights: the figures
    must show what these weights do, whatever they are."""
    d = tmp_path_factory.mktemp("eco")
    params = model.init(jax.random.PRNGKey(5), CFG.model())
    files.write_json(d / "config.json", eco.config_dict(CFG))
    checkpoint.save(d / "last.safetensors", {"params": params})
    return d


def test_view_writes_every_png(run_dir, capsys):
    assert cli.main(["view", str(run_dir), "--lang", "en", "--steps", "20"]) == 0
    names = ["gates.png", "cell.png", "layout.png", "unrolled.png", "truncation.png"]
    for name in names:
        w, h = png_size(run_dir / name)
        assert w >= 600 and h >= 300, name
    # the gate figure: 0.32 inch per step + margins, 6 heatmaps + the io panel, 100 dpi
    assert png_size(run_dir / "gates.png") == (round(100 * (0.32 * 20 + 3)), round(100 * (1.5 + 1.25 * 7)))
    assert png_size(run_dir / "truncation.png") == (800, 560)  # accuracy and loss panels
    assert "gates.png" in capsys.readouterr().out


def test_gates_figure_shows_the_models_numbers(run_dir):
    cfg, params = eco.load_run(run_dir)
    win = gates.echo_traces(cfg, params, steps=12, start=20)
    fig = gates.gates_figure(win, cfg.cell, row=1, lang="en")
    # independent: regenerate the series and run NumPy from the row's start
    x, y = echo.rows(np.random.default_rng(cfg.seed + 7_000_003), cfg.length, cfg.delay, cfg.batch)
    _, logits, layers = ref.model_forward(cfg.model(), params, x[:, :32].T, trace=True)
    io = np.asarray(fig.axes[0].images[0].get_array())
    np.testing.assert_array_equal(io[0], x[1, 20:32])  # input
    np.testing.assert_array_equal(io[1], y[1, 20:32])  # target
    np.testing.assert_array_equal(io[2], logits[20:32, 1].argmax(-1))  # prediction = argmax
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    f_ax = fig.axes[titles.index("forget gate f")]
    np.testing.assert_allclose(np.asarray(f_ax.images[0].get_array()), layers[0]["f"][20:32, 1].T, atol=2e-5)
    c_ax = fig.axes[titles.index("cell state c")]
    np.testing.assert_allclose(np.asarray(c_ax.images[0].get_array()), layers[0]["c"][20:32, 1].T, atol=2e-5)
    # the cell figure: kept f*C(t-1) and written i*g bars, C(t) as their sum
    cf = gates.cell_figure(win, row=1, lang="en")
    ax0 = cf.axes[0]
    f, i, g, c = (layers[0][k][:, 1, 0] for k in "figc")
    kept_bars, written_bars = ([p.get_height() for p in bars] for bars in ax0.containers[:2])
    np.testing.assert_allclose(kept_bars, f[20:32] * c[19:31], atol=2e-5)
    np.testing.assert_allclose(written_bars, (i * g)[20:32], atol=2e-5)
    np.testing.assert_allclose(ax0.lines[0].get_ydata(), c[20:32], atol=2e-5)


def test_window_accuracy_and_layout(run_dir):
    cfg, params = eco.load_run(run_dir)
    acc = concepts.window_accuracy(cfg, params, seed=11)
    x, y = echo.rows(np.random.default_rng(11), cfg.length, cfg.delay, cfg.batch)
    _, logits = ref.model_forward(cfg.model(), params, x.T)
    ok = (logits.argmax(-1) == y.T).T  # (B, L)
    k = ok.shape[1] // cfg.window
    by_pos = ok[:, cfg.window: k * cfg.window].reshape(cfg.batch, k - 1, cfg.window).mean((0, 1))
    np.testing.assert_allclose(acc, by_pos)

    # the loss per step: -log P(target), the same NumPy run
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    nll = -np.log(np.take_along_axis(p, y.T[..., None], -1)[..., 0]).T  # (B, L)
    by_pos_loss = nll[:, cfg.window: k * cfg.window].reshape(cfg.batch, k - 1, cfg.window).mean((0, 1))
    scores = concepts.window_scores(cfg, params, seed=11)
    np.testing.assert_allclose(scores["accuracy"], by_pos)
    np.testing.assert_allclose(scores["loss"], by_pos_loss, rtol=1e-4)
    fig = concepts.truncation_figure({cfg.window: scores["accuracy"]}, cfg.delay,
                                     losses={cfg.window: scores["loss"]})
    np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), by_pos_loss, rtol=1e-4)
    title = fig._suptitle.get_text()  # the measured comparison, shaded steps against the others
    assert f"{100 * by_pos[:cfg.delay].mean():.1f} %" in title and f"{100 * by_pos[cfg.delay:].mean():.1f} %" in title

    series = np.random.default_rng(0).integers(0, 2, 60)
    fig = concepts.layout_figure(series, 3, 4, k=1, windows_shown=3)
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"0", "11", "20", "31", "40", "51"} <= labels  # row r starts at r * 20
    assert "12" not in labels  # rows show only their first 3 windows
    # legible: positions printed at 8 points or more, half an inch per step
    assert min(t.get_fontsize() for t in fig.axes[0].texts) >= 8
    assert fig.get_size_inches()[0] == pytest.approx(1.5 + 0.5 * 12)
    big = concepts.layout_figure(np.random.default_rng(0).integers(0, 2, 100_000), 5, 15)
    assert "80029" in {t.get_text() for t in big.axes[0].texts}  # row 4 starts at 4 * 20,000
    assert min(t.get_fontsize() for t in big.axes[0].texts) >= 8


def test_unrolled_has_a_colour_scale(run_dir):
    cfg, params = eco.load_run(run_dir)
    win = gates.echo_traces(cfg, params, steps=12, start=12)
    for lang, label in (("en", "state $h_t$ of a unit"), ("es", "estado $h_t$ de una unidad")):
        fig = concepts.unrolled_figure(win.x[:6, 0], win.traces.layers[0]["h"][:6, 0], win.traces.probs[:6, 0, 1],
                                       win.y[:6, 0], k=2, row=0, lang=lang)
        bar = fig.axes[1]  # the colour bar of the state boxes, -1 .. 1
        assert bar.get_ylabel() == label and bar.get_ylim() == (-1, 1)
        # every key inside the figure, clear of its border (the Spanish ones are the longest)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        W, H = fig.canvas.get_width_height()
        for t in fig.axes[0].texts:
            box = t.get_window_extent(renderer)
            assert box.x0 >= 3 and box.x1 <= W - 3 and box.y0 >= 3 and box.y1 <= H - 3, t.get_text()


def test_training_figure_and_loss_curve():
    from rnr.echo import figures as echo_figure

    f = echo_figure.TrainingFigure(4, "es")
    x = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    y = np.array([[0, 1], [1, 0], [0, 1], [1, 1]])
    pred = np.array([[0, 1], [1, 1], [1, 1], [0, 1]])
    f.update(np.array([0.7, 0.5, 0.2]), x, y, pred)
    bx, by, bp = f.bars[1]  # row 1: a filled square for every 1, nothing for a 0
    assert [b.get_height() > 0 for b in bx] == [False, True, True, False]
    assert [b.get_height() > 0 for b in by] == [True, False, True, True]
    filled = [b.get_facecolor()[3] > 0 for b in bp]
    assert filled == [True, True, True, True]
    framed = [b.get_linewidth() > 0 for b in bp]  # the wrong prediction (step 1) is framed
    assert framed == [False, True, False, False]
    assert f.loss_ax.get_ylabel() == "pérdida: entropía cruzada (nats)"
    for ax in f.fig.axes[1:]:
        assert [t.get_text() for t in ax.get_yticklabels()] == ["entrada", "objetivo", "predicción"]
    assert len(f.fig.legends) == 1 and not any(ax.get_legend() for ax in f.fig.axes)
    losses = np.abs(np.random.default_rng(0).normal(0.1, 0.01, (3, 20)))
    fig = echo_figure.loss_curve(losses, "en")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "loss: cross-entropy (nats)"
    assert "state restarts from zero" in ax.get_title()
    starts = next(line for line in ax.lines if line.get_label() == "first window of an epoch")
    np.testing.assert_array_equal(starts.get_xdata(), [20, 40])  # the epoch starts and their losses
    np.testing.assert_array_equal(starts.get_ydata(), losses[1:, 0])


def test_spanish_titles(run_dir):
    cfg, params = eco.load_run(run_dir)
    win = gates.echo_traces(cfg, params, steps=8)
    fig = gates.gates_figure(win, cfg.cell, lang="es")
    assert "compuerta de olvido f" in [ax.get_title(loc="left") for ax in fig.axes]
    assert "paso de tiempo" == fig.axes[-2].get_xlabel() or "paso de tiempo" in [a.get_xlabel() for a in fig.axes]
    fig = concepts.truncation_figure({4: np.ones(4), 2: np.full(2, 0.5)}, 3, lang="es")
    assert fig.axes[0].get_ylabel() == "exactitud"


def test_bad_input_exits_2_and_writes_nothing(tmp_path, run_dir, capsys):
    assert cli.main(["view", str(tmp_path / "missing")]) == 2
    assert "config.json" in capsys.readouterr().err
    fresh = tmp_path / "copy"
    fresh.mkdir()
    for f in ("config.json", "last.safetensors"):
        (fresh / f).write_bytes((run_dir / f).read_bytes())
    assert cli.main(["view", str(fresh), "--row", "7", "--lang", "es"]) == 2
    err = capsys.readouterr().err
    assert "--row" in err and "Traceback" not in err
    assert cli.main(["view", str(fresh), "--steps", "1"]) == 2
    assert sorted(p.name for p in fresh.iterdir()) == ["config.json", "last.safetensors"]
    files.write_json(fresh / "config.json", {"task": "mystery"})
    assert cli.main(["view", str(fresh)]) == 2
    assert "mystery" in capsys.readouterr().err


# ---------------------------------------------------------------- the redrawn figures: each property they fix


def _offset_texts(fig):
    fig.canvas.draw()
    return [a.yaxis.get_offset_text().get_text() for a in fig.axes]


def test_truncation_compares_a_short_window_with_a_long_one(run_dir):
    cfg, params = eco.load_run(run_dir)  # window 6 > delay 2: the run, and a window of 1 trained here
    curves, losses, notes = concepts.truncation_models(cfg, params)
    assert sorted(curves) == sorted(losses) == [1, 6]
    assert min(curves) <= cfg.delay < max(curves)
    np.testing.assert_allclose(curves[6], concepts.window_scores(cfg, params, length=cfg.length)["accuracy"])
    assert [n[0] for n in notes] == ["view_trunc_note_run", "view_trunc_note_trained"]
    for lang in ("en", "es"):
        fig = concepts.truncation_figure(curves, cfg.delay, lang=lang, losses=losses, note="note")
        acc_ax, loss_ax = fig.axes
        drawn = [ln for ln in acc_ax.lines if ln.get_marker() not in ("None", None, "")]
        assert [len(ln.get_xdata()) for ln in drawn] == [1, 6]  # two windows, each over its own steps
        assert [ln.get_label().split(",")[0] for ln in drawn] == [
            ("window" if lang == "en" else "ventana") + f" {w}" for w in (1, 6)]
        assert loss_ax.get_yscale() == "log"
        assert _offset_texts(fig) == ["", ""]
        title = fig._suptitle.get_text()
        assert f"{100 * curves[1].mean():.1f}".replace(".", "," if lang == "es" else ".") in title


def test_truncation_noise_is_not_drawn_as_zigzags():
    """A trained run's losses differ by 3 % around 1.7e-4: no offset text, and
    the axis spans at least a decade (down from the memoryless loss)."""
    loss = 1.74e-4 + 3e-6 * np.sin(np.arange(15))
    fig = concepts.truncation_figure({15: np.ones(15)}, 3, losses={15: loss})
    assert _offset_texts(fig) == ["", ""]
    lo, hi = fig.axes[1].get_ylim()
    assert fig.axes[1].get_yscale() == "log" and hi / lo >= 10 and hi > np.log(2)


def test_view_truncation_png_shows_two_windows(run_dir, monkeypatch):
    shown = {}
    real = concepts.truncation_figure

    def spy(curves, *a, **k):
        shown.update(curves)
        return real(curves, *a, **k)

    monkeypatch.setattr(concepts, "truncation_figure", spy)
    assert cli.main(["view", str(run_dir), "--steps", "12"]) == 0
    assert sorted(shown) == [1, 6]


def _unrolled(win, steps, start, k=None, lang="en", window=15):
    t = win.traces
    lo = start - win.start
    return concepts.unrolled_figure(win.x[lo:lo + steps, 0], t.layers[0]["h"][lo:lo + steps, 0],
                                    t.probs[lo:lo + steps, 0, 1], win.y[lo:lo + steps, 0],
                                    k=start // window if k is None else k, row=0, lang=lang, start=start,
                                    window=window)


def _texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def _edges(fig):
    return [ln for ln in fig.axes[0].lines if ln.get_linestyle() == ":"]


def test_unrolled_reads_at_page_width_with_true_edges(run_dir):
    cfg, params = eco.load_run(run_dir)
    win = gates.echo_traces(cfg, params, steps=40, start=30)
    for steps in (6, 15, 24):
        for lang in ("en", "es"):
            fig = _unrolled(win, steps, 45, lang=lang)
            w, h = fig.get_size_inches() * fig.dpi
            assert w <= 1000 and h <= 800, (steps, w, h)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            W, H = fig.canvas.get_width_height()
            for t in fig.axes[0].texts:  # every label inside the figure
                box = t.get_window_extent(renderer)
                assert box.x0 >= 3 and box.x1 <= W - 3 and box.y0 >= 3 and box.y1 <= H - 3, t.get_text()
            assert min(t.get_fontsize() for t in fig.axes[0].texts) >= 8
            import matplotlib.pyplot as plt

            plt.close(fig)
    # the whole window 3 (steps 45-59): edges at both ends, carried to window 4
    fig = _unrolled(win, 15, 45)
    texts = _texts(fig)
    assert len(_edges(fig)) == 2 and "state carried\nto window 4" in texts and "state carried\nfrom window 2" in texts
    assert "probability\nof a 1" in texts and not any("P(1)" in t for t in texts)
    assert {"0", "1", "2"} <= set(texts)  # the units, numbered (3 units)
    assert [str(p) for p in range(45, 60)] == [t for t in texts if t.isdigit() and int(t) >= 45]
    # its first 10 steps (the notebook's cut): no window ends at step 54, so nothing is carried to window 4
    fig = _unrolled(win, 10, 45)
    texts = _texts(fig)
    assert len(_edges(fig)) == 1 and not any("to window" in t for t in texts)
    assert any("55" in t for t in texts)  # the state goes on to step 55, in the same window
    # without start and window (the steps are taken as window k): numbered within the window, no row positions
    t = win.traces
    fig = concepts.unrolled_figure(win.x[15:25, 0], t.layers[0]["h"][15:25, 0], t.probs[15:25, 0, 1],
                                   win.y[15:25, 0], k=3, row=0)
    assert [x for x in _texts(fig) if x.isdigit() and len(x) > 1 or x in "456789"][-1] == "9"
    assert "45" not in _texts(fig) and "steps" not in fig._suptitle.get_text()
    # a stretch across an edge (steps 40-54): one edge, at step 45, inside the chain
    fig = _unrolled(win, 15, 40, window=15)
    (edge,) = _edges(fig)
    assert "window 3" in _texts(fig) and "window 2" not in _texts(fig)
    x_edge = edge.get_xdata()[0]
    step45 = next(t for t in fig.axes[0].texts if t.get_text() == "45")
    assert x_edge == pytest.approx(step45.get_position()[0] - 0.5)


def test_layout_labels_read_at_page_width_and_the_arrow_starts_at_the_edge():
    from matplotlib.patches import FancyArrowPatch

    series = np.random.default_rng(0).integers(0, 2, 100_000)
    for window, k, shown_k in ((15, 1, 0), (4, 1, 1), (3, 1, 1), (5, 0, 0)):
        fig = concepts.layout_figure(series, 5, window, k=k, windows_shown=4, lang="es")
        ax = fig.axes[0]
        # shrunk to a 9-inch page, the title, row labels and axis label still print at 7 points or more
        scale = concepts.PAGE_WIDTH / fig.get_size_inches()[0]
        sizes = [ax.title.get_fontsize(), ax.xaxis.label.get_fontsize()] + [t.get_fontsize() for t in ax.get_yticklabels()]
        assert min(sizes) * min(scale, 1) >= 7, (window, sizes, scale)
        (arrow,) = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
        (x0, _), (x1, _) = arrow._posA_posB
        assert x0 == (shown_k + 1) * window - 0.5  # from the current window's right edge ...
        assert x1 == min((shown_k + 2) * window - 0.5, ax.get_xlim()[1] - 0.2)  # ... across the next one
        boxes = [p for p in ax.patches if type(p).__name__ == "Rectangle" and not p.get_fill()]
        assert boxes[0].get_x() == shown_k * window - 0.5 and boxes[0].get_width() == window


def test_cell_figure_scales_to_its_data(run_dir):
    cfg, params = eco.load_run(run_dir)
    win = gates.echo_traces(cfg, params, steps=12, start=20)
    d = win.traces.layers[0]
    for key in ("g", "c"):  # every kept, written and C_t value positive, as in a trained echo LSTM's units 0, 3
        d[key] = np.abs(d[key])
    win.prev_c = [np.abs(c) for c in win.prev_c]
    fig = gates.cell_figure(win, row=1)
    for u, ax in enumerate(fig.axes):
        lo, hi = ax.get_ylim()
        top = max(np.max([p.get_height() for bars in ax.containers[:2] for p in bars]), ax.lines[0].get_ydata().max())
        assert hi >= top and lo <= 0 and -lo <= 0.1 * hi and hi <= 1.1 * top, (u, lo, hi)


def test_series_gates_show_the_units_that_decide():
    from rnr.engine import traces

    from rnr.series import view as series_view

    mcfg = model.ModelConfig(cell="lstm", n_in=2, hidden=40, n_out=3, layers=2)
    params = model.init(jax.random.PRNGKey(1), mcfg)
    x = np.random.default_rng(2).normal(size=(30, 2)).astype(np.float32)
    layers = traces.collect(mcfg, params, x[:, None, :]).layers
    W_out = np.asarray(params["out"]["W"])  # (H, classes): what reads the pooled top state
    W_next = np.asarray(params["layers"][1]["W"])[:40]  # (H, 4H): layer 1's weights from layer 0's units
    for layer, weight in ((1, W_out), (0, W_next)):
        expected = np.argsort(-np.abs(weight).max(axis=1), kind="stable")[:16]
        for lang in ("en", "es"):
            fig = series_view.sequence_figure(mcfg, params, x, "title", layer, lang)
            heat = [ax for ax in fig.axes if ax.images]
            assert len(heat) == 6  # f, i, g, o, c, h
            for ax in heat:
                key = next(k for k in layers[layer] if text_of(k, lang) == ax.get_title(loc="left"))
                im = ax.images[0]
                data = np.asarray(im.get_array())
                assert data.shape == (16, 30)
                ticks = [int(t.get_text()) for t in ax.get_yticklabels()]  # unit numbers
                np.testing.assert_array_equal(ticks, expected)
                np.testing.assert_allclose(data, np.asarray(layers[layer][key])[:, 0, expected].T, atol=1e-6)
                lo, hi = np.percentile(data, [1, 99])  # a robust colour scale
                assert im.norm.vmin == pytest.approx(lo) and im.norm.vmax == pytest.approx(hi)


def text_of(key, lang):
    from rnr.engine import traces
    from rnr.i18n import text

    return text(traces.QUANTITY[key], lang)
