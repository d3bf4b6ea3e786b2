"""What a series run prints: each evaluation's line, the summary at the end, and
``rnr series eval``'s report (for people, or one JSON object)."""

from __future__ import annotations

import json

from rnr.i18n import default_lang, text
from rnr.i18n import text as msg


def eval_line(rec: dict, lang: str | None = None) -> str:
    """One evaluation's line: validation or test loss and accuracy, or forecast errors."""
    lang = lang or default_lang()
    if "val_mase" in rec:
        return text("series_eval_forecast", lang, step=rec["step"], mase=rec["val_mase"], smape=rec["val_smape"],
                    mae=rec["val_mae"])
    return text("series_eval_val", lang, step=rec["step"], loss=rec["val_loss"], accuracy=100 * rec["val_accuracy"])


def summary_line(s: dict, lang: str) -> str:
    """The last line: the held-out scores and the time spent."""
    times = {"steps": s["steps"], "chosen": s["chosen_step"], "train": s["train_seconds"],
             "compile": s["compile_seconds"]}
    if s["problem"] == "classify":
        which = s["held"]
        return text("series_summary_classify_" + which, lang, accuracy=100 * s[f"{which}_accuracy"], **times)
    if s.get("forecast_by") == "naive":  # rnr.series.fallback
        if s.get("held") != "test":
            return text("series_forecast_naive_chosen", lang, val_naive=s["val_naive_mase"], val_mase=s["val_mase"],
                        chosen=s["chosen_step"])
        return text("series_summary_forecast_naive", lang, val_naive=s["val_naive_mase"], val_mase=s["val_mase"],
                    mase=s["mase"], network=s["network"]["mase"], smape=s["smape"], mae=s["mae"], **times)
    line = text("series_summary_forecast", lang, mase=s["mase"], smape=s["smape"], mae=s["mae"],
                naive=s["naive"]["mase"], **times)
    return line + (f"\n{naive_notice}" if (naive_notice := naive_better_line(s, lang)) else "")


def naive_better_line(s: dict, lang: str) -> str | None:
    """A forecast whose chosen checkpoint forecast the validation stretch worse
    than the seasonal naive forecast did: one line saying so (None otherwise),
    since no later choice of rnr's can tell the two apart more fairly."""
    mase, naive = s.get("val_mase"), s.get("val_naive_mase")
    if not isinstance(mase, (int, float)) or not isinstance(naive, (int, float)) or not naive < mase:
        return None
    return text("series_naive_better", lang, mase=mase, naive=naive)


def refit_line(s: dict, lang: str) -> str | None:
    """The line of ``--refit``'s network (``rnr.series.refit``), or None without one."""
    r = s.get("refit")
    if not r:
        return None
    if r.get("test_accuracy") is not None:
        return text("series_refit_done_accuracy", lang, accuracy=100 * r["test_accuracy"], **_sizes(r))
    if r.get("mase") is not None:
        which = "series_refit_done_mase_unused" if s.get("forecast_by") == "naive" else "series_refit_done_mase"
        return text(which, lang, mase=r["mase"], **_sizes(r))
    return text("series_refit_done", lang, **_sizes(r))


def _sizes(r: dict) -> dict:
    return {"examples": r["examples"], "steps": r["steps"]}


SHOWN_CLASSES = 20  # per-class lines and the confusion matrix are printed for at most this many classes


LOWEST_SHOWN = 10  # with more classes: the classes with the lowest accuracy, printed


def finite_or_none(x):
    """A number for JSON: NaN and infinities become null."""
    import math

    return x if x is None or math.isfinite(x) else None


def class_accuracy(s) -> list:
    """Each class's accuracy (None for a class with no sequence in the file)."""
    return [float(c / n) if n else None for c, n in zip(s["correct"], s["sequences"])]


