"""Pausing Python's cyclic garbage collector around work that makes many short-lived objects."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # pauses open now, in any thread
_resume = False  # whether the collector ran when the first of them opened


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off; it is back on when the last open pause ends.

    A trace makes a few hundred thousand short-lived objects, almost all freed by their
    reference counts; with the collector on, every 700 of them start a collection and the
    older generations' collections walk every object the process holds (the open index's
    too): about a tenth of a trace's CPU at 1M (docs/performance.md). When the last pause
    ends, one collection of the youngest generation walks what the paused work left alive
    (and frees what it left in reference cycles), so a pause's cost is paid inside it.
    Pauses nest and overlap across threads (the web service traces in threads): the
    collector stays off while any is open.
    """
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
                gc.collect(0)
