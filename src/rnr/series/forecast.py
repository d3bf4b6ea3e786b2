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
Training windows end before the validation stretch, and the scaling comes
from the training rows only.

``--context 0`` (the default) chooses the context from the training rows:
``auto_context``. ``--target all`` forecasts every series of a file (a
``.tsf`` file's series of any lengths, or every column of a table) with one
global model (``PanelJob``): each series scaled by its own training rows,
the training windows of every series together (contexts of ``MIN_CONTEXT``
to ``context`` rows), each series' validation and test stretches held out
as above; the scores are means over the series, beside the seasonal naive's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np

from rnr.engine import devices, loop, model
from rnr.io import runs
from rnr.errors import UserError
from rnr.series import metrics, tables
from rnr.series.job import SequenceJob, member
from rnr.series.sequences import Scaler


ALL = "all"  # --target all: every series, one global model (unless a column is named so)
AUTO_MOST = 24  # the longest context --context 0 chooses
MIN_CONTEXT = 2  # the shortest context of a --target all training window (a series' own start)


def auto_context(rows: int, horizon: int, season: int) -> int:
    """``--context 0``: min(24, max(2 x season, rows / 4)) for ``rows``
    training rows, at most half of what leaves one window ((rows - horizon) / 2),
    so that a short series still gives windows; at least 1."""
    L = min(AUTO_MOST, max(2 * season, rows // 4))
    return max(1, min(L, (rows - horizon) // 2))


def auto_panel_context(rows: int, horizon: int, season: int) -> int:
    """``--context 0`` with ``--target all`` (``rows``: the series' median
    training rows): min(24, max(2 x season, horizon, rows / 4)). Windows start
    at each series' own start (MIN_CONTEXT rows), so no cap keeps them: on M1
    yearly's validation stretches contexts of 4-6 scored best, 12 worst."""
    return min(AUTO_MOST, max(2 * season, horizon, rows // 4))


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


def read_table(path, cfg) -> tuple[tables.Table, int]:
    """The table and the target's column index; UserError for a missing column."""
    from pathlib import Path

    if Path(path).suffix.lower() in (".ts", ".npz"):
        raise UserError("series_target_not_table", path=path)
    table = tables.read_table(path)
    if cfg.target not in table.columns:
        raise UserError("series_no_target", path=path, target=cfg.target, columns=", ".join(table.columns))
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

    def score(self, cfg, mcfg, params, test: bool) -> dict:
        """The validation stretch's (``test=False``) or the test's forecast, scored."""
        rows = len(self.table.values) if test else self.fit_rows
        return holdout_scores(cfg, mcfg, params, self.table.values[:rows], self.transform, self.target, self.season)


def prepare(cfg, path):
    """The training windows of ``path``: ``Prepared`` (one target column) or,
    with ``--target all``, ``PanelPrepared`` (every series, one global model)."""
    if cfg.target == ALL:
        panel = read_panel(path, cfg)
        if panel is not None:
            return prepare_panel(cfg, panel, path)
    table, target = read_table(path, cfg)
    return prepare_table(cfg, table, target, path)


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


def holdout_scores(cfg, mcfg, params, values: np.ndarray, transform, target, season) -> dict:
    """Forecast the last ``horizon`` of the rows ``values`` (T, F) from those
    before; scores of rnr and of the seasonal naive forecast, and the series
    themselves for a figure."""
    H = cfg.horizon
    history, truth = values[:-H, target], values[-H:, target]
    yhat = forecast(cfg, mcfg, params, transform, values[:-H], target, H)
    naive = metrics.seasonal_naive(history, H, season)
    return {**metrics.forecast_scores(truth, yhat, history, season),
            "naive": metrics.forecast_scores(truth, naive, history, season),
            "forecast": yhat.tolist(), "naive_forecast": naive.tolist()}


# ---------------------------------------------------------------- several series, one model


@dataclass
class Panel:
    """Series of any lengths forecast by one global model (``--target all``)."""
    names: list
    values: list  # (T_i,) float64 each
    dates: list  # (T_i,) datetime64 or None each
    season: int | None  # from the file's frequency or dates


def read_panel(path, cfg) -> Panel | None:
    """Every series of ``path``: a ``.tsf`` file's (any lengths), or every
    column of a table; None when a table has a column named ``all`` (that
    column is then the one target)."""
    from pathlib import Path

    from rnr.series import tsf_file

    if Path(path).suffix.lower() in (".ts", ".npz"):
        raise UserError("series_target_not_table", path=path)
    if Path(path).suffix.lower() == ".tsf":
        data = tsf_file.read_tsf(path)
        names, values, dates = tsf_file.panel_of(data, path)
        season = tsf_file.SEASONS.get(data.frequency)
        if season is None and dates[0] is not None:
            season = tables.season_from_dates(dates[0])
        return Panel(names, values, dates, season)
    table = tables.read_table(path)
    if ALL in table.columns:
        return None
    return Panel(list(table.columns), [table.values[:, k] for k in range(len(table.columns))],
                 [table.dates] * len(table.columns), tables.season_from_dates(table.dates))


@dataclass
class PanelPrepared:
    cfg: object  # the settings, --context chosen
    panel: Panel
    transforms: list  # one Transform per series (its own log, mean and std)
    season: int
    X: np.ndarray  # (n, context, 1), each window's valid steps first, zeros after
    Y: np.ndarray  # (n, horizon)
    lengths: np.ndarray  # (n,) valid steps of each window
    info: dict
    holdout: bool = True
    features: int = 1

    @property
    def table(self) -> tables.Table:
        """The first series as a table (drawn in holdout.png)."""
        return tables.Table((self.panel.names[0],), self.panel.values[0][:, None], self.panel.dates[0])

    target = 0

    def score(self, cfg, mcfg, params, test: bool) -> dict:
        """Every series' validation (``test=False``) or test stretch, forecast
        from the rows before it: the mean scores over the series, rnr's and
        the seasonal naive's, and each series' own."""
        held = cfg.horizon if (self.holdout and not test) else 0
        return panel_scores(cfg, mcfg, params, [v[:len(v) - held] for v in self.panel.values], self.transforms,
                            self.season, self.panel.names)


def series_transform(cfg, values: np.ndarray, train: np.ndarray, path, name) -> Transform:
    """One series' own scale: log when ``--transform log``, or ``auto`` and
    every value before its test is positive; mean and std of its training rows."""
    positive = bool(np.all(values > 0))
    if cfg.transform == "log" and not positive:
        raise UserError("series_log_nonpositive", path=f"{path} ({name})")
    log = cfg.transform == "log" or (cfg.transform == "auto" and positive)
    lv = np.log(train) if log else train
    std = float(lv.std())
    return Transform(log, Scaler(np.array([lv.mean()], np.float32), np.array([std if std > 1e-8 else 1.0],
                                                                              np.float32)), cfg.context)


def panel_windows(zs: list, L: int, H: int):
    """Training examples of every series (its scaled training rows z): a
    context of MIN_CONTEXT to L rows (valid steps first, zeros after) -> the
    next H values, both relative to the context's mean."""
    X, Y, lengths = [], [], []
    least = min(L, MIN_CONTEXT)
    for z in zs:
        for e in range(least, len(z) - H + 1):  # the first forecast row
            ctx = z[max(0, e - L):e]
            level = ctx.mean()
            x = np.zeros(L, np.float32)
            x[:len(ctx)] = ctx - level
            X.append(x)
            Y.append(z[e:e + H] - level)
            lengths.append(len(ctx))
    if not X:
        return np.zeros((0, L, 1), np.float32), np.zeros((0, H), np.float32), np.zeros(0, np.int32)
    return (np.stack(X)[..., None].astype(np.float32), np.stack(Y).astype(np.float32),
            np.array(lengths, np.int32))


def prepare_panel(cfg, panel: Panel, path, holdout: bool = True) -> PanelPrepared:
    """Each series: the last ``horizon`` values the test (``holdout``), the
    ``horizon`` before them the validation, the rows before those its training
    rows (its scale and its windows)."""
    H = cfg.horizon
    if cfg.multi_step != "direct":
        raise UserError("series_all_direct")
    season = cfg.season or panel.season or 1
    held = H * (2 if holdout else 1)
    need = held + season + 1  # one seasonal difference before the validation stretch (MASE's scale)
    for name, v in zip(panel.names, panel.values):
        if len(v) < need:
            raise UserError("series_panel_short", path=path, name=name, rows=len(v), need=need, horizon=H,
                            season=season)
    train_rows = [len(v) - held for v in panel.values]
    if not cfg.context:
        cfg = dataclasses.replace(cfg, context=auto_panel_context(int(np.median(train_rows)), H, season))
    transforms = [series_transform(cfg, v[:len(v) - (H if holdout else 0)], v[:n], path, name)
                  for name, v, n in zip(panel.names, panel.values, train_rows)]
    zs = [t.forward(v[:n, None])[:, 0] for t, v, n in zip(transforms, panel.values, train_rows)]
    check_memory(cfg, sum(train_rows), 1)
    X, Y, lengths = panel_windows(zs, cfg.context, H)
    if not len(X):
        raise UserError("series_panel_no_windows", path=path, most=max(train_rows), need=min(cfg.context, MIN_CONTEXT) + H)
    info = {"problem": "forecast", "features": 1, "columns": [cfg.target], "season": season,
            "log": all(t.log for t in transforms), "scaler": Scaler(np.zeros(1, np.float32),
                                                                      np.ones(1, np.float32)).to_dict(),
            "context": cfg.context,
            "series": {"names": list(panel.names), "log": [t.log for t in transforms],
                       "mean": [float(t.scaler.mean[0]) for t in transforms],
                       "std": [float(t.scaler.std[0]) for t in transforms]}}
    return PanelPrepared(cfg, panel, transforms, season, X, Y, lengths, info, holdout)


@lru_cache(maxsize=8)
def _forward_lengths(mcfg, pool):
    @jax.jit
    def fn(params, X, lengths):  # X (L, B, F), lengths (B,) -> (B, H)
        _, out = model.apply(mcfg, params, model.zeros(mcfg, X.shape[1]), X, lengths=lengths, pool=pool)
        return out

    return fn


def panel_forecast(cfg, mcfg, params, histories: list, transforms: list, steps: int) -> list:
    """The next ``steps`` values of every series (``histories``: each one's
    values so far), in its own units: one batch, each series' last
    ``context`` rows (fewer for a shorter one); an ensemble: its members' mean."""
    L = cfg.context
    zs = [t.forward(np.asarray(h, np.float64)[-L:, None])[:, 0] for t, h in zip(transforms, histories)]
    n = np.array([len(z) for z in zs], np.int32)
    level = np.array([z.mean() for z in zs], np.float32)
    X = np.zeros((L, len(zs), 1), np.float32)
    for i, z in enumerate(zs):
        X[:len(z), i, 0] = z - level[i]
    fn = _forward_lengths(mcfg, cfg.pooled())
    members = [params] if cfg.ensemble == 1 else [member(params, m) for m in range(cfg.ensemble)]
    out = np.mean([np.asarray(fn(p, jnp.asarray(X), jnp.asarray(n))) for p in members], axis=0)
    out = out[:, :steps] + level[:, None]
    return [t.backward(o, 0) for t, o in zip(transforms, out)]


def panel_scores(cfg, mcfg, params, values: list, transforms: list, season: int, names: list) -> dict:
    """Forecast the last ``horizon`` values of each series from those before:
    each series' scores (rnr's and the seasonal naive's) and their means over
    the series (MASE over the series whose history is not constant)."""
    H = cfg.horizon
    histories = [v[:-H] for v in values]
    yhats = panel_forecast(cfg, mcfg, params, histories, transforms, H)
    each = []
    for name, v, hist, yhat in zip(names, values, histories, yhats):
        naive = metrics.seasonal_naive(hist, H, season)
        each.append({"name": name, **metrics.forecast_scores(v[-H:], yhat, hist, season),
                     "naive": metrics.forecast_scores(v[-H:], naive, hist, season),
                     "forecast": yhat.tolist(), "naive_forecast": naive.tolist()})

    def mean(key, sub=None):
        xs = np.array([(e[sub] if sub else e)[key] for e in each], np.float64)
        xs = xs[np.isfinite(xs)]
        return float(xs.mean()) if len(xs) else float("nan")

    keys = ("mae", "rmse", "mase", "smape")
    return {**{k: mean(k) for k in keys}, "naive": {k: mean(k, "naive") for k in keys},
            "series": len(each), "each": each,
            "forecast": each[0]["forecast"], "naive_forecast": each[0]["naive_forecast"]}


def panel_of_run(run, file=None) -> tuple[Panel, list]:
    """The series a ``--target all`` run continues: ``file`` or its training
    file, with the run's series (by name, in its order), and their transforms."""
    path = file or run.raw["data"]["path"]
    panel = read_panel(path, run.cfg)
    stored = run.raw["series"]
    if panel is None or sorted(panel.names) != sorted(stored["names"]):
        found = [] if panel is None else panel.names
        raise UserError("series_columns_differ", path=path, found=_shown(found), expected=_shown(stored["names"]))
    where = {n: i for i, n in enumerate(panel.names)}
    order = [where[n] for n in stored["names"]]
    panel = Panel([panel.names[i] for i in order], [panel.values[i] for i in order],
                  [panel.dates[i] for i in order], panel.season)
    transforms = [Transform.from_dict({"log": lg, "mean": [m], "std": [sd]})
                  for lg, m, sd in zip(stored["log"], stored["mean"], stored["std"])]
    for name, t, v in zip(panel.names, transforms, panel.values):
        if t.log and not (v > 0).all():
            raise UserError("series_log_run", path=f"{path} ({name})")
    return panel, transforms


def _shown(names: list, most: int = 10) -> str:
    return ", ".join(names[:most]) + (", ..." if len(names) > most else "")


def is_panel(raw: dict) -> bool:
    """A ``--target all`` run (several series, one model)?"""
    return "series" in raw


class ForecastJob(SequenceJob):
    """Windows of the table -> the next values; scored on the held-out end."""

    def __init__(self, cfg, prep: Prepared, on_eval=None):
        cfg = prep.cfg  # --context chosen
        n_out = cfg.horizon if cfg.multi_step == "direct" else prep.features
        mcfg = cfg.model(prep.features, n_out)
        # a squared error (a training loss), or a validation MASE, of 1e6 is far past any sound fit
        super().__init__(cfg, mcfg, prep.X, prep.Y, prep.lengths, classify=False, explode=1e6)
        self.prep, self.on_eval = prep, on_eval

    chosen_by = "lowest validation MASE"

    def validation_loss_of(self, result: dict) -> float | None:
        """The validation MASE, judged for divergence: not finite, or above
        ``explode``, is a forecast that has left the data's scale."""
        mase = result.get("val_mase") if isinstance(result, dict) else None
        return float(mase) if isinstance(mase, (int, float)) else None

    def scores(self, params, test: bool) -> dict:
        """The validation stretch's forecast (every series' for ``--target all``), or the test's, scored."""
        return self.prep.score(self.cfg, self.mcfg, devices.fetch_tree(params), test)

    def evaluate(self, state, position: loop.Position) -> dict:
        """The validation stretch's scores; the chosen checkpoint when its MASE is the lowest."""
        s = self.scores(state[0], test=False)
        self.keep_if_best(state[0], s["mase"], position)
        rec = {"step": position.step, "epoch": position.epoch, "val_mae": s["mae"], "val_mase": s["mase"],
               "val_smape": s["smape"], "val_naive_mase": s["naive"]["mase"]}
        if self.run is not None:
            runs.append_metrics(self.run.file(runs.METRICS), rec)
        if self.on_eval:
            self.on_eval(rec)
        return rec

    def summary(self, outcome, last: dict | None) -> dict:
        """The chosen checkpoint's validation scores and the test's, scored once here."""
        params = self.chosen_params(outcome.state)
        v = self.scores(params, test=False)
        out = {"task": "series", "problem": "forecast", **self.chosen(outcome.position), "season": self.prep.season,
               "context": self.cfg.context, "val_mase": v["mase"], "val_smape": v["smape"],
               "val_naive_mase": v["naive"]["mase"]}
        if "series" in v:  # --target all: the scores are means over the series
            out["series"] = v["series"]
        if not self.prep.holdout:  # no test (``prepare_table(..., holdout=False)``)
            return {**out, "held": None}
        s = self.scores(params, test=True)
        if self.run is not None:
            runs.append_metrics(self.run.file(runs.METRICS), {
                "step": outcome.position.step, "epoch": outcome.position.epoch, "chosen_step": out["chosen_step"],
                "test_mae": s["mae"], "test_mase": s["mase"], "test_smape": s["smape"],
                "test_naive_mase": s["naive"]["mase"]})
        out = {**out, "held": "test", **{k: s[k] for k in ("mae", "rmse", "mase", "smape")}, "naive": s["naive"],
               "forecast": s["forecast"], "naive_forecast": s["naive_forecast"]}
        if "each" in s:  # each series' test scores and forecast (the top-level forecast: the first series')
            out["each"] = s["each"]
        return out
