"""JAX's fatal "another task died" line, written by native code on fd 2 of
a multi-process run, becomes rnr's one sentence and exit code 2
(``rnr.engine.native_stderr``); every other native line still reaches
stderr, including the last ones before a normal exit. Each case runs in
its own process, writing on fd 2 as a native library does."""

import subprocess
import sys

import pytest

from helpers import SRC

FATAL = ("F1201 17:27:24.229697    9632 client.h:80] Terminating process because the JAX distributed service "
         "detected fatal errors. This most likely indicates that another task died")
PROGRAM = """
import os, sys, time
sys.path.insert(0, {src!r})
from rnr.engine import native_stderr
if {watch}:
    native_stderr.watch(lambda: "error: the peer is gone.")
os.write(2, b"[Gloo] Rank 1 is connected\\n")
print("python's own line", file=sys.stderr)
os.write(2, {fatal!r}.encode() + b"\\nAdditional GRPC error information\\n")
time.sleep({sleep})
os.write(2, b"a native line just before the end\\n")
"""


def run(watch: bool, fatal: str, sleep: float = 0):
    code = PROGRAM.format(src=SRC, watch=watch, fatal=fatal, sleep=sleep)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_jax_fatal_line_becomes_one_sentence_and_exit_2():
    done = run(True, FATAL, sleep=30)  # the thread ends the process long before the sleep does
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1] == "error: the peer is gone." and lines.count("error: the peer is gone.") == 1
    assert not any("client.h" in line or "GRPC" in line or "before the end" in line for line in lines)
    assert "[Gloo] Rank 1 is connected" in lines and "python's own line" in lines


def test_without_watch_the_fatal_line_is_printed_as_it_is():
    done = run(False, FATAL)  # the control: the same program, nothing read
    assert done.returncode == 0 and "client.h:80] Terminating process" in done.stderr


@pytest.mark.parametrize("other", ["E1201 12:00:00.000000 1 agent.cc:289] Polled an error", "Terminating process"])
def test_other_native_lines_pass_through_to_the_end(other):
    done = run(True, other)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "python's own line" in lines  # written straight to the terminal, so its place among the rest may move
    lines.remove("python's own line")
    assert lines == ["[Gloo] Rank 1 is connected", other, "Additional GRPC error information",
                     "a native line just before the end"]


def test_leave_speaks_once_for_every_caller():
    code = f"""
import sys, threading, time
sys.path.insert(0, {SRC!r})
from rnr.engine import native_stderr
native_stderr.watch(lambda: "unused")
for _ in range(8):
    threading.Thread(target=native_stderr.leave, args=("error: one sentence.",)).start()
time.sleep(30)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.splitlines() == ["error: one sentence."]
