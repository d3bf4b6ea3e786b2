"""TensorBoard event files beside ``metrics.jsonl``, for every training command.

``rnr.runs.append_metrics`` hands each metrics line to ``add(folder, record)``,
so every command that writes ``metrics.jsonl`` (eco, text, sweep, ...) also
writes ``events.out.tfevents.*`` into its run folder, and

    tensorboard --logdir runs

shows every run. A record becomes scalars at its ``"step"``:

    every number           one scalar, tagged with its key ("loss", "val_loss", ...)
    a list of numbers      one scalar per item, "key/run<i>" (a sweep's runs)
    "cell", "T", "window"  in a record with a "cell" (a sweep's group), the
                           tags' middle part: "train_loss/lstm_T30/run0"
    left out               "step", "epoch", "window" (positions), "sample"
                           (text), "losses" (a chunk's windows; "loss" is
                           their mean)

The writer is tensorboardX's (a dependency of a few MB: tensorboardX and
protobuf); without it training runs as before and says once how to get the
events. Only process 0 of a multi-process run writes (as for every run file).

Resume: ``runs.cut_metrics`` cuts ``metrics.jsonl`` back to the checkpoint's
step and calls ``cut(folder, step)`` here, which rewrites the folder's event
files without the points after that step (atomically, as every run file) and
makes the next event file start with TensorBoard's restart marker (a
``SessionLog.START`` at step + 1, tensorboardX's ``purge_step``), so a
TensorBoard that had already read the killed session's later points drops
them too. Each step then holds the one point ``metrics.jsonl`` holds.
"""

from __future__ import annotations

import atexit
import os
import struct
import sys
import time
from pathlib import Path

FLUSH_SECONDS = 5.0  # events reach the disk at least this often (and when the run closes)
SKIP = frozenset({"step", "epoch", "window", "sample", "losses"})
GROUP = ("cell", "T", "window")

_writers: dict[str, "_Writer"] = {}
_purge: dict[str, int] = {}  # folder -> the step the next event file starts again from
_said = {"missing": False}


def _key(folder) -> str:
    return os.path.abspath(folder)


def available() -> bool:
    """True when tensorboardX can be imported; says once per process how to
    get event files when it cannot."""
    try:
        import tensorboardX  # noqa: F401
    except ImportError:
        if not _said["missing"]:
            _said["missing"] = True
            from rnr.i18n import t

            print(t("tensorboard_missing"), file=sys.stderr)
        return False
    return True


def scalars(record: dict) -> dict[str, float]:
    """{tag: value} of one metrics line (see the module's docstring)."""
    group = ""
    if isinstance(record.get("cell"), str):
        parts = [record["cell"]] + [f"{k}{record[k]}" for k in GROUP[1:] if isinstance(record.get(k), int)]
        group = "_".join(parts)
    out = {}
    for key, v in record.items():
        if key in SKIP or (group and key in GROUP):
            continue
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, (int, float)):
            out[f"{key}/{group}" if group else key] = float(v)
        elif isinstance(v, (list, tuple)) and v and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                          for x in v):
            for i, x in enumerate(v):
                out[f"{key}/{group}/run{i}" if group else f"{key}/{i}"] = float(x)
    return out


class _Writer:
    """One event file of one run folder, written synchronously (no thread)."""

    def __init__(self, folder: Path, purge_step: int | None):
        from tensorboardX.event_file_writer import EventsWriter
        from tensorboardX.proto.event_pb2 import Event, SessionLog

        n = sum(1 for _ in folder.glob("events.out.tfevents.*"))
        # tensorboardX names it events.out.tfevents.<seconds>.<host><suffix>; TensorBoard
        # reads a folder's files in name order, so a counter keeps two files of one second in order
        self.w = EventsWriter(str(folder / "events"), filename_suffix=f".rnr{n:04d}")
        self.path = Path(self.w._file_name)
        if purge_step is not None:  # as tensorboardX's SummaryWriter(purge_step=...)
            self.w.write_event(Event(step=purge_step, wall_time=time.time(),
                                     session_log=SessionLog(status=SessionLog.START)))
        self.flushed = time.monotonic()

    def add(self, step: int, values: dict[str, float]) -> None:
        from tensorboardX.proto.event_pb2 import Event
        from tensorboardX.proto.summary_pb2 import Summary

        summary = Summary(value=[Summary.Value(tag=tag, simple_value=v) for tag, v in values.items()])
        self.w.write_event(Event(step=step, wall_time=time.time(), summary=summary))
        if time.monotonic() - self.flushed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        self.w.flush()
        self.flushed = time.monotonic()

    def close(self) -> None:
        self.w.close()


def add(folder, record: dict) -> None:
    """Write one metrics line's scalars into ``folder``'s event file."""
    step = record.get("step")
    if not isinstance(step, int) or isinstance(step, bool):
        return
    values = scalars(record)
    if not values or not available():
        return
    key = _key(folder)
    w = _writers.get(key)
    try:
        if w is None:
            w = _writers[key] = _Writer(Path(folder), _purge.pop(key, None))
        w.add(step, values)
    except OSError as e:
        from rnr import runs

        raise runs.os_error(e, Path(folder)) from None


def close(folder=None) -> None:
    """Flush and close the event file of ``folder`` (every folder's: None)."""
    keys = list(_writers) if folder is None else [_key(folder)]
    for key in keys:
        w = _writers.pop(key, None)
        if w is not None:
            try:
                w.close()
            except OSError:
                pass


atexit.register(close)


# ---------------------------------------------------------------- resume

def records(path) -> list[bytes]:
    """The serialized events of one event file, in order (TFRecord framing:
    length, its masked CRC-32C, the bytes, their masked CRC-32C); a record a
    killed writer left half-written ends the list."""
    data = Path(path).read_bytes()
    out, at = [], 0
    while at + 12 <= len(data):
        (n,) = struct.unpack_from("<Q", data, at)
        end = at + 12 + n + 4
        if end > len(data):
            break
        out.append(data[at + 12:at + 12 + n])
        at = end
    return out


def frame(event: bytes) -> bytes:
    from tensorboardX.record_writer import masked_crc32c

    header = struct.pack("<Q", len(event))
    return header + struct.pack("<I", masked_crc32c(header)) + event + struct.pack("<I", masked_crc32c(event))


def cut(folder, step: int) -> None:
    """Drop the points after ``step`` from ``folder``'s event files, and start
    the next event file with a restart marker at ``step + 1``."""
    folder = Path(folder)
    close(folder)
    files = sorted(folder.glob("events.out.tfevents.*"))
    if not files or not available():
        return
    from tensorboardX.proto.event_pb2 import Event

    from rnr import runs

    for path in files:
        kept, dropped = [], 0
        for raw in records(path):
            try:
                ev = Event.FromString(raw)
            except Exception:  # a damaged record: TensorBoard would stop there too
                break
            if ev.step > step and (ev.HasField("summary") or ev.HasField("session_log")):
                dropped += 1
                continue
            kept.append(raw)
        if dropped:
            runs.atomic_write_bytes(path, b"".join(frame(r) for r in kept))
    _purge[_key(folder)] = step + 1


__all__ = ["add", "available", "close", "cut", "records", "scalars"]
