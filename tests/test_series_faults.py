"""Hostile input to ``rnr series``: each case is one sentence, exit code 2,
no traceback, no half-written run folder (or a case that must simply work)."""

import json
import shutil
import time

import numpy as np
import pytest

from rnr.cli import main

TINY = ["--epochs", "1", "--hidden", "4", "--batch", "4", "--quiet", "--plot", "none"]


def make_ts(path, n=8, T=6, seed=0):
    rng = np.random.default_rng(seed)
    lines = ["@problemName x", "@univariate true", "@classLabel true a b", "@data"]
    for i in range(n):
        x = rng.normal(size=T) + (i % 2)
        lines.append(",".join(f"{v:.3f}" for v in x) + ":" + "ab"[i % 2])
    path.write_text("\n".join(lines) + "\n")
    return path


def make_table(path, n=40):
    t = np.arange(n)
    rows = ["step,value"] + [f"{i},{100 + i + 5 * np.sin(i):.3f}" for i in t]
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    train, test = make_ts(root / "train.ts"), make_ts(root / "test.ts", seed=1)
    table = make_table(root / "table.csv")
    assert main(["series", "train", str(train), "--test", str(test), "--out", str(root / "cls"), *TINY]) == 0
    assert main(["series", "train", str(table), "--target", "value", "--context", "6", "--horizon", "3",
                 "--out", str(root / "fc"), *TINY]) == 0
    return root


def refused(capsys, argv, *words):
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for w in words:
        assert w in err, err
    return err


def copy_run(runs, name, tmp_path, **edit):
    run = tmp_path / name
    shutil.copytree(runs / name, run)
    cfg = json.loads((run / "config.json").read_text())
    cfg.update(edit)
    (run / "config.json").write_text(json.dumps(cfg))
    return run


def test_batch_larger_than_the_data_trains(runs, tmp_path):
    """--batch 64 over 8 sequences: the batch is the data repeated."""
    assert main(["series", "train", str(runs / "train.ts"), "--test", str(runs / "test.ts"),
                 "--out", str(tmp_path / "r"), *TINY, "--batch", "64"]) == 0
    assert main(["series", "train", str(runs / "table.csv"), "--target", "value", "--context", "6",
                 "--horizon", "3", "--out", str(tmp_path / "f"), *TINY, "--batch", "1000"]) == 0


@pytest.mark.parametrize("data", ["x", [1], {"path": 3, "sha256": "0"}, None])
def test_config_with_a_bad_data_entry(runs, tmp_path, capsys, data):
    cls = copy_run(runs, "cls", tmp_path, data=data)
    refused(capsys, ["series", "train", "--resume", str(cls), "--epochs", "2", "--quiet"], "config.json", "'data'")
    fc = copy_run(runs, "fc", tmp_path, data=data)
    refused(capsys, ["series", "forecast", str(fc), "--out", str(tmp_path / "o")], "config.json", "'data'")
    assert not (tmp_path / "o").exists()


def test_config_with_a_bad_test_entry(runs, tmp_path, capsys):
    cls = copy_run(runs, "cls", tmp_path, test="x")
    refused(capsys, ["series", "train", "--resume", str(cls), "--epochs", "2", "--quiet"], "config.json", "'test'")


def test_resume_when_the_data_file_is_gone(runs, tmp_path, capsys):
    train = shutil.copy(runs / "train.ts", tmp_path / "gone.ts")
    run = tmp_path / "r"
    assert main(["series", "train", str(train), "--test", str(runs / "test.ts"), "--out", str(run), *TINY]) == 0
    before = (run / "last.safetensors").read_bytes()
    (tmp_path / "gone.ts").unlink()
    err = refused(capsys, ["series", "train", "--resume", str(run), "--epochs", "2", "--quiet"], "gone.ts")
    assert "removed while rnr ran" not in err
    assert (run / "last.safetensors").read_bytes() == before


def test_resume_when_the_test_file_changed(runs, tmp_path, capsys):
    test = shutil.copy(runs / "test.ts", tmp_path / "test.ts")
    run = tmp_path / "r"
    assert main(["series", "train", str(runs / "train.ts"), "--test", str(test), "--out", str(run), *TINY]) == 0
    make_ts(tmp_path / "test.ts", seed=5)
    refused(capsys, ["series", "train", "--resume", str(run), "--epochs", "2", "--quiet"], "test.ts")
    assert json.loads((run / "summary.json").read_text())["epochs"] == 1


