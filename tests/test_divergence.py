"""Divergence keeps the last good state: a training loss or a validation loss
that is not finite or above the job's ``explode`` stops the run, and the
checkpoint then written is the state from before the chunk that diverged;
best.safetensors never holds a diverged model."""

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from rnr.cli import main
from rnr.engine import loop
from rnr.errors import Diverged
from rnr.io import checkpoint

sys.path.insert(0, str(Path(__file__).parent))
from test_series_cli import make_ts  # noqa: E402
from text_helpers import SPANISH  # noqa: E402

NAN, BIG = float("nan"), 1e30


class FakeJob:
    """A job whose state is the number of windows trained: the checkpoint the
    loop writes says which state it kept. ``train[k]`` is window k's loss (the
    loss of the state k it starts from), ``val[s]`` the validation loss after
    window s; every other loss is 1."""

    stateless, keeps_diverged, evaluate_on_interrupt, stop_early = True, False, False, False
    per_epoch, explode = 1000, 10.0

    def __init__(self, chunk, train, val):
        self.chunk, self.train_losses, self.val = chunk, train, val

    def compile(self, state, n):
        pass

    def begin_epoch(self, state, epoch):
        return state

    def train(self, state, pos, n, step):
        return state + n, np.array([self.train_losses.get(step + i, 1.0) for i in range(n)])

    def finite(self, state):
        return True

    def evaluate(self, state, position):
        return {"step": position.step, "val_loss": self.val.get(position.step, 1.0)}

    def validation_loss_of(self, result):
        return result["val_loss"]


# chunk, eval_every, steps limit, training losses, validation losses -> the state kept, from validation
CASES = [
    (1, 1, 40, {}, {3: NAN}, 2, True),  # validation NaN after window 3: the state before that chunk
    (1, 1, 40, {}, {3: BIG}, 2, True),  # validation above explode
    (4, 4, 40, {}, {8: math.inf}, 4, True),
    (1, 0, 5, {}, {5: NAN}, 4, True),  # the final evaluation finds it: the checkpoint before it is replaced
    (1, 1, 40, {3: NAN}, {}, 2, False),  # window 3's own loss: state 3 was bad already, state 2 is kept
    (4, 0, 40, {10: BIG}, {}, 8, False),  # inside a chunk: the state the chunk began from
    (4, 0, 40, {8: NAN}, {}, 4, False),  # the chunk's first window: the state before the chunk ahead
]


@pytest.mark.parametrize("chunk, every, steps, train, val, kept, validation", CASES)
def test_the_loop_keeps_the_last_good_state(chunk, every, steps, train, val, kept, validation):
    saved = []
    job = FakeJob(chunk, train, val)
    with pytest.raises(Diverged) as e:
        loop.run(job, 0, loop.Limits(steps=steps), save=lambda s, p: saved.append((s, p.step)), eval_every=every,
                 stop=loop.StopFlag())
    assert saved[-1] == (kept, kept)
    assert getattr(e.value, "validation", False) == validation


