"""The peers of ``rnr series``, one per process: aeon's classifiers and
statsmodels' forecasters on the same train/test splits as rnr.

    python benchmarks/series_peers.py --peer rocket --dataset GunPoint --cores 2
    python benchmarks/series_peers.py --peer ets --dataset Airline --cores 2

Prints ONE JSON line: ``peer``, ``dataset``, the score (``accuracy`` for a
classifier; ``mase``, ``smape``, ``mae``, ``rmse`` for a forecaster),
``compile_seconds`` (aeon's Numba kernels compiled by a fit and predict on a
few training series before the clock starts, so that, like rnr, compile time
is apart), ``fit_seconds``, ``predict_seconds``, ``versions``. A peer that
refuses a dataset (ROCKET on unequal lengths) prints ``"refused"`` with its
reason and exits 0.

Peers (install with ``pip install -e .[peers]``):
  rocket  aeon ``RocketClassifier`` (10,000 kernels, ridge classifier; random_state fixed)
  minirocket  aeon ``MiniRocketClassifier`` (10,000 kernels, ridge classifier; random_state fixed)
  dtw     aeon ``KNeighborsTimeSeriesClassifier(distance="dtw", n_neighbors=1)``
  ets     statsmodels ``ExponentialSmoothing(trend="add", seasonal="mul")`` (an additive
          season where the training part holds a value <= 0), fitted by
          maximum likelihood (its defaults), forecasting the held-out horizon
  naive   the seasonal naive forecast: the last season of the training part, repeated
  (with --file F.tsf: every series of F, the means of the per-series scores; ETS with
  an additive trend and no season, as for yearly data)

Classification reads ``NAME_TRAIN.ts`` / ``NAME_TEST.ts`` with aeon's reader.
Forecasting reads ``NAME.csv`` (a header, a date column, the target column last
or ``--target``); the last ``--horizon`` values are held out.

``--cores N`` pins this process to the first N cores and sets the thread-pool
sizes (OpenMP, Numba, MKL, OpenBLAS) before anything numeric is imported; the
ROCKET gets ``n_jobs=N``. 1-NN DTW gets ``n_jobs=1`` unless ``--jobs``: aeon's
k-NN predicts one query at a time, each a Numba parallel region over the
training series, and on a busy 2-core machine two threads made ItalyPowerDemand's
predict about 20x slower (12.6 s against 0.58 s); its whole pairwise DTW matrix
took 0.2 s with one thread or two.

The metrics (MAE, RMSE, MASE, sMAPE) are written once here, in NumPy, from
their definitions (Hyndman and Koehler 2006), independently of rnr's own.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "series"

CLASSIFIERS = ("rocket", "minirocket", "dtw")
FORECASTERS = ("ets", "naive")
PEERS = CLASSIFIERS + FORECASTERS
THREAD_VARS = ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def pin(cores: int) -> None:
    """This process (and what it starts) on the first ``cores`` cores, every thread pool that size.
    Must run before NumPy, Numba or scikit-learn are imported."""
    for var in THREAD_VARS:
        os.environ[var] = str(cores)
    if hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, set(allowed[:cores]))


# ---- metrics: the one place they are written ------------------------------------------

def mae(y, yhat) -> float:
    import numpy as np

    return float(np.mean(np.abs(np.asarray(y, float) - np.asarray(yhat, float))))


def rmse(y, yhat) -> float:
    import numpy as np

    return float(np.sqrt(np.mean((np.asarray(y, float) - np.asarray(yhat, float)) ** 2)))


def smape(y, yhat) -> float:
    """Symmetric MAPE in percent: mean(2|y - yhat| / (|y| + |yhat|)) * 100."""
    import numpy as np

    y, yhat = np.asarray(y, float), np.asarray(yhat, float)
    return float(np.mean(2.0 * np.abs(y - yhat) / (np.abs(y) + np.abs(yhat))) * 100.0)


def mase(y, yhat, train, m: int) -> float:
    """MAE of the forecast over the in-sample MAE of the seasonal naive forecast
    (lag ``m``) on the training part: mean|train[t] - train[t - m]|."""
    import numpy as np

    train = np.asarray(train, float)
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    return mae(y, yhat) / scale


def seasonal_naive(train, horizon: int, m: int):
    """The last ``m`` training values repeated over the horizon."""
    import numpy as np

    train = np.asarray(train, float)
    return np.array([train[len(train) - m + (h % m)] for h in range(horizon)])


def forecast_scores(y, yhat, train, m: int) -> dict:
    return {"mase": mase(y, yhat, train, m), "smape": smape(y, yhat), "mae": mae(y, yhat), "rmse": rmse(y, yhat)}


# ---- data ---------------------------------------------------------------------------

def read_series_csv(path: Path, target: str | None):
    """The target column of a CSV with a header, as float64, in file order."""
    import csv

    import numpy as np

    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    col = header.index(target) if target else len(header) - 1
    return np.array([float(r[col]) for r in body])


def versions(*names: str) -> dict:
    import importlib.metadata as md

    out = {"python": sys.version.split()[0]}
    for name in ("numpy", *names):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return out


# ---- peers --------------------------------------------------------------------------

def classify(args) -> dict:
    import numpy as np
    from aeon.datasets import load_from_ts_file

    d = Path(args.data_dir)
    X, y = load_from_ts_file(str(d / f"{args.dataset}_TRAIN.ts"))
    Xt, yt = load_from_ts_file(str(d / f"{args.dataset}_TEST.ts"))
    equal = not isinstance(X, list)
    out = {"n_train": len(y), "n_test": len(yt), "equal_length": equal,
           "versions": versions("aeon", "numba", "scikit-learn")}

    jobs = args.jobs or (args.cores if args.peer in ("rocket", "minirocket") else 1)
    out["n_jobs"] = jobs

    def make():
        if args.peer == "rocket":
            from aeon.classification.convolution_based import RocketClassifier

            return RocketClassifier(n_kernels=args.kernels, random_state=args.seed, n_jobs=jobs)
        if args.peer == "minirocket":
            from aeon.classification.convolution_based import MiniRocketClassifier

            return MiniRocketClassifier(n_kernels=args.kernels, random_state=args.seed, n_jobs=jobs)
        from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier

        return KNeighborsTimeSeriesClassifier(distance="dtw", n_neighbors=1, n_jobs=jobs)

    # Numba compiles aeon's kernels on first use: a fit and predict on a few
    # training series (two of each of the first classes) take that out of the clock
    small = [i for c in list(dict.fromkeys(y))[:2] for i in np.flatnonzero(y == c)[:2]]
    sub = (lambda A, idx: [A[i] for i in idx]) if not equal else (lambda A, idx: A[idx])
    t = time.perf_counter()
    try:
        make().fit(sub(X, small), y[small]).predict(sub(X, small))
    except Exception as e:  # noqa: BLE001 - a peer's own refusal (ROCKET on unequal lengths) is a result
        return {**out, "accuracy": None, "refused": f"{type(e).__name__}: {e}".strip()[:300]}
    out["compile_seconds"] = time.perf_counter() - t

    model = make()
    t = time.perf_counter()
    model.fit(X, y)
    out["fit_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    pred = model.predict(Xt)
    out["predict_seconds"] = time.perf_counter() - t
    out["accuracy"] = float(np.mean(pred == yt))
    return out


def forecast(args) -> dict:
    import numpy as np

    series = read_series_csv(Path(args.data_dir) / (args.file or f"{args.dataset}.csv"), args.target)
    H, m = args.horizon, args.season
    train, test = series[:-H], series[-H:]
    out = {"n_train": len(train), "horizon": H, "season": m}
    if args.peer == "naive":
        out["versions"] = versions()
        out["compile_seconds"] = 0.0
        t = time.perf_counter()
        pred = seasonal_naive(train, H, m)
        out["fit_seconds"] = 0.0
        out["predict_seconds"] = time.perf_counter() - t
    else:
        import warnings

        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        out["versions"] = versions("statsmodels", "scipy")
        out["compile_seconds"] = 0.0
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter
            season = "mul" if (train > 0).all() else "add"  # a multiplicative season needs positive values
            fit = ExponentialSmoothing(train, trend="add", seasonal=season, seasonal_periods=m).fit()
        out["fit_seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        pred = np.asarray(fit.forecast(H))
        out["predict_seconds"] = time.perf_counter() - t
    out.update(forecast_scores(test, pred, train, m))
    return out


def read_tsf_series(path: Path) -> list:
    """Every series of a Monash ``.tsf`` file (after ``@data``, one per line,
    ``name:start:v1,v2,...``), read here without rnr."""
    import numpy as np

    out, data = [], False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if data:
            out.append(np.array([float(v) for v in line.rsplit(":", 1)[1].split(",")]))
        elif line.lower() == "@data":
            data = True
    return out


def forecast_panel(args) -> dict:
    """Every series of a ``.tsf`` file: its last ``horizon`` values held out,
    the mean of the per-series scores (MASE scaled by each series' own
    seasonal differences, m = ``season``)."""
    import warnings

    import numpy as np

    series = read_tsf_series(Path(args.data_dir) / args.file)
    H, m = args.horizon, args.season
    out = {"series": len(series), "horizon": H, "season": m, "compile_seconds": 0.0, "predict_seconds": 0.0,
           "versions": versions("statsmodels", "scipy") if args.peer == "ets" else versions()}
    scores, t = [], time.perf_counter()
    for y in series:
        train, test = y[:-H], y[-H:]
        if args.peer == "naive":
            pred = seasonal_naive(train, H, m)
        else:
            from statsmodels.tsa.holtwinters import ExponentialSmoothing

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence chatter on short series
                pred = np.asarray(ExponentialSmoothing(train, trend="add").fit().forecast(H))
        scores.append(forecast_scores(test, pred, train, m))
    out["fit_seconds"] = time.perf_counter() - t
    for key in ("mae", "rmse", "smape", "mase"):
        out[key] = float(np.mean([sc[key] for sc in scores]))
    return out


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--peer", choices=PEERS, required=True)
    p.add_argument("--dataset", required=True, help="GunPoint, ..., or Airline (NAME_TRAIN.ts/NAME_TEST.ts or NAME.csv)")
    p.add_argument("--data-dir", default=str(DATA), help="folder of the datasets (../shared/data/series)")
    p.add_argument("--cores", type=int, default=2, help="pin to the first N cores; thread pools of N (2)")
    p.add_argument("--jobs", type=int, default=0, help="aeon's n_jobs (ROCKET: --cores; DTW: 1)")
    p.add_argument("--seed", type=int, default=0, help="ROCKET's random_state (0)")
    p.add_argument("--kernels", type=int, default=10_000, help="ROCKET's kernels (10000)")
    p.add_argument("--target", default=None, help="forecast column (the last one)")
    p.add_argument("--horizon", type=int, default=24, help="values held out and forecast (24)")
    p.add_argument("--season", type=int, default=12, help="seasonal period m (12)")
    p.add_argument("--file", default=None,
                   help="the file: a .tsf of many series (forecast each; the mean scores) or a .csv (NAME.csv)")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    pin(args.cores)
    started = time.perf_counter()
    panel = args.file is not None and args.file.endswith(".tsf")
    r = (classify if args.peer in CLASSIFIERS else forecast_panel if panel else forecast)(args)
    r = {"peer": args.peer, "dataset": args.dataset, "cores": args.cores, **r,
         "total_seconds": time.perf_counter() - started}
    print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
