"""The lines a series run prints: each evaluation, and the summary at the end."""

from __future__ import annotations

from rnr.i18n import default_lang, text


def eval_line(rec: dict, lang: str | None = None) -> str:
    """One evaluation's line: validation or test loss and accuracy, or forecast errors."""
    lang = lang or default_lang()
    if "test_mase" in rec:
        return text("series_eval_forecast", lang, **rec)
    which = "test" if "test_accuracy" in rec else "val"
    return text("series_eval_" + which, lang, epoch=rec["epoch"], loss=rec[f"{which}_loss"],
                accuracy=100 * rec[f"{which}_accuracy"])


def summary_line(s: dict, lang: str) -> str:
    """The last line: the held-out scores and the time spent."""
    if s["problem"] == "classify":
        which = s["held"]
        return text("series_summary_classify_" + which, lang, accuracy=100 * s[f"{which}_accuracy"],
                    epochs=s["epochs"], train=s["train_seconds"], compile=s["compile_seconds"])
    return text("series_summary_forecast", lang, mase=s["mase"], smape=s["smape"], mae=s["mae"],
                naive=s["naive"]["mase"], epochs=s["epochs"], train=s["train_seconds"], compile=s["compile_seconds"])
