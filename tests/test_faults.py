"""Faults and hostile input, as a careless or hostile user meets them: two
trainers in one folder, a kill before the first checkpoint, a full or
read-only disk, NaN and absurd values, an edited config.json, a NaN
checkpoint, conflicting --resume options, metrics after a kill. Each case
exits 2 with one sentence (or behaves as stated) and loses nothing."""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from rnr.io import checkpoint, runs
from rnr.cli import main
from rnr.io import files
from text_helpers import SPANISH
from helpers import SRC, one_sentence

SMALL = ["--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8", "--chunk", "4",
         "--eval-every", "4", "--sample-length", "0", "--quiet"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    f = tmp_path_factory.mktemp("faults") / "es.txt"
    f.write_text(SPANISH * 4, encoding="utf-8")
    return f


@pytest.fixture
def trained(tmp_path, corpus):
    run = tmp_path / "run"
    assert main(["text", "train", str(corpus), "--out", str(run), "--steps", "8", *SMALL]) == 0
    return run


def snapshot(d):
    return {p.name: p.read_bytes() for p in Path(d).iterdir() if p.is_file()}


def popen(*args):
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "rnr", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, seconds=120):
    deadline = time.time() + seconds
    while not path.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert path.exists(), path


# ------------------------------------------------------------ the run folder

def test_second_trainer_into_a_folder_in_use_is_refused(tmp_path, corpus, capsys):
    out = tmp_path / "busy"
    held = runs.Run.create(out)  # another trainer holds the folder
    try:
        err = one_sentence(capsys, ["text", "train", str(corpus), "--out", str(out), "--steps", "4", *SMALL])
        assert "in use" in err
        assert list(out.iterdir()) == []  # the holder's folder is untouched
    finally:
        held.close()
    # once the holder lets go (or dies: the kernel drops an flock), the folder is free
    assert main(["text", "train", str(corpus), "--out", str(out), "--steps", "4", *SMALL]) == 0


def test_resume_of_a_run_in_use_is_refused(trained, capsys):
    held = runs.Run.resume(trained)
    try:
        assert "in use" in one_sentence(capsys, ["text", "train", "--resume", str(trained), "--steps", "12"])
    finally:
        held.close()


def test_sigkill_at_once_leaves_a_usable_run(tmp_path, corpus, capsys):
    """The first checkpoint is written before training and config.json after
    it: a run killed as soon as it exists samples and resumes."""
    run = tmp_path / "killed"
    p = popen("text", "train", str(corpus), "--out", str(run), "--steps", "100000000", *SMALL[:-1],
              "--eval-every", "100000000")
    wait_for(run / "config.json")
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=60)
    assert (run / "last.safetensors").is_file()
    assert main(["text", "sample", str(run), "--length", "5"]) == 0
    assert main(["text", "train", "--resume", str(run), "--steps", "100000000", "--time-budget", "0.005",
                 "--quiet"]) == 0
    assert not list(run.glob(".*.tmp"))


def test_sigint_stops_a_sweep_with_its_results(tmp_path):
    out = tmp_path / "sweep"
    p = popen("sweep", "--task", "adding", "--cells", "rnn", "--lengths", "4", "--seeds", "1", "--hidden", "4",
              "--steps", "100000000", "--chunk", "50", "--eval-batch", "8", "--out", str(out), "--no-plot")
    metrics = out / "metrics.jsonl"
    deadline = time.time() + 120
    while not (metrics.exists() and metrics.stat().st_size) and time.time() < deadline:
        time.sleep(0.1)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130 and "Traceback" not in err, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] and summary["runs"] == 0  # the group cut short is no result
    assert (out / "results.csv").read_text().count("\n") == 1  # the header


