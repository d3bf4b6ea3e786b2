"""The seasonal naive forecast in place of the network, where the validation
stretch says it forecasts better (``--fallback naive``, the default).

After training, the chosen checkpoint and the seasonal naive forecast

    yhat_{T+h} = x_{T+h-m*ceil(h/m)}        (the last season, repeated)

both forecast the validation stretch (the ``horizon`` values before the
test, or before the end when nothing is held out). When the naive's MASE
there is the lower (or the network's is not finite), the run forecasts with
the naive: the test is scored with it, and ``rnr series forecast``, ``eval``
and ``Forecaster`` give its values. summary.json keeps the choice
(``"forecast_by"``: "network" or "naive") and, after a fallback, the
network's own test scores (``"network"``). ``--fallback none`` always keeps
the network.

One choice per run: with ``--target all`` on the mean MASE over the series.
Chosen series by series, on M1 yearly's validation stretches, it forecast the
stretch after them worse than one choice for all (docs/series.md).
"""

from __future__ import annotations

import math

NETWORK, NAIVE = "network", "naive"
CHOICES = ("naive", "none")  # --fallback


def choose(fallback: str, val_mase, val_naive_mase) -> str:
    """NAIVE when ``fallback`` allows it and the naive's validation MASE is
    finite and below the network's (or the network's is not finite)."""
    if fallback != "naive" or not _finite(val_naive_mase):
        return NETWORK
    return NAIVE if not _finite(val_mase) or val_naive_mase < val_mase else NETWORK


def forecast(history, steps: int, season: int, where) -> "np.ndarray":
    """The seasonal naive's next ``steps`` values after ``history`` (T,); a
    history shorter than one season is refused (``where`` names it)."""
    from rnr.errors import UserError
    from rnr.series import metrics

    if len(history) < max(1, season):
        raise UserError("series_naive_short", path=where, rows=len(history), season=season)
    return metrics.seasonal_naive(history, steps, max(1, season))


def of_run(run_dir) -> str:
    """The choice a run's summary.json holds; NETWORK without one (a run
    still training, interrupted, or written before the choice existed)."""
    import json
    from pathlib import Path

    from rnr.io import runs

    try:
        summary = json.loads((Path(run_dir) / runs.SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return NETWORK
    return NAIVE if isinstance(summary, dict) and summary.get("forecast_by") == NAIVE else NETWORK


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
