"""Unequal lengths are bucketed (``rnr.series.job``): a batch holds rows of
similar lengths and a chunk gets only the steps its batches need. Masking
makes a cut batch's loss and update those of the same batch padded to the
full length; only a few shapes are compiled, all ahead; the order is the
seed's and the epoch's; the member axis and two devices still work."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from rnr.engine import tbptt, trainer
from rnr.engine.job import LOSSES
from rnr.series import classify
from rnr.series import job as series_job
from rnr.series.config import SeriesConfig
from rnr.series.job import member
from rnr.series.sequences import Sequences

CFG = SeriesConfig(hidden=5, batch=4, lr=0.02, steps=12, eval_every=6, bidirectional=False, conv=4)  # one direction, a narrow branch: fewer seconds
T = 70


def data(n=40, seed=0):
    """Noisy rising or falling ramps of 3..T steps, zero-padded to T."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.int32)
    lengths = rng.integers(3, T + 1, size=n).astype(np.int32)
    lengths[0] = T
    X = np.zeros((n, T, 1), np.float32)
    for i, length in enumerate(lengths):
        X[i, :length, 0] = np.linspace(0, 1, length) * (1 if y[i] else -1) + 0.3 * rng.normal(size=length)
    return Sequences(X, lengths, y, ("a", "b"))


def make(cfg=CFG, n=40):
    prep = classify.prepare_sequences(cfg, data(n), "data")
    return classify.ClassifyJob(cfg, prep)


def test_a_few_bucket_lengths_hold_every_length():
    L = data(200).lengths
    b = series_job.buckets(L, T, 4)
    assert 1 < len(b) <= series_job.MOST_BUCKETS and b[-1] == T and np.all(np.diff(b) > 0)
    assert all(v % series_job.BUCKET_ROUND == 0 or v == T for v in b)
    assert np.all(b[series_job.bucket_of(L, b)] >= L)
    assert list(series_job.buckets(np.full(9, 50), 50, 4)) == [50]  # equal lengths: one bucket, as before


@pytest.mark.parametrize("n", [40, 400])
def test_the_order_is_the_seed_and_the_epochs_and_batches_are_alike(n, monkeypatch):
    job = make(n=n)
    assert job.bucketed
    K, B = job.per_epoch, job.batch
    again = make(n=n)  # a resumed run builds its job anew
    for epoch in (0, 1, 7):
        o = job.order(epoch)
        assert o.shape == (K, B) and np.array_equal(o, again.order(epoch))
        assert set(o.ravel()) == set(range(len(job.X)))  # every example, the top-up repeated
    assert not np.array_equal(job.order(0), job.order(1))
    # bucketed batches need fewer steps than the same epochs drawn at random
    need = sum(job.lengths_of(job.order(e)).sum() for e in range(5))
    monkeypatch.setattr(series_job, "BUCKETING", False)
    plain = make(n=n)
    assert not plain.bucketed and list(plain.buckets) == [job.X.shape[1]]
    assert sum(plain.lengths_of(plain.order(e)).sum() for e in range(5)) == 5 * K * job.X.shape[1]
    assert need < 0.8 * 5 * K * job.X.shape[1]
    # a chunk's batches share a bucket when the epoch has chunks to spare
    if n == 400:
        assert job.chunk > 1
        per_chunk = job.lengths_of(job.order(3))[: K - K % job.chunk].reshape(-1, job.chunk)
        assert np.mean(per_chunk.min(axis=1) == per_chunk.max(axis=1)) >= 0.5


def cut_chunk(job):
    """A chunk whose steps were cut: (pos, X, Y, L) and the epoch's order."""
    for pos in range(job.per_epoch):
        X, Y, L = job.windows(pos, 1, 0)
        if X.shape[1] < job.X.shape[1]:
            return pos, X, Y, L, job.order(0)
    raise AssertionError("no chunk was cut")


