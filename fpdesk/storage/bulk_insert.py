"""Many rows into one table at DBAPI speed: SQLAlchemy's own bind processors (so values are stored
exactly as an ORM or Core insert would store them), one executemany, none of Core's per-row
parameter bookkeeping. Rows must all have the same keys; missing columns take their defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = connection.dialect
    keys = list(rows[0])
    defaults = []
    for column in table.c:
        if column.name not in rows[0] and column.default is not None and not column.primary_key:
            keys.append(column.name)
            arg = column.default.arg
            defaults.append((column.name, (lambda fn=arg: fn(None)) if column.default.is_callable else
                             (lambda value=arg: value)))
    processors = [table.c[key].type._cached_bind_processor(dialect) for key in keys]
    default_count = len(defaults)
    plain = len(keys) - default_count
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
           f"VALUES ({', '.join([marker] * len(keys))})")
    own_keys = keys[:plain]
    params = []
    for row in rows:
        values = [row[key] for key in own_keys]
        values.extend(make() for _name, make in defaults)
        params.append(tuple(value if process is None else process(value)
                            for process, value in zip(processors, values, strict=True)))
    connection.exec_driver_sql(sql, params)
