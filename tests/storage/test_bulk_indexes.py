"""Search indexes deferred during bulk jobs (storage/bulk_indexes): after the job the schema is as
it was, the trigram index agrees with the table (FTS5's own integrity check), and numbers changed
during the job are found by their new value; after a rollback nothing changed at all.

The sync import and the roster import defer only for large jobs; here the thresholds are lowered
so small real jobs take the same path.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import select

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import CheckedPerson, HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation, Sex
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.registry.register_many import register_households_bulk
from fpdesk.services.registry.search import search
from fpdesk.services.workspace import add_division
from fpdesk.storage import bulk_indexes
from fpdesk.storage.schema import Person
from tests.services.sync_helpers import TODAY, Offices, dump, register_family


def _schema(path: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name LIKE 'person%' "
                                  "ORDER BY type, name").fetchall()
    finally:
        connection.close()


def _full_text_agrees(path: str) -> None:
    connection = sqlite3.connect(path)
    try:  # raises "database disk image is malformed" when the index and the table disagree
        connection.execute("INSERT INTO person_number_fts(person_number_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        connection.close()


def _families(count: int, first: int = 0):
    for index in range(first, first + count):
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=index)
        head = CheckedPerson(f"批量{index}", make_number("350421", birth, 11), Sex.MALE, birth, Relation.HEAD,
                             f"137{index:08d}", None)
        yield HouseholdDraft(division_code="350421200201", address=f"{index}号"), [head]


@pytest.fixture
def township(workspace):
    assert workspace.db.is_sqlite
    return workspace


sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL keeps its indexes


@pytest.fixture
def lowered(monkeypatch):
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    monkeypatch.setattr(bulk_indexes, "SHARE_OF_TABLE", 0.0)


@sqlite_only
def test_a_bulk_registration_builds_the_indexes_again(township, lowered):
    workspace, sqlite_url = township, str(township.db.file_path)
    register_households_bulk(workspace, _families(3))
    before = _schema(sqlite_url)
    result = register_households_bulk(workspace, _families(40, first=3), expected_persons=40)
    assert result.persons == 40
    assert _schema(sqlite_url) == before
    _full_text_agrees(sqlite_url)
    assert [row.name for row in search(workspace, "13700000042")] == ["批量42"]
    assert [row.name for row in search(workspace, "批量1")][:1] == ["批量1"]


@sqlite_only
def test_a_failed_bulk_job_leaves_the_indexes_as_they_were(township, lowered):
    workspace, sqlite_url = township, str(township.db.file_path)
    register_households_bulk(workspace, _families(3))
    before = _schema(sqlite_url)
    bad = [*_families(5, first=3), (HouseholdDraft(division_code="999999999999"), [])]  # an unknown village
    with pytest.raises(Exception, match="unknown_division"):
        register_households_bulk(workspace, bad, expected_persons=5, batch_size=1000)
    assert _schema(sqlite_url) == before
    _full_text_agrees(sqlite_url)
    assert [row.name for row in search(workspace, "13700000001")] == ["批量1"]


def test_a_sync_import_with_deferred_indexes(tmp_path, lowered):
    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    add_division(township, code="350421200201", name="罗翠村", code_year=2024)
    old = register_family(township, "350421200201", "林国华", 1)
    offices.send(township, county)  # the county holds 林国华 before the big package
    for seq in range(2, 30):
        register_family(township, "350421200201", f"新户{seq}", seq)
    with township.read() as session:
        head = session.scalars(select(Person).where(Person.household_id == old.primary_id)).one()
    hh.update_person(township, head.id, PersonDraft("林国华", head.id_number, Relation.HEAD, phone="13955550000"),
                     today=TODAY)  # an old person's number changes
    location = str(tmp_path / "county.sqlite3")
    before_schema = _schema(location)
    before = dump(county)
    package = offices.export(township, county)
    from fpdesk.services.sync.importer import import_package

    assert import_package(county, package, dry_run=True).new == 56  # 28 households, 28 persons
    assert dump(county) == before  # the dry run's rollback restored the indexes it dropped
    report = import_package(county, package)
    assert (report.new, report.updated) == (56, 1)
    assert _schema(location) == before_schema
    _full_text_agrees(location)
    assert [row.name for row in search(county, "13955550000")] == ["林国华"]
    assert search(county, "13812345678") and len(search(county, "新户2")) >= 1
    offices.close()
    reopened = open_workspace(location)
    reopened.close()


@sqlite_only
def test_a_roster_import_with_deferred_indexes(township, lowered, tmp_path):
    from roster_builders import ZHANG, good_rows, write_roster

    from fpdesk.services.rosters.importing import import_roster

    sqlite_url = str(township.db.file_path)
    before = _schema(sqlite_url)
    first = import_roster(township, write_roster(tmp_path / "a.xlsx", good_rows()), year=2024, today=TODAY)
    rows = good_rows()
    rows[0][7] = "13912345678"  # 张三's new phone, an update inside the second job
    second = import_roster(township, write_roster(tmp_path / "b.xlsx", rows), year=2024, today=TODAY)
    assert (first.new, second.updated) == (5, 1)
    assert _schema(sqlite_url) == before
    _full_text_agrees(sqlite_url)
    assert [row.id_number for row in search(township, "13912345678")] == [ZHANG]


@sqlite_only
@pytest.mark.parametrize("checked_first", [False, True])
def test_a_roster_in_several_parts_defers_the_indexes_once(township, monkeypatch, tmp_path, checked_first):
    """The parts of one roster add their persons in one job: the indexes are dropped before the first
    part and built after the last, though no part alone adds enough persons to be worth it (the
    plain write's: with the writer thread they are kept up, test below)."""
    from contextlib import contextmanager
    from functools import partial

    from roster_builders import good_rows, write_roster

    from fpdesk.services.rosters import importing

    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 5)  # the whole roster's 5 persons, not one household's
    monkeypatch.setattr(bulk_indexes, "SHARE_OF_TABLE", 0.0)
    monkeypatch.setattr(importing, "plan_in_parts", partial(importing.plan_in_parts, size=1))
    deferred = []

    @contextmanager
    def watched(connection, table, *, incoming):
        with bulk_indexes.deferred_search_indexes(connection, table, incoming=incoming) as done:
            deferred.append(done)
            yield done

    monkeypatch.setattr(importing, "deferred_search_indexes", watched)
    sqlite_url = str(township.db.file_path)
    before = _schema(sqlite_url)
    roster = write_roster(tmp_path / "a.xlsx", good_rows())
    prepared = None
    if checked_first:
        prepared = importing.import_roster(township, roster, year=2024, today=TODAY, dry_run=True,
                                           keep_plan=True).prepared
        assert len(prepared.parts) > 1
    result = importing.import_roster(township, roster, year=2024, today=TODAY, prepared=prepared, pipelined=False)
    assert result.new == 5 and deferred == [True]
    assert _schema(sqlite_url) == before
    _full_text_agrees(sqlite_url)
    assert [row.name for row in search(township, good_rows()[0][5])] == [good_rows()[0][4]]


