"""One module per ``rnr`` subcommand. Each defines ``ORDER`` (its place in
``--help``), ``add_parser(subparsers, common)`` which registers the parser
(``common`` carries ``--lang``) and sets ``run``, and ``run(args) -> int``.
``rnr.cli`` finds them all; adding a command touches no other file."""
