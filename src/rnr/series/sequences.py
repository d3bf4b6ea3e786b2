"""A set of labelled sequences of unequal length, and the scaling learned from training data.

    X        (N, T, F) float32   sequence i's steps 0..lengths[i]-1, zeros after
    lengths  (N,) int32          valid steps of each sequence (1..T)
    y        (N,) int32          class index into ``classes`` (-1: no label)
    classes  tuple of str        class names, in the file's order

The model never reads the zeros after a sequence's length (``rnr.engine.model``
masks them), so how a batch is padded never changes a result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnr.errors import UserError

LIMIT = 1e30  # the largest magnitude read: data and their standardisation stay finite in float32


@dataclass
class Sequences:
    X: np.ndarray
    lengths: np.ndarray
    y: np.ndarray
    classes: tuple
    name: str = ""

    @property
    def features(self) -> int:
        return int(self.X.shape[2])

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def take(self, index) -> "Sequences":
        """The sequences at ``index``, padded only to their own longest."""
        index = np.asarray(index)
        lengths = self.lengths[index]
        T = int(lengths.max()) if lengths.size else 1
        return Sequences(self.X[index, :T], lengths, self.y[index], self.classes, self.name)

    def joined(self, other: "Sequences") -> "Sequences":
        """These sequences, then ``other``'s (same features and classes), padded to the longer of the two."""
        T = max(self.X.shape[1], other.X.shape[1])
        widen = lambda X: np.pad(X, ((0, 0), (0, T - X.shape[1]), (0, 0)))  # noqa: E731
        return Sequences(np.concatenate([widen(self.X), widen(other.X)]), np.concatenate([self.lengths, other.lengths]),
                         np.concatenate([self.y, other.y]), self.classes, self.name)


def pad(seqs: list[np.ndarray], labels, classes, name: str = "") -> Sequences:
    """Sequences from a list of (T_i, F) arrays and their labels (indices)."""
    T = max(len(s) for s in seqs)
    X = np.zeros((len(seqs), T, seqs[0].shape[1]), np.float32)
    for i, s in enumerate(seqs):
        X[i, : len(s)] = s
    lengths = np.array([len(s) for s in seqs], np.int32)
    return Sequences(X, lengths, np.asarray(labels, np.int32), tuple(classes), name)


def trim_padding(values: np.ndarray, path, line: int) -> np.ndarray:
    """One sequence's values without its trailing missing ones (NaN: the
    archive's padding); UserError for a missing value inside the sequence,
    an infinity, a magnitude beyond ``LIMIT``, or no value at all."""
    present = ~np.isnan(values)
    if not present.any():
        raise UserError("series_all_missing", path=path, line=line)
    end = int(np.nonzero(present)[0][-1]) + 1
    if not present[:end].all():
        raise UserError("series_missing_value", path=path, line=line)
    if not np.all(np.abs(values[:end]) <= LIMIT):
        raise UserError("series_huge_value", path=path, line=line)
    return values[:end]


def relabel(test: Sequences, classes: tuple, path) -> Sequences:
    """``test``'s labels as indices into the training ``classes``; a label
    the model was not trained on raises UserError."""
    where = {c: i for i, c in enumerate(classes)}
    names = [test.classes[i] if i >= 0 else None for i in test.y]
    unknown = sorted({n for n in names if n is not None and n not in where})
    if unknown:
        raise UserError("series_new_class", path=path, labels=", ".join(unknown[:5]),
                        classes=", ".join(classes))
    y = np.array([where[n] if n is not None else -1 for n in names], np.int32)
    return Sequences(test.X, test.lengths, y, classes, test.name)


@dataclass
class Scaler:
    """Per-feature standardisation learned from the training sequences'
    valid steps: x' = (x - mean) / std (std 1 where a feature is constant),
    fitted in float64 (squares of values up to ``LIMIT`` overflow float32).
    Stored in the run so that prediction scales new data the same way."""
    mean: np.ndarray  # (F,)
    std: np.ndarray  # (F,)

    @classmethod
    def fit(cls, data: Sequences) -> "Scaler":
        valid = np.arange(data.X.shape[1])[None, :] < data.lengths[:, None]
        values = data.X[valid].astype(np.float64)  # (valid steps, F)
        mean = values.mean(axis=0)
        std = values.std(axis=0)
        return cls(mean.astype(np.float32), np.where(std > 1e-8, std, 1.0).astype(np.float32))

    def apply(self, data: Sequences) -> Sequences:
        valid = (np.arange(data.X.shape[1])[None, :] < data.lengths[:, None])[..., None]
        X = np.where(valid, (data.X - self.mean) / self.std, 0.0).astype(np.float32)
        return Sequences(X, data.lengths, data.y, data.classes, data.name)

    def to_dict(self) -> dict:
        return {"mean": [float(v) for v in self.mean], "std": [float(v) for v in self.std]}

    @classmethod
    def from_dict(cls, raw) -> "Scaler":
        """The scaler stored in a run; ValueError when it is not one."""
        mean = np.asarray(raw["mean"], np.float32)
        std = np.asarray(raw["std"], np.float32)
        if mean.ndim != 1 or mean.shape != std.shape or not (np.all(np.isfinite(mean)) and np.all(std > 0)
                                                             and np.all(np.isfinite(std))):
            raise ValueError("not a scaler")
        return cls(mean, std)


@dataclass
class Table:
    """A forecasting table: ``values`` (T, F) in time order, one column per feature."""
    columns: tuple
    values: np.ndarray
    dates: np.ndarray | None  # (T,) datetime64, or None
