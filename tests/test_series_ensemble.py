"""An ensemble of K trains its members side by side in one program: member m
is exactly the run of seed + m, and the ensemble predicts the mean of their
probabilities."""

import dataclasses
import json

import jax
import numpy as np
import pytest

from rnr.engine import trainer
from rnr.series import classify
from rnr.series.config import SeriesConfig
from rnr.series.job import member
from rnr.series.sequences import Sequences

CFG = SeriesConfig(hidden=5, layers=2, batch=4, lr=0.02, steps=12, eval_every=4, bidirectional=False, dropout=0.2,
                   conv=4)  # two layers: the dropout between them draws masks


def data(n=20, T=7, seed=0):
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.int32)
    X = (np.linspace(0, 1, T)[None, :, None] * np.where(y, 1, -1)[:, None, None]
         + 0.3 * rng.normal(size=(n, T, 1))).astype(np.float32)
    return Sequences(X, np.full(n, T, np.int32), y, ("a", "b"))


def fit(cfg, prep):
    job = classify.ClassifyJob(cfg, prep)
    trained = trainer.train_run(job, None, job.limits(), job.schedule())
    return job, trained


@pytest.mark.parametrize("members", [3, 2])
def test_each_member_is_the_run_of_its_seed(members):
    """3 members on one device; 2 spread over two devices (one network each) when there are two."""
    prep = classify.prepare_sequences(CFG, data(), "data")
    job, ens = fit(dataclasses.replace(CFG, ensemble=members), prep)
    spread = min(len(jax.devices()), 2) if members == 2 else 1
    assert job.n_devices == spread and ens.summary["devices"] == spread
    leaf = jax.tree_util.tree_leaves(ens.state[0])[0]
    assert len(leaf.sharding.device_set) == spread
    for m in range(members):
        _, alone = fit(dataclasses.replace(CFG, seed=CFG.seed + m), prep)
        got = jax.device_get(member(ens.state[0], m))
        want = jax.device_get(alone.state[0])
        for a, b in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)):
            np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6)
    # the control: two members are not the same network
    a, b = (jax.tree_util.tree_leaves(jax.device_get(member(ens.state[0], m)))[0] for m in (0, 1))
    assert not np.allclose(a, b)


def test_the_ensemble_predicts_the_mean_probability():
    prep = classify.prepare_sequences(CFG, data(), "data")
    job, ens = fit(dataclasses.replace(CFG, ensemble=2), prep)
    params = jax.device_get(ens.state[0])
    mean_lp = classify.mean_log_probabilities(job.mcfg, job.cfg.pooled(), params, prep.val, 2)
    each = [np.exp(classify.log_probabilities(job.mcfg, job.cfg.pooled(), member(params, m), prep.val))
            for m in range(2)]
    np.testing.assert_allclose(np.exp(mean_lp), (each[0] + each[1]) / 2, rtol=1e-5, atol=1e-7)
    assert ens.summary["members"] == 2 and ens.outcome.position.step == 12


def test_an_ensemble_forecast_is_the_members_mean():
    from rnr.series import forecast
    from rnr.series.sequences import Table

    t = np.arange(80, dtype=float)
    table = Table(("y",), (100 + t + 5 * np.sin(t / 2))[:, None], None)
    cfg = SeriesConfig(target="y", context=8, horizon=4, hidden=5, batch=4, steps=8, eval_every=4, ensemble=2)
    prep = forecast.prepare_table(cfg, table, 0, "table")
    from rnr.series.forecast_job import ForecastJob

    job = ForecastJob(cfg, prep)
    ens = trainer.train_run(job, None, job.limits(), job.schedule())
    params = jax.device_get(ens.state[0])
    one = dataclasses.replace(cfg, ensemble=1)
    each = [forecast.forecast(one, job.mcfg, member(params, m), prep.transform, table.values, 0, 4) for m in range(2)]
    np.testing.assert_allclose(forecast.forecast(cfg, job.mcfg, params, prep.transform, table.values, 0, 4),
                               (each[0] + each[1]) / 2, rtol=1e-6)
    assert not np.allclose(each[0], each[1])  # the control: the members differ


