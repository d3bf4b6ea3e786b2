"""Open a user's data file: every way it can be wrong is one sentence."""

from __future__ import annotations

from pathlib import Path

from rnr.io import userfile
from rnr.errors import UserError


def check_file(path) -> Path:
    """``path`` as a Path; UserError when it does not exist or is no plain
    file (a folder, a fifo or a device such as /dev/zero, which a reader or
    a checksum would wait on forever)."""
    path = Path(path)
    if not path.exists():
        raise UserError("series_missing", path=path)
    if not path.is_file():
        raise UserError("series_not_file", path=path)
    return path


def read_bytes(path, bytes_per_value: int = 40) -> bytes:
    """The file's bytes (``rnr.io.userfile``: missing, not a file, unreadable,
    empty or too big for memory is one sentence). ``bytes_per_value``: memory
    per byte of the file once parsed (text numbers of ~8 characters become
    float64 lists, then float32 arrays)."""
    return userfile.read_bytes(path, "series", bytes_per_value)


def read_text(path) -> str:
    """The file as text (UTF-8, a byte-order mark dropped)."""
    raw = read_bytes(path)
    if b"\x00" in raw[:4096]:
        raise UserError("series_binary", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError("series_not_utf8", path=path, offset=e.start) from None
    return text[1:] if text.startswith("\ufeff") else text
