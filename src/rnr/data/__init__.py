"""Named datasets, verified and cached: ``rnr.data.load("GunPoint")``.

    names(kind=None)          the datasets' names ("tinyshakespeare", "GunPoint", "airline", ...)
    info(name)                its registry entry (``rnr.data.registry.Dataset``)
    path(name, split=None)    its file in the cache, fetched first if needed
    paths(name)               every file of it: {"train": ..., "test": ...} or {"text"|"series": ...}
    load(name)                its contents (see ``load``)
    resolve(arg, kind)        a command's file argument: a file, else a dataset's path(s)

Names are case-insensitive. Where the files come from and where they are
kept: ``rnr.data.fetch`` (``RNR_DATA_DIR``, ``RNR_DATA_MIRROR``).
"""

from __future__ import annotations

from pathlib import Path

from rnr.data import fetch
from rnr.data.fetch import cache_dir
from rnr.data.registry import DATASETS, Dataset, find, lookup
from rnr.errors import UserError

__all__ = ["cache_dir", "info", "load", "names", "path", "paths", "resolve"]


def names(kind: str | None = None) -> list[str]:
    """Every dataset's name, or those of one kind ("text", "classification", "forecast")."""
    return [d.name for d in DATASETS.values() if kind is None or d.kind == kind]


def info(name: str) -> Dataset:
    """The registry entry of ``name``; UserError when there is none."""
    return lookup(name)


def path(name: str, split: str | None = None) -> Path:
    """The cached file of ``name`` (``split`` "train" or "test" for classification), fetched first if needed."""
    ds = lookup(name)
    if ds.kind == "classification" and split is None:
        raise UserError("data_need_split", name=ds.name)
    role = split if split is not None else next(iter(ds.files))
    if role not in ds.files:
        raise UserError("data_bad_split", split=split, name=ds.name, choices=", ".join(ds.files))
    return fetch.fetch(ds.files[role], ds.name)


def paths(name: str) -> dict[str, Path]:
    """Every cached file of ``name`` by role, fetched first if needed."""
    ds = lookup(name)
    return {role: fetch.fetch(f, ds.name) for role, f in ds.files.items()}


def load(name: str):
    """The contents of ``name``:

    text            the whole text (str)
    classification  ``(X_train, y_train, X_test, y_test)``: X (N, T, D) float32 from
                    ``rnr.series.ts_file.read_ts``, zeros after a shorter sequence's
                    end; y the class names (str). Lengths and classes: ``read_ts(path(...))``
    forecast        ``(values, dates)`` from ``rnr.series.tables.read_table``: values
                    (T, F) float64, dates (T,) datetime64 or None. ``m1_yearly`` needs
                    ``rnr.series.tsf_file.read_tsf`` and returns what it returns.
    """
    ds = lookup(name)
    if ds.kind == "text":
        from rnr.text.data import read_text

        return read_text(path(ds.name))
    if ds.kind == "classification":
        from rnr.series.ts_file import read_ts

        out = []
        for split in ("train", "test"):
            s = read_ts(path(ds.name, split))
            out += [s.X, _class_names(s)]
        return tuple(out)
    file = path(ds.name)
    if file.suffix == ".tsf":
        try:
            from rnr.series.tsf_file import read_tsf
        except ImportError:
            raise UserError("data_no_reader", name=ds.name, path=file) from None
        return read_tsf(file)
    from rnr.series.tables import read_table

    table = read_table(file)
    return table.values, table.dates


def _class_names(s):
    import numpy as np

    return np.asarray(s.classes)[s.y]


_COMPATIBLE = {"text": ("text",), "classification": ("classification",), "forecast": ("forecast",),
               "series": ("classification", "forecast")}


def resolve(arg, kind: str) -> tuple:
    """A command's data argument: ``(path, test_path_or_None)``.

    ``arg`` unchanged when it is an existing file, None, or no dataset of a kind
    that ``kind`` accepts ("text", "classification", "forecast", or "series" for
    either); else the dataset's cached path (TRAIN and TEST for classification),
    fetched first if needed."""
    if kind not in _COMPATIBLE:
        raise ValueError(f"kind must be one of {sorted(_COMPATIBLE)}, not {kind!r}")
    if arg is None or Path(arg).is_file():
        return arg, None
    ds = find(arg)
    if ds is None or ds.kind not in _COMPATIBLE[kind]:
        return arg, None
    if ds.kind == "classification":
        return path(ds.name, "train"), path(ds.name, "test")
    return path(ds.name), None

