"""``rnr text``: character-level language models on any UTF-8 text.

    rnr text train FILE [--time-budget 10]      train (or --resume RUN)
    rnr text sample RUN [--prime ... --temperature 0.8]
    rnr text eval RUN FILE                      loss and bits/char of a text
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from rnr.i18n import text as msg

ORDER = 20
LIMITS = ("epochs", "steps", "time_budget")


def add_parser(sub, common):
    from rnr.text.config import TextConfig

    d = TextConfig()
    p = sub.add_parser("text", parents=[common], help="character-level language models on any UTF-8 text",
                       description="Train, sample and evaluate character-level language models.")
    tsub = p.add_subparsers(dest="text_command", metavar="ACTION", parser_class=type(p))
    p.set_defaults(run=lambda args: (p.print_help(), 2)[1])

    t = tsub.add_parser("train", parents=[common], help="train on a text file (or --resume a run)")
    t.add_argument("file", nargs="?", help="UTF-8 text file (when resuming: default the original file)")
    t.add_argument("--resume", metavar="RUN", help="continue the run in this directory exactly where it stopped")
    t.add_argument("--out", help="run directory (default: runs/text-<time>)")
    t.add_argument("--cell", default=d.cell, help="rnn, lstm, gru or a variant (lstm)")
    t.add_argument("--layers", type=int, default=d.layers, help="stacked layers (1)")
    t.add_argument("--hidden", type=int, default=d.hidden, help="units per layer (256)")
    t.add_argument("--embed", type=int, default=d.embed, help="embedding width (64)")
    t.add_argument("--dropout", type=float, default=d.dropout, help="dropout between layers (0)")
    t.add_argument("--batch", type=int, default=d.batch, help="batch rows (32)")
    t.add_argument("--window", type=int, default=d.window, help="truncated-BPTT window in characters (64)")
    t.add_argument("--optimizer", default=d.optimizer, help="adam, adagrad, sgd or rmsprop (adam)")
    t.add_argument("--lr", type=float, default=d.lr, help="learning rate (0.002)")
    t.add_argument("--clip", type=float, default=d.clip, help="clip the gradient's global norm; 0: off (5)")
    t.add_argument("--lr-decay", type=float, default=d.lr_decay, help="multiply the rate by this each epoch (1)")
    t.add_argument("--epochs", type=int, default=None, help="passes over the training text")
    t.add_argument("--steps", type=int, default=None, help="windows to train, in all (resumes included)")
    t.add_argument("--time-budget", type=float, default=None, metavar="MINUTES", help="minutes to train")
    t.add_argument("--val-fraction", type=float, default=d.val_fraction, help="last part held out (0.1)")
    t.add_argument("--val-max", type=int, default=d.val_max, help="validate on at most this many characters; 0: all")
    t.add_argument("--init", default=d.init, help="torch or tutorial (torch)")
    t.add_argument("--forget-bias", type=float, default=d.forget_bias, help="added to the LSTM forget bias (0)")
    t.add_argument("--seed", type=int, default=d.seed, help="random seed (0)")
    t.add_argument("--chunk", type=int, default=d.chunk, help="windows per compiled call (50)")
    t.add_argument("--eval-every", type=int, default=d.eval_every, help="windows between validations (500)")
    t.add_argument("--sample-length", type=int, default=d.sample_length, help="characters sampled at each validation (200)")
    t.add_argument("--quiet", action="store_true", help="print only the summary")
    t.set_defaults(run=run_train)

    s = tsub.add_parser("sample", parents=[common], help="write text with a trained model")
    s.add_argument("run_dir", metavar="RUN")
    s.add_argument("--length", type=int, default=500, help="characters to write (500)")
    s.add_argument("--temperature", type=float, default=1.0, help="below 1: safer, above 1: wilder (1)")
    s.add_argument("--top-k", type=int, default=0, help="draw only among the k likeliest; 0: all (0)")
    s.add_argument("--prime", default=None, help="text to start from (default: a newline)")
    s.add_argument("--seed", type=int, default=0, help="random seed (0)")
    s.add_argument("--greedy", action="store_true", help="always take the likeliest character")
    s.set_defaults(run=run_sample)

    e = tsub.add_parser("eval", parents=[common], help="loss and bits per character of a text")
    e.add_argument("run_dir", metavar="RUN")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--batch", type=int, default=32, help="rows evaluated side by side (32)")
    e.add_argument("--window", type=int, default=64, help="characters per compiled window (64)")
    e.set_defaults(run=run_eval)
    return p


def _config(args, base=None):
    import dataclasses

    from rnr.text.config import TextConfig

    if base is not None:  # resuming: the run's settings, new limits only
        over = {k: getattr(args, k) for k in LIMITS if getattr(args, k) is not None}
        return dataclasses.replace(base, **over).validate()
    return TextConfig(
        cell=args.cell, layers=args.layers, hidden=args.hidden, embed=args.embed, dropout=args.dropout,
        batch=args.batch, window=args.window, optimizer=args.optimizer, lr=args.lr,
        clip=args.clip or None, lr_decay=args.lr_decay, epochs=args.epochs or 0, steps=args.steps or 0,
        time_budget=args.time_budget or 0.0, val_fraction=args.val_fraction, val_max=args.val_max,
        init=args.init, forget_bias=args.forget_bias, seed=args.seed, chunk=args.chunk,
        eval_every=args.eval_every, sample_length=args.sample_length).validate()


def run_train(args) -> int:
    from rnr import runs
    from rnr.errors import Diverged, UserError
    from rnr.text import data, rundir
    from rnr.text import train as tr

    lang = args.lang
    if args.resume:
        out = Path(args.resume)
        raw = rundir.read_config(out)
        path = args.file or raw["text"]["path"]
        text = data.read_text(path)
        if rundir.text_sha256(text) != raw["text"]["sha256"]:
            raise UserError("text_changed", path=path, run=out)
        if not (out / "last.safetensors").is_file():
            raise UserError("text_no_checkpoint", path=out)
        prep = tr.prepare(_config(args, raw["_cfg"]), text, str(path), vocab=raw["_vocab"])
    else:
        if not args.file:
            raise UserError("text_need_file")
        text = data.read_text(args.file)
        prep = tr.prepare(_config(args), text, args.file)
        out = Path(args.out) if args.out else runs.default_dir("text")
        runs.check_writable(out)
    cfg = prep.cfg

    from tqdm import tqdm

    K = prep.X.shape[0]
    total = min([s for s in (cfg.steps, cfg.epochs * K) if s] or [0]) or None
    bar = tqdm(total=total, unit=" " + msg("text_bar_windows", lang), file=sys.stderr,
               disable=args.quiet or not sys.stderr.isatty(), leave=False, dynamic_ncols=True)
    say = (lambda s: None) if args.quiet else (lambda s: bar.write(s, file=sys.stdout))
    post = {}

    def on_compiled(seconds):
        say(msg("text_compiled", lang, seconds=seconds, vocab=len(prep.vocab), windows=K,
                window=cfg.window, batch=cfg.batch))

    def on_chunk(rec):
        if bar.n == 0 and rec["step"] > len(rec["losses"]):
            bar.n = rec["step"] - len(rec["losses"])
        bar.update(len(rec["losses"]))
        post.update(loss=f"{rec['loss']:.3f}", tok_s=f"{rec['tokens_per_s']:,.0f}")
        bar.set_postfix(post, refresh=False)

    def on_eval(rec):
        post["val"] = f"{rec['val_loss']:.3f}"
        say(msg("text_val", lang, **rec))
        if "sample" in rec:
            say(msg("text_sample_head", lang) + "\n" + rec["sample"] + "\n")

    if not args.resume:
        runs.create(out)
        runs.write_json(out / "config.json", rundir.config_dict(cfg, prep.vocab, args.file, text))
    say(msg("text_compiling", lang))
    try:
        s = tr.train(prep, out, resume=bool(args.resume), on_chunk=on_chunk, on_eval=on_eval,
                     on_compiled=on_compiled)
    except Diverged as e:
        raise UserError("diverged", loss=e.loss, epoch=e.epoch, path=out / "last.safetensors") from None
    finally:
        bar.close()
    if s["best_val_loss"] is None or not math.isfinite(s["val_loss"]):
        s["best_val_loss"], s["best_step"] = float("nan"), 0
    print(msg("text_summary", lang, **s))
    print(msg("saved_to", lang, path=out))
    if s["interrupted"]:
        print(msg("interrupted", lang, path=out), file=sys.stderr)
        print(msg("text_resume_hint", lang, path=out), file=sys.stderr)
        return 130
    return 0


def run_sample(args) -> int:
    from rnr.text import load_model
    from rnr.text.sample import default_prime, sample
    from rnr.text.vocab import Vocab

    mcfg, params, chars = load_model(args.run_dir)
    vocab = Vocab(chars)
    prime = args.prime if args.prime else default_prime(vocab)
    out = sample(mcfg, params, vocab, args.length, prime, args.temperature, args.top_k, args.greedy, args.seed)
    sys.stdout.write(prime + out + ("" if out.endswith("\n") else "\n"))
    return 0


def run_eval(args) -> int:
    from rnr.errors import UserError
    from rnr.text import data, load_model
    from rnr.text.train import evaluate_text
    from rnr.text.vocab import Vocab

    for name in ("batch", "window"):
        if getattr(args, name) <= 0:
            raise UserError("not_positive", name=name, value=getattr(args, name))
    mcfg, params, chars = load_model(args.run_dir)
    text = data.read_text(args.file)
    r = evaluate_text(mcfg, params, Vocab(chars), text, args.file, args.batch, args.window)
    print(msg("text_eval_result", args.lang, path=args.file, **r))
    return 0
