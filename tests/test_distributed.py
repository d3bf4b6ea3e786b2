"""Two processes on 127.0.0.1 train one model together (jax.distributed,
gloo): their window losses equal a single process's on the same data, and
only process 0 writes the run folder. Joining fails in one sentence, exit
2, within seconds: an address JAX could not use (checked before JAX sees
it), a port already in use, a join that never completes."""

import json
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from rnr.engine import devices
from rnr.cli import main
from rnr.errors import UserError
from text_helpers import SPANISH
from helpers import SRC

ARGS = ["--steps", "12", "--hidden", "12", "--embed", "6", "--batch", "4", "--window", "8", "--chunk", "4",
        "--eval-every", "6", "--sample-length", "0"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def losses(run):
    recs = [json.loads(s) for s in (run / "metrics.jsonl").read_text().splitlines()]
    return np.concatenate([r["losses"] for r in recs if "losses" in r])


def test_two_processes_equal_one(tmp_path):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    single = tmp_path / "single"
    assert main(["text", "train", str(corpus), "--out", str(single), "--devices", "1", "--quiet", *ARGS]) == 0

    together = tmp_path / "together"
    env = {**os.environ, "JAX_NUM_CPU_DEVICES": "1", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    port = free_port()
    procs = [subprocess.Popen([sys.executable, "-m", "rnr", "text", "train", str(corpus), "--out", str(together),
                               *ARGS, "--coordinator", f"127.0.0.1:{port}", "--num-processes", "2",
                               "--process-id", str(i)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for i in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "[Gloo]" not in out + err  # the library's log line from the join is dropped
    assert "Done after 12 windows" in outs[0][0] and "Done" not in outs[1][0]  # process 0 reports
    a, b = losses(single), losses(together)
    assert len(a) == len(b) == 12
    np.testing.assert_allclose(b, a, rtol=1e-5)
    assert json.loads((together / "summary.json").read_text())["steps"] == 12
    assert main(["text", "sample", str(together), "--length", "5"]) == 0  # an ordinary run folder


def test_coordinator_without_the_rest_is_one_sentence(tmp_path, capsys):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    assert main(["text", "train", str(corpus), "--coordinator", "127.0.0.1:1", *ARGS]) == 2
    err = capsys.readouterr().err
    assert "--num-processes" in err and len(err.strip().splitlines()) == 1


def start_pair(corpus, out, extra0=(), extra1=(), env_extra=None):
    env = {**os.environ, "JAX_NUM_CPU_DEVICES": "1", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
           **(env_extra or {})}
    port = free_port()
    procs = []
    for i, extra in enumerate((extra0, extra1)):
        procs.append(subprocess.Popen([sys.executable, "-m", "rnr", "text", "train", str(corpus), "--out", str(out),
                                       *ARGS, *extra, "--coordinator", f"127.0.0.1:{port}", "--num-processes", "2",
                                       "--process-id", str(i)], env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    return [(p, *p.communicate(timeout=300)) for p in procs]


def test_processes_started_differently_are_refused_together(tmp_path):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    for p, out, err in start_pair(corpus, tmp_path / "mixed", extra1=("--hidden", "16")):
        assert p.returncode == 2 and "different settings" in err and "Traceback" not in err, err


def test_process_0_decides_the_limits(tmp_path):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    results = start_pair(corpus, tmp_path / "limits", extra1=("--time-budget", "0.001"))  # a limit may differ
    assert [p.returncode for p, _, _ in results] == [0, 0], results[1][2]
    assert json.loads((tmp_path / "limits" / "summary.json").read_text())["steps"] == 12  # process 0's


def test_nobody_at_the_coordinator_is_one_sentence(tmp_path):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    env = {**os.environ, "RNR_JOIN_SECONDS": "2", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    p = subprocess.run([sys.executable, "-m", "rnr", "text", "train", str(corpus), "--out", str(tmp_path / "r"),
                        *ARGS, "--coordinator", f"127.0.0.1:{free_port()}", "--num-processes", "2",
                        "--process-id", "1"], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Nobody answers" in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_launch_flags_and_environment_are_checked(tmp_path, capsys):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    assert main(["text", "train", str(corpus), "--process-id", "1", *ARGS]) == 2
    assert "--coordinator" in capsys.readouterr().err
    env = {**os.environ, "JAX_NUM_CPU_DEVICES": "abc", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    p = subprocess.run([sys.executable, "-m", "rnr", "--help"], env=env, capture_output=True, text=True)
    assert p.returncode == 2 and "JAX_NUM_CPU_DEVICES" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize("address,key", [("127.0.0.1:0", "distributed_address"), ("127.0.0.1:70000", "distributed_address"),
                                         ("nohost:abc", "distributed_address"), ("127.0.0.1", "distributed_address"),
                                         (":1234", "distributed_address"), ("nohost.invalid:1234", "distributed_host"),
                                         ("a" * 300 + ":1234", "distributed_host")])
def test_addresses_jax_could_not_use_are_refused_first(address, key):
    with pytest.raises(UserError) as e:
        devices.check_address(address, listen=True)
    assert e.value.key == key and len(e.value.message("es").splitlines()) == 1


def launch(corpus, out, port_or_address, n, i, seconds=None, lang="en"):
    env = {**os.environ, "JAX_NUM_CPU_DEVICES": "1", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    if seconds is not None:
        env["RNR_JOIN_SECONDS"] = str(seconds)
    address = port_or_address if isinstance(port_or_address, str) else f"127.0.0.1:{port_or_address}"
    return subprocess.Popen([sys.executable, "-m", "rnr", "--lang", lang, "text", "train", str(corpus), "--out", str(out),
                             *ARGS, "--coordinator", address, "--num-processes", str(n), "--process-id", str(i)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def one_sentence(p, timeout=90):
    t0 = time.monotonic()
    out, err = p.communicate(timeout=timeout)
    assert p.returncode == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, (p.returncode, err)
    return err, time.monotonic() - t0


def test_bad_addresses_on_the_command_line(tmp_path):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    procs = [launch(corpus, tmp_path / "a", "127.0.0.1:0", 2, 0), launch(corpus, tmp_path / "b", "nohost:abc", 2, 1,
                                                                            lang="es")]
    (en, s0), (es, s1) = one_sentence(procs[0]), one_sentence(procs[1])
    assert "is not HOST:PORT" in en and "no es HOST:PUERTO" in es and max(s0, s1) < 60


def test_a_port_in_use_is_one_sentence(tmp_path):
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        err, seconds = one_sentence(launch(corpus, tmp_path / "r", busy.getsockname()[1], 2, 0))
    assert "already in use" in err and seconds < 60 and not (tmp_path / "r").exists()


def test_a_join_that_never_completes_is_one_sentence_from_every_process(tmp_path):
    """Two of three processes start: both say so after RNR_JOIN_SECONDS, and stop."""
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    port = free_port()
    procs = [launch(corpus, tmp_path / "r", port, 3, i, seconds=3, lang=lang) for i, lang in enumerate(("en", "es"))]
    (en, s0), (es, s1) = one_sentence(procs[0]), one_sentence(procs[1])
    assert "Not all 3 processes joined within 3 s" in en and "No se unieron los 3 procesos en 3 s" in es
    assert max(s0, s1) < 45


def start_long_pair(corpus, out):
    """Two processes training for long; returns them once process 0 has written a few chunks."""
    env = {**os.environ, "JAX_NUM_CPU_DEVICES": "1", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    port = free_port()
    long = [*ARGS, "--steps", "1000000", "--eval-every", "1000"]  # the last of a repeated flag wins
    procs = [subprocess.Popen([sys.executable, "-m", "rnr", "text", "train", str(corpus), "--out", str(out), *long,
                               "--coordinator", f"127.0.0.1:{port}", "--num-processes", "2", "--process-id", str(i)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    metrics, t0 = out / "metrics.jsonl", time.monotonic()
    while not (metrics.exists() and len(metrics.read_text().splitlines()) >= 3):
        assert time.monotonic() - t0 < 120 and all(p.poll() is None for p in procs), [p.poll() for p in procs]
        time.sleep(0.1)
    return procs


def sentences(err: str) -> list[str]:
    """stderr's lines (gloo's own "[Gloo] Rank 0 is connected ..." from the join is dropped)."""
    return err.strip().splitlines()


@pytest.mark.parametrize("who", [1])
def test_ctrl_c_at_any_process_stops_every_process(tmp_path, who):
    """Ctrl-C at process 1 (not the one that decides the limits) stops both at
    the next chunk: exit 130 everywhere, process 0's checkpoint kept."""
    import signal

    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    procs = start_long_pair(corpus, tmp_path / "r")
    t0 = time.monotonic()
    procs[who].send_signal(signal.SIGINT)
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [130, 130], [e for _, e in outs]
    assert time.monotonic() - t0 < 30
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["interrupted"] and 0 < summary["steps"] < 1000000
    assert (tmp_path / "r" / "last.safetensors").exists()


@pytest.mark.parametrize("dead", [1, 0])
def test_a_dead_process_leaves_the_other_with_one_sentence(tmp_path, dead):
    """kill -9 of either process: the other notices at its next collective
    (or, when process 0 and its coordination service die, from JAX's fatal
    line, which rnr turns into its own) and leaves at once: one sentence,
    exit 2, long before JAX's heartbeat, and no C++ log lines."""
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    procs = start_long_pair(corpus, tmp_path / "r")
    t0 = time.monotonic()
    procs[dead].kill()
    alive = procs[1 - dead]
    out, err = alive.communicate(timeout=60)
    procs[dead].communicate()
    lines = sentences(err)
    assert alive.returncode == 2 and len(lines) == 1 and "Another process" in lines[0], (alive.returncode, err)
    assert time.monotonic() - t0 < 20 < devices.HEARTBEAT_SECONDS


@pytest.mark.parametrize("error,lost", [
    (ValueError("UNKNOWN: Gloo AllGather failed: [external/gloo/gloo/transport/tcp/pair.cc:538] Read error "
                "[127.0.0.1]:49821: Connection reset by peer"), True),  # as JAX 0.10 raises it mid-collective
    (RuntimeError("UNAVAILABLE: Failed to send RPC to coordination service"), True),
    (type("JaxRuntimeError", (RuntimeError,), {})("INTERNAL: anything"), True),
    (ValueError("could not convert string to float: 'x'"), False),  # a bug of rnr's: its traceback
    (KeyError("UNKNOWN: "), False),
])
def test_a_failed_collective_is_a_lost_peer_whatever_its_class(error, lost):
    assert devices.peer_lost(error) is lost
    try:  # raised from another exception: the cause counts
        try:
            raise error
        except Exception as e:
            raise OSError("while saving") from e
    except OSError as chained:
        assert devices.peer_lost(chained) is lost


def test_agree_with_one_process_is_the_values_given():
    assert devices.agree(3, True) == (3, True) and devices.agree(0) == (0, False)


def test_a_lost_peer_before_the_first_checkpoint_says_nothing_was_saved(tmp_path, monkeypatch):
    """The sentence for a lost peer is true on either side of the first
    checkpoint: before it nothing was saved, after it the last one is kept."""
    from rnr import i18n

    monkeypatch.setitem(devices._checkpointed, "yes", False)
    assert devices.lost_key() == "distributed_lost_unsaved"
    assert "nothing was saved" in i18n.text(devices.lost_key(), "en")
    assert "no se guardó nada" in i18n.text(devices.lost_key(), "es")
    corpus = tmp_path / "es.txt"
    corpus.write_text(SPANISH * 6, encoding="utf-8")
    assert main(["text", "train", str(corpus), "--out", str(tmp_path / "r"), "--devices", "1", "--quiet", *ARGS]) == 0
    assert devices.lost_key() == "distributed_lost" and "last checkpoint is kept" in i18n.text(devices.lost_key())


def test_two_processes_0_on_one_port_cannot_both_pass_the_check():
    """The port is claimed by the first process 0 until it ends; a second
    claim (another process 0 racing for the same address) is refused."""
    import subprocess

    port = free_port()
    code = (f"import sys; sys.path.insert(0, {SRC!r}); from rnr.engine import devices; "
            f"devices.claim_port({port}, '127.0.0.1:{port}'); print('claimed', flush=True); sys.stdin.read()")
    first = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "claimed"
        with pytest.raises(UserError) as e:
            devices.claim_port(port, f"127.0.0.1:{port}")
        assert e.value.key == "distributed_port_busy"
    finally:
        first.communicate("")
    devices.claim_port(port, f"127.0.0.1:{port}")  # the first one has ended: the port is free again
    devices.claim_port(port, f"127.0.0.1:{port}")  # and this process holds it already
