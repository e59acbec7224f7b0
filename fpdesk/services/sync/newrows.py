"""The rows of a batch of new records (newbatch.py) as the SQLite driver takes them, made straight
from the logged values.

On the per-entry path each logged value is turned into the column's Python value by row_values (an
id into a uuid.UUID, a date into a dt.date), kept in a dict per row, and turned back by insert_rows
into what SQLite stores (the id's 32 hex digits, the date's text). Here each value goes to its
stored form in one step, ``process(convert(value))`` with the column's own converter
(services/entities.py) and bind processor, and a row is a tuple made by a function written once per
shape of row (which fields it logs). Where the result is known without the objects it is taken
directly: a canonical id's hex digits are its text less its dashes; a date's stored text is
remembered per distinct text (a county's birth dates repeat); a text within its column's length is
itself. Anything else goes through the converter and processor, so a value that does not fit
raises the ValueProblem row_values raises, for the same first field.

The columns come in the order row_values and Applier._write_pending give them (the logged fields,
a person's name keys, the id, the revision, then the creation times), so insert_processed writes
the statement and the parameters insert_rows writes (tests/services/test_sync_set_import.py
compares the databases).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, String, Table, Uuid

from fpdesk.core.sync_package import CANONICAL_ID
from fpdesk.services.entities import converters, person_name_keys

_REMEMBERED = 1 << 16  # distinct texts per date column kept (a county's birth dates: a few ten thousand)
COMPLETED = ("created_at", "updated_at")  # set by Applier._write_pending's _complete when not logged


@dataclass(frozen=True)
class Shape:
    """How rows that log one set of fields (in one order) are made: ``keys`` are the columns in the
    row dict's order, ``completed`` the creation-time columns added at the end at write time,
    ``group`` the key set Applier._write_pending groups the rows of one statement by."""

    keys: list[str]
    completed: tuple[str, ...]
    group: frozenset
    make: Callable[[dict[str, Any], uuid.UUID, int], tuple]
    # ``make`` for an id given as it is stored already (a canonical id's hex digits: no id object)
    make_stored: Callable[[dict[str, Any], str, int], tuple]


def _stored(convert, process) -> Callable[[Any], Any]:
    """``process(convert(value))`` as row_values and insert_rows make it (None is not converted)."""
    if process is None:
        if convert is None:
            return lambda value: value
        return lambda value: value if value is None else convert(value)
    if convert is None:
        return process
    return lambda value: process(value if value is None else convert(value))


def _fast(column, convert, process) -> Callable[[Any], Any]:
    stored = _stored(convert, process)
    kind = column.type
    if isinstance(kind, Uuid) and process is not None and convert is not None:
        match = CANONICAL_ID.match
        return lambda value: value.replace("-", "") if value.__class__ is str and match(value) else stored(value)
    if isinstance(kind, Date | DateTime) and convert is not None:
        remembered: dict[str, Any] = {}

        def dated(value):
            if value.__class__ is not str:
                return stored(value)
            found = remembered.get(value)
            if found is None:
                if len(remembered) >= _REMEMBERED:
                    remembered.clear()
                found = remembered[value] = stored(value)  # raises as row_values raises: nothing kept
            return found
        return dated
    if isinstance(kind, String) and kind.length and process is None and convert is not None:
        limit = kind.length
        return lambda value: value if value.__class__ is str and len(value) <= limit else stored(value)
    return stored


def _same(value: Any) -> Any:
    return value


class RowMaker:
    """Shapes of one table's rows on one connection's dialect, made when first met."""

    def __init__(self, table: Table, entity: str, dialect) -> None:
        self.table, self.entity, self.dialect = table, entity, dialect
        self.shapes: dict[tuple[str, ...], Shape | None] = {}
        known = converters(table)
        self.processors = {column.name: column.type._cached_bind_processor(dialect) for column in table.c}
        self.stored = {column.name: _fast(column, known[column.name], self.processors[column.name])
                       for column in table.c}
        self.has_revision = "revision" in table.c

    def shape(self, names: tuple[str, ...]) -> Shape | None:
        found = self.shapes.get(names, self)
        if found is self:
            found = self.shapes[names] = self._shape(names)
        return found

    def _shape(self, names: tuple[str, ...]) -> Shape | None:
        """None for a shape this does not make (row_values' special entities, a processed name)."""
        columns = self.table.c
        if self.entity not in ("household", "person") or "id" not in columns:
            return None
        fields = [name for name in names if name in columns]
        keys = list(fields)
        overrides = []  # (position, how): values row_values or the applier set over or beside the logged ones
        if self.entity == "person" and "name" in fields:
            if self.processors["name"] is not None or any(self.processors[n] is not None
                                                          for n in ("name_initials", "name_pinyin")):
                return None
            for name in ("name_initials", "name_pinyin"):
                if name not in keys:
                    keys.append(name)
            overrides.append(("names", keys.index("name_initials"), keys.index("name_pinyin"), keys.index("name")))
        for name in ("id", "revision") if self.has_revision else ("id",):
            if name not in keys:
                keys.append(name)
            overrides.append((name, keys.index(name)))
        completed = tuple(name for name in COMPLETED if name in columns and name not in keys)
        namespace: dict[str, Any] = {"names_of": person_name_keys, "canonical": CANONICAL_ID.match}
        items = []
        for position, name in enumerate(fields):
            namespace[f"c{position}"] = self.stored[name]
            items.append(self._inline(name, position) or f"c{position}(f[{name!r}])")
        items += ["None"] * (len(keys) - len(fields))
        lines = ["def make(f, rid, revision, p_id=p_id):", f"    row = [{', '.join(items)}]"]
        for override in overrides:
            if override[0] == "names":
                _kind, initials, pinyin, name = override
                lines.append(f"    row[{initials}], row[{pinyin}] = names_of(row[{name}])")
            else:
                kind, position = override
                namespace[f"p_{kind}"] = self.processors[kind] or _same
                lines.append(f"    row[{position}] = p_{kind}({'rid' if kind == 'id' else 'revision'})")
        lines.append("    return tuple(row)")
        namespace.setdefault("p_id", _same)
        exec("\n".join(lines), namespace)  # the names are the schema's columns, no text of the package
        make = namespace["make"]
        return Shape(keys, completed, frozenset((*keys, *completed)), make, functools.partial(make, p_id=_same))

    def _inline(self, name: str, position: int) -> str | None:
        """What _fast's shortcut for the column does, written out in ``make`` (no call per value);
        anything else goes to the column's function (c{position}) as there. None: no shortcut."""
        column = self.table.c[name]
        kind, convert, process = column.type, converters(self.table)[name], self.processors[name]
        value = f"(v{position} := f[{name!r}])"
        if isinstance(kind, Uuid) and process is not None and convert is not None:
            return f"(v{position}.replace('-', '') if {value}.__class__ is str and canonical(v{position}) else c{position}(v{position}))"
        if isinstance(kind, String) and not isinstance(kind, Date | DateTime) and kind.length and process is None and convert is not None:
            return f"(v{position} if {value}.__class__ is str and len(v{position}) <= {int(kind.length)} else c{position}(v{position}))"
        return None

    def completed_values(self, shape: Shape, now) -> tuple:
        """The creation times as _complete sets them and the DateTime type stores them."""
        return tuple(now if self.processors[name] is None else self.processors[name](now) for name in shape.completed)

    def params(self, group: list[tuple], now) -> tuple[list[str], list[tuple]]:
        """The columns of one statement (its first row's, as insert_rows takes them) and the rows of
        ``group`` (items of newbatch: id, shape, row, ...) with the creation times added, each in those
        columns' order: one key set logged in two orders (a package not written by an export) is one
        statement, as Applier._write_pending groups it."""
        first = group[0][1]
        keys = [*first.keys, *first.completed]
        tails: dict[int, tuple] = {}
        orders: dict[int, list[int] | None] = {}
        params = []
        for item in group:
            shape = item[1]
            tail = tails.get(id(shape))
            if tail is None:
                tail = tails[id(shape)] = self.completed_values(shape, now)
            row = item[2] + tail
            if shape is not first:
                order = orders.get(id(shape), self)
                if order is self:
                    where = {name: position for position, name in enumerate((*shape.keys, *shape.completed))}
                    order = orders[id(shape)] = [where[name] for name in keys]
                row = tuple(row[position] for position in order)
            params.append(row)
        return keys, params
