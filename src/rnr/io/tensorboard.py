"""TensorBoard event files beside ``metrics.jsonl``, for every training command.

``rnr.io.runs.append_metrics`` hands each metrics line to ``add(folder, record)``,
so every command that writes ``metrics.jsonl`` (eco, text, sweep, series) also
writes ``events.out.tfevents.*`` into its run folder, and

    tensorboard --logdir runs

shows every run. A record becomes scalars at its ``"step"``:

    every number           one scalar, tagged with its key ("loss", "val_loss", ...)
    a list of numbers      one scalar per item, "key/<i>"
    left out               "step", "epoch", "window" (positions), "sample"
                           (text), "losses" (a chunk's windows; "loss" is
                           their mean)

A record with a "cell" is a sweep's group of runs side by side (one item of
each list per run; its "step" counts that group's own steps from 1). Each
run gets its own TensorBoard run, a subfolder ``tb/<name>`` of the run
folder, so that TensorBoard overlays the runs step by step:

    name                   "<cell>_T<T>" or "<cell>_window<window>", then
                           "_delay<d>" ("delays": one per run, echo) and
                           "_seed<s>" ("seeds": one per run); "_run<i>"
                           where a record names no seeds
    tags                   the list's key ("train_loss"); a plain number
                           goes to every run of the group
    left out               "cell", "T", "window", "seeds", "delays"

The file format is TensorBoard's, written here in a few lines: TFRecord
framing (length, masked CRC-32C of the length, the bytes, their masked
CRC-32C) around ``Event`` protocol buffers (``wall_time`` 1, ``step`` 2,
``file_version`` 3, ``summary`` 5 of ``Value``s with ``tag`` 1 and
``simple_value`` 2, ``session_log`` 7), as tensorflow/core/util/event.proto
and summary.proto define them. No dependency: tensorboardX would do the same
but imports PyTorch when it is installed (about 4 s before every run).
Only process 0 of a multi-process run writes (as for every run file).

Resume: ``runs.cut_metrics`` cuts ``metrics.jsonl`` back to the checkpoint's
step and calls ``cut(folder, step)`` here, which rewrites the folder's event
files without the points after that step (atomically, as every run file) and
starts the next event file with TensorBoard's restart marker (a
``SessionLog.START`` at step + 1, what tensorboardX writes for
``purge_step``), so that a TensorBoard that had already read the killed
session's later points drops them too. Each step then holds the one point
``metrics.jsonl`` holds.
"""

from __future__ import annotations

import atexit
import os
import re
import socket
import struct
import time
from pathlib import Path

from rnr.errors import os_error
from rnr.io import files

FLUSH_SECONDS = 0.0  # every event reaches the kernel when written, as metrics.jsonl's lines do
SKIP = frozenset({"step", "epoch", "window", "sample", "losses"})
GROUP = ("cell", "T", "window")
RUN_IDS = ("delays", "seeds")  # a sweep record's lists naming its runs, in the order of the names' parts
RUNS_FOLDER = "tb"  # a sweep's runs: <run folder>/tb/<name>/events.out.tfevents.*
FLOAT32_MAX = 3.4028234663852886e38
PATTERN = "events.out.tfevents.*"

_writers: dict[str, "_Writer"] = {}
_restart: dict[str, int] = {}  # folder -> the step its next event file starts again from


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _numbers(v) -> bool:
    """A list of numbers; a None in it (a NaN written as null) is a point left out."""
    return isinstance(v, (list, tuple)) and any(_number(x) for x in v) and all(
        x is None or _number(x) for x in v)


def by_folder(record: dict) -> dict[str, dict[str, float]]:
    """{subfolder: {tag: value}} of one metrics line: "" is the run folder
    itself; a sweep's record gives one ``tb/<name>`` per run (see the
    module's docstring)."""
    if not isinstance(record.get("cell"), str):
        out = {}
        for key, v in record.items():
            if key in SKIP or isinstance(v, bool) or v is None:
                continue
            if isinstance(v, (int, float)):
                out[key] = float(v)
            elif _numbers(v):
                out.update({f"{key}/{i}": float(x) for i, x in enumerate(v) if x is not None})
        return {"": out} if out else {}
    group = "_".join([record["cell"]] + [f"{k}{record[k]}" for k in GROUP[1:] if _int(record.get(k))])
    lists = {k: v for k, v in record.items() if k not in SKIP and k not in GROUP and k not in RUN_IDS and _numbers(v)}
    plain = {k: float(v) for k, v in record.items() if k not in SKIP and k not in GROUP and k not in RUN_IDS
             and isinstance(v, (int, float)) and not isinstance(v, bool)}
    n = max((len(v) for v in lists.values()), default=1)
    ids = [k for k in RUN_IDS if isinstance(record.get(k), (list, tuple)) and len(record[k]) == n
           and all(_int(x) for x in record[k])]
    out = {}
    for i in range(n):
        name = group + "".join(f"_{k[:-1]}{record[k][i]}" for k in ids) + ("" if "seeds" in ids else f"_run{i}")
        values = dict(plain) | {k: float(v[i]) for k, v in lists.items() if i < len(v) and v[i] is not None}
        if values:
            out[RUNS_FOLDER + "/" + re.sub(r"[^\w.-]", "_", name)] = values
    return out


