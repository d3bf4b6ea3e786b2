"""Bucketed batches of unequal lengths (``rnr.series.job``: batches of similar
lengths, each chunk cut to the steps it needs) against every batch padded to
the longest sequence (``rnr.series.job.BUCKETING = False``, a switch for this
benchmark only). ``rnr series train`` with its default settings but
``--steps``, each run in its own process, off and on interleaved twice; the
persistent compilation cache off (``RNR_NO_CACHE=1``), so compile seconds are
cold ones. Prints training and compile seconds, their ratios (best of the two
runs each) and the machine's load; with ``--seeds`` also the test accuracy of
both for every seed (the goal: the same distribution).

    python benchmarks/bench_buckets.py                        # PickupGestureWiimoteZ, 300 steps
    python benchmarks/bench_buckets.py --seeds 0,1,2          # and the test accuracy of seeds 0, 1, 2
    python benchmarks/bench_buckets.py --dataset OSULeaf --steps 600
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "series"

RUN = """import sys
import rnr.series.job as job
job.BUCKETING = {on}
from rnr.cli import main
sys.exit(main(sys.argv[1:]))
"""


def train(on: bool, dataset: str, steps: int, seed: int, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "MPLBACKEND": "Agg", "RNR_NO_CACHE": "1"}
    cmd = [sys.executable, "-c", RUN.format(on=on), "series", "train", str(DATA / f"{dataset}_TRAIN.ts"),
           "--test", str(DATA / f"{dataset}_TEST.ts"), "--steps", str(steps), "--seed", str(seed),
           "--out", str(out), "--quiet", "--plot", "none"]
    load = os.getloadavg()[0]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"rnr failed (bucketing {on}, seed {seed}):\n{done.stderr[-2000:]}")
    s = json.loads((out / "summary.json").read_text())
    return {"on": on, "seed": seed, "train": s["train_seconds"], "compile": s["compile_seconds"],
            "accuracy": s["test_accuracy"], "load": (load + os.getloadavg()[0]) / 2}


def show(r: dict) -> None:
    print(f"bucketing {'on ' if r['on'] else 'off'} seed {r['seed']}: training {r['train']:.1f} s, "
          f"compile {r['compile']:.1f} s, test accuracy {r['accuracy']:.3f}, load {r['load']:.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default="PickupGestureWiimoteZ")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--seeds", default="", help="comma-separated seeds whose test accuracy to report too")
    a = ap.parse_args()
    print(f"{a.dataset}, {a.steps} steps; load before: {os.getloadavg()[0]:.2f}, cores: {os.cpu_count()}")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for on in (False, True, False, True):  # interleaved, twice
            rows.append(train(on, a.dataset, a.steps, 0, Path(d) / f"r{len(rows)}"))
            show(rows[-1])
        off = [r for r in rows if not r["on"]]
        on = [r for r in rows if r["on"]]
        t_off, t_on = min(r["train"] for r in off), min(r["train"] for r in on)
        c_off, c_on = min(r["compile"] for r in off), min(r["compile"] for r in on)
        print(f"training: off {t_off:.1f} s, on {t_on:.1f} s, on/off {t_on / t_off:.2f} (best of two each); "
              f"compile: off {c_off:.1f} s, on {c_on:.1f} s, on/off {c_on / c_off:.2f}; "
              f"training + compile on/off {(t_on + c_on) / (t_off + c_off):.2f}; load after: {os.getloadavg()[0]:.2f}")
        seeds = [int(s) for s in a.seeds.split(",") if s.strip()]
        acc = {(r["on"], 0): r["accuracy"] for r in rows}  # seed 0's (both runs of a setting agree or not: the last)
        for seed in seeds:
            for flag in (False, True):
                if (flag, seed) not in acc:
                    r = train(flag, a.dataset, a.steps, seed, Path(d) / f"s{seed}{int(flag)}")
                    show(r)
                    acc[(flag, seed)] = r["accuracy"]
        if seeds:
            for flag in (False, True):
                vals = [acc[(flag, s)] for s in seeds]
                print(f"test accuracy, bucketing {'on ' if flag else 'off'}: "
                      + ", ".join(f"seed {s} {v:.3f}" for s, v in zip(seeds, vals))
                      + f"; mean {sum(vals) / len(vals):.3f}")


if __name__ == "__main__":
    main()
