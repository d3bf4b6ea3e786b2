"""``rnr sweep``: a grid of cells x task settings x seeds, trained in groups.

A group is every run that shares shapes, and it trains as one compiled
program (``rnr.sweep_train``, ``jax.vmap`` over its runs):

    copy, adding   group = (cell, T)        runs = seeds
    echo           group = (cell, window)   runs = delays x seeds

The gap is what the long-term dependency spans: T for copy and adding, the
delay for echo. Each run ends with one final metric, compared with the
task's memoryless baseline and "solved" threshold:

    task    metric                     baseline          solved
    copy    cross-entropy (fresh set)  10 ln 8 / (T+20)  <= 0.1 x baseline
    adding  mean squared error         1/6               <= 0.01
    echo    accuracy (fresh series)    0.5               >= 0.99
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from rnr import cells
from rnr.cells.common import INITS
from rnr.errors import UserError
from rnr.tasks import adding, copy

TASKS = ("copy", "adding", "echo")
ECHO_SOLVED = 0.99
ECHO_BASELINE = 0.5

# Settings that suit each task when the user gives none.
DEFAULTS = {
    "copy": dict(lengths=(10, 20, 50, 100), hidden=32, batch=32, steps=1500, lr=0.01,
                 optimizer="adam", clip=1.0, init="torch", forget_bias=1.0),
    "adding": dict(lengths=(10, 50, 100, 200), hidden=32, batch=32, steps=1500, lr=0.01,
                   optimizer="adam", clip=1.0, init="torch", forget_bias=1.0),
    # the tutorial's echo settings, with shorter epochs
    "echo": dict(windows=(15,), delays=(3,), hidden=4, batch=5, epochs=20, series=10000, lr=0.3,
                 optimizer="adagrad", clip=None, init="tutorial", forget_bias=0.0),
}


@dataclass(frozen=True)
class SweepConfig:
    task: str = "adding"
    cells: tuple = ("rnn", "lstm", "gru")
    lengths: tuple = ()  # copy, adding: the gap T
    windows: tuple = ()  # echo: truncation windows
    delays: tuple = ()  # echo: the gap
    seeds: int = 4
    hidden: int = 32
    batch: int = 32
    steps: int = 1500  # copy, adding: optimizer steps per run
    epochs: int = 20  # echo: epochs per run
    series: int = 10000  # echo: steps in each epoch's series
    lr: float = 0.01
    optimizer: str = "adam"
    clip: float | None = 1.0
    init: str = "torch"
    forget_bias: float = 1.0
    chunk: int = 100  # copy, adding: steps per compiled call
    eval_batch: int = 1000  # copy, adding: sequences in the final evaluation

    @classmethod
    def for_task(cls, task: str, **given) -> "SweepConfig":
        """The task's DEFAULTS, overridden by every setting in ``given`` that is not None."""
        if task not in TASKS:
            raise UserError("sweep_unknown_task", name=task, choices=", ".join(TASKS))
        values = {**DEFAULTS[task], **{k: v for k, v in given.items() if v is not None}}
        if "clip" in given and given["clip"] is not None and given["clip"] == 0:
            values["clip"] = None  # --clip 0 turns clipping off
        return cls(task=task, **values)

    def validate(self) -> "SweepConfig":
        """Raise UserError for any grid value or setting that cannot train."""
        if not self.cells:
            raise UserError("sweep_empty", name="cells")
        for c in self.cells:
            cells.get(c)
        _no_repeats("cells", self.cells)
        for name in ("seeds", "hidden", "batch", "steps", "epochs", "series", "chunk", "eval_batch"):
            v = getattr(self, name)
            if not isinstance(v, int) or v <= 0:
                raise UserError("not_positive", name=name.replace("_", "-"), value=v)
        if self.init not in INITS:
            raise UserError("unknown_init", name=self.init, choices=", ".join(INITS))
        from rnr import optim

        optim.make(self.optimizer, self.lr, self.clip)
        if self.task == "echo":
            self._validate_echo()
        else:
            if self.windows or self.delays:
                raise UserError("sweep_wrong_axis", task=self.task, given="--windows/--delays", use="--lengths")
            if not self.lengths:
                raise UserError("sweep_empty", name="lengths")
            smallest = 2 if self.task == "adding" else 1
            for T in self.lengths:
                if not isinstance(T, int) or T < smallest:
                    raise UserError("sweep_bad_length", task=self.task, value=T, smallest=smallest)
            _no_repeats("lengths", self.lengths)
        return self

    def _validate_echo(self):
        if self.lengths:
            raise UserError("sweep_wrong_axis", task="echo", given="--lengths", use="--windows and --delays")
        for name in ("windows", "delays"):
            if not getattr(self, name):
                raise UserError("sweep_empty", name=name)
            _no_repeats(name, getattr(self, name))
        row = self.series // self.batch
        for w in self.windows:
            if not isinstance(w, int) or not 0 < w <= row:
                raise UserError("sweep_bad_window", value=w, row=row)
        for d in self.delays:
            if not isinstance(d, int) or not 0 <= d < row:
                raise UserError("sweep_bad_delay", value=d, row=row)

    def groups(self) -> list[dict]:
        """Every group of runs that trains as one program, in order."""
        if self.task == "echo":
            return [{"cell": c, "window": w, "runs": [{"delay": d, "seed": s} for d in self.delays
                                                       for s in range(self.seeds)]}
                    for c in self.cells for w in self.windows]
        return [{"cell": c, "T": T, "runs": [{"seed": s} for s in range(self.seeds)]}
                for c in self.cells for T in self.lengths]

    def work(self) -> int:
        """Progress units of the whole sweep: steps (copy, adding) or epochs (echo), per group."""
        per = self.epochs if self.task == "echo" else self.steps
        return per * len(self.groups())

    def as_dict(self) -> dict:
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def _no_repeats(name, values):
    seen = set()
    for v in values:
        if v in seen:
            raise UserError("sweep_repeated", name=name, value=v)
        seen.add(v)