def test_resume_cuts_metrics_back_and_removes_stale_temporaries(trained):
    metrics = trained / "metrics.jsonl"
    stored = checkpoint.read(trained / "last.safetensors")[1]["step"]
    with open(metrics, "a") as f:  # what a run killed after its checkpoint leaves behind
        f.write(json.dumps({"step": stored + 4, "loss": 1.0, "losses": [1.0] * 4}) + "\n")
        f.write('{"step": 99, "loss": 0.')  # a line cut by the kill
    stale = trained / ".last.safetensors.abc123.tmp"
    stale.write_bytes(b"half a checkpoint")
    assert main(["text", "train", "--resume", str(trained), "--steps", str(stored + 8), "--quiet"]) == 0
    lines = [json.loads(s) for s in metrics.read_text().splitlines()]
    chunk_ends = [r["step"] for r in lines if "losses" in r]
    assert chunk_ends == sorted(set(chunk_ends))  # no window twice
    assert chunk_ends[-1] == stored + 8 and not stale.exists()


# ------------------------------------------------------------ the disk

def write_fault(monkeypatch, err):
    real = os.replace

    def failing(src, dst, *a, **k):
        if str(dst).endswith(".safetensors") or str(dst).endswith(".json"):
            raise OSError(err, os.strerror(err), str(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", failing)


@pytest.mark.parametrize("err, words", [(errno.ENOSPC, "No space left"), (errno.EROFS, "read-only"),
                                        (errno.EACCES, "Permission denied")])
def test_os_errors_are_one_sentence_and_keep_the_checkpoint(trained, monkeypatch, capsys, err, words):
    before = (trained / "last.safetensors").read_bytes()
    write_fault(monkeypatch, err)
    got = one_sentence(capsys, ["text", "train", "--resume", str(trained), "--steps", "20"])
    assert words in got
    assert (trained / "last.safetensors").read_bytes() == before
    assert not list(trained.glob(".*.tmp"))


def test_os_error_in_spanish(trained, monkeypatch, capsys):
    write_fault(monkeypatch, errno.ENOSPC)
    assert "No queda espacio" in one_sentence(capsys, ["text", "train", "--resume", str(trained), "--steps",
                                                       "20", "--lang", "es"])


def test_a_folder_where_the_checkpoint_should_be(trained, capsys):
    (trained / "best.safetensors").unlink()
    (trained / "best.safetensors").mkdir()
    before = (trained / "last.safetensors").read_bytes()
    err = one_sentence(capsys, ["text", "train", "--resume", str(trained), "--steps", "20"])
    assert "folder" in err and (trained / "last.safetensors").read_bytes() == before


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 160 KiB tmpfs (root only): room for a small run's first checkpoint
    and config, not for everything the run writes later."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode:
        pytest.skip("cannot mount a tmpfs here: " + r.stderr.decode().strip())
    yield mnt
    subprocess.run(["umount", str(mnt)], capture_output=True)


def test_disk_full_for_real(tiny_tmpfs, corpus, capsys):
    run = tiny_tmpfs / "run"
    code = main(["text", "train", str(corpus), "--out", str(run), "--steps", "400", "--hidden", "40",
                 "--embed", "8", "--batch", "2", "--window", "8", "--chunk", "4", "--eval-every", "4",
                 "--sample-length", "0", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "No space left" in err and "\n" not in err, err
    assert not list(run.glob(".*.tmp"))
    tree, meta = checkpoint.read(run / "last.safetensors")  # the last good one is whole
    assert all(np.isfinite(v).all() for k, v in tree.items() if k.startswith("params."))


# ------------------------------------------------------------ values

@pytest.mark.parametrize("argv, words", [
    (["text", "train", "CORPUS", "--time-budget", "nan"], "--time-budget must be a finite number"),
    (["text", "train", "CORPUS", "--steps", "3", "--lr", "inf"], "--lr must be a finite number"),
    (["text", "train", "CORPUS", "--steps", "3", "--lr", "nan"], "--lr must be a finite number"),
    (["text", "train", "CORPUS", "--steps", "3", "--forget-bias", "nan"], "--forget-bias must be a finite"),
    (["text", "train", "CORPUS", "--steps", "3", "--seed", "99999999999999999999999"], "--seed must be"),
    (["text", "train", "CORPUS", "--steps", "3", "--hidden", "100000", "--layers", "20"], "would need about"),
    (["eco", "--length", "1000000000"], "would need about"),
    (["eco", "--seed", "-1"], "--seed must be a whole number from 0 to 4294967295"),
    (["sweep", "--lengths", "10", "--seeds", "100000000"], "--seeds must be"),
    (["sweep", "--lengths", "10", "--lr", "inf"], "--lr must be a finite number"),
    (["sweep", "--lengths", "10", "--hidden", "100000", "--seeds", "64"], "would need about"),
])
def test_non_finite_and_absurd_values(tmp_path, corpus, capsys, argv, words):
    out = tmp_path / "never"
    argv = [str(corpus) if a == "CORPUS" else a for a in argv]
    if argv[0] == "text" and "--hidden" not in argv:  # small enough for the corpus: only the value is wrong
        argv += ["--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8"]
    assert words in one_sentence(capsys, [*argv, "--out", str(out)])
    assert not out.exists()


def test_absurd_sample_length(trained, capsys):
    assert "--chars must be a whole number from 1 to 200000" in one_sentence(
        capsys, ["text", "sample", str(trained), "--chars", "1000000000000"])


def test_exploding_loss_is_divergence_and_keeps_a_finite_checkpoint(tmp_path, corpus, capsys):
    run = tmp_path / "boom"
    err = one_sentence(capsys, ["text", "train", str(corpus), "--out", str(run), "--steps", "40",
                                "--optimizer", "sgd", "--lr", "1e30", "--clip", "0", *SMALL])
    assert "diverged" in err
    tree, _ = checkpoint.read(run / "last.safetensors")
    assert all(np.isfinite(v).all() for v in tree.values())
    assert main(["text", "sample", str(run), "--length", "3"]) == 0


def test_tiny_temperature_gives_the_greedy_text(trained, capsys):
    assert main(["text", "sample", str(trained), "--length", "20", "--greedy"]) == 0
    greedy = capsys.readouterr().out
    assert main(["text", "sample", str(trained), "--length", "20", "--temperature", "1e-45"]) == 0
    assert capsys.readouterr().out == greedy


# ------------------------------------------------------------ edited files

def edit_config(run, change):
    raw = json.loads((run / "config.json").read_text())
    (run / "config.json").write_text(json.dumps(change(raw)))


@pytest.mark.parametrize("change, words", [
    (lambda raw: {**raw, "hidden": "64"}, "--hidden must be"),
    (lambda raw: [raw], "not a JSON object"),
    (lambda raw: {**raw, "vocab": raw["vocab"][:-3]}, "does not match"),
    (lambda raw: {**raw, "vocab": 7}, "'vocab'"),
    (lambda raw: {**raw, "lr": float("nan")}, "--lr must be"),
    (lambda raw: {k: v for k, v in raw.items() if k != "task"}, "unknown task"),
])
def test_edited_config_is_one_sentence_everywhere(trained, corpus, tmp_path, capsys, change, words):
    edit_config(trained, change)
    before = snapshot(trained)
    for argv in (["text", "sample", str(trained)], ["text", "eval", str(trained), str(corpus)],
                 ["view", str(trained)], ["text", "train", "--resume", str(trained), "--steps", "20"],
                 ["export", str(trained), "--torch", str(tmp_path / "x.safetensors")]):
        assert words in one_sentence(capsys, argv)
    assert snapshot(trained) == before and not (tmp_path / "x.safetensors").exists()


def test_nan_checkpoint_is_refused(trained, capsys):
    for name in ("best.safetensors", "last.safetensors"):
        arrays, meta = checkpoint.read(trained / name)
        arrays = {k: (np.full_like(v, np.nan) if k.startswith("params.") else v) for k, v in arrays.items()}
        from safetensors.numpy import save

        (trained / name).write_bytes(save(arrays, metadata={"rnr": json.dumps(meta)}))
    assert "not finite" in one_sentence(capsys, ["text", "sample", str(trained)])
    assert "not finite" in one_sentence(capsys, ["text", "train", "--resume", str(trained), "--steps", "20"])


def test_a_pickle_is_never_unpickled(trained, tmp_path, capsys):
    import pickle

    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (Path.touch, (marker,))

    (trained / "best.safetensors").write_bytes(pickle.dumps(Evil()))
    one_sentence(capsys, ["text", "sample", str(trained)])
    assert not marker.exists()


# ------------------------------------------------------------ resume options

def test_resume_conflicts_are_named(trained, tmp_path, capsys):
    before = snapshot(trained)
    other = tmp_path / "other"
    err = one_sentence(capsys, ["text", "train", "--resume", str(trained), "--out", str(other), "--steps", "20"])
    assert "--out" in err and not other.exists()
    assert "--hidden" in one_sentence(capsys, ["text", "train", "--resume", str(trained), "--hidden", "64",
                                               "--steps", "20"])
    assert "--dropout" in one_sentence(capsys, ["text", "train", "--resume", str(trained), "--dropout", "0.5",
                                                "--steps", "20"])
    assert snapshot(trained) == before
    # the limits and --lr may change; repeating a stored value is no conflict
    assert main(["text", "train", "--resume", str(trained), "--steps", "12", "--lr", "0.001", "--hidden", "8",
                 "--quiet"]) == 0
    assert json.loads((trained / "config.json").read_text())["hidden"] == 8


# ------------------------------------------------------------ found by a hostile review

def test_a_sweep_run_reads_back(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", "--task", "adding", "--cells", "rnn", "--lengths", "4", "--seeds", "1", "--hidden", "4",
                 "--steps", "10", "--eval-batch", "8", "--out", str(out), "--quiet", "--no-plot"]) == 0
    kind, cfg, _ = runs.read_config(out)
    assert kind == "sweep" and cfg.task == "adding" and cfg.lengths == (4,)
    assert "sweep" in one_sentence(capsys, ["view", str(out)])  # says it cannot show a sweep, not "damaged"
    assert "keeps no model" in one_sentence(capsys, ["export", str(out), "--torch", str(tmp_path / "x")])


@pytest.mark.parametrize("meta", [{"step": "abc"}, {"extra": [1]}, {"train_seconds": "x"},
                                  {"extra": {"best_val": "x"}}, {"step": -5, "epoch": -1, "pos": 99999},
                                  {"step": 10**30}])
def test_edited_checkpoint_position_is_refused(trained, capsys, meta):
    arrays, stored = checkpoint.read(trained / "last.safetensors")
    from safetensors.numpy import save

    (trained / "last.safetensors").write_bytes(save(arrays, metadata={"rnr": json.dumps({**stored, **meta})}))
    assert "damaged" in one_sentence(capsys, ["text", "train", "--resume", str(trained), "--steps", "30"])


@pytest.mark.parametrize("argv", [["eco", "--forget-bias", "1e308"], ["eco", "--lr", "1e39"],
                                  ["sweep", "--lengths", "4", "--forget-bias=-1e300"]])
def test_numbers_beyond_float32_are_refused(tmp_path, capsys, argv):
    out = tmp_path / "never"
    assert "finite number" in one_sentence(capsys, [*argv, "--out", str(out)])
    assert not out.exists()


def test_export_never_replaces_a_file_even_in_a_race(tmp_path):
    target = tmp_path / "x.safetensors"
    files.create_bytes(target, b"first")
    with pytest.raises(FileExistsError):
        files.create_bytes(target, b"second")  # what the loser of two racing exports meets
    assert target.read_bytes() == b"first" and not list(tmp_path.glob(".*.tmp"))


def test_huge_fifo_and_nested_inputs(tmp_path, trained, corpus, capsys):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:  # sparse: 1 TiB that takes no disk
        f.truncate(2**40)
    assert "would need about" in one_sentence(capsys, ["text", "train", str(huge), "--steps", "3"])
    assert "would need about" in one_sentence(capsys, ["text", "eval", str(trained), str(huge)])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "--text" in one_sentence(capsys, ["view", str(trained), "--text", str(fifo)])  # no hang
    (trained / "config.json").write_text("[" * 100000)
    assert "JSON" in one_sentence(capsys, ["text", "sample", str(trained)])


def test_a_folder_named_like_the_checkpoint(trained, capsys):
    (trained / "best.safetensors").unlink()
    (trained / "last.safetensors").unlink()
    (trained / "last.safetensors").mkdir()
    assert "folder" in one_sentence(capsys, ["text", "sample", str(trained)])


def test_usage_errors_in_spanish(tmp_path, capsys):
    assert main(["eco", "--lang", "es", "--hidden", "abc", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "no es un número entero" in err and "Traceback" not in err
