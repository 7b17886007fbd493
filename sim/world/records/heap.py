"""Freed memory handed back to the system between the large steps of a run.

The C library keeps the memory a program frees for its own later use: numpy's many
column chunks, freed as a table is joined, stay in the process's heap unless the library
is asked to hand free pages back. A run asks at the points where it has just let go of
most of its buffers (the engine's end, each table built), so that its peak is its
tables' size and not that plus every buffer it once held. Only the GNU C library offers
the call (`malloc_trim`); elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Hand the heap's free pages back to the system (where the C library can)."""
    trim = _trim()
    if trim is not None:
        trim(0)
