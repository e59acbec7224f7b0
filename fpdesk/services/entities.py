"""Which change-log entities travel which way, and how a logged value becomes a column value again.

Changes are applied generically by entity = table name, as long as their writes log full values on
insert. Which entities travel, which way, and whose records an office may send is declared in
services/sync/ownership.py: an entity not listed there never leaves the office.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, String, Table, Uuid

from fpdesk.core.pinyin import name_keys
from fpdesk.storage.changelog import to_json_value
from fpdesk.storage.schema import Base

UP, DOWN = "up", "down"

RESOLVE = "resolve"
# Reference rows that are one per natural key although offices may each make one (services/sync/apply).
NATURAL_KEYS = {"target": ("year", "product_code", "division_code"), "population": ("division_code", "year"),
                "division": ("code",)}
# Natural-key rows that records point at (households name their division): ours is never replaced.
KEEP_OURS = frozenset({"division"})


def table_of(entity: str) -> Table | None:
    return Base.metadata.tables.get(entity)


class ValueProblem(ValueError):
    """A logged value that does not fit its column: ``too_long`` (said as a refused record, as a
    roster row is) or ``malformed`` (the wrong type: the package is malformed)."""

    def __init__(self, field: str, kind: str, limit: int = 0) -> None:
        super().__init__(f"{field}: {kind}")
        self.field, self.kind, self.limit = field, kind, limit


# the ids a package repeats (a household's for each member, a village's for each household) made once;
# ids are immutable, so one object may serve every row that names it
uuid_of = lru_cache(maxsize=1 << 14)(uuid.UUID)


def _converter(column) -> Callable[[Any], Any] | None:
    """How a logged value becomes the column's value, checked: the type the column holds, and a text
    no longer than the column allows (SQLite would store any length, PostgreSQL refuses it)."""
    name, column_type = column.name, column.type

    def bad(kind: str = "malformed", limit: int = 0):
        raise ValueProblem(name, kind, limit)

    def parsed(kind: type, parse: Callable[[str], Any]) -> Callable[[Any], Any]:
        def convert(v):
            if v.__class__ is str:
                try:
                    return parse(v)
                except ValueError:
                    return bad()
            return v if isinstance(v, kind) else bad()
        return convert

    if isinstance(column_type, Uuid):
        return parsed(uuid.UUID, uuid_of)
    if isinstance(column_type, DateTime):
        return parsed(dt.datetime, dt.datetime.fromisoformat)
    if isinstance(column_type, Date):
        return parsed(dt.date, lambda v: dt.date.fromisoformat(v[:10]))
    if isinstance(column_type, LargeBinary):
        return parsed(bytes, bytes.fromhex)
    if isinstance(column_type, Boolean):
        return lambda v: v if v.__class__ is bool else bool(v) if v in (0, 1) else bad()
    if isinstance(column_type, Integer):
        return lambda v: v if v.__class__ is int else bad()
    if isinstance(column_type, String) and column_type.length:
        limit = column_type.length
        return lambda v: (v if len(v) <= limit else bad("too_long", limit)) if v.__class__ is str else bad()
    return None


_CONVERTERS: dict[str, dict[str, Callable[[Any], Any] | None]] = {}


def converters(table: Table) -> dict[str, Callable[[Any], Any] | None]:
    """column name -> how a logged (JSON) value becomes the column's value (None: as it is)."""
    found = _CONVERTERS.get(table.name)
    if found is None:
        found = _CONVERTERS[table.name] = {column.name: _converter(column) for column in table.c}
    return found


def column_value(table: Table, field: str, value: Any) -> Any:
    """A logged (JSON) value as the column wants it."""
    convert = converters(table)[field]
    return value if value is None or convert is None else convert(value)


def json_value(value: Any) -> Any:
    """A column value as the change log writes it (to compare with logged values); key bytes as hex."""
    return value.hex() if isinstance(value, bytes) else to_json_value(value)


# a county package names a few ten thousand distinct names for hundreds of thousands of persons
person_name_keys = _name_keys = lru_cache(maxsize=1 << 16)(name_keys)


def row_values(table: Table, entity: str, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(column values, extra logged values that are not columns) for an insert or update.

    Derived columns that the log leaves out are recomputed here: a person's pinyin search keys
    (as services/registry/households.py makes them); another office's printing key is 'registered' and
    never carries a private half.
    """
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    known = converters(table)
    for field, value in fields.items():
        if field in known:
            convert = known[field]
            values[field] = value if value is None or convert is None else convert(value)
        else:
            extra[field] = value
    if entity == "person" and "name" in values:
        values["name_initials"], values["name_pinyin"] = _name_keys(values["name"])
    if entity == "office_key":
        values["source"] = "registered"
        values.pop("private_key", None)
    if entity == "office":
        values.pop("is_local", None)
    return values, extra


def sorted_entities() -> list[str]:
    """Table names parents first (foreign keys): the order a batch of inserts is written in."""
    return [table.name for table in Base.metadata.sorted_tables]
