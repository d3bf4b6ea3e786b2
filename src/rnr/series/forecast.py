"""Forecasting the next values of a table's target column from its last ``context`` rows.

    z_t   = (f(x_t) - mean) / std       per column; f = log when every value is
                                        positive (``--transform auto``), else identity;
                                        mean, std from the training part
    level = mean of the window's context, per column (subtracted from inputs and
            targets, added back after: the network learns shapes, not levels)
    direct:   [z_{s..s+L-1}] -> the target's z_{s+L..s+L+H-1}        (one output each)
    iterated: [z_{s..s+L-1}] -> every column's z_{s+1..s+L}          (next step at
              every step); a forecast feeds each prediction back H times

Two stretches of ``horizon`` rows are held out at the end: the last one is
the test, scored once at the end (MAE, RMSE, MASE, sMAPE, beside the seasonal
naive forecast's); the one before it is the validation, forecast from the
rows before it at every evaluation: its MASE alone chooses the checkpoint.
With ``--origins R`` it is forecast from R rolling origins inside it (the
first at its start, each later one reading the true values up to it and
forecasting the rest of the stretch: ``origin_offsets``), and the MASE pools
every forecast value (``metrics.pooled_scores``).
Training windows end before the validation stretch, and the scaling comes
from the training rows only.

``--context 0`` (the default) chooses the context from the training rows:
``auto_context``. ``--target all`` (many series, one global model) is
``rnr.series.panel``; the job that trains either is ``rnr.series.forecast_job``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine import model
from rnr.errors import UserError
from rnr.series import metrics, tables
from rnr.series.job import member
from rnr.series.sequences import Scaler


ALL = "all"  # --target all: every series, one global model (unless a column is named so)
AUTO_MOST = 24  # the longest context --context 0 chooses


def auto_context(rows: int, horizon: int, season: int) -> int:
    """``--context 0``: min(24, max(2 x season, rows / 4)) for ``rows``
    training rows, at most half of what leaves one window ((rows - horizon) / 2),
    so that a short series still gives windows; at least 1."""
    L = min(AUTO_MOST, max(2 * season, rows // 4))
    return max(1, min(L, (rows - horizon) // 2))


@dataclass
class Transform:
    """Values <-> the network's scale, for every column."""
    log: bool
    scaler: Scaler
    context: int = 0  # the rows a forecast reads, when the settings say 0 (chosen at training)

    def forward(self, values: np.ndarray) -> np.ndarray:
        v = np.log(values) if self.log else values
        return ((v - self.scaler.mean) / self.scaler.std).astype(np.float32)

    @classmethod
    def from_dict(cls, raw: dict) -> "Transform":
        return cls(bool(raw["log"]), Scaler(np.asarray(raw["mean"], np.float32), np.asarray(raw["std"], np.float32)))

    def backward(self, z: np.ndarray, column: int | None = None) -> np.ndarray:
        mean = self.scaler.mean if column is None else self.scaler.mean[column]
        std = self.scaler.std if column is None else self.scaler.std[column]
        v = np.asarray(z, np.float64) * std + mean
        return np.exp(np.minimum(v, 700.0)) if self.log else v


def target_only(table: tables.Table, target: int) -> tuple[tables.Table, int]:
    """The table of the target's column alone (``--inputs target``), and its index 0."""
    return tables.Table((table.columns[target],), table.values[:, [target]], table.dates), 0


def read_table(path, cfg) -> tuple[tables.Table, int]:
    """The table (the target's column alone with ``--inputs target``) and the
    target's column index; UserError for a missing column."""
    from pathlib import Path

    if Path(path).suffix.lower() in (".ts", ".npz"):
        raise UserError("series_target_not_table", path=path)
    table = tables.read_table(path)
    if cfg.target not in table.columns:
        raise UserError("series_no_target", path=path, target=cfg.target, columns=", ".join(table.columns))
    if getattr(cfg, "inputs", "all") == "target":
        return target_only(table, table.columns.index(cfg.target))
    return table, table.columns.index(cfg.target)


