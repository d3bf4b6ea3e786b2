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
the network. A run set to fall back whose summary.json holds no choice (still
training, killed, or damaged) is refused by those commands rather than guessed.

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


def of_run(run_dir, fallback: str = "none") -> str:
    """The choice a run's summary.json holds (written when training ends,
    or is interrupted). NETWORK for a run whose settings never fall back
    (``fallback``: its config's, "none" for runs written before the choice
    existed); such a run without a readable choice (still training, killed,
    or its summary.json damaged) is refused: which forecast it stands for is unknown."""
    import json
    from pathlib import Path

    from rnr.errors import UserError
    from rnr.io import runs

    if fallback != "naive":
        return NETWORK
    try:
        summary = json.loads((Path(run_dir) / runs.SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = None
    by = summary.get("forecast_by") if isinstance(summary, dict) else None
    if by not in (NETWORK, NAIVE):
        raise UserError("series_choice_unknown", path=Path(run_dir) / runs.SUMMARY)
    return by


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
