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


def add_parser(sub, common):
    p = sub.add_parser("sweep", parents=[common], help="train a grid of cells x gaps x seeds",
                       description="Measure the long-term dependency problem: train every cell on a task "
                       "(copy, adding or echo) at every gap, several seeds each. Runs that share shapes "
                       "train together as one compiled program. Unset options take the task's defaults.")
    p.add_argument("--task", default="adding", help="copy, adding or echo (adding)")
    p.add_argument("--cells", default="rnn,lstm,gru",
                   help="comma-separated: rnn, lstm, gru, lstm_peephole, lstm_coupled, lstm_nofg (rnn,lstm,gru)")
    p.add_argument("--lengths", default=None, help="copy, adding: gaps T, e.g. 10,50,100,200")
    p.add_argument("--windows", default=None, help="echo: truncation windows, e.g. 5,15")
    p.add_argument("--delays", default=None, help="echo: delays, e.g. 1,3,6,12")
    p.add_argument("--seeds", type=int, default=4, help="seeds per setting, 0..N-1 (4)")
    p.add_argument("--hidden", type=int, default=None, help="state size (copy, adding 32; echo 4)")
    p.add_argument("--batch", type=int, default=None, help="sequences per step (32); echo: batch rows (5)")
    p.add_argument("--steps", type=int, default=None, help="copy, adding: optimizer steps per run (1500)")
    p.add_argument("--epochs", type=int, default=None, help="echo: epochs per run (20)")
    p.add_argument("--series", type=int, default=None, help="echo: steps per epoch's series (10000)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (adam 0.01; echo adagrad 0.3)")
    p.add_argument("--optimizer", default=None, help="adagrad, adam, sgd or rmsprop")
    p.add_argument("--clip", type=float, default=None, help="clip the gradient norm (1.0; echo off); 0: off")
    p.add_argument("--init", default=None, help="torch or tutorial (echo: tutorial)")
    p.add_argument("--forget-bias", type=float, default=None, help="added to the LSTM forget bias (1.0; echo 0)")
    p.add_argument("--chunk", type=int, default=None, help="copy, adding: steps per compiled call (100)")
    p.add_argument("--eval-batch", type=int, default=None, help="copy, adding: fresh sequences scored at the end (1000)")
    p.add_argument("--out", default=None, help="run directory (default: runs/sweep-<task>-<time>)")
    p.add_argument("--no-plot", action="store_true", help="do not draw sweep.png")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
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

