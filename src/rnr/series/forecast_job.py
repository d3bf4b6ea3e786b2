"""The forecasting job ``rnr.engine.loop`` runs: windows of one table's target
(``rnr.series.forecast``) or of many series (``rnr.series.panel``) -> the next
values; every evaluation forecasts the validation stretch, and the test is
scored once, at the end, with the chosen checkpoint."""

from __future__ import annotations

from rnr.engine import devices, loop
from rnr.io import runs
from rnr.series import fallback
from rnr.series.forecast import ALL, Prepared, prepare_table, read_table
from rnr.series.job import SequenceJob
from rnr.series.panel import prepare_panel, read_panel


def prepare(cfg, path):
    """The training windows of ``path``: ``Prepared`` (one target column) or,
    with ``--target all``, ``PanelPrepared`` (every series, one global model)."""
    if cfg.target == ALL:
        panel = read_panel(path, cfg)
        if panel is not None:
            return prepare_panel(cfg, panel, path)
    table, target = read_table(path, cfg)
    return prepare_table(cfg, table, target, path)


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

    def scores(self, params, test: bool, by: str = fallback.NETWORK) -> dict:
        """The validation stretch's forecast (every series' for ``--target all``),
        or the test's, scored; ``by``: the network's or the seasonal naive's."""
        return self.prep.score(self.cfg, self.mcfg, devices.fetch_tree(params), test, by)

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
        by = fallback.choose(self.cfg.fallback, v["mase"], v["naive"]["mase"])
        out = {"task": "series", "problem": "forecast", **self.chosen(outcome.position), "season": self.prep.season,
               "context": self.cfg.context, "val_mase": v["mase"], "val_smape": v["smape"],
               "val_naive_mase": v["naive"]["mase"], "forecast_by": by}
        if "series" in v:  # --target all: the scores are means over the series
            out["series"] = v["series"]
        if not self.prep.holdout:  # no test (``prepare_table(..., holdout=False)``)
            return {**out, "held": None}
        keys = ("mae", "rmse", "mase", "smape")
        s = self.scores(params, test=True, by=by)
        if by == fallback.NAIVE:  # the network's own test scores, kept beside the forecast the run gives
            net = self.scores(params, test=True)  # its forecast: the first series' with --target all
            out["network"] = {**{k: net[k] for k in keys}, "forecast": net["forecast"],
                              "forecast_mase": net["each"][0]["mase"] if "each" in net else net["mase"]}
        if self.run is not None:
            runs.append_metrics(self.run.file(runs.METRICS), {
                "step": outcome.position.step, "epoch": outcome.position.epoch, "chosen_step": out["chosen_step"],
                "test_mae": s["mae"], "test_mase": s["mase"], "test_smape": s["smape"],
                "test_naive_mase": s["naive"]["mase"], "forecast_by": by})
        out = {**out, "held": "test", **{k: s[k] for k in keys}, "naive": s["naive"],
               "forecast": s["forecast"], "naive_forecast": s["naive_forecast"]}
        if "each" in s:  # each series' test scores and forecast (the top-level forecast: the first series')
            out["each"] = s["each"]
        return out