# ------------------------------------------------------------ through the commands

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    f = tmp_path_factory.mktemp("div") / "tiny.txt"
    f.write_text(SPANISH * 40, encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def ramps(tmp_path_factory):
    return make_ts(tmp_path_factory.mktemp("div") / "train.ts", 24, 0)


TEXT = ["--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8", "--sample-chars", "0", "--quiet"]

RUNS = [  # a command line that diverges; "validation" when the validation loss shows it first
    (["text", "train", "CORPUS", "--chunk", "1", "--eval-every", "1", "--lr", "1e30", "--steps", "40", *TEXT],
     "validation"),
    (["text", "train", "CORPUS", "--chunk", "4", "--eval-every", "4", "--optimizer", "sgd", "--lr", "1e30",
      "--clip", "0", "--steps", "40", *TEXT], "loss"),
    (["series", "train", "RAMPS", "--hidden", "8", "--batch", "4", "--eval-every", "1", "--lr", "1e30",
      "--epochs", "20", "--quiet"], "loss"),
]


@pytest.mark.parametrize("argv, words", RUNS)
def test_a_diverged_run_keeps_sound_checkpoints(tmp_path, corpus, ramps, capsys, argv, words):
    run = tmp_path / "boom"
    argv = [str(corpus) if a == "CORPUS" else str(ramps) if a == "RAMPS" else a for a in argv]
    assert main([*argv, "--out", str(run)]) == 2
    err = capsys.readouterr().err.strip()
    assert "diverged" in err and words in err and "\n" not in err, err
    for name in ("last.safetensors", "best.safetensors"):
        if (run / name).exists():
            arrays, meta = checkpoint.read(run / name)
            params = [v for k, v in arrays.items() if k.startswith("params.")]
            assert max(float(np.abs(v).max()) for v in params) < 1e3, name  # no weight near 1e30
            best = meta.get("extra", meta).get("best_val", meta.get("val_loss"))
            assert best is None or (math.isfinite(best) and best < 100), (name, meta)
    metrics = run / "metrics.jsonl"
    for line in metrics.read_text().splitlines() if metrics.exists() else []:  # strict JSON, no diverged best
        rec = json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in metrics.jsonl"))
        assert rec.get("val_loss") is None or rec["val_loss"] < 100


def test_a_sweep_reports_diverged_runs_and_exits_2_when_all_diverge(tmp_path, capsys):
    """Per run: a non-finite final loss is a diverged run, counted apart from
    the mean; when every run diverges the results are still written and the
    sweep says so in one sentence with exit code 2."""
    import csv

    small = ["--cells", "rnn", "--gaps", "5", "--seeds", "2", "--steps", "20", "--hidden", "8", "--clip", "0",
             "--plot", "none", "--quiet"]
    assert main(["sweep", *small, "--lr", "1e30", "--out", str(tmp_path / "all")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: Every run of the sweep diverged (all 2)")
    summary = json.loads((tmp_path / "all" / "summary.json").read_text())
    assert summary["results"][0]["diverged"] == 2 and summary["results"][0]["mean"] is None
    assert "diverged (0/2)" in (tmp_path / "all" / "table.md").read_text()
    rows = list(csv.DictReader((tmp_path / "all" / "results.csv").open()))
    assert [r["diverged"] for r in rows] == ["True", "True"]
    assert main(["sweep", *small, "--lr", "0.01", "--out", str(tmp_path / "none")]) == 0  # the control
    summary = json.loads((tmp_path / "none" / "summary.json").read_text())
    assert summary["results"][0]["diverged"] == 0 and math.isfinite(summary["results"][0]["mean"])


def test_the_sweep_figure_leaves_diverged_runs_out_of_the_mean():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rnr.sweep import figures

    rows = [{"gap": 5, "value": v, "solved": False, "diverged": not math.isfinite(v)} for v in (0.2, 0.4, NAN)]
    fig, ax = plt.subplots()
    figures._line(ax, rows, lambda r: r["value"], "C0", "o", "rnn", 0.0, False)
    assert ax.lines[0].get_ydata()[0] == pytest.approx(0.3)  # the two runs that did not diverge
    plt.close(fig)


def test_the_sweep_figure_counts_a_diverged_run_as_unsolved():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rnr.sweep import figures

    rows = [{"gap": 5, "value": v, "solved": s, "diverged": not math.isfinite(v)}
            for v, s in ((0.01, True), (0.4, False), (NAN, False))]
    fig, ax = plt.subplots()
    figures._line(ax, rows, lambda r: float(r["solved"]), "C0", "o", "rnn", 0.0, False, dots=False,
                  diverged_count=True)
    assert ax.lines[0].get_ydata()[0] == pytest.approx(1 / 3)  # as summary.json's "solved": over every run
    plt.close(fig)
