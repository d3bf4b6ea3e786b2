"""A sweep's runs trained together (jax.vmap) give what the same runs give
trained one by one with the same seeds, written here as a plain loop."""

import jax
import jax.numpy as jnp
import numpy as np
import optax

from rnr.echo import experiment as eco
from rnr.engine import model, tbptt
from rnr.sweep import grid as sweep
from rnr.sweep.tasks import adding, copy


_GRADS = {}


def one_run(task, cell, T, seed, cfg):
    """The run ``rnr sweep`` does for one seed: fresh batch every step, full
    BPTT, Adam after clipping; then the loss on the evaluation batch."""
    mod = {"adding": adding, "copy": copy}[task]
    mcfg = model.ModelConfig(cell=cell, n_in=mod.N_IN, hidden=cfg.hidden, n_out=mod.N_OUT,
                             input="onehot" if task == "copy" else "vector", init=cfg.init,
                             forget_bias=cfg.forget_bias)
    k_params, k_data = jax.random.split(jax.random.PRNGKey(seed))
    params = model.init(k_params, mcfg)
    opt = optax.chain(optax.clip_by_global_norm(cfg.clip), optax.adam(cfg.lr))
    state = opt.init(params)

    def loss_fn(p, x, y):
        _, out = model.apply(mcfg, p, model.zeros(mcfg, x.shape[1]), x)
        if task == "adding":
            return jnp.mean((out[-1, :, 0] - y) ** 2)
        logp = jax.nn.log_softmax(out)
        return -jnp.mean(jnp.take_along_axis(logp, y[..., None], -1))

    key = (task, cell, T)
    if key not in _GRADS:  # compile once per shape, as the sweep does
        _GRADS[key] = (jax.jit(jax.value_and_grad(loss_fn)), jax.jit(loss_fn))
    grad, evaluate = _GRADS[key]
    losses = []
    for _ in range(cfg.steps):
        k_data, k = jax.random.split(k_data)
        x, y = mod.batch(k, T, cfg.batch)
        loss, g = grad(params, x, y)
        updates, state = opt.update(g, state, params)
        params = optax.apply_updates(params, updates)
        losses.append(float(loss))
    x, y = mod.batch(jax.random.fold_in(jax.random.PRNGKey(seed), 0x5EED), T, cfg.eval_batch)
    return np.array(losses), float(evaluate(params, x, y))


def test_vmapped_gap_runs_equal_one_by_one():
    cfg = sweep.SweepConfig.for_task("adding", cells=("lstm",), lengths=(4, 7), seeds=3, hidden=5,
                                     batch=4, steps=10, chunk=5, eval_batch=16).validate()
    seen = []
    rows, timing = sweep.run(cfg, on_progress=lambda p: seen.append(p))
    assert len(rows) == 2 * 3 and len(timing["groups"]) == 2
    assert seen[-1].done == seen[-1].total == cfg.work()
    for r in rows:
        losses, final = one_run("adding", r["cell"], r["gap"], r["seed"], cfg)
        np.testing.assert_allclose(r["value"], final, rtol=2e-4, atol=1e-6, err_msg=str(r))
        np.testing.assert_allclose(r["final_train_loss"], losses[5:].mean(), rtol=2e-4, atol=1e-6)


def test_vmapped_copy_equals_one_by_one():
    cfg = sweep.SweepConfig.for_task("copy", cells=("rnn",), lengths=(3,), seeds=2, hidden=6, batch=3,
                                     steps=4, chunk=4, eval_batch=8).validate()
    rows, _ = sweep.run(cfg)
    for r in rows:
        _, final = one_run("copy", "rnn", 3, r["seed"], cfg)
        np.testing.assert_allclose(r["value"], final, rtol=2e-4, atol=1e-6)
        assert r["baseline"] == copy.baseline(3)


def test_vmapped_echo_equals_rnr_eco_one_by_one():
    """Echo runs with one window and several delays share one program; each
    equals ``rnr.echo.experiment.train`` run alone with the same settings."""
    cfg = sweep.SweepConfig.for_task("echo", cells=("rnn",), windows=(6,), delays=(1, 4), seeds=1,
                                     epochs=2, series=600).validate()
    rows, _ = sweep.run(cfg)
    assert len(rows) == 2
    group = cfg.groups()[0]
    for ecfg, r in zip(sweep.echo_configs(cfg, group), rows):
        assert (ecfg.delay, ecfg.seed) == (r["gap"], r["seed"])
        alone = eco.train(ecfg)
        np.testing.assert_allclose(r["final_train_loss"], alone.losses[-1].mean(), rtol=1e-4)
        np.testing.assert_allclose(r["value"], alone.summary["accuracy"], atol=1e-9)