def test_forecast_out_is_a_file(runs, tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("keep")
    refused(capsys, ["series", "forecast", str(runs / "fc"), "--out", str(f)], str(f), "--out")
    assert f.read_text() == "keep"


def test_forecast_out_read_only(runs, tmp_path, capsys, monkeypatch):
    import errno
    import os

    def refuse(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "o"))

    monkeypatch.setattr(os, "mkdir", refuse)
    monkeypatch.setattr("tempfile.mkstemp", refuse)
    for lang in ("en", "es"):
        refused(capsys, ["series", "forecast", str(runs / "fc"), "--out", str(tmp_path / "o"), "--lang", lang],
                str(tmp_path / "o"))


def test_long_sequences_refused_before_a_folder(runs, tmp_path, capsys, monkeypatch):
    """Activations grow with the sequences' length: --hidden 64 over 3000 steps
    is refused when memory is short, before anything is written."""
    from rnr.engine import memory

    make_ts(tmp_path / "long.ts", n=8, T=3000)
    monkeypatch.setattr(memory, "available_bytes", lambda: 60 * 2**20)
    refused(capsys, ["series", "train", str(tmp_path / "long.ts"), "--out", str(tmp_path / "r"), "--hidden", "64",
                     "--epochs", "1", "--quiet"], "MiB")
    assert not (tmp_path / "r").exists()


