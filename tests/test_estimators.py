"""The Python estimators (``rnr.series.Classifier``, ``Forecaster``, ``rnr.text.CharLM``):
scikit-learn's contract (clone, cross-validation, grid search, pipelines), the same
predictions as the CLI on the same data, run folders both ways, masking, the CLI's
error sentences, and a forecast interval that covers what it says. Tiny made-up data."""

import csv
import io
import json

import numpy as np
import pytest

from rnr.cli import main
from rnr.series import Classifier, Forecaster
from rnr.text import CharLM

sklearn = pytest.importorskip("sklearn")

TINY = dict(epochs=3, hidden=4, batch=8, eval_every=1)


def sines(n, T=20, seed=0):
    """Two classes of noisy sines: period 10 ('slow') and period 4 ('fast'), random phase."""
    rng = np.random.default_rng(seed)
    y = np.array(["slow", "fast"] * (n // 2))
    t = np.arange(T)
    X = np.stack([np.sin(2 * np.pi * t / (10 if c == "slow" else 4) + rng.uniform(0, 6)) for c in y])
    return (X + 0.1 * rng.normal(size=X.shape))[:, :, None].astype(np.float32), y


@pytest.fixture(scope="module")
def data():
    return sines(24)


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return Classifier(**TINY).fit(X, y)


def test_clone_gives_an_unfitted_twin(fitted):
    from sklearn.base import clone

    twin = clone(fitted)
    assert twin.get_params() == fitted.get_params() and twin is not fitted
    assert not hasattr(twin, "classes_") and hasattr(fitted, "classes_")
    assert twin.set_params(hidden=8) is twin and twin.hidden == 8
    with pytest.raises(ValueError, match="'hiden' is no parameter of Classifier"):
        twin.set_params(hiden=8)
    with pytest.raises(TypeError):
        Classifier(hiden=8)
    assert repr(Classifier(hidden=4, epochs=3)) == "Classifier(hidden=4, epochs=3)"
    with pytest.raises(sklearn.exceptions.NotFittedError):
        twin.predict(np.zeros((1, 5, 1)))


def test_fitted_attributes(fitted, data):
    X, y = data
    assert list(fitted.classes_) == ["slow", "fast"] or list(fitted.classes_) == ["fast", "slow"]
    assert fitted.n_features_in_ == 1 and fitted.run_dir_ is None
    assert [r["epoch"] for r in fitted.history_ if "val_accuracy" in r] == [1, 2, 3]
    assert all("loss" in r for r in fitted.history_ if "val_accuracy" not in r)
    p = fitted.predict_proba(X)
    assert p.shape == (24, 2) and np.allclose(p.sum(axis=1), 1, atol=1e-5)
    assert set(fitted.predict(X)) <= set(y) and 0 <= fitted.score(X, y) <= 1


def test_cross_validation_grid_search_and_pipeline(data):
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, y = data
    scores = cross_val_score(Classifier(epochs=3, hidden=4), X, y, cv=3)
    assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))
    grid = GridSearchCV(Classifier(epochs=2, hidden=4), {"hidden": [4, 6]}, cv=2).fit(X, y)
    assert grid.best_params_["hidden"] in (4, 6) and grid.predict(X).shape == (24,)
    # a grid from NumPy (np.int64, np.float32 values) trains as the same Python numbers do
    grid = GridSearchCV(Classifier(**TINY), {"hidden": np.arange(4, 5), "lr": np.array([3e-3], np.float32)}, cv=2)
    p = grid.fit(X, y).best_estimator_.predict_proba(X)
    np.testing.assert_allclose(p, Classifier(**{**TINY, "lr": float(np.float32(3e-3))}).fit(X, y).predict_proba(X),
                               rtol=1e-5)
    pipe = make_pipeline(FunctionTransformer(lambda a: 2.0 * a), Classifier(**TINY)).fit(X, y)
    assert pipe.predict(X).shape == (24,) and 0 <= pipe.score(X, y) <= 1


