"""Data as people hold it, for the estimators: NumPy (N, T, F) or (N, C, T),
lists of unequal-length (T_i, F) arrays, NaN padding at the end, labels of
any type; pandas Series/DataFrames for forecasting (pandas only when given)."""

from __future__ import annotations

import contextlib
import io

import numpy as np

from rnr.series.sequences import LIMIT, pad
from rnr.errors import UserError

def load_series(path, problem: str):
    """A series run with its optimizer state (for ``save``): (LoadedRun, tree)."""
    import jax

    from rnr.engine import model, optim
    from rnr.io import runs
    from rnr.series.config import model_config

    kind, cfg, raw = runs.read_config(path)
    if kind != "series":
        raise UserError("wrong_task", path=path, expected="series")
    if raw["problem"] != problem:
        raise UserError("series_not_classifier" if problem == "classify" else "series_not_forecaster", path=path)
    from rnr.series.job import stack

    params = model.init(jax.random.PRNGKey(0), model_config(cfg, raw))
    if cfg.ensemble > 1:  # the members stacked, each with its own optimizer state
        params = stack([params] * cfg.ensemble)
    init = optim.Spec("adam", cfg.lr, cfg.clip, weight_decay=cfg.weight_decay).make().init
    opt = jax.vmap(init)(params) if cfg.ensemble > 1 else init(params)
    run = runs.load_run(path, kind="series", which="last", template_extra={"opt": opt})
    return run, {"params": run.tree["params"], "opt": run.tree["opt"]}


def as_sequences(X, layout: str, what: str = "X") -> list[np.ndarray]:
    """(T_i, F) float32 arrays from an array (N, T, F) or (N, T), or a list of
    (T_i, F) or (T_i,) arrays ("NCT": (N, F, T) and (F, T_i)); trailing steps
    that are all NaN are padding and are dropped."""
    if layout not in ("NTF", "NCT"):
        raise UserError("est_bad_param", name="layout", value=repr(layout), rule="'NTF' or 'NCT'")
    if isinstance(X, np.ndarray) or not isinstance(X, (list, tuple)):
        arr = _numbers(X, what)
        if arr.ndim == 2:
            arr = arr[:, :, None] if layout == "NTF" else arr[:, None, :]
        if arr.ndim != 3 or 0 in arr.shape:
            raise UserError("est_x_shape", what=what, shape=tuple(arr.shape))
        items = list(arr if layout == "NTF" else np.swapaxes(arr, 1, 2))
    else:
        items = []
        for i, x in enumerate(X):
            a = _numbers(x, f"{what}[{i}]")
            a = a[:, None] if a.ndim == 1 else (a if layout == "NTF" else a.T)
            if a.ndim != 2 or 0 in a.shape:
                raise UserError("est_x_shape", what=f"{what}[{i}]", shape=tuple(np.shape(x)))
            items.append(a)
        if not items:
            raise UserError("est_x_shape", what=what, shape=(0,))
    out = []
    for i, a in enumerate(items):
        if a.shape[1] != items[0].shape[1]:
            raise UserError("est_x_features", what=f"{what}[{i}]", found=a.shape[1], expected=items[0].shape[1])
        present = ~np.all(np.isnan(a), axis=1)
        if not present.any():
            raise UserError("est_x_all_missing", what=f"{what}[{i}]")
        a = a[: int(np.flatnonzero(present)[-1]) + 1]
        if np.isnan(a).any():
            raise UserError("est_x_missing", what=f"{what}[{i}]")
        if not np.all(np.abs(a) <= LIMIT):
            raise UserError("est_x_huge", what=f"{what}[{i}]")
        out.append(a.astype(np.float32))
    return out


def _numbers(x, what: str) -> np.ndarray:
    try:
        a = np.asarray(x)
    except (ValueError, TypeError):  # ragged nested lists
        raise UserError("est_x_type", what=what, kind=type(x).__name__) from None
    if a.dtype == object or not (np.issubdtype(a.dtype, np.number) or a.dtype == bool) or np.iscomplexobj(a):
        raise UserError("est_x_type", what=what, kind=f"{type(x).__name__} of {a.dtype}")
    return a.astype(np.float64)