def inputs_of_run(run, file=None) -> tuple[tables.Table, int, Transform]:
    """The table a forecasting ``run`` (``rnr.io.runs.load_run``) continues:
    ``file`` or its training table, with the run's columns and at least
    ``context`` rows; its target's index and the run's transform."""
    if run.raw["problem"] != "forecast":
        raise UserError("series_not_forecaster", path=run.path)
    path = file or run.raw["data"]["path"]
    table, target = read_table(path, run.cfg)
    if list(table.columns) != run.raw["columns"]:
        raise UserError("series_columns_differ", path=path, found=", ".join(table.columns),
                        expected=", ".join(run.raw["columns"]))
    if len(table.values) < (run.cfg.context or 1):
        raise UserError("series_too_short_context", path=path, rows=len(table.values), context=run.cfg.context)
    transform = Transform(run.raw["log"], Scaler.from_dict(run.raw["scaler"]))
    if transform.log and not (table.values > 0).all():
        raise UserError("series_log_run", path=path)
    return table, target, transform


def season_of(cfg, table) -> int:
    return cfg.season or tables.season_from_dates(table.dates) or 1


def check_lengths(cfg, rows: int, path, holdout: bool = True) -> None:
    """Enough rows for one training window before the validation ``horizon``
    and the held-out test ``horizon`` (``holdout=False``: no test)."""
    held = cfg.horizon * (2 if holdout else 1)
    need = max(cfg.context, 1) + held + (cfg.horizon if cfg.multi_step == "direct" else 1)
    if rows < need:
        raise UserError("series_too_short", path=path, rows=rows, need=need, context=cfg.context,
                        horizon=cfg.horizon)


def check_memory(cfg, rows: int, features: int) -> None:
    """Refuse (``rnr.engine.memory``) a table whose training windows would not fit:
    rows x --context x columns values, twice for an iterated forecast's targets."""
    from rnr.engine import memory

    n = max(rows - cfg.context, 1)
    per_window = cfg.context * features * (2 if cfg.multi_step == "iterated" else 1) + cfg.horizon
    memory.check_fits(4 * 3 * n * per_window, "--context")


def windows(z: np.ndarray, cfg, target: int):
    """Training examples from the scaled training rows z (T, F): X (n, L, F),
    Y (n, H) direct or (n, L, F) iterated, each relative to its window's level."""
    L, H = cfg.context, cfg.horizon
    if cfg.multi_step == "direct":
        starts = np.arange(len(z) - L - H + 1)
        X = np.stack([z[s:s + L] for s in starts])
        level = X.mean(axis=1)  # (n, F)
        Y = np.stack([z[s + L:s + L + H, target] for s in starts]) - level[:, target:target + 1]
    else:
        starts = np.arange(len(z) - L)
        X = np.stack([z[s:s + L] for s in starts])
        level = X.mean(axis=1)
        Y = np.stack([z[s + 1:s + L + 1] for s in starts]) - level[:, None, :]
    return (X - level[:, None, :]).astype(np.float32), Y.astype(np.float32)


@lru_cache(maxsize=8)
def _forward(mcfg, pool):
    @jax.jit
    def fn(params, X):  # X (L, 1, F) -> outputs (1, H) pooled or (L, 1, F)
        _, out = model.apply(mcfg, params, model.zeros(mcfg, X.shape[1]), X, pool=pool)
        return out

    return fn


def forecast(cfg, mcfg, params, transform: Transform, values: np.ndarray, target: int, steps: int) -> np.ndarray:
    """The target's next ``steps`` values after the rows ``values`` (T, F), in
    the data's own units; an ensemble's (``--ensemble``): the mean of its members'."""
    if cfg.ensemble > 1:
        return np.mean([forecast(dataclasses.replace(cfg, ensemble=1), mcfg, member(params, m), transform, values,
                                 target, steps) for m in range(cfg.ensemble)], axis=0)
    z = transform.forward(values)
    cfg = cfg if cfg.context else dataclasses.replace(cfg, context=transform.context or len(z))
    ctx = z[-cfg.context:]
    fn = _forward(mcfg, cfg.pooled())
    if cfg.multi_step == "direct":
        level = ctx.mean(axis=0)
        out = np.asarray(fn(params, jnp.asarray((ctx - level)[:, None, :])))[0]
        return transform.backward(out[:steps] + level[target], target)
    path = list(ctx)
    for _ in range(steps):
        window = np.stack(path[-cfg.context:])
        level = window.mean(axis=0)
        nxt = np.asarray(fn(params, jnp.asarray((window - level)[:, None, :])))[-1, 0] + level
        path.append(nxt.astype(np.float32))
    return transform.backward(np.stack(path[len(ctx):])[:, target], target)