def scalars(record: dict) -> dict[str, float]:
    """{tag: value} of one metrics line in the run folder itself (none for a
    sweep's record: its runs have folders of their own, ``by_folder``)."""
    return by_folder(record).get("", {})


# ---------------------------------------------------------------- the format

def _crc_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1  # CRC-32C (Castagnoli), reflected
        table.append(c)
    return table


_CRC = _crc_table()


def masked_crc32c(data: bytes) -> int:
    """TFRecord's checksum: CRC-32C, rotated right by 15 bits, plus a constant."""
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC[(c ^ b) & 0xFF] ^ (c >> 8)
    c ^= 0xFFFFFFFF
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame(event: bytes) -> bytes:
    """One TFRecord: length, its checksum, the bytes, their checksum."""
    header = struct.pack("<Q", len(event))
    return header + struct.pack("<I", masked_crc32c(header)) + event + struct.pack("<I", masked_crc32c(event))


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, wire: int, payload: bytes) -> bytes:
    """A protobuf field: key, then a varint (wire 0), 8 or 4 bytes (1, 5) or length and bytes (2)."""
    return _varint(number << 3 | wire) + (_varint(len(payload)) + payload if wire == 2 else payload)


def _float32(x: float) -> bytes:
    if x == x and abs(x) > FLOAT32_MAX:  # beyond float32: infinity, as a cast would give
        x = float("inf") if x > 0 else float("-inf")
    return struct.pack("<f", x)


def event(step: int = 0, values: dict[str, float] | None = None, version: str | None = None,
          restart: bool = False, wall_time: float | None = None) -> bytes:
    """One serialized ``Event``: scalars ``values`` at ``step``, or the file's
    version line, or a restart marker (``SessionLog`` status START)."""
    out = _field(1, 1, struct.pack("<d", time.time() if wall_time is None else wall_time))
    if step:
        out += _field(2, 0, _varint(step))
    if version:
        out += _field(3, 2, version.encode())
    if values:
        summary = b"".join(_field(1, 2, _field(1, 2, tag.encode()) + _field(2, 5, _float32(v)))
                           for tag, v in values.items())
        out += _field(5, 2, summary)
    if restart:
        out += _field(7, 2, _field(1, 0, _varint(1)))
    return out


def records(data: bytes) -> list[bytes]:
    """The events of one file's bytes, in order; a record a killed writer
    left half-written, or one whose checksums fail, ends the list."""
    out, at = [], 0
    while at + 12 <= len(data):
        header = data[at:at + 8]
        (n,) = struct.unpack("<Q", header)
        end = at + 12 + n + 4
        if end > len(data) or struct.unpack_from("<I", data, at + 8)[0] != masked_crc32c(header):
            break
        body = data[at + 12:at + 12 + n]
        if struct.unpack_from("<I", data, end - 4)[0] != masked_crc32c(body):
            break
        out.append(body)
        at = end
    return out