def test_an_ensemble_run_predicts_and_resumes_from_the_command_line(tmp_path, capsys):
    from rnr.cli import main

    X = data(24).X
    np.savez(tmp_path / "d.npz", X=X[..., 0], y=np.arange(24) % 2)
    run = tmp_path / "ens"
    small = ["--hidden", "4", "--batch", "4", "--eval-every", "4", "--quiet", "--plot", "none", "--ensemble", "2"]
    assert main(["series", "train", str(tmp_path / "d.npz"), "--steps", "8", "--out", str(run), *small]) == 0
    capsys.readouterr()
    assert main(["series", "predict", str(run), str(tmp_path / "d.npz")]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0] == "index,predicted,p_0,p_1" and len(rows) == 25
    assert main(["series", "eval", str(run), str(tmp_path / "d.npz"), "--json"]) == 0
    assert main(["series", "train", "--resume", str(run), "--steps", "12", "--quiet"]) == 0
    assert json.loads((run / "summary.json").read_text())["steps"] == 12


def test_an_ensemble_classifier_from_python_predicts_and_round_trips(tmp_path):
    from rnr.series import Classifier

    d = data(24)
    clf = Classifier(hidden=4, batch=4, steps=8, eval_every=4, ensemble=2).fit(d.X, d.y)
    p = clf.predict_proba(d.X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    clf.save(tmp_path / "ens")
    np.testing.assert_array_equal(Classifier.load(tmp_path / "ens").predict_proba(d.X), p)
    # a new setting changes nothing until the next fit (scikit-learn's contract)
    np.testing.assert_array_equal(clf.set_params(ensemble=None).predict_proba(d.X), p)


def test_forecasts_average_six_networks_unless_told(tmp_path):
    """Not given, ``--ensemble`` is 6 for a forecast and 1 for classification, stored
    as a number in config.json; an estimator reads it back as not given (None)."""
    from rnr.cli import main
    from rnr.series import Classifier, Forecaster

    y = 10 + np.sin(np.arange(40) * np.pi / 2)
    (tmp_path / "s.csv").write_text("v\n" + "".join(f"{v:.4f}\n" for v in y))
    X = data(24).X
    np.savez(tmp_path / "d.npz", X=X[..., 0], y=np.arange(24) % 2)
    small = ["--hidden", "4", "--batch", "4", "--steps", "2", "--eval-every", "2", "--quiet", "--plot", "none"]
    assert main(["series", "train", str(tmp_path / "s.csv"), "--target", "v", "--horizon", "4",
                 "--out", str(tmp_path / "f"), *small]) == 0
    assert main(["series", "train", str(tmp_path / "d.npz"), "--out", str(tmp_path / "c"), *small]) == 0
    assert json.loads((tmp_path / "f" / "config.json").read_text())["ensemble"] == 6
    assert json.loads((tmp_path / "c" / "config.json").read_text())["ensemble"] == 1
    assert Forecaster().get_params()["ensemble"] is None and Classifier().get_params()["ensemble"] is None
    assert Forecaster.load(tmp_path / "f").get_params()["ensemble"] is None
    assert Forecaster.load(tmp_path / "f")._fc[0].ensemble == 6


def test_devices_asked_for_must_divide_the_members(tmp_path, capsys):
    """``--devices N`` with an ensemble spreads its members N ways, or is refused
    in one sentence when N does not divide them (5 on 2); a forecast's default 6 splits over 2."""
    from rnr.cli import main

    if jax.device_count() < 2:
        pytest.skip("needs 2 devices")
    y = 10 + np.sin(np.arange(40) * np.pi / 2)
    (tmp_path / "s.csv").write_text("v\n" + "".join(f"{v:.4f}\n" for v in y))
    small = ["--target", "v", "--horizon", "4", "--hidden", "4", "--batch", "4", "--steps", "2", "--eval-every", "2",
             "--quiet", "--plot", "none", "--devices", "2"]
    capsys.readouterr()
    assert main(["series", "train", str(tmp_path / "s.csv"), "--out", str(tmp_path / "five"), "--ensemble", "5",
                 *small]) == 2
    assert "does not split the 5 networks" in capsys.readouterr().err and not (tmp_path / "five").exists()
    assert main(["series", "train", str(tmp_path / "s.csv"), "--out", str(tmp_path / "six"), *small]) == 0
    assert json.loads((tmp_path / "six" / "summary.json").read_text())["devices"] == 2