@dataclass
class Prepared:
    cfg: object  # the settings, --context chosen (``auto_context``)
    table: tables.Table
    target: int
    transform: Transform
    season: int
    X: np.ndarray
    Y: np.ndarray
    info: dict
    holdout: bool = True  # the last ``horizon`` rows held out as a test, scored once at the end
    fit_rows: int = 0  # rows before the test: the training rows, then the validation stretch

    @property
    def features(self) -> int:
        return len(self.table.columns)

    @property
    def lengths(self) -> np.ndarray:
        return np.full(len(self.X), self.cfg.context, np.int32)

    def score(self, cfg, mcfg, params, test: bool, by: str = "network") -> dict:
        """The validation stretch's (``test=False``) or the test's forecast,
        scored; ``by``: the network's forecast or the seasonal naive's (``rnr.series.fallback``)."""
        rows = len(self.table.values) if test else self.fit_rows
        return holdout_scores(cfg, mcfg, params, self.table.values[:rows], self.transform, self.target, self.season,
                              by, origins=1 if test else cfg.origins)


def prepare_table(cfg, table: tables.Table, target: int, path, holdout: bool = True) -> Prepared:
    """``prepare`` for a table already in memory (``rnr.series.forecaster``);
    ``path`` only names it in messages. ``holdout=False``: every row trains,
    and the job makes no hold-out evaluation."""
    if not cfg.context:
        season = season_of(cfg, table)
        rows = len(table.values) - cfg.horizon * (2 if holdout else 1)
        cfg = dataclasses.replace(cfg, context=auto_context(rows, cfg.horizon if cfg.multi_step == "direct" else 1,
                                                            season))
    check_lengths(cfg, len(table.values), path, holdout)
    fit_rows = len(table.values) - (cfg.horizon if holdout else 0)
    train = table.values[: fit_rows - cfg.horizon]  # the validation stretch after it chooses the checkpoint
    positive = bool(np.all(table.values[:fit_rows] > 0))
    if cfg.transform == "log" and not positive:
        raise UserError("series_log_nonpositive", path=path)
    log = cfg.transform == "log" or (cfg.transform == "auto" and positive)
    lv = np.log(train) if log else train
    std = lv.std(axis=0)
    scaler = Scaler(lv.mean(axis=0).astype(np.float32), np.where(std > 1e-8, std, 1.0).astype(np.float32))
    transform = Transform(log, scaler, cfg.context)
    season = season_of(cfg, table)
    if season >= len(train):
        raise UserError("series_season_long", season=season, rows=len(train))
    check_memory(cfg, len(train), len(table.columns))
    X, Y = windows(transform.forward(train), cfg, target)
    info = {"problem": "forecast", "features": len(table.columns), "columns": list(table.columns),
            "season": season, "log": log, "scaler": scaler.to_dict(), "context": cfg.context}
    return Prepared(cfg, table, target, transform, season, X, Y, info, holdout, fit_rows)


def origin_offsets(horizon: int, origins: int) -> list[int]:
    """Where ``origins`` rolling origins stand in a stretch of ``horizon``
    rows: spread evenly from its start (offset 0), at most one per row."""
    r = max(1, min(origins, horizon))
    return sorted({k * horizon // r for k in range(r)})


def holdout_scores(cfg, mcfg, params, values: np.ndarray, transform, target, season, by: str = "network",
                   origins: int = 1) -> dict:
    """Forecast the last ``horizon`` of the rows ``values`` (T, F) from those
    before; scores of rnr (its network's forecast, or with ``by="naive"`` the
    seasonal naive's: ``rnr.series.fallback``) and of the seasonal naive
    forecast, and the series themselves for a figure. ``origins`` > 1: the
    scores pool the forecasts from that many rolling origins inside the
    stretch (``origin_offsets``); the forecasts kept are the first origin's."""
    H, T = cfg.horizon, len(values)
    pieces, naive_pieces = [], []
    for d in origin_offsets(H, origins):
        history, truth = values[:T - H + d, target], values[T - H + d:, target]
        naive = metrics.seasonal_naive(history, H - d, season)
        yhat = naive if by == "naive" else forecast(cfg, mcfg, params, transform, values[:T - H + d], target, H - d)
        pieces.append((truth, yhat, history))
        naive_pieces.append((truth, naive, history))
    out = {**metrics.pooled_scores(pieces, season), "naive": metrics.pooled_scores(naive_pieces, season),
           "forecast": pieces[0][1].tolist(), "naive_forecast": naive_pieces[0][1].tolist(), "forecast_by": by}
    return {**out, "origins": len(pieces)} if len(pieces) > 1 else out


# ---------------------------------------------------------------- several series, one model


