"""Every environment variable rnr reads, in one place, checked before anything runs.

    RNR_JOIN_SECONDS      1 to 86400 (120)   how long the processes of a multi-process run
                                             wait for one another to join (rnr.engine.devices)
    RNR_XLA_THREADS       single | default   single: XLA runs each kernel on one thread (rnr.engine.xla)
    RNR_NO_CACHE          0 | 1 (also yes/no/true/false/on/off)
                                             1: no persistent compilation cache (rnr.engine.xla)
    JAX_NUM_CPU_DEVICES   1 to 4096          JAX devices on a CPU (rnr.engine.xla sets one per core)
    JAX_PLATFORMS         cpu, cuda, ...     the platforms JAX may use (a comma list); one that
                                             this machine lacks is named when JAX first starts
    SLURM_NTASKS          at least 1         processes started by SLURM (rnr.engine.devices, JAX)
    OMPI_COMM_WORLD_SIZE  at least 1         processes started by Open MPI (rnr.engine.devices, JAX)
    RNR_SMOKE_STEPS       0 to 10**12 (0)     every training run stops after at most this many
                                             optimizer steps (0: no cap); for trying every
                                             command quickly, as the tests of the READMEs do
    RNR_DATA_MIRROR       a folder or URL    named datasets' mirror (rnr.data checks it when used)
    RNR_DATA_DIR          a folder           named datasets' cache (rnr.data checks it when used)

An empty variable counts as unset. ``check()`` (called by ``rnr.cli.main``
before anything else) raises one UserError naming the first variable whose
value cannot work; the readers below (``join_seconds``, ``no_cache``, ...)
read through the same rules, so a library user gets the same sentence.
``platform_missing`` turns JAX's failure to start a platform listed in
JAX_PLATFORMS into one sentence naming the variable.
"""

from __future__ import annotations

import os
import re

from rnr.errors import Msg, UserError

JOIN_SECONDS_DEFAULT = 120
MAX_CPU_DEVICES = 4096  # as --devices
MAX_PROCESSES = 1_000_000
_TRUE, _FALSE = ("1", "yes", "true", "on"), ("0", "no", "false", "off")
_SHOWN = 40  # characters of a bad value shown in its sentence


def _int_rule(low: int, high: int | None):
    def parse(name: str, value: str) -> int:
        v = value.strip()
        if not (v.isascii() and v.isdigit()) or len(v) > 12 or not low <= int(v) <= (high or int(v)):
            rule = Msg("rule_int", low=str(low), high=str(high)) if high else Msg("rule_int_min", low=str(low))
            raise _bad(name, value, rule)
        return int(v)
    return parse


def _choice_rule(*choices: str):
    def parse(name: str, value: str) -> str:
        v = value.strip().lower()
        if v not in choices:
            raise _bad(name, value, Msg("rule_choices", choices=", ".join(choices)))
        return v
    return parse


def _switch(name: str, value: str) -> bool:
    v = value.strip().lower()
    if v not in _TRUE + _FALSE:
        raise _bad(name, value, Msg("rule_choices", choices="0, 1"))
    return v in _TRUE


def _platforms(name: str, value: str) -> tuple[str, ...]:
    names = tuple(p.strip().lower() for p in value.split(","))
    if not all(re.fullmatch(r"[a-z][a-z0-9_]{0,31}", p) for p in names):
        raise _bad(name, value, Msg("rule_platforms"))
    return names


def _any(name: str, value: str) -> str:
    return value


# name -> the rule that reads it (raising UserError env_bad for a value that cannot work)
VARIABLES = {
    "RNR_JOIN_SECONDS": _int_rule(1, 86_400),
    "RNR_XLA_THREADS": _choice_rule("single", "default"),
    "RNR_NO_CACHE": _switch,
    "JAX_NUM_CPU_DEVICES": _int_rule(1, MAX_CPU_DEVICES),
    "JAX_PLATFORMS": _platforms,
    "SLURM_NTASKS": _int_rule(1, MAX_PROCESSES),
    "OMPI_COMM_WORLD_SIZE": _int_rule(1, MAX_PROCESSES),
    "RNR_SMOKE_STEPS": _int_rule(0, 10**12),
    "RNR_DATA_MIRROR": _any,  # by name only: rnr.data checks them when a dataset is fetched
    "RNR_DATA_DIR": _any,
}


def _shown(value: str) -> str:
    value = value.encode("unicode_escape").decode("ascii")  # a newline or control character stays on the line
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "..."


def _bad(name: str, value: str, rule) -> UserError:
    return UserError("env_bad", name=name, value=_shown(value), rule=rule)


def read(name: str, environ=None):
    """The value of ``name`` read by its rule, or None when unset or empty."""
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return VARIABLES[name](name, value)


def check(environ=None) -> None:
    """Raise UserError ``env_bad`` naming the first variable whose value cannot work."""
    for name in VARIABLES:
        read(name, environ)


def bad_variable(environ=None) -> UserError | None:
    """The UserError of ``check``, or None when every variable can work."""
    try:
        check(environ)
    except UserError as e:
        return e
    return None


# ---------------------------------------------------------------- the readers

def join_seconds() -> int:
    value = read("RNR_JOIN_SECONDS")
    return JOIN_SECONDS_DEFAULT if value is None else value


def smoke_steps() -> int:
    """RNR_SMOKE_STEPS: the most optimizer steps any run trains (0: no cap)."""
    return read("RNR_SMOKE_STEPS") or 0


def no_cache() -> bool:
    return bool(read("RNR_NO_CACHE"))


def single_thread() -> bool:
    return read("RNR_XLA_THREADS") == "single"


def launcher_processes() -> int:
    """Processes started together by SLURM or Open MPI (1: none)."""
    return max(read("SLURM_NTASKS") or 1, read("OMPI_COMM_WORLD_SIZE") or 1)


def platforms() -> tuple[str, ...] | None:
    """The platforms named by JAX_PLATFORMS (None: JAX chooses)."""
    return read("JAX_PLATFORMS")


# ---------------------------------------------------------------- JAX_PLATFORMS

def check_platforms() -> None:
    """Start JAX's platforms now when JAX_PLATFORMS names one besides the CPU
    (a cheap no-op otherwise), so a platform this machine lacks is one
    sentence before anything runs. Not in a multi-process run, whose
    platforms start only after the processes join (``rnr.engine.devices.start``)."""
    names = platforms()
    if not names or set(names) <= {"cpu"}:
        return
    import jax

    try:
        jax.devices()
    except Exception as e:  # RuntimeError "Unable to initialize backend", or JAX's bare AssertionError
        raise platform_missing(e) from None


def platform_missing(e: BaseException) -> UserError:
    """JAX's failure to start a platform of JAX_PLATFORMS, as one sentence."""
    return UserError("env_platform_missing", value=_shown(os.environ.get("JAX_PLATFORMS", "")))