@sqlite_only
@pytest.mark.parametrize("one_shot", [False, True], ids=["checked first", "one shot"])
def test_a_checked_roster_defers_only_indexes_its_writing_never_reads(township, lowered, tmp_path, one_shot):
    """The enrollment, insured-person and change-log indexes are dropped while a checked roster is
    written and built again after; every statement the writing reads with would use none of them
    (SQLite's own plan, asked once the indexes are back), so deferring them changes no query. The
    one-shot import (the CLI's) defers them too once its planner has read what it judges by: every
    statement after the first index is dropped is checked the same way. (The plain write's: the
    writer thread keeps them up, test below.)"""
    from roster_builders import good_rows, write_roster
    from sqlalchemy import event

    from fpdesk.services.rosters.importing import import_roster

    location = str(township.db.file_path)
    deferred_names = {name for names in bulk_indexes.WRITE_ONLY_DURING_APPLY.values() for name in names}

    def schema() -> list[tuple]:
        connection = sqlite3.connect(location)
        try:
            return connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        finally:
            connection.close()

    import_roster(township, write_roster(tmp_path / "0.xlsx", good_rows()[:1]), year=2024, today=TODAY)
    before = schema()
    assert deferred_names <= {name for _kind, name, _sql in before}
    changed = good_rows()
    changed[0][7] = "13912345678"  # the second roster updates a person the first added
    reads, present, dropping = [], [], []

    def seen(_connection, cursor, statement, parameters, _context, executemany):
        dropping.extend([True] if statement.startswith("DROP INDEX") else [])
        if not executemany and statement.lstrip()[:6].upper() in ("SELECT", "UPDATE", "DELETE") and (
                dropping or not one_shot):
            reads.append((statement, parameters))
        if statement.startswith("INSERT INTO change_log") and len(present) < len(results) + 1:
            present.append({row[0] for row in cursor.connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'")})

    results = []
    for number, rows in enumerate((good_rows(), changed), 1):
        roster = write_roster(tmp_path / f"{number}.xlsx", rows)
        prepared = None if one_shot else import_roster(township, roster, year=2024, today=TODAY, dry_run=True,
                                                       keep_plan=True).prepared
        dropping.clear()
        event.listen(township.db.engine, "before_cursor_execute", seen)
        try:
            results.append(import_roster(township, roster, year=2024, today=TODAY, prepared=prepared,
                                         pipelined=False))
        finally:
            event.remove(township.db.engine, "before_cursor_execute", seen)
    assert (results[0].new, results[1].updated) == (4, 1) and reads
    assert not deferred_names & present[0]  # all dropped while the new households went in
    assert "ix_change_log_record_id" not in present[1]  # only the change log's: nobody enrolled
    assert schema() == before
    connection = sqlite3.connect(location)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for statement, parameters in reads:
            plan = " ".join(str(step[-1]) for step in connection.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                                         parameters))
            assert not [name for name in deferred_names if name in plan], statement
    finally:
        connection.close()


@sqlite_only
@pytest.mark.parametrize("one_shot", [False, True], ids=["checked first", "one shot"])
def test_a_roster_written_by_the_writer_thread_keeps_its_indexes(township, monkeypatch, tmp_path, one_shot):
    """With the writer thread (storage/pipelined_writes.py) the writing keeps every index up as it
    inserts, in the writer, while the job makes the next rows: building them after the last part
    would keep the job waiting. Nothing is dropped, though the roster is worth deferring for."""
    from roster_builders import good_rows, write_roster
    from sqlalchemy import event

    from fpdesk.services.rosters.importing import import_roster

    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    monkeypatch.setattr(bulk_indexes, "SHARE_OF_TABLE", 0.0)
    sqlite_url = str(township.db.file_path)
    before = _schema(sqlite_url)
    roster = write_roster(tmp_path / "a.xlsx", good_rows())
    prepared = None if one_shot else import_roster(township, roster, year=2024, today=TODAY, dry_run=True,
                                                   keep_plan=True).prepared
    dropped = []

    def seen(_connection, _cursor, statement, *_args):
        dropped.extend([statement] if statement.startswith("DROP") else [])

    event.listen(township.db.engine, "before_cursor_execute", seen)
    try:
        result = import_roster(township, roster, year=2024, today=TODAY, prepared=prepared)
    finally:
        event.remove(township.db.engine, "before_cursor_execute", seen)
    assert result.new == 5 and dropped == []
    assert _schema(sqlite_url) == before
    _full_text_agrees(sqlite_url)
    assert [row.name for row in search(township, good_rows()[0][5])] == [good_rows()[0][4]]
