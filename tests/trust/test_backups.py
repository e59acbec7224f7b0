"""Backups and restore on real SQLite files; bad database files refused clearly."""

import sqlite3

import pytest
from sqlalchemy import func, select

from fpdesk.core.errors import DomainError
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.trust import backups
from fpdesk.services.workspace import add_division, init_office
from fpdesk.storage.database import open_database
from fpdesk.storage.schema import Person


@pytest.fixture
def township(sqlite_url):
    ws = open_workspace(sqlite_url)
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    yield ws
    ws.close()


def register(ws, id_number="350421198001010017", name="林国华"):
    hh.register_household(ws, HouseholdDraft(division_code="350421200201"),
                          [PersonDraft(name, id_number, Relation.HEAD)])


def persons(location):
    db = open_database(location)
    try:
        with db.read() as session:
            return session.scalar(select(func.count()).select_from(Person))
    finally:
        db.close()


def test_backup_then_restore_brings_the_old_state_back_and_keeps_the_current_aside(township, sqlite_url, tmp_path):
    register(township)
    result = backups.backup(township, tmp_path / "copy.sqlite3")
    assert result.path.exists() and result.bytes > 0
    register(township, "350421198203150026", "陈秀英")
    township.close()
    assert persons(sqlite_url) == 2
    restored = backups.restore(sqlite_url, tmp_path / "copy.sqlite3")
    assert persons(sqlite_url) == 1
    assert restored.kept_aside is not None and persons(str(restored.kept_aside)) == 2


def test_restore_refuses_a_damaged_backup_and_changes_nothing(township, sqlite_url, tmp_path):
    register(township)
    good = backups.backup(township, tmp_path / "copy.sqlite3").path
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 10)
    township.close()
    for bad, code in ((truncated, "db_damaged"), (junk, "not_a_database"),
                      (tmp_path / "missing.sqlite3", "backup_not_found")):
        with pytest.raises(DomainError) as caught:
            backups.restore(sqlite_url, bad)
        assert caught.value.code == code
    assert persons(sqlite_url) == 1
    assert not list(tmp_path.glob("*before-restore*"))


def test_restore_refuses_a_backup_from_a_newer_fpdesk(township, sqlite_url, tmp_path):
    newer = backups.backup(township, tmp_path / "newer.sqlite3").path
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    with pytest.raises(DomainError) as caught:
        backups.restore(sqlite_url, newer)
    assert caught.value.code == "db_newer_schema"


def test_a_damaged_current_file_is_moved_aside_and_replaced(township, sqlite_url, tmp_path):
    register(township)
    good = backups.backup(township, tmp_path / "copy.sqlite3").path
    township.close()
    live = tmp_path / "fpdesk.sqlite3"
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"fpdesk.sqlite3{suffix}").unlink(missing_ok=True)
    live.write_bytes(b"garbage" * 1000)
    with pytest.raises(DomainError) as caught:
        open_workspace(sqlite_url)
    assert caught.value.code == "not_a_database"
    result = backups.restore(sqlite_url, good)
    assert persons(sqlite_url) == 1 and result.kept_aside.read_bytes().startswith(b"garbage")


def test_automatic_backups_rotate_per_reason_in_the_chosen_folder(township, tmp_path):
    folder = backups.set_backup_folder(township, tmp_path / "usb")
    for _ in range(backups.KEEP["before-bulk"] + 3):
        assert backups.automatic_backup(township, "before-bulk") is not None
    assert len(list(folder.glob("*.before-bulk.*.sqlite3"))) == backups.KEEP["before-bulk"]
    assert backups.daily_backup_if_due(township) is not None
    assert backups.daily_backup_if_due(township) is None  # one a day
    assert all(sqlite3.connect(p).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
               for p in backups.list_backups(township))


def test_a_roster_import_makes_a_backup_first_but_a_dry_run_does_not(township, tmp_path):
    import datetime as dt

    from roster_builders import good_rows, write_roster

    from fpdesk.services.rosters.importing import import_roster

    add_division(township, code="350421200202", name="城东村", code_year=2024)
    path = write_roster(tmp_path / "名册.xlsx", good_rows())
    import_roster(township, path, year=2024, today=dt.date(2026, 1, 5), dry_run=True)
    folder = backups.backup_folder(township)
    assert not list(folder.glob("*.before-import.*"))
    import_roster(township, path, year=2024, today=dt.date(2026, 1, 5))
    (copy,) = folder.glob("*.before-import.*")
    assert persons(str(copy)) == 0  # the state before the import
