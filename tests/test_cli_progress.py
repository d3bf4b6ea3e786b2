"""Progress, the same everywhere (rnr.cli.progress): a bar with rate and time left
on a terminal, one line per log point elsewhere; the time left with a time
budget and with a sweep's compiling still ahead; `rnr eco` prints the
tutorial's lines for its first three epochs and the last, one line per epoch
between (every line with --verbose), with the same training results.

A terminal with no columns gets the log lines; a reader that leaves
(``| head``) or a closed stdout never stops a command: training ends with
its summary and figures, and predict/eval/sample end quietly."""

import io
import json
import math
import os
import re
import subprocess
import sys

import pytest

from rnr import cli
from rnr.cli.progress import Progress, clock
from helpers import SRC


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Log(io.StringIO):
    def isatty(self):
        return False


# ---------------------------------------------------------------- rnr.cli.progress

def test_one_line_per_log_point_off_a_terminal(capsys):
    p = Progress("en", every=100, stream=Log())
    p.start(0, 400, math.inf)
    for k, loss in zip(range(50, 401, 50), (4, 2, 3, 3, 1, 1, 1, 1)):
        p.update(k, float(loss), k / 1000)  # 1,000 windows/s
    p.close()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    # the mean loss of the windows since the last line, the rate, the time left at that rate
    assert lines[0] == "100/400 windows: loss 3.0000, 1,000 windows/s, 0:00 left"
    assert lines[1].startswith("200/400 windows: loss 3.0000")
    assert lines[3].startswith("400/400 windows: loss 1.0000")


def test_time_left_from_the_rate_the_budget_and_pending_work():
    p = Progress("en", stream=Log())
    p.start(1000, 5000, math.inf)  # resumed at 1,000: the rate counts this invocation only
    assert p.eta(2000, 10.0) == pytest.approx(30.0)  # 3,000 windows at 100/s
    assert p.eta(2000, 10.0, pending=12.0) == pytest.approx(42.0)
    p.start(0, None, 120.0)  # only a time budget: it says when training ends
    assert p.eta(500, 45.0) == pytest.approx(75.0)
    assert p.fraction(500, 30.0) == pytest.approx(0.25)
    p.start(0, 10_000, 60.0)  # both: whichever comes first
    assert p.eta(1000, 20.0) == pytest.approx(40.0)
    assert p.eta(9000, 20.0) == pytest.approx(20 / 9)
    p.start(0, None, math.inf)
    assert p.eta(10, 1.0) is None
    assert clock(59.6) == "1:00" and clock(3725) == "1:02:05"


def test_time_budget_line_has_time_left(capsys):
    p = Progress("es", every=100, stream=Log())
    p.start(0, None, 300.0)
    p.update(100, 2.5, 60.0)
    assert capsys.readouterr().out == "100 ventanas: pérdida 2,5000, 2 ventanas/s, faltan 4:00\n"


def test_a_bar_with_rate_and_time_left_on_a_terminal(capsys):
    term = Terminal()
    p = Progress("es", every=100, stream=term, refresh_seconds=0)
    p.start(0, 66_600, math.inf)
    p.update(6_660, 0.0123, 0.1)
    p.write("una línea del registro")
    p.close()
    drawn = term.getvalue()
    assert " 10% |#" in drawn
    assert "6.660/66.600 ventanas, pérdida 0,0123, 66.600 ventanas/s, faltan 0:01" in drawn
    assert capsys.readouterr().out == "una línea del registro\n"  # log lines go above the bar, to stdout


def test_a_bar_for_a_time_budget_alone():
    term = Terminal()
    p = Progress("en", stream=term, refresh_seconds=0)
    p.start(0, None, 100.0)
    p.update(500, 1.0, 50.0)
    p.close()
    assert " 50% |#####" in term.getvalue() and "500 windows, loss 1.0000, 10 windows/s, 0:50 left" in term.getvalue()


def test_quiet_prints_nothing(capsys):
    term = Terminal()
    p = Progress("en", quiet=True, every=1, stream=term)
    p.start(0, 10, math.inf)
    p.update(5, 1.0, 1.0)
    p.write("x")
    p.close()
    assert term.getvalue() == "" and capsys.readouterr().out == ""


def test_epoch_lines_skip_the_epochs_that_print_their_own(capsys):
    p = Progress("en", stream=Log(), per_epoch=10, epoch_line=lambda e: e not in (0, 3))
    p.start(0, 40, math.inf)
    for k in range(5, 41, 5):
        p.update(k, float(k), k / 100)
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["Epoch 1", "Epoch 2"]
    assert out[0].startswith("Epoch 1: mean loss 17.500000 (2/4 epochs done), 100 windows/s")


def test_a_terminal_without_columns_gets_log_lines(capsys):
    """A new pseudo-terminal reports 0 x 0, as some containers do: no bar it could not show."""
    leader, follower = os.openpty()
    try:
        with open(follower, "w", closefd=False) as term:
            assert term.isatty() and os.get_terminal_size(follower).columns == 0
            p = Progress("en", every=100, stream=term)
            p.start(0, 200, math.inf)
            p.update(100, 2.0, 0.1)
            p.update(200, 1.0, 0.2)
            p.close()
    finally:
        os.close(leader)
        os.close(follower)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["100/200 windows", "200/200 windows"]


# ---------------------------------------------------------------- the sweep's compile time

