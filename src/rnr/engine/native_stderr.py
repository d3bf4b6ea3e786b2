"""What native code prints on stderr during a multi-process run.

When another process of the run dies, JAX's coordination client learns it
from a closed connection and, in a native thread, logs a fatal line before
it ends the process::

    F1201 17:27:24.229697 9632 client.h:80] Terminating process because the JAX
    distributed service detected fatal errors. ... (and gRPC detail lines)

JAX 0.10 offers no way to replace that reaction from Python (a Python
``missed_heartbeat_callback`` aborts with ``std::bad_cast``), so rnr reads
the process's file descriptor 2 itself while the run lasts (``watch``):

    Python's own output   sys.stderr is rebound to the terminal's descriptor,
                          so a sentence written just before ``os._exit`` is
                          never lost in a pipe
    native lines          fd 2 is a pipe; a helper thread copies each line to
                          the terminal, except JAX's fatal line above: at that
                          line the thread says rnr's sentence (``leave``)
                          and ends the process with exit code 2

``leave`` is also what the command line calls when a collective fails
(``rnr.engine.devices.peer_lost``); whichever of the two comes first says
the one sentence, and the other never speaks.
"""

from __future__ import annotations

import atexit
import io
import os
import sys
import threading

# the start of JAX's fatal line when its coordination service reports a dead task
FATAL_PEER_LOST = b"Terminating process because the JAX distributed service detected fatal errors"

_leaving = threading.Lock()
_terminal: int | None = None  # the descriptor that was fd 2 before ``watch``


def leave(sentence: str, code: int = 2) -> None:
    """Write ``sentence`` (one line) to the terminal's stderr and end the
    process at once with ``code``: JAX's shutdown would wait for the peers,
    and a dead one never comes. Only the first caller speaks; any later
    caller (another thread) waits here until the process is gone."""
    _leaving.acquire()
    data = (sentence.rstrip("\n") + "\n").encode("utf-8", "replace")
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass
    try:
        os.write(2 if _terminal is None else _terminal, data)
    except OSError:  # stderr closed: the exit code still tells
        pass
    os._exit(code)


def watch(sentence_when_lost) -> None:
    """From now on until the process ends, native lines on fd 2 pass through
    a helper thread, and JAX's fatal "another task died" line becomes
    ``leave(sentence_when_lost())``. Call once, after the processes joined."""
    global _terminal
    if _terminal is not None:
        return
    try:
        terminal = os.dup(2)
        read_end, write_end = os.pipe()
    except OSError:  # no stderr at all: nothing to read or to say
        return
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass
    os.dup2(write_end, 2)
    os.close(write_end)
    _terminal = terminal
    sys.stderr = io.TextIOWrapper(io.FileIO(os.dup(terminal), "w"), encoding=getattr(sys.stderr, "encoding", None)
                                  or "utf-8", errors="backslashreplace", line_buffering=True)
    reader = threading.Thread(target=_copy_lines, args=(read_end, terminal, sentence_when_lost),
                              name="rnr-native-stderr", daemon=True)
    reader.start()

    def drain():  # at a normal exit: what native code wrote last still reaches the terminal
        try:
            os.dup2(terminal, 2)  # the pipe's last writer closes, so the thread reads to its end
        except OSError:
            return
        reader.join(2.0)

    atexit.register(drain)


def _copy_lines(read_end: int, terminal: int, sentence_when_lost) -> None:
    with open(read_end, "rb", buffering=0) as pipe:
        pending = b""
        while True:
            try:
                chunk = pipe.read(65536)
            except OSError:
                return
            if not chunk:
                _write(terminal, pending)
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if FATAL_PEER_LOST in line:
                    leave(sentence_when_lost())
                _write(terminal, line + b"\n")


def _write(fd: int, data: bytes) -> None:
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass
