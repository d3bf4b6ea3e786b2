"""Forecasting several series with one model (``--target all``), the seasonal
naive forecast reported beside rnr's, and a short series that trains with the
context ``--context 0`` chooses. Every score is recomputed here with NumPy from
the stored forecasts and the file's own values, never copied from rnr."""

import csv
import io
import json

import numpy as np
import pytest

from rnr.cli import main
from rnr.series import forecast

SMALL = ["--hidden", "16", "--batch", "16", "--eval-every", "25", "--quiet"]


def seasonal(n, phase, scale, rng, season=4, sd=0.3):
    """A season plus Gaussian noise, rounded as the files hold it."""
    t = np.arange(n)
    return np.round(scale * (10 + np.sin(2 * np.pi * (t + phase) / season) + sd * rng.standard_normal(n)), 5)


def write_tsf(path, series, frequency="quarterly"):
    lines = ["@relation r", "@attribute series_name string", "@attribute start_timestamp date",
             f"@frequency {frequency}", "@horizon 4", "@missing false", "@equallength false", "@data"]
    lines += [f"S{i}:2000-01-01 00-00-00:" + ",".join(f"{v:.5f}" for v in s) for i, s in enumerate(series)]
    path.write_text("\n".join(lines) + "\n")
    return path


def mase(truth, yhat, history, m):
    """MASE by hand: the forecast's MAE over the history's mean m-step difference."""
    history = np.asarray(history, np.float64)
    return np.mean(np.abs(np.asarray(truth) - np.asarray(yhat))) / np.mean(np.abs(history[m:] - history[:-m]))


def naive(history, h, m):
    """The last season of the history, repeated."""
    return np.array([history[len(history) - m + (k % m)] for k in range(h)])


def test_one_model_for_series_of_unequal_lengths(tmp_path, capsys):
    rng = np.random.default_rng(0)
    series = [seasonal(n, p, s, rng) for n, p, s in ((28, 0, 1), (36, 1, 5), (44, 2, 0.2), (24, 3, 40), (32, 0, 3))]
    path = write_tsf(tmp_path / "p.tsf", series)
    run, H, m = tmp_path / "run", 4, 4
    assert main(["series", "train", str(path), "--target", "all", "--horizon", str(H), "--steps", "400",
                 "--lr", "0.01", "--fallback", "none", "--ensemble", "1", "--out", str(run), *SMALL]) == 0
    s = json.loads((run / "summary.json").read_text())
    assert s["series"] == 5 and s["season"] == 4 and len(s["each"]) == 5  # quarterly: season 4
    own, theirs = [], []
    for y, e in zip(series, s["each"]):
        history, truth = y[:-H], y[-H:]
        got = mase(truth, e["forecast"], history, m)
        ref = mase(truth, naive(history, H, m), history, m)
        assert e["mase"] == pytest.approx(got, rel=1e-4) and e["naive"]["mase"] == pytest.approx(ref, rel=1e-9)
        np.testing.assert_allclose(e["naive_forecast"], naive(history, H, m))
        own.append(got)
        theirs.append(ref)
    assert s["mase"] == pytest.approx(np.mean(own), rel=1e-4)
    assert s["naive"]["mase"] == pytest.approx(np.mean(theirs), rel=1e-9)
    assert s["mase"] < s["naive"]["mase"]  # the shared season, learnt once for series of every scale
    assert s["val_naive_mase"] > 0 and s["chosen_by"] == "lowest validation MASE"
    cfg = json.loads((run / "config.json").read_text())
    assert cfg["context"] >= 1 and cfg["series"]["names"] == [f"S{i}" for i in range(5)]
    capsys.readouterr()

    assert main(["series", "forecast", str(run), "--horizon", "3"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["series", "date", "value"] and len(rows) == 1 + 5 * 3
    assert [r[0] for r in rows[1:4]] == ["S0"] * 3 and rows[1][1] == "2007-01"  # 28 quarters from 2000-01
    for i, y in enumerate(series):  # each series continues near its own level
        got = np.array([float(r[2]) for r in rows[1 + 3 * i: 4 + 3 * i]])
        assert np.all(np.abs(got - y.mean()) < 0.5 * y.mean())

    assert main(["series", "eval", str(run), str(path), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["series"] == 5 and got["horizon"] == H
    assert got["naive"]["mase"] == pytest.approx(np.mean(theirs), rel=1e-9)
    assert got["mase"] == pytest.approx(s["mase"], rel=1e-4)  # the same checkpoint, the same stretches
    assert main(["series", "eval", str(run), str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "5 series" in lines[1] and lines[3].split() == ["rnr", "seasonal", "naive"]


def test_every_column_of_a_table(tmp_path, capsys):
    rng = np.random.default_rng(1)
    cols = [seasonal(48, p, s, rng) for p, s in ((0, 1), (1, 3), (2, 7))]
    dates = np.datetime64("2001-01") + np.arange(48)
    path = tmp_path / "t.csv"
    path.write_text("month,a,b,c\n" + "".join(f"{d},{x:.5f},{y:.5f},{z:.5f}\n"
                                               for d, x, y, z in zip(dates, *cols)))
    run = tmp_path / "run"
    assert main(["series", "train", str(path), "--target", "all", "--horizon", "4", "--season", "4",
                 "--steps", "100", "--out", str(run), *SMALL]) == 0
    s = json.loads((run / "summary.json").read_text())
    assert s["series"] == 3 and [e["name"] for e in s["each"]] == ["a", "b", "c"]
    for y, e in zip(cols, s["each"]):
        assert e["mase"] == pytest.approx(mase(y[-4:], e["forecast"], y[:-4], 4), rel=1e-4)
    # each series' scale: its training rows' (all but the last 2 x 4) mean absolute seasonal difference, in logs
    stored = json.loads((run / "config.json").read_text())["series"]
    for y, scale, mean in zip(cols, stored["std"], stored["mean"]):
        v = np.log(y[:-8])
        assert scale == pytest.approx(np.mean(np.abs(v[4:] - v[:-4])), rel=1e-5)
        assert mean == pytest.approx(v.mean(), rel=1e-5)
    capsys.readouterr()
    assert main(["series", "forecast", str(run)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["series", "date", "value"] and rows[1][:2] == ["a", "2005-01"] and len(rows) == 13


def test_all_refusals(tmp_path, capsys):
    rng = np.random.default_rng(2)
    path = write_tsf(tmp_path / "p.tsf", [seasonal(30, 0, 1, rng), seasonal(9, 0, 1, rng)])
    # 9 values cannot hold a validation and a test stretch of 4 and a season of 4 before them
    assert main(["series", "train", str(path), "--target", "all", "--horizon", "4", "--steps", "5",
                 "--out", str(tmp_path / "r"), *SMALL]) == 2
    err = capsys.readouterr().err
    assert "series S1 has 9 values" in err and "at least 13" in err and len(err.strip().splitlines()) == 1
    assert main(["series", "train", str(path), "--target", "all", "--multi-step", "iterated", "--steps", "5",
                 "--out", str(tmp_path / "r2"), *SMALL]) == 2
    assert "--multi-step direct" in capsys.readouterr().err


@pytest.mark.parametrize("flag,value", [("--horizon", "5"), ("--origins", "3"), ("--fallback", "none"),
                                        ("--multi-step", "iterated")])
def test_a_classification_refuses_forecasting_settings(tmp_path, capsys, flag, value):
    """Without --target a run classifies: a forecasting flag is a mistake, refused
    in one sentence (English and Spanish), exit 2, no run folder."""
    np.savez(tmp_path / "d.npz", X=np.random.default_rng(0).standard_normal((12, 6)), y=np.arange(12) % 2)
    for lang, words in (("en", "is a forecasting setting"), ("es", "es un ajuste de pronóstico")):
        capsys.readouterr()
        assert main(["--lang", lang, "series", "train", str(tmp_path / "d.npz"), flag, value, "--steps", "2",
                     "--out", str(tmp_path / "r")]) == 2
        err = capsys.readouterr().err
        assert words in err and flag in err and len(err.strip().splitlines()) == 1
        assert not (tmp_path / "r").exists()


def test_short_series_trains_and_does_not_memorise(tmp_path):
    """36 quarters, 6 ahead: --context 24 would need 42 rows; the chosen context
    leaves windows to learn from. Season plus Gaussian noise (sd 0.3): the
    seasonal naive copies last year's noise, a model that learnt the season
    does not, on every seed."""
    H = 6
    t = np.arange(36)
    rng = np.random.default_rng(3)
    y = 20 + 2 * np.sin(2 * np.pi * t / 4) + 0.05 * t + 0.3 * rng.standard_normal(36)
    path = tmp_path / "short.csv"
    path.write_text("step,value\n" + "".join(f"{i},{v:.6f}\n" for i, v in enumerate(y)))
    assert main(["series", "train", str(path), "--target", "value", "--horizon", str(H), "--context", "24",
                 "--season", "4", "--steps", "5", "--out", str(tmp_path / "old"), *SMALL]) == 2
    for seed in (0, 1):
        run = tmp_path / f"run{seed}"
        assert main(["series", "train", str(path), "--target", "value", "--horizon", str(H), "--season", "4",
                     "--steps", "600", "--seed", str(seed), "--out", str(run), *SMALL]) == 0
        s = json.loads((run / "summary.json").read_text())
        assert 1 <= s["context"] < 24
        history, truth = y[:-H], y[-H:]
        got = mase(truth, s["forecast"], history, 4)
        assert s["mase"] == pytest.approx(got, rel=1e-4)
        assert got < mase(truth, naive(history, H, 4), history, 4)
        assert np.max(s["forecast"]) < 1.2 * np.max(history)  # no peak far past anything seen


def test_auto_context():
    assert forecast.auto_context(96, 24, 12) == 24  # Airline's training rows: 2 seasons
    assert forecast.auto_context(24, 6, 4) == 8
    assert forecast.auto_context(12, 6, 1) == 3
    assert forecast.auto_context(5, 6, 1) == 1


def test_forecast_png_draws_the_interval_around_the_forecast(tmp_path, monkeypatch):
    """rnr series forecast: the figure's band is the 90% interval of
    Forecaster.predict_interval, and the forecast lies inside it."""
    import matplotlib.collections

    from rnr.io import files
    from rnr.series.forecaster import Forecaster

    t = np.arange(72)
    table = tmp_path / "t.csv"
    table.write_text("step,value\n" + "".join(f"{i},{100 + i + 8 * np.sin(i / 2):.3f}\n" for i in t))
    run = tmp_path / "r"
    assert main(["series", "train", str(table), "--target", "value", "--horizon", "6", "--steps", "40",
                 "--hidden", "6", "--batch", "4", "--quiet", "--plot", "none", "--out", str(run)]) == 0
    drawn = {}
    monkeypatch.setattr(files, "save_figure", lambda fig, path, dpi=100: drawn.setdefault(path.name, fig))
    assert main(["series", "forecast", str(run)]) == 0
    bands = [c for c in drawn["forecast.png"].axes[0].collections
             if isinstance(c, matplotlib.collections.PolyCollection)]
    assert len(bands) == 1
    est = Forecaster.load(run)
    lower, upper = est.predict_interval(0.9)
    point = est.predict()
    assert np.all(lower <= point) and np.all(point <= upper) and np.all(lower < upper)
    ys = bands[0].get_paths()[0].vertices[:, 1]  # the band: from the last known value to the interval's ends
    last = 100 + 71 + 8 * np.sin(71 / 2)
    assert ys.max() == pytest.approx(max(upper.max(), last), rel=1e-4)
    assert ys.min() == pytest.approx(min(lower.min(), last), rel=1e-4)


def test_a_forecast_the_naive_beat_on_validation_falls_back_to_it(tmp_path, capsys):
    """A random walk (the naive forecast is the best there is) and a run of 4 steps:
    the chosen checkpoint forecasts the validation stretch worse than repeating the
    last value, as NumPy computes it. By default the run then forecasts with the
    naive (its test scores, ``forecast``, ``eval`` and ``Forecaster`` give NumPy's
    naive values) and says so in both languages; ``--fallback none`` keeps the
    network and only says the naive did better; a seasonal series the model
    learns keeps its network, with no such line."""
    from rnr.series import Forecaster

    rng = np.random.default_rng(5)
    walk = 50 + np.cumsum(rng.standard_normal(80))
    path = tmp_path / "walk.csv"
    path.write_text("v\n" + "".join(f"{v:.6f}\n" for v in walk))
    H = 6
    history, stretch = walk[:-2 * H], walk[-2 * H:-H]  # the validation stretch, forecast from the rows before it
    naive_val = mase(stretch, np.full(H, history[-1]), history, 1)
    naive_test = mase(walk[-H:], np.full(H, walk[-H - 1]), walk[:-H], 1)
    cases = (("en", [], "so this run forecasts with it", "naive"),
             ("es", [], "así que esta corrida pronostica con él", "naive"),
             ("en", ["--fallback", "none"], "seasonal naive forecast did better than this checkpoint", "network"))
    for lang, flags, words, by in cases:
        run = tmp_path / f"walk_{lang}_{by}"
        capsys.readouterr()
        assert main(["--lang", lang, "series", "train", str(path), "--target", "v", "--horizon", str(H), "--season", "1",
                     "--steps", "4", "--eval-every", "2", "--out", str(run), *SMALL[:4], *flags]) == 0
        out = capsys.readouterr().out
        s = json.loads((run / "summary.json").read_text())
        assert s["val_naive_mase"] == pytest.approx(naive_val, rel=1e-6)
        assert naive_val < s["val_mase"] and words in out and s["forecast_by"] == by, out
        if by == "network":
            assert "network" not in s and s["mase"] != pytest.approx(naive_test, rel=1e-6)
            continue
        assert s["mase"] == pytest.approx(naive_test, rel=1e-6) and s["network"]["mase"] != s["mase"]
        np.testing.assert_allclose(s["forecast"], np.full(H, walk[-H - 1]), rtol=1e-6)
        assert main(["series", "eval", str(run), str(path), "--json"]) == 0
        got = json.loads(capsys.readouterr().out)
        assert got["forecast_by"] == "naive" and got["mase"] == pytest.approx(naive_test, rel=1e-6)
        assert main(["series", "forecast", str(run), "--out", str(tmp_path / "fc")]) == 0
        rows = capsys.readouterr().out.splitlines()[1:]
        np.testing.assert_allclose([float(r.split(",")[1]) for r in rows], np.full(H, walk[-1]), rtol=1e-5)
        np.testing.assert_allclose(Forecaster.load(run).predict(), np.full(H, walk[-1]), rtol=1e-6)
        if lang == "es":
            continue
        # the refit network is scored as itself, and the run still forecasts with the naive
        refit = tmp_path / "walk_refit"
        assert main(["series", "train", str(path), "--target", "v", "--horizon", str(H), "--season", "1",
                     "--steps", "4", "--eval-every", "2", "--out", str(refit), *SMALL[:4], "--refit"]) == 0
        assert "still forecasts with the seasonal naive" in capsys.readouterr().out
        r = json.loads((refit / "summary.json").read_text())
        assert r["forecast_by"] == "naive" and r["mase"] == pytest.approx(naive_test, rel=1e-6)
        assert r["refit"]["mase"] == pytest.approx(mase(walk[-H:], r["refit"]["forecast"], walk[:-H], 1), rel=1e-4)
        assert not np.allclose(r["refit"]["forecast"], walk[-H - 1], rtol=1e-4)
        # the choice cannot change on --resume, and without summary.json it is unknown: refused
        assert main(["series", "train", "--resume", str(run), "--fallback", "none"]) == 2
        (run / "summary.json").rename(tmp_path / "kept.json")
        capsys.readouterr()
        assert main(["series", "forecast", str(run), "--out", str(tmp_path / "fc2")]) == 2
        assert "does not say whether this run forecasts" in capsys.readouterr().err
        with pytest.raises(ValueError, match="does not say whether"):
            Forecaster.load(run)
        (tmp_path / "kept.json").rename(run / "summary.json")

    t = np.arange(36)  # the short seasonal series above, which the model learns
    y = 20 + 2 * np.sin(2 * np.pi * t / 4) + 0.05 * t + 0.3 * np.random.default_rng(3).standard_normal(36)
    path = tmp_path / "season.csv"
    path.write_text("v\n" + "".join(f"{v:.6f}\n" for v in y))
    run = tmp_path / "season"
    capsys.readouterr()
    assert main(["series", "train", str(path), "--target", "v", "--horizon", str(H), "--season", "4", "--steps", "300",
                 "--out", str(run), *SMALL]) == 0
    out = capsys.readouterr().out
    s = json.loads((run / "summary.json").read_text())
    history, stretch = y[:-2 * H], y[-2 * H:-H]
    naive_val = mase(stretch, naive(history, H, 4), history, 4)
    assert s["val_mase"] < naive_val and "naive forecast" not in out and s["forecast_by"] == "network"


def test_series_with_a_drift_fall_back_together(tmp_path, capsys):
    """Random walks with a drift (the last value beats a network 4 steps old on
    every validation stretch): one choice for all the series, and ``forecast``,
    ``eval`` and the stored test scores use each series' last season, repeated,
    as NumPy makes it; ``export`` says the weights are not what the run uses."""
    rng = np.random.default_rng(2)
    series = [np.round(s0 + np.cumsum(1 + 0.3 * rng.standard_normal(n)), 5) for s0, n in ((40, 40), (90, 48), (10, 36))]
    path = write_tsf(tmp_path / "w.tsf", series, frequency="yearly")
    run, H = tmp_path / "run", 4
    assert main(["series", "train", str(path), "--target", "all", "--horizon", str(H), "--steps", "4",
                 "--eval-every", "2", "--ensemble", "1", "--out", str(run), *SMALL[:4], "--quiet"]) == 0
    s = json.loads((run / "summary.json").read_text())
    assert s["forecast_by"] == "naive" and s["season"] == 1 and s["val_naive_mase"] < s["val_mase"]
    want = [mase(y[-H:], naive(y[:-H], H, 1), y[:-H], 1) for y in series]
    assert s["mase"] == pytest.approx(np.mean(want), rel=1e-9) and s["network"]["mase"] != s["mase"]
    capsys.readouterr()
    assert main(["series", "forecast", str(run), "--horizon", "2"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    np.testing.assert_allclose([float(r[2]) for r in rows], np.repeat([y[-1] for y in series], 2), rtol=1e-5)
    assert main(["series", "eval", str(run), str(path), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["forecast_by"] == "naive" and got["mase"] == pytest.approx(np.mean(want), rel=1e-9)
    assert main(["export", str(run), "--torch", str(tmp_path / "w.safetensors")]) == 0
    assert "does not use" in capsys.readouterr().out


def test_the_network_reads_the_target_alone_unless_asked(tmp_path, capsys):
    """``--inputs target`` (the default): a table with one more column trains the
    same network as the target's column written alone, and forecasts from a newer
    table with other columns; ``--inputs all`` reads both columns."""
    pd = pytest.importorskip("pandas")
    from rnr.series import Forecaster

    rng = np.random.default_rng(6)
    t = np.arange(60)
    v = np.round(20 + 2 * np.sin(2 * np.pi * t / 4) + 0.3 * rng.standard_normal(60), 5)
    noise = np.round(rng.standard_normal(60), 5)
    both, alone = tmp_path / "both.csv", tmp_path / "alone.csv"
    both.write_text("v,noise\n" + "".join(f"{a:.5f},{b:.5f}\n" for a, b in zip(v, noise)))
    alone.write_text("v\n" + "".join(f"{a:.5f}\n" for a in v))
    args = ["--target", "v", "--horizon", "4", "--season", "4", "--steps", "60", "--fallback", "none", *SMALL]
    got = {}
    for name, path, extra in (("both", both, []), ("alone", alone, []), ("all", both, ["--inputs", "all"])):
        assert main(["series", "train", str(path), "--out", str(tmp_path / name), *args, *extra]) == 0
        got[name] = (json.loads((tmp_path / name / "summary.json").read_text()),
                     json.loads((tmp_path / name / "config.json").read_text()))
    assert got["both"][1]["columns"] == ["v"] and got["all"][1]["columns"] == ["v", "noise"]
    np.testing.assert_allclose(got["both"][0]["forecast"], got["alone"][0]["forecast"], rtol=1e-6)
    assert not np.allclose(got["all"][0]["forecast"], got["alone"][0]["forecast"], rtol=1e-6)
    newer = tmp_path / "newer.csv"  # other columns around the target: read by name
    newer.write_text("other,v\n" + "".join(f"{b:.5f},{a:.5f}\n" for a, b in zip(v, noise)))
    capsys.readouterr()
    assert main(["series", "forecast", str(tmp_path / "both"), str(newer), "--out", str(tmp_path / "fc")]) == 0
    assert main(["series", "forecast", str(tmp_path / "alone"), str(alone), "--out", str(tmp_path / "fc2")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:5] == out[6:10]  # the same four forecasts from both tables
    small = dict(horizon=4, season=4, steps=60, hidden=16, batch=16, eval_every=25, fallback="none")
    df = pd.DataFrame({"noise": noise, "v": v})
    frame = Forecaster(target="v", **small).fit(df)
    assert frame.n_features_in_ == 1 and frame.columns_ == ["v"]
    point = frame.predict()
    np.testing.assert_allclose(point, Forecaster(**small).fit(v).predict(), rtol=1e-5)
    for other in (df, df[["v", "noise"]], df.to_numpy(), df[["v"]]):  # by name, by place, or alone
        np.testing.assert_allclose(frame.predict(other), point, rtol=1e-6)
    with pytest.raises(ValueError, match="y has no column v"):
        frame.predict(pd.DataFrame({"a": v, "b": v, "c": v}))
    future = pd.DataFrame({"noise": noise[:4], "v": v[:4] + 1})
    assert frame.score(future) == frame.score(future["v"].to_numpy())
    # --inputs all keeps the table's columns, and a run written before --inputs existed reads them all
    assert main(["series", "forecast", str(tmp_path / "all"), str(newer), "--out", str(tmp_path / "fc3")]) == 2
    assert "newer.csv" in capsys.readouterr().err
    assert main(["series", "forecast", str(tmp_path / "all"), "--out", str(tmp_path / "fc4")]) == 0
    before = capsys.readouterr().out
    raw = json.loads((tmp_path / "all" / "config.json").read_text())
    del raw["inputs"]
    (tmp_path / "all" / "config.json").write_text(json.dumps(raw))
    assert main(["series", "forecast", str(tmp_path / "all"), "--out", str(tmp_path / "fc4")]) == 0
    assert capsys.readouterr().out == before and before.count("\n") == 5
