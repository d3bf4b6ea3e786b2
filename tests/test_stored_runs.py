"""A stored run is read back whole or refused: config.json's fields all there,
the checkpoint's tensors exactly the config's model, the vocabulary in the
order it was trained with, a position to resume from. What rnr writes parses
with a strict JSON reader; a finished run resumed changes nothing; the
TensorBoard history survives a kill."""

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save as save_arrays

from rnr.cli import main
from rnr.io import checkpoint, files, runs, tensorboard
from text_helpers import SPANISH
from helpers import SRC

SMALL = ["--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8", "--chunk", "4", "--eval-every", "4",
         "--sample-chars", "0", "--quiet"]


def strict(text):
    """JSON as a strict reader takes it: NaN and Infinity refused."""
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))


def snapshot(d):
    return {p.name: p.read_bytes() for p in Path(d).iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    f = tmp_path_factory.mktemp("stored") / "es.txt"
    f.write_text(SPANISH * 8, encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def gru2(tmp_path_factory, corpus):
    """A finished 2-layer GRU text run (copied by each test that edits it)."""
    run = tmp_path_factory.mktemp("stored") / "gru2"
    assert main(["text", "train", str(corpus), "--out", str(run), "--steps", "8", "--cell", "gru", "--layers", "2",
                 *SMALL]) == 0
    return run


@pytest.fixture
def run(gru2, tmp_path):
    shutil.copytree(gru2, tmp_path / "run")
    return tmp_path / "run"


def edit_config(run, change):
    raw = json.loads((run / "config.json").read_text())
    change(raw)
    (run / "config.json").write_text(json.dumps(raw))


def edit_checkpoint(run, change, name="last.safetensors"):
    arrays, meta = checkpoint.read(run / name)
    arrays, meta = change(arrays, meta)
    (run / name).write_bytes(save_arrays(arrays, metadata=None if meta is None else {"rnr": json.dumps(meta)}))


def swap_vocab(raw):
    raw["vocab"][0], raw["vocab"][1] = raw["vocab"][1], raw["vocab"][0]


def as_int32(arrays, meta):
    return {k: v.astype(np.int32) if k.startswith("params.") else v for k, v in arrays.items()}, meta


EDITS = [  # (what is done to the stored run, the words of the refusal, whether readers refuse it too)
    (lambda r: edit_config(r, lambda raw: raw.update(layers=1)), "params.layers.1", True),
    (lambda r: edit_config(r, lambda raw: raw.update(hidden=4)), "shape", True),
    (lambda r: edit_config(r, lambda raw: raw.pop("window")), "'window'", True),
    (lambda r: edit_config(r, lambda raw: raw.pop("cell")), "'cell'", True),
    (lambda r: edit_config(r, swap_vocab), "'vocab'", True),
    (lambda r: edit_checkpoint(r, lambda a, m: (a, None)), "where training stood", False),
    (lambda r: edit_checkpoint(r, lambda a, m: (a, {"extra": m["extra"]})), "where training stood", False),
    (lambda r: edit_checkpoint(r, as_int32), "int32", False),
    (lambda r: edit_checkpoint(r, lambda a, m: ({**a, "params.spare": np.zeros(3, np.float32)}, m)),
     "params.spare", False),
]


@pytest.mark.parametrize("edit, words, readers", EDITS)
def test_an_edited_run_is_refused_by_name(run, corpus, capsys, edit, words, readers):
    edit(run)
    before = snapshot(run)
    argvs = [["text", "train", "--resume", str(run), "--steps", "16"]]
    if readers:
        argvs.append(["text", "sample", str(run), "--chars", "5"])
    for argv in argvs:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "\n" not in err and words in err, err
    assert snapshot(run) == before  # nothing rewritten


def test_a_setting_added_later_takes_its_default(run):
    edit_config(run, lambda raw: raw.pop("devices"))  # TextConfig.ADDED_LATER
    kind, cfg, _ = runs.read_config(run)
    assert cfg.devices == 0


def test_the_checkpoint_stores_the_vocabulary_hash(run):
    raw = json.loads((run / "config.json").read_text())
    for name in ("last.safetensors", "best.safetensors"):
        assert checkpoint.read(run / name)[1]["facts"] == runs.facts(raw)


# ------------------------------------------------------------ strict JSON

WEIRD = [  # a value as rnr may hold it -> what a strict reader gets back
    (float("nan"), None),
    (float("inf"), None),
    (-float("inf"), None),
    (np.float32("nan"), None),
    (np.float64(1.5), 1.5),
    (np.int64(3), 3),
    (np.array([1.0, np.nan, np.inf]), [1.0, None, None]),
    ({"a": [float("nan"), (2.0, float("-inf"))]}, {"a": [None, [2.0, None]]}),
    (1e308, 1e308),
    (5e-324, 5e-324),
    ("NaN", "NaN"),
    (True, True),
    (None, None),
]


@pytest.mark.parametrize("value, back", WEIRD)
def test_json_round_trip_is_strict(tmp_path, value, back):
    files.write_json(tmp_path / "x.json", {"v": value})
    assert strict((tmp_path / "x.json").read_text()) == {"v": back}
    runs.append_metrics(tmp_path / "metrics.jsonl", {"step": 1, "v": value})
    assert strict((tmp_path / "metrics.jsonl").read_text().splitlines()[-1]) == {"step": 1, "v": back}
    checkpoint.save(tmp_path / "c.safetensors", {"w": np.zeros(1, np.float32)}, {"v": value})
    assert checkpoint.read(tmp_path / "c.safetensors")[1] == {"v": back}
    tensorboard.close(tmp_path)


# ------------------------------------------------------------ resuming a finished run

def test_resuming_a_finished_run_changes_nothing(run, capsys):
    before = snapshot(run)
    for _ in range(3):
        assert main(["text", "train", "--resume", str(run), "--quiet"]) == 0
        assert "nothing left to train" in capsys.readouterr().err
    after = snapshot(run)
    assert after == before
    summary = strict((run / "summary.json").read_text())
    assert summary["steps"] == 8 and math.isfinite(summary["train_loss"])
    # larger limits train on from the checkpoint
    assert main(["text", "train", "--resume", str(run), "--steps", "12", "--quiet"]) == 0
    assert strict((run / "summary.json").read_text())["steps"] == 12


# ------------------------------------------------------------ TensorBoard after a kill

def test_tensorboard_keeps_every_point_after_sigkill(tmp_path, corpus):
    out = tmp_path / "killed"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    p = subprocess.Popen([sys.executable, "-m", "rnr", "text", "train", str(corpus), "--out", str(out),
                          "--steps", "100000000", *SMALL[:-5], "--eval-every", "8", "--sample-chars", "0",
                          "--quiet"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    metrics = out / "metrics.jsonl"
    deadline = time.time() + 120
    while not (metrics.exists() and metrics.read_text().count("\n") >= 6) and time.time() < deadline:
        assert p.poll() is None, p.communicate()
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)  # well within the event file's 5 s between flushes
    p.communicate(timeout=60)
    assert main(["text", "train", "--resume", str(out), "--steps", "100000000", "--time-budget", "0.002",
                 "--quiet"]) == 0
    wanted = {(rec["step"], tag) for rec in map(json.loads, metrics.read_text().splitlines())
              for tag in tensorboard.scalars(rec)}
    assert wanted and wanted <= tensorboard.points(out)
