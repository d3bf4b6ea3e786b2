import dataclasses
import json

import numpy as np

from rnr.text import load_model, train as tr
from rnr.text.config import TextConfig
from rnr.text.config import config_dict
from text_helpers import SPANISH

TINY = TextConfig(cell="lstm", layers=2, hidden=16, embed=8, dropout=0.3, batch=3, window=8, lr=1e-2,
                  chunk=3, eval_every=6, sample_length=0, steps=12)


def window_losses(run_dir):
    out = {}
    for line in (run_dir / "metrics.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if "losses" in rec:
            first = rec["step"] - len(rec["losses"]) + 1
            out.update({first + i: v for i, v in enumerate(rec["losses"])})
    return out


def test_resume_equals_uninterrupted(tmp_path):
    text = SPANISH * 3
    whole, split = tmp_path / "whole", tmp_path / "split"
    whole.mkdir()
    split.mkdir()
    tr.train(tr.prepare(TINY, text), whole)
    tr.train(tr.prepare(dataclasses.replace(TINY, steps=6), text), split)
    s = tr.train(tr.prepare(TINY, text), split, resume=True)
    a, b = window_losses(whole), window_losses(split)
    assert sorted(a) == sorted(b) == list(range(1, 13))
    np.testing.assert_allclose([b[k] for k in range(7, 13)], [a[k] for k in range(7, 13)], rtol=1e-6, atol=0)
    assert s["steps"] == 12
    for d in (whole, split):  # load_model needs config.json
        (d / "config.json").write_text(json.dumps(config_dict(TINY, tr.Vocab.from_text(text), "x", text)))
    _, pa, _ = load_model(whole)
    _, pb, _ = load_model(split)
    np.testing.assert_allclose(pa["layers"][0]["W"], pb["layers"][0]["W"], rtol=1e-6, atol=1e-7)


def test_tiny_model_overfits_a_short_text(tmp_path):
    line = "en un lugar de la mancha, de cuyo nombre no quiero acordarme\n"
    text = line * 12
    cfg = TextConfig(cell="lstm", hidden=48, embed=16, batch=4, window=16, lr=1e-2, chunk=50,
                     eval_every=1000, sample_length=0, steps=400)
    s = tr.train(tr.prepare(cfg, text), tmp_path)
    # the text is periodic, so a model that learnt it predicts almost every
    # character; a uniform guess would cost log(V) ~ 3 nats
    assert s["train_loss"] < 0.15
    assert s["val_loss"] < 0.3
