"""What ``--patience P`` would have done to finished series runs, replayed
from their metrics.jsonl: no training.

A run trains to its budget and validates every ``--eval-every`` steps. Early
stopping with patience P stops at the first evaluation that is the P-th in a
row without a lower validation loss (validation MASE for forecasts), and keeps
the best checkpoint so far. Training is the same up to that step whether it
stops there or not, so replaying the evaluations gives exactly the step it would
stop at and the checkpoint it would choose. TEST scores are not read.

    python benchmarks/dev_series.py --recipes "" --keep runs/kept   # runs to replay
    python benchmarks/patience_from_runs.py runs/kept --patience 5,10,20

Prints one markdown row per dataset and patience: the share of the optimizer
steps it would train, and the chosen checkpoint's validation loss (and
accuracy, for classification) against training to the budget, means over the
dataset's runs, and in how many runs the choice changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def evaluations(run: Path) -> tuple[str, list[dict]]:
    """(the key that chooses, the evaluation records in order) of one kept run."""
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if line.strip()]
    key = "val_mase" if any("val_mase" in r for r in records) else "val_loss"
    return key, [r for r in records if isinstance(r.get(key), (int, float)) and "step" in r]


def replay(records: list[dict], key: str, patience: int) -> tuple[dict, int]:
    """(the record of the checkpoint chosen, the step training stops at) with ``patience`` (0: never early)."""
    best, since = None, 0
    for r in records:
        if best is None or r[key] < best[key]:
            best, since = r, 0
        else:
            since += 1
            if patience and since >= patience:
                return best, r["step"]
    return best, records[-1]["step"]


def rows(folder: Path, patiences: list[int]) -> list[str]:
    runs: dict[str, list[Path]] = {}
    for run in sorted(p for p in folder.iterdir() if (p / "metrics.jsonl").is_file()):
        runs.setdefault(run.name.rsplit("_seed", 1)[0], []).append(run)
    out = ["| runs | patience | steps trained | chosen validation loss (MASE) | validation accuracy | choice changed |",
           "|---|---|---|---|---|---|"]
    for name, group in runs.items():
        full = []
        for run in group:
            key, recs = evaluations(run)
            full.append((key, recs, *replay(recs, key, 0)))
        for p in patiences:
            shares, losses, accs, changed = [], [], [], 0
            for key, recs, best0, end0 in full:
                best, end = replay(recs, key, p)
                shares.append(end / end0)
                losses.append(best[key] - best0[key])
                if "val_accuracy" in best:
                    accs.append(best["val_accuracy"] - best0["val_accuracy"])
                changed += best["step"] != best0["step"]
            mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
            acc = f"{100 * mean(accs):+.1f} points" if accs else ""
            out.append(f"| {name} ({len(group)}) | {p} | {100 * mean(shares):.0f}% | {mean(losses):+.4f} | {acc} "
                       f"| {changed} of {len(group)} |")
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", help="the --keep folder of benchmarks/dev_series.py")
    p.add_argument("--patience", default="5,10,20", help="patiences to replay, comma-separated")
    args = p.parse_args(argv)
    print("\n".join(rows(Path(args.folder), [int(x) for x in args.patience.split(",") if x])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
