"""``rnr series`` end to end on tiny made-up data: train a classifier on
unequal-length sequences and a forecaster on a seasonal table, then predict,
forecast, evaluate and resume; bad files and flags give exit code 2, one
sentence and no run folder."""

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from rnr.cli import main
from helpers import one_sentence

SMALL = ["--hidden", "8", "--batch", "4", "--eval-every", "5", "--quiet"]


def make_ts(path, n, seed):
    """Class 'up': a rising ramp, class 'down': a falling one, lengths 5..12, noise."""
    rng = np.random.default_rng(seed)
    lines = ["@problemName ramps", "@univariate true", "@equalLength false", "@classLabel true up down", "@data"]
    for i in range(n):
        label = ("up", "down")[i % 2]
        T = int(rng.integers(5, 13))
        x = np.linspace(0, 1, T) * (1 if label == "up" else -1) + 0.05 * rng.normal(size=T)
        lines.append(",".join(f"{v:.4f}" for v in x) + ":" + label)
    path.write_text("\n".join(lines) + "\n")
    return path


def make_table(path, n=60):
    t = np.arange(n)
    y = np.round(100 + t + 10 * np.sin(2 * np.pi * t / 6), 3)
    rows = ["step,value"] + [f"{i},{v:.3f}" for i, v in enumerate(y)]
    path.write_text("\n".join(rows) + "\n")
    return path, y


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    root = tmp_path_factory.mktemp("series")
    train, test = make_ts(root / "train.ts", 24, 0), make_ts(root / "test.ts", 12, 1)
    run = root / "cls"
    assert main(["series", "train", str(train), "--test", str(test), "--out", str(run), "--epochs", "40",
                 "--bidirectional", "--lr", "0.02", "--conv", "4", *SMALL]) == 0
    return root, train, test, run


def test_classifier_learns_and_reports(classifier, capsys):
    root, train, test, run = classifier
    s = json.loads((run / "summary.json").read_text())
    assert s["problem"] == "classify" and s["held"] == "test" and s["test_accuracy"] >= 0.9
    assert np.sum(s["test_confusion"]) == 12 and (run / "confusion.png").stat().st_size > 1000
    cfg = json.loads((run / "config.json").read_text())
    assert cfg["classes"] == ["up", "down"] and cfg["bidirectional"] is True
    lines = [json.loads(l) for l in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in lines if "val_accuracy" in r] == list(range(5, 201, 5))  # every 5 steps
    assert [r["step"] for r in lines if "test_accuracy" in r] == [200]  # the test, once, at the end
    assert s["chosen_step"] in range(5, 201, 5)
    capsys.readouterr()
    assert main(["series", "eval", str(run), str(test), "--json"]) == 0
    assert strict_json(capsys.readouterr().out)["accuracy"] == pytest.approx(s["test_accuracy"])


def strict_json(out):
    """stdout as exactly one JSON object, with no NaN or infinity in it."""
    def refuse(name):
        raise AssertionError(f"{name} in --json output")

    assert out.endswith("\n") and out.count("\n") == 1, out
    obj = json.loads(out, parse_constant=refuse)
    assert isinstance(obj, dict)
    return obj


