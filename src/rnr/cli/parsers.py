"""The parsers of commands with actions (``rnr text train``, ``rnr series train``)."""

from __future__ import annotations

from rnr.i18n import t


def add_group(sub, common, name: str, help_key: str, long_key: str):
    """``rnr NAME ACTION ...``: the group's parser and the subparsers of its
    actions (``rnr NAME`` alone prints the group's help and exits 2)."""
    p = sub.add_parser(name, parents=[common], help=t(help_key), description=t(long_key))
    actions = p.add_subparsers(dest=f"{name}_command", metavar=t("meta_action"), parser_class=type(p))
    p.set_defaults(run=lambda args: (p.print_help(), 2)[1])
    return p, actions


def add_train(actions, common, keys: str, run):
    """The ``train`` action calling ``run(args)``: a data file (or a dataset's
    name), --resume RUN, --out DIR, --plot end|none, --quiet, with help from
    the messages ``<keys>_train``, ``_file``, ``_resume``, ``_out``, ``_plot``
    and ``_quiet``; the command adds its settings."""
    p = actions.add_parser("train", parents=[common], help=t(f"{keys}_train"))
    p.add_argument("file", nargs="?", metavar=t("meta_file"), help=t(f"{keys}_file"))
    p.add_argument("--resume", metavar=t("meta_run"), help=t(f"{keys}_resume"))
    p.add_argument("--out", metavar=t("meta_dir"), help=t(f"{keys}_out"))
    p.add_argument("--plot", choices=("end", "none"), default="end", help=t(f"{keys}_plot"))
    p.add_argument("--quiet", action="store_true", help=t(f"{keys}_quiet"))
    p.set_defaults(run=run)
    return p
