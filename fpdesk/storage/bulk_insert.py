"""Many rows into one table at DBAPI speed: SQLAlchemy's own bind processors (so values are stored
exactly as an ORM or Core insert would store them), one executemany, none of Core's per-row
parameter bookkeeping. Rows must all have the same keys; missing columns take their defaults.

On SQLite a table that feeds a full-text index through a trigger (person → person_number_fts)
gets multi-row INSERT statements instead of executemany: FTS5 writes its pending terms out as a
new segment at the end of every statement, so one statement per row made one tiny segment per
person and kept merging them (4.1 s of the 5.2 s a 100,000-person insert took; with 1,000 rows
a statement the index costs about 0.6 s). Same rows, same trigger, same transaction."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Table

from fpdesk.storage.bulk_indexes import FULL_TEXT  # the tables that feed an FTS5 index by trigger
from fpdesk.storage.pipelined_writes import execute_driver_sql
from fpdesk.storage.write_path import OPTION

_UNSET = object()
_LOGGED = {OPTION: True}
_PLAIN: dict[str, Any] = {}
_MAX_VARIABLES = 32_000  # SQLite's limit is 32,766 bound values per statement (3.32 and later)


def _remembering(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The processor, skipped when a value is the very object it just processed: the rows of one
    insert share their time stamps, their household's id, their product's covers."""
    last_in: Any = _UNSET
    last_out: Any = None

    def run(value: Any) -> Any:
        nonlocal last_in, last_out
        if value is not last_in:
            last_out = process(value)
            last_in = value
        return last_out

    return run


def _by_identity(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's processor, run once per distinct object: the rows of one insert share their
    covers lists and form answers, each serialised once. Only for the rows' own values, which the
    rows keep alive, so an id is never reused meanwhile."""
    done: dict[int, Any] = {}

    def run(value: Any) -> Any:
        key = id(value)
        out = done.get(key, _UNSET)
        if out is _UNSET:
            out = done[key] = process(value)
        return out

    return run


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]], *, logged: bool = False) -> None:
    """``logged``: the caller records these rows' change-log entries itself (a logged table's rows are
    refused otherwise inside a write transaction: storage/write_path.py)."""
    if not rows:
        return
    options = _LOGGED if logged else _PLAIN
    dialect = connection.dialect
    own_keys = list(rows[0])
    defaults = []
    for column in table.c:
        if column.name not in rows[0] and column.default is not None and not column.primary_key:
            arg = column.default.arg
            defaults.append((column.name, (lambda fn=arg: fn(None)) if column.default.is_callable else
                             (lambda value=arg: value)))
    keys = own_keys + [name for name, _make in defaults]
    processors = [table.c[key].type._cached_bind_processor(dialect) for key in keys]
    processed = [(position, (_by_identity if position < len(own_keys) and isinstance(table.c[key].type, JSON)
                             else _remembering)(process))
                 for position, (key, process) in enumerate(zip(keys, processors, strict=True)) if process is not None]
    makers = [make for _name, make in defaults]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
           f"VALUES ({', '.join([marker] * len(keys))})")
    get = itemgetter(*own_keys)
    single = len(own_keys) == 1
    params = []
    for row in rows:
        values = [get(row)] if single else list(get(row))
        if makers:
            values.extend(make() for make in makers)
        for position, process in processed:
            values[position] = process(values[position])
        params.append(tuple(values))
    if dialect.name == "sqlite" and table.name in FULL_TEXT and len(params) > 1:
        _insert_multi_row(connection, sql, len(keys), params, options)
        return
    execute_driver_sql(connection, sql, params, options=options, rows=len(params))


def _insert_multi_row(connection: Connection, sql: str, width: int, params: list[tuple], options) -> None:
    head, _, one = sql.partition(" VALUES ")
    per_statement = max(1, min(1000, _MAX_VARIABLES // width))
    for start in range(0, len(params), per_statement):
        chunk = params[start:start + per_statement]
        execute_driver_sql(connection, f"{head} VALUES {', '.join([one] * len(chunk))}",
                           tuple(chain.from_iterable(chunk)), options=options, rows=len(chunk))


def insert_processed(connection: Connection, table: Table, own_keys: list[str], params: list[tuple], *,
                     logged: bool = False) -> None:
    """``insert_rows`` for rows given as tuples of their own values in ``own_keys`` order, each value
    already as the column type's bind processor makes it (a sync import of new records makes them
    so straight from the logged values): the columns the rows leave out take their defaults, processed
    as insert_rows processes them; the same statement, the same parameters."""
    if not params:
        return
    options = _LOGGED if logged else _PLAIN
    dialect = connection.dialect
    defaults = []
    for column in table.c:
        if column.name not in own_keys and column.default is not None and not column.primary_key:
            defaults.append((column.name, column.default, column.type._cached_bind_processor(dialect)))
    keys = own_keys + [name for name, _default, _process in defaults]
    if defaults:
        def made(default, process):
            value = default.arg(None) if default.is_callable else default.arg
            return value if process is None else process(value)

        if any(default.is_callable for _name, default, _process in defaults):
            params = [(*values, *(made(default, process) for _name, default, process in defaults))
                      for values in params]
        else:  # the same values for every row
            tail = tuple(made(default, process) for _name, default, process in defaults)
            params = [values + tail for values in params]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
           f"VALUES ({', '.join([marker] * len(keys))})")
    if dialect.name == "sqlite" and table.name in FULL_TEXT and len(params) > 1:
        _insert_multi_row(connection, sql, len(keys), params, options)
        return
    execute_driver_sql(connection, sql, params, options=options, rows=len(params))
