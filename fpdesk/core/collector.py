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


@contextmanager
def young_generations_only() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(*_YOUNG_ONLY)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
