"""Open a user's data file: every way it can be wrong is one sentence."""

from __future__ import annotations

from pathlib import Path

from rnr.errors import UserError


def read_bytes(path, bytes_per_value: int = 40) -> bytes:
    """The file's bytes; a missing, non-file, unreadable, empty or binary
    file, or one whose arrays would not fit in memory, raises UserError.

    ``bytes_per_value``: memory per byte of the file once parsed (text
    numbers of ~8 characters become float64 lists, then float32 arrays)."""
    path = Path(path)
    if not path.exists():
        raise UserError("series_missing", path=path)
    if not path.is_file():
        raise UserError("series_not_file", path=path)
    from rnr import memory

    memory.check_fits(bytes_per_value * path.stat().st_size, str(path))
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UserError("series_unreadable", path=path, reason=e.strerror or str(e)) from None
    if not raw.strip():
        raise UserError("series_empty", path=path)
    return raw


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
