"""Classifying whole sequences: many-to-one.

    h_t = cells over x_1..x_T (masked past each row's length; both directions
          with --bidirectional)
    s   = pool(h)          the last valid step's state, or the mean over valid steps
    p(class | x) = softmax(s W_out + b_out)

The features are standardised with the training set's per-feature mean and
standard deviation (stored in the run). A stratified ``val_fraction`` of
the training file is always held out for validation: it alone chooses the
checkpoint (the lowest validation loss). A ``--test`` file is scored once, at
the end, with that checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine import conv, devices, loop, model
from rnr.io import runs
from rnr.errors import UserError
from rnr.series import metrics
from rnr.engine.job import uniform_loss
from rnr.series.job import SequenceJob, member
from rnr.series.sequences import Scaler, Sequences, relabel

EVAL_ROWS = 256  # sequences per compiled scoring call
MAX_CONFUSION = 100  # classes up to which summary.json holds the confusion matrix


def read_sequences(path) -> Sequences:
    """Labelled sequences from a ``.ts``, ``.npz`` or CSV/TSV file."""
    from rnr.series import tables, ts_file

    suffix = Path(path).suffix.lower()
    if suffix == ".ts":
        return ts_file.read_ts(path)
    if suffix == ".npz":
        return tables.read_npz(path)
    return tables.read_labelled_csv(path)


@dataclass
class Prepared:
    train: Sequences  # standardised, the validation part left out
    val: Sequences  # a stratified part of the training file: chooses the checkpoint
    test: Sequences | None  # --test: scored once, at the end, with the chosen checkpoint
    scaler: Scaler
    info: dict  # what config.json stores about the data


def split_validation(data: Sequences, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified: about ``fraction`` of each class (at least one of a class
    with two or more examples) held out; returns (train, validation) indices."""
    rng = np.random.default_rng([seed, 7])
    by_class = np.argsort(data.y, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(data.y[by_class]) != 0, True])
    train, val = [], []
    for a, b in zip(starts[:-1], starts[1:]):  # one class's examples: by_class[a:b]
        idx = rng.permutation(by_class[a:b])
        k = min(len(idx) - 1, max(1, round(fraction * len(idx)))) if len(idx) > 1 else 0
        val.append(idx[:k])
        train.append(idx[k:])
    return np.sort(np.concatenate(train).astype(int)), np.sort(np.concatenate(val).astype(int))


def prepare(cfg, train_path, test_path=None) -> Prepared:
    """Read, check and standardise the data (creates nothing)."""
    data = read_sequences(train_path)
    check_labels(data, train_path)  # before the test file is read
    held = read_sequences(test_path) if test_path is not None else None
    return prepare_sequences(cfg, data, train_path, held, test_path)


def check_labels(data: Sequences, path) -> None:
    """Every sequence labelled, two classes or more."""
    if (data.y < 0).any():
        raise UserError("series_no_labels", path=path)
    if len(data.classes) < 2 or len(np.unique(data.y)) < 2:
        raise UserError("series_one_class", path=path)


def prepare_sequences(cfg, data: Sequences, train_path, held: Sequences | None = None,
                      test_path=None) -> Prepared:
    """``prepare`` for sequences already in memory (``rnr.series.classifier``):
    ``train_path`` and ``test_path`` only name the data in messages."""
    check_labels(data, train_path)
    test = held
    if test is not None:
        if test.features != data.features:
            raise UserError("series_features_differ", path=test_path, found=test.features, expected=data.features)
        if (test.y < 0).any():
            raise UserError("series_no_labels", path=test_path)
        test = relabel(test, data.classes, test_path)
    tr, va = split_validation(data, cfg.val_fraction, cfg.seed)
    if len(va) == 0 or len(tr) == 0:
        raise UserError("series_too_few", path=train_path, n=len(data))
    data, val = data.take(tr), data.take(va)
    check_memory(cfg, data, val if test is None or len(val) > len(test) else test, len(data.classes))
    scaler = Scaler.fit(data)
    info = {"problem": "classify", "features": data.features, "classes": list(data.classes),
            "scaler": scaler.to_dict(), "max_length": int(data.X.shape[1])}
    return Prepared(scaler.apply(data), scaler.apply(val), scaler.apply(test) if test is not None else None,
                    scaler, info)


def check_memory(cfg, train: Sequences, held: Sequences, k: int) -> None:
    """Refuse (``rnr.engine.memory``) data whose training would not fit: the
    activations grow with the longest sequence, the parameters and the
    optimizer's moments with the classes, the held-out scores as N x K."""
    from rnr.engine import memory

    T, F = max(int(train.X.shape[1]), int(held.X.shape[1])), train.features
    dirs = 2 if cfg.bidirectional else 1
    rows = max(cfg.batch, min(EVAL_ROWS, len(held)))
    acts = memory.activation_bytes(T, rows, cfg.hidden, cfg.layers, dirs) + conv.activation_bytes(rows, T, F, cfg.conv)
    data = 4 * 2 * (len(train) + cfg.batch) * T * F + 4 * 2 * len(held) * T * F  # host copies and device batches
    params, scores = memory.parameter_bytes(model.param_bytes(cfg.model(F, k))), 4 * 2 * len(held) * k
    with_conv = "/--conv" if cfg.conv else ""
    parts = {f"--hidden/--layers{with_conv}/--batch, T={T}": acts + data,
             f"{with_conv[1:] + ', ' if with_conv else ''}K={k} x N={len(held)}": scores + params}
    memory.check_fits(sum(parts.values()), max(parts, key=parts.get))  # named by the larger part


