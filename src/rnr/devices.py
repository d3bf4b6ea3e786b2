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
"""

from __future__ import annotations

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from rnr.errors import UserError

AXIS = "batch"


def count() -> int:
    """Devices of the default backend on this machine."""
    return len(jax.local_devices())


def choose(batch: int, requested: int = 0) -> int:
    """How many devices to split ``batch`` rows over: ``requested`` (checked),
    or with 0 the largest divisor of the batch up to every device."""
    have = count()
    if requested:
        if requested > have:
            raise UserError("devices_too_many", n=requested, have=have)
        if batch % requested:
            raise UserError("devices_batch", n=requested, batch=batch)
        return requested
    return max(n for n in range(1, have + 1) if batch % n == 0)


def make_mesh(n: int) -> Mesh | None:
    """A mesh over the first ``n`` local devices (None for one device: nothing to split)."""
    if n <= 1:
        return None
    return Mesh(np.array(jax.local_devices()[:n]), (AXIS,))


def replicate(tree, mesh: Mesh | None):
    return tree if mesh is None else jax.device_put(tree, NamedSharding(mesh, P()))


def split(tree, mesh: Mesh | None, axis: int):
    """Every array of ``tree`` split over the mesh along ``axis`` (its batch axis)."""
    if mesh is None:
        return tree
    spec = P(*([None] * axis), AXIS)
    return jax.device_put(tree, NamedSharding(mesh, spec))


def batch_spec(axis: int) -> P:
    return P(*([None] * axis), AXIS)
