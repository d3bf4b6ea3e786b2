"""A sweep's results as files: summary.json's table (mean, spread and the
fraction solved per cell and setting), results.csv (one row per run) and
table.md (the table for a page)."""

from __future__ import annotations

import math

import numpy as np

from rnr.sweep.grid import SweepConfig

CSV_COLUMNS = ("cell", "task", "setting", "gap", "window", "seed", "metric", "value", "baseline", "solved",
               "accuracy", "final_train_loss", "diverged")


def summarize(cfg: SweepConfig, rows: list[dict], timing: dict) -> dict:
    """Per (cell, setting): mean, std, min, max of the final metric and the fraction solved."""
    table = {}
    for r in rows:
        table.setdefault((r["cell"], r["setting"]), []).append(r)
    results = []
    for (cell, name), rs in table.items():
        v = np.array([r["value"] for r in rs if not r.get("diverged")])  # the runs that did not diverge
        spread = {"mean": float(np.mean(v)), "std": float(np.std(v)), "min": float(np.min(v)),
                  "max": float(np.max(v))} if len(v) else dict.fromkeys(("mean", "std", "min", "max"))
        results.append({"cell": cell, "setting": name, "gap": rs[0]["gap"], "window": rs[0].get("window"),
                        "runs": len(rs), **spread, "diverged": len(rs) - len(v), "baseline": rs[0]["baseline"],
                        "solved": float(np.mean([r["solved"] for r in rs]))})
    return {"task": cfg.task, "metric": cfg.module.METRIC, "runs": len(rows), "groups": len(timing["groups"]),
            "compile_seconds": timing["compile_seconds"], "train_seconds": timing["train_seconds"],
            "results": results, "timing": timing["groups"], "config": cfg.as_dict()}


def to_csv(rows: list[dict]) -> str:
    """results.csv: one line per run."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None or (isinstance(r.get(k), float) and math.isnan(r[k])) else r.get(k))
                    for k in CSV_COLUMNS})
    return buf.getvalue()


def cell_text(r: dict) -> str:
    """'0.0123 (3/4)', '0.0123 (3/4, 1 diverged)', or 'diverged (0/4)' when every run did."""
    solved = f"{round(r['solved'] * r['runs'])}/{r['runs']}"
    if r.get("diverged") and r["mean"] is None:
        return f"diverged ({solved})"
    return f"{r['mean']:.3g} ({solved}" + (f", {r['diverged']} diverged)" if r.get("diverged") else ")")


def to_markdown(summary: dict) -> str:
    """table.md: one row per cell, one column per setting, 'mean (solved/runs)'."""
    res = summary["results"]
    echo = summary["task"] == "echo"  # rows (cell, window), columns delays
    row_of = (lambda r: f"{r['cell']}, window {r['window']}") if echo else (lambda r: r["cell"])
    col_of = (lambda r: f"delay {r['gap']}") if echo else (lambda r: r["setting"])
    cols = list(dict.fromkeys(col_of(r) for r in sorted(res, key=lambda r: r["gap"])))
    by = {(row_of(r), col_of(r)): r for r in res}
    lines = ["| cell | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name in dict.fromkeys(row_of(r) for r in res):
        out = []
        for c in cols:
            r = by.get((name, c))
            out.append("" if r is None else cell_text(r))
        lines.append(f"| {name} | " + " | ".join(out) + " |")
    base = ", ".join(sorted({f"{r['baseline']:.3g}" for r in summary["results"]}, key=float))
    lines.append("")
    lines.append(f"{summary['metric']}: mean over seeds (seeds solved / seeds; runs whose loss became "
                 f"non-finite are counted as diverged, not in the mean); baseline {base}.")
    return "\n".join(lines) + "\n"
