"""``rnr eco``: the tutorial's echo RNN, trained with its exact settings."""

from __future__ import annotations

import sys
from pathlib import Path

from rnr.i18n import text

ORDER = 10


def add_parser(sub, common):
    from rnr.eco import EcoConfig

    d = EcoConfig()
    p = sub.add_parser("eco", parents=[common], help="train the tutorial's echo RNN",
                       description="Train the echo RNN of the tutorial: the target is the input "
                       "delayed by --delay steps. Defaults are the tutorial's settings.")
    p.add_argument("--epochs", type=int, default=d.epochs, help="epochs, each on a fresh series (100)")
    p.add_argument("--length", type=int, default=d.length, help="steps in each epoch's series (50000)")
    p.add_argument("--window", type=int, default=d.window, help="truncated-BPTT window in steps (15)")
    p.add_argument("--hidden", type=int, default=d.hidden, help="state size (4)")
    p.add_argument("--classes", type=int, default=d.classes, help="output classes (2)")
    p.add_argument("--delay", type=int, default=d.delay, help="echo delay in steps (3)")
    p.add_argument("--batch", type=int, default=d.batch, help="batch rows (5)")
    p.add_argument("--lr", type=float, default=d.lr, help="learning rate (0.3)")
    p.add_argument("--optimizer", default=d.optimizer, help="adagrad, adam, sgd or rmsprop (adagrad)")
    p.add_argument("--clip", type=float, default=None, help="clip the gradient's global norm (off)")
    p.add_argument("--cell", default=d.cell, help="rnn, lstm or gru (rnn)")
    p.add_argument("--init", default=d.init, help="tutorial: U[0,1) weights, zero biases; "
                   "torch: U(+-1/sqrt(hidden)) (tutorial)")
    p.add_argument("--forget-bias", type=float, default=d.forget_bias, help="added to the LSTM forget bias (0)")
    p.add_argument("--seed", type=int, default=d.seed, help="random seed for weights and data (0)")
    p.add_argument("--chunk", type=int, default=None,
                   help="windows per compiled call (default: a whole epoch; 100 with --plot live)")
    p.add_argument("--out", default=None, help="run directory (default: runs/eco-<time>)")
    p.add_argument("--plot", choices=("end", "none", "save", "live"), default="end",
                   help="end: save figures when training ends (default); none: no figures; "
                   "save: also refresh the training figure every 100 windows; live: show it on screen")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.set_defaults(run=run)
    return p


def run(args) -> int:
    import matplotlib

    from rnr import checkpoint, eco, runs
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
    runs.create(out)
    runs.write_json(out / "config.json", eco.config_dict(cfg))
    metrics = out / "metrics.jsonl"
    metrics.unlink(missing_ok=True)

    from tqdm import tqdm

    bar = tqdm(total=cfg.epochs, unit=" " + text("bar_epochs", lang), file=sys.stderr,
               disable=args.quiet or not sys.stderr.isatty(), leave=False)
    say = (lambda s: None) if args.quiet else (lambda s: bar.write(s, file=sys.stdout))
    fig = axes = shown = None
    last = {}

    def title(snap):
        return text("fig_title", lang, cell=cfg.cell, epoch=snap.epoch, window=snap.step)

    def on_epoch(epoch):
        if epoch:
            bar.update(1)
        say(text("new_data", lang, epoch=epoch))

    def on_snapshot(snap):
        nonlocal fig, axes, shown
        say(text("step_loss", lang, step=snap.step, loss=snap.loss))
        runs.append_metrics(metrics, {"epoch": snap.epoch, "step": snap.step, "loss": snap.loss})
        last["snap"] = snap
        if plot in ("save", "live"):
            if fig is None:
                fig, axes = echo_figure.new_figure()
                shown = live.LiveFigure(fig) if plot == "live" else None
            echo_figure.draw_training(fig, axes, snap.losses_so_far, snap.x, snap.y, snap.pred, lang, title(snap))
            if shown:
                shown.refresh()
            else:
                runs.save_figure(fig, out / "training.png")

    say(text("compiling", lang))
    try:
        result = eco.train(cfg, on_epoch=on_epoch, on_snapshot=on_snapshot)
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
        if fig is None:
            fig, axes = echo_figure.new_figure()
        echo_figure.draw_training(fig, axes, snap.losses_so_far, snap.x, snap.y, snap.pred, lang, title(snap))
        runs.save_figure(fig, out / "training.png")
        runs.save_figure(echo_figure.loss_curve(result.losses, lang), out / "loss.png")
    s = result.summary
    if s["interrupted"]:
        print(text("interrupted", lang, path=out), file=sys.stderr)
    print(text("summary", lang, delay=cfg.delay, **s))
    print(text("saved_to", lang, path=out))
    if plot == "live" and shown and not shown.notebook:
        import matplotlib.pyplot as plt

        plt.ioff()
        plt.show()
    return 130 if s["interrupted"] else 0
