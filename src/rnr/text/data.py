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

import codecs
import shlex
import unicodedata
from pathlib import Path

import numpy as np

from rnr.engine import tbptt
from rnr.errors import UserError


def read_text(path) -> str:
    """The whole file as a string; a missing, unreadable, empty, binary,
    UTF-16 (or UTF-32) or otherwise non-UTF-8 file raises UserError."""
    from rnr.io import userfile

    path = Path(path)
    # the bytes, the string (up to 4 bytes a character), the ids and their windows
    raw = userfile.read_bytes(path, "text", 16)
    encoding = wide_unicode(raw)
    if encoding:
        out = path.with_name(f"{path.stem}-utf8{path.suffix}")
        command = f"iconv -f {encoding} -t UTF-8 {shlex.quote(str(path))} > {shlex.quote(str(out))}"
        raise UserError("text_utf16", path=path, encoding=encoding, command=command)
    if b"\x00" in raw:
        raise UserError("text_binary", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UserError("text_not_utf8", path=path, offset=e.start) from None
    return text[1:] if text.startswith("\ufeff") else text  # drop a byte-order mark


# byte-order marks, longest first (the UTF-32-LE mark starts with UTF-16-LE's)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
_WHITESPACE = set("\t\n\r\f\v")


def _reads_as_text(raw: bytes, codec: str) -> bool:
    """``raw`` decodes with ``codec`` to characters a text holds: no control
    characters but whitespace, no unassigned, private-use or surrogate ones."""
    try:
        chars = set(raw.decode(codec))
    except UnicodeDecodeError:
        return False
    return all(ch in _WHITESPACE or unicodedata.category(ch) not in ("Cc", "Cn", "Co", "Cs")
               for ch in chars)


def wide_unicode(raw: bytes) -> str | None:
    """The iconv name of the encoding when ``raw`` is UTF-16 or UTF-32 text
    rather than UTF-8 or binary: "UTF-16"/"UTF-32" when it starts with a
    byte-order mark, "UTF-16LE"/"UTF-16BE" for UTF-16 without one, whose
    zero bytes fall mostly on odd/even offsets; None otherwise. Either way
    the whole file must decode to characters a text holds."""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            return name if _reads_as_text(raw, codec) else None
    if len(raw) % 2 or b"\x00" not in raw:
        return None
    # the high byte of most characters of a UTF-16 text (ASCII, Latin-1) is 0
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if odd > even and _reads_as_text(raw, "utf-16-le"):
        return "UTF-16LE"
    if even > odd and _reads_as_text(raw, "utf-16-be"):
        return "UTF-16BE"
    return None


def known_ids(vocab, text: str) -> tuple[np.ndarray, int, list[str]]:
    """``(ids, skipped, unknown)``: the ids of the characters of ``text`` that
    ``vocab`` holds, in order, with every other character left out;
    ``skipped`` counts the characters left out (every occurrence) and
    ``unknown`` lists them once each, sorted. The characters on either side
    of a skipped one become neighbours: the model reads the text as if the
    unknown characters had never been written."""
    unknown = vocab.missing(text)
    if unknown:
        drop = set(unknown)
        kept = "".join(ch for ch in text if ch not in drop)
        return vocab.encode(kept), len(text) - len(kept), unknown
    return vocab.encode(text), 0, []


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
