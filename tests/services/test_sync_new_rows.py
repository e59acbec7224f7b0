"""The rows newrows.RowMaker makes for a batch of new records (services/sync/newbatch.py on SQLite)
are the rows row_values + insert_rows make: written into two real SQLite databases, one each way,
they read back the same, byte for byte; a value that does not fit is refused the same way, for the
same field."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import create_engine

from fpdesk.services.entities import ValueProblem, row_values, table_of
from fpdesk.services.sync.newrows import COMPLETED, RowMaker
from fpdesk.storage.bulk_insert import insert_processed, insert_rows
from fpdesk.storage.schema import Base

NOW = dt.datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=dt.UTC)
HOME = "0f4c8e52-3b1d-4c8e-9a1f-2d3e4f5a6b7c"
VILLAGE = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

PERSONS = [
    {"birth_date": "1985-03-12", "household_id": HOME, "id_number": "350421198503120012", "name": "林秀英",
     "phone": "13912345678", "relation": "head", "sex": "female", "status": "alive"},
    # an id not in canonical form, a date with a time, no ID number, a phone left out, a status date
    {"household_id": HOME.upper(), "name": "吕 绿", "birth_date": "2001-07-09T00:00:00", "id_number": None,
     "relation": "child", "sex": "male", "status": "deceased", "status_date": "2024-02-29"},
    # logged name keys (row_values computes its own in their place), a revision and an id among the fields
    {"name": "欧阳娜娜", "name_pinyin": "x", "name_initials": "y", "birth_date": "1990-01-01",
     "household_id": "{" + HOME + "}", "relation": "spouse", "sex": "female", "revision": 7, "id": VILLAGE},
    {"name": "王五", "birth_date": "19900101", "household_id": HOME, "relation": "head", "sex": "male"},
]
HOUSEHOLDS = [
    {"division_id": VILLAGE, "address": "罗翠村 3 号", "is_rural": True, "reward_recipient": False,
     "categories": ["poor", "single_child"], "note": "", "status": "active"},
    {"division_id": VILLAGE.upper(), "is_rural": 0, "certificate_no": None},
]


def _database(tmp_path, name: str):
    engine = create_engine(f"sqlite:///{tmp_path / name}")
    Base.metadata.create_all(engine, tables=[table_of("person"), table_of("household")])
    return engine


def _read(engine, table: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")]


@pytest.mark.parametrize(("entity", "logged"), [("person", PERSONS), ("household", HOUSEHOLDS)])
def test_rows_made_directly_are_the_rows_insert_rows_makes(tmp_path, entity, logged):
    table = table_of(entity)
    by_dicts, directly = _database(tmp_path, "dicts.sqlite3"), _database(tmp_path, "direct.sqlite3")
    maker = RowMaker(table, entity, directly.dialect)
    with by_dicts.begin() as one, directly.begin() as other:
        for revision, fields in enumerate(logged, start=1):
            rid = uuid.uuid4()
            values, _extra = row_values(table, entity, fields)
            values["id"], values["revision"] = rid, revision
            for column in COMPLETED:
                values.setdefault(column, NOW)
            insert_rows(one, table, [values])
            shape = maker.shape(tuple(fields))
            assert shape is not None
            row = shape.make(fields, rid, revision) + maker.completed_values(shape, NOW)
            assert list(values) == [*shape.keys, *shape.completed]  # the statement's columns, in order
            insert_processed(other, table, [*shape.keys, *shape.completed], [row])
    assert _read(by_dicts, entity) == _read(directly, entity)
    assert len(_read(directly, entity)) == len(logged)


@pytest.mark.parametrize(("field", "value"), [
    ("name", "长" * 51), ("birth_date", "1985-13-01"), ("birth_date", 19850312), ("household_id", "not an id"),
    ("household_id", 42), ("sex", None), ("phone", "1" * 21)])
def test_a_value_that_does_not_fit_is_refused_the_same_way(field, value):
    table = table_of("person")
    fields = {**PERSONS[0], "phone2": "9" * 30, field: value}  # two misfits: the first in the fields' order counts
    maker = RowMaker(table, "person", create_engine("sqlite://").dialect)
    try:
        row_values(table, "person", fields)
        expected = None
    except ValueProblem as problem:
        expected = (problem.field, problem.kind, problem.limit)
    with pytest.raises(ValueProblem) as raised:
        maker.shape(tuple(fields)).make(fields, uuid.uuid4(), 1)
    assert expected is not None and (raised.value.field, raised.value.kind, raised.value.limit) == expected


def test_a_stored_date_is_remembered_per_text():
    """Each text of a date converted as row_values converts it; a text that is no date raises each time."""
    maker = RowMaker(table_of("person"), "person", create_engine("sqlite://").dialect)
    stored = maker.stored["birth_date"]
    assert stored("1990-01-01") == stored("19900101") == "1990-01-01"
    assert stored("1990-01-01T23:59:59") == "1990-01-01"
    for _ in range(2):
        with pytest.raises(ValueProblem):
            stored("1990-02-30")


def test_one_key_set_logged_in_two_orders_is_one_statement(tmp_path):
    """A package not written by an export may log a person's fields in another order: the rows still
    go in one statement, each row's values under their own columns."""
    table = table_of("person")
    by_dicts, directly = _database(tmp_path, "dicts.sqlite3"), _database(tmp_path, "direct.sqlite3")
    maker = RowMaker(table, "person", directly.dialect)
    logged = [PERSONS[0], dict(reversed(PERSONS[0].items())), {**PERSONS[0], "name": "林秀"}]
    rows, group = [], []
    for fields in logged:
        rid = uuid.uuid4()
        values, _extra = row_values(table, "person", fields)
        values["id"], values["revision"] = rid, 1
        for column in COMPLETED:
            values.setdefault(column, NOW)
        rows.append(values)
        shape = maker.shape(tuple(fields))
        group.append((rid, shape, shape.make(fields, rid, 1), fields, None))
    assert group[0][1] is not group[1][1] and group[0][1] is group[2][1] and group[0][1].group == group[1][1].group
    keys, params = maker.params(group, NOW)
    assert keys == list(rows[0])
    with by_dicts.begin() as one, directly.begin() as other:
        insert_rows(one, table, rows)
        insert_processed(other, table, keys, params)
    assert _read(by_dicts, "person") == _read(directly, "person")
