"""The convolutional branch (``rnr.engine.conv``, ``--conv``): against PyTorch's
Conv1d, LayerNorm and ReLU; padding past a row's length changes nothing; and
the branch through the command line, the estimators and the run folder."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from rnr.cli import main
from rnr.engine import conv, model
from test_series_faults import make_ts


def torch_branch(layers, xs):
    """The same three layers written with torch.nn.functional; xs (T, B, F)."""
    import warnings

    torch = pytest.importorskip("torch")

    F = torch.nn.functional
    z = torch.tensor(np.asarray(xs), dtype=torch.float64).permute(1, 2, 0)  # (B, F, T)
    for p in layers:
        W = torch.tensor(np.asarray(p["W"]), dtype=torch.float64).permute(2, 1, 0)  # (C_out, C_in, k)
        with warnings.catch_warnings():  # an even kernel's "same" padding copies the input: slower, not wrong
            warnings.simplefilter("ignore")
            z = F.conv1d(z, W, torch.tensor(np.asarray(p["b"]), dtype=torch.float64), padding="same")
        z = F.layer_norm(z.transpose(1, 2), (z.shape[1],), torch.tensor(np.asarray(p["g"]), dtype=torch.float64),
                         torch.tensor(np.asarray(p["beta"]), dtype=torch.float64), eps=conv.EPS)
        z = torch.relu(z).transpose(1, 2)
    return z.mean(dim=2).numpy()


def random_layers(n_in, width, seed=0):
    layers = conv.init(jax.random.PRNGKey(seed), n_in, width)
    rng = np.random.default_rng(seed)  # scale and shift away from 1 and 0, so they are tested too
    return [{**p, "g": jnp.asarray(rng.uniform(0.5, 1.5, p["g"].shape), jnp.float32),
             "beta": jnp.asarray(rng.normal(0, 0.1, p["beta"].shape), jnp.float32)} for p in layers]


def test_the_branch_matches_torch_conv1d_layer_norm_and_relu():
    layers = random_layers(3, 5)
    xs = np.random.default_rng(1).normal(size=(23, 4, 3)).astype(np.float32)
    got = np.asarray(conv.apply(layers, jnp.asarray(xs)))
    assert got.shape == (4, 5)
    np.testing.assert_allclose(got, torch_branch(layers, xs), rtol=2e-4, atol=2e-5)


def test_a_padded_row_gives_what_the_row_alone_gives():
    layers = random_layers(2, 4, seed=3)
    rng = np.random.default_rng(2)
    short = rng.normal(size=(9, 1, 2)).astype(np.float32)
    padded = np.concatenate([short, rng.normal(size=(7, 1, 2)).astype(np.float32) * 50], axis=0)  # garbage after 9
    alone = np.asarray(conv.apply(layers, jnp.asarray(short)))
    got = np.asarray(conv.apply(layers, jnp.asarray(padded), jnp.asarray([9])))
    np.testing.assert_allclose(got, alone, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(alone, torch_branch(layers, short), rtol=2e-4, atol=2e-5)


def test_the_readout_reads_the_pooled_state_and_the_branch_side_by_side():
    """logits = [pool(h), c] W + b, from the model without the branch and the branch alone."""
    with_conv = model.ModelConfig(cell="gru", n_in=2, hidden=3, n_out=4, bidirectional=True, conv=5)
    without = model.ModelConfig(cell="gru", n_in=2, hidden=3, n_out=4, bidirectional=True)
    p = model.init(jax.random.PRNGKey(0), with_conv)
    assert p["out"]["W"].shape == (6 + 5, 4)
    xs = jnp.asarray(np.random.default_rng(0).normal(size=(11, 3, 2)), jnp.float32)
    lengths = jnp.asarray([11, 6, 8])
    _, logits = model.apply(with_conv, p, model.zeros(with_conv, 3), xs, lengths=lengths, pool="max")
    eye = {**{k: v for k, v in p.items() if k != "conv"}, "out": {"W": jnp.eye(6), "b": jnp.zeros(6)}}
    _, pooled = model.apply(without, eye, model.zeros(without, 3), xs, lengths=lengths, pool="max")
    both = np.concatenate([np.asarray(pooled), np.asarray(conv.apply(p["conv"], xs, lengths))], axis=1)
    np.testing.assert_allclose(np.asarray(logits), both @ np.asarray(p["out"]["W"]) + np.asarray(p["out"]["b"]),
                               rtol=1e-5, atol=1e-6)


def test_the_branch_gradient_matches_finite_differences():
    layers = random_layers(1, 2, seed=5)
    xs = jnp.asarray(np.random.default_rng(5).normal(size=(10, 2, 1)), jnp.float64 if jax.config.x64_enabled
                     else jnp.float32)

    def f(W):
        return jnp.sum(conv.apply([{**layers[0], "W": W}, *layers[1:]], xs) ** 2)

    W = layers[0]["W"]
    grad = np.asarray(jax.grad(f)(W))
    eps = 1e-2
    for idx in [(0, 0, 0), (3, 0, 1), (7, 0, 0)]:
        bump = np.zeros(W.shape, np.float32)
        bump[idx] = eps
        numeric = (float(f(W + bump)) - float(f(W - bump))) / (2 * eps)
        assert grad[idx] == pytest.approx(numeric, rel=2e-2, abs=1e-4)


TINY = ["--steps", "10", "--eval-every", "5", "--hidden", "4", "--batch", "4", "--quiet", "--plot", "none"]


def test_train_eval_view_and_export_with_the_branch(tmp_path, capsys):
    train, test = make_ts(tmp_path / "train.ts", n=16), make_ts(tmp_path / "test.ts", n=8, seed=1)
    run = tmp_path / "run"
    assert main(["series", "train", str(train), "--test", str(test), "--out", str(run), "--conv", "4", *TINY]) == 0
    assert json.loads((run / "config.json").read_text())["conv"] == 4
    capsys.readouterr()
    assert main(["series", "eval", str(run), str(test), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["loss"] == pytest.approx(json.loads((run / "summary.json").read_text())["test_loss"], rel=1e-5)
    assert main(["view", str(run), "--row", "1"]) == 0  # the cells' gates, the branch left out
    assert (run / "gates.png").stat().st_size > 5000
    assert main(["export", str(run), "--torch", str(tmp_path / "w.safetensors")]) == 0
    from safetensors import safe_open

    with safe_open(str(tmp_path / "w.safetensors"), "np") as f:
        assert f.metadata()["conv"] == "4" and f.get_tensor("conv.1.weight").shape == (8, 4, 5)
        assert f.get_tensor("linear.weight").shape == (2, 2 * 4 + 4)


def test_an_iterated_forecast_refuses_the_branch(tmp_path, capsys):
    from test_series_faults import make_table

    table = make_table(tmp_path / "t.csv")
    assert main(["series", "train", str(table), "--target", "value", "--multi-step", "iterated", "--conv", "4",
                 "--out", str(tmp_path / "run"), *TINY]) == 2
    err = capsys.readouterr().err.strip()
    assert "--conv" in err and "iterated" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_the_classifier_estimator_takes_the_branch():
    from rnr.series import Classifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 12, 1)).astype(np.float32)
    y = np.array([0, 1] * 10)
    X[y == 1, 4:8] += 3.0  # a bump in the middle marks class 1
    est = Classifier(conv=4, hidden=4, steps=10, eval_every=5, batch=4).fit(X, y)
    assert est.get_params()["conv"] == 4 and est.predict_proba(X).shape == (20, 2)


def test_the_view_ranks_units_by_the_readout_rows_of_the_cells():
    from rnr.series import view

    cfg = model.ModelConfig(cell="lstm", n_in=1, hidden=3, n_out=2, bidirectional=True, conv=4)
    p = model.init(jax.random.PRNGKey(0), cfg)
    W = np.zeros((6 + 4, 2), np.float32)
    W[4, 1], W[8, 0] = 5.0, 9.0  # unit 4 of the cells; row 8 is the branch's, no unit of the cells
    scores, where = view.unit_scores(cfg, {**p, "out": {"W": jnp.asarray(W), "b": p["out"]["b"]}}, 0)
    assert where == "readout" and len(scores) == 6
    assert list(view.top_units(scores, 6, k=1)) == [4]


def test_the_branch_is_on_for_classification_and_off_for_forecasts_unless_given():
    from rnr.series.config import SeriesConfig

    assert SeriesConfig().model(1, 2).conv == 64
    assert SeriesConfig(target="y").model(1, 2).conv == 0
    assert SeriesConfig(conv=0).model(1, 2).conv == 0 and SeriesConfig(target="y", conv=8).model(1, 2).conv == 8


def test_a_run_written_before_the_branch_existed_loads_without_one(tmp_path, capsys):
    from rnr.io import runs

    train, run = make_ts(tmp_path / "train.ts", n=16), tmp_path / "old"
    assert main(["series", "train", str(train), "--out", str(run), "--conv", "0", *TINY]) == 0
    raw = json.loads((run / "config.json").read_text())
    assert raw["conv"] == 0  # the width is stored as a number
    raw.pop("conv")  # as config.json was written before the setting existed
    (run / "config.json").write_text(json.dumps(raw))
    assert runs.load_run(run).cfg.conv == 0
    capsys.readouterr()
    assert main(["series", "eval", str(run), str(train), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["loss"] > 0


def test_a_default_run_stores_its_width(tmp_path):
    train, run = make_ts(tmp_path / "train.ts", n=16), tmp_path / "run"
    assert main(["series", "train", str(train), "--out", str(run), *TINY]) == 0
    assert json.loads((run / "config.json").read_text())["conv"] == 64


def test_a_branch_of_one_channel_is_refused(tmp_path, capsys):
    train = make_ts(tmp_path / "train.ts", n=16)
    assert main(["series", "train", str(train), "--out", str(tmp_path / "run"), "--conv", "1", *TINY]) == 2
    err = capsys.readouterr().err.strip()
    assert "--conv 1" in err and len(err.splitlines()) == 1 and not (tmp_path / "run").exists()


def test_the_numpy_reference_refuses_a_model_with_a_branch():
    from rnr.export import torch as export

    with pytest.raises(ValueError, match="convolutional branch"):
        export.reference_forward({}, {"conv": "4", "reference_cell": "mingru", "input": "vector"}, np.zeros((3, 1, 1)))
