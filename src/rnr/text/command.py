"""``rnr text``: character-level language models on any UTF-8 text.

    rnr text train FILE [--time-budget 10]      train (or --resume RUN)
    rnr text sample RUN [--prime ... --temperature 0.8]
    rnr text eval RUN FILE                      loss and bits/char of a text
"""

from __future__ import annotations

import json
import math
import sys

from dataclasses import dataclass

from rnr.i18n import t as _h
from rnr.settings import setting
from rnr.i18n import text as msg
from rnr.cli import parsers
from rnr.cli.progress import report_end

ORDER = 20


@dataclass(frozen=True)
class Launch:
    """How this process joins a multi-process run (not stored with the run)."""
    coordinator: str | None = setting(None, "help_coordinator", metavar="meta_address")
    num_processes: int | None = setting(None, "help_num_processes", low=1, high=100_000)
    process_id: int | None = setting(None, "help_process_id", low=0, high=100_000)


def add_parser(sub, common):
    from rnr import settings
    from rnr.text.config import EvalConfig, SampleConfig, TextConfig

    p, tsub = parsers.add_group(sub, common, "text", "text_help", "text_help_long")
    t = parsers.add_train(tsub, common, "text_help", run_train)
    settings.add_arguments(t, TextConfig)
    settings.add_arguments(t, Launch)

    s = tsub.add_parser("sample", parents=[common], help=_h("text_help_sample"))
    s.add_argument("run_dir", metavar=_h("meta_run"))
    settings.add_arguments(s, SampleConfig)
    s.add_argument("--prime", default=None, metavar=_h("meta_text"), help=_h("text_help_prime"))
    s.add_argument("--greedy", action="store_true", help=_h("text_help_greedy"))
    s.set_defaults(run=run_sample)

    e = tsub.add_parser("eval", parents=[common], help=_h("text_help_eval"))
    e.add_argument("run_dir", metavar=_h("meta_run"))
    e.add_argument("file", metavar=_h("meta_file"))
    own = _h("text_eval_run_own")
    settings.add_arguments(e, EvalConfig, defaults={"batch": own, "window": own})
    e.set_defaults(run=run_eval)
    return p


def run_train(args) -> int:
    from rnr import data as datasets
    from rnr.engine import devices, trainer
    from rnr import settings
    from rnr.errors import UserError
    from rnr.cli.progress import Progress
    from rnr.text import data
    from rnr.text import train as tr
    from rnr.text.config import TextConfig, config_dict, text_sha256
    from rnr.text.vocab import Vocab

    lang = args.lang
    _join(settings.from_args(Launch, args), args.devices)
    main = devices.is_main()
    if args.resume:
        out, cfg, raw = trainer.resumed_settings(args, "text", TextConfig)
        path = args.file or raw["text"]["path"]
        text = data.read_text(path)
        if text_sha256(text) != raw["text"]["sha256"]:
            raise UserError("text_changed", path=path, run=out)
        prep = tr.prepare(cfg, text, str(path), vocab=Vocab(raw["vocab"]))
        config = {**raw, **config_dict(prep.cfg, prep.vocab, raw["text"]["path"], text)}  # new limits, --lr
    else:
        if not args.file:
            raise UserError("text_need_file")
        args.file, _ = datasets.resolve(args.file, "text")  # a dataset's name: its cached file
        text = data.read_text(args.file)
        prep = tr.prepare(settings.from_args(TextConfig, args), text, args.file)
        if devices.processes() > 1 and not args.out:
            raise UserError("distributed_out")  # every process must name the same folder
        out = trainer.new_run_dir(args, "text", check=main)
        config = config_dict(prep.cfg, prep.vocab, args.file, text)
    cfg = prep.cfg
    # every process must run the same chunks; only the time budget is process 0's alone to judge
    same = {k: v for k, v in settings.to_dict(cfg).items() if k not in ("time_budget", "sample_length")}
    devices.check_same(json.dumps([same, text_sha256(text), args.resume is not None, str(out)]))
    progress = Progress(lang, quiet=args.quiet or not main, every=min(100, cfg.eval_every))
    say = progress.write

    def on_compiled(seconds):
        say(msg("text_compiled", lang, seconds=seconds, vocab=len(prep.vocab), windows=prep.X.shape[0],
                window=cfg.window, batch=cfg.batch))

    def on_eval(rec):
        say(msg("text_val", lang, **rec))
        if "sample" in rec:
            say(msg("text_sample_head", lang) + "\n" + rec["sample"] + "\n")

    say(msg("text_compiling", lang))
    try:
        s = tr.train(prep, out, resume=bool(args.resume), config=config, on_eval=on_eval,
                     on_compiled=on_compiled, progress=progress, plot=args.plot != "none")
    finally:
        progress.close()
    if not main:
        return 130 if s["interrupted"] else 0
    if s["best_val_loss"] is None or s["val_loss"] is None or not math.isfinite(s["val_loss"]):
        s["best_val_loss"], s["best_step"] = float("nan"), 0
    return report_end(msg("text_summary", lang, **s), out, lang, s["interrupted"], "text_resume_hint")


def _join(launch: Launch, devices_flag: int) -> None:
    """Join a multi-process run when ``--coordinator`` says so (``rnr.engine.devices``)."""
    from rnr.engine import devices
    from rnr.errors import UserError

    if launch.coordinator is not None:
        if launch.num_processes is None or launch.process_id is None or launch.process_id >= launch.num_processes:
            raise UserError("distributed_flags")
        if devices_flag:
            raise UserError("distributed_devices")
    elif launch.num_processes is not None or launch.process_id is not None:
        raise UserError("distributed_alone")
    devices.start(launch.coordinator, launch.num_processes, launch.process_id)


def run_sample(args) -> int:
    from rnr import settings
    from rnr.text import load_model
    from rnr.text.config import SampleConfig
    from rnr.text.sample import default_prime, sample
    from rnr.text.vocab import Vocab

    o = settings.from_args(SampleConfig, args)
    mcfg, params, chars = load_model(args.run_dir)
    vocab = Vocab(chars)
    prime = args.prime if args.prime else default_prime(vocab)
    out = sample(mcfg, params, vocab, o.length, prime, o.temperature, o.top_k, args.greedy, o.seed, flag="--chars")
    sys.stdout.write(prime + out + ("" if out.endswith("\n") else "\n"))
    return 0


def run_eval(args) -> int:
    from rnr.io import runs
    from rnr import settings
    from rnr.text import data
    from rnr.text.config import EvalConfig
    from rnr.text.train import evaluate_text, shown_chars
    from rnr.text.vocab import Vocab

    o = settings.from_args(EvalConfig, args)
    run = runs.load_run(args.run_dir, kind="text")  # the best checkpoint, as rnr.text.load_model
    text = data.read_text(args.file)
    # the run's own rows and window unless given: the state runs over windows as in training
    batch = o.batch if o.batch is not None else run.cfg.batch
    window = o.window if o.window is not None else run.cfg.window
    r = evaluate_text(run.mcfg, run.params, Vocab(run.raw["vocab"]), text, args.file, batch, window)
    if r["skipped"]:
        print(msg("text_eval_skipped", args.lang, path=args.file, skipped=r["skipped"], kinds=len(r["unknown"]),
                  chars=shown_chars(r["unknown"])), file=sys.stderr)
    print(msg("text_eval_result", args.lang, path=args.file, **r))
    return 0
