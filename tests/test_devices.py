"""Data parallel training (rnr.engine.devices): the batch rows split over host
devices give the one-device losses window by window, and a checkpoint is the
same file whatever the device count, so a run resumes on 1, 2 or 4 devices."""

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import jax
import numpy as np
import pytest

from rnr.errors import UserError
from rnr.text import load_model
from rnr.text import train as tr
from rnr.text.config import TextConfig
from text_helpers import SPANISH
from helpers import SRC

CFG = TextConfig(cell="lstm", layers=2, hidden=12, embed=6, batch=4, window=8, lr=1e-2, chunk=5,
                 eval_every=10, sample_length=0, steps=20)
TEXT = SPANISH * 4


def window_losses(run_dir):
    out = {}
    for line in (Path(run_dir) / "metrics.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if "losses" in rec:
            first = rec["step"] - len(rec["losses"]) + 1
            out.update({first + i: v for i, v in enumerate(rec["losses"])})
    return np.array([out[k] for k in sorted(out)])


@pytest.fixture(scope="module")
def one_device(tmp_path_factory):
    run = tmp_path_factory.mktemp("dev") / "one"
    tr.train(tr.prepare(dataclasses.replace(CFG, devices=1), TEXT), run)
    return run


def test_host_devices_exist():
    assert len(jax.local_devices()) >= 2  # rnr.engine.xla makes one CPU device per core (2 here at least)


def test_two_devices_equal_one_window_by_window(one_device, tmp_path):
    run = tmp_path / "two"
    s = tr.train(tr.prepare(dataclasses.replace(CFG, devices=2), TEXT), run)
    a, b = window_losses(one_device), window_losses(run)
    assert len(a) == len(b) == 20
    np.testing.assert_allclose(b, a, rtol=1e-5)
    np.testing.assert_allclose(s["val_loss"], json.loads((one_device / "summary.json").read_text())["val_loss"],
                               rtol=1e-5)
    _, pa, _ = load_model(one_device)
    _, pb, _ = load_model(run)
    for x, y in zip(jax.tree_util.tree_leaves(pa), jax.tree_util.tree_leaves(pb)):
        np.testing.assert_allclose(np.asarray(y), np.asarray(x), rtol=1e-4, atol=1e-6)


def test_a_control_with_another_batch_differs(one_device, tmp_path):
    run = tmp_path / "other"
    tr.train(tr.prepare(dataclasses.replace(CFG, devices=2, batch=2), TEXT), run)
    assert not np.allclose(window_losses(run)[:5], window_losses(one_device)[:5], rtol=1e-5)


def test_a_batch_that_does_not_split_is_refused():
    with pytest.raises(UserError) as e:
        tr.train(tr.prepare(dataclasses.replace(CFG, devices=3, batch=4), TEXT), None)
    assert e.value.key in ("devices_batch", "devices_too_many")
    with pytest.raises(UserError) as e:
        tr.train(tr.prepare(dataclasses.replace(CFG, devices=2, batch=3), TEXT), None)
    assert e.value.key == "devices_batch"


def test_resume_on_another_device_count(one_device, tmp_path):
    """Trained on 2 devices for 10 windows, resumed on 4 (another process,
    JAX_NUM_CPU_DEVICES=4) then on 1: the losses of the uninterrupted one-device run."""
    run = tmp_path / "moved"
    corpus = tmp_path / "es.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    tr.train(tr.prepare(dataclasses.replace(CFG, devices=2, steps=10), TEXT, str(corpus)), run)
    env = {**os.environ, "JAX_NUM_CPU_DEVICES": "4", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    p = subprocess.run([sys.executable, "-m", "rnr", "text", "train", "--resume", str(run), "--steps", "15",
                        "--devices", "4", "--quiet"], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    tr.train(tr.prepare(dataclasses.replace(CFG, devices=1), TEXT), run, resume=True)
    np.testing.assert_allclose(window_losses(run), window_losses(one_device), rtol=1e-5)
