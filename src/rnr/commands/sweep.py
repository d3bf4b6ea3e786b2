"""``rnr sweep``: cells x task settings x seeds, each shape group one compiled program."""

from __future__ import annotations

import sys
from pathlib import Path

from rnr.i18n import text

ORDER = 30


def int_list(name: str, value: str | None):
    """'10,50,100' -> (10, 50, 100); None stays None; anything else is a UserError."""
    from rnr.errors import UserError

    if value is None:
        return None
    try:
        out = tuple(int(v) for v in value.split(","))
    except ValueError:
        raise UserError("sweep_bad_list", name=name, value=value) from None
    return out


# flag, type, help key (the messages live in rnr/messages/sweep.py)
FLAGS = [
    ("--task", str, "adding"), ("--cells", str, "rnn,lstm,gru"), ("--lengths", str, None),
    ("--windows", str, None), ("--delays", str, None), ("--seeds", int, 4), ("--hidden", int, None),
    ("--batch", int, None), ("--steps", int, None), ("--epochs", int, None), ("--series", int, None),
    ("--lr", float, None), ("--optimizer", str, None), ("--clip", float, None), ("--init", str, None),
    ("--forget-bias", float, None), ("--chunk", int, None), ("--eval-batch", int, None), ("--out", str, None),
]


def add_parser(sub, common):
    from rnr.i18n import t

    p = sub.add_parser("sweep", parents=[common], help=t("help_sweep"), description=t("help_sweep_long"))
    for flag, kind, default in FLAGS:
        p.add_argument(flag, type=kind, default=default, help=t("help_sweep_" + flag[2:].replace("-", "_")))
    p.add_argument("--no-plot", action="store_true", help=t("help_sweep_no_plot"))
    p.add_argument("--quiet", action="store_true", help=t("help_sweep_quiet"))
    p.set_defaults(run=run)
    return p


def config_from_args(args):
    from rnr.sweep import SweepConfig

    cell_names = tuple(c.strip() for c in args.cells.split(",") if c.strip())
    return SweepConfig.for_task(
        args.task, cells=cell_names, lengths=int_list("lengths", args.lengths),
        windows=int_list("windows", args.windows), delays=int_list("delays", args.delays),
        seeds=args.seeds, hidden=args.hidden, batch=args.batch, steps=args.steps, epochs=args.epochs,
        series=args.series, lr=args.lr, optimizer=args.optimizer, clip=args.clip, init=args.init,
        forget_bias=args.forget_bias, chunk=args.chunk, eval_batch=args.eval_batch).validate()


def run(args) -> int:
    import time

    import matplotlib

    matplotlib.use("Agg")
    from tqdm import tqdm

    from rnr import runs, sweep

    lang = args.lang
    cfg = config_from_args(args)  # every check before anything is written
    out = Path(args.out) if args.out else runs.default_dir(f"sweep-{cfg.task}")
    runs.check_writable(out)
    runs.create(out)
    runs.write_json(out / "config.json", {"task": "sweep", **cfg.as_dict()})
    metrics = out / "metrics.jsonl"
    metrics.unlink(missing_ok=True)

    groups = cfg.groups()
    n_runs = sum(len(g["runs"]) for g in groups)
    what = ", ".join(f"{g['cell']} {g.get('T', g.get('window'))}" for g in groups[:4]) + (" ..." if len(groups) > 4 else "")
    say = (lambda s: None) if args.quiet else print
    say(text("sweep_plan", lang, task=cfg.task, groups=len(groups), runs=n_runs, what=what))
    unit = text("sweep_bar_epochs" if cfg.task == "echo" else "sweep_bar", lang)
    bar = tqdm(total=cfg.work(), unit=" " + unit, file=sys.stderr, leave=False,
               disable=args.quiet or not sys.stderr.isatty())

    def on_progress(p):
        bar.update(p.done - bar.n)
        name = f"{p.group['cell']} {'T' if 'T' in p.group else 'w'}={p.group.get('T', p.group.get('window'))}"
        bar.set_description(name)
        runs.append_metrics(metrics, {"cell": p.group["cell"], "T": p.group.get("T"), "window": p.group.get("window"),
                                      "done": p.done, "train_loss": [float(v) for v in p.losses]})

    def on_group(g, rows, timing):
        by_setting = {}
        for r in rows:
            by_setting.setdefault(r["setting"], []).append(r)
        for setting, rs in by_setting.items():
            say_line(text("sweep_group_done", lang, cell=g["cell"], setting=setting, metric=rs[0]["metric"],
                          mean=sum(r["value"] for r in rs) / len(rs), baseline=rs[0]["baseline"],
                          solved=sum(r["solved"] for r in rs), runs=len(rs),
                          compile=timing["compile_seconds"], train=timing["train_seconds"]))

    def say_line(s):
        if not args.quiet:
            bar.write(s, file=sys.stdout)

    t0 = time.perf_counter()
    try:
        rows, timing = sweep.run(cfg, on_progress=on_progress, on_group=on_group)
    finally:
        bar.close()
    seconds = time.perf_counter() - t0

    summary = sweep.summarize(cfg, rows, timing) | {"wall_seconds": seconds}
    runs.atomic_write_bytes(out / "results.csv", sweep.to_csv(rows).encode())
    runs.write_json(out / "summary.json", summary)
    runs.atomic_write_bytes(out / "table.md", sweep.to_markdown(summary).encode())
    if not args.no_plot:
        from rnr.views import sweep_figure

        runs.save_figure(sweep_figure.figure(cfg.task, rows, lang), out / "sweep.png", dpi=110)
    print(text("sweep_done", lang, runs=len(rows), seconds=seconds, compile=timing["compile_seconds"],
               train=timing["train_seconds"]))
    print(text("saved_to", lang, path=out))
    return 0

