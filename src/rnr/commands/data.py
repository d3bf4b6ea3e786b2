"""``rnr data``: named datasets (see rnr.data.command)."""

from rnr.data.command import ORDER, add_parser, run  # noqa: F401