def baseline(task: str, gap: int) -> float:
    return {"copy": copy.baseline, "adding": adding.baseline}[task](gap) if task != "echo" else ECHO_BASELINE


def solved(task: str, value: float, gap: int) -> bool:
    if not math.isfinite(value):
        return False
    if task == "echo":
        return value >= ECHO_SOLVED
    return {"copy": copy.solved, "adding": adding.solved}[task](value, gap)


METRIC = {"copy": "cross_entropy", "adding": "mse", "echo": "accuracy"}


@dataclass
class Progress:
    """What the host hears while a sweep runs."""
    done: int  # progress units finished in the whole sweep
    total: int
    group: dict
    losses: np.ndarray | None = None  # (runs,) mean training loss of the latest chunk


def run(cfg: SweepConfig, on_progress: Callable | None = None, on_group: Callable | None = None):
    """Train the whole grid; returns (rows, timing).

    ``rows``: one dict per run (cell, task, setting, gap, seed, metric, value,
    baseline, solved, accuracy, final_train_loss). ``on_progress(Progress)``
    is called after every compiled call, ``on_group(group, rows, timing)``
    after every group (timing: compile_seconds, train_seconds, seconds);
    both run between compiled calls.
    """
    cfg.validate()
    rows, timing = [], {"compile_seconds": 0.0, "train_seconds": 0.0, "groups": []}
    done, total = 0, cfg.work()
    for g in cfg.groups():
        trainer = _train_echo if cfg.task == "echo" else _train_gap
        t0 = time.perf_counter()
        group_rows, t_compile, t_train = None, 0.0, 0.0
        for event in trainer(cfg, g):
            if event[0] == "compiled":
                t_compile = event[1]
            elif event[0] == "progress":
                done += event[1]
                if on_progress:
                    on_progress(Progress(done, total, g, event[2]))
            else:
                group_rows, t_train = event[1], event[2]
        timing["compile_seconds"] += t_compile
        timing["train_seconds"] += t_train
        g_time = {"compile_seconds": t_compile, "train_seconds": t_train, "seconds": time.perf_counter() - t0}
        timing["groups"].append({k: v for k, v in g.items() if k != "runs"} | {"runs": len(g["runs"])} | g_time)
        rows.extend(group_rows)
        if on_group:
            on_group(g, group_rows, g_time)
    return rows, timing


def _row(cfg, cell, setting, gap, seed, value, acc, train_loss):
    value = float(value)
    return {"cell": cell, "task": cfg.task, "setting": setting, "gap": gap, "seed": seed,
            "metric": METRIC[cfg.task], "value": value, "baseline": baseline(cfg.task, gap),
            "solved": solved(cfg.task, value, gap), "accuracy": float(acc),
            "final_train_loss": float(train_loss)}


