"""The cache of named datasets: a file is used, copied from a mirror or downloaded.

    cache    $RNR_DATA_DIR, else $XDG_CACHE_HOME/rnr/data, else ~/.cache/rnr/data,
             laid out as the mirror (``File.path``)
    mirror   $RNR_DATA_MIRROR, a folder or an http(s) address laid out as
             ``../shared/data``; when set it replaces every source

A file in the cache with the right size is used as it is: its SHA-256 was
checked when it was stored. A new file is streamed into a temporary
``.<name>.<random>.part`` beside its place, its size and SHA-256 checked,
fsynced, then renamed into place (and the folder fsynced); a refused or
interrupted copy is removed, and one a killed process left behind is removed
by the next fetch. Fetches take an ``flock`` on ``<cache>/.lock``, so two
processes never write the same file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from rnr.data.registry import File
from rnr.errors import UserError, os_error, os_reason
from rnr.io import files

TIMEOUT = 30  # seconds without an answer before a download gives up
CHUNK = 1 << 16
PART = ".part"


def cache_dir() -> Path:
    """The cache folder (created only when a file is stored)."""
    if os.environ.get("RNR_DATA_DIR"):
        return Path(os.environ["RNR_DATA_DIR"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # XDG: a relative value is ignored
    return base / "rnr" / "data"


def mirror() -> str | None:
    """``$RNR_DATA_MIRROR``, or None when unset or empty."""
    return os.environ.get("RNR_DATA_MIRROR", "").strip() or None


def target(f: File) -> Path:
    """Where ``f`` lies in the cache."""
    return cache_dir() / f.path


def is_cached(f: File) -> bool:
    """``f`` is in the cache with its size."""
    try:
        p = target(f)
        return p.is_file() and p.stat().st_size == f.size
    except OSError:
        return False


def fetch(f: File, name: str) -> Path:
    """``f``'s path in the cache, copied or downloaded there first if needed
    (``name``: its dataset, for messages); UserError when it cannot be."""
    dest = target(f)
    if is_cached(f):
        return dest
    source = _source(f, name, dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise os_error(e, dest.parent) from None
    with _lock(cache_dir()):
        if not is_cached(f):  # another process may have stored it while this one waited
            _clean(dest.parent)
            _store(f, source, dest)
    return dest


def _source(f: File, name: str, dest: Path) -> str | Path:
    """The URL or mirror file ``f`` comes from."""
    m = mirror()
    if m and m.lower().startswith(("http://", "https://")):
        return m.rstrip("/") + "/" + f.path
    if m:
        folder = Path(m).expanduser()
        if not folder.is_dir():
            raise UserError("data_mirror_bad", mirror=m)
        return folder / f.path
    if f.url is None:
        raise UserError("data_manual", name=name, origin=f.origin, file=f.path, path=dest)
    return f.url


@contextlib.contextmanager
def _lock(folder: Path):
    path = folder / ".lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise os_error(e, path) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _clean(folder: Path) -> None:
    """Remove the temporary files of copies that were killed (the lock is held)."""
    for p in folder.glob(f".*{PART}"):
        with contextlib.suppress(OSError):
            p.unlink()


def _store(f: File, source, dest: Path) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=PART, dir=dest.parent)
    except OSError as e:
        raise os_error(e, dest.parent) from None
    tmp = Path(tmp)
    try:
        with contextlib.suppress(OSError):  # mkstemp's 0600 would hide a shared cache from other users
            os.fchmod(fd, 0o666 & ~files.umask())
        with os.fdopen(fd, "wb") as out, _open(source, f, dest) as src:
            n, digest = _copy(src, out, f, source, dest)
            _check(f, source, n, digest)
            try:
                out.flush()
                os.fsync(out.fileno())
            except OSError as e:
                raise os_error(e, dest) from None
        try:
            os.replace(tmp, dest)
        except OSError as e:
            raise os_error(e, dest) from None
        files.fsync_dir(dest.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()  # refused or interrupted; after os.replace there is nothing to remove


def _open(source, f: File, dest: Path):
    """A binary stream of ``source`` (a mirror file or a URL)."""
    if isinstance(source, Path):
        try:
            return open(source, "rb")
        except FileNotFoundError:
            raise UserError("data_mirror_missing", source=source, file=f.path) from None
        except OSError as e:
            raise os_error(e, source) from None
    from rnr import __version__

    request = urllib.request.Request(source, headers={"User-Agent": f"rnr/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)
    except (OSError, http.client.HTTPException, ValueError) as e:  # URLError and HTTPError are OSErrors
        raise _failed(source, e, f, dest) from None


def _copy(src, out, f: File, source, dest: Path) -> tuple[int, str]:
    """Copy at most ``f.size + 1`` bytes of ``src`` to ``out``: (bytes, SHA-256)."""
    from tqdm import tqdm

    digest, n = hashlib.sha256(), 0
    with tqdm(total=f.size, unit="B", unit_scale=True, unit_divisor=1024, desc=Path(f.path).name,
              file=sys.stderr, leave=False, disable=not sys.stderr.isatty()) as bar:
        while n <= f.size:
            try:
                chunk = src.read(CHUNK)
            except (OSError, http.client.HTTPException) as e:  # a timeout or a reset while reading
                raise (os_error(e, source) if isinstance(source, Path) else _failed(source, e, f, dest)) from None
            if not chunk:
                break
            try:
                out.write(chunk)
            except OSError as e:
                raise os_error(e, dest) from None
            digest.update(chunk)
            n += len(chunk)
            bar.update(len(chunk))
    return n, digest.hexdigest()


def _check(f: File, source, n: int, digest: str) -> None:
    if n < f.size:
        raise UserError("data_truncated", source=source, got=n, expected=f.size)
    if n > f.size:
        raise UserError("data_too_long", source=source, expected=f.size, file=f.path)
    if digest != f.sha256:
        raise UserError("data_checksum", source=source, got=digest, expected=f.sha256)


def _failed(url: str, e: Exception, f: File, dest: Path) -> UserError:
    """The one sentence for a download that did not happen: the reason, and where to put the file by hand."""
    if isinstance(e, urllib.error.HTTPError):
        reason = f"HTTP {e.code}"
    elif isinstance(e, urllib.error.URLError):
        reason = os_reason(e.reason) if isinstance(e.reason, BaseException) else str(e.reason)
    else:
        reason = os_reason(e)
    return UserError("data_download_failed", url=url, reason=reason, path=dest, file=f.path)