@pytest.mark.parametrize("pool", ["max", "last", "mean"])
def test_a_cut_batch_has_the_loss_of_the_padded_batch(pool):
    job = make(dataclasses.replace(CFG, pool=pool, bidirectional=True))  # the backward cell reads each row reversed
    pos, X, Y, L, order = cut_chunk(job)
    full = np.moveaxis(job.X[order[pos:pos + 1]], 1, 2)  # the same batch padded to T
    assert np.array_equal(np.asarray(X), full[:, : X.shape[1]])
    params = job.fresh_params()
    zeros = job.zeros()

    def loss(x, lengths):
        return float(tbptt.window_loss(job.mcfg, params, zeros, jnp.asarray(x), Y[0], loss_fn=LOSSES["cross_entropy"],
                                       lengths=lengths, pool=pool)[0])

    padded_loss = loss(full[0], L[0])
    np.testing.assert_allclose(loss(X[0], L[0]), padded_loss, rtol=1e-6)
    # the control: with the lengths ignored the cut batch's padding is read, and the loss is another
    assert abs(loss(X[0], None) - padded_loss) > 100 * 1e-6 * padded_loss

    # one optimizer step through the compiled chunk: the same update as the padded batch's
    state = job.start()
    new, losses = job.train(state, pos, 1, pos)
    padded = job.fns["chunk"](*state, jnp.asarray(full), Y, pos, job.key, L)
    np.testing.assert_allclose(losses, np.asarray(padded[3]), rtol=1e-6)
    for a, b in zip(jax.tree_util.tree_leaves(new[0]), jax.tree_util.tree_leaves(padded[0])):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


class Recorded(classify.ClassifyJob):
    """Records the shapes compiled ahead and those trained."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.compiled, self.trained = set(), set()

    def example_windows(self, n):
        X, Y, L = super().example_windows(n)
        self.compiled.add(tuple(X.shape))
        return X, Y, L

    def train(self, state, pos, n, step):
        self.trained.add(tuple(self.windows(pos, n, step)[0].shape))
        return super().train(state, pos, n, step)


def test_few_shapes_are_compiled_all_ahead():
    cfg = dataclasses.replace(CFG, steps=20)
    prep = classify.prepare_sequences(cfg, data(200), "data")
    job = Recorded(cfg, prep)
    trainer.train_run(job, None, job.limits(), job.schedule())
    sizes = {s[0] for s in job.compiled}  # the chunk sizes the loop compiled
    assert len(job.compiled) <= len(job.buckets) * len(sizes) and len(job.buckets) <= series_job.MOST_BUCKETS
    assert job.trained <= job.compiled  # nothing compiled while training
    assert len({s[1] for s in job.trained}) > 1  # the steps were cut: more than one length trained


def test_an_ensemble_member_is_still_the_run_of_its_seed():
    """Members cut to the longest of their chunks, each alone to its own: the same numbers."""
    prep = classify.prepare_sequences(CFG, data(), "data")
    ens_job = classify.ClassifyJob(dataclasses.replace(CFG, ensemble=2), prep)
    assert ens_job.bucketed
    ens = trainer.train_run(ens_job, None, ens_job.limits(), ens_job.schedule())
    for m in range(2):
        job = classify.ClassifyJob(dataclasses.replace(CFG, seed=CFG.seed + m), prep)
        alone = trainer.train_run(job, None, job.limits(), job.schedule())
        for a, b in zip(jax.tree_util.tree_leaves(jax.device_get(member(ens.state[0], m))),
                        jax.tree_util.tree_leaves(jax.device_get(alone.state[0]))):
            np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6)


def test_two_devices_train_bucketed_batches_as_one():
    if jax.device_count() < 2:
        pytest.skip("one device")
    prep = classify.prepare_sequences(CFG, data(), "data")
    states = []
    for n in (1, 2):
        job = classify.ClassifyJob(dataclasses.replace(CFG, devices=n), prep)
        assert job.bucketed and job.n_devices == n
        states.append(jax.device_get(trainer.train_run(job, None, job.limits(), job.schedule()).state[0]))
    for a, b in zip(*(jax.tree_util.tree_leaves(s) for s in states)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
