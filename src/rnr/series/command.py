"""``rnr series``: classification and forecasting on your own numeric sequences.

    rnr series train TRAIN.ts --test TEST.ts            classify (.ts, .csv, .tsv, .npz)
    rnr series train TABLE.csv --target COL --horizon H  forecast the next H values
    rnr series predict RUN FILE                          classes and probabilities, CSV
    rnr series forecast RUN [FILE] --horizon H           the next H values, CSV and a figure
    rnr series eval RUN FILE                             accuracy, or MAE/RMSE/MASE/sMAPE
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from rnr.i18n import t as _h
from rnr.i18n import text as msg
from rnr.settings import setting
from rnr.io import files
from rnr.errors import UserError, os_error
from rnr.cli import parsers
from rnr.series import report as reports
from rnr.series.report import eval_line, summary_line
from rnr.cli.progress import report_end

ORDER = 40


@dataclass(frozen=True)
class ForecastOptions:
    """The options of ``rnr series forecast``."""
    horizon: int | None = setting(None, "series_help_forecast_horizon", low=1, high=1_000_000, aliases=("steps",))


def add_parser(sub, common):
    from rnr import settings
    from rnr.series.config import SeriesConfig

    p, ssub = parsers.add_group(sub, common, "series", "series_help", "series_help_long")
    t = parsers.add_train(ssub, common, "series_help", run_train)
    t.add_argument("--test", metavar=_h("meta_file"), help=_h("series_help_test"))
    settings.add_arguments(t, SeriesConfig)

    pr = ssub.add_parser("predict", parents=[common], help=_h("series_help_predict"))
    pr.add_argument("run_dir", metavar=_h("meta_run"))
    pr.add_argument("file", metavar=_h("meta_file"))
    pr.add_argument("--out", metavar=_h("meta_file"), help=_h("series_help_predict_out"))
    pr.set_defaults(run=run_predict)

    f = ssub.add_parser("forecast", parents=[common], help=_h("series_help_forecast"))
    f.add_argument("run_dir", metavar=_h("meta_run"))
    f.add_argument("file", nargs="?", metavar=_h("meta_file"), help=_h("series_help_forecast_file"))
    settings.add_arguments(f, ForecastOptions)
    f.add_argument("--out", metavar=_h("meta_dir"), help=_h("series_help_forecast_out"))
    f.set_defaults(run=run_forecast)

    e = ssub.add_parser("eval", parents=[common], help=_h("series_help_eval"))
    e.add_argument("run_dir", metavar=_h("meta_run"))
    e.add_argument("file", metavar=_h("meta_file"))
    e.add_argument("--json", action="store_true", help=_h("series_help_eval_json"))
    e.set_defaults(run=run_eval)
    return p


def run_train(args) -> int:
    from rnr import data as datasets
    from rnr import settings
    from rnr.engine import trainer
    from rnr.errors import UserError
    from rnr.cli.progress import Progress
    from rnr.series import classify, forecast_job, refit
    from rnr.series import files as series_files
    from rnr.series.config import SeriesConfig, config_dict, file_sha256

    lang = args.lang
    if args.resume:
        out, cfg, raw = trainer.resumed_settings(args, "series", SeriesConfig)
        path = args.file or raw["data"]["path"]
        test = args.test or (raw.get("test") or {}).get("path")
        for file, entry in ((path, raw["data"]), (test, raw.get("test"))):
            if file is not None and entry is not None:  # the files it was trained and scored on
                if file_sha256(series_files.check_file(file)) != entry["sha256"]:
                    raise UserError("series_changed", path=file, run=out)
    else:
        if not args.file:
            raise UserError("series_need_file")
        cfg = settings.from_args(SeriesConfig, args)
        path, named_test = datasets.resolve(args.file, "series")  # a dataset's name: its cached files
        test = args.test or named_test
        if cfg.forecasting and test:
            raise UserError("series_test_forecast")
        out = trainer.new_run_dir(args, "series")
    say = None
    on_eval = lambda rec: say(eval_line(rec, lang))  # noqa: E731
    if cfg.forecasting:
        prep = forecast_job.prepare(cfg, path)
        job = forecast_job.ForecastJob(cfg, prep, on_eval)  # every check (devices, sizes) before a run folder exists
    else:
        prep = classify.prepare(cfg, path, test)
        job = classify.ClassifyJob(cfg, prep, on_eval)
    config = config_dict(cfg, prep.info, path)
    if test:
        config["test"] = {"path": str(Path(test).resolve()), "sha256": file_sha256(test)}
    progress = Progress(lang, quiet=args.quiet, every=job.per_eval, unit="steps")
    say = progress.write
    say(msg("compiling", lang))

    def on_compiled(seconds):
        say(msg("series_compiled", lang, seconds=seconds, examples=len(job.X), steps=job.per_epoch,
                batch=job.batch, devices=job.n_devices))

    def figures(run, summary):
        if args.plot != "none":
            from rnr.series import figures as series_figure

            series_figure.write(run, job, summary, lang)

    stored = {**raw, **config} if args.resume else config
    try:
        s = trainer.train_run(job, out, job.limits(), job.schedule(), resume=bool(args.resume), config=stored,
                              on_compiled=on_compiled, on_finished=figures, progress=progress).summary
        refit.forget_stale(out, s)
        owed = refit.needed(cfg, out, s)
        if owed:
            s = refit.run(job, out, s, stored, announce=lambda examples, steps: say(
                msg("series_refit_start", lang, examples=examples, steps=steps)))
        if s.get("refit"):
            say(reports.refit_line(s, lang))
    finally:
        progress.close()
    stopped = s["interrupted"] or (owed and "refit" not in s)  # Ctrl-C during the refit: --resume does it
    return report_end(summary_line(s, lang), out, lang, stopped, "series_resume_hint")


def _loaded(run_dir):
    from rnr.io import runs

    return runs.load_run(run_dir, kind="series")  # the chosen checkpoint (best.safetensors)


def run_predict(args) -> int:
    from rnr.errors import UserError
    from rnr.series import classify
    from rnr.series.sequences import Scaler

    run = _loaded(args.run_dir)
    if run.raw["problem"] != "classify":
        raise UserError("series_not_classifier", path=args.run_dir)
    data = _unlabelled(args.file, run.raw["classes"])
    if data.features != run.raw["features"]:
        raise UserError("series_features_differ", path=args.file, found=data.features, expected=run.raw["features"])
    data = Scaler.from_dict(run.raw["scaler"]).apply(data)
    log_p = classify.mean_log_probabilities(run.mcfg, run.cfg.pooled(), run.params, data, run.cfg.ensemble)
    classes = run.raw["classes"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["index", "predicted"] + [f"p_{c}" for c in classes])
    for i, row in enumerate(__import__("numpy").exp(log_p)):
        w.writerow([i, classes[int(row.argmax())]] + [f"{v:.6f}" for v in row])
    if args.out:
        if not Path(args.out).parent.is_dir():
            raise UserError("series_out_no_folder", path=args.out, folder=Path(args.out).parent)
        files.write_out(Path(args.out), buf.getvalue().encode())
        print(msg("series_predicted", args.lang, n=len(data), path=args.out), file=sys.stderr)  # stdout may be the --out
    else:
        sys.stdout.write(buf.getvalue())
    return 0


def _unlabelled(path, classes):
    """The sequences to predict: labels are not needed (an NPZ without ``y``;
    a CSV whose first column holds none of the run's ``classes`` is all values)."""
    from rnr.errors import UserError
    from rnr.series import classify, tables

    suffix = Path(path).suffix.lower()
    if suffix == ".npz":
        return tables.read_npz(path, labelled=False)
    if suffix == ".ts":
        return classify.read_sequences(path)
    try:
        data = tables.read_labelled_csv(path)
    except UserError as e:
        if e.key != "series_csv_no_labels":
            raise
        return tables.read_labelled_csv(path, labelled=False)
    if not set(data.classes) & set(classes):  # the first column is values, not labels
        return tables.read_labelled_csv(path, labelled=False)
    return data


def _forecast_inputs(run, file):
    from rnr.series import forecast

    return forecast.inputs_of_run(run, file)


def run_forecast(args) -> int:
    from rnr import settings
    from rnr.series import panel as panels
    from rnr.errors import UserError
    from rnr.series import fallback, forecast

    o = settings.from_args(ForecastOptions, args)
    run = _loaded(args.run_dir)
    steps = o.horizon or run.cfg.horizon
    if run.cfg.multi_step == "direct" and steps > run.cfg.horizon:
        raise UserError("series_horizon_direct", steps=steps, horizon=run.cfg.horizon)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    season = run.raw.get("season", 1)
    if panels.is_panel(run.raw):  # --target all: every series, long format (series, date or row, value)
        panel, transforms = panels.panel_of_run(run, args.file)
        naive = fallback.of_run(args.run_dir, run.cfg.fallback) == fallback.NAIVE  # the run forecasts with it
        every = [fallback.forecast(v, steps, season, f"{args.file or args.run_dir} ({n})")
                 for n, v in zip(panel.names, panel.values)] if naive else \
            panels.panel_forecast(run.cfg, run.mcfg, run.params, panel.values, transforms, steps)
        dated = all(d is not None for d in panel.dates)
        w.writerow(["series", "date" if dated else "row", "value"])
        for name, v, dates, fc in zip(panel.names, panel.values, panel.dates, every):
            for d, x in zip(_when(dates, len(v), steps), fc):
                w.writerow([name, d, f"{x:.6g}"])
        from rnr.series.sequences import Table

        table, target, values = Table((panel.names[0],), panel.values[0][:, None], panel.dates[0]), 0, every[0]
        when, name = _when(table.dates, len(panel.values[0]), steps), panel.names[0]  # the figure: the first series
    else:
        table, target, transform = _forecast_inputs(run, args.file)  # refuses a classification run
        naive = fallback.of_run(args.run_dir, run.cfg.fallback) == fallback.NAIVE
        values = fallback.forecast(table.values[:, target], steps, season, args.file or args.run_dir) if naive else \
            forecast.forecast(run.cfg, run.mcfg, run.params, transform, table.values, target, steps)
        when, name = _when(table.dates, len(table.values), steps), run.cfg.target
        w.writerow(["date" if table.dates is not None else "row", run.cfg.target])
        for d, v in zip(when, values):
            w.writerow([d, f"{v:.6g}"])
    out = Path(args.out) if args.out else Path(args.run_dir)
    if out.exists() and not out.is_dir():
        raise UserError("series_forecast_out_file", path=out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise os_error(e, out) from None
    from rnr.series import figures as series_figure

    # the figure first: a failure there leaves no forecast.csv of this call beside an older figure
    interval = None if panels.is_panel(run.raw) else _interval(args.run_dir, table, steps)
    series_figure.write_future(out / "forecast.png", table, target, when, values, name, args.lang, interval, naive)
    files.atomic_write_bytes(out / "forecast.csv", buf.getvalue().encode())
    sys.stdout.write(buf.getvalue())
    print(msg("series_forecast_written", args.lang, csv=out / "forecast.csv", png=out / "forecast.png"),
          file=sys.stderr)
    if naive:
        print(msg("series_forecast_is_naive", args.lang), file=sys.stderr)
    return 0


def _interval(run_dir, table, steps: int):
    """A 90% interval for the forecast (``Forecaster.predict_interval``: the
    model's residuals on its training windows), or None when the run's
    training table is gone or the forecast runs past the trained horizon."""
    from rnr.series.forecaster import Forecaster

    try:
        est = Forecaster.load(run_dir)
        if steps != est.horizon:
            return None
        return est.predict_interval(0.9, y=table.values)
    except (ValueError, UserError):
        return None


def _when(dates, rows: int, steps: int) -> list[str]:
    """The next ``steps`` dates after ``dates``, or row numbers after ``rows``."""
    import numpy as np

    if dates is not None:
        return [str(d) for d in dates[-1] + np.arange(1, steps + 1) * _date_step(dates)]
    return [str(rows + i) for i in range(steps)]


def _date_step(dates):
    """The series' step between dates, in the dates' own unit (a month for monthly data)."""
    import numpy as np

    steps = np.diff(dates)
    return np.median(steps.astype(np.int64)).astype(np.int64).astype(steps.dtype)


SCORE_BYTES = 64 * 2**20  # log-probabilities held at once while scoring (rows x classes x 4 bytes)


def run_eval(args) -> int:
    """Score a labelled file (classification) or a table's last --horizon rows
    (forecasting): a report for people, or one JSON object (--json)."""
    from rnr.errors import UserError
    from rnr.series import fallback, forecast
    from rnr.series import panel as panels
    from rnr.series.sequences import Scaler, relabel

    run = _loaded(args.run_dir)
    lang = args.lang
    if run.raw["problem"] == "classify":
        from rnr.series import classify

        data = classify.read_sequences(args.file)
        if data.features != run.raw["features"]:
            raise UserError("series_features_differ", path=args.file, found=data.features,
                            expected=run.raw["features"])
        if (data.y < 0).any():
            raise UserError("series_no_labels", path=args.file)
        data = Scaler.from_dict(run.raw["scaler"]).apply(relabel(data, tuple(run.raw["classes"]), args.file))
        s = _class_scores(run, data, len(run.raw["classes"]))
        report = reports.classify_json(s, run.raw["classes"], args.file) if args.json else \
            reports.classify_report(s, run.raw["classes"], args.file, lang)
    else:
        season = run.raw["season"]
        by = fallback.of_run(args.run_dir, run.cfg.fallback)  # the network, or the seasonal naive
        if panels.is_panel(run.raw):  # --target all: each series' last --horizon values; means over the series
            panel, transforms = panels.panel_of_run(run, args.file)
            need = run.cfg.horizon + season + 1
            for name, v in zip(panel.names, panel.values):
                if len(v) < need:
                    raise UserError("series_panel_short", path=args.file, name=name, rows=len(v), need=need,
                                    horizon=run.cfg.horizon, season=season)
            s = panels.panel_scores(run.cfg, run.mcfg, run.params, panel.values, transforms, season, panel.names, by)
        else:
            table, target, transform = _forecast_inputs(run, args.file)
            forecast.check_lengths(run.cfg, len(table.values), args.file)
            s = forecast.holdout_scores(run.cfg, run.mcfg, run.params, table.values, transform, target, season, by)
        report = reports.forecast_json(s, run.cfg.horizon, season, args.file) if args.json else \
            reports.forecast_report(s, run.cfg.horizon, season, args.file, lang)
    sys.stdout.write(report + "\n")
    return 0


def _class_scores(run, data, k: int) -> dict:
    """Loss, accuracy and per-class counts, scored a slice of rows at a time
    (memory: at most about SCORE_BYTES of log-probabilities, whatever the
    number of classes); the confusion matrix only for at most reports.SHOWN_CLASSES."""
    import numpy as np

    from rnr.series import classify
    from rnr.series.sequences import Sequences

    n = len(data)
    rows = max(classify.EVAL_ROWS, SCORE_BYTES // (4 * k) // classify.EVAL_ROWS * classify.EVAL_ROWS)
    starts = list(range(0, n, rows))
    if len(starts) > 1 and n - starts[-1] < classify.EVAL_ROWS:
        starts.pop()  # the rest joins the last slice: one compiled shape for every call
    pred, nll = np.empty(n, np.int64), np.empty(n, np.float64)
    for a, b in zip(starts, starts[1:] + [n]):
        part = Sequences(data.X[a:b], data.lengths[a:b], data.y[a:b], data.classes, data.name)
        log_p = classify.mean_log_probabilities(run.mcfg, run.cfg.pooled(), run.params, part, run.cfg.ensemble)
        pred[a:b] = np.argmax(log_p, axis=1)
        nll[a:b] = -log_p[np.arange(b - a), part.y]
    y = data.y.astype(np.int64)
    right = pred == y
    out = {"n": n, "loss": float(np.mean(nll)), "accuracy": float(np.mean(right)),
           "sequences": np.bincount(y, minlength=k), "correct": np.bincount(y[right], minlength=k),
           "confusion": None}
    if k <= reports.SHOWN_CLASSES:
        from rnr.series import metrics

        out["confusion"] = metrics.confusion(y, pred, k)
    return out
