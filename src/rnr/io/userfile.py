"""Read a file a user named: each way it can be wrong is one sentence.

``read_bytes(path, kind)`` raises UserError with the keys ``<kind>_missing``,
``<kind>_not_file`` and ``<kind>_empty`` (each command's
own wording, in rnr/messages), or ``too_big`` when the file's arrays would not
fit in memory (``rnr.engine.memory``)."""

from __future__ import annotations

from pathlib import Path

from rnr.errors import UserError, os_error


def read_bytes(path, kind: str, bytes_per_byte: int) -> bytes:
    """The file's bytes. ``bytes_per_byte``: memory the command needs per
    byte of the file once parsed, for the check against available memory."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{kind}_missing", path=path)
    if not path.is_file():  # a folder, a fifo that would block, a device
        raise UserError(f"{kind}_not_file", path=path)
    from rnr.engine import memory

    memory.check_fits(bytes_per_byte * path.stat().st_size, str(path))
    try:
        raw = path.read_bytes()
    except OSError as e:  # permissions and the like: the operating system's reason, in the reader's language
        raise os_error(e, path) from None
    if not raw.strip():
        raise UserError(f"{kind}_empty", path=path)
    return raw
