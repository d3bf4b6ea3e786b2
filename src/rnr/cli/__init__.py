"""``rnr`` on the command line: parse arguments, call library functions.

Bad input raises ``rnr.errors.UserError``; here it (and any operating-system
error: no space, read-only, permissions) becomes one sentence on stderr
(English or Spanish) and exit code 2, never a traceback.

``--lang`` is read wherever it stands (``rnr --lang es eco`` or ``rnr eco
--lang es``) before anything is printed, and argparse's own words follow it
(``rnr.i18n.argparse_language``). ``rnr --version`` prints the installed
package's version. The flags' names follow one vocabulary (CONTRIBUTING.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rnr.engine import xla as _xla
from rnr.cli import interrupt, progress
from rnr.settings import environment
from rnr import i18n
from rnr.errors import UserError, os_error



def command_modules():
    """Every feature folder's ``command`` module (``rnr/<feature>/command.py``),
    ordered by its ``ORDER``: adding a command touches no other file."""
    import importlib
    import pkgutil

    import rnr

    here = Path(rnr.__file__).parent
    names = [m.name for m in pkgutil.iter_modules(rnr.__path__) if m.ispkg and (here / m.name / "command.py").is_file()]
    mods = [importlib.import_module(f"rnr.{name}.command") for name in names]
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def _lang_from_argv(argv) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv) and argv[i + 1] in i18n.LANGS:
            return argv[i + 1]
        if a.startswith("--lang=") and a[7:] in i18n.LANGS:
            return a[7:]
    return i18n.default_lang()


class Parser(argparse.ArgumentParser):
    """argparse, with usage errors printed as one line and exit code 2."""

    def error(self, message):
        self.exit(2, f"{i18n.t('error_prefix')}{message} ({self.prog} --help)\n")


def version() -> str:
    """The installed package's version (its metadata), else the source's."""
    from importlib import metadata

    try:
        return metadata.version("rnr")
    except metadata.PackageNotFoundError:
        import rnr

        return rnr.__version__


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=i18n.LANGS, default=None, help=i18n.t("help_lang"))
    common.add_argument("--no-cache", action="store_true", help=i18n.t("help_no_cache"))
    parser = Parser(prog="rnr", description=i18n.t("help_rnr"), parents=[common])  # `rnr --lang es text ...`
    parser.add_argument("--version", action="version", version=f"rnr {version()}", help=i18n.t("help_version"))
    sub = parser.add_subparsers(dest="command", metavar=i18n.t("meta_command"), parser_class=Parser)
    for mod in command_modules():
        mod.add_parser(sub, common)
    return parser


def _bad_environment() -> UserError | None:
    """The sentence for the first environment variable rnr or JAX reads whose
    value cannot work (``rnr.settings.environment``), or None."""
    return environment.bad_variable()


def _multiprocess() -> bool:
    jax = sys.modules.get("jax")
    try:
        return jax is not None and jax.process_count() > 1
    except Exception:
        return False


def _leave_multiprocess(e: BaseException, lang: str) -> None:
    """Leave a multi-process run at once after ``e``: JAX's shutdown would wait
    for every process (then abort), and a dead one never comes. Another
    process's death (a collective failed, ``devices.peer_lost``) is one
    sentence and exit 2; anything else is a bug: its traceback, exit 1."""
    from rnr.engine import devices, native_stderr

    if devices.peer_lost(e):
        native_stderr.leave(i18n.text("error_prefix", lang) + i18n.text(devices.lost_key(), lang))
    import traceback

    traceback.print_exception(e, file=sys.stderr)
    sys.stderr.flush()
    os._exit(1)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = _lang_from_argv(argv)
    i18n.set_lang(lang)
    interrupt.quit_at_once(lang)
    progress.guard_streams()  # `rnr ... >&-`: a closed stdout is os.devnull, not a traceback
    bad_env = _bad_environment()  # every variable rnr reads, before anything uses one
    if bad_env:
        print(i18n.text("error_prefix", lang) + bad_env.message(lang), file=sys.stderr)
        return 2
    _xla.configure(cache="--no-cache" not in argv)  # before JAX is imported
    import warnings

    warnings.simplefilter("ignore", RuntimeWarning)  # overflow in a diverging run: its error says it
    try:
        with i18n.argparse_language(lang):  # "usage:", "options", argparse's errors in the language
            parser = build_parser()
            try:
                args = parser.parse_args(argv)
            except SystemExit as e:  # --help, --version (0) or a usage error, already printed as one line (2)
                return e.code
            if args.command is None:
                parser.print_help()
                return 2
            lang = args.lang = args.lang or lang
            if getattr(args, "coordinator", None) is None and environment.launcher_processes() <= 1:
                environment.check_platforms()  # JAX_PLATFORMS=cuda without a GPU: one sentence now
            return args.run(args) or 0
    except UserError as e:
        print(i18n.text("error_prefix", lang) + e.message(lang), file=sys.stderr, flush=True)
        if getattr(e, "exit_now", False):  # processes that never joined: JAX's shutdown would wait for them
            os._exit(2)
        return 2
    except OSError as e:
        if progress.stdout_gone(e):  # `rnr ... | head`: the reader left, or stdout is closed; nothing to say
            progress.quiet_stdout()
            return 0
        # disk full, read-only, permissions... anywhere: one sentence, exit 2
        print(i18n.text("error_prefix", lang) + os_error(e).message(lang), file=sys.stderr)
        return 2
    except ValueError as e:
        if _multiprocess() and not progress.stdout_gone(e):  # gloo's errors come as ValueError too
            _leave_multiprocess(e, lang)
        if not progress.stdout_gone(e):  # "I/O operation on closed file": stdout was closed
            raise
        progress.quiet_stdout()
        return 0
    except MemoryError:
        print(i18n.text("error_prefix", lang) + i18n.text("out_of_memory", lang), file=sys.stderr)
        return 2
    except Exception as e:
        if not _multiprocess():
            raise
        _leave_multiprocess(e, lang)
    except KeyboardInterrupt:  # a second Ctrl-C: stopped at once; every file written is whole
        print(i18n.text("interrupted_now", lang), file=sys.stderr, flush=True)
        if _multiprocess():  # JAX's shutdown would wait for the other processes, which stop at once too
            os._exit(130)
        return 130
    finally:
        interrupt.quit_at_once(lang)  # a Ctrl-C while the interpreter shuts down ends it quietly


if __name__ == "__main__":
    sys.exit(main())