def as_labels(y, n: int) -> tuple[np.ndarray, np.ndarray, list]:
    """(indices (n,), classes_ (K,), the classes' names in the run): classes
    in the CLI's order (numbers by value, then names), so that the same data
    give the same model as ``rnr series train``."""
    from rnr.series.tables import _label, _label_order

    a = np.asarray(y)
    if a.dtype == object:
        if all(isinstance(v, str) for v in a.ravel()):
            a = a.astype(str)
        elif all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in a.ravel()):
            a = a.astype(np.int64)
        else:
            raise UserError("est_y_type")
    if a.ndim != 1:
        raise UserError("est_y_shape", shape=tuple(a.shape))
    if len(a) != n:
        raise UserError("est_y_length", found=len(a), n=n)
    if a.dtype.kind == "f" and np.isnan(a).any():
        raise UserError("est_y_missing")
    if a.dtype.kind not in "iubfUS":
        raise UserError("est_y_type")
    uniq = np.unique(a)
    names = [_label(str(c)) for c in uniq]
    if len(set(names)) < len(names):
        names = [str(c) for c in uniq]
    order = sorted(range(len(uniq)), key=lambda i: _label_order(names[i]))
    rank = np.empty(len(uniq), np.int32)
    rank[order] = np.arange(len(uniq))
    return rank[np.searchsorted(uniq, a)], uniq[order], [names[i] for i in order]


def npz_bytes(seqs: list[np.ndarray], labels: np.ndarray | None) -> bytes:
    """An NPZ file the CLI reads: X (N, T, F) zero-padded, lengths, y."""
    data = pad(seqs, np.zeros(len(seqs)), ())
    buf = io.BytesIO()
    arrays = {"X": data.X, "lengths": data.lengths}
    if labels is not None:
        arrays["y"] = labels
    np.savez(buf, **arrays)
    return buf.getvalue()


def as_table(y, target=None, what: str = "y"):
    """(Table, the target's column index, pandas facts or None) from a pandas
    Series or DataFrame (a DatetimeIndex gives the dates) or an array (T,)
    or (T, F) (columns "y", or "x0", "x1", ...)."""
    from rnr.series.sequences import Table

    kind = type(y).__name__ if type(y).__module__.split(".")[0] == "pandas" else None
    dates, facts = None, None
    if kind in ("Series", "DataFrame"):
        import pandas as pd

        frame = y.to_frame(name=y.name if y.name is not None else "y") if kind == "Series" else y
        columns = tuple(str(c) for c in frame.columns)
        values = _numbers(frame.to_numpy(), what)
        index = frame.index
        if isinstance(index, pd.PeriodIndex):
            index = index.to_timestamp()
        if isinstance(index, pd.DatetimeIndex):
            if index.tz is not None:
                index = index.tz_convert(None)
            if not index.is_monotonic_increasing or not index.is_unique:
                raise UserError("est_dates_order", what=what)
            dates = index.to_numpy()
            freq = index.freqstr
            if freq is None and len(index) >= 3:
                with contextlib.suppress(TypeError, ValueError):
                    freq = pd.infer_freq(index)
            facts = {"freq": freq}
        if kind == "Series":
            target = None
    else:
        values = _numbers(y, what)
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2 or 0 in values.shape:
            raise UserError("est_y_series_shape", what=what, shape=tuple(np.shape(y)))
        columns = ("y",) if np.ndim(y) == 1 else tuple(f"x{j}" for j in range(values.shape[1]))
    if target is None:
        t = 0
    elif isinstance(target, str) and target in columns:
        t = columns.index(target)
    elif isinstance(target, (int, np.integer)) and not isinstance(target, bool) and 0 <= target < len(columns):
        t = int(target)
    else:
        raise UserError("series_no_target", path=what, target=target, columns=", ".join(columns))
    bad = np.argwhere(~np.isfinite(values) | (np.abs(values) > LIMIT))
    if len(bad):
        raise UserError("est_y_value", what=what, row=int(bad[0][0]), column=columns[bad[0][1]])
    return Table(columns, values, dates), t, facts


def csv_bytes(table) -> bytes:
    """The table as the CLI's forecasting CSV (a date column first when it has dates)."""
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    dates = None
    if table.dates is not None:
        midnight = (table.dates == table.dates.astype("datetime64[D]")).all()
        dates = np.datetime_as_string(table.dates, unit="D" if midnight else "auto")
    w.writerow((["date" if "date" not in table.columns else "date_"] if dates is not None else [])
               + list(table.columns))
    for i, row in enumerate(table.values):
        w.writerow(([dates[i]] if dates is not None else []) + [repr(float(v)) for v in row])
    return buf.getvalue().encode()


def stored_params(cls, cfg) -> dict:
    """An estimator's parameters from a run's settings. config.json holds the
    convolutional branch's width and the ensemble's size as numbers; the
    task's own when none is given reads back as None (not given), as a fitted
    estimator holds it."""
    from dataclasses import replace

    params = {k: getattr(cfg, k) for k in cls._defaults if hasattr(cfg, k)}
    for key in ("conv", "ensemble"):
        if key in params and params[key] == getattr(replace(cfg, **{key: None}), key):
            params[key] = None
    return params