def test_predictions_equal_the_cli(tmp_path, data, fitted, capsys):
    X, y = data
    train = tmp_path / "train.npz"
    np.savez(train, X=X, y=y)
    new = tmp_path / "new.npz"  # no y: predicting needs no labels
    np.savez(new, X=X[:7])
    run = tmp_path / "cli"
    assert main(["series", "train", str(train), "--out", str(run), "--epochs", "3", "--hidden", "4", "--batch", "8",
                 "--eval-every", "1", "--plot", "none", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["series", "predict", str(run), str(new)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][2:] == [f"p_{c}" for c in fitted.classes_]
    np.testing.assert_allclose(np.array([[float(v) for v in r[2:]] for r in rows[1:]]),
                               fitted.predict_proba(X[:7]), atol=2e-6)
    assert [r[1] for r in rows[1:]] == list(fitted.predict(X[:7]))
    loaded = Classifier.load(run)  # a CLI run as a fitted estimator
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    assert loaded.hidden == 4 and len(loaded.history_) == len(fitted.history_)


def test_save_load_round_trip_and_the_cli_reads_it(tmp_path, data, fitted, capsys):
    X, y = data
    fitted.save(tmp_path / "run")
    back = Classifier.load(tmp_path / "run")
    np.testing.assert_array_equal(back.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_array_equal(back.predict(X), fitted.predict(X))
    assert back.get_params() == fitted.get_params() and back.summary_ == json.loads(json.dumps(fitted.summary_))
    with pytest.raises(ValueError, match="already"):
        fitted.save(tmp_path / "run")
    csv_file = tmp_path / "new.csv"  # a CSV without labels: every cell a value
    csv_file.write_text("\n".join(",".join(f"{v:.6f}" for v in x[:, 0]) for x in X[:3]) + "\n")
    capsys.readouterr()
    assert main(["series", "predict", str(tmp_path / "run"), str(csv_file)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [r[1] for r in rows[1:]] == list(fitted.predict(X[:3]))
    ints = Classifier(**TINY).fit(X, (y == "fast").astype(int))  # labels keep their type
    ints.save(tmp_path / "ints")
    assert Classifier.load(tmp_path / "ints").predict(X).dtype.kind == "i"


def test_fit_into_a_run_folder(tmp_path, data):
    X, y = data
    est = Classifier(**TINY, run_dir=str(tmp_path / "r")).fit(X, y)
    assert est.run_dir_ == tmp_path / "r" and (tmp_path / "r" / "data.npz").is_file()
    lines = [json.loads(s) for s in (tmp_path / "r" / "metrics.jsonl").read_text().splitlines()]
    assert lines == json.loads(json.dumps(est.history_))
    np.testing.assert_array_equal(Classifier.load(tmp_path / "r").predict_proba(X), est.predict_proba(X))


def test_unequal_lengths_are_masked():
    rng = np.random.default_rng(3)
    seqs = [rng.normal(size=(int(n), 2)).astype(np.float32) for n in rng.integers(4, 12, size=16)]
    y = np.arange(16) % 2
    padded = np.zeros((16, 11, 2), np.float32)
    nan_padded = np.full((16, 11, 2), np.nan, np.float32)
    for i, s in enumerate(seqs):
        padded[i, :len(s)] = s
        nan_padded[i, :len(s)] = s
    a = Classifier(**TINY).fit(seqs, y)
    b = Classifier(**TINY).fit(nan_padded, y)  # NaN at the end: padding
    np.testing.assert_array_equal(a.predict_proba(seqs), b.predict_proba(nan_padded))
    from rnr.series import classify
    from rnr.series.sequences import Sequences

    lengths = np.array([len(s) for s in seqs], np.int32)
    data = a._model[2].apply(Sequences(padded, lengths, y.astype(np.int32), ("0", "1")))
    p = np.exp(classify.log_probabilities(a._model[0], a._model[1], a._params(), data))
    np.testing.assert_allclose(p, a.predict_proba(seqs), atol=1e-6)
    nct = Classifier(**TINY, layout="NCT").fit([s.T for s in seqs], y)
    np.testing.assert_array_equal(nct.predict_proba([s.T for s in seqs]), a.predict_proba(seqs))


@pytest.mark.parametrize("param,flag,value", [("hidden", "--hidden", 0), ("lr", "--lr", -1.0),
                                              ("cell", "--cell", "nope"), ("epochs", "--epochs", -2)])
def test_bad_arguments_give_the_cli_sentence(tmp_path, data, capsys, param, flag, value):
    X, y = data
    train = tmp_path / "t.npz"
    np.savez(train, X=X, y=y)
    capsys.readouterr()
    assert main(["series", "train", str(train), flag, str(value), "--out", str(tmp_path / "o")]) == 2
    sentence = capsys.readouterr().err.strip().removeprefix("error: ")
    with pytest.raises(ValueError) as e:
        Classifier(**{param: value}).fit(X, y)
    if param == "cell":  # argparse refuses an unknown choice itself; the settings' sentence names the choices
        assert "--cell" in str(e.value) and "lstm" in str(e.value)
    else:
        assert str(e.value) == sentence



def test_bad_data_give_one_sentence(data):
    X, y = data
    with pytest.raises(ValueError, match="layout must be 'NTF' or 'NCT'"):
        Classifier(layout="TNF").fit(X, y)
    with pytest.raises(ValueError, match=r"y has 23 label\(s\) for 24"):
        Classifier(**TINY).fit(X, y[:-1])
    bad = X.copy()
    bad[0, 3, 0] = np.nan
    with pytest.raises(ValueError, match=r"X\[0\] has a missing value \(NaN\) inside"):
        Classifier(**TINY).fit(bad, y)
    with pytest.raises(ValueError, match="only one class"):
        Classifier(**TINY).fit(X, np.zeros(24))


def test_forecast_interval_covers_what_it_says():
    """Seasonal series with Gaussian noise (sd 0.3): 90% intervals from the training
    residuals cover 90% +- 10% of the values of the held-out end, over 20 origins."""
    rng = np.random.default_rng(0)
    T, H = 420, 4
    t = np.arange(T)
    series = 2 * np.sin(2 * np.pi * t / 12) + 0.3 * rng.normal(size=T)
    f = Forecaster(horizon=H, context=12, hidden=8, epochs=20, season=12, batch=32, eval_every=100)
    f.fit(series[:300])
    assert f.predict().shape == (H,) and f.season_ == 12
    hits = []
    for origin in range(300, T - H, 6):
        lo, hi = f.predict_interval(0.9, y=series[:origin])
        truth = series[origin:origin + H]
        hits += list((lo <= truth) & (truth <= hi))
        assert np.all(lo < hi)
    assert len(hits) == 80 and abs(np.mean(hits) - 0.9) <= 0.1
    s = f.score(series[300:300 + H])
    assert s["mase"] < s["naive"]["mase"] * 2 and s["mae"] > 0


def test_forecaster_falls_back_to_the_naive_with_its_own_interval():
    """A random walk with a drift and 4 training steps: the last value forecasts
    the validation stretch better than a barely trained network, whose forecast
    starts from its context's mean, so ``predict`` repeats the last value, and the 80%
    interval adds NumPy's 10% and 90% quantiles of the naive's h-step errors over
    the series (x[e+h] minus the season before e, repeated: x[e-4+(h mod 4)] for
    every end e, season 4); ``fallback="none"`` keeps the network."""
    rng = np.random.default_rng(5)
    walk = 50 + np.cumsum(1 + 0.3 * rng.standard_normal(80))
    H = 4
    m = 4
    f = Forecaster(horizon=H, context=8, hidden=4, steps=4, eval_every=2, season=m, transform="none").fit(walk)
    assert f.forecast_by_ == "naive" and f.summary_["val_naive_mase"] < f.summary_["val_mase"]
    last_season = walk[-m:][np.arange(H) % m]
    np.testing.assert_allclose(f.predict(), last_season, rtol=1e-6)
    errors = np.stack([walk[e:e + H] - walk[e - m:e][np.arange(H) % m] for e in range(m, len(walk) - H + 1)])
    lo, hi = f.predict_interval(0.8)
    np.testing.assert_allclose(lo, last_season + np.quantile(errors, 0.1, axis=0), rtol=1e-5)
    np.testing.assert_allclose(hi, last_season + np.quantile(errors, 0.9, axis=0), rtol=1e-5)
    kept = Forecaster(horizon=H, context=8, hidden=4, steps=4, eval_every=2, season=m, transform="none",
                      fallback="none").fit(walk)
    assert kept.forecast_by_ == "network" and np.max(np.abs(kept.predict() - last_season)) > 0.1
    assert "fallback" not in Classifier().get_params()  # a forecasting setting only


def test_forecaster_with_pandas_dates_holdout_and_cli(tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    t = np.arange(72)
    y = pd.Series(100 + t + 10 * np.sin(2 * np.pi * t / 12), name="sales",
                  index=pd.date_range("2015-01-01", periods=72, freq="MS"))
    f = Forecaster(horizon=6, context=12, hidden=4, epochs=5, eval_every=5, holdout=True).fit(y)
    assert f.season_ == 12 and set(f.holdout_scores_) >= {"mae", "mase", "naive"}
    p = f.predict()
    assert list(p.index) == list(pd.date_range("2021-01-01", periods=6, freq="MS")) and p.name == "sales"
    lo, hi = f.predict_interval(0.8)  # around the forecast plus the residuals' bias (5 epochs: biased)
    assert np.all(lo.values < hi.values) and list(lo.index) == list(p.index)
    f.save(tmp_path / "fc")
    capsys.readouterr()
    assert main(["series", "forecast", str(tmp_path / "fc"), "--out", str(tmp_path / "out")]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["date", "sales"] and rows[1][0].startswith("2021-01-01")
    np.testing.assert_allclose([float(r[1]) for r in rows[1:]], p.values, rtol=1e-5)
    back = Forecaster.load(tmp_path / "fc")
    np.testing.assert_array_equal(back.predict(), p.values)
    with pytest.raises(ValueError, match="--horizon 12 need at least"):
        Forecaster(epochs=1).fit(np.arange(20.0))


def test_charlm_fit_sample_score_save_load(tmp_path):
    text = "the cat sat on the mat. the dog sat on the log. " * 30
    lm = CharLM(hidden=16, embed=8, batch=4, window=16, eval_every=10, sample_length=0, chunk=10)
    with pytest.raises(ValueError, match="--epochs, --steps or --time-budget"):
        lm.fit(text)
    lm.fit(text, steps=30)
    assert lm.summary_["steps"] == 30 and set(lm.vocab_) == set(text)
    assert [r["step"] for r in lm.history_ if "val_loss" in r] == [10, 20, 30]
    s = lm.sample("the ", length=40, temperature=0.5, seed=1)
    assert len(s) == 40 and set(s) <= set(text)
    score = lm.score("the cat sat on the log.")
    assert score["bits"] == pytest.approx(score["nats"] / np.log(2)) and score["chars"] > 0
    lm.fit(text, steps=10, resume=True)  # continues from the fitted weights
    assert lm.score("the cat sat on the log.")["nats"] < np.log(len(lm.vocab_))
    lm.save(tmp_path / "lm")
    back = CharLM.load(tmp_path / "lm")
    assert back.sample("the ", length=40, seed=1) == lm.sample("the ", length=40, seed=1)
    path = tmp_path / "t.txt"
    path.write_text(text)
    assert CharLM(hidden=8, embed=4, batch=4, window=16, sample_length=0).fit(str(path), steps=5).summary_["steps"] == 5
    with pytest.raises(ValueError, match="--hidden must be"):
        CharLM(hidden=-1).fit(text, steps=5)
