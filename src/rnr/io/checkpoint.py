"""Checkpoints: the only reader and writer of ``*.safetensors`` files in rnr.

One file holds a pytree of arrays and a JSON object:

    tensors    every leaf of the tree, named by its path: ``params.layers.0.W``,
               ``opt.0.mu.out.b``, ``carry.0.1`` ...
    metadata   {"rnr": "<JSON>"}: where the run stood (step, epoch, seconds
               trained, ...), whatever the caller passes as ``meta``

safetensors stores raw arrays and strings only, so loading a checkpoint never
runs code (nothing is unpickled). Loading rebuilds the tree from a template
(the tree a fresh model of the same config gives), checks every shape, and
refuses parameters that are not finite: a NaN checkpoint would otherwise
sample newlines and evaluate to ``nan`` without a word. A checkpoint holds
exactly the template's tensors under the names it is read for: a tensor
more (a layer config.json no longer has), one missing, another shape or
another type (int32 weights) is another model's, and refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import jax
import numpy as np

from rnr.errors import Msg, UserError, os_reason
from rnr.io import files

META_KEY = "rnr"


def _name(path) -> str:
    return ".".join(str(getattr(k, "key", getattr(k, "idx", getattr(k, "name", k)))) for k in path)


def flatten(tree) -> dict[str, np.ndarray]:
    """{dotted name: array} for every leaf of ``tree``."""
    from rnr.engine.devices import fetch

    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    return {_name(p): fetch(v) for p, v in leaves}


def unflatten(template, arrays: dict[str, np.ndarray], exact: bool = False):
    """Put ``arrays`` back into the structure of ``template``; a missing name,
    a shape that differs, and with ``exact`` a name the template lacks or a
    type that differs (int32 where float32 belongs) raise KeyError with a
    ``rnr.errors.Msg`` naming the tensor."""
    leaves, treedef = jax.tree_util.tree_flatten_with_path(template)
    out, names = [], set()
    for p, ref in leaves:
        name = _name(p)
        names.add(name)
        if name not in arrays:
            raise KeyError(Msg("detail_tensor_missing", name=name))
        got, want = np.shape(arrays[name]), np.shape(ref)
        if got != want:
            raise KeyError(Msg("detail_tensor_shape", name=name, shape=str(got), expected=str(want)))
        dtype = np.asarray(ref).dtype
        if exact and np.asarray(arrays[name]).dtype != dtype:
            raise KeyError(Msg("detail_tensor_dtype", name=name, dtype=str(np.asarray(arrays[name]).dtype),
                               expected=str(dtype)))
        out.append(np.asarray(arrays[name], dtype=dtype))
    extra = sorted(set(arrays) - names) if exact else []
    if extra:
        raise KeyError(Msg("detail_tensor_extra", name=extra[0]))
    return jax.tree_util.tree_unflatten(treedef, out)


def encode(tree, meta: dict | None = None) -> bytes:
    """The bytes of a checkpoint file holding ``tree`` and ``meta``."""
    from safetensors.numpy import save

    tensors = {k: np.array(v, order="C") for k, v in flatten(tree).items()}  # keeps 0-d arrays 0-d
    return save(tensors, metadata={META_KEY: files.dumps(meta or {})})  # NaN, infinity: null


def plain_bytes(arrays: dict[str, np.ndarray], metadata: dict[str, str]) -> bytes:
    """A safetensors file of named arrays and string metadata, as other
    programs read it (``rnr export``'s PyTorch state dicts)."""
    from safetensors.numpy import save as encode_arrays

    return encode_arrays({k: np.array(v, order="C") for k, v in arrays.items()}, metadata=metadata)


def save(path: Path, tree, meta: dict | None = None) -> None:
    """Write ``tree`` and ``meta`` to ``path`` atomically (``rnr.io.files``)."""
    files.atomic_write_bytes(Path(path), encode(tree, meta))


def read(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    """All arrays and the JSON metadata of a checkpoint file, as stored.
    A missing, damaged or foreign file raises UserError."""
    from safetensors import safe_open

    path = Path(path)
    if path.is_dir():
        raise UserError("os_is_folder", path=path)
    if not path.is_file():
        raise UserError("checkpoint_missing", path=path)
    try:
        with safe_open(str(path), framework="numpy") as f:
            raw_meta = (f.metadata() or {}).get(META_KEY, "{}")
            arrays = {k: f.get_tensor(k) for k in f.keys()}
        meta = json.loads(raw_meta)
        if not isinstance(meta, dict):
            raise ValueError("metadata is not an object")
    except OSError as e:
        raise UserError("file_unreadable", path=path, reason=os_reason(e)) from None
    except Exception:  # safetensors raises its own error types for damaged files
        raise UserError("checkpoint_corrupt", path=path) from None
    return arrays, meta


def load(path: Path, template, finite: tuple[str, ...] = ("params",)) -> tuple[object, dict]:
    """``(tree, meta)`` from ``path``, the tree shaped like ``template`` (a dict
    whose keys are the top-level names stored, e.g. {"params": ..., "opt": ...}).

    Raises UserError when the file is missing or damaged, when it does not
    match the template exactly under the names it has (another model's
    checkpoint: a tensor missing, one more, another shape or type), or when
    an array under one of the ``finite`` top-level names holds NaN or infinity."""
    path = Path(path)
    arrays, meta = read(path)
    wanted = {k: v for k, v in arrays.items() if k.split(".")[0] in template}
    try:
        tree = unflatten(template, wanted, exact=True)
    except KeyError as e:
        raise UserError("checkpoint_mismatch", path=path, detail=e.args[0]) from None
    for top in finite:
        if top in tree:
            for name, a in flatten({top: tree[top]}).items():
                if np.issubdtype(a.dtype, np.floating) and not np.all(np.isfinite(a)):
                    raise UserError("checkpoint_not_finite", path=path, name=name)
    return tree, meta
