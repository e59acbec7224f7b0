"""Inserting many rows of one table at once.

On SQLite the rows go to the driver's executemany as tuples, each value passed through the bind
processor SQLAlchemy itself would use for its column (so ids, times and JSON are stored exactly as
the ORM stores them). The Core insert does the same work with a dictionary per row and per value
bookkeeping that cost more than SQLite's own writing when a roster brings 100,000 people.
Other databases take the Core insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (every row with the same keys) into ``table`` in one executemany."""
    if not rows:
        return
    dialect = connection.dialect
    names = list(rows[0])
    missing_defaults = any(c.default is not None and c.name not in rows[0] for c in table.columns)
    if dialect.name != "sqlite" or missing_defaults:
        connection.execute(table.insert(), list(rows))
        return
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    processors = [(name, table.columns[name].type._cached_bind_processor(dialect)) for name in names]
    plain = [name for name, process in processors if process is None]
    if len(plain) == len(names):
        params = [tuple(row[n] for n in names) for row in rows]
    else:
        params = [tuple(row[n] if process is None else process(row[n]) for n, process in processors) for row in rows]
    connection.exec_driver_sql(sql, params)
