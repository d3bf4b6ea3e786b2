"""Data parallel training over the devices of this machine (``jax.sharding``).

    mesh     a 1-D ``jax.sharding.Mesh`` with axis "batch" over n devices
    rows     each device holds B/n of the batch rows (inputs, targets, the
             carried state); parameters and optimizer state are replicated
    step     each device computes the gradient of its rows' mean loss; the
             gradients and losses are averaged over the mesh (``pmean``), so
             every device applies the same update: the same math as one
             device with the whole batch

On a CPU, rnr makes one JAX device per core (``JAX_NUM_CPU_DEVICES``, set in
``rnr.engine.xla`` before JAX starts; an ``XLA_FLAGS`` or ``JAX_NUM_CPU_DEVICES``
of your own wins), so a text model trains on every core. With ``--devices
0`` (the default) rnr takes the largest number of devices, at most all of
them, that divides the batch; a ``--devices N`` that does not divide the
batch is refused. Checkpoints hold plain arrays, so a run trained on 2
devices resumes on 1 or 4.

Many processes (``start``): ``jax.distributed`` joins them (CPU collectives
through gloo, GPUs through NCCL) and the mesh spans every process's
devices. Each process reads the same text but puts only its own batch rows
on its devices (``jax.make_array_from_callback``); only process 0 writes
the run folder (``is_main``). Before every chunk the processes agree
(``agree``, one collective): process 0 judges the limits, and a Ctrl-C at
any process counts, so every process stops at the same chunk (exit 130
everywhere, the checkpoint written by process 0).

Joining is checked first and bounded: ``--coordinator`` must be HOST:PORT
with a host that resolves and a port from 1 to 65535 that process 0 can
listen on (``check_address``, before JAX sees it: JAX would abort or crash);
every process waits at most RNR_JOIN_SECONDS (``rnr.settings.environment``, 120 s)
for the others, then says so in one sentence (``JoinTimeout``). A process
that dies after the join is noticed by the others at their next collective,
within a chunk (``peer_lost``; ``rnr.cli`` says ``distributed_lost`` and
leaves with ``os._exit(2)``: JAX's shutdown would wait for the dead one);
when process 0 dies, JAX's own fatal line on the others' stderr becomes the
same sentence (``rnr.engine.native_stderr``). JAX's heartbeat (``HEARTBEAT_SECONDS``) only judges a process that stops
answering without its connections closing; a second Ctrl-C in a
multi-process run leaves at once (exit 130) and the others say so.
"""

from __future__ import annotations

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from rnr.errors import UserError, os_reason

AXIS = "batch"
# JAX aborts a process (C++ log lines, exit 134) when a peer has not answered its
# coordinator for this long; a peer that dies is noticed far sooner, at the next
# collective (``peer_lost``), so this only judges one that hangs
HEARTBEAT_SECONDS = 100


