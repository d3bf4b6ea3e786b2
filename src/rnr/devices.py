"""Data parallel training over the devices of this machine (``jax.sharding``).

    mesh     a 1-D ``jax.sharding.Mesh`` with axis "batch" over n devices
    rows     each device holds B/n of the batch rows (inputs, targets, the
             carried state); parameters and optimizer state are replicated
    step     each device computes the gradient of its rows' mean loss; the
             gradients and losses are averaged over the mesh (``pmean``), so
             every device applies the same update: the same math as one
             device with the whole batch

On a CPU, rnr makes one JAX device per core (``JAX_NUM_CPU_DEVICES``, set in
``rnr._xla`` before JAX starts; an ``XLA_FLAGS`` or ``JAX_NUM_CPU_DEVICES``
of your own wins), so a text model trains on every core. With ``--devices
0`` (the default) rnr takes the largest number of devices, at most all of
them, that divides the batch; a ``--devices N`` that does not divide the
batch is refused. Checkpoints hold plain arrays, so a run trained on 2
devices resumes on 1 or 4.

Many processes (``start``): ``jax.distributed`` joins them (CPU collectives
through gloo, GPUs through NCCL) and the mesh spans every process's
devices. Each process reads the same text but puts only its own batch rows
on its devices (``jax.make_array_from_callback``); only process 0 writes
the run folder (``is_main``); every process stops when process 0 says so
(``agree``), so a limit, Ctrl-C or divergence stops them together.
"""

from __future__ import annotations

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from rnr.errors import UserError

AXIS = "batch"


def start(coordinator: str | None = None, num_processes: int | None = None, process_id: int | None = None) -> None:
    """Join a multi-process run (before any JAX computation). With no
    arguments, only under SLURM or Open MPI (where JAX finds the rest)."""
    import os

    def count(name):
        value = os.environ.get(name, "1")
        return int(value) if value.isdigit() else 1

    under_launcher = count("SLURM_NTASKS") > 1 or count("OMPI_COMM_WORLD_SIZE") > 1
    if coordinator is None and not under_launcher:
        return
    if coordinator is not None and process_id:  # wait for process 0's coordinator, as a sentence if it never comes
        _wait_for(coordinator)
    jax.config.update("jax_cpu_collectives_implementation", "gloo")  # CPUs; GPUs use NCCL
    try:
        if coordinator is None:
            jax.distributed.initialize(initialization_timeout=JOIN_SECONDS)
        else:
            jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes,
                                       process_id=process_id, initialization_timeout=JOIN_SECONDS)
    except Exception as e:  # a malformed address, a port in use, ...
        raise UserError("distributed_failed", reason=(str(e).splitlines() or [type(e).__name__])[0][:200]) from None


# how long the processes of a run wait for one another to start (RNR_JOIN_SECONDS)
JOIN_SECONDS = int(__import__("os").environ.get("RNR_JOIN_SECONDS", "120") or 120)


def _wait_for(coordinator: str) -> None:
    import socket
    import time

    host, _, port = coordinator.rpartition(":")
    if not host or not port.isdigit():
        raise UserError("distributed_failed", reason=f"'{coordinator}' is not HOST:PORT")
    deadline = time.monotonic() + JOIN_SECONDS
    while True:
        try:
            with socket.create_connection((host.strip("[]"), int(port)), timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise UserError("distributed_unreachable", address=coordinator, seconds=JOIN_SECONDS) from None
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


def agree(value: int) -> int:
    """Process 0's ``value``, on every process (a no-op with one process)."""
    if jax.process_count() == 1:
        return value
    from jax.experimental import multihost_utils

    return int(multihost_utils.broadcast_one_to_all(np.int32(value)))


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
