"""XLA and JAX settings that must be in place before JAX is first imported.

Every variable read here is checked by ``rnr.settings.environment``.

``RNR_XLA_THREADS=single`` makes XLA run each kernel on one thread, which
can help tiny models on busy machines. On the echo workload (JAX 0.10.2,
2 cores) it made no measurable difference (0.58 s vs 0.59 s for 100 epochs),
so by default XLA keeps its own threading. An ``XLA_FLAGS`` you set yourself
always wins.

On a CPU, JAX gets one device per core (``JAX_NUM_CPU_DEVICES``) so that a
text model can split its batch over every core (``rnr.engine.devices``); a
``JAX_NUM_CPU_DEVICES`` or ``--xla_force_host_platform_device_count`` of your
own wins.

Nothing here runs on import: the CLI calls ``configure`` in ``main``, a
library user calls ``rnr.configure()``.

The persistent compilation cache (JAX's own) is on by default: compiled
programs are kept in ``$XDG_CACHE_HOME/rnr/jax`` (``~/.cache/rnr/jax``), so
a second identical run compiles in a fraction of the time. ``RNR_NO_CACHE=1``
(or yes/true/on) or ``rnr --no-cache ...`` (``configure(cache=False)``) turns it off; a ``JAX_COMPILATION_CACHE_DIR`` you
set yourself wins; deleting the folder clears it.
"""

import os
import sys
from pathlib import Path

SINGLE_THREAD_FLAGS = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rnr" / "jax"


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def configure(cache: bool = True) -> None:
    """Apply RNR_XLA_THREADS, one CPU device per core, the compilation cache
    (unless ``cache`` is False), and quiet XLA's C++ logging, unless already set."""
    from rnr.settings import environment

    if environment.single_thread() and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = SINGLE_THREAD_FLAGS
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # one CPU device per core, for data parallel training (rnr.engine.devices)
    if "xla_force_host_platform_device_count" not in os.environ.get("XLA_FLAGS", ""):
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        if environment.read("JAX_NUM_CPU_DEVICES") is None:  # unset or empty (which JAX itself refuses)
            os.environ["JAX_NUM_CPU_DEVICES"] = str(min(cores, environment.MAX_CPU_DEVICES))
        if "jax" in sys.modules:  # imported before rnr: its config already read the environment
            try:
                sys.modules["jax"].config.update("jax_num_cpu_devices", environment.read("JAX_NUM_CPU_DEVICES"))
            except Exception:  # the backend already started: keep its devices
                pass
    if not cache or environment.no_cache() or "JAX_COMPILATION_CACHE_DIR" in os.environ:
        return
    folder = cache_dir()
    if _writable(folder):
        os.environ["JAX_COMPILATION_CACHE_DIR"] = str(folder)
        # rnr's programs compile in about a second: keep them all
        os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
        os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")
