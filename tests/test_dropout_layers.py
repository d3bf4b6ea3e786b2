"""``--dropout`` drops units between stacked layers only (as ``torch.nn.LSTM``),
so a new run with one layer and a dropout rate is refused in one sentence
(PyTorch warns and trains without dropout); a stored run keeps loading."""

import json

import numpy as np
import pytest

from helpers import one_sentence
from rnr.cli import main
from test_series_faults import make_ts

TINY = ["--steps", "4", "--eval-every", "2", "--hidden", "4", "--batch", "4", "--quiet", "--plot", "none"]


def test_torch_drops_nothing_with_one_layer():
    """The reference behaviour: torch.nn.LSTM(dropout=...) with one layer is the same function in training mode."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    with pytest.warns(UserWarning):
        lstm = torch.nn.LSTM(3, 5, num_layers=1, dropout=0.5)
    lstm.train()
    x = torch.randn(7, 2, 3)
    a, _ = lstm(x)
    b, _ = lstm(x)
    assert torch.equal(a, b)


def test_series_refuses_dropout_with_one_layer(tmp_path, capsys):
    data = make_ts(tmp_path / "train.ts", n=12)
    out = tmp_path / "run"
    one_sentence(capsys, ["series", "train", str(data), "--dropout", "0.3", "--out", str(out), *TINY],
                 "--dropout 0.3", "--layers 1")
    assert not out.exists()
    err = one_sentence(capsys, ["--lang", "es", "series", "train", str(data), "--dropout", "0.3", "--out", str(out),
                                *TINY], "--dropout 0.3", "--layers 1")
    assert "capas apiladas" in err and not out.exists()
    assert main(["series", "train", str(data), "--dropout", "0.3", "--layers", "2", "--out", str(out), *TINY]) == 0


def test_text_refuses_dropout_with_one_layer(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("abcabcabd " * 200, encoding="utf-8")
    out = tmp_path / "run"
    one_sentence(capsys, ["text", "train", str(corpus), "--dropout", "0.2", "--layers", "1", "--out", str(out),
                          "--steps", "2", "--quiet"], "--dropout 0.2", "--layers 1")
    assert not out.exists()


def test_the_estimator_raises_the_same_sentence(capsys):
    from rnr.series import Classifier

    X = np.random.default_rng(0).normal(size=(12, 6, 1))
    y = np.arange(12) % 2
    with pytest.raises(ValueError, match=r"--dropout 0\.3 would change nothing with --layers 1"):
        Classifier(dropout=0.3, hidden=4, steps=4, eval_every=2, batch=4).fit(X, y)
    from rnr.series import Forecaster

    with pytest.raises(ValueError, match=r"--dropout 0\.5 would change nothing with --layers 1"):
        Forecaster(dropout=0.5, horizon=3, hidden=4, steps=4, eval_every=2).fit(np.sin(np.arange(60) / 3) + 2)


def test_a_stored_run_with_dropout_and_one_layer_still_loads(tmp_path, capsys):
    """A run written before the refusal (config.json edited to say so) is evaluated as before."""
    data = make_ts(tmp_path / "train.ts", n=12)
    out = tmp_path / "run"
    assert main(["series", "train", str(data), "--out", str(out), *TINY]) == 0
    config = json.loads((out / "config.json").read_text())
    config["dropout"] = 0.3
    (out / "config.json").write_text(json.dumps(config))
    capsys.readouterr()
    assert main(["series", "eval", str(out), str(data), "--json"]) == 0
    assert 0.0 <= json.loads(capsys.readouterr().out)["accuracy"] <= 1.0


def test_a_stored_text_run_with_dropout_and_one_layer_is_scored_and_resumed(tmp_path):
    """CharLM.load of such a run: score and fit(resume=True) read its own settings, not a new run's rules."""
    from rnr.text import CharLM

    text = "abcabcabd " * 200
    run = tmp_path / "lm"
    CharLM(hidden=8, embed=4, batch=4, window=16, sample_length=0, eval_every=5, run_dir=str(run)).fit(text, steps=5)
    config = json.loads((run / "config.json").read_text())
    config["dropout"] = 0.3
    (run / "config.json").write_text(json.dumps(config))
    lm = CharLM.load(run)
    assert np.isfinite(lm.score(text)["nats"])
    assert lm.fit(text, steps=8, resume=True).summary_["steps"] == 8
