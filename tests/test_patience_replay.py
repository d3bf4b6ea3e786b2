"""benchmarks/patience_from_runs.py replays --patience on a finished run's
metrics.jsonl; a run trained with that patience is the reference: the replay
must give its last step and its chosen checkpoint."""

import importlib.util
import json
from pathlib import Path

import numpy as np

from rnr.cli import main

TINY = ["--hidden", "6", "--batch", "4", "--eval-every", "5", "--lr", "0.02", "--quiet", "--plot", "none"]


def load_replay():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "patience_from_runs.py"
    spec = importlib.util.spec_from_file_location("patience_from_runs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_replay_stops_where_patience_stops(tmp_path):
    rng = np.random.default_rng(4)  # labels the sequences do not tell: validation stops improving early
    lines = ["@problemName noise", "@univariate true", "@equalLength true", "@classLabel true a b", "@data"]
    lines += [",".join(f"{v:.4f}" for v in rng.normal(size=8)) + ":" + y for y in rng.permutation(["a", "b"] * 12)]
    data = tmp_path / "noise.ts"
    data.write_text("\n".join(lines) + "\n")
    replay = load_replay()
    assert main(["series", "train", str(data), "--out", str(tmp_path / "full"), "--steps", "300", *TINY]) == 0
    key, records = replay.evaluations(tmp_path / "full")
    assert key == "val_loss" and len(records) == 60
    for patience in (2, 4):
        best, stop = replay.replay(records, key, patience)
        run = tmp_path / f"p{patience}"
        assert main(["series", "train", str(data), "--out", str(run), "--steps", "300", "--patience", str(patience),
                     *TINY]) == 0
        s = json.loads((run / "summary.json").read_text())
        assert s["stopped_by"] == "early_stop" and (s["steps"], s["chosen_step"]) == (stop, best["step"])
    best, stop = replay.replay(records, key, 0)
    assert stop == 300 and best["val_loss"] == min(r["val_loss"] for r in records)
