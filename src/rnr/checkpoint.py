"""Checkpoints: parameters and optimizer state as safetensors, metadata as JSON.

A pytree of arrays (nested dicts, lists and tuples) is flattened to names
such as ``layers.0.W`` and stored with safetensors, which holds raw arrays
only: loading a checkpoint cannot run code (nothing is ever unpickled).
The tree's structure is rebuilt from a template: the tree a freshly
initialised model of the same config gives.
"""

from __future__ import annotations

from pathlib import Path

import jax
import numpy as np

from rnr.errors import UserError
from rnr.runs import atomic_write_bytes


def _name(path) -> str:
    parts = []
    for k in path:
        parts.append(str(getattr(k, "key", getattr(k, "idx", getattr(k, "name", k)))))
    return ".".join(parts)


def flatten(tree) -> dict[str, np.ndarray]:
    """{dotted name: array} for every leaf of ``tree``."""
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    return {_name(p): np.asarray(v) for p, v in leaves}


def unflatten(template, arrays: dict[str, np.ndarray]):
    """Put ``arrays`` back into the structure of ``template``, checking shapes."""
    leaves, treedef = jax.tree_util.tree_flatten_with_path(template)
    out = []
    for p, ref in leaves:
        name = _name(p)
        if name not in arrays or np.shape(arrays[name]) != np.shape(ref):
            raise KeyError(name)
        out.append(np.asarray(arrays[name], dtype=np.asarray(ref).dtype))
    return jax.tree_util.tree_unflatten(treedef, out)


def save(path: Path, tree, metadata: dict[str, str] | None = None) -> None:
    """Write ``tree`` to ``path`` (.safetensors) atomically."""
    from safetensors.numpy import save as st_save

    data = st_save({k: np.array(v, order="C") for k, v in flatten(tree).items()}, metadata=metadata)
    atomic_write_bytes(Path(path), data)


def load(path: Path, template):
    """Read ``path`` into the structure of ``template``; a missing, corrupt or
    mismatched file raises UserError."""
    from safetensors.numpy import load as st_load

    path = Path(path)
    try:
        arrays = st_load(path.read_bytes())
        return unflatten(template, arrays)
    except FileNotFoundError:
        raise UserError("checkpoint_missing", path=path) from None
    except (KeyError, ValueError, OSError, Exception):
        raise UserError("checkpoint_corrupt", path=path) from None