def predicted_confusion(run, test, classes, capsys):
    """The confusion matrix of ``series predict``'s classes against the file's labels."""
    capsys.readouterr()
    assert main(["series", "predict", str(run), str(test)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    truth = [l.rsplit(":", 1)[1] for l in Path(test).read_text().splitlines() if ":" in l and not l.startswith("@")]
    m = np.zeros((len(classes), len(classes)), int)
    for r, t in zip(rows, truth, strict=True):
        m[classes.index(t), classes.index(r["predicted"])] += 1
    return m


def test_eval_report_and_json(classifier, capsys):
    root, train, test, run = classifier
    m = predicted_confusion(run, test, ["up", "down"], capsys)
    assert main(["series", "eval", str(run), str(test), "--json"]) == 0
    got = strict_json(capsys.readouterr().out)
    assert got["problem"] == "classify" and got["sequences"] == 12
    assert got["confusion"] == {"classes": ["up", "down"], "matrix": m.tolist()}
    assert got["accuracy"] == pytest.approx(np.trace(m) / 12)
    assert [(c["class"], c["sequences"]) for c in got["per_class"]] == [("up", 6), ("down", 6)]
    for i, c in enumerate(got["per_class"]):
        assert c["accuracy"] == pytest.approx(m[i, i] / 6)
    assert main(["series", "eval", str(run), str(test)]) == 0
    out = capsys.readouterr().out
    assert "{" not in out and "12 sequences" in out and f"accuracy {100 * got['accuracy']:.1f}%" in out
    lines = out.splitlines()
    assert lines[2].split() == ["class", "sequences", "accuracy"]
    assert lines[3].split() == ["up", "6", f"{100 * got['per_class'][0]['accuracy']:.1f}%"]
    head = lines.index("Confusion matrix (rows: true class, columns: predicted class):")
    assert [l.split() for l in lines[head + 1:head + 4]] == [
        ["up", "down"], ["up", *map(str, m[0])], ["down", *map(str, m[1])]]
    assert main(["series", "eval", str(run), str(test), "--lang", "es"]) == 0
    es = capsys.readouterr().out
    assert "Matriz de confusión" in es and "12 secuencias" in es


def make_many(path, classes, per_class, seed):
    """``classes`` classes (a sine of its own frequency each), ``per_class`` sequences each."""
    rng = np.random.default_rng(seed)
    names = [f"c{i}" for i in range(classes)]
    lines = ["@problemName many", "@univariate true", "@equalLength true",
             "@classLabel true " + " ".join(names), "@data"]
    for _ in range(per_class):
        for i, name in enumerate(names):
            x = np.sin(np.linspace(0, (i + 1) * 0.5, 6)) + 0.05 * rng.normal(size=6)
            lines.append(",".join(f"{v:.4f}" for v in x) + ":" + name)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_eval_many_classes_bounded(tmp_path, capsys, monkeypatch):
    """25 classes: no confusion matrix printed or in --json, at most 10 class
    lines; scored in slices (memory bounded), the same as in one piece."""
    from rnr.series import classify
    from rnr.series import command as series_command

    train, test = make_many(tmp_path / "train.ts", 25, 2, 0), make_many(tmp_path / "test.ts", 25, 3, 1)
    run = tmp_path / "many"
    assert main(["series", "train", str(train), "--test", str(test), "--out", str(run), "--epochs", "2",
                 "--plot", "none", *SMALL]) == 0
    capsys.readouterr()
    assert main(["series", "eval", str(run), str(test)]) == 0
    out = capsys.readouterr().out
    assert "Confusion" not in out and "{" not in out
    assert "25 classes" in out and "at most 20" in out
    assert sum(1 for l in out.splitlines() if re.fullmatch(r"c\d+", (l.split() or [""])[0])) == 10
    assert main(["series", "eval", str(run), str(test), "--json"]) == 0
    whole = strict_json(capsys.readouterr().out)
    assert whole["confusion"] is None and len(whole["per_class"]) == 25 and whole["sequences"] == 75
    assert [c["sequences"] for c in whole["per_class"]] == [3] * 25
    m = predicted_confusion(run, test, [f"c{i}" for i in range(25)], capsys)
    assert whole["accuracy"] == pytest.approx(np.trace(m) / 75)
    monkeypatch.setattr(classify, "EVAL_ROWS", 8)
    monkeypatch.setattr(series_command, "SCORE_BYTES", 1)  # slices of 8 rows, the last one 8 to 15
    calls = []
    scorer = classify.log_probabilities
    monkeypatch.setattr(classify, "log_probabilities", lambda *a: calls.append(len(a[-1])) or scorer(*a))
    assert main(["series", "eval", str(run), str(test), "--json"]) == 0
    sliced = strict_json(capsys.readouterr().out)
    assert calls == [8] * 8 + [11]
    assert sliced["per_class"] == whole["per_class"] and sliced["accuracy"] == whole["accuracy"]
    assert sliced["loss"] == pytest.approx(whole["loss"], rel=1e-6)


def test_predict_writes_probabilities(classifier, capsys):
    root, train, test, run = classifier
    capsys.readouterr()
    assert main(["series", "predict", str(run), str(test)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["index", "predicted", "p_up", "p_down"] and len(rows) == 13
    p = np.array([[float(v) for v in r[2:]] for r in rows[1:]])
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    truth = [l.rsplit(":", 1)[1] for l in test.read_text().splitlines() if ":" in l and not l.startswith("@")]
    assert np.mean([r[1] == t for r, t in zip(rows[1:], truth)]) >= 0.9
    out = root / "pred.csv"
    assert main(["series", "predict", str(run), str(test), "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0] == "index,predicted,p_up,p_down"


def test_resume_continues_to_more_epochs(classifier):
    root, train, test, run = classifier
    assert main(["series", "train", "--resume", str(run), "--epochs", "45", "--quiet"]) == 0
    s = json.loads((run / "summary.json").read_text())
    assert s["epochs"] == 45
    steps = [json.loads(l)["step"] for l in (run / "metrics.jsonl").read_text().splitlines()]
    assert steps == sorted(steps)
    assert main(["series", "train", "--resume", str(run), "--hidden", "9"]) == 2  # may not change


def test_validation_split_without_test(tmp_path):
    train = make_ts(tmp_path / "t.ts", 20, 3)
    run = tmp_path / "r"
    assert main(["series", "train", str(train), "--out", str(run), "--epochs", "5", *SMALL]) == 0
    s = json.loads((run / "summary.json").read_text())
    assert s["held"] == "val" and np.sum(s["val_confusion"]) == 4  # 20% of each class of 10


@pytest.mark.parametrize("mode", ["direct", "iterated"])
def test_forecaster(tmp_path, capsys, mode):
    table, y = make_table(tmp_path / "t.csv")
    run = tmp_path / mode
    assert main(["series", "train", str(table), "--target", "value", "--context", "12", "--horizon", "6",
                 "--season", "6", "--epochs", "60", "--lr", "0.01", "--multi-step", mode, "--out", str(run),
                 *SMALL]) == 0
    s = json.loads((run / "summary.json").read_text())
    assert s["problem"] == "forecast" and len(s["forecast"]) == 6
    # the scores are those of the stored forecast against the last 6 rows
    err = np.abs(np.array(s["forecast"]) - y[-6:])
    assert s["mae"] == pytest.approx(err.mean(), rel=1e-3)
    assert s["mase"] < s["naive"]["mase"]  # a trend the seasonal naive misses
    assert (run / "holdout.png").stat().st_size > 1000
    capsys.readouterr()
    assert main(["series", "forecast", str(run), "--horizon", "3"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["row", "value"] and [r[0] for r in rows[1:]] == ["60", "61", "62"]
    assert all(abs(float(r[1]) - (100 + int(r[0]))) < 30 for r in rows[1:])
    assert (run / "forecast.csv").is_file() and (run / "forecast.png").is_file()
    assert main(["series", "eval", str(run), str(table), "--json"]) == 0
    got = strict_json(capsys.readouterr().out)
    assert got["problem"] == "forecast" and got["horizon"] == 6 and got["season"] == 6
    naive = np.concatenate([y[-12:-6]])  # the last season before the held-out rows, repeated
    assert got["naive"]["mae"] == pytest.approx(np.abs(naive - y[-6:]).mean(), rel=1e-6)
    assert got["naive"]["rmse"] == pytest.approx(np.sqrt(((naive - y[-6:]) ** 2).mean()), rel=1e-6)
    assert main(["series", "eval", str(run), str(table)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "the last 6 rows" in lines[0] and "{" not in "".join(lines)
    assert lines[2].split() == ["rnr", "seasonal", "naive"]
    assert [l.split()[0] for l in lines[3:7]] == ["MAE", "RMSE", "MASE", "sMAPE"]
    assert lines[5].split()[1:] == [f"{got['mase']:.3f}", f"{got['naive']['mase']:.3f}"]
    flat, _ = make_table(tmp_path / "flat.csv")
    flat.write_text("step,value\n" + "".join(f"{i},100\n" for i in range(60)))
    assert main(["series", "eval", str(run), str(flat), "--json"]) == 0
    got = strict_json(capsys.readouterr().out)  # a constant history: MASE divides by 0
    assert got["mase"] is None and got["naive"]["mase"] is None and got["naive"]["mae"] == 0


def test_bad_input_exit_2_nothing_written(tmp_path, capsys, classifier):
    root, train, test, run = classifier
    table, _ = make_table(tmp_path / "t.csv", 20)
    out = tmp_path / "never"
    bad_ts = tmp_path / "bad.ts"
    bad_ts.write_text("@classLabel true a b\n@data\n1,2,3:c\n")
    cases = [
        (["series", "train", str(tmp_path / "missing.ts")], "does not exist"),
        (["series", "train", str(bad_ts)], "line 3"),
        (["series", "train", str(table), "--target", "nope"], "no column nope"),
        (["series", "train", str(table), "--target", "value", "--horizon", "30"], "--horizon"),
        (["series", "train", str(train), "--epochs", "-1"], "--epochs"),
        (["series", "train", str(train), "--lr", "nan"], "--lr"),
        (["series", "train", str(train), "--hidden", "100000", "--layers", "100"], ""),
        (["series", "train", str(train), "--pool", "median"], "--pool"),
        (["series", "train", str(table), "--target", "value", "--test", str(test)], "--test"),
        (["series", "predict", str(run), str(table)], ""),
        (["series", "forecast", str(run)], "classification run"),
    ]
    for argv, words in cases:
        err = one_sentence(capsys, argv + ["--out", str(out)] if argv[1] == "train" else argv)
        assert words in err, (argv, err)
        assert not out.exists()
    other = tmp_path / "other.ts"
    other.write_text("@classLabel true up down zz\n@data\n1,2,3:zz\n1,2:up\n")
    assert "zz" in one_sentence(capsys, ["series", "eval", str(run), str(other)])


def test_view_draws_one_sequence(classifier, capsys):
    root, train, test, run = classifier
    assert main(["view", str(run), "--row", "2"]) == 0
    assert (run / "gates.png").stat().st_size > 5000
    assert "--row" in one_sentence(capsys, ["view", str(run), "--row", "99"])
    assert "--layer" in one_sentence(capsys, ["view", str(run), "--layer", "3"])


def torch_conv_branch(sd: dict, width: int, x: np.ndarray, lengths: np.ndarray):
    """The exported convolutional branch as torch modules: (N, width)."""
    import torch

    z = torch.from_numpy(x.astype(np.float32)).transpose(1, 2)  # (N, F, T)
    valid = (torch.arange(z.shape[2])[None, :] < torch.from_numpy(lengths)[:, None])[:, None, :]
    for i, c_out in enumerate((width, 2 * width, width)):
        k = sd[f"conv.{i}.weight"].shape[2]
        conv = torch.nn.Conv1d(z.shape[1], c_out, k, padding="same")
        norm = torch.nn.LayerNorm(c_out, eps=1e-5)
        conv.load_state_dict({"weight": sd[f"conv.{i}.weight"], "bias": sd[f"conv.{i}.bias"]})
        norm.load_state_dict({"weight": sd[f"norm.{i}.weight"], "bias": sd[f"norm.{i}.bias"]})
        z = torch.relu(norm(conv(z * valid).transpose(1, 2))).transpose(1, 2)
    return (z * valid).sum(dim=2) / torch.from_numpy(lengths)[:, None].float()


def test_export_to_torch_predicts_the_same(classifier, capsys):
    """The exported bidirectional LSTM, run by torch over pack_padded_sequence
    with the stored scaler and the readout on the stored pooling (max over the
    valid steps, or [h_n forward, h_n backward]) beside the convolutional branch
    as torch's Conv1d and LayerNorm, gives rnr's probabilities."""
    torch = pytest.importorskip("torch")
    from safetensors import safe_open

    from rnr.series.ts_file import read_ts

    root, train, test, run = classifier
    out = root / "model.safetensors"
    assert main(["export", str(run), "--torch", str(out)]) == 0
    with safe_open(str(out), "np") as f:
        meta = f.metadata()
        sd = {k: torch.from_numpy(f.get_tensor(k)) for k in f.keys()}
    scaler = json.loads(meta["scaler"])
    lstm = torch.nn.LSTM(int(meta["input_size"]), int(meta["hidden_size"]), bidirectional=True)
    lstm.load_state_dict({k[4:]: v for k, v in sd.items() if k.startswith("rnn.")})
    data = read_ts(test)
    x = (data.X - np.array(scaler["mean"])) / np.array(scaler["std"])
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.from_numpy(np.moveaxis(x, 0, 1).astype(np.float32)),
                                                     torch.from_numpy(data.lengths), enforce_sorted=False)
    with torch.no_grad():
        out, (h_n, _) = lstm(packed)
        if json.loads(meta["pool"]) == "last":
            pooled = torch.cat([h_n[0], h_n[1]], dim=1)
        else:  # max over each row's valid steps
            out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, padding_value=-float("inf"))
            pooled = out.max(dim=0).values
        pooled = torch.cat([pooled, torch_conv_branch(sd, int(meta["conv"]), x, data.lengths)], dim=1)
        logits = pooled @ sd["linear.weight"].T + sd["linear.bias"]
    theirs = torch.softmax(logits, dim=1).numpy()
    capsys.readouterr()
    assert main(["series", "predict", str(run), str(test)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    ours = np.array([[float(v) for v in r[2:]] for r in rows])
    assert json.loads(meta["classes"]) == ["up", "down"]
    np.testing.assert_allclose(ours, theirs, atol=2e-5)


def test_two_devices_train_as_one(tmp_path):
    """--devices 2 splits each batch's rows over two devices (gradients averaged):
    the losses are one device's."""
    import jax

    if jax.device_count() < 2:
        pytest.skip("one device")
    train = make_ts(tmp_path / "t.ts", 16, 5)
    losses = {}
    for n in (1, 2):
        run = tmp_path / f"d{n}"
        assert main(["series", "train", str(train), "--out", str(run), "--epochs", "6", "--devices", str(n),
                     "--bidirectional", *SMALL]) == 0
        losses[n] = [json.loads(l)["loss"] for l in (run / "metrics.jsonl").read_text().splitlines()
                     if "loss" in json.loads(l)]
        assert json.loads((run / "summary.json").read_text())["devices"] == n
    np.testing.assert_allclose(losses[2], losses[1], rtol=1e-4)
