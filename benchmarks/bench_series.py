"""``rnr series`` against its peers on the datasets of ../shared/data/series.

Classification (GunPoint, ItalyPowerDemand, BasicMotions, PickupGestureWiimoteZ,
OSULeaf, ACSF1): rnr (each of ``--seeds``, and an ensemble of ``--ensemble``
networks) against aeon's 1-NN DTW, ROCKET (10,000 kernels) and MiniRocket,
accuracy on the archive's own TEST split. Forecasting: Airline (its last 24
months held out) and M1 yearly (181 series, each one's last 6 values held out;
rnr trains one global model, ``--target all``, and the peers forecast each series
alone), rnr against statsmodels' exponential smoothing (additive trend; Airline
also a multiplicative season) and the seasonal naive forecast (m = 12; yearly
m = 1), MASE (and sMAPE, MAE, RMSE), means over M1's series.

Every program runs in its own process pinned to the first ``--cores`` cores,
its thread pools that size: rnr through its CLI (``rnr series train ... --out
DIR``, its numbers read from ``DIR/summary.json``; JAX's persistent compilation
cache off unless ``--rnr-cache``, so compile time is a cold one), each peer
through ``benchmarks/series_peers.py``. Compile time (rnr's XLA, aeon's Numba)
is reported apart from training time.

    pip install -e .[peers]                           # aeon, statsmodels
    python benchmarks/bench_series.py --cores 2       # every dataset, rnr and the peers
    python benchmarks/bench_series.py --peers-only --cores 2 --json peers.json
    python benchmarks/bench_series.py --datasets GunPoint,Airline --rnr-args "--steps 200"
    python benchmarks/bench_series.py --rnr-only --seeds 0,1,2 --ensemble 5 --json rnr.json
    python benchmarks/bench_series.py --rnr-only --seeds 0,1,2 --workers 2   # two runs at a time, one core each

Prints a markdown table: for a classifier, rnr's test accuracy for each seed
(their mean) and the ensemble's, its seconds (training, compile apart, first
seed), each peer's accuracy and seconds (fit + predict, compile apart), and
rnr's mean accuracy over the best peer's; for Airline,
MASE of rnr, ETS and the seasonal naive, and rnr's MASE over ETS's (below 1 is
better). A peer that is not installed, or refuses a dataset, shows "—" and why.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "series"
PEERS_SCRIPT = Path(__file__).resolve().parent / "series_peers.py"
MISSING = "—"

# The keys of rnr's summary.json this benchmark reads, in one place (a dotted
# name reads a nested key: "test.accuracy").
RNR_KEYS = {
    "accuracy": "test_accuracy",
    "mase": "mase",
    "smape": "smape",
    "mae": "mae",
    "rmse": "rmse",
    "train_seconds": "train_seconds",
    "compile_seconds": "compile_seconds",
    "predict_seconds": "predict_seconds",  # the test set's evaluation, when rnr reports it
    "forecast_by": "forecast_by",  # forecasts: "network", or "naive" where it won on validation
}

# Every dataset: how rnr is called on it and which peers run on it.
DATASETS = {
    "GunPoint": {"kind": "classify"},
    "ItalyPowerDemand": {"kind": "classify"},
    "BasicMotions": {"kind": "classify"},
    "PickupGestureWiimoteZ": {"kind": "classify"},
    "OSULeaf": {"kind": "classify"},
    "ACSF1": {"kind": "classify"},
    "Airline": {"kind": "forecast", "target": "Passengers", "horizon": 24, "season": 12},
    # the M1 competition's 181 yearly series: one global model (--target all), horizon 6
    "M1yearly": {"kind": "forecast", "file": "m1_yearly_dataset.tsf", "target": "all", "horizon": 6, "season": 1},
    # monthly prescriptions (a year held out), quarterly US consumption (two years; the other four
    # columns are rnr's inputs too), half-hourly solar generation (a day)
    "PBS": {"kind": "forecast", "file": "PBS_dataset.csv", "target": "Scripts", "horizon": 12, "season": 12},
    "Uschange": {"kind": "forecast", "target": "Consumption", "horizon": 8, "season": 4},
    "solar": {"kind": "forecast", "target": "solar_gen", "horizon": 48, "season": 48},
}
PEERS = {"classify": ("dtw", "rocket", "minirocket"), "forecast": ("ets", "naive")}
PEER_NAMES = {"dtw": "1-NN DTW", "rocket": "ROCKET", "minirocket": "MiniRocket", "ets": "ETS",
              "naive": "seasonal naive"}

# The reference figures of ../shared/data/README.md (aeon 1.6, statsmodels), to check
# that the peers reproduce them: accuracy for classifiers, MASE for forecasters.
REFERENCE = {
    ("GunPoint", "dtw"): 0.907, ("GunPoint", "rocket"): 1.000,
    ("ItalyPowerDemand", "dtw"): 0.950, ("ItalyPowerDemand", "rocket"): 0.970,
    ("BasicMotions", "dtw"): 0.975, ("BasicMotions", "rocket"): 1.000,
    ("PickupGestureWiimoteZ", "dtw"): 0.700, ("PickupGestureWiimoteZ", "rocket"): None,  # refuses
    ("OSULeaf", "dtw"): 0.591, ("OSULeaf", "rocket"): 0.942,
    ("ACSF1", "dtw"): 0.640, ("ACSF1", "rocket"): 0.880,
    ("Airline", "ets"): 1.01, ("Airline", "naive"): 2.49,
}


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cores", type=int, default=2, help="pin every program to the first N cores (2)")
    p.add_argument("--datasets", default=",".join(DATASETS), help=f"comma-separated ({','.join(DATASETS)})")
    p.add_argument("--data-dir", default=str(DATA), help="folder of the datasets (../shared/data/series)")
    p.add_argument("--peers-only", action="store_true", help="run only the peers (no rnr)")
    p.add_argument("--rnr-only", action="store_true", help="run only rnr (no peers)")
    p.add_argument("--peers", default="dtw,rocket,minirocket,ets,naive",
                   help="which peers (dtw,rocket,minirocket,ets,naive)")
    p.add_argument("--seeds", default="0", help="rnr's seeds, comma-separated, one run each (0)")
    p.add_argument("--ensemble", type=int, default=0,
                   help="classification: also one run of --ensemble K networks (seed: the first of --seeds); 0: none; a forecast averages 6 by default (--rnr-args \"--ensemble K\")")
    p.add_argument("--workers", type=int, default=1,
                   help="rnr's runs of a dataset at a time, each on one core of its own (1: one after another)")
    p.add_argument("--rnr-args", default="", help="extra flags for `rnr series train`, e.g. \"--epochs 5\"")
    p.add_argument("--rnr-cache", action="store_true", help="let rnr use JAX's persistent compilation cache")
    p.add_argument("--seed", type=int, default=0, help="ROCKET's random_state (0)")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds before a program is stopped (3600)")
    p.add_argument("--json", default=None, metavar="OUT", help="also write every result to this JSON file")
    return p.parse_args(argv)


def pinned_env(cores: int, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(cores)
    env.update(extra or {})
    return env


def pin_child(cores: int, first: int = 0):
    """A preexec_fn: the child on ``cores`` cores this process may use, from the ``first``-th on."""
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []

    def pin():
        if allowed:
            os.sched_setaffinity(0, {allowed[(first + i) % len(allowed)] for i in range(min(cores, len(allowed)))})
    return pin


def call(cmd, cores: int, timeout: float, env_extra: dict | None = None, first: int = 0):
    """Run ``cmd`` pinned; returns (returncode, stdout, stderr, wall seconds)."""
    t = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, env=pinned_env(cores, env_extra),
                             preexec_fn=pin_child(cores, first), timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return 124, "", f"stopped after {timeout:.0f} s", time.perf_counter() - t
    return out.returncode, out.stdout, out.stderr, time.perf_counter() - t


def last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def run_peer(peer: str, name: str, spec: dict, args) -> dict:
    cmd = [sys.executable, str(PEERS_SCRIPT), "--peer", peer, "--dataset", name,
           "--data-dir", str(Path(args.data_dir).resolve()),
           "--cores", str(args.cores), "--seed", str(args.seed)]
    if spec["kind"] == "forecast":
        cmd += ["--target", spec["target"], "--horizon", str(spec["horizon"]), "--season", str(spec["season"])]
        cmd += ["--file", spec["file"]] if "file" in spec else []
    rc, out, err, wall = call(cmd, args.cores, args.timeout)
    if rc:
        why = "not installed (pip install -e .[peers])" if "ModuleNotFoundError" in err else last_line(err)
        return {"peer": peer, "dataset": name, "error": why[:300], "wall_seconds": wall}
    r = json.loads(last_line(out))
    r["wall_seconds"] = wall
    return r


def read_key(summary: dict, dotted: str):
    value = summary
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def run_rnr(name: str, spec: dict, args, extra: tuple = (), first: int = 0) -> dict:
    d = Path(args.data_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="bench_series_") as tmp:
        out_dir = Path(tmp) / "run"
        cmd = [sys.executable, "-m", "rnr", "series", "train"]
        if spec["kind"] == "classify":
            cmd += [str(d / f"{name}_TRAIN.ts"), "--test", str(d / f"{name}_TEST.ts")]
        else:
            cmd += [str(d / spec.get("file", f"{name}.csv")), "--target", spec["target"], "--horizon",
                    str(spec["horizon"]), "--season", str(spec["season"])]
        cmd += ["--out", str(out_dir), *shlex.split(args.rnr_args), *extra]
        env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
        if not args.rnr_cache:
            env["RNR_NO_CACHE"] = "1"
        if args.workers > 1:  # one core each: one JAX device
            env["JAX_NUM_CPU_DEVICES"] = "1"
        rc, _, err, wall = call(cmd, 1 if args.workers > 1 else args.cores, args.timeout, env, first)
        r = {"peer": "rnr", "dataset": name, "command": shlex.join(["rnr", *cmd[3:]]), "wall_seconds": wall}
        if rc:
            return {**r, "error": f"exit {rc}: {last_line(err)[:300]}"}
        try:
            summary = json.loads((out_dir / "summary.json").read_text())
        except (OSError, ValueError) as e:
            return {**r, "error": f"no summary.json: {e}"}
    r.update({ours: read_key(summary, theirs) for ours, theirs in RNR_KEYS.items()})
    r["summary"] = summary
    return r


def on_own_cores(fn, jobs: list, workers: int) -> list:
    """``fn(job, core)`` for every job, ``workers`` at a time, each given a core
    index of its own (0 .. workers - 1) while it runs; results in the jobs' order."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    free, lock = list(range(workers)), threading.Lock()

    def one(job):
        with lock:
            core = free.pop()
        try:
            return fn(job, core)
        finally:
            with lock:
                free.append(core)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, jobs))