def classify_json(s, classes, path) -> str:
    per_class = [{"class": c, "sequences": int(n), "accuracy": finite_or_none(a)}
                 for c, n, a in zip(classes, s["sequences"], class_accuracy(s))]
    return json.dumps({"problem": "classify", "file": str(path), "sequences": s["n"],
                       "accuracy": finite_or_none(s["accuracy"]), "loss": finite_or_none(s["loss"]), "per_class": per_class,
                       "confusion": None if s["confusion"] is None else {
                           "classes": list(classes), "matrix": s["confusion"].tolist()}}, allow_nan=False)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell: the first to the left, the others to the right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
            for r in [header, *rows]]


def _percent(value, spec, lang) -> str:
    from rnr.i18n import number

    return msg("series_eval_percent", lang, value=number(value, lang, spec))


def _short(name: str, most: int = 16) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


def classify_report(s, classes, path, lang) -> str:
    from rnr.i18n import number

    k = len(classes)
    acc = class_accuracy(s)
    lines = [msg("series_eval_classify_head", lang, path=path, n=s["n"], accuracy=100 * s["accuracy"],
                 loss=s["loss"]), ""]
    shown = range(k)
    if k > SHOWN_CLASSES:
        present = [i for i in range(k) if acc[i] is not None]
        shown = sorted(present, key=lambda i: (acc[i], i))[:LOWEST_SHOWN]
        lines += [msg("series_eval_many_classes", lang, classes=k, most=SHOWN_CLASSES),
                  msg("series_eval_lowest", lang, shown=len(shown))]
    rows = [[_short(str(classes[i])), number(int(s["sequences"][i]), lang, ","),
             "–" if acc[i] is None else _percent(100 * acc[i], ".1f", lang)] for i in shown]
    lines += _table([msg("series_eval_col_class", lang), msg("series_eval_col_sequences", lang),
                     msg("series_eval_col_accuracy", lang)], rows)
    if s["confusion"] is not None:
        names = [_short(str(c)) for c in classes]
        lines += ["", msg("series_eval_confusion_head", lang)]
        lines += _table(["", *names], [[names[i], *(number(int(v), lang, ",") for v in row)]
                                       for i, row in enumerate(s["confusion"])])
    return "\n".join(lines)


def forecast_json(s, horizon, season, path) -> str:
    keys = ("mae", "rmse", "mase", "smape")
    out = {"problem": "forecast", "file": str(path), "horizon": horizon, "season": season,
           "forecast_by": s.get("forecast_by", "network"), **{k: finite_or_none(s[k]) for k in keys},
           "naive": {k: finite_or_none(s["naive"][k]) for k in keys}}
    if "each" in s:  # --target all: the means above, then each series' own scores
        out["series"] = s["series"]
        out["each"] = [{"name": e["name"], **{k: finite_or_none(e[k]) for k in keys},
                        "naive": {k: finite_or_none(e["naive"][k]) for k in keys}} for e in s["each"]]
    return json.dumps(out, allow_nan=False)


def forecast_report(s, horizon, season, path, lang) -> str:
    from rnr.i18n import number

    def cell(v, spec, percent):
        return _percent(v, spec, lang) if percent else number(v, lang, spec)

    rows = [[name, cell(s[k], spec, pc), cell(s["naive"][k], spec, pc)]
            for name, k, spec, pc in (("MAE", "mae", ".4g", False), ("RMSE", "rmse", ".4g", False),
                                      ("MASE", "mase", ".3f", False), ("sMAPE", "smape", ".2f", True))]
    many = [msg("series_eval_forecast_series", lang, n=s["series"])] if "each" in s else []
    if s.get("forecast_by") == "naive":  # rnr.series.fallback: both columns are the naive's
        many.append(msg("series_eval_by_naive", lang))
    return "\n".join([msg("series_eval_forecast_head", lang, path=path, h=horizon, season=season), *many, "",
                      *_table(["", "rnr", msg("series_eval_col_naive", lang)], rows), "",
                      msg("series_eval_forecast_note", lang)])
