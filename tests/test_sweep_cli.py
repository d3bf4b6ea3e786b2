"""`rnr sweep` on the command line: bad grid values exit with code 2 and one
sentence, writing nothing; a tiny sweep writes its run directory."""

import csv
import json

import pytest

from rnr.cli import main


@pytest.mark.parametrize("argv, words", [
    (["--lengths", "10,x"], "whole numbers separated by commas"),
    (["--lengths", "10,1"], "at least 2"),
    (["--task", "copy", "--lengths", "0"], "at least 1"),
    (["--lengths", "10,10"], "twice"),
    (["--lengths", ""], "needs at least one value"),
    (["--cells", "rnn,lstmm", "--lengths", "10"], "--cells must be one of: rnn, lstm"),
    (["--task", "addition"], "Unknown task 'addition'"),
    (["--seeds", "0", "--lengths", "10"], "--seeds must be a whole number from 1 to 100000"),
    (["--task", "echo", "--lengths", "10"], "does not use --gaps"),  # the old spelling of --gaps
    (["--task", "echo", "--gaps", "10"], "does not use --gaps"),
    (["--task", "adding", "--gaps", "10", "--windows", "4"], "sweep it with --gaps"),
    (["--gaps", "10", "--plot", "maybe"], "invalid choice: 'maybe'"),
    (["--task", "echo", "--windows", "5000", "--delays", "3"], "between 1 and a batch row (2000 steps"),
    (["--task", "echo", "--windows", "15", "--delays", "-1"], "between 0 and 2000"),
    (["--task", "adding", "--lengths", "10", "--lr", "-1"], "--lr must be a finite number above 0"),
])
def test_bad_grid_values_exit_2_with_a_sentence(tmp_path, capsys, argv, words):
    out = tmp_path / "run"
    assert main(["sweep", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()  # nothing half written


def test_bad_grid_value_in_spanish(tmp_path, capsys):
    assert main(["sweep", "--lang", "es", "--lengths", "10,10", "--out", str(tmp_path / "r")]) == 2
    assert "repite 10" in capsys.readouterr().err


def test_tiny_echo_sweep_writes_results(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["sweep", "--task", "echo", "--cells", "rnn", "--windows", "4", "--delays", "1,2",
                 "--seeds", "2", "--epochs", "1", "--series", "200", "--out", str(out), "--quiet"]) == 0
    rows = list(csv.DictReader(open(out / "results.csv")))
    assert len(rows) == 4
    assert {(r["gap"], r["seed"]) for r in rows} == {("1", "0"), ("1", "1"), ("2", "0"), ("2", "1")}
    for r in rows:
        assert r["cell"] == "rnn" and r["task"] == "echo" and r["baseline"] == "0.5"
        assert r["solved"] == str(float(r["value"]) >= 0.99)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs"] == 4 and len(summary["results"]) == 2
    mean = sum(float(r["value"]) for r in rows if r["gap"] == "1") / 2
    assert abs(next(s["mean"] for s in summary["results"] if s["gap"] == 1) - mean) < 1e-12
    assert (out / "sweep.png").stat().st_size > 1000
    assert (out / "config.json").exists() and (out / "metrics.jsonl").exists()
    lines = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [(r["step"], r["window"], r["delays"], r["seeds"]) for r in lines] == [(1, 4, [1, 1, 2, 2], [0, 1, 0, 1])]
    assert sorted(d.name for d in (out / "tb").iterdir()) == [
        f"rnn_window4_delay{d}_seed{s}" for d in (1, 2) for s in (0, 1)]  # one TensorBoard run each
    assert "| rnn, window 4 |" in (out / "table.md").read_text()
