"""`rnr view` on echo runs: the PNG files, their content, their language, errors."""

from __future__ import annotations

import struct

import jax
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from rnr import checkpoint, cli, eco, model, runs, tbptt  # noqa: E402
from rnr.tasks import echo  # noqa: E402
from rnr.views import concepts, gates  # noqa: E402

import reference as ref  # noqa: E402

CFG = eco.EcoConfig(epochs=1, length=600, window=6, hidden=3, delay=2, batch=5, cell="lstm", init="torch", seed=3)


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
    runs.write_json(d / "config.json", eco.config_dict(CFG))
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
    assert png_size(run_dir / "truncation.png") == (800, 400)
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

    series = np.random.default_rng(0).integers(0, 2, 60)
    fig = concepts.layout_figure(series, 3, 4, k=1, windows_shown=3)
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"0", "11", "20", "31", "40", "51"} <= labels  # row r starts at r * 20
    assert "12" not in labels  # rows show only their first 3 windows


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
    runs.write_json(fresh / "config.json", {"task": "mystery"})
    assert cli.main(["view", str(fresh)]) == 2
    assert "mystery" in capsys.readouterr().err
