"""Python's cyclic garbage collector during a long job (a roster import, a sync package).

Such a job makes hundreds of thousands of small objects that live to its end. The collector's
full passes walk every one of them again and again for nothing: a third of a 500,000-person sync
import went there, half of a roster dry run. Turning the collector off keeps the reference cycles a
job does make (SQLAlchemy results, exceptions) until it ends: 120 MB more at the sync import's
peak. So only the full passes are held back; the young generations are still collected, which
frees those cycles while they are young and never visits the long-lived objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_YOUNG_ONLY = (10_000, 50, 1_000_000_000)  # gen0 every 10,000 allocations; a full pass never
_YOUNGEST_ONLY = (10_000, 1_000_000_000, 1_000_000_000)  # gen0 only: what survives it is never walked again
_SELDOM = (500_000, 50, 1_000_000_000)  # gen0 after 500,000 allocations (net of those freed); a full pass never


@contextmanager
def young_generations_only(*, youngest: bool = False) -> Iterator[None]:
    """``youngest``: only the youngest generation is collected, so an object that outlives one pass
    is never walked again (a roster's dry run: 100,000 rows, the collector's time from 0.47 s to
    0.26 s of CPU). A job whose cycles die young may ask it: a roster full of mistakes makes 13 cycle
    objects a row (its exceptions), and each pass freed them all. A job holding cycles across many
    allocations (a database session's results) would keep them to its end."""
    previous = gc.get_threshold()
    gc.set_threshold(*(_YOUNGEST_ONLY if youngest else _YOUNG_ONLY))
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextmanager
def seldom() -> Iterator[None]:
    """Young passes too only after 500,000 more objects live than at the last. For a pass that makes
    acyclic objects by the hundred thousand and frees them by their counts, a chunk at a time (a
    sync plan reading 650,000 change lines, each a list and dicts): a young pass walks every live
    young object, the chunk being read, and finds nothing to free; every 10,000 allocations that
    was a tenth of a county package's dry run. What cycles the pass makes wait a little longer."""
    previous = gc.get_threshold()
    gc.set_threshold(*_SELDOM)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