def _train_gap(cfg, g):
    """Events for one (cell, T) group: compiled, progress..., rows."""
    from rnr import sweep_train

    prog = sweep_train.gap_program(cfg.task, g["cell"], g["T"], cfg.hidden, cfg.batch, cfg.eval_batch,
                                   cfg.optimizer, cfg.lr, cfg.clip, cfg.init, cfg.forget_bias)
    seeds = [r["seed"] for r in g["runs"]]
    vm = sweep_train.VmappedGap(prog)
    t = time.perf_counter()
    state = vm.start(seeds)
    sizes = [min(cfg.chunk, cfg.steps - s) for s in range(0, cfg.steps, cfg.chunk)]
    for n in sorted(set(sizes)):
        vm.compile(state, n)
    yield ("compiled", time.perf_counter() - t)
    t = time.perf_counter()
    last = np.full(len(seeds), np.nan)
    for n in sizes:
        state, losses = vm.chunk(state, n)
        last = np.asarray(losses).mean(axis=1)
        yield ("progress", n, last)
    value, acc = vm.evaluate(state, seeds)
    t_train = time.perf_counter() - t
    setting = f"T={g['T']}"
    yield ("rows", [_row(cfg, g["cell"], setting, g["T"], s, value[r], acc[r], last[r])
                    for r, s in enumerate(seeds)], t_train)


def echo_configs(cfg: SweepConfig, g: dict):
    """The ``rnr.eco.EcoConfig`` of every run in an echo group."""
    from rnr.eco import EcoConfig

    return [EcoConfig(epochs=cfg.epochs, length=cfg.series, window=g["window"], hidden=cfg.hidden,
                      delay=r["delay"], batch=cfg.batch, lr=cfg.lr, optimizer=cfg.optimizer, clip=cfg.clip,
                      cell=g["cell"], init=cfg.init, forget_bias=cfg.forget_bias, seed=r["seed"]).validate()
            for r in g["runs"]]


def _train_echo(cfg, g):
    """Events for one (cell, window) group: compiled, progress..., rows."""
    from rnr import sweep_train

    t = time.perf_counter()
    vm = sweep_train.VmappedEcho(echo_configs(cfg, g))
    vm.compile()
    yield ("compiled", time.perf_counter() - t)
    t = time.perf_counter()
    losses = None
    for _ in range(cfg.epochs):
        losses = vm.epoch().mean(axis=1)
        yield ("progress", 1, losses)
    acc = vm.accuracy()
    t_train = time.perf_counter() - t
    yield ("rows", [_row(cfg, g["cell"], f"window={g['window']},delay={r['delay']}", r["delay"], r["seed"],
                         acc[k], acc[k], losses[k]) | {"window": g["window"]}
                    for k, r in enumerate(g["runs"])], t_train)


def summarize(cfg: SweepConfig, rows: list[dict], timing: dict) -> dict:
    """Per (cell, setting): mean, std, min, max of the final metric and the fraction solved."""
    table = {}
    for r in rows:
        table.setdefault((r["cell"], r["setting"]), []).append(r)
    results = []
    for (cell, setting), rs in table.items():
        v = np.array([r["value"] for r in rs])
        results.append({"cell": cell, "setting": setting, "gap": rs[0]["gap"], "window": rs[0].get("window"),
                        "runs": len(rs), "mean": float(np.mean(v)), "std": float(np.std(v)),
                        "min": float(np.min(v)), "max": float(np.max(v)), "baseline": rs[0]["baseline"],
                        "solved": float(np.mean([r["solved"] for r in rs]))})
    return {"task": cfg.task, "metric": METRIC[cfg.task], "runs": len(rows), "groups": len(timing["groups"]),
            "compile_seconds": timing["compile_seconds"], "train_seconds": timing["train_seconds"],
            "results": results, "timing": timing["groups"], "config": cfg.as_dict()}


CSV_COLUMNS = ("cell", "task", "setting", "gap", "window", "seed", "metric", "value", "baseline", "solved",
               "accuracy", "final_train_loss")


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
            out.append("" if r is None else f"{r['mean']:.3g} ({round(r['solved'] * r['runs'])}/{r['runs']})")
        lines.append(f"| {name} | " + " | ".join(out) + " |")
    base = ", ".join(sorted({f"{r['baseline']:.3g}" for r in summary["results"]}, key=float))
    lines.append("")
    lines.append(f"{summary['metric']}: mean over seeds (seeds solved / seeds); baseline {base}.")
    return "\n".join(lines) + "\n"
