"""`rnr eco` end to end: run directory, Spanish, bad input, divergence."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from rnr.cli import main


def run_cli(*args, env=None):
    e = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run([sys.executable, "-m", "rnr", *args], capture_output=True, text=True, env=e)


def test_eco_writes_the_run_directory(tmp_path):
    out = tmp_path / "run"
    p = run_cli("eco", "--epochs", "3", "--length", "10000", "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert "New data, epoch 2" in p.stdout and "Step 100 Loss" in p.stdout
    files = {f.name for f in out.iterdir()}
    assert {"config.json", "metrics.jsonl", "summary.json", "last.safetensors",
            "training.png", "loss.png"} <= files
    assert not [f for f in files if f.endswith(".tmp")]
    summary = json.loads((out / "summary.json").read_text())
    for key in ("final_loss", "accuracy", "epochs", "compile_seconds", "train_seconds",
                "windows_per_second", "cell", "seed"):
        assert key in summary
    lines = [json.loads(s) for s in (out / "metrics.jsonl").read_text().splitlines()]
    means = [r["mean_loss"] for r in lines if "mean_loss" in r]
    assert len(means) == 3
    np.testing.assert_allclose(means[-1], summary["final_loss"], rtol=1e-6)
    config = json.loads((out / "config.json").read_text())
    assert config["epochs"] == 3 and config["task"] == "echo"
    assert (out / "training.png").read_bytes()[:4] == b"\x89PNG"


def test_spanish_progress_and_summary(tmp_path):
    p = run_cli("eco", "--epochs", "1", "--length", "3000", "--out", str(tmp_path / "r"), "--lang", "es")
    assert p.returncode == 0, p.stderr
    assert "Datos nuevos, época 0" in p.stdout and "Pérdida" in p.stdout and "Listo" in p.stdout


def test_spanish_from_locale(tmp_path, capsys):
    p = run_cli("eco", "--lr", "0", env={"LANG": "es_ES.UTF-8", "LC_ALL": ""})
    assert p.returncode == 2 and "--lr debe ser un número finito mayor que 0" in p.stderr


@pytest.mark.parametrize("args,needle", [
    (["--window", "20000"], "longer than a batch row"),
    (["--epochs", "0"], "Say when to stop: give --epochs above 0."),
    (["--hidden", "-2"], "--hidden must be a whole number from 1 to 100000"),
    (["--delay", "-1"], "--delay must be a whole number from 0 to 1000000000"),
    (["--lr", "-0.3"], "--lr must be a finite number above 0"),
    (["--cell", "transformer"], "--cell must be one of: rnn, lstm, gru"),
    (["--optimizer", "lbfgs"], "--optimizer must be one of: adagrad"),
    (["--init", "xavier"], "--init must be one of: torch, tutorial"),
    (["--epochs", "many"], "'many' is not a whole number"),
])
def test_bad_input_is_one_sentence_and_exit_2(tmp_path, capsys, args, needle):
    out = tmp_path / "never"
    code = main(["eco", *args, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_unwritable_out_and_existing_run(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["eco", "--out", str(blocker / "run")]) == 2
    assert "Cannot write the run directory" in capsys.readouterr().err
    run = tmp_path / "done"
    run.mkdir()
    (run / "config.json").write_text("{}")
    assert main(["eco", "--out", str(run)]) == 2
    assert "already holds a run" in capsys.readouterr().err
    assert (run / "config.json").read_text() == "{}"


def test_divergence_stops_with_last_good_parameters(tmp_path, capsys):
    from rnr.echo import experiment as eco

    out = tmp_path / "nan"
    code = main(["eco", "--optimizer", "sgd", "--lr", "1e38", "--epochs", "3", "--length", "3000",
                 "--init", "torch", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "diverged" in err
    _, params = eco.load_run(out)
    import jax

    assert all(np.isfinite(a).all() for a in jax.tree_util.tree_leaves(params))


def test_corrupt_checkpoint_is_reported(tmp_path):
    from rnr.echo import experiment as eco
    from rnr.errors import UserError

    out = tmp_path / "r"
    assert main(["eco", "--epochs", "1", "--length", "1500", "--plot", "none", "--quiet", "--out", str(out)]) == 0
    cfg, params = eco.load_run(out)
    assert cfg.epochs == 1
    (out / "last.safetensors").write_bytes(b"not a checkpoint")
    with pytest.raises(UserError) as e:
        eco.load_run(out)
    assert e.value.key == "checkpoint_corrupt"


def _interrupt_after(args, line_wanted, tmp_path):
    import signal

    e = {**os.environ, "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}
    p = subprocess.Popen([sys.executable, "-m", "rnr", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=e)
    for line in p.stdout:
        if line_wanted in line:
            break
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    return p.returncode, err


def test_ctrl_c_during_training_saves_a_loadable_run(tmp_path):
    from rnr.echo import experiment as eco

    out = tmp_path / "int"
    code, err = _interrupt_after(["eco", "--epochs", "1000000", "--out", str(out)], "New data, epoch 2", tmp_path)
    assert code == 130 and "Traceback" not in err and "saved" in err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] and summary["epochs"] >= 2
    cfg, params = eco.load_run(out)
    assert cfg.epochs == 1000000


def test_ctrl_c_before_training_leaves_nothing(tmp_path):
    out = tmp_path / "early"
    code, err = _interrupt_after(["eco", "--out", str(out)], "Compiling", tmp_path)
    assert code == 130 and "Traceback" not in err
    assert not out.exists()


def test_checkpoint_round_trip_keeps_scalars_and_shapes(tmp_path):
    import jax.numpy as jnp

    from rnr.io import checkpoint

    tree = {"step": jnp.asarray(7, jnp.int32), "w": [jnp.ones((2, 3)), jnp.zeros(4)]}
    checkpoint.save(tmp_path / "c.safetensors", tree)
    back, meta = checkpoint.load(tmp_path / "c.safetensors", tree)
    assert meta == {}
    assert back["step"].shape == () and int(back["step"]) == 7
    assert back["w"][0].shape == (2, 3) and back["w"][1].shape == (4,)
