"""Remembering pure functions of a product (or form) definition and a few small arguments.

A county's renewal or a 100,000-row roster asks the same calendar and benefit questions of the
same product tens of thousands of times (every household of a roster has the same enrollment
date). Definitions are immutable but not hashable (they hold dicts), so entries are keyed by the
object's identity and keep a reference to it: an id can only be reused once its object is gone,
and a kept reference means it never is. The cache is emptied when it grows past its limit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class DefinitionMemo:
    def __init__(self, limit: int = 4096) -> None:
        self._entries: dict[tuple[int, Hashable], tuple[Any, Any]] = {}
        self._limit = limit

    def get(self, definition: Any, key: Hashable, compute: Callable[[], T]) -> T:
        slot = (id(definition), key)
        hit = self._entries.get(slot)
        if hit is not None and hit[0] is definition:
            return hit[1]
        value = compute()
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[slot] = (definition, value)
        return value