def rnr_runs(name: str, spec: dict, args, runs: list) -> list[dict]:
    """rnr's runs of one dataset: one after another on ``--cores`` cores, or
    ``--workers`` at a time, each on a core of its own."""
    if args.workers <= 1:
        return [run_rnr(name, spec, args, extra) for _, extra in runs]
    return on_own_cores(lambda extra, core: run_rnr(name, spec, args, extra, first=core),
                        [extra for _, extra in runs], args.workers)


def fmt(x, spec="{:.3f}"):
    return MISSING if x is None else spec.format(x)


def peer_seconds(r: dict | None) -> str:
    """fit + predict (compile apart), as 'f + p s (c s compile)'."""
    if not r or "fit_seconds" not in r:
        return MISSING
    s = f"{r['fit_seconds']:.2f} + {r['predict_seconds']:.2f} s"
    return s + (f" ({r['compile_seconds']:.1f} s compile)" if r.get("compile_seconds") else "")


def rnr_seconds(r: dict | None) -> str:
    if not r or r.get("train_seconds") is None:
        return MISSING
    return f"{r['train_seconds']:.1f} s" + (f" ({r['compile_seconds']:.1f} s compile)"
                                           if r.get("compile_seconds") is not None else "")


def score(r: dict | None, key: str):
    if not r:
        return None
    return r.get(key)


