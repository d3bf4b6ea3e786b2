"""``--refit`` (``rnr.series.refit``): after the step is chosen on validation,
the same network trains again on all the training data for that many steps;
the run then offers that network (``refit.safetensors``) to predict and eval,
and a run without the flag is unchanged."""

import json

import numpy as np
import pytest

from rnr.cli import main
from rnr.io import runs
from test_series_faults import make_table, make_ts

TINY = ["--steps", "20", "--eval-every", "5", "--hidden", "4", "--batch", "4", "--quiet", "--plot", "none"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("refit")
    train, test = make_ts(root / "train.ts", n=20), make_ts(root / "test.ts", n=12, seed=1)
    for name, extra in (("plain", []), ("refit", ["--refit"])):
        assert main(["series", "train", str(train), "--test", str(test), "--out", str(root / name), *TINY,
                     *extra]) == 0
    return root


def summary(run):
    return json.loads((run / "summary.json").read_text())


def eval_json(run, file, capsys):
    capsys.readouterr()
    assert main(["series", "eval", str(run), str(file), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_refit_trains_the_chosen_steps_on_every_training_sequence(trained):
    s, plain = summary(trained / "refit"), summary(trained / "plain")
    assert s["refit"]["steps"] == s["chosen_step"] == plain["chosen_step"]  # the same choice, on validation
    assert s["refit"]["examples"] == 20  # the whole training file, validation part included
    assert s["test_accuracy"] == plain["test_accuracy"]  # the chosen checkpoint is as without --refit
    assert (trained / "refit" / runs.REFIT).is_file() and not (trained / "plain" / runs.REFIT).exists()


def test_predict_and_eval_use_the_refit_network(trained, capsys):
    s = summary(trained / "refit")
    got = eval_json(trained / "refit", trained / "test.ts", capsys)
    assert got["loss"] == pytest.approx(s["refit"]["test_loss"], rel=1e-5)
    plain = eval_json(trained / "plain", trained / "test.ts", capsys)  # the control: the chosen checkpoint's
    assert plain["loss"] == pytest.approx(summary(trained / "plain")["test_loss"], rel=1e-5)
    assert got["loss"] != pytest.approx(plain["loss"], rel=1e-5)


def test_the_refit_data_is_the_training_file_scaled_as_stored(trained):
    """All training sequences, each once, under the stored scaler: against the file read directly."""
    from rnr.series import classify, refit
    from rnr.series.config import SeriesConfig
    from rnr.series.sequences import Scaler

    cfg = SeriesConfig(hidden=4, batch=4, steps=20, eval_every=5)
    prep = classify.prepare(cfg, trained / "train.ts")
    job = refit.all_training(classify.ClassifyJob(cfg, prep))
    raw = classify.read_sequences(trained / "train.ts")
    stored = json.loads((trained / "refit" / "config.json").read_text())["scaler"]
    expected = Scaler.from_dict(stored).apply(raw)
    rows = sorted(tuple(np.round(x.ravel(), 5)) + (int(y),) for x, y in zip(job.X, job.Y))
    want = sorted(tuple(np.round(x.ravel(), 5)) + (int(y),) for x, y in zip(expected.X, expected.y))
    assert rows == want


def test_resume_with_refit_gives_the_same_network(trained, tmp_path):
    import shutil

    run = tmp_path / "again"
    shutil.copytree(trained / "plain", run)
    assert main(["series", "train", "--resume", str(run), "--refit", "--quiet"]) == 0
    assert (run / runs.REFIT).read_bytes() == (trained / "refit" / runs.REFIT).read_bytes()


def test_forecast_refit_uses_the_validation_stretch(tmp_path):
    table = make_table(tmp_path / "t.csv", n=60)
    out = tmp_path / "f"
    assert main(["series", "train", str(table), "--target", "value", "--context", "6", "--horizon", "3",
                 "--refit", "--out", str(out), *TINY]) == 0
    s = summary(out)
    fit_rows = 60 - 3  # every row before the test's 3
    assert s["refit"]["examples"] == fit_rows - 6 - 3 + 1  # direct windows: context 6, then 3 targets
    assert s["refit"]["mase"] > 0 and s["refit"]["steps"] == s["chosen_step"]


def test_refit_with_every_series_trains_on_each_series_up_to_its_test(tmp_path):
    """--target all: the refit's windows are every series' windows before its own test."""
    t = np.arange(60)
    table = tmp_path / "t.csv"
    table.write_text("a,b\n" + "".join(f"{100 + i + 5 * np.sin(i):.3f},{50 + 3 * np.cos(i):.3f}\n" for i in t))
    out = tmp_path / "p"
    assert main(["series", "train", str(table), "--target", "all", "--context", "4", "--horizon", "3", "--refit",
                 "--out", str(out), *TINY]) == 0
    s = summary(out)
    # two series, 57 rows before each test; windows of 2-4 rows, then 3 targets
    assert s["series"] == 2 and s["refit"]["examples"] == 2 * (57 - 3 - 2 + 1)
    assert s["refit"]["mase"] > 0 and s["refit"]["steps"] == s["chosen_step"] and (out / runs.REFIT).is_file()


def test_a_run_trained_further_loses_its_old_refit(trained, tmp_path):
    """--resume with more steps: the refit of the old chosen step goes; with --refit a new one is made."""
    import shutil

    run = tmp_path / "further"
    shutil.copytree(trained / "refit", run)
    config = json.loads((run / "config.json").read_text())
    config["refit"] = False  # as if trained without --refit, then refit by hand earlier
    (run / "config.json").write_text(json.dumps(config))
    assert main(["series", "train", "--resume", str(run), "--steps", "30", "--quiet"]) == 0
    assert not (run / runs.REFIT).exists() and "refit" not in summary(run)
    assert main(["series", "train", "--resume", str(run), "--steps", "40", "--refit", "--quiet"]) == 0
    assert summary(run)["refit"]["steps"] == summary(run)["chosen_step"] and (run / runs.REFIT).is_file()
