"""The set-based import (services/sync/newrecords.py) and the per-entry import give the same database:
every row of every table, the change log's hashes and the chain head, on the golden packages and on
a generated county, on both engines. The receiver is imported one way, dumped, put back exactly as
it was, imported the other way and dumped again; the clock is held still so that the times this
office stamps (creation times, its own log entries) are the same in both."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import sqlite3
import types
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import delete, insert, select, text

from fpdesk.core import sync_package as fmt
from fpdesk.services.demo.database import load_demo
from fpdesk.services.opening import open_workspace
from fpdesk.services.sync.identity import join_by_invitation
from fpdesk.services.sync.importer import import_package
from fpdesk.storage import bulk_indexes, schema
from fpdesk.storage.schema import Base
from tests.data.sync.make_golden import seeded_keys
from tests.services.sync_helpers import Offices, register_family

GOLDEN = Path(__file__).parents[1] / "data" / "sync"
VERSIONS = sorted(p for p in GOLDEN.iterdir() if (p / "golden.json").exists())


class _Still(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return dt.datetime(2026, 11, 22, 8, 30, 0, 123456, tzinfo=tz)


_STILL = types.SimpleNamespace(datetime=_Still, date=dt.date, timedelta=dt.timedelta, UTC=dt.UTC)


def _rows(engine) -> dict[str, list[str]]:
    """Every table's rows; on SQLite as stored (an id's text, a date's text), not as the types read them."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return {table.name: sorted(repr(tuple(row)) for row in connection.exec_driver_sql(
                f"SELECT * FROM {table.name}")) for table in Base.metadata.sorted_tables}
        return {table.name: sorted(repr(tuple(row)) for row in connection.execute(table.select()))
                for table in Base.metadata.sorted_tables}


def _sequences(connection) -> dict[str, tuple]:
    """PostgreSQL's sequences behind the tables' serial columns: (last value, called)."""
    found = {}
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": table.name, "c": column.name}).scalar()
            if sequence:
                found[sequence] = tuple(connection.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one())
    return found


def _put_back(workspace, rows: dict[str, list], sequences: dict[str, tuple]) -> None:
    """The receiver as it was before the first import (PostgreSQL): every table emptied and filled
    again, and the sequences set back where they stood."""
    with workspace.db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
        for table in Base.metadata.sorted_tables:
            if rows[table.name]:
                connection.execute(insert(table), rows[table.name])
        for sequence, (last, called) in sequences.items():
            connection.execute(text("SELECT setval(:s, :v, :c)"), {"s": sequence, "v": last, "c": called})


def _both_ways(receiver_url: str, package: Path, tmp_path: Path) -> tuple[dict, dict, list]:
    """(rows after the per-entry import, rows after the set-based import, the two reports)."""
    reports = []
    dumps = []
    sqlite = not receiver_url.startswith("postgresql")
    if sqlite:
        shutil.copy(receiver_url, tmp_path / "before.sqlite3")
    else:
        workspace = open_workspace(receiver_url)
        with workspace.db.engine.connect() as connection:
            before = {table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                      for table in Base.metadata.sorted_tables}
            sequences = _sequences(connection)
        workspace.close()
    for set_based in (False, True):
        if set_based:
            if sqlite:
                shutil.copy(tmp_path / "before.sqlite3", receiver_url)
            else:
                workspace = open_workspace(receiver_url)
                _put_back(workspace, before, sequences)
                workspace.close()
        workspace = open_workspace(receiver_url)
        try:
            with mock.patch.object(schema, "dt", _STILL):
                preview = import_package(workspace, package, dry_run=True, set_based=set_based)
                if not sqlite:  # a sequence does not roll back: the dry run's numbers are given back
                    with workspace.db.engine.begin() as connection:
                        for sequence, (last, called) in sequences.items():
                            connection.execute(text("SELECT setval(:s, :v, :c)"), {"s": sequence, "v": last, "c": called})
                report = import_package(workspace, package, set_based=set_based)
            reports.append((preview.as_dict(), report.as_dict(), preview.counted_by_joins))
            dumps.append(_rows(workspace.db.engine))
        finally:
            workspace.close()
    return dumps[0], dumps[1], reports


