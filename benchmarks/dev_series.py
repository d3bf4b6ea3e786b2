"""Choose a series recipe on validation only: the development set.

For every archive dataset of ../shared/data/series, each recipe (a string of
``rnr series train`` flags) trains on the TRAIN file alone, once per seed; the
seed also draws the stratified validation part (``--val-fraction``, 0.2), so
three seeds are three validation splits. The TEST files are never read. The
score is the chosen checkpoint's validation accuracy and loss (summary.json's
``val_accuracy``, ``val_loss``); it is chosen on that same part, so it flatters
every recipe alike and only the comparison between recipes means something.
Forecasts (Airline, M1yearly, PBS, Uschange, solar) are scored by the validation stretch's MASE
(``val_mase``): a forecasting run always holds its last ``--horizon`` rows out
and scores them at the end, and this script reads none of those keys.

``--origin-back`` moves the forecast origin one horizon back: the files are
copied without their last ``--horizon`` values (the test stretch, never read),
so the run's own held-out end is the original validation stretch, and the
score is the MASE there of the checkpoint chosen on the stretch before it,
after ``--refit`` where a recipe asks for it; ``--json`` also keeps whether the
run forecast with its network or the seasonal naive (``forecast_by``), the
network's own score there (``network_mase``) and the validation MASEs that chose. ETS and the seasonal naive
(``benchmarks/series_peers.py``) forecast the same truncated files, so the
recipes and the peers meet on data the test never touches.

Runs go to ``--workers`` processes at a time, each pinned to its own core (one
thread pool each), so two workers on 2 cores give two single-core runs.

    python benchmarks/dev_series.py --recipes "--conv 0" "--conv 64" --seeds 0,1,2
    python benchmarks/dev_series.py --datasets GunPoint --recipes "" "--hidden 32" --json dev.json
    python benchmarks/dev_series.py --datasets Airline,M1yearly --origin-back --recipes "" "--refit"

Prints one markdown row per dataset and recipe: the validation accuracy of each
seed, their mean, the mean validation loss, and the mean training seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

import bench_series  # this folder: its pinned runs and worker pool

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 3600.0  # seconds before a run is stopped
DATA = ROOT / ".." / "shared" / "data" / "series"
DATASETS = ("ItalyPowerDemand", "GunPoint", "BasicMotions", "PickupGestureWiimoteZ", "OSULeaf", "ACSF1")
# forecasting: the file and the flags, from benchmarks/bench_series.py; the score is the validation stretch's MASE
FORECASTS = {name: (spec.get("file", f"{name}.csv"),
                     f"--target {spec['target']} --horizon {spec['horizon']} --season {spec['season']}")
             for name, spec in bench_series.DATASETS.items() if spec["kind"] == "forecast"}
HORIZON = {name: bench_series.DATASETS[name]["horizon"] for name in FORECASTS}


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated archive datasets")
    p.add_argument("--data-dir", default=str(DATA), help="folder of the datasets (../shared/data/series)")
    p.add_argument("--recipes", nargs="+", default=["--conv 0", "--conv 64"], help="flag strings, one per recipe")
    p.add_argument("--seeds", default="0,1,2", help="seeds, comma-separated: one validation fold each")
    p.add_argument("--workers", type=int, default=2, help="runs at a time, each pinned to one core (2)")
    p.add_argument("--json", default=None, metavar="OUT", help="also write every run's result here")
    p.add_argument("--keep", default=None, metavar="DIR",
                   help="copy each run's metrics.jsonl, summary.json and config.json to DIR/<dataset>_<recipe>_seed<k>/ "
                        "(benchmarks/patience_from_runs.py reads them)")
    p.add_argument("--origin-back", action="store_true",
                   help="forecasts: drop each file's test stretch and score the validation stretch as held out, "
                        "beside ETS and the seasonal naive on the same copies")
    return p.parse_args(argv)


def without_last(src: Path, dst: Path, h: int) -> None:
    """Copy a forecasting file without its last ``h`` values: a table's last
    ``h`` rows, or each ``.tsf`` series' last ``h`` values (a series left with
    fewer than 2h + 2, too short to hold out twice, is left out)."""
    lines = src.read_text(encoding="utf-8").splitlines()
    if src.suffix == ".tsf":
        at = next(i for i, line in enumerate(lines) if line.strip().lower() == "@data")
        body = [(head, vals.split(",")[:-h]) for head, vals in (line.rsplit(":", 1) for line in lines[at + 1:]
                                                                 if line.strip())]
        lines = lines[:at + 1] + [f"{head}:{','.join(vals)}" for head, vals in body if len(vals) >= 2 * h + 2]
    else:
        lines = lines[:-h]
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")


def truncated_copies(names: list[str], data_dir: Path, tmp: Path) -> Path:
    for name in names:
        file = FORECASTS[name][0]
        without_last(data_dir / file, tmp / file, HORIZON[name])
    return tmp


def peer_rows(names: list[str], data_dir: Path) -> list[str]:
    """ETS and the seasonal naive on the truncated copies (their held-out end: the validation stretch)."""
    rows = []
    for name in names:
        spec = bench_series.DATASETS[name]
        for peer in ("ets", "naive"):
            args = argparse.Namespace(data_dir=str(data_dir), cores=1, seed=0, timeout=TIMEOUT)
            r = bench_series.run_peer(peer, name, spec, args)
            rows.append(f"| {name} | {bench_series.PEER_NAMES[peer]} | {r.get('mase', float('nan')):.3f} | | | |")
    return rows


def kept_name(name: str, recipe: str, seed: int) -> str:
    """A folder name for one run: the dataset, the recipe's flags in letters and digits, the seed."""
    flags = "".join(c if c.isalnum() else "_" for c in recipe.strip()) or "defaults"
    return f"{name}_{flags}_seed{seed}"