def test_sweep_time_left_counts_the_groups_still_to_compile():
    from rnr.sweep import grid as sweep

    p = sweep.Progress(done=10, total=40, group={}, train_seconds=2.0, compile_seconds=6.0, compiled=1, groups=4)
    assert p.pending() == pytest.approx(18.0)  # three groups at 6 s each
    cfg = sweep.SweepConfig.for_task("echo", cells=("rnn",), windows=(4, 5), delays=(1,), seeds=1, epochs=2,
                                     series=200)
    seen = []
    sweep.run(cfg, on_progress=seen.append)
    assert [s.compiled for s in seen] == [1, 1, 2, 2] and all(s.groups == 2 for s in seen)
    assert seen[0].compile_seconds > 0 and seen[0].pending() == pytest.approx(seen[0].compile_seconds)
    assert seen[-1].pending() == 0
    assert seen[-1].train_seconds < seen[-1].compile_seconds + seen[-1].train_seconds


# ---------------------------------------------------------------- rnr eco

def eco(tmp_path, capsys, *args):
    out = tmp_path / "run"
    assert cli.main(["eco", "--plot", "none", "--out", str(out), "--lang", "en", *args]) == 0
    return capsys.readouterr().out.splitlines(), json.loads((out / "summary.json").read_text())


def test_eco_lines_off_a_terminal(tmp_path, capsys):
    lines, summary = eco(tmp_path / "a", capsys, "--epochs", "6", "--series-length", "3000")
    new_data = [int(line.split()[-1]) for line in lines if line.startswith("New data, epoch")]
    assert new_data == [0, 1, 2, 5]  # the tutorial's lines: the first three epochs and the last
    assert sum(line.startswith("Step 0 Loss") for line in lines) == 4  # 40 windows an epoch: one Step line
    epochs = [line for line in lines if line.startswith("Epoch ")]
    assert [e.split(":")[0] for e in epochs] == ["Epoch 3", "Epoch 4"]
    assert re.fullmatch(r"Epoch 3: mean loss \d\.\d{6} \(4/6 epochs done\), [\d,]+ windows/s, \d+:\d\d left", epochs[0])
    assert len(lines) == 1 + 4 * 2 + 2 + 2
    assert lines[0] == "Compiling the training loop..." and lines[-2].startswith("Done: final-epoch mean loss")
    assert lines[-1].startswith("Results in ")

    verbose, again = eco(tmp_path / "b", capsys, "--epochs", "6", "--series-length", "3000", "--verbose")
    assert [int(x.split()[-1]) for x in verbose if x.startswith("New data")] == [0, 1, 2, 3, 4, 5]
    assert not [x for x in verbose if x.startswith("Epoch ")] and len(verbose) == 1 + 6 * 2 + 2
    for key in ("final_loss", "accuracy", "epochs", "windows"):  # printing changes nothing trained
        assert again[key] == summary[key]

    quiet, _ = eco(tmp_path / "c", capsys, "--epochs", "6", "--series-length", "3000", "--quiet")
    assert len(quiet) == 2 and quiet[0].startswith("Done:")


def test_eco_default_run_prints_about_a_hundred_and_thirty_lines(tmp_path, capsys):
    """The tutorial's 100 epochs of 666 windows: 4 x (1 + 7) tutorial lines, 96 epoch lines."""
    lines, summary = eco(tmp_path, capsys)
    assert summary["epochs"] == 100
    assert sum(x.startswith("Step ") for x in lines) == 4 * 7
    assert sum(x.startswith("Epoch ") for x in lines) == 96
    assert len(lines) == 1 + 4 * 8 + 96 + 2


# ---------------------------------------------------------------- a reader that leaves

ENV = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_eco_piped_into_head_still_finishes_its_run(tmp_path):
    """`rnr eco | head -5`: head leaves after five lines, training goes on and
    the run folder gets its summary and figures; no traceback."""
    run = tmp_path / "run"
    eco = subprocess.Popen([sys.executable, "-m", "rnr", "eco", "--out", str(run), "--lang", "en"], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = subprocess.Popen(["head", "-5"], stdin=eco.stdout, stdout=subprocess.PIPE)
    eco.stdout.close()  # head alone reads it now
    shown = head.communicate(timeout=300)[0].decode().splitlines()
    err = eco.communicate(timeout=300)[1].decode()
    assert len(shown) == 5 and shown[0] == "Compiling the training loop..."
    assert eco.returncode == 0 and err == "", err
    summary = json.loads((run / "summary.json").read_text())
    assert summary["epochs"] == 100
    assert (run / "training.png").stat().st_size > 0 and (run / "loss.png").stat().st_size > 0


def test_predict_and_sample_to_a_closed_stdout_end_quietly(tmp_path):
    from test_series_cli import SMALL, make_ts

    train = make_ts(tmp_path / "t.ts", 20, 3)
    assert cli.main(["series", "train", str(train), "--out", str(tmp_path / "s"), "--epochs", "2", *SMALL]) == 0
    corpus = tmp_path / "es.txt"
    corpus.write_text("hola mundo, " * 400, encoding="utf-8")
    assert cli.main(["text", "train", str(corpus), "--out", str(tmp_path / "t"), "--steps", "2", "--hidden", "8",
                     "--batch", "2", "--window", "8", "--chunk", "2", "--eval-every", "2", "--sample-chars", "0",
                     "--quiet"]) == 0
    for args in (["series", "predict", str(tmp_path / "s"), str(train)], ["series", "eval", str(tmp_path / "s"), str(train)],
                 ["text", "sample", str(tmp_path / "t"), "--chars", "20"]):
        line = " ".join(f"'{a}'" for a in [sys.executable, "-m", "rnr", *args])
        p = subprocess.run(["bash", "-c", line + " >&-"], env=ENV, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and p.stderr == "", (args, p.stderr)
