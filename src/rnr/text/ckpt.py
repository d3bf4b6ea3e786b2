"""Checkpoints of a text run: one self-contained safetensors file each.

    last.safetensors   params.*, opt.* (optimizer state), carry.* (the state
                       carried into the next window) and, in the file's
                       metadata, a JSON object: step, epoch, window position,
                       best validation loss, seconds trained, seed
    best.safetensors   params.* of the lowest validation loss, and its JSON

The random state is the seed plus the window number (see ``engine``), so the
JSON holds all of it. Each file is written atomically (``rnr.runs``), and
reading parses raw arrays and JSON only: nothing is unpickled.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from rnr import checkpoint
from rnr.errors import UserError

META_KEY = "rnr"


def save(path: Path, tree: dict, meta: dict) -> None:
    """Write the arrays of ``tree`` and the JSON ``meta`` to ``path`` atomically."""
    checkpoint.save(Path(path), tree, metadata={META_KEY: json.dumps(meta)})


def _header_meta(raw: bytes) -> dict:
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    return json.loads(header["__metadata__"][META_KEY])


def load(path: Path, template: dict) -> tuple[dict, dict]:
    """``(tree, meta)`` from ``path``, the tree shaped like ``template``;
    a missing, damaged or foreign file raises UserError."""
    from safetensors.numpy import load as st_load

    path = Path(path)
    if not path.is_file():
        raise UserError("checkpoint_missing", path=path)
    try:
        raw = path.read_bytes()
        meta = _header_meta(raw)
        arrays = st_load(raw)
        arrays = {k: v for k, v in arrays.items() if k.split(".")[0] in template}
        return checkpoint.unflatten(template, arrays), meta
    except Exception:
        raise UserError("checkpoint_corrupt", path=path) from None
