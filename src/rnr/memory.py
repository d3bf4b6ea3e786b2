"""Refuse sizes whose arrays would not fit in this machine's memory.

A flag such as ``--hidden 200000`` or ``--length 100000000000`` is a valid
integer, but the arrays it asks for would take hundreds of gigabytes; JAX
would fail deep inside with a traceback. ``check_fits`` compares an estimate
(bytes) with the memory available now and raises a UserError that shows
the estimate, before anything is written.
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


def human(nbytes: float) -> str:
    """1234567890 -> '1.1 GiB'."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(nbytes) < 1024 or unit == "PiB":
            return f"{nbytes:.1f} {unit}" if unit != "B" else f"{int(nbytes)} B"
        nbytes /= 1024
    return f"{nbytes:.1f} PiB"


def check_fits(nbytes: float, what: str) -> None:
    """Raise UserError ``too_big`` when ``nbytes`` exceeds the memory
    available now (an estimate that nearly fills the machine would thrash it
    for everyone); ``what`` names the flag(s) responsible, e.g. '--hidden'."""
    have = available_bytes()
    if nbytes > have:
        raise UserError("too_big", what=what, need=human(nbytes), have=human(have))
