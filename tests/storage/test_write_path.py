"""One write path (storage/write_path.py): every mapped table is declared logged or local, and an
ordinary write of a logged table, made the way a service writes, leaves a change-log entry.

Rows are made generically from the mapping (a value of each column's type, parents made first for
foreign keys), so a table added to the schema is walked without changing this test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
    insert,
    select,
    update,
)

from fpdesk.core.ids import new_id
from fpdesk.storage.bulk_insert import insert_rows
from fpdesk.storage.schema import Base, ChangeEntry, Household, HouseholdCategoryLink, Person
from fpdesk.storage.write_path import BOOKKEEPING, LOCAL, LOGGED, LOGGED_AS_FIELD, UnloggedWrite, record_id

_counter = itertools.count(1)


def _value(column):
    kind = column.type
    number = next(_counter)
    if isinstance(kind, Uuid):
        return new_id()
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return number
    if isinstance(kind, DateTime):
        return dt.datetime(2026, 3, 1, 8, 0, number % 60)
    if isinstance(kind, Date):
        return dt.date(2026, 3, 1) + dt.timedelta(days=number % 300)
    if isinstance(kind, LargeBinary):
        return number.to_bytes(32, "big")
    if isinstance(kind, JSON):
        return {"n": number}
    if isinstance(kind, String | Text):
        text = f"v{number}"
        return text[-kind.length:] if isinstance(kind, String) and kind.length else text
    raise AssertionError(f"no test value for {column.table.name}.{column.name} ({kind})")


def _make(session, table_name: str):
    """A row of ``table_name`` (its parents added first), added to the session the ordinary way."""
    table = Base.metadata.tables[table_name]
    mapper = next(m for m in Base.registry.mappers if m.local_table is table)
    values = {}
    for column in table.c:
        if column.autoincrement is True and column.primary_key and isinstance(column.type, Integer):
            continue
        parent = next(iter(column.foreign_keys), None)
        if parent is not None:
            values[column.key] = _make(session, parent.column.table.name).id
        else:
            values[column.key] = _value(column)
    row = mapper.class_(**values)
    session.add(row)
    session.flush()
    return row


def _changeable(table_name: str):
    table = Base.metadata.tables[table_name]
    skip = BOOKKEEPING | LOGGED[table_name]
    return next(c for c in table.c if c.name not in skip and not c.primary_key and not c.foreign_keys)


def _entries(workspace, entity: str, rid: uuid.UUID) -> list[tuple[str, dict]]:
    with workspace.read() as session:
        return [(e.operation, e.fields) for e in session.scalars(
            select(ChangeEntry).where(ChangeEntry.entity == entity, ChangeEntry.record_id == rid)
            .order_by(ChangeEntry.local_seq))]


def test_every_mapped_table_is_declared_once():
    mapped = set(Base.metadata.tables)
    declared = [set(LOGGED), set(LOGGED_AS_FIELD), set(LOCAL)]
    assert set().union(*declared) == mapped, "declare each table in storage/write_path.py"
    assert sum(len(d) for d in declared) == len(mapped), "a table is declared twice"
    for name in LOGGED:
        assert name == "setting" or [c.name for c in Base.metadata.tables[name].primary_key] == ["id"]
        assert LOGGED[name] <= set(Base.metadata.tables[name].c.keys())
    assert all(reason.strip() for reason in LOCAL.values())


@pytest.mark.parametrize("table_name", sorted(LOGGED))
def test_an_ordinary_write_of_every_logged_table_is_logged(workspace, table_name):
    with workspace.write() as ctx:
        row = _make(ctx.session, table_name)
        rid = record_id(table_name, row)
    assert [op for op, _ in _entries(workspace, table_name, rid)] == ["insert"], "an add() left no entry"
    column = _changeable(table_name)
    new_value = _value(column)
    with workspace.write() as ctx:
        found = ctx.session.get(type(row), row.key if table_name == "setting" else row.id)
        before = getattr(found, "revision", None)
        setattr(found, column.key, new_value)
    operations = _entries(workspace, table_name, rid)
    assert [op for op, _ in operations] == ["insert", "update"], "an attribute change left no entry"
    assert column.key in operations[-1][1]
    if before is not None:  # counted up as services.records.apply_changes does
        with workspace.read() as session:
            assert session.get(type(row), row.id).revision == before + 1
    with workspace.write() as ctx:
        ctx.session.delete(ctx.session.get(type(row), row.key if table_name == "setting" else row.id))
    assert [op for op, _ in _entries(workspace, table_name, rid)] == ["insert", "update", "delete"], \
        "a delete() left no entry"


def test_a_recorded_write_is_not_logged_twice(workspace):
    with workspace.write() as ctx:
        row = _make(ctx.session, "division")
        ctx.recorder.record("division", row.id, "insert", {"code": row.code, "custom": True}, 1)
    assert _entries(workspace, "division", row.id) == [("insert", {"code": row.code, "custom": True})]


def test_core_writes_of_logged_tables_are_refused_unless_marked(workspace):
    with workspace.write() as ctx:
        household = _make(ctx.session, "household")
    statements = [
        lambda ctx: ctx.session.execute(update(Household).where(Household.id == household.id).values(note="x")),
        lambda ctx: ctx.session.execute(insert(HouseholdCategoryLink), [{"household_id": household.id,
                                                                          "category": "hardship"}]),
        lambda ctx: ctx.session.connection().execute(update(Household.__table__).values(note="y")),
        lambda ctx: insert_rows(ctx.session.connection(), Person.__table__, [_person(household.id)]),
        lambda ctx: ctx.session.connection().exec_driver_sql("UPDATE household SET note = 'z'"),
    ]
    for write in statements:
        with pytest.raises(UnloggedWrite), workspace.write() as ctx:
            write(ctx)
    with workspace.write() as ctx:  # the bulk paths record their entries and say so
        ctx.session.execute(update(Household).where(Household.id == household.id).values(note="x")
                            .execution_options(fpdesk_logged=True))
        insert_rows(ctx.session.connection(), Person.__table__, [_person(household.id)], logged=True)
    with workspace.read() as session:
        assert session.get(Household, household.id).note == "x"


def test_category_links_need_their_household_logged(workspace):
    with workspace.write() as ctx:
        household = _make(ctx.session, "household")
    with pytest.raises(UnloggedWrite), workspace.write() as ctx:
        ctx.session.add(HouseholdCategoryLink(household_id=household.id, category="hardship"))


def _person(household_id: uuid.UUID) -> dict:
    return {"id": new_id(), "household_id": household_id, "name": "甲", "name_initials": "j", "name_pinyin": "jia",
            "id_number": None, "sex": "female", "birth_date": dt.date(1990, 1, 1), "relation": "head",
            "revision": 1}
