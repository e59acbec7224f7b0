"""Values of a bulk write made as the column types' bind processors make them, for
``storage.bulk_insert.insert_processed``.

A roster's writing builds 230,000 rows. Built as dicts and given to ``insert_rows``, every value of
every row went through a call per column (the processor, or the check that it is the value just
processed), a fifth of the job's time. Here the job makes each row's tuple itself: the values its
rows share (the moment, the product, the dates of a plan) are processed once, each id is processed
where it is made, and the statement, parameters and stored values stay those ``insert_rows`` makes
(tests/services/test_roster_bound_rows.py compares the databases).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table


def _same(value: Any) -> Any:
    return value


class BoundValues:
    """The bind processors of ``table``'s columns on ``connection``'s dialect, each called once per
    distinct value where the values repeat (``shared``)."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self._dialect = connection.dialect
        self._table = table
        self._shared: dict[tuple[str, Any], Any] = {}

    def processor(self, key: str) -> Callable[[Any], Any]:
        """The column's processor (the value itself where the type has none)."""
        return self._table.c[key].type._cached_bind_processor(self._dialect) or _same

    def processes(self, key: str) -> bool:
        """Whether the column's type changes a value on its way to the driver."""
        return self._table.c[key].type._cached_bind_processor(self._dialect) is not None

    def shared(self, key: str, value: Any) -> Any:
        """``processor(key)(value)`` for a hashable value many rows hold, processed once."""
        known = (key, value.__class__, value)  # True and 1 are equal keys, not equal values
        found = self._shared.get(known, _same)
        if found is _same:
            found = self._shared[known] = self.processor(key)(value)
        return found