def peer_cell(r: dict | None, key: str) -> str:
    if r is None:
        return MISSING
    if "error" in r:
        return f"{MISSING} ({r['error'][:60]})"
    if r.get("refused"):
        return f"{MISSING} (refuses{' unequal lengths' if 'unequal' in r['refused'] else ''})"
    return fmt(r.get(key))


def ratio(a, b) -> str:
    return MISSING if a is None or not b else f"{a / b:.2f}"


def seed_mean(runs: list, key: str):
    values = [r.get(key) for r in runs if r and "error" not in r and r.get(key) is not None]
    return sum(values) / len(values) if values and len(values) == len(runs) else None


def seed_cells(runs: list, key: str) -> str:
    """'0.933 / 0.953 / 0.907 (0.931)': each seed, then the mean."""
    if not runs:
        return MISSING
    cells = " / ".join(peer_cell(r, key) for r in runs)
    mean = seed_mean(runs, key)
    return cells + (f" ({mean:.3f})" if mean is not None and len(runs) > 1 else "")


def table(results: dict, names: list[str]) -> str:
    rows = []
    cls = [n for n in names if DATASETS[n]["kind"] == "classify"]
    fc = [n for n in names if DATASETS[n]["kind"] == "forecast"]
    if cls:
        rows += ["| dataset | rnr, each seed (mean) | rnr ensemble | rnr seconds | 1-NN DTW | ROCKET | MiniRocket "
                 "| peers' seconds (DTW; ROCKET; MiniRocket) | rnr mean / best peer |",
                 "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for n in cls:
            res = results[n]
            seeds = [r for k, r in res.items() if k.startswith("rnr seed")]
            peers = [res.get(k) for k in PEERS["classify"]]
            best = [x for x in (score(r, "accuracy") for r in peers) if x is not None]
            mean = seed_mean(seeds, "accuracy")
            rows.append(f"| {n} | {seed_cells(seeds, 'accuracy')} | {peer_cell(res.get('rnr ensemble'), 'accuracy')} "
                        f"| {rnr_seconds(seeds[0] if seeds else None)} "
                        + "".join(f"| {peer_cell(r, 'accuracy')} " for r in peers)
                        + f"| {'; '.join(peer_seconds(r) for r in peers)} "
                        f"| {ratio(mean, max(best) if best else None)} |")
    if fc:
        rows += ["", "| dataset | rnr MASE, each seed (mean) | rnr sMAPE, each seed | rnr seconds | ETS MASE "
                 "| ETS sMAPE | ETS seconds | seasonal naive MASE | naive sMAPE | rnr mean / ETS (MASE) |",
                 "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for n in fc:
            res = results[n]
            seeds = [r for k, r in res.items() if k.startswith("rnr seed")]
            ets, naive = res.get("ets"), res.get("naive")
            smapes = " / ".join(fmt(score(r, "smape"), "{:.2f}%") for r in seeds) or MISSING
            rows.append(f"| {n} | {seed_cells(seeds, 'mase')} | {smapes} "
                        f"| {rnr_seconds(seeds[0] if seeds else None)} "
                        f"| {peer_cell(ets, 'mase')} | {fmt(score(ets, 'smape'), '{:.2f}%')} | {peer_seconds(ets)} "
                        f"| {peer_cell(naive, 'mase')} | {fmt(score(naive, 'smape'), '{:.2f}%')} "
                        f"| {ratio(seed_mean(seeds, 'mase'), score(ets, 'mase'))} |")
    return "\n".join(rows)


def check_reference(results: dict) -> list[str]:
    """Where a peer's score differs from the README's reference figure by more than rounding."""
    notes = []
    for (name, peer), ref in REFERENCE.items():
        r = results.get(name, {}).get(peer)
        if not r or "error" in r:
            continue
        got = r.get("accuracy") if peer in PEERS["classify"] else r.get("mase")
        if ref is None:
            if got is not None:
                notes.append(f"{name} {peer}: expected a refusal, got {got:.3f}")
        elif got is None or abs(got - ref) > 0.0051:
            notes.append(f"{name} {peer}: {fmt(got)} against the reference {ref:.3f}")
    return notes


def main(argv=None) -> int:
    args = parse(argv)
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        print(f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(DATASETS)}", file=sys.stderr)
        return 2
    if not Path(args.data_dir).is_dir():
        print(f"skipped: {args.data_dir} not found (the datasets live in ../shared/data/series)")
        return 0
    wanted = {p.strip() for p in args.peers.split(",") if p.strip()}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench_series: {args.cores} core(s), every program in its own process; load {load:.2f}", flush=True)
    results: dict = {}
    for name in names:
        spec = DATASETS[name]
        res = results[name] = {}
        if not args.rnr_only:
            for peer in PEERS[spec["kind"]]:
                if peer in wanted:
                    res[peer] = r = run_peer(peer, name, spec, args)
                    print(f"  {name:22s} {PEER_NAMES[peer]:15s} "
                          f"{json.dumps({k: v for k, v in r.items() if k != 'versions'})}", flush=True)
        if not args.peers_only:
            seeds = [x.strip() for x in args.seeds.split(",") if x.strip()]
            runs = [(f"rnr seed {seed}", ("--seed", seed)) for seed in seeds]
            if args.ensemble > 1 and spec["kind"] == "classify":
                runs.append(("rnr ensemble", ("--seed", seeds[0], "--ensemble", str(args.ensemble))))
            for (label, _), r in zip(runs, rnr_runs(name, spec, args, runs)):
                res[label] = r
                print(f"  {name:22s} {label:15s} "
                      f"{json.dumps({k: v for k, v in r.items() if k != 'summary'})}", flush=True)
    print()
    print(table(results, names))
    versions = {}
    for res in results.values():
        for r in res.values():
            versions.update(r.get("versions", {}))
    print()
    print("peers: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) +
          f"; ROCKET random_state {args.seed}; seconds are fit + predict (rnr: training), compile apart")
    notes = check_reference(results)
    for note in notes:
        print(f"note: {note}")
    if args.json:
        Path(args.json).write_text(json.dumps({"cores": args.cores, "load": load, "results": results,
                                               "rnr_keys": RNR_KEYS, "versions": versions}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
