"""Writing files so that a crash never leaves half of one; imports nothing from rnr.

    atomic_write_bytes(path, data)   a temporary file beside ``path``, written,
                                     fsync'd, renamed over ``path``; then the
                                     folder fsync'd. A crash leaves the old file
                                     or the new one, never a mix.
    create_bytes(path, data)         the same, but never replacing a file that
                                     exists (two programs racing: one wins, the
                                     other gets FileExistsError)
    write_json / read_json           JSON through the above
    dumps(obj)                       strict JSON text: a number that is not
                                     finite (NaN, infinity) is written ``null``,
                                     so every reader parses what rnr writes;
                                     ``null`` in a number's place means "not a
                                     number" (a loss that diverged, a score
                                     that has no value)
    append_line(path, line)          one line at the end (metrics.jsonl)
    save_figure(fig, path)           a matplotlib figure, atomically

An operating-system error leaves as ``OSError`` with ``filename`` set to the
file rnr was writing; ``rnr.errors.os_error`` turns it into one sentence.
Temporary files end in ``TMP_SUFFIX``; ``remove_temporaries`` clears those a
killed writer left. Only process 0 of a multi-process run writes
(``writes_here``): the others' calls do nothing.
"""

from __future__ import annotations

import io
import json
import math
import os
import stat
import sys
import tempfile
from pathlib import Path

TMP_SUFFIX = ".tmp"


def writes_here() -> bool:
    """False in every process but process 0 of a multi-process JAX run."""
    jax = sys.modules.get("jax")
    return jax is None or jax.process_count() == 1 or jax.process_index() == 0


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def umask() -> int:
    """The process's file-creation mask (read without changing it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _with_path(e: OSError, path: Path) -> OSError:
    """``e`` naming ``path`` (the file rnr meant, not its temporary twin)."""
    return OSError(e.errno, e.strerror, str(path)) if e.errno else e


def _publish(path: Path, data: bytes, replace: bool) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then give
    it the name (``os.replace``, or ``os.link``, which refuses an existing
    name) and fsync the folder. On any failure no temporary file remains."""
    path = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~umask())
        if replace:
            os.replace(tmp, path)
            tmp = None
        else:
            os.link(tmp, path)
        fsync_dir(path.parent)
    except FileExistsError:
        raise
    except OSError as e:
        raise _with_path(e, path) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data``, atomically."""
    if writes_here():
        _publish(path, data, replace=True)


def write_out(path: Path, data: bytes) -> None:
    """Write a file the user named (``--out``) as a shell redirection would:
    through a symbolic link to its target (replaced atomically there), and
    into a device, named pipe or socket that stands at the name (written
    directly: ``/dev/stdout``, a FIFO), which is never replaced by a file."""
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode  # the thing the name leads to, as the shell would open it
    except OSError:
        mode = None
    # /dev/stdout -> /proc/self/fd/1 -> a pipe, a terminal, or the file the shell opened: written in place
    special = any(str(p).startswith(("/proc/", "/dev/")) for p in (Path(path).absolute(), target))
    if special or (mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)):
        try:
            with open(path, "wb") as f:
                f.write(data)
        except OSError as e:
            raise _with_path(e, Path(path)) from None
        return
    atomic_write_bytes(target, data)


def create_bytes(path: Path, data: bytes) -> None:
    """Write a new file ``path`` whole; FileExistsError if it exists."""
    if writes_here():
        _publish(path, data, replace=False)


def finite(obj):
    """``obj`` with every float that is not finite replaced by None (JSON's
    ``null``), through dicts, lists and tuples; NumPy scalars become numbers."""
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, int):
        return obj
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    item = getattr(obj, "item", None)  # a NumPy scalar or 0-d array
    if item is not None and getattr(obj, "ndim", 1) == 0:
        return finite(item())
    tolist = getattr(obj, "tolist", None)  # a NumPy array
    if tolist is not None:
        return finite(tolist())
    return obj


def dumps(obj, **kwargs) -> str:
    """Strict JSON text of ``obj`` (``json.dumps``'s options): NaN and
    infinity become ``null``, never the ``NaN`` strict readers refuse."""
    return json.dumps(finite(obj), allow_nan=False, **kwargs)


def write_json(path: Path, obj) -> None:
    atomic_write_bytes(path, (dumps(obj, indent=2, ensure_ascii=False) + "\n").encode())


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def append_line(path: Path, line: str) -> None:
    """Append ``line`` and a newline to ``path``, flushed to the kernel."""
    if not writes_here():
        return
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    except OSError as e:
        raise _with_path(e, Path(path)) from None


def save_figure(fig, path: Path, dpi: int = 100) -> None:
    """Save a matplotlib figure atomically (format from the suffix)."""
    buf = io.BytesIO()
    fig.savefig(buf, format=Path(path).suffix.lstrip(".") or "png", dpi=dpi)
    atomic_write_bytes(path, buf.getvalue())


def remove_temporaries(folder: Path) -> None:
    """Remove the temporary files a killed writer left in ``folder``."""
    for p in Path(folder).glob(".*" + TMP_SUFFIX):
        p.unlink(missing_ok=True)
