"""Refuse sizes whose arrays would not fit in this machine's memory.

A flag such as ``--hidden 200000`` or ``--length 100000000000`` is a valid
integer, but the arrays it asks for would take hundreds of gigabytes; JAX
would fail deep inside with a traceback. ``check_fits`` compares an estimate
(bytes) with the memory available now and raises a UserError that shows
the estimate, before anything is written.

``training_bytes`` is the one estimate of training a recurrent model, for
every command that trains (text, series): every layer counts, for its
parameters (with the gradient and the optimizer's state, old and new) and
for the activations each layer keeps over a window for the backward pass.
Its two factors come from XLA's own count (``compiled.memory_analysis()``
of the training chunk, LSTM, 1-20 layers, 64-1000 units, windows of 16-512
steps x 8-512 rows): arguments, outputs and temporaries together stay under
the estimate (tests/test_sizes.py).
"""

from __future__ import annotations

import os

from rnr.errors import UserError


def physical_bytes() -> int:
    """This machine's physical memory in bytes (16 GiB when it cannot be read)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 16 * 2**30


def available_bytes() -> int:
    """Memory a new allocation can get without swapping or thrashing
    (Linux's MemAvailable; the physical memory where that is not known)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return physical_bytes()


def human(nbytes: float):
    """1234567890 -> '1.1 GiB' (a message field: '1,1 GiB' in Spanish)."""
    from rnr.errors import Msg

    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(nbytes) < 1024 or unit == "PiB":
            return Msg("size_bytes", n=int(nbytes)) if unit == "B" else Msg("size", n=nbytes, unit=unit)
        nbytes /= 1024


# the parameters, their gradient, the optimizer's two moments, and the new
# parameters and moments that an update makes beside the old ones (XLA's count: 6 to 7.5 copies)
PARAM_COPIES = 8
# float32 arrays of (steps, rows, units) that each layer keeps for and makes in the
# backward pass: gates, states, their gradients (XLA's count for an LSTM: 15 to 20)
ACTIVATION_ARRAYS = 20
# the output layer's logits, probabilities and their gradient, per step and row and output unit
OUTPUT_ARRAYS = 3


def parameter_bytes(param_bytes: int) -> int:
    """Training's bytes for a model whose parameters take ``param_bytes``."""
    return PARAM_COPIES * int(param_bytes)


def activation_bytes(steps: int, rows: int, hidden: int, layers: int, directions: int = 1, outputs: int = 0) -> int:
    """Training's bytes for the activations of a window of ``steps`` x ``rows``
    through ``layers`` layers of ``hidden`` units (each ``directions`` times),
    and ``outputs`` output units per step and row (a text model's vocabulary)."""
    per_layer = 4 * ACTIVATION_ARRAYS * steps * rows * hidden * directions
    return per_layer * layers + 4 * OUTPUT_ARRAYS * steps * rows * outputs


def training_bytes(param_bytes: int, *, steps: int, rows: int, hidden: int, layers: int, directions: int = 1,
                   outputs: int = 0) -> int:
    """About the most memory training takes: ``parameter_bytes`` + ``activation_bytes``."""
    return parameter_bytes(param_bytes) + activation_bytes(steps, rows, hidden, layers, directions, outputs)


def check_fits(nbytes: float, what: str) -> None:
    """Raise UserError ``too_big`` when ``nbytes`` exceeds the memory
    available now (an estimate that nearly fills the machine would thrash it
    for everyone); ``what`` names the flag(s) responsible, e.g. '--hidden'."""
    have = available_bytes()
    if nbytes > have:
        raise UserError("too_big", what=what, need=human(nbytes), have=human(have))
