"""``rnr.series.Forecaster``: ``rnr series train --target`` from Python, with
scikit-learn's estimator contract (``rnr.estimator``).

    Forecaster(horizon=12).fit(series).predict()
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rnr.estimator import Settings, fit_job, read_best, read_history, user_errors
from rnr.series import fallback
from rnr.series.config import SeriesConfig
from rnr.series.inputs import as_table, csv_bytes, load_series, stored_params
from rnr.series.report import eval_line
from rnr.errors import UserError

def forecast_z(cfg, mcfg, params, ctx: np.ndarray, target: int, rows: int = 256) -> np.ndarray:
    """(n, H) forecasts of the target, on the network's scale, from n contexts
    (n, L, F) on that scale: ``rnr.series.forecast.forecast`` for many windows
    at once (an ensemble: the mean of its members')."""
    import dataclasses

    import jax.numpy as jnp

    from rnr.series import forecast
    from rnr.series.job import member

    if cfg.ensemble > 1:
        one = dataclasses.replace(cfg, ensemble=1)
        return np.mean([forecast_z(one, mcfg, member(params, m), ctx, target, rows) for m in range(cfg.ensemble)],
                       axis=0)

    fn = forecast._forward(mcfg, cfg.pooled())
    out = []
    for start in range(0, len(ctx), rows):
        idx = np.arange(start, start + rows)
        c = ctx[np.where(idx < len(ctx), idx, 0)]  # the last batch topped up with the first window
        if cfg.multi_step == "direct":
            level = c.mean(axis=1)
            z = np.asarray(fn(params, jnp.asarray(np.moveaxis(c - level[:, None], 0, 1))))[:, :cfg.horizon]
            z = z + level[:, target:target + 1]
        else:
            path = c
            for _ in range(cfg.horizon):
                window = path[:, -cfg.context:]
                level = window.mean(axis=1)
                nxt = np.asarray(fn(params, jnp.asarray(np.moveaxis(window - level[:, None], 0, 1))))[-1] + level
                path = np.concatenate([path, nxt[:, None].astype(np.float32)], axis=1)
            z = path[:, -cfg.horizon:, target]
        out.append(z[: len(ctx) - start])
    return np.concatenate(out, axis=0)


def naive_residuals_z(z: np.ndarray, horizon: int, m: int) -> np.ndarray:
    """(ends, H) residuals of the seasonal naive forecast of ``z`` (T,) from
    every end e with m <= e <= T - H: z[e:e+H] minus the m values before e, repeated."""
    from rnr.series import metrics

    ends = np.arange(m, len(z) - horizon + 1)
    if len(ends) < 1:
        raise UserError("est_interval_few_naive", rows=len(z), need=m + horizon)
    return np.stack([z[e:e + horizon] - metrics.seasonal_naive(z[:e], horizon, m) for e in ends])


class Forecaster(Settings):
    """A recurrent network that forecasts the next ``horizon`` values of a
    series (``rnr series train TABLE --target COLUMN``).

    Parameters: every setting of ``rnr series train`` for forecasting, by the
    same name and with the same default (``horizon=12``, ``context=0`` (chosen from the length),
    ``season=0`` (from the dates, else 1), ``multi_step="direct"``,
    ``transform="auto"``, ``fallback="naive"``, ``ensemble=None`` (6 networks
    averaged; ``ensemble=1``: one), ``inputs="target"`` (the
    target's past only; ``"all"``: every column of a DataFrame or 2-D array), ...); ``target``: the column to forecast (a
    DataFrame's column name or a 2-D array's column index; default the first);
    ``holdout``: False (default) uses the whole history: its last
    ``horizon`` values are the validation stretch that chooses the checkpoint
    (the forecast still reads them as context); True also holds a test
    stretch out after it and scores the forecast of it once, as the CLI does
    (``holdout_scores_``); ``run_dir``, ``verbose`` as for ``Classifier``.

    ``fit(y)``: a pandas Series or DataFrame (a DatetimeIndex gives the
    season and the forecast's dates) or an array (T,) or (T, F).

    Fitted attributes: ``n_features_in_``, ``columns_``, ``season_``,
    ``forecast_by_`` ("network", or "naive" when the seasonal naive forecast
    the validation stretch better and ``fallback="naive"``: ``predict`` then
    gives the naive's values, ``rnr.series.fallback``),
    ``history_``, ``summary_``, ``run_dir_`` and, with ``holdout=True``,
    ``holdout_scores_`` (MAE, RMSE, MASE, sMAPE and the seasonal naive
    forecast's).
    """

    config = SeriesConfig
    exclude = ("val_fraction", "refit")  # refit: the command line's (rnr.series.refit)
    extra = {"holdout": False, "run_dir": None, "verbose": 0}

    def __sklearn_tags__(self):
        from sklearn.utils import Tags, TargetTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=True))

    def fit(self, y, X=None):
        """Train on the series ``y`` (``X`` is not used); returns self."""
        from rnr.series import forecast, forecast_job

        with user_errors():
            self.check_extra()
            if not isinstance(self.holdout, (bool, np.bool_)):
                raise UserError("est_bad_param", name="holdout", value=repr(self.holdout), rule="True or False")
            table, t, facts = as_table(y, self.target)
            where = (t, len(table.columns))  # the target's place among y's columns
            if self.inputs == "target":  # the network reads the target's past only
                table, t = forecast.target_only(table, t)
            cfg = self.settings(target=table.columns[t])
            prep = forecast.prepare_table(cfg, table, t, "y", holdout=bool(self.holdout))
            cfg = prep.cfg  # the context chosen for this series (``--context 0``)
            job = forecast_job.ForecastJob(cfg, prep, on_eval=eval_line)
            config = {"task": "series", **cfg.to_dict(), **prep.info}
            trained = fit_job(self, job, config, "data.csv", csv_bytes(table))
        self._fc = (cfg, job.mcfg, prep.transform, t)
        self._target_at = where
        self._table, self._facts, self._residuals = table, facts, None
        self.n_features_in_, self.columns_, self.season_ = len(table.columns), list(table.columns), prep.season
        if self.holdout:
            self.holdout_scores_ = {k: trained.summary[k] for k in ("mae", "rmse", "mase", "smape", "naive")}
        self.forecast_by_ = trained.summary.get("forecast_by", fallback.NETWORK)
        return self

    def _history(self, y):
        """The table a forecast continues: the fitted one, or ``y`` (the columns
        the network reads: the target's alone by default, ``_read_columns``)."""
        from rnr.series.sequences import Table

        cfg, _, transform, t = self._fc
        if y is None:
            if self._table is None:
                raise UserError("est_need_history")
            return self._table, self._facts
        table, _, facts = as_table(y)
        table = self._read_columns(table)
        if table.values.shape[1] != self.n_features_in_:
            raise UserError("est_x_features", what="y", found=table.values.shape[1], expected=self.n_features_in_)
        if len(table.values) < cfg.context:
            raise UserError("est_too_short_context", rows=len(table.values), context=cfg.context)
        if transform.log and not (table.values > 0).all():
            raise UserError("est_log_fitted")
        return Table(tuple(self.columns_), table.values, table.dates), facts

    def _read_columns(self, table, what: str = "y"):
        """``table`` as the network reads it: when it was fitted on the target
        alone (``inputs="target"``), the target's column: by its name, else at
        its place in a table as wide as the one fitted, or a table's only column."""
        from rnr.series import forecast

        cfg, _, _, t = self._fc
        if cfg.inputs != "target" or table.values.shape[1] == 1:
            return table
        name = self.columns_[t]
        if name in table.columns:
            return forecast.target_only(table, table.columns.index(name))[0]
        at, width = getattr(self, "_target_at", (None, None))
        if width == table.values.shape[1]:
            return forecast.target_only(table, at)[0]
        raise UserError("est_target_missing", what=what, name=name, found=", ".join(table.columns))

    def _point(self, table) -> np.ndarray:
        from rnr.series import forecast

        cfg, mcfg, transform, t = self._fc
        if self.forecast_by_ == fallback.NAIVE:
            return fallback.forecast(table.values[:, t], cfg.horizon, self.season_, "y")
        return forecast.forecast(cfg, mcfg, self._params(), transform, table.values, t, cfg.horizon)

    def _shaped(self, values, table, facts):
        """A pandas Series indexed by the next dates (fitted on pandas with dates), else the array."""
        if facts is None or table.dates is None:
            return values
        import pandas as pd

        last, H = pd.Timestamp(table.dates[-1]), len(values)
        if facts.get("freq"):
            index = pd.date_range(last, periods=H + 1, freq=facts["freq"])[1:]
        else:
            step = np.median(np.diff(table.dates.astype("datetime64[ns]")).astype(np.int64))
            index = pd.DatetimeIndex(table.dates[-1] + np.arange(1, H + 1) * np.timedelta64(int(step), "ns"))
        return pd.Series(values, index=index, name=self.columns_[self._fc[3]])

    def predict(self, y=None):
        """The next ``horizon`` values of the target after the fitted series
        (or after ``y``, a longer or other series holding the columns it read:
        by default the target's, found by name or place)."""
        self._fitted()
        with user_errors():
            table, facts = self._history(y)
            return self._shaped(self._point(table), table, facts)

    def predict_interval(self, coverage: float = 0.9, y=None):
        """(lower, upper): a ``coverage`` prediction interval for each of the
        next ``horizon`` values.

        Method: the model forecasts from every training window of the fitted
        series (context rows -> the next ``horizon``), and the residuals of
        step h (truth minus forecast, on the network's scale: after the log
        when the transform takes one, and the standardisation) give their
        empirical (1 - coverage)/2 and (1 + coverage)/2 quantiles, added to
        step h's forecast and mapped back to the data's units. In-sample
        residuals: an overfitted model's intervals are too narrow. A
        Forecaster that forecasts with the seasonal naive (``forecast_by_``)
        takes the naive's residuals from every end a season or more in."""
        self._fitted()
        with user_errors():
            if isinstance(coverage, bool) or not isinstance(coverage, (int, float)) or not 0 < coverage < 1:
                raise UserError("est_bad_param", name="coverage", value=repr(coverage),
                                rule="a number between 0 and 1 (exclusive)")
            table, facts = self._history(y)
            point = self._point(table)
            r = self._residuals_z()
        cfg, _, transform, t = self._fc
        q = np.quantile(r, [(1 - coverage) / 2, (1 + coverage) / 2], axis=0)  # (2, H)
        v = np.log(point) if transform.log else point
        z = (v - transform.scaler.mean[t]) / transform.scaler.std[t]
        lower, upper = (transform.backward(z + q[i], t) for i in (0, 1))
        return self._shaped(lower, table, facts), self._shaped(upper, table, facts)

    def _residuals_z(self) -> np.ndarray:
        """(windows, H) residuals of the training windows, on the network's scale."""
        if self._residuals is None:
            cfg, mcfg, transform, t = self._fc
            if self._table is None:
                raise UserError("est_need_history")
            values = self._table.values
            train = values[: len(values) - cfg.horizon] if self.holdout else values
            z = transform.forward(train)
            if self.forecast_by_ == fallback.NAIVE:  # the naive's residuals, from every end of a season or more
                self._residuals = naive_residuals_z(z[:, t], cfg.horizon, max(1, self.season_))
                return self._residuals
            starts = np.arange(len(z) - cfg.context - cfg.horizon + 1)
            if len(starts) < 1:
                raise UserError("est_interval_few", rows=len(z), need=cfg.context + cfg.horizon)
            ctx = np.stack([z[s:s + cfg.context] for s in starts])
            truth = np.stack([z[s + cfg.context:s + cfg.context + cfg.horizon, t] for s in starts])
            self._residuals = truth - forecast_z(cfg, mcfg, self._params(), ctx, t)
        return self._residuals

    def score(self, y_future) -> dict:
        """How the forecast of the next values matches ``y_future`` (the values
        that followed the fitted series; the first ``horizon`` are scored):
        MAE, RMSE, MASE, sMAPE, and the seasonal naive forecast's ("naive").
        A dict, not one number: a forecaster has no X, it is no scikit-learn regressor."""
        from rnr.series import metrics

        self._fitted()
        with user_errors():
            future, _, _ = as_table(y_future, what="y_future")
            future = self._read_columns(future, "y_future") if future.values.shape[1] > 1 else future
            cfg, _, _, t = self._fc
            truth = future.values[:, t if future.values.shape[1] == self.n_features_in_ else 0]
            table, _ = self._history(None)
            n = min(len(truth), cfg.horizon)
            yhat = self._point(table)[:n]
        history, season = table.values[:, t], self.season_
        naive = metrics.seasonal_naive(history, n, season)
        return {**metrics.forecast_scores(truth[:n], yhat, history, season),
                "naive": metrics.forecast_scores(truth[:n], naive, history, season)}

    @classmethod
    def load(cls, path) -> "Forecaster":
        """A fitted Forecaster from any forecasting run folder. Its training
        table is read back when the file is still there; else ``predict`` needs ``y``."""
        from rnr.series import forecast
        from rnr.series.forecast import Transform
        from rnr.series.sequences import Scaler

        with user_errors():
            run, tree = load_series(path, "forecast")
            est = cls(**stored_params(cls, run.cfg))
            est.history_, est.summary_ = read_history(path)
            est.holdout = est.summary_.get("held", "test") == "test"
            t = run.raw["columns"].index(run.cfg.target)
            transform = Transform(run.raw["log"], Scaler.from_dict(run.raw["scaler"]))
            est._fc = (run.cfg, run.mcfg, transform, t)
            try:
                est._table = forecast.inputs_of_run(run)[0]
            except UserError:
                est._table = None
            est._tree, est._meta, est._config, est._files = tree, run.meta, run.raw, {}
            est._best = read_best(path, tree["params"])
            est._facts, est._residuals = None, None
            est.n_features_in_, est.columns_, est.season_ = run.raw["features"], run.raw["columns"], run.raw["season"]
            est.forecast_by_ = fallback.of_run(path, run.cfg.fallback)
            est.run_dir_ = Path(path)
        return est
