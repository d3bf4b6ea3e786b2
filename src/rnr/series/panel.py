"""Many series, one global model (``rnr series train FILE --target all``).

A ``.tsf`` file's series (of any lengths) or every column of a table is one
series each. Each series is scaled by its own training rows v (after the log,
where every value is positive):

    z_t = (v_t - mean) / scale,   scale = mean |v_t - v_{t-m}|   (m: the season)

the seasonal naive forecast's error one step ahead, MASE's own denominator, so
that a squared error in these units weighs every series as their mean MASE
does (a series' standard deviation, dominated by its trend, weighed a
trending series far below a flat one). The training
windows of every series train one model together (contexts of
``MIN_CONTEXT`` to ``context`` rows, so short series take part); each series
holds out its own validation stretch and test stretch as one series does
(``rnr.series.forecast``); the scores are means over the series, beside the
seasonal naive forecast's.
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
from rnr.series.forecast import ALL, AUTO_MOST, Transform, check_memory, origin_offsets
from rnr.series.job import member
from rnr.series.sequences import Scaler


MIN_CONTEXT = 2  # the shortest context of a --target all training window (a series' own start)


def auto_panel_context(rows: int, horizon: int, season: int) -> int:
    """``--context 0`` with ``--target all`` (``rows``: the series' median
    training rows): min(24, max(2 x season, 1.5 x horizon, rows / 4)).
    Windows start at each series' own start (MIN_CONTEXT rows), so no cap
    keeps them. On M1 yearly (horizon 6), scored on the validation stretch
    as a held-out end (``benchmarks/dev_series.py --origin-back``), contexts
    of 7-10 beat 6 by 0.19-0.39 MASE and 12 lost 0.19."""
    return min(AUTO_MOST, max(2 * season, -(-3 * horizon // 2), rows // 4))


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

    def score(self, cfg, mcfg, params, test: bool, by: str = "network") -> dict:
        """Every series' validation (``test=False``) or test stretch, forecast
        from the rows before it (``by``: the network or the seasonal naive):
        the mean scores over the series, rnr's and the seasonal naive's, and
        each series' own."""
        held = cfg.horizon if (self.holdout and not test) else 0
        return panel_scores(cfg, mcfg, params, [v[:len(v) - held] for v in self.panel.values], self.transforms,
                            self.season, self.panel.names, by, origins=1 if test else cfg.origins)


def naive_scale(v: np.ndarray, season: int) -> float:
    """A series' scale from its training rows ``v`` (T,), T > season (as
    ``prepare_panel`` requires): MASE's denominator, the mean absolute
    seasonal difference (``metrics.naive_scale``); its standard deviation
    where that is zero (a series that repeats itself); 1 where both are."""
    scale = metrics.naive_scale(v, max(1, season))
    std = float(np.std(v))
    return scale if scale > 1e-8 else (std if std > 1e-8 else 1.0)


def series_transform(cfg, values: np.ndarray, train: np.ndarray, path, name, season: int) -> Transform:
    """One series' own scale: log when ``--transform log``, or ``auto`` and
    every value before its test is positive; the mean of its training rows
    and their seasonal naive error (``naive_scale``)."""
    positive = bool(np.all(values > 0))
    if cfg.transform == "log" and not positive:
        raise UserError("series_log_nonpositive", path=f"{path} ({name})")
    log = cfg.transform == "log" or (cfg.transform == "auto" and positive)
    lv = np.log(train) if log else train
    scale = np.array([naive_scale(lv, season)], np.float32)
    return Transform(log, Scaler(np.array([lv.mean()], np.float32), scale), cfg.context)


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


def scaled_windows(values: list, transforms: list, rows: list, cfg):
    """``panel_windows`` of each series' first ``rows`` values, each on its own scale."""
    zs = [t.forward(v[:n, None])[:, 0] for t, v, n in zip(transforms, values, rows)]
    return panel_windows(zs, cfg.context, cfg.horizon)


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
    transforms = [series_transform(cfg, v[:len(v) - (H if holdout else 0)], v[:n], path, name, season)
                  for name, v, n in zip(panel.names, panel.values, train_rows)]
    check_memory(cfg, sum(train_rows), 1)
    X, Y, lengths = scaled_windows(panel.values, transforms, train_rows, cfg)
    if not len(X):
        raise UserError("series_panel_no_windows", path=path, most=max(train_rows), need=min(cfg.context, MIN_CONTEXT) + H)
    info = {"problem": "forecast", "features": 1, "columns": [cfg.target], "season": season,
            "log": all(t.log for t in transforms), "scaler": Scaler(np.zeros(1, np.float32),
                                                                      np.ones(1, np.float32)).to_dict(),
            "context": cfg.context,
            "series": {"names": list(panel.names), "log": [t.log for t in transforms],
                       "mean": [float(t.scaler.mean[0]) for t in transforms],
                       "std": [float(t.scaler.std[0]) for t in transforms]}}  # the divisor: each series' scale
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


def panel_scores(cfg, mcfg, params, values: list, transforms: list, season: int, names: list,
                 by: str = "network", origins: int = 1) -> dict:
    """Forecast the last ``horizon`` values of each series from those before
    (``by``: with the network, or with the seasonal naive, ``rnr.series.fallback``):
    each series' scores (rnr's and the seasonal naive's) and their means over
    the series (MASE over the series whose history is not constant).
    ``origins`` > 1: each series' scores pool its forecasts from that many
    rolling origins inside the stretch (``forecast.origin_offsets``)."""
    H = cfg.horizon
    pieces, naive_pieces = [[] for _ in values], [[] for _ in values]
    for d in origin_offsets(H, origins):
        histories = [v[:len(v) - H + d] for v in values]
        naives = [metrics.seasonal_naive(hist, H - d, season) for hist in histories]
        yhats = naives if by == "naive" else panel_forecast(cfg, mcfg, params, histories, transforms, H - d)
        for i, (v, hist, yhat, naive) in enumerate(zip(values, histories, yhats, naives)):
            pieces[i].append((v[len(v) - H + d:], yhat, hist))
            naive_pieces[i].append((v[len(v) - H + d:], naive, hist))
    each = [{"name": name, **metrics.pooled_scores(p, season), "naive": metrics.pooled_scores(q, season),
             "forecast": p[0][1].tolist(), "naive_forecast": q[0][1].tolist()}
            for name, p, q in zip(names, pieces, naive_pieces)]

    def mean(key, sub=None):
        xs = np.array([(e[sub] if sub else e)[key] for e in each], np.float64)
        xs = xs[np.isfinite(xs)]
        return float(xs.mean()) if len(xs) else float("nan")

    keys = ("mae", "rmse", "mase", "smape")
    out = {**{k: mean(k) for k in keys}, "naive": {k: mean(k, "naive") for k in keys},
           "series": len(each), "each": each, "forecast_by": by,
           "forecast": each[0]["forecast"], "naive_forecast": each[0]["naive_forecast"]}
    return {**out, "origins": len(pieces[0])} if len(pieces[0]) > 1 else out


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