def test_many_classes_refused_by_memory(runs, tmp_path, capsys, monkeypatch):
    """Two sequences a label over 20000 sequences: the held-out scores (N x K) count."""
    from rnr.engine import memory

    n = 20000
    X = np.zeros((n, 3), np.float32)
    np.savez(tmp_path / "many.npz", X=X, y=np.arange(n) // 2)
    monkeypatch.setattr(memory, "available_bytes", lambda: 400 * 2**20)
    refused(capsys, ["series", "train", str(tmp_path / "many.npz"), "--test", str(tmp_path / "many.npz"),
                     "--out", str(tmp_path / "r"), "--hidden", "4", "--epochs", "1", "--quiet"], "MiB", "K=10000")
    assert not (tmp_path / "r").exists()


def test_validation_split_of_many_classes_is_fast():
    from rnr.series.classify import split_validation
    from rnr.series.sequences import Sequences

    n = 60000
    data = Sequences(np.zeros((n, 1, 1), np.float32), np.ones(n, np.int32), np.arange(n, dtype=np.int32) // 2,
                     tuple(map(str, range(n // 2))))
    start = time.perf_counter()
    tr, va = split_validation(data, 0.2, 0)
    assert time.perf_counter() - start < 3
    assert len(va) == n // 2 and len(tr) == n // 2
    assert set(data.y[va]) == set(range(n // 2))


def test_target_on_a_ts_file(runs, tmp_path, capsys):
    refused(capsys, ["series", "train", str(runs / "train.ts"), "--target", "x", "--out", str(tmp_path / "r"),
                     *TINY], "--target")
    assert not (tmp_path / "r").exists()


def test_dates_past_year_9999_are_drawn_by_row(tmp_path, capsys):
    """Matplotlib draws years 1..9999 only: the figures fall back to row numbers."""
    d = np.arange(np.datetime64("9996-01"), np.datetime64("10000-01"))
    rows = [f"{a},{100 + i + 5 * np.sin(i):.2f}" for i, a in enumerate(d)]
    (tmp_path / "far.csv").write_text("Date,v\n" + "\n".join(rows) + "\n")
    run = tmp_path / "r"
    assert main(["series", "train", str(tmp_path / "far.csv"), "--target", "v", "--context", "6", "--horizon", "3",
                 "--out", str(run), *TINY[:-2]]) == 0
    assert (run / "holdout.png").stat().st_size > 1000
    assert main(["series", "forecast", str(run), "--out", str(tmp_path / "f")]) == 0
    assert "10000-0" in (tmp_path / "f" / "forecast.csv").read_text()
    assert (tmp_path / "f" / "forecast.png").stat().st_size > 1000


def test_predict_out_in_a_missing_folder(runs, tmp_path, capsys):
    out = tmp_path / "no" / "p.csv"
    err = refused(capsys, ["series", "predict", str(runs / "cls"), str(runs / "test.ts"), "--out", str(out)],
                  str(tmp_path / "no"))
    assert "removed while rnr ran" not in err and not out.parent.exists()


def test_one_sequence_per_class_says_so(tmp_path, capsys):
    np.savez(tmp_path / "one.npz", X=np.zeros((6, 3), np.float32), y=np.arange(6))
    refused(capsys, ["series", "train", str(tmp_path / "one.npz"), "--out", str(tmp_path / "r"), *TINY],
            "no class has two", "validation")
    assert not (tmp_path / "r").exists()


def test_view_of_a_forecaster_reads_text_and_checks_it(runs, tmp_path, capsys):
    other = tmp_path / "other.csv"
    other.write_text("step,amount,extra\n" + "".join(f"{i},{i + 1},{i}\n" for i in range(30)))  # no target column
    refused(capsys, ["view", str(runs / "fc"), "--text", str(other)], "other.csv")
    short = tmp_path / "short.csv"
    short.write_text("step,value\n1,2\n2,3\n")
    refused(capsys, ["view", str(runs / "fc"), "--text", str(short), "--lang", "es"], "short.csv")


def test_dates_out_of_order_are_named(tmp_path, capsys):
    rows = ["Date,v", "2024-01,1", "2024-03,2", "2024-02,3", "2024-04,4"]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    refused(capsys, ["series", "train", str(tmp_path / "t.csv"), "--target", "v", "--out", str(tmp_path / "r"), *TINY],
            "line 4", "2024-02")


def test_predict_out_writes_through_a_link_and_into_a_pipe(runs, tmp_path, capsys):
    """``--out`` as a shell redirection: a symbolic link's target gets the CSV
    (the link stays), a named pipe is written into (never replaced by a file)."""
    import os
    import threading

    argv = ["series", "predict", str(runs / "cls"), str(runs / "test.ts")]
    assert main([*argv, "--out", str(tmp_path / "plain.csv")]) == 0
    expected = (tmp_path / "plain.csv").read_text()
    assert expected.startswith("index,predicted")
    target, link = tmp_path / "target.csv", tmp_path / "link.csv"
    target.write_text("old\n")
    link.symlink_to(target.name)
    assert main([*argv, "--out", str(link)]) == 0
    assert link.is_symlink() and target.read_text() == expected
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    assert main([*argv, "--out", str(fifo)]) == 0
    reader.join(30)
    assert got == [expected] and not fifo.is_file()


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="no /dev/full")
def test_predict_to_a_full_stdout_names_the_output(runs, tmp_path):
    """``> /dev/full``: stdout has no file name; the sentence says "the output", in either language."""
    import subprocess
    import sys

    from helpers import SRC

    for lang, words in (("en", "while writing the output"), ("es", "al escribir la salida")):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "rnr", "series", "predict", str(runs / "cls"),
                                   str(runs / "test.ts"), "--lang", lang], stdout=full, stderr=subprocess.PIPE,
                                  text=True, env={**__import__("os").environ, "PYTHONPATH": SRC}, timeout=120)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and words in done.stderr, done.stderr
        assert "?" not in done.stderr


def test_predict_out_dev_stdout_into_a_pipe_and_a_file(runs, tmp_path):
    """``--out /dev/stdout`` whether stdout is a pipe or a file the shell opened: the CSV, whole, and the
    status line on stderr."""
    import os
    import subprocess
    import sys

    from helpers import SRC

    argv = [sys.executable, "-m", "rnr", "series", "predict", str(runs / "cls"), str(runs / "test.ts")]
    env = {**os.environ, "PYTHONPATH": SRC}
    expected = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120).stdout
    piped = subprocess.run([*argv, "--out", "/dev/stdout"], capture_output=True, text=True, env=env, timeout=120)
    assert piped.returncode == 0 and piped.stdout == expected, piped.stderr
    with open(tmp_path / "shell.csv", "w") as f:
        done = subprocess.run([*argv, "--out", "/dev/stdout"], stdout=f, stderr=subprocess.PIPE, text=True, env=env,
                              timeout=120)
    assert done.returncode == 0 and (tmp_path / "shell.csv").read_text() == expected