def _assert_same(per_entry: dict, set_based: dict) -> None:
    for name in per_entry:
        if per_entry[name] != set_based[name]:
            ours, theirs = set(per_entry[name]), set(set_based[name])
            pytest.fail(f"table {name} differs: only per entry {sorted(ours - theirs)[:2]}, "
                        f"only set-based {sorted(theirs - ours)[:2]}")
    assert per_entry["change_log"], "nothing was logged"


@pytest.mark.parametrize("folder", VERSIONS, ids=[p.name for p in VERSIONS])
def test_golden_package_the_same_both_ways(folder, db_url, tmp_path):
    golden = json.loads((folder / "golden.json").read_text(encoding="utf-8"))
    workspace = open_workspace(db_url)
    with mock.patch("fpdesk.services.workspace.new_device_id", lambda: golden["device_id"]), \
            mock.patch.object(fmt, "new_device_keys", lambda: seeded_keys(golden["keys_seed"])):
        join_by_invitation(workspace, folder / golden["invitation"], golden["pairing_code"])
    workspace.close()
    per_entry, set_based, reports = _both_ways(db_url, folder / golden["package"], tmp_path)
    _assert_same(per_entry, set_based)
    assert reports[0][:2] == reports[1][:2]
    assert reports[1][1] == golden["expected"]


@pytest.fixture
def county_package(db_url, tmp_path):
    """A township's generated households (a few hundred persons over its villages) in one package to
    a county that already holds a person under one of the ID numbers (a suspected duplicate)."""
    offices = Offices(tmp_path / "offices")
    county, township = offices.county_and_township(db_url)
    offices.send(township, county)
    register_family(county, "350421200201", "林秀英", 4242)  # the township registers her too
    load_demo(township, scale="township", persons=400, seed=7)
    register_family(township, "350421200201", "林秀英", 4242)
    package = offices.export(township, county)
    url = str(county.db.file_path) if county.db.file_path is not None else db_url
    offices.close()
    return url, package


def test_generated_county_the_same_both_ways(county_package, tmp_path):
    url, package = county_package
    per_entry, set_based, reports = _both_ways(url, package, tmp_path)
    _assert_same(per_entry, set_based)
    assert reports[0][:2] == reports[1][:2]
    (preview, report, counted) = reports[1]
    assert report["new"] > 500 and report["duplicates"] == 1 and preview == report
    assert counted and not reports[0][2]  # the set-based dry run counted by the joins


def _writer_threads(monkeypatch) -> list[bool]:
    """Whether each writer thread of newbatch.feed_pipelined ran (on a machine of two cores or more:
    this one is taken for one)."""
    from fpdesk.services.sync import newbatch
    from fpdesk.storage import pipelined_writes

    monkeypatch.setattr(pipelined_writes.os, "cpu_count", lambda: 2)
    original, ran = newbatch.writer_thread, []

    @contextlib.contextmanager
    def writer_thread(connection, **kwargs):
        with original(connection, **kwargs) as running:
            ran.append(running)
            yield running

    monkeypatch.setattr(newbatch, "writer_thread", writer_thread)
    return ran


def test_generated_county_the_same_both_ways_in_small_batches(county_package, tmp_path, monkeypatch):
    """In batches of 50 most batches hold only new records, the suspected duplicate's among them:
    those go through services/sync/newbatch.py (the batch of 2,000 above never does), their bulk
    statements run by a writer thread on SQLite (newbatch.feed_pipelined)."""
    from fpdesk.services.sync import apply, importer, newbatch
    url, package = county_package
    threaded = _writer_threads(monkeypatch)
    found = []  # the suspicions each batch of new records queued
    flush_new = newbatch.flush_new

    def counting(applier, batch):
        before = applier.counts.duplicates
        flush_new(applier, batch)
        found.append(applier.counts.duplicates - before)

    # and the change log's record index deferred, as for a county's package (SQLite)
    with mock.patch.object(apply, "BATCH", 50), mock.patch.object(importer, "BATCH", 50), \
            mock.patch.object(newbatch, "flush_new", counting), mock.patch.object(bulk_indexes, "MIN_ROWS", 1), \
            mock.patch.object(bulk_indexes, "_drop", wraps=bulk_indexes._drop) as dropped, \
            mock.patch.object(newbatch, "insert_processed", wraps=newbatch.insert_processed) as made_directly:
        per_entry, set_based, reports = _both_ways(url, package, tmp_path)
    _assert_same(per_entry, set_based)
    # on SQLite the rows of those batches were made straight from the logged values (newrows.py)
    assert {call.args[1].name for call in made_directly.call_args_list} == (
        set() if url.startswith("postgresql") else {"household", "household_category", "person"})
    assert reports[0][:2] == reports[1][:2] and reports[1][1]["duplicates"] == 1
    assert len(found) > 5 and sum(found) == 1  # the import's batches of new records found the duplicate
    assert threaded == ([] if url.startswith("postgresql") else [True])  # the set-based import's alone
    deferred = [call.args[1] for call in dropped.call_args_list if "ix_change_log_record_id" in call.args[1]]
    if url.startswith("postgresql"):
        assert not deferred
    else:
        assert len(deferred) == 1  # the set-based import's, not the per-entry one's nor a dry run's
        connection = sqlite3.connect(url)
        try:  # and built again
            assert connection.execute("SELECT sql FROM sqlite_master WHERE name = 'ix_change_log_record_id'").fetchone()
        finally:
            connection.close()