def start(coordinator: str | None = None, num_processes: int | None = None, process_id: int | None = None) -> None:
    """Join a multi-process run (before any JAX computation). With no
    arguments, only under SLURM or Open MPI (where JAX finds the rest).

    The address is checked before JAX sees it (``check_address``); the
    processes wait for one another at most RNR_JOIN_SECONDS in all
    (``JoinTimeout``: one sentence from every process still waiting, which
    should then leave with ``os._exit``: JAX's shutdown would wait for the
    missing ones). The join runs in a helper thread, so Ctrl-C stops a
    waiting process at once; the log lines of the libraries it starts
    (gloo's "[Gloo] Rank 0 is connected ...", printed on stdout) are dropped."""
    import threading
    import time

    from rnr.settings import environment

    if coordinator is None and environment.launcher_processes() <= 1:
        return
    seconds = environment.join_seconds()
    deadline = time.monotonic() + seconds
    if coordinator is not None:
        _, port = check_address(coordinator, listen=not process_id)
        if not process_id:
            claim_port(port, coordinator)
        if process_id:  # wait for process 0's coordinator, as a sentence if it never comes
            _wait_for(coordinator, seconds, deadline)
    jax.config.update("jax_cpu_collectives_implementation", "gloo")  # CPUs; GPUs use NCCL
    where = {} if coordinator is None else dict(coordinator_address=coordinator, num_processes=num_processes,
                                                process_id=process_id)
    failed: list[BaseException] = []

    def join():
        try:
            try:
                # JAX's own timeout (a C++ abort) comes after ours
                jax.distributed.initialize(**where, initialization_timeout=seconds + 60,
                                           heartbeat_timeout_seconds=HEARTBEAT_SECONDS)
            except Exception as e:  # a malformed address, a port taken meanwhile, ...
                raise UserError("distributed_failed", reason=_first_line(e)) from None
            try:
                jax.devices()  # the platforms start here
            except Exception as e:
                if environment.platforms():
                    raise environment.platform_missing(e) from None
                raise UserError("distributed_failed", reason=_first_line(e)) from None
            from jax.experimental import multihost_utils

            # one collective: the processes' connections (gloo) open now, while stdout goes nowhere
            multihost_utils.sync_global_devices("rnr: joined")
        except BaseException as e:
            failed.append(e)

    with _stdout_to_nowhere():
        helper = threading.Thread(target=join, name="rnr-join", daemon=True)
        helper.start()
        while helper.is_alive():
            helper.join(0.2)  # the main thread stays free for Ctrl-C
            if helper.is_alive() and time.monotonic() > deadline:
                if coordinator is None:
                    raise JoinTimeout("distributed_join_timeout_launcher", seconds=seconds)
                raise JoinTimeout("distributed_join_timeout", n=num_processes, seconds=seconds,
                                  last=num_processes - 1)
    if failed:
        raise failed[0]
    if jax.process_count() > 1:  # JAX's fatal line when a peer dies becomes rnr's sentence
        from rnr import i18n
        from rnr.engine import native_stderr

        native_stderr.watch(lambda: i18n.t("error_prefix") + i18n.t(lost_key()))


_checkpointed = {"yes": False}  # this process's run has passed its first checkpoint (``mark_checkpointed``)


def mark_checkpointed(saved: bool = True) -> None:
    """The trainer calls this after each checkpoint and when it resumes one
    (a lost peer then leaves a run that ``--resume`` continues; every process
    saves, or skips saving, at the same step, so each one knows it), and with
    ``False`` when a new run starts."""
    _checkpointed["yes"] = saved


def lost_key() -> str:
    """The message for a lost peer: the last checkpoint is kept, or none was written yet."""
    return "distributed_lost" if _checkpointed["yes"] else "distributed_lost_unsaved"


class JoinTimeout(UserError):
    """Not every process joined in time. JAX's client is still waiting in a
    native thread, so the process should leave with ``os._exit`` after
    saying so (``exit_now``); a normal exit would wait or abort."""

    exit_now = True


def _first_line(e: BaseException) -> str:
    return (str(e).splitlines() or [type(e).__name__])[0][:200]


class _stdout_to_nowhere:
    """File descriptor 1 points at os.devnull inside the block (what native
    libraries print on stdout while the processes join is dropped: rnr's
    output is one sentence or its own lines), and back afterwards."""

    def __enter__(self):
        import os
        import sys

        try:
            sys.stdout.flush()
        except (AttributeError, OSError, ValueError):
            pass
        try:
            self.saved = os.dup(1)
        except OSError:  # no stdout at all: nothing to keep clean
            self.saved = None
            return self
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, 1)
        os.close(nowhere)
        return self

    def __exit__(self, *exc):
        import os

        if self.saved is not None:
            os.dup2(self.saved, 1)
            os.close(self.saved)
        return False


_claimed: dict[int, int] = {}  # port -> the open lock file that holds it for this process's life