@lru_cache(maxsize=8)
def _scorer(mcfg, pool):
    @jax.jit
    def log_probs(params, X, L):
        _, logits = model.apply(mcfg, params, model.zeros(mcfg, X.shape[1]), X, lengths=L, pool=pool)
        return jax.nn.log_softmax(logits)

    return log_probs


def log_probabilities(mcfg, pool, params, data: Sequences) -> np.ndarray:
    """(N, K) log p(class | sequence), in batches of at most EVAL_ROWS
    (the last batch padded with copies of the first row, then dropped)."""
    fn = _scorer(mcfg, pool)
    n = len(data)
    rows = min(EVAL_ROWS, n)
    out = []
    for start in range(0, n, rows):
        idx = np.arange(start, start + rows)
        idx = np.where(idx < n, idx, 0)
        X = np.moveaxis(data.X[idx], 0, 1)  # (T, rows, F)
        out.append(np.asarray(fn(params, jnp.asarray(X), jnp.asarray(data.lengths[idx])))[: n - start])
    return np.concatenate(out, axis=0)


def mean_log_probabilities(mcfg, pool, params, data: Sequences, members: int) -> np.ndarray:
    """(N, K) log of the mean of the ``members``' probabilities (params with
    a leading member axis); one member: ``log_probabilities``."""
    if members == 1:
        return log_probabilities(mcfg, pool, params, data)
    lp = np.stack([log_probabilities(mcfg, pool, member(params, m), data) for m in range(members)])
    top = lp.max(axis=0)
    return top + np.log(np.mean(np.exp(lp - top), axis=0))


def scores(log_p: np.ndarray, y: np.ndarray, n_classes: int) -> dict:
    """Loss (mean nats), accuracy, per-class accuracy and the confusion matrix."""
    pred = np.argmax(log_p, axis=1)
    m = metrics.confusion(y, pred, n_classes)
    return {"loss": float(-np.mean(log_p[np.arange(len(y)), y])), "accuracy": metrics.accuracy(y, pred),
            "per_class": metrics.per_class_accuracy(m), "confusion": m.tolist()}


class ClassifyJob(SequenceJob):
    """Sequences -> one class each; scored on the held-out sequences."""

    def __init__(self, cfg, prep: Prepared, on_eval=None):
        k = len(prep.info["classes"])
        mcfg = cfg.model(prep.train.features, k)
        super().__init__(cfg, mcfg, prep.train.X, prep.train.y, prep.train.lengths, classify=True,
                         explode=uniform_loss(k))
        self.prep, self.on_eval = prep, on_eval

    def scores_on(self, params, data: Sequences) -> dict:
        """Scores of the model (an ensemble: of its members' mean probabilities) on ``data``."""
        p = devices.fetch_tree(params)
        return scores(mean_log_probabilities(self.mcfg, self.cfg.pooled(), p, data, self.members), data.y,
                      len(self.prep.info["classes"]))

    def evaluate(self, state, position: loop.Position) -> dict:
        """Validation loss and accuracy; the chosen checkpoint when it is the lowest loss."""
        s = self.scores_on(state[0], self.prep.val)
        self.keep_if_best(state[0], s["loss"], position)
        rec = {"step": position.step, "epoch": position.epoch, "val_loss": s["loss"], "val_accuracy": s["accuracy"]}
        if self.run is not None:
            runs.append_metrics(self.run.file(runs.METRICS), rec)
        if self.on_eval:
            self.on_eval(rec)
        return rec

    def summary(self, outcome, last: dict) -> dict:
        """The chosen checkpoint's validation scores, and the test file's, scored once here."""
        params = self.chosen_params(outcome.state)
        which = "test" if self.prep.test is not None else "val"
        s = self.scores_on(params, self.prep.test if which == "test" else self.prep.val)
        out = {"task": "series", "problem": "classify", **self.chosen(outcome.position), "held": which,
               "members": self.members,
               f"{which}_accuracy": s["accuracy"], f"{which}_loss": s["loss"], f"{which}_per_class": s["per_class"]}
        if len(s["per_class"]) <= MAX_CONFUSION:  # a K x K matrix grows fast: kept for up to MAX_CONFUSION classes
            out[f"{which}_confusion"] = s["confusion"]
        if which == "test":
            v = self.scores_on(params, self.prep.val)
            out.update(val_accuracy=v["accuracy"], val_loss=v["loss"])
        if which == "test" and self.run is not None:  # the one line of test scores
            runs.append_metrics(self.run.file(runs.METRICS), {
                "step": outcome.position.step, "epoch": outcome.position.epoch,
                "chosen_step": out["chosen_step"], f"{which}_loss": s["loss"], f"{which}_accuracy": s["accuracy"]})
        return out
