"""How good a classification or a forecast is (NumPy, float64).

Classification, true labels y (N,) and predictions p (N,):
    accuracy        mean(p == y)
    confusion[i, j] how many sequences of class i were predicted as j

Forecast of H values yhat against the truth y, with the training history x:
    MAE   = mean |y - yhat|
    RMSE  = sqrt(mean (y - yhat)^2)
    sMAPE = 100 * mean( 2 |y - yhat| / (|y| + |yhat|) )        (percent)
    MASE  = MAE / mean_t |x_t - x_{t-m}|      (the in-sample seasonal naive's error;
            below 1: better than repeating last season, on the training data's scale)
    seasonal naive: yhat_{T+h} = x_{T+h-m*ceil(h/m)}    (the last season, repeated)

Several forecasts of one stretch from rolling origins (``pooled_scores``):
each value's error is scaled by its own origin's history, and each step
ahead h = 1..H weighs the same, whatever the number of origins reaching it
(a later origin forecasts fewer steps):
    MASE = mean_h [ mean over the origins reaching h of |y - yhat| / scale_origin ]
"""

from __future__ import annotations

import numpy as np


def accuracy(y, p) -> float:
    return float(np.mean(np.asarray(y) == np.asarray(p)))


def confusion(y, p, n_classes: int) -> np.ndarray:
    """(K, K) counts; row = true class, column = predicted class."""
    m = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(m, (np.asarray(y), np.asarray(p)), 1)
    return m


def per_class_accuracy(m: np.ndarray) -> list:
    """Recall of each class from a confusion matrix (None for a class absent from y)."""
    totals = m.sum(axis=1)
    return [float(m[i, i] / totals[i]) if totals[i] else None for i in range(len(m))]


def mae(y, yhat) -> float:
    return float(np.mean(np.abs(np.asarray(y, np.float64) - np.asarray(yhat, np.float64))))


def rmse(y, yhat) -> float:
    return float(np.sqrt(np.mean((np.asarray(y, np.float64) - np.asarray(yhat, np.float64)) ** 2)))


def smape_terms(y, yhat) -> np.ndarray:
    """2 |y - yhat| / (|y| + |yhat|) for each value (0 where both are 0)."""
    y, yhat = np.asarray(y, np.float64), np.asarray(yhat, np.float64)
    denom = np.abs(y) + np.abs(yhat)
    return np.where(denom > 0, 2.0 * np.abs(y - yhat) / np.where(denom > 0, denom, 1.0), 0.0)


def smape(y, yhat) -> float:
    return float(100.0 * np.mean(smape_terms(y, yhat)))


def seasonal_naive(history, horizon: int, m: int) -> np.ndarray:
    """The last ``m`` values of ``history`` (T, ...) repeated over ``horizon`` steps."""
    history = np.asarray(history, np.float64)
    last = history[-m:]
    reps = -(-horizon // m)
    return np.concatenate([last] * reps, axis=0)[:horizon]


def naive_scale(history, m: int) -> float:
    """MASE's denominator: the mean absolute m-step difference of the history."""
    history = np.asarray(history, np.float64)
    return float(np.mean(np.abs(history[m:] - history[:-m])))


def mase(y, yhat, history, m: int) -> float:
    scale = naive_scale(history, m)
    return mae(y, yhat) / scale if scale > 0 else float("inf")


def forecast_scores(y, yhat, history, m: int) -> dict:
    """Every forecast metric at once, as stored in a run's summary."""
    return {"mae": mae(y, yhat), "rmse": rmse(y, yhat), "mase": mase(y, yhat, history, m),
            "smape": smape(y, yhat)}


def pooled_scores(pieces, m: int) -> dict:
    """``forecast_scores`` over several forecasts at once, ``pieces``: [(y,
    yhat, history)], one per origin, each forecasting steps 1..len(y) ahead.
    Every step ahead weighs the same: a value at step h weighs 1 / (the
    pieces reaching h). MASE divides each error by the naive scale of its own
    origin's history. One piece: exactly ``forecast_scores``."""
    if len(pieces) == 1:
        return forecast_scores(*pieces[0], m)
    counts = np.zeros(max(len(p[0]) for p in pieces))
    for p in pieces:
        counts[:len(p[0])] += 1
    y = np.concatenate([np.asarray(p[0], np.float64) for p in pieces])
    yhat = np.concatenate([np.asarray(p[1], np.float64) for p in pieces])
    w = np.concatenate([1.0 / counts[:len(p[0])] for p in pieces])
    w = w / w.sum()
    scales = np.concatenate([np.full(len(p[0]), naive_scale(p[2], m)) for p in pieces])
    err = np.abs(y - yhat)
    return {"mae": float(w @ err), "rmse": float(np.sqrt(w @ err ** 2)),
            "mase": float(w @ (err / scales)) if np.all(scales > 0) else float("inf"),
            "smape": float(100.0 * (w @ smape_terms(y, yhat)))}