def one_run(name: str, recipe: str, seed: int, core: int, data_dir: Path, origin_back: bool = False,
            keep: Path | None = None) -> dict:
    """Train on ``name``'s TRAIN file with ``recipe`` and ``seed``, on one core."""
    with tempfile.TemporaryDirectory(prefix="dev_series_") as tmp:
        out = Path(tmp) / "run"
        file, flags = FORECASTS.get(name, (f"{name}_TRAIN.ts", ""))
        cmd = [sys.executable, "-m", "rnr", "--no-cache", "series", "train", str(data_dir / file), *shlex.split(flags),
               "--seed", str(seed), "--out", str(out), "--quiet", "--plot", "none", *shlex.split(recipe)]
        env = {"JAX_NUM_CPU_DEVICES": "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
        rc, _, err, wall = bench_series.call(cmd, 1, TIMEOUT, env, first=core)
        result = {"dataset": name, "recipe": recipe, "seed": seed, "wall": wall, "rc": rc}
        if rc == 0 and keep is not None:
            import shutil

            into = keep / kept_name(name, recipe, seed)
            into.mkdir(parents=True, exist_ok=True)
            for f in ("metrics.jsonl", "summary.json", "config.json"):
                shutil.copy(out / f, into / f)
        if rc == 0:
            s = json.loads((out / "summary.json").read_text())
            held_out = s.get("refit", s)["mase"] if origin_back else None  # the refit network's, when refitted
            scores = {"val_mase": held_out if origin_back else s["val_mase"]} if name in FORECASTS else \
                {"val_accuracy": s["val_accuracy"], "val_loss": s["val_loss"]}
            result.update(scores, train_seconds=s["train_seconds"], chosen_step=s["chosen_step"])
            if name in FORECASTS and origin_back:  # the choice of forecast (rnr.series.fallback) and its inputs
                result.update(forecast_by=s.get("forecast_by"), network_mase=s.get("network", s)["mase"],
                              inner_val_mase=s["val_mase"], inner_val_naive_mase=s["val_naive_mase"])
        else:
            result["error"] = bench_series.last_line(err) or "?"
    print(json.dumps(result), file=sys.stderr, flush=True)
    return result


def table(results: list[dict], recipes: list[str], names: list[str]) -> str:
    rows = ["| dataset | recipe | validation accuracy (forecasts: MASE) per seed | mean | mean val loss | train s |",
            "|---|---|---|---|---|---|"]
    for name in names:
        for recipe in recipes:
            got = [r for r in results if r["dataset"] == name and r["recipe"] == recipe and r["rc"] == 0]
            if not got:
                rows.append(f"| {name} | `{recipe}` | failed | | | |")
                continue
            key = "val_mase" if name in FORECASTS else "val_accuracy"
            acc = [r[key] for r in sorted(got, key=lambda r: r["seed"])]
            mean = sum(acc) / len(acc)
            loss = sum(r.get("val_loss", float("nan")) for r in got) / len(got)
            secs = sum(r["train_seconds"] for r in got) / len(got)
            rows.append(f"| {name} | `{recipe or '(defaults)'}` | {' / '.join(f'{a:.3f}' for a in acc)} | "
                        f"{mean:.3f} | {loss:.3f} | {secs:.0f} |")
    return "\n".join(rows)


def main(argv=None) -> int:
    args = parse(argv)
    names = [n for n in args.datasets.split(",") if n]
    seeds = [int(s) for s in args.seeds.split(",") if s]
    jobs = [(n, r, s) for n in names for s in seeds for r in args.recipes]
    print(f"load {os.getloadavg()[0]:.2f}, {len(jobs)} runs, {args.workers} at a time", file=sys.stderr)
    data_dir = Path(args.data_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="dev_series_back_") as tmp:
        if args.origin_back:
            names = [n for n in names if n in FORECASTS]
            jobs = [j for j in jobs if j[0] in FORECASTS]
            data_dir = truncated_copies(names, data_dir, Path(tmp))
        keep = Path(args.keep).resolve() if args.keep else None
        results = bench_series.on_own_cores(lambda job, core: one_run(*job, core, data_dir, args.origin_back, keep),
                                            jobs, args.workers)
        print(table(results, args.recipes, names))
        if args.origin_back:
            print("\n".join(peer_rows(names, data_dir)))
    print(f"load at the end {os.getloadavg()[0]:.2f}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