def _step_and_kind(ev: bytes) -> tuple[int, bool]:
    """(step, whether it holds scalars or a session log) of a serialized Event."""
    at, step, data = 0, 0, False
    while at < len(ev):
        key, at = _read_varint(ev, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _read_varint(ev, at)
            if number == 2:
                step = value
        elif wire == 1:
            at += 8
        elif wire == 5:
            at += 4
        elif wire == 2:
            n, at = _read_varint(ev, at)
            at += n
            data = data or number in (5, 7)
        else:
            raise ValueError("not an event")
    return step, data


def _read_varint(buf: bytes, at: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        b = buf[at]
        at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, at


def points(folder) -> set[tuple[int, str]]:
    """{(step, tag)} of every scalar in the event files of ``folder`` itself."""
    points = set()
    for path in sorted(Path(folder).glob(PATTERN)):
        try:
            data = path.read_bytes()
        except OSError as e:
            raise os_error(e, path) from None
        for ev in records(data):
            try:
                step, tags = 0, []
                for number, value in _proto(ev):
                    if number == 2:
                        step = value
                    elif number == 5:  # Summary: Value (1): tag (1)
                        tags += [bytes(t).decode() for n, v in _proto(value) if n == 1
                                 for m, t in _proto(v) if m == 1]
                points.update((step, tag) for tag in tags)
            except (ValueError, IndexError, UnicodeDecodeError):
                continue
    return points


def _proto(buf: bytes):
    """The (field number, value) pairs of a protocol buffer message: an int
    for a varint, bytes for the rest."""
    def varint(at):
        return _read_varint(buf, at)

    at = 0
    while at < len(buf):
        key, at = varint(at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = varint(at)
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, at = buf[at:at + size], at + size
        elif wire == 2:
            n, at = varint(at)
            value, at = buf[at:at + n], at + n
        else:
            raise ValueError("not a protocol buffer")
        if at > len(buf):
            raise ValueError("cut short")
        yield number, value


# ---------------------------------------------------------------- writing

class _Writer:
    """One event file of one run folder: appended, flushed every few seconds."""

    def __init__(self, folder: Path, restart_step: int | None):
        host = re.sub(r"[^\w.-]", "_", socket.gethostname()) or "host"
        n = sum(1 for _ in folder.glob(PATTERN))
        # TensorBoard reads a folder's files in name order: the counter keeps two of one second in order
        self.path = folder / f"events.out.tfevents.{int(time.time()):010d}.{host}.rnr{n:04d}"
        self.f = open(self.path, "xb")
        self.f.write(frame(event(version="brain.Event:2")))
        if restart_step is not None:
            self.f.write(frame(event(step=restart_step, restart=True)))
        self.flushed = time.monotonic()

    def add(self, step: int, values: dict[str, float]) -> None:
        self.f.write(frame(event(step, values)))
        if time.monotonic() - self.flushed >= FLUSH_SECONDS:
            self.f.flush()
            self.flushed = time.monotonic()

    def close(self) -> None:
        self.f.flush()
        os.fsync(self.f.fileno())
        self.f.close()


def _key(folder) -> str:
    return os.path.abspath(folder)


def add(folder, record: dict) -> None:
    """Append one metrics line's scalars to the event files of ``folder``
    (and of its sweep runs' subfolders)."""
    step = record.get("step")
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        return
    for sub, values in by_folder(record).items():
        where = Path(folder) / sub if sub else Path(folder)
        key = _key(where)
        try:
            w = _writers.get(key)
            if w is None:
                if sub:
                    where.mkdir(parents=True, exist_ok=True)
                w = _writers[key] = _Writer(where, _restart.pop(key, None))
            w.add(step, values)
        except OSError as e:
            raise os_error(e, where) from None


def close(folder=None, quiet: bool = True) -> None:
    """Flush and close the event files of ``folder`` and of its subfolders
    (of every folder: None). ``quiet=False``: a write error is one sentence
    (``os_error``) instead of passing unseen."""
    if folder is None:
        keys = list(_writers)
    else:
        top = _key(folder)
        keys = [k for k in _writers if k == top or k.startswith(top + os.sep)]
    for key in keys:
        w = _writers.pop(key, None)
        if w is not None:
            try:
                w.close()
            except OSError as e:
                if not quiet:
                    raise os_error(e, Path(key)) from None


atexit.register(close)


def cut(folder, step: int) -> None:
    """Drop the points after ``step`` from the event files of ``folder`` (and
    of its sweep runs' subfolders), and start each one's next event file with
    a restart marker at ``step + 1``."""
    folder = Path(folder)
    close(folder)
    runs_folder = folder / RUNS_FOLDER
    subs = sorted(p for p in runs_folder.iterdir() if p.is_dir()) if runs_folder.is_dir() else []
    for where in [folder, *subs]:
        found = sorted(where.glob(PATTERN))
        for path in found:
            try:
                data = path.read_bytes()
            except OSError as e:
                raise os_error(e, path) from None
            kept = b"".join(frame(ev) for ev in records(data) if _keep(ev, step))
            if kept != data:  # points after the step, or a record a killed writer left half-written
                files.atomic_write_bytes(path, kept)
        if found:
            _restart[_key(where)] = step + 1


def _keep(ev: bytes, step: int) -> bool:
    try:
        s, data = _step_and_kind(ev)
    except (ValueError, IndexError):
        return False
    return s <= step or not data


__all__ = ["add", "by_folder", "close", "cut", "event", "frame", "masked_crc32c", "records", "scalars"]
