"""``rnr eco``: the tutorial's echo RNN, trained with its exact settings."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rnr.i18n import t, text

ORDER = 10

# With --plot save the training figure is refreshed every 100 windows, but the
# file is rewritten at most this often: rendering a PNG costs far more than
# training 100 windows.
SAVE_EVERY_SECONDS = 1.0


def add_parser(sub, common):
    from rnr.eco import EcoConfig

    d = EcoConfig()
    p = sub.add_parser("eco", parents=[common], help=t("help_eco"), description=t("help_eco_long"))
    for flag, kind, default in [
        ("--epochs", int, d.epochs), ("--length", int, d.length), ("--window", int, d.window),
        ("--hidden", int, d.hidden), ("--classes", int, d.classes), ("--delay", int, d.delay),
        ("--batch", int, d.batch), ("--lr", float, d.lr), ("--optimizer", str, d.optimizer),
        ("--clip", float, d.clip), ("--cell", str, d.cell), ("--init", str, d.init),
        ("--forget-bias", float, d.forget_bias), ("--seed", int, d.seed), ("--chunk", int, None),
        ("--out", str, None),
    ]:
        key = "help_eco_" + flag[2:].replace("-", "_")
        p.add_argument(flag, type=kind, default=default, help=t(key, default=default))
    p.add_argument("--plot", choices=("end", "none", "save", "live"), default="end", help=t("help_eco_plot"))
    p.add_argument("--quiet", action="store_true", help=t("help_eco_quiet"))
    p.set_defaults(run=run)
    return p


def run(args) -> int:
    import matplotlib

    from rnr import checkpoint, eco, interrupt, runs
    from rnr.errors import Diverged, UserError
    from rnr.views import echo_figure, live

    lang = args.lang
    plot = args.plot
    if plot != "live":
        matplotlib.use("Agg")
    elif not live.screen_available():
        print(text("live_unavailable", lang), file=sys.stderr)
        plot = "save"
    chunk = args.chunk if args.chunk is not None else (100 if plot == "live" else 0)
    cfg = eco.EcoConfig(
        epochs=args.epochs, length=args.length, window=args.window, hidden=args.hidden,
        classes=args.classes, delay=args.delay, batch=args.batch, lr=args.lr,
        optimizer=args.optimizer, clip=args.clip, cell=args.cell, init=args.init,
        forget_bias=args.forget_bias, seed=args.seed, chunk=chunk).validate()
    out = Path(args.out) if args.out else runs.default_dir("eco")
    runs.check_writable(out)
    metrics = out / "metrics.jsonl"

    def on_compiled(seconds):
        # the run directory appears only once training can start
        interrupt.allow()  # from here Ctrl-C saves what was trained
        runs.create(out)
        runs.write_json(out / "config.json", eco.config_dict(cfg))
        metrics.unlink(missing_ok=True)

    from tqdm import tqdm

    bar = tqdm(total=cfg.epochs, unit=" " + text("bar_epochs", lang), file=sys.stderr,
               disable=args.quiet or not sys.stderr.isatty(), leave=False)
    say = (lambda s: None) if args.quiet else (lambda s: bar.write(s, file=sys.stdout))
    fig = shown = None
    last = {"saved": 0.0}

    def title(snap):
        return text("fig_title", lang, cell=cfg.cell, epoch=snap.epoch, window=snap.step)

    def on_epoch(epoch):
        if epoch:
            bar.update(1)
        say(text("new_data", lang, epoch=epoch))

    def on_snapshot(snap):
        nonlocal fig, shown
        say(text("step_loss", lang, step=snap.step, loss=snap.loss))
        runs.append_metrics(metrics, {"epoch": snap.epoch, "step": snap.step, "loss": snap.loss})
        last["snap"] = snap
        if plot in ("save", "live"):
            if fig is None:
                fig = echo_figure.TrainingFigure(cfg.window, lang)
                shown = live.LiveFigure(fig.fig) if plot == "live" else None
            fig.update(snap.losses_so_far, snap.x, snap.y, snap.pred, title(snap))
            if shown:
                shown.refresh()
            elif time.perf_counter() - last["saved"] >= SAVE_EVERY_SECONDS:
                runs.save_figure(fig.fig, out / "training.png")
                last["saved"] = time.perf_counter()

    say(text("compiling", lang))
    try:
        result = eco.train(cfg, on_epoch=on_epoch, on_snapshot=on_snapshot, on_compiled=on_compiled)
    except Diverged as e:
        checkpoint.save(out / "params.safetensors", e.params)
        raise UserError("diverged", loss=e.loss, epoch=e.epoch, path=out / "params.safetensors") from None
    finally:
        bar.close()

    checkpoint.save(out / "params.safetensors", result.params)
    for epoch, row in enumerate(result.losses):
        runs.append_metrics(metrics, {"epoch": epoch, "mean_loss": float(row.mean())})
    runs.write_json(out / "summary.json", result.summary)
    if plot != "none" and "snap" in last:
        snap = last["snap"]
        fig = fig or echo_figure.TrainingFigure(cfg.window, lang)
        fig.update(snap.losses_so_far, snap.x, snap.y, snap.pred, title(snap))
        runs.save_figure(fig.fig, out / "training.png")
        runs.save_figure(echo_figure.loss_curve(result.losses, lang), out / "loss.png")
    s = result.summary
    print(text("summary", lang, delay=cfg.delay, **s))
    print(text("saved_to", lang, path=out))
    if s["interrupted"]:
        print(text("interrupted", lang, path=out), file=sys.stderr)
    if plot == "live" and shown and not shown.notebook:
        import matplotlib.pyplot as plt

        plt.ioff()
        plt.show()
    return 130 if s["interrupted"] else 0
