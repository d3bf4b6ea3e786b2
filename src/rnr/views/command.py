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
from rnr.settings import flags
from rnr.settings import setting

ORDER = 50


@dataclass(frozen=True)
class ViewOptions:
    """The options of ``rnr view`` (``start`` None: where the held-out text begins)."""
    steps: int = setting(30, "view_help_steps", low=1, high=100_000, flag="time-steps", aliases=("steps",))
    row: int = setting(0, "view_help_row", low=0)
    layer: int = setting(0, "view_help_layer", low=0)
    start: int | None = setting(None, "view_help_start", low=0)
    chars: int = flags.chars(1500)


def add_parser(sub, common):
    from rnr import settings

    p = sub.add_parser("view", parents=[common], help=t("view_help"), description=t("view_help_long"))
    p.add_argument("run_dir", metavar=t("meta_run"), help=t("view_help_run"))
    settings.add_arguments(p, ViewOptions)
    p.add_argument("--text", default=None, metavar=t("meta_file"), help=t("view_help_text"))
    p.set_defaults(run=run)
    return p


def run(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from rnr.io import kinds, runs
    from rnr import settings
    from rnr.errors import UserError

    options = settings.from_args(ViewOptions, args)
    run_dir = Path(args.run_dir)
    name, _, _ = runs.read_config(run_dir)  # the run's kind, its config.json validated
    draw = kinds.get(name).view
    if draw is None:
        raise UserError("view_unknown_task", task=name)
    for p in draw(run_dir, ViewRequest(**vars(options), text=args.text), args.lang):
        print(text("view_wrote", args.lang, path=p))
    return 0


@dataclass(frozen=True)
class ViewRequest(ViewOptions):
    """The options and ``--text`` (another data file to view the model on)."""
    text: str | None = None