def claim_port(port: int, address: str) -> None:
    """Process 0 takes the coordinator's port for itself on this machine (an
    exclusive lock on a file named after it in the temporary folder, held
    until the process ends), so two processes started as process 0 with one
    address cannot both pass ``check_address`` before either listens: the
    second is refused like any port in use."""
    import fcntl
    import os
    import tempfile

    if port in _claimed:
        return
    path = os.path.join(tempfile.gettempdir(), f"rnr-coordinator-{port}.lock")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # no writable temporary folder: the bind check alone stands
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise UserError("distributed_port_busy", address=address, port=port) from None
    _claimed[port] = fd


def check_address(coordinator: str, listen: bool = False) -> tuple[str, int]:
    """``HOST:PORT`` as (host, port), refused in one sentence before JAX sees
    it: a port outside 1-65535, a host that does not resolve, and with
    ``listen`` (process 0, which serves the coordinator on every interface)
    a port that cannot be bound here, e.g. one already in use."""
    import errno
    import socket

    host, colon, port = coordinator.strip().rpartition(":")
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):  # [::1]:1234
        host = host[1:-1]
    shown = coordinator if len(coordinator) <= 80 else coordinator[:80] + "..."
    if (not colon or not host or not (port.isascii() and port.isdigit()) or len(port) > 5
            or not 1 <= int(port) <= 65535):
        raise UserError("distributed_address", address=shown)
    number = int(port)
    try:
        socket.getaddrinfo(host, number, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        raise UserError("distributed_host", address=shown, host=host[:80]) from None
    if listen:  # as JAX's coordinator listens: every interface, address reuse on (a port in TIME_WAIT is free)
        for family, anywhere in ((socket.AF_INET6, "::"), (socket.AF_INET, "0.0.0.0")):
            try:
                with socket.socket(family, socket.SOCK_STREAM) as s:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    if family == socket.AF_INET6:
                        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                    s.bind((anywhere, number))
                    s.listen(1)
                break
            except OSError as e:
                if e.errno == errno.EADDRINUSE:
                    raise UserError("distributed_port_busy", address=shown, port=number) from None
                if family == socket.AF_INET:  # (an IPv6 failure of another kind: no IPv6 here, try IPv4)
                    raise UserError("distributed_listen", address=shown, port=number,
                                    reason=os_reason(e)) from None
    return host, number


def _wait_for(coordinator: str, seconds: int, deadline: float) -> None:
    import socket
    import time

    host, port = check_address(coordinator)
    while True:
        try:
            with socket.create_connection((host, port), timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise UserError("distributed_unreachable", address=coordinator, seconds=seconds) from None
            time.sleep(0.5)


def check_same(fingerprint: str) -> None:
    """Refuse, in every process at once, a run whose processes were started
    with different settings or texts (``fingerprint``: a hash of them)."""
    if jax.process_count() == 1:
        return
    import hashlib

    from jax.experimental import multihost_utils

    mine = np.frombuffer(hashlib.sha256(fingerprint.encode()).digest()[:8], np.int64)
    every = np.asarray(multihost_utils.process_allgather(mine))
    if not np.all(every == every.reshape(-1)[0]):
        raise UserError("distributed_mismatch")


def processes() -> int:
    return jax.process_count()


def is_main() -> bool:
    """Process 0: the one that writes the run folder and prints."""
    return jax.process_index() == 0


def agree(value: int, flag: bool = False) -> tuple[int, bool]:
    """``(process 0's value, whether any process raised its flag)``, the same
    on every process (one collective; with one process, the two as given).
    The loop asks this before every chunk: process 0 judges the limits, and
    a Ctrl-C at any process stops every one of them at the same chunk."""
    if jax.process_count() == 1:
        return int(value), bool(flag)
    from jax.experimental import multihost_utils

    every = np.asarray(multihost_utils.process_allgather(np.array([value, int(bool(flag))], np.int32)))
    every = every.reshape(-1, 2)  # one row per process, in process order
    return int(every[0, 0]), bool(every[:, 1].max())


def peer_lost(e: BaseException) -> bool:
    """Is ``e`` (or an exception it was raised from) a collective or the
    coordination service failing: how a multi-process run learns that
    another process died or left? JAX raises JaxRuntimeError for most, and a
    ValueError ("UNKNOWN: Gloo AllGather failed: ... Connection reset by
    peer") for some of gloo's."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if type(e).__name__ in ("JaxRuntimeError", "XlaRuntimeError"):
            return True
        if isinstance(e, (ValueError, RuntimeError)) and str(e).startswith(_STATUS):
            return True
        e = e.__cause__ or e.__context__
    return False


_STATUS = tuple(f"{code}: " for code in ("UNKNOWN", "UNAVAILABLE", "INTERNAL", "ABORTED", "CANCELLED",
                                         "DEADLINE_EXCEEDED", "FAILED_PRECONDITION", "DATA_LOSS"))


def fetch(x) -> np.ndarray:
    """A (possibly multi-process) array as NumPy, whole."""
    if not isinstance(x, jax.Array) or x.is_fully_addressable:
        return np.asarray(x)
    if x.is_fully_replicated:
        return np.asarray(x.addressable_data(0))
    from jax.experimental import multihost_utils

    return np.asarray(multihost_utils.process_allgather(x, tiled=True))


def fetch_tree(tree):
    return jax.tree_util.tree_map(fetch, tree)


def count() -> int:
    """Devices of the default backend, over every process."""
    return len(jax.devices())


def choose(batch: int, requested: int = 0) -> int:
    """How many devices to split ``batch`` rows over: ``requested`` (checked),
    or with 0 the largest divisor of the batch up to every device."""
    have = count()
    if jax.process_count() > 1:  # every process takes part
        if batch % have:
            raise UserError("devices_batch", n=have, batch=batch)
        return have
    if requested:
        if requested > have:
            raise UserError("devices_too_many", n=requested, have=have)
        if batch % requested:
            raise UserError("devices_batch", n=requested, batch=batch)
        return requested
    return max(n for n in range(1, have + 1) if batch % n == 0)


def for_members(members: int, requested: int = 1) -> int:
    """How many devices to spread ``members`` independent networks over (an
    ensemble, ``rnr.series.job``), each device training the same number:
    ``requested`` when above 1 (checked: it must divide them), else the
    largest count up to every device of this process that divides them."""
    if jax.process_count() > 1:
        return 1
    if requested > 1:
        if requested > count():
            raise UserError("devices_too_many", n=requested, have=count())
        if members % requested:
            raise UserError("devices_members", n=requested, members=members)
        return requested
    return max(d for d in range(1, min(count(), members) + 1) if members % d == 0)


def make_mesh(n: int) -> Mesh | None:
    """A mesh over the first ``n`` local devices (None for one device: nothing to split)."""
    if n <= 1 and jax.process_count() == 1:
        return None
    return Mesh(np.array(jax.devices()[:n] if jax.process_count() == 1 else jax.devices()), (AXIS,))


def _place(tree, sharding):
    if jax.process_count() == 1:
        return jax.device_put(tree, sharding)

    def one(a):  # this process supplies only the pieces its own devices hold
        a = np.asarray(a)
        return jax.make_array_from_callback(a.shape, sharding, lambda index: a[index])

    return jax.tree_util.tree_map(one, tree)


def replicate(tree, mesh: Mesh | None):
    return tree if mesh is None else _place(tree, NamedSharding(mesh, P()))


def split(tree, mesh: Mesh | None, axis: int):
    """Every array of ``tree`` split over the mesh along ``axis`` (its batch axis)."""
    if mesh is None:
        return tree
    return _place(tree, NamedSharding(mesh, batch_spec(axis)))


def batch_spec(axis: int) -> P:
    return P(*([None] * axis), AXIS)
