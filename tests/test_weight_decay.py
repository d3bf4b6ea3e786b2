"""AdamW's decoupled weight decay (``--weight-decay``, series runs): the update
against Adam written out in NumPy (Loshchilov & Hutter 2019, Algorithm 2), and
a run that keeps the setting and shrinks its weights."""

import json

import jax.numpy as jnp
import numpy as np
import pytest

from rnr.engine import optim


def adamw_numpy(w, grads, lr, wd, b1=0.9, b2=0.999, eps=1e-8):
    """The weights after each gradient in ``grads``: Adam's step plus lr * wd * w."""
    m, v, out = np.zeros_like(w), np.zeros_like(w), []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        step = (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        w = w - lr * (step + wd * w)
        out.append(w.copy())
    return out


@pytest.mark.parametrize("wd", [0.0, 0.5])
def test_adam_with_weight_decay_is_adamw(wd):
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(5).astype(np.float32)
    grads = [rng.standard_normal(5).astype(np.float32) for _ in range(4)]
    opt = optim.Spec("adam", 0.01, None, weight_decay=wd).make()
    params = {"w": jnp.asarray(w0)}
    state = opt.init(params)
    for g, want in zip(grads, adamw_numpy(w0.astype(np.float64), grads, 0.01, wd)):
        u, state = opt.update({"w": jnp.asarray(g)}, state, params)
        params = {"w": params["w"] + u["w"]}
        np.testing.assert_allclose(np.asarray(params["w"]), want, rtol=1e-5, atol=1e-6)


def test_a_series_run_keeps_its_weight_decay(tmp_path, capsys):
    """The same run with a strong decay ends with smaller weights; config.json
    keeps the setting, and --resume refuses to change it."""
    from safetensors.numpy import load_file

    from rnr.cli import main

    y = 10 + np.sin(np.arange(60) * np.pi / 3)
    (tmp_path / "s.csv").write_text("v\n" + "".join(f"{v:.5f}\n" for v in y))
    norms = {}
    for wd in ("0", "5"):
        run = tmp_path / f"wd{wd}"
        assert main(["series", "train", str(tmp_path / "s.csv"), "--target", "v", "--horizon", "6", "--ensemble", "1",
                     "--hidden", "8", "--steps", "200", "--eval-every", "200", "--weight-decay", wd, "--quiet",
                     "--plot", "none", "--out", str(run)]) == 0
        assert json.loads((run / "config.json").read_text())["weight_decay"] == float(wd)
        weights = load_file(str(run / "last.safetensors"))  # the last step's parameters and optimizer state
        norms[wd] = np.sqrt(sum(float(np.sum(np.asarray(v, np.float64) ** 2)) for k, v in weights.items()
                                if k.startswith("params.")))
    assert norms["5"] < 0.8 * norms["0"], norms
    assert main(["series", "train", "--resume", str(tmp_path / "wd5"), "--weight-decay", "0"]) == 2
    assert main(["series", "train", str(tmp_path / "s.csv"), "--target", "v", "--weight-decay", "-1",
                 "--out", str(tmp_path / "bad")]) == 2
    assert "--weight-decay" in capsys.readouterr().err and not (tmp_path / "bad").exists()
