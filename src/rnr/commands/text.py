"""``rnr text``: character-level language models on any UTF-8 text.

    rnr text train FILE [--time-budget 10]      train (or --resume RUN)
    rnr text sample RUN [--prime ... --temperature 0.8]
    rnr text eval RUN FILE                      loss and bits/char of a text
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from rnr.i18n import t as _h
from rnr.i18n import text as msg

ORDER = 20
LIMITS = ("epochs", "steps", "time_budget")


def add_parser(sub, common):
    from rnr.text.config import TextConfig

    d = TextConfig()
    p = sub.add_parser("text", parents=[common], help=_h("texthelp_00"),
                       description=_h("texthelp_01"))
    tsub = p.add_subparsers(dest="text_command", metavar="ACTION", parser_class=type(p))
    p.set_defaults(run=lambda args: (p.print_help(), 2)[1])

    t = tsub.add_parser("train", parents=[common], help=_h("texthelp_02"))
    t.add_argument("file", nargs="?", help=_h("texthelp_03"))
    t.add_argument("--resume", metavar="RUN", help=_h("texthelp_04"))
    t.add_argument("--out", help=_h("texthelp_05"))
    t.add_argument("--cell", default=d.cell, help=_h("texthelp_06"))
    t.add_argument("--layers", type=int, default=d.layers, help=_h("texthelp_07"))
    t.add_argument("--hidden", type=int, default=d.hidden, help=_h("texthelp_08"))
    t.add_argument("--embed", type=int, default=d.embed, help=_h("texthelp_09"))
    t.add_argument("--dropout", type=float, default=d.dropout, help=_h("texthelp_10"))
    t.add_argument("--batch", type=int, default=d.batch, help=_h("texthelp_11"))
    t.add_argument("--window", type=int, default=d.window, help=_h("texthelp_12"))
    t.add_argument("--optimizer", default=d.optimizer, help=_h("texthelp_13"))
    t.add_argument("--lr", type=float, default=d.lr, help=_h("texthelp_14"))
    t.add_argument("--clip", type=float, default=d.clip, help=_h("texthelp_15"))
    t.add_argument("--lr-decay", type=float, default=d.lr_decay, help=_h("texthelp_16"))
    t.add_argument("--epochs", type=int, default=None, help=_h("texthelp_17"))
    t.add_argument("--steps", type=int, default=None, help=_h("texthelp_18"))
    t.add_argument("--time-budget", type=float, default=None, metavar="MINUTES", help=_h("texthelp_19"))
    t.add_argument("--val-fraction", type=float, default=d.val_fraction, help=_h("texthelp_20"))
    t.add_argument("--val-max", type=int, default=d.val_max, help=_h("texthelp_21"))
    t.add_argument("--init", default=d.init, help=_h("texthelp_22"))
    t.add_argument("--forget-bias", type=float, default=d.forget_bias, help=_h("texthelp_23"))
    t.add_argument("--seed", type=int, default=d.seed, help=_h("texthelp_24"))
    t.add_argument("--chunk", type=int, default=d.chunk, help=_h("texthelp_25"))
    t.add_argument("--eval-every", type=int, default=d.eval_every, help=_h("texthelp_26"))
    t.add_argument("--sample-length", type=int, default=d.sample_length, help=_h("texthelp_27"))
    t.add_argument("--quiet", action="store_true", help=_h("texthelp_28"))
    t.set_defaults(run=run_train)

    s = tsub.add_parser("sample", parents=[common], help=_h("texthelp_29"))
    s.add_argument("run_dir", metavar="RUN")
    s.add_argument("--length", type=int, default=500, help=_h("texthelp_30"))
    s.add_argument("--temperature", type=float, default=1.0, help=_h("texthelp_31"))
    s.add_argument("--top-k", type=int, default=0, help=_h("texthelp_32"))
    s.add_argument("--prime", default=None, help=_h("texthelp_33"))
    s.add_argument("--seed", type=int, default=0, help=_h("texthelp_24"))
    s.add_argument("--greedy", action="store_true", help=_h("texthelp_34"))
    s.set_defaults(run=run_sample)

    e = tsub.add_parser("eval", parents=[common], help=_h("texthelp_35"))
    e.add_argument("run_dir", metavar="RUN")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--batch", type=int, default=32, help=_h("texthelp_36"))
    e.add_argument("--window", type=int, default=64, help=_h("texthelp_37"))
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
