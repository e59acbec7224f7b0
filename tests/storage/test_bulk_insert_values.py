"""storage/bulk_insert.insert_rows stores exactly what a SQLAlchemy Core insert stores.

insert_rows runs the columns' own bind processors itself (skipping repeats of the same object) and
fills column defaults itself, then hands the driver one executemany, or on SQLite multi-row
statements for a table feeding a full-text index. Here the same rows go in both ways and the
stored values are read back as the database holds them (SQLite: storage class and value;
PostgreSQL: the value's text), column by column: every column type the schema uses, NULLs,
omitted columns that take their defaults, JSON (nested, non-ASCII, a JSON null), dates and times,
and rows that share one object (insert_rows processes a repeated object once).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    insert,
)

from fpdesk.storage.bulk_insert import insert_rows
from fpdesk.storage.database import make_engine, url_for
from fpdesk.storage.schema import Base
from tests.storage.test_write_path import _make, _value

_probe_metadata = MetaData()
PROBE = Table(
    "bulk_insert_probe", _probe_metadata,
    Column("id", Uuid, primary_key=True),
    Column("way", String(10), nullable=False),
    Column("position", Integer, nullable=False),
    Column("flag", Boolean), Column("flag_default", Boolean, default=False),
    Column("day", Date), Column("moment", DateTime),
    Column("moment_default", DateTime, default=lambda: dt.datetime(2026, 12, 6, 21, 0, 0, 123456)),
    Column("count", Integer), Column("count_default", Integer, default=7),
    Column("blob", LargeBinary(32)), Column("label", String(40)), Column("label_default", String(10), default="甲"),
    Column("body", Text), Column("ref", Uuid), Column("doc", JSON), Column("doc_default", JSON, default=dict),
)
# the tables the bulk paths write (roster apply, sync import, bulk registration, enrollment)
BULK_TABLES = ("household", "household_category", "person", "enrollment", "insured_person", "contribution")


def _schema_types() -> set[type]:
    return {type(column.type) for table in Base.metadata.tables.values() for column in table.c}


def test_the_probe_has_every_column_type_of_the_schema():
    assert _schema_types() <= {type(column.type) for column in PROBE.c}, "add the new type to PROBE"


def _probe_rows(way: str) -> list[dict]:
    shared_doc = {"名": "张三", "list": [1, 2.5, None, True, "x"], "nested": {"a": {"b": []}}}
    shared_moment = dt.datetime(2026, 3, 1, 8, 30, 15, 250)
    full = {"flag": True, "flag_default": True, "day": dt.date(1985, 2, 28), "moment": shared_moment,
            "moment_default": dt.datetime(2000, 1, 1), "count": -3, "count_default": 0, "blob": b"\x00\xff" * 16,
            "label": "王小二", "label_default": "", "body": "line\nbreak \"quoted\" \\", "ref": uuid.UUID(int=5),
            "doc": shared_doc, "doc_default": [shared_doc, "é"]}
    nulls = dict.fromkeys(full)
    rows = [full, {**full, "doc": shared_doc, "moment": shared_moment},  # the same objects again
            {**full, "doc": {"名": "张三"}, "moment": dt.datetime(2026, 3, 1, 8, 30, 15)},  # and other ones
            nulls, {**nulls, "doc": "null text", "doc_default": 0}]
    return [{"id": uuid.uuid4(), "way": way, "position": index, **row} for index, row in enumerate(rows)]


def _stored(connection, table, where: str, columns: list[str]) -> list[tuple]:
    if connection.dialect.name == "sqlite":
        listed = ", ".join(f"typeof({name}), {name}" for name in columns)
    else:
        listed = ", ".join(f"CAST({name} AS TEXT)" for name in columns)
    return connection.exec_driver_sql(f"SELECT {listed} FROM {table} WHERE {where}").all()


def test_probe_rows_are_stored_as_a_core_insert_stores_them(db_url):
    engine = make_engine(url_for(db_url))
    try:
        with engine.begin() as connection:
            PROBE.create(connection)
            # without the columns that have defaults, too: both fill them in
            omitted = [{k: v for k, v in row.items() if not k.endswith("_default")} for row in _probe_rows("x")]
            for way, rows in (("bulk", _probe_rows("bulk")), ("bulk_omit", omitted)):
                for row in rows:
                    row["way"] = way
                insert_rows(connection, PROBE, rows)
            for way, rows in (("core", _probe_rows("core")), ("core_omit", omitted)):
                connection.execute(insert(PROBE), [{**row, "id": uuid.uuid4(), "way": way} for row in rows])
            columns = [c.name for c in PROBE.c if c.name not in ("id", "way")]
            for bulk, core in (("bulk", "core"), ("bulk_omit", "core_omit")):
                stored = [_stored(connection, PROBE.name, f"way = '{way}' ORDER BY position", columns)
                          for way in (bulk, core)]
                assert len(stored[0]) == 5
                assert stored[0] == stored[1]
            PROBE.drop(connection)
    finally:
        engine.dispose()


def _bulk_row(table, parents: dict[str, uuid.UUID], omit_nullable: bool) -> dict:
    row = {}
    for column in table.c:
        if column.foreign_keys:
            row[column.name] = parents[column.name]
        elif column.autoincrement is True and column.primary_key and isinstance(column.type, Integer):
            continue
        elif omit_nullable and column.nullable and not column.primary_key:
            continue  # left to the column's default, or NULL
        else:
            row[column.name] = _value(column)
    return row


def test_rows_of_the_bulk_tables_are_stored_as_a_core_insert_stores_them(workspace):
    """Each table the bulk paths write, with every column given, and with the nullable ones left out;
    on SQLite the person rows go through the multi-row statements of a table with a full-text index."""
    for name in BULK_TABLES:
        table = Base.metadata.tables[name]
        keys = [c.name for c in table.c if c.foreign_keys]
        with workspace.write() as ctx:
            parents = {way: {column: _make(ctx.session, next(iter(table.c[column].foreign_keys)).column.table.name).id
                             for column in keys} for way in ("bulk", "core")}
            specs = [_bulk_row(table, parents["bulk"], omit) for omit in (False, True, False)]
            copies = []
            for spec in specs:  # the same values under the other parents (and another id)
                copy = {**spec, **parents["core"]}
                if "id" in copy and isinstance(table.c["id"].type, Uuid):
                    copy["id"] = uuid.uuid4()
                copies.append(copy)
            connection = ctx.session.connection()
            for group in ((0, 2), (1,)):  # one insert_rows call takes rows with the same keys
                insert_rows(connection, table, [specs[index] for index in group], logged=True)
                connection.execute(insert(table).execution_options(fpdesk_logged=True),
                                   [copies[index] for index in group])
            own = [c.name for c in table.c if not c.foreign_keys and not (c.primary_key and isinstance(c.type, Uuid))
                   and not (c.primary_key and c.autoincrement is True and isinstance(c.type, Integer))]
            order = ", ".join(c for c in own if not isinstance(table.c[c].type, JSON))  # json has no order on PostgreSQL
            stored = [_stored(connection, name, f"{keys[0]} = {_literal(connection, ids[keys[0]])} ORDER BY {order}",
                              own) for ids in (parents["bulk"], parents["core"])]
            assert len(stored[0]) == len(specs), name
            assert stored[0] == stored[1], name


def _literal(connection, value: uuid.UUID) -> str:
    return f"'{value.hex}'" if connection.dialect.name == "sqlite" else f"'{value}'"
