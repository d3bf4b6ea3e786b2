"""Rolling origins inside the validation stretch (``--origins R``): the MASE
that chooses the checkpoint and the fallback pools the forecasts from R
origins, each step ahead weighing the same. The references are computed here
with NumPy, step by step, from the file's own values."""

import json

import numpy as np
import pytest

from rnr.cli import main
from rnr.series import metrics

SMALL = ["--hidden", "16", "--batch", "16", "--quiet"]


def step_balanced_mase(forecasts, values, end, H, m):
    """The validation stretch values[end - H:end], forecast from origins
    end - H + d (``forecasts``: {d: forecast of H - d values}): for each step
    ahead h, the mean over the origins reaching it of |error| / that origin's
    naive scale; then the mean over h."""
    per_step = [[] for _ in range(H)]
    for d, yhat in forecasts.items():
        history = values[:end - H + d]
        scale = np.mean(np.abs(history[m:] - history[:-m]))
        truth = values[end - H + d:end]
        for h, (y, f) in enumerate(zip(truth, yhat)):
            per_step[h].append(abs(y - f) / scale)
    return np.mean([np.mean(errors) for errors in per_step])


def test_pooled_scores_weigh_each_step_ahead_alike():
    rng = np.random.default_rng(0)
    values = 10 + np.cumsum(rng.standard_normal(40))
    H, end, m = 6, 40, 2
    pieces, forecasts = [], {}
    for d in (0, 2, 5):
        yhat = values[end - H + d - 1] + rng.standard_normal(H - d)
        forecasts[d] = yhat
        pieces.append((values[end - H + d:end], yhat, values[:end - H + d]))
    got = metrics.pooled_scores(pieces, m)
    assert got["mase"] == pytest.approx(step_balanced_mase(forecasts, values, end, H, m), rel=1e-12)
    # one origin: the plain scores
    one = metrics.pooled_scores(pieces[:1], m)
    assert one["mase"] == pytest.approx(np.mean(np.abs(pieces[0][0] - pieces[0][1]))
                                        / np.mean(np.abs(values[m:end - H] - values[:end - H - m])), rel=1e-12)


def test_rolling_origins_choose_on_every_origin(tmp_path, capsys):
    """A random walk, horizon 6, ``--origins 3`` (origins at offsets 0, 2 and 4 of the
    validation stretch): the summary's validation MASEs are NumPy's step-balanced
    pooled MASEs of the naive (the last value, repeated) and of the network's own
    forecasts from the same three histories (``Forecaster.predict``)."""
    from rnr.series import Forecaster

    rng = np.random.default_rng(7)
    walk = 50 + np.cumsum(rng.standard_normal(90))
    path = tmp_path / "walk.csv"
    path.write_text("v\n" + "".join(f"{v:.6f}\n" for v in walk))
    H, end = 6, len(walk) - 6  # the validation stretch ends where the test begins
    run = tmp_path / "run"
    assert main(["series", "train", str(path), "--target", "v", "--horizon", str(H), "--season", "1",
                 "--steps", "60", "--eval-every", "20", "--origins", "3", "--fallback", "none", "--ensemble", "1",
                 "--out", str(run), *SMALL]) == 0
    s = json.loads((run / "summary.json").read_text())
    offsets = (0, 2, 4)
    naive = {d: np.full(H - d, walk[end - H + d - 1]) for d in offsets}
    assert s["val_naive_mase"] == pytest.approx(step_balanced_mase(naive, walk, end, H, 1), rel=1e-6)
    model = Forecaster.load(run)
    net = {d: np.asarray(model.predict(walk[:end - H + d]))[:H - d] for d in offsets}
    assert s["val_mase"] == pytest.approx(step_balanced_mase(net, walk, end, H, 1), rel=1e-4)
    # the test is still one forecast of the last H values
    assert s["mase"] == pytest.approx(np.mean(np.abs(walk[-H:] - np.asarray(model.predict(walk[:-H]))))
                                      / np.mean(np.abs(np.diff(walk[:-H]))), rel=1e-4)
    # the setting is kept and cannot change on --resume; a run written before it forecasts as before
    assert json.loads((run / "config.json").read_text())["origins"] == 3
    assert main(["series", "train", "--resume", str(run), "--origins", "1"]) == 2
    assert main(["series", "train", str(path), "--target", "v", "--origins", "0", "--out", str(tmp_path / "r0")]) == 2
    assert "--origins" in capsys.readouterr().err and not (tmp_path / "r0").exists()
    raw = json.loads((run / "config.json").read_text())
    del raw["origins"], raw["weight_decay"]
    (run / "config.json").write_text(json.dumps(raw))
    np.testing.assert_allclose(Forecaster.load(run).predict(), model.predict(), rtol=1e-6)


def test_origins_past_the_horizon_are_one_per_row():
    """At most one origin per row of the stretch, spread evenly from its start."""
    from rnr.series.forecast import origin_offsets

    assert origin_offsets(6, 1000) == [0, 1, 2, 3, 4, 5] and origin_offsets(6, 3) == [0, 2, 4]
    assert origin_offsets(6, 1) == [0] and origin_offsets(24, 4) == [0, 6, 12, 18]


def test_rolling_origins_over_many_series(tmp_path):
    """``--target all``: each series' pooled naive MASE over 2 origins (offsets 0 and 2),
    then their mean over the series, as the summary's validation naive MASE."""
    from test_series_forecast import write_tsf

    rng = np.random.default_rng(4)
    series = [np.round(s0 + np.cumsum(1 + 0.5 * rng.standard_normal(n)), 5) for s0, n in ((40, 30), (90, 38))]
    path = write_tsf(tmp_path / "w.tsf", series, frequency="yearly")
    run, H = tmp_path / "run", 4
    assert main(["series", "train", str(path), "--target", "all", "--horizon", str(H), "--steps", "4",
                 "--eval-every", "2", "--origins", "2", "--out", str(run), *SMALL]) == 0
    s = json.loads((run / "summary.json").read_text())
    want = [step_balanced_mase({d: np.full(H - d, y[len(y) - 2 * H + d - 1]) for d in (0, 2)}, y, len(y) - H, H, 1)
            for y in series]
    assert s["val_naive_mase"] == pytest.approx(np.mean(want), rel=1e-9)


def test_classifier_has_no_origins():
    from rnr.series import Classifier, Forecaster

    assert "origins" not in Classifier().get_params() and Forecaster().get_params()["origins"] == 1
