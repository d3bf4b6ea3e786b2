"""loss.png of a text run: written at the end of training, from metrics.jsonl,
the whole history of a resumed run, in nats with bits on the right."""

from __future__ import annotations

import dataclasses
import json
import math
import struct

import numpy as np

from rnr.text import train as tr
from rnr.text.config import TextConfig
from rnr.text import figures as text_figure
from text_helpers import SPANISH

TINY = TextConfig(cell="lstm", hidden=8, embed=4, batch=3, window=8, lr=1e-2, chunk=3, eval_every=6,
                  sample_length=0, steps=12)


def test_text_run_writes_its_loss_figure(tmp_path):
    text = SPANISH * 3
    tr.train(tr.prepare(dataclasses.replace(TINY, steps=6), text), tmp_path)
    tr.train(tr.prepare(TINY, text), tmp_path, resume=True)  # resumed: the figure shows all 12 windows
    head = (tmp_path / "loss.png").read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (900, 450)
    # the numbers drawn are the ones logged, window by window
    want, val = {}, []
    for line in (tmp_path / "metrics.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if "losses" in rec:
            want.update({rec["step"] - len(rec["losses"]) + i: v for i, v in enumerate(rec["losses"])})
        if "val_loss" in rec:
            val.append((rec["step"], rec["val_loss"]))
    train, vs, vl = text_figure.read_metrics(tmp_path / "metrics.jsonl")
    assert sorted(want) == list(range(12))
    np.testing.assert_allclose(train, [want[k] for k in range(12)])
    assert list(zip(vs, vl)) == val and len(val) >= 2
    per_epoch = tr.prepare(TINY, text).X.shape[0]
    fig = text_figure.loss_figure(train, vs, vl, per_epoch, "es")
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), train)
    val_line = next(ln for ln in ax.lines if ln.get_label() == "validación (texto reservado)")
    np.testing.assert_allclose(val_line.get_ydata(), vl)
    assert ax.get_ylabel() == "pérdida: entropía cruzada (nats)"
    fig.draw_without_rendering()
    bits = ax.child_axes[0]  # the secondary axis: nats / ln 2
    assert bits.get_ylabel() == "bits por carácter"
    lo, hi = ax.get_ylim()
    np.testing.assert_allclose(bits.get_ylim(), (lo / math.log(2), hi / math.log(2)), rtol=1e-6)
