"""An ensemble of K series models (``rnr series train --ensemble K``, one
compiled program) against one model, each in its own process, on the same
data, steps and cores; training seconds (compile apart) and their ratio, with
the machine's load. The ensemble runs twice: its members in turn (``jax.lax.map``,
rnr's form on a CPU) and vmapped (``jax.vmap``, its form on accelerators;
``rnr.series.job.MEMBERS_IN_TURN = False``).

    python benchmarks/bench_ensemble.py                       # GunPoint, K = 5, 300 steps
    python benchmarks/bench_ensemble.py --members 3 --steps 600
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


RUN = "import sys; from rnr.series import job; job.MEMBERS_IN_TURN = {in_turn}; from rnr.cli import main; sys.exit(main())"


def train(members: int, steps: int, name: str, out: Path, in_turn: bool = True) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "MPLBACKEND": "Agg"}
    cmd = [sys.executable, "-c", RUN.format(in_turn=in_turn), "series", "train", str(DATA / f"{name}_TRAIN.ts"), "--test",
           str(DATA / f"{name}_TEST.ts"), "--steps", str(steps), "--ensemble", str(members), "--out", str(out),
           "--quiet", "--plot", "none"]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return json.loads((out / "summary.json").read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default="GunPoint")
    ap.add_argument("--members", type=int, default=5)
    ap.add_argument("--steps", type=int, default=300)
    a = ap.parse_args()
    print(f"load before: {os.getloadavg()[0]:.2f}, cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as d:
        rows = []
        for k, how in [(1, "one"), (a.members, "in turn"), (a.members, "vmapped")] * 2:  # interleaved, twice
            s = train(k, a.steps, a.dataset, Path(d) / f"r{len(rows)}", in_turn=how != "vmapped")
            rows.append((how, s["train_seconds"], s["compile_seconds"], s["test_accuracy"]))
            print(f"members {k} ({how}): training {s['train_seconds']:.1f} s, compile {s['compile_seconds']:.1f} s, "
                  f"test accuracy {s['test_accuracy']:.3f}")
    one = min(r[1] for r in rows if r[0] == "one")
    for how in ("in turn", "vmapped"):
        many = min(r[1] for r in rows if r[0] == how)
        print(f"{a.members} members {how} cost {many / one:.2f}x one model's training seconds (best of two each)")
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
