"""``rnr view RUN``: pictures of a trained run, written into its directory.

Echo runs (``rnr eco``): gates.png, cell.png (LSTM), layout.png,
unrolled.png, truncation.png. Text runs: neurons.html, one self-contained
page colouring a passage by a chosen neuron. Series runs: gates.png over
one sequence (``--row``; ``--text`` names another data file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rnr.i18n import t, text
from rnr.settings import setting
from rnr.io import files

ORDER = 50


@dataclass(frozen=True)
class ViewOptions:
    """The options of ``rnr view`` (``start`` None: where the held-out text begins)."""
    steps: int = setting(30, "view_help_steps", low=1, high=100_000, flag="time-steps", aliases=("steps",))
    row: int = setting(0, "view_help_row", low=0)
    layer: int = setting(0, "view_help_layer", low=0)
    start: int | None = setting(None, "view_help_start", low=0)
    chars: int = setting(1500, "view_help_chars", low=1, high=200_000)


def add_parser(sub, common):
    from rnr import settings

    p = sub.add_parser("view", parents=[common], help=t("view_help"), description=t("view_help_long"))
    p.add_argument("run_dir", metavar=t("meta_run"), help=t("view_help_run"))
    settings.add_arguments(p, ViewOptions)
    p.add_argument("--text", default=None, metavar=t("meta_file"), help=t("view_help_text"))
    p.set_defaults(run=run)
    return p


def _task(run_dir: Path) -> tuple[str, dict]:
    """The run's kind and its raw config.json, validated (``rnr.runs``)."""
    from rnr import runs

    kind, _, raw = runs.read_config(run_dir)
    return kind, raw


def _passage(args, raw: dict, run_dir: Path) -> str:
    """The passage to show: ``--chars`` characters of ``--text`` (or of the
    text the run trained on, ``config["text"]["path"]``) from ``--start``
    (default: where the held-out last ``val_fraction`` of the text begins)."""
    from rnr.errors import UserError

    path = args.text
    named = raw.get("text")
    if path is None and isinstance(named, dict) and isinstance(named.get("path"), str):
        path = named["path"]
    if path is None:
        raise UserError("view_need_text")
    p = Path(path)
    if not p.is_absolute() and not p.exists() and (run_dir / p).exists():
        p = run_dir / p
    from rnr import memory

    if not p.is_file():  # missing, a folder, a fifo that would block: none is a text file
        raise UserError("view_no_text", path=p)
    memory.check_fits(8 * p.stat().st_size, str(p))
    try:
        body = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise UserError("view_no_text", path=p) from None
    start = args.start
    if start is None:
        frac = raw.get("val_fraction") if args.text is None else None
        start = len(body) - int(round(len(body) * frac)) if isinstance(frac, float) and 0 < frac < 1 else 0
    start = max(0, min(start, len(body) - 2))
    return body[start: start + max(0, args.chars)]


def run(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from rnr import runs
    from rnr.errors import UserError

    from rnr import settings

    o = settings.from_args(ViewOptions, args)
    for name in ("steps", "row", "layer", "start", "chars"):
        setattr(args, name, getattr(o, name))
    lang = args.lang
    run_dir = Path(args.run_dir)
    task, raw = _task(run_dir)
    if task == "echo":
        from rnr import eco
        from rnr.views import echo_view

        cfg, params = eco.load_run(run_dir)
        echo_view.check_options(cfg, args.steps, args.row, args.layer)
        paths = echo_view.render(run_dir, cfg, params, lang=lang, steps=args.steps, row=args.row,
                                 layer=args.layer)
    elif task == "text":
        from rnr.views import text_page

        passage = _passage(args, raw, run_dir)
        from rnr import text as text_task  # provided by the text-model feature

        cfg, params, vocab = text_task.load_model(run_dir)
        kept, _ = text_page.encode_passage(passage, vocab)
        if len(kept) < 2:
            raise UserError("view_text_short", n=len(kept))
        page = text_page.build_page(cfg, params, vocab, passage, lang=lang, name=run_dir.name)
        paths = [run_dir / "neurons.html"]
        files.atomic_write_bytes(paths[0], page.encode("utf-8"))
    elif task == "series":
        from rnr.views import series_view

        paths = series_view.render(runs.load_run(run_dir, kind="series", which="last"), args, lang)
    else:
        raise UserError("view_unknown_task", task=task)
    for p in paths:
        print(text("view_wrote", lang, path=p))
    return 0
