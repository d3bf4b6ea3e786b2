"""The lines a series run prints: each evaluation, and the summary at the end."""

from __future__ import annotations

from rnr.i18n import default_lang, text


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
    return text("series_summary_forecast", lang, mase=s["mase"], smape=s["smape"], mae=s["mae"],
                naive=s["naive"]["mase"], **times)
