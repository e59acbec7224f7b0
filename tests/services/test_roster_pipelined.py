"""A roster written with its bulk statements run by a writer thread (storage/pipelined_writes.py)
leaves exactly the database the plain write leaves: every row of every table, the change log with
its hashes, the audit chain's signed head. Both writes start from copies of one office's file, with
the same ids minted and the same clock, so even the hashes (which hold ids and times) must agree.
The roster has mistakes (held households), registered people (the ORM's updates between the bulk
statements) and is planned in small parts, so the writer runs across many parts and is waited for
by the job's own statements; the writer holds few rows at a time. And an error in the writer leaves
the database as it was. SQLite: PostgreSQL keeps the plain write (pipelined_writes.py says why)."""

from __future__ import annotations

import functools
import shutil
import sqlite3

import pytest
from roster_builders import write_mistaken_roster
from roster_writes import TODAY, dump_tables, office_with_known_family, same_ids_and_clock
from sqlalchemy.exc import IntegrityError

from fpdesk.services.opening import open_workspace
from fpdesk.services.rosters import import_plan, importing
from fpdesk.services.rosters.importing import import_roster
from fpdesk.storage import pipelined_writes


@pytest.fixture(scope="module")
def office_and_roster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pipelined")
    return office_with_known_family(folder), write_mistaken_roster(folder / "名册.xlsx", seed=31, count=900)


def _write(office, roster, target, *, checked: bool, pipelined: bool, monkeypatch) -> tuple[dict, list[bool]]:
    shutil.copy(office, target)
    threaded: list[bool] = []
    with monkeypatch.context() as patch:
        same_ids_and_clock(patch)
        # small parts and a small bound: the writer runs across many parts, and waits for room
        patch.setattr(importing, "plan_in_parts", functools.partial(import_plan.plan_in_parts, size=40))
        patch.setattr(pipelined_writes, "MAX_PENDING_ROWS", 150)
        original = importing.writer_thread

        def writer_thread(connection, **kwargs):
            made = original(connection, **kwargs)
            threaded.append(kwargs.get("enabled", True))
            return made

        patch.setattr(importing, "writer_thread", writer_thread)
        ws = open_workspace(str(target), author="tester")
        try:
            if checked:
                dry = import_roster(ws, roster, today=TODAY, year=2025, dry_run=True, keep_plan=True)
                result = import_roster(ws, roster, today=TODAY, year=2025, prepared=dry.prepared, pipelined=pipelined)
            else:
                result = import_roster(ws, roster, today=TODAY, year=2025, pipelined=pipelined)
            assert result.new > 400 and result.enrollments_new > 100 and result.updated and result.rejected
        finally:
            ws.close()
    return dump_tables(target, with_schema=True), threaded


@pytest.mark.parametrize("checked", [False, True], ids=["one shot", "after the check"])
def test_the_pipelined_write_leaves_the_rows_and_hashes_of_the_plain_one(office_and_roster, tmp_path, monkeypatch,
                                                                        checked):
    office, roster = office_and_roster
    plain, plain_threaded = _write(office, roster, tmp_path / "plain.sqlite3", checked=checked, pipelined=False,
                                   monkeypatch=monkeypatch)
    piped, piped_threaded = _write(office, roster, tmp_path / "piped.sqlite3", checked=checked, pipelined=True,
                                   monkeypatch=monkeypatch)
    assert plain_threaded == [False] and piped_threaded == [True]
    assert len(plain["change_log"]) > 1500 and len(plain["person"]) > 400
    assert piped.keys() == plain.keys()
    for table in plain:
        assert piped[table] == plain[table], table


def test_an_error_in_the_writer_leaves_the_database_as_it_was(office_and_roster, tmp_path):
    office, roster = office_and_roster
    target = tmp_path / "failing.sqlite3"
    shutil.copy(office, target)
    connection = sqlite3.connect(target)
    # the 200th insured person is refused: a statement the writer runs, after many it ran
    connection.execute("CREATE TRIGGER refuse_insured BEFORE INSERT ON insured_person "
                       "WHEN (SELECT count(*) FROM insured_person) >= 200 BEGIN SELECT RAISE(ABORT, 'refused'); END")
    connection.commit()
    connection.close()
    before = dump_tables(target, with_schema=True)
    ws = open_workspace(str(target), author="tester")
    try:
        with pytest.raises(IntegrityError, match="refused"):
            import_roster(ws, roster, today=TODAY, year=2025)
    finally:
        ws.close()
    assert dump_tables(target, with_schema=True) == before
