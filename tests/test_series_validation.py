"""Choices are made on validation data only: the test file never chooses the
checkpoint, the budget is counted in optimizer steps whatever the data's size,
and the chosen checkpoint is the lowest validation loss of the run."""

import json

import numpy as np
import pytest

from rnr.cli import main

TINY = ["--hidden", "6", "--batch", "4", "--eval-every", "5", "--lr", "0.02", "--quiet", "--plot", "none"]


def write_ts(path, labels, seed):
    """Noisy rising ('up') or falling ('down') ramps of 8 steps."""
    rng = np.random.default_rng(seed)
    lines = ["@problemName ramps", "@univariate true", "@equalLength true", "@classLabel true up down", "@data"]
    for label in labels:
        x = np.linspace(0, 1, 8) * (1 if label == "up" else -1) + 0.3 * rng.normal(size=8)
        lines.append(",".join(f"{v:.4f}" for v in x) + ":" + label)
    path.write_text("\n".join(lines) + "\n")
    return path


def train(tmp_path, name, train_file, *extra):
    out = tmp_path / name
    assert main(["series", "train", str(train_file), "--out", str(out), *TINY, *extra]) == 0
    summary = json.loads((out / "summary.json").read_text())
    lines = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    return summary, lines


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("val")
    labels = ["up", "down"] * 12
    test_labels = ["up", "down"] * 6
    test = write_ts(root / "test.ts", test_labels, 1)
    shuffled = np.random.default_rng(9).permutation(test_labels)  # the same sequences, other labels
    lines = test.read_text().splitlines()
    body = [line.rsplit(":", 1)[0] + ":" + label for line, label in zip(lines[5:], shuffled)]
    (root / "test_shuffled.ts").write_text("\n".join(lines[:5] + body) + "\n")
    return root, write_ts(root / "train.ts", labels, 0), test, root / "test_shuffled.ts"


def test_the_test_file_never_chooses_the_checkpoint(tmp_path, files):
    """The same run scored on a test file and on the same sequences with
    shuffled labels: the same chosen step, the same validation curve."""
    root, train_file, test, shuffled = files
    a, lines_a = train(tmp_path, "a", train_file, "--test", str(test), "--steps", "60")
    b, lines_b = train(tmp_path, "b", train_file, "--test", str(shuffled), "--steps", "60")
    val = [(r["step"], r["val_loss"]) for r in lines_a if "val_loss" in r and "test_loss" not in r]
    assert val == [(r["step"], r["val_loss"]) for r in lines_b if "val_loss" in r and "test_loss" not in r]
    assert a["chosen_step"] == b["chosen_step"] and a["val_loss"] == b["val_loss"]
    assert a["test_accuracy"] != b["test_accuracy"]  # the control: the two test files do differ
    assert len([r for r in lines_a if "test_loss" in r]) == 1  # the test is scored once, at the end


def test_the_chosen_step_is_the_lowest_validation_loss(tmp_path, files):
    root, train_file, test, _ = files
    s, lines = train(tmp_path, "c", train_file, "--steps", "60")
    val = {r["step"]: r["val_loss"] for r in lines if "val_loss" in r}
    assert sorted(val) == list(range(5, 61, 5))
    best = min(val, key=lambda k: (val[k], k))
    assert s["chosen_step"] == best and s["chosen_by"] == "lowest validation loss"
    assert s["val_loss"] == pytest.approx(val[best], rel=1e-6)  # the summary is the chosen checkpoint's


@pytest.mark.parametrize("n", [8, 160])
def test_the_budget_is_steps_whatever_the_size(tmp_path, n):
    """8 sequences (2 steps an epoch) and 160 (32 steps an epoch) both train 40 steps."""
    train_file = write_ts(tmp_path / "t.ts", ["up", "down"] * (n // 2), 2)
    s, _ = train(tmp_path, "r", train_file, "--steps", "40")
    assert s["steps"] == 40 and s["stopped_by"] == "steps"


def test_patience_stops_when_validation_stops_improving(tmp_path, files):
    """--patience 2: the run ends two evaluations after its last improvement;
    without it (the control) the same run trains to its budget."""
    root, train_file, test, _ = files
    lines = train_file.read_text().splitlines()  # labels that the sequences do not tell: nothing to learn
    labels = np.random.default_rng(4).permutation([line.rsplit(":", 1)[1] for line in lines[5:]])
    noise = tmp_path / "noise.ts"
    noise.write_text("\n".join(lines[:5] + [l.rsplit(":", 1)[0] + ":" + y for l, y in zip(lines[5:], labels)]) + "\n")
    train_file = noise
    s, lines = train(tmp_path, "p", train_file, "--steps", "400", "--patience", "2")
    val = [r["val_loss"] for r in lines if "val_loss" in r]
    assert s["stopped_by"] == "early_stop" and s["steps"] == s["chosen_step"] + 2 * 5 < 400
    assert min(val[-2:]) >= min(val[:-2])  # the last two evaluations brought nothing lower
    full, _ = train(tmp_path, "q", train_file, "--steps", str(s["steps"] + 20))
    assert full["stopped_by"] == "steps" and full["steps"] == s["steps"] + 20
