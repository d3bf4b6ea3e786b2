"""Text files in, batch rows and windows out.

    ids = vocab.encode(text)                         (N,)
    train = ids[: N - n_val],  val = ids[N - n_val :] (the last ``val_fraction``)
    x = train[:-1], y = train[1:]                    (target: the next character)
    rows: (B, L) with row r the r-th contiguous stretch (``tbptt.layout_rows``)
    windows: (K, w, B) with window k = steps [k w, (k+1) w) of every row

Window k of row r continues window k-1 of the same row, so the state carried
from one window to the next is the state of the text just before it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rnr import tbptt
from rnr.errors import UserError


def read_text(path) -> str:
    """The whole file as a string; a missing, unreadable, empty, binary or
    non-UTF-8 file raises UserError."""
    path = Path(path)
    if not path.exists():
        raise UserError("text_missing", path=path)
    if not path.is_file():
        raise UserError("text_not_file", path=path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UserError("text_unreadable", path=path, reason=e.strerror or str(e)) from None
    if not raw.strip():
        raise UserError("text_empty", path=path)
    if b"\x00" in raw:
        raise UserError("text_binary", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError("text_not_utf8", path=path, offset=e.start) from None
    return text[1:] if text.startswith("\ufeff") else text  # drop a byte-order mark


def split(ids: np.ndarray, val_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """(train, val): the last ``val_fraction`` of the stream is held out."""
    n_val = int(round(len(ids) * val_fraction))
    return ids[: len(ids) - n_val], ids[len(ids) - n_val:]


def windows(ids: np.ndarray, batch: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and next-character targets as windows, X and Y of shape (K, w, B)."""
    x = tbptt.layout_rows(ids[:-1], batch)
    y = tbptt.layout_rows(ids[1:], batch)
    return tbptt.to_windows(x, window).astype(np.int32), tbptt.to_windows(y, window).astype(np.int32)


def n_windows(n_ids: int, batch: int, window: int) -> int:
    """How many whole windows ``windows`` gives for a stream of ``n_ids`` ids."""
    return ((n_ids - 1) // batch) // window if n_ids > 1 else 0


def padded_rows(ids: np.ndarray, batch: int, window: int):
    """Every prediction of a stream, for evaluation: X, Y, mask of shape (K, w, B).

    The stream's N - 1 (input, target) pairs are laid out as ``batch`` rows of
    ceil((N-1) / batch) steps, padded at the end; ``mask`` is 1 on real pairs.
    Rows are then cut into windows as in training (zero-padded to a whole
    number of windows)."""
    n = len(ids) - 1
    length = -(-n // batch)
    k = -(-length // window)
    total = batch * k * window
    x = np.zeros(total, np.int32)
    y = np.zeros(total, np.int32)
    m = np.zeros(total, np.float32)
    # row r holds pairs [r*length, (r+1)*length), then padding
    for r in range(batch):
        s, e = r * length, min((r + 1) * length, n)
        if e <= s:
            continue
        o = r * k * window
        x[o:o + e - s], y[o:o + e - s], m[o:o + e - s] = ids[s:e], ids[s + 1:e + 1], 1.0
    shape = (batch, k * window)
    return tuple(tbptt.to_windows(a.reshape(shape), window) for a in (x, y, m))
