"""The command line: bad input gives exit code 2, one sentence, nothing written;
Ctrl-C leaves a checkpoint that loads; export writes a file torch reads."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnr.cli import main
from text_helpers import SPANISH
from helpers import SRC, one_sentence

SMALL = ["--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8", "--chunk", "4",
         "--eval-every", "4", "--sample-length", "10", "--quiet"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    text = root / "es.txt"
    text.write_text(SPANISH * 3, encoding="utf-8")
    run = root / "run"
    assert main(["text", "train", str(text), "--out", str(run), "--steps", "8", *SMALL]) == 0
    return text, run


def snapshot(d):
    return {p: p.read_bytes() for p in Path(d).rglob("*") if p.is_file()}


def test_bad_text_files(tmp_path, capsys):
    out = tmp_path / "out"
    cases = {"missing.txt": None, "empty.txt": b"", "binary.bin": b"abc\x00\x01def" * 20,
             "latin1.txt": "año, señor".encode("latin-1") * 50, "short.txt": "hola mundo".encode()}
    for name, content in cases.items():
        f = tmp_path / name
        if content is not None:
            f.write_bytes(content)
        one_sentence(capsys, ["text", "train", str(f), "--out", str(out), "--steps", "2"])
        assert not out.exists()  # nothing created
    err = one_sentence(capsys, ["text", "train", str(tmp_path / "latin1.txt"), "--steps", "2", "--lang", "es"])
    assert "UTF-8" in err and "no es" in err


def test_bad_runs_and_checkpoints(tmp_path, capsys, trained):
    text, run = trained
    eco = tmp_path / "eco"
    assert main(["eco", "--epochs", "1", "--length", "200", "--plot", "none", "--quiet", "--out", str(eco)]) == 0
    capsys.readouterr()
    one_sentence(capsys, ["text", "sample", str(eco)])  # another task
    one_sentence(capsys, ["text", "train", "--resume", str(eco), "--steps", "3"])
    one_sentence(capsys, ["text", "sample", str(tmp_path)])  # not a run
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in ("config.json", "last.safetensors"):
        (bad / f).write_bytes((run / f).read_bytes())
    (bad / "best.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all")
    (bad / "last.safetensors").write_bytes((run / "last.safetensors").read_bytes()[:300])
    before = snapshot(bad)
    one_sentence(capsys, ["text", "sample", str(bad)])
    one_sentence(capsys, ["text", "eval", str(bad), str(text)])
    one_sentence(capsys, ["text", "train", "--resume", str(bad), "--steps", "20"])
    one_sentence(capsys, ["export", str(bad), "--torch", str(tmp_path / "x.safetensors")])
    assert snapshot(bad) == before and not (tmp_path / "x.safetensors").exists()
    err = one_sentence(capsys, ["text", "sample", str(run), "--prime", "Zzq€"])
    assert "'€'" in err
    other = tmp_path / "other.txt"
    other.write_text(SPANISH * 4, encoding="utf-8")
    before = snapshot(run)
    one_sentence(capsys, ["text", "train", str(other), "--resume", str(run), "--steps", "20"])
    one_sentence(capsys, ["text", "train", str(text), "--out", str(run), "--steps", "20"])
    assert snapshot(run) == before


def test_sample_eval_resume_export(tmp_path, capsys, trained):
    text, run = trained
    capsys.readouterr()
    assert main(["text", "sample", str(run), "--prime", "¿Dónde", "--length", "30", "--seed", "4"]) == 0
    a = capsys.readouterr().out
    assert main(["text", "sample", str(run), "--prime", "¿Dónde", "--length", "30", "--seed", "4"]) == 0
    assert capsys.readouterr().out == a and a.startswith("¿Dónde") and len(a.rstrip("\n")) >= 36
    assert main(["text", "eval", str(run), str(text)]) == 0
    assert "bits/char" in capsys.readouterr().out
    out = tmp_path / "m.safetensors"
    assert main(["export", str(run), "--torch", str(out)]) == 0
    before = out.read_bytes()
    one_sentence(capsys, ["export", str(run), "--torch", str(out)])  # never overwrites
    assert out.read_bytes() == before


def test_sigint_leaves_a_loadable_checkpoint(tmp_path):
    text = tmp_path / "es.txt"
    text.write_text(SPANISH * 20, encoding="utf-8")
    run = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    args = [sys.executable, "-m", "rnr", "text", "train", str(text), "--out", str(run), "--steps", "10000000",
            "--hidden", "8", "--embed", "4", "--batch", "2", "--window", "8", "--chunk", "2",
            "--eval-every", "100000", "--sample-length", "0", "--quiet"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    metrics = run / "metrics.jsonl"
    deadline = time.time() + 120
    while not (metrics.exists() and metrics.stat().st_size > 0) and time.time() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    from rnr.text import load_model
    from rnr.text.sample import sample
    from rnr.text.vocab import Vocab

    mcfg, params, vocab = load_model(run)
    assert len(sample(mcfg, params, Vocab(vocab), 5, "El")) == 5
    assert main(["text", "train", "--resume", str(run), "--steps", "1", "--quiet"]) == 0  # already past: stops


def test_plot_none_writes_no_figure(tmp_path):
    text = tmp_path / "es.txt"
    text.write_text(SPANISH * 3, encoding="utf-8")
    for plot, drawn in (("none", False), ("end", True)):
        run = tmp_path / plot
        assert main(["text", "train", str(text), "--out", str(run), "--steps", "4", "--plot", plot, *SMALL]) == 0
        assert (run / "loss.png").exists() == drawn
