"""Ctrl-C in the command-line tool.

Until a command has something to save, Ctrl-C ends the process at once with
one line and exit code 130 (``os._exit``: an interrupt in the middle of
importing JAX or of an XLA compilation otherwise leaves native threads that
can hang or crash the interpreter's shutdown). A command that trains calls
``allow()`` once its run directory exists; from then on Ctrl-C raises
KeyboardInterrupt, which the training loop catches to save and stop cleanly.
"""

from __future__ import annotations

import os
import signal
import sys


def quit_at_once(lang: str) -> None:
    """Install the immediate-exit handler (the CLI does this first)."""
    from rnr.i18n import text

    message = text("interrupted_now", lang) + "\n"

    def handler(signum, frame):
        sys.stderr.write(message)
        sys.stderr.flush()
        os._exit(130)

    signal.signal(signal.SIGINT, handler)


def allow() -> None:
    """From now on Ctrl-C raises KeyboardInterrupt in the main thread."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