def test_a_row_refused_under_the_writer_thread_is_refused_as_without_it(county_package, tmp_path, monkeypatch):
    """A row the database refuses in a statement the writer thread runs stops the writer: the set-based
    import rolls its feed back and feeds the package again without the writer, which refuses that
    row alone, as the per-entry import does (the same rows, log and notes)."""
    from fpdesk.services.sync import apply, importer
    url, package = county_package
    if url.startswith("postgresql"):
        pytest.skip("SQLite: PostgreSQL keeps the plain write")
    connection = sqlite3.connect(url)
    connection.execute("CREATE TRIGGER refuse_her BEFORE INSERT ON person WHEN NEW.name = '林秀英' "
                       "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    connection.commit()
    connection.close()
    threaded = _writer_threads(monkeypatch)
    appliers, made = [], apply.Applier.__init__

    def making(self, *args, **kwargs):
        appliers.append(self)
        made(self, *args, **kwargs)

    monkeypatch.setattr(apply.Applier, "__init__", making)
    with mock.patch.object(apply, "BATCH", 50), mock.patch.object(importer, "BATCH", 50), \
            mock.patch.object(bulk_indexes, "MIN_ROWS", 1):
        per_entry, set_based, reports = _both_ways(url, package, tmp_path)
    _assert_same(per_entry, set_based)
    assert reports[0][1] == reports[1][1] and reports[1][1]["new"] > 500
    assert threaded == [True]
    assert len(appliers) == 5  # two dry runs, two imports, and the set-based import's second feed
    with sqlite3.connect(url) as connection:
        notes = json.loads(connection.execute("SELECT report FROM sync_package ORDER BY channel_seq DESC").fetchone()[0])
    assert any("重复，未导入" in note for note in notes["notes"])  # she was refused, and said so


def test_dry_run_counts_suspicions_without_writing(db_url, tmp_path):
    """A package of new records whose persons share keys with the county's (an ID number; a name and
    birth date under heads of the same name, and under a head of another name): the dry run counts
    by the joins, writes no household or person, and says what the per-entry import then does."""
    from fpdesk.core.people import PersonDraft
    from fpdesk.core.vocabulary import Relation, Sex
    from fpdesk.services.sync import apply, dryrun, duplicates

    offices = Offices(tmp_path / "offices")
    county, township = offices.county_and_township(db_url)
    offices.send(township, county)
    wife = [PersonDraft("李娜", None, Relation.SPOUSE, sex=Sex.FEMALE, birth_date=dt.date(1985, 3, 4))]
    register_family(county, "350421200201", "林秀英", 4242)
    register_family(county, "350421200201", "张伟", 100, extra=wife)
    load_demo(township, scale="township", persons=60, seed=3)
    register_family(township, "350421200201", "林秀英", 4242)  # the same ID number
    register_family(township, "350421200201", "张伟", 200, extra=wife)  # likely: heads of the same name
    register_family(township, "350421200201", "王强", 300, extra=wife)  # not likely: another head's name
    package = offices.export(township, county)
    with mock.patch.object(dryrun, "count", wraps=dryrun.count) as counted, \
            mock.patch.object(apply, "insert_rows", wraps=apply.insert_rows) as inserted, \
            mock.patch.object(duplicates, "check_persons", wraps=duplicates.check_persons) as checked:
        preview = import_package(county, package, dry_run=True, set_based=True)
    assert counted.called and not checked.called
    # only the reference records (the demo's villages) go through the applier, and are rolled back
    assert {call.args[1].name for call in inserted.call_args_list} == {"division"}
    report = import_package(county, package, set_based=False)
    offices.close()
    assert preview.as_dict() == report.as_dict()
    assert report.duplicates == 2 and report.new > 60


def test_dry_run_says_what_the_import_does_with_updates_conflicts_and_duplicates(db_url, tmp_path):
    """A township's second package to its county: new families, an update, an edit the county made
    too (a conflict) and a person the county holds under the same ID number. Both dry runs (by the
    joins and per entry) write nothing and count exactly what the import then does."""
    from fpdesk.core.people import PersonDraft
    from fpdesk.core.vocabulary import Relation
    from fpdesk.services.registry import households as hh
    from fpdesk.storage.schema import Person
    from tests.services.sync_helpers import dump

    offices = Offices(tmp_path / "offices")
    county, township = offices.county_and_township(db_url)
    load_demo(township, scale="township", persons=120, seed=5)
    edited = register_family(township, "350421200201", "林国华", 7).primary_id
    moved = register_family(township, "350421200201", "陈秀英", 8).primary_id
    offices.send(township, county)
    with township.read() as session:
        head = session.scalars(select(Person).where(Person.household_id == edited)).one()
    for office, phone in ((township, "13900001111"), (county, "13900002222")):  # a conflict
        hh.update_person(office, head.id, PersonDraft(head.name, head.id_number, Relation.HEAD, phone=phone))
    hh.update_household(township, moved, address="罗翠村5组8号")  # an update
    register_family(county, "350421200201", "赵丽", 300)
    register_family(township, "350421200201", "赵丽", 300, address="2组")  # the same ID number
    for index in range(5):
        register_family(township, "350421200201", f"王{index}", 400 + index)
    package = offices.export(township, county)
    before = dump(county)
    previews = [import_package(county, package, dry_run=True, set_based=set_based) for set_based in (True, False)]
    assert dump(county) == before
    report = import_package(county, package, set_based=False)
    offices.close()
    assert previews[0].as_dict() == previews[1].as_dict() == report.as_dict()
    assert report.conflicts == 1 and report.updated >= 1 and report.duplicates == 1 and report.new >= 6


@pytest.mark.parametrize("number", ["18446744073709551616", "-9223372036854775809", "123456789012345678901234567890",
                                    "18446744073709551615", "-9223372036854775808", "350421196501010014", "1.5"])
def test_a_change_line_reads_the_same_numbers_both_ways(number):
    """The set-based path reads a line with orjson, the per-entry path with json: an integer beyond 64
    bits (which orjson turns into a float) must come out exact, as json reads it."""
    from fpdesk.core import sync_package as fmt
    from fpdesk.services.sync.package_lines import parse

    line = fmt.entry_line(7, "person", "01a24d52833b700186e5e6c84cc6281f", 1, "update",
                          {"note": "x"}, None, "clerk", "2026-12-06T10:00:00").replace(b'"x"', number.encode())
    fast, reference = parse(line), fmt.entry_of(line)
    assert fast == reference
    assert type(fast[5]["note"]) is type(reference[5]["note"])  # 1 == 1.0: the type is the point


@pytest.mark.parametrize("bulk", [False, True])
def test_an_import_of_persons_by_the_ten_thousand_sorts_the_package_out_by_joins(county_package, bulk):
    """Without being asked, an import takes the joins when the package brings enough persons for their
    search indexes to be deferred (SQLite; here a few hundred count as enough), and only then."""
    from fpdesk.services.sync import newrecords
    url, package = county_package
    workspace = open_workspace(url)
    try:
        with mock.patch.object(bulk_indexes, "MIN_ROWS", 1 if bulk else bulk_indexes.MIN_ROWS), \
                mock.patch.object(newrecords, "plan", wraps=newrecords.plan) as planned:
            report = import_package(workspace, package)
    finally:
        workspace.close()
    assert report.new > 500 and report.duplicates == 1
    assert planned.called == (bulk and not url.startswith("postgresql"))
