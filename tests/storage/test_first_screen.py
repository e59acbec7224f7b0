"""The window's first screen read with sqlite3 (storage/first_screen.py) is what the services read
through SQLAlchemy from the same file; any case but the plain one is left to them (None)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pytest

from fpdesk.services.demo.database import load_demo
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry.search import load_person_rows, person_id_page
from fpdesk.services.sync.status import last_exchanged
from fpdesk.services.workspace import list_divisions, local_office
from fpdesk.storage.first_screen import read_first_screen
from fpdesk.storage.schema import Person
from fpdesk.storage.schema_sync import SyncPeer


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    """The demo village (600 people, some deceased or moved out) with two exchange partners."""
    path = tmp_path_factory.mktemp("first") / "village.sqlite3"
    workspace = open_workspace(str(path))
    load_demo(workspace, scale="village", seed=2)
    with workspace.db.transaction() as session:
        session.add(SyncPeer(office_code="350421", relation="parent", acknowledged={},
                             last_exported_at=dt.datetime(2026, 3, 5, 9, 7, 41, 123456),
                             last_imported_at=dt.datetime(2026, 3, 6, 17, 2, 0)))
        session.add(SyncPeer(office_code="350421200001", relation="child", acknowledged={},
                             last_exported_at=dt.datetime(2026, 1, 2, 8, 0, 59, 999999)))
        session.add(SyncPeer(office_code="350421200002", relation="child", acknowledged={}))
    workspace.close()
    with sqlite3.connect(path) as connection:  # deceased and moved-out people, between the living by name
        connection.execute("UPDATE person SET status = 'deceased' WHERE rowid % 7 = 0")
        connection.execute("UPDATE person SET status = 'moved_out' WHERE rowid % 11 = 0")
    connection.close()
    return path


def test_the_first_screen_is_what_the_services_read(village):
    first = read_first_screen(str(village), page_size=200, rows_for=100)
    workspace = open_workspace(str(village))
    try:
        with workspace.read() as session:
            alive = session.query(Person).filter(Person.status == "alive").count()
            assert session.query(Person).count() > alive > 200  # the status filter and a next page matter
        assert first.page == person_id_page(workspace, limit=200, include_inactive=False, enrolled=None,
                                            year=2026, division_prefix=None, category=None)
        assert first.page[1] is not None
        ids = first.page[0]
        assert first.rows == load_person_rows(workspace, ids[:100]) and len(first.rows) == 100
        assert first.divisions == list_divisions(workspace)
        office = local_office(workspace.db)
        assert (first.office.code, first.office.level, first.office.name, first.office.device_id) == (
            office.code, office.level, office.name, office.device_id)
        assert first.exchanges == [(p.office_code, p.last) for p in last_exchanged(workspace)]
        assert first.exchanges == [("350421", "2026-03-06 17:02"), ("350421200001", "2026-01-02 08:00"),
                                   ("350421200002", None)]
        assert first.path == workspace.db.file_path and str(first.path) == workspace.db.display_name
    finally:
        workspace.close()


def test_a_short_list_has_no_next_page(village):
    first = read_first_screen(str(village), page_size=1000, rows_for=100)
    assert first.page[1] is None and 200 < len(first.page[0]) < 1000


def test_only_the_plain_case_is_read(tmp_path, village):
    assert read_first_screen(str(tmp_path / "none.sqlite3"), page_size=200, rows_for=100) is None
    assert not (tmp_path / "none.sqlite3").exists()  # never created: opening it the usual way does
    assert read_first_screen("postgresql+psycopg://fpdesk@localhost/x", page_size=200, rows_for=100) is None
    (tmp_path / "empty.sqlite3").write_bytes(b"")  # SQLite makes it a database: the usual open does
    assert read_first_screen(str(tmp_path / "empty.sqlite3"), page_size=200, rows_for=100) is None
    assert read_first_screen(str(tmp_path), page_size=200, rows_for=100) is None  # a folder
    (tmp_path / "other.sqlite3").write_bytes(b"\x8f" * 4096)  # an encrypted file has no SQLite header
    assert read_first_screen(str(tmp_path / "other.sqlite3"), page_size=200, rows_for=100) is None

    new = open_workspace(str(tmp_path / "new.sqlite3"))  # migrated, no office set up yet
    new.close()
    assert read_first_screen(str(tmp_path / "new.sqlite3"), page_size=200, rows_for=100) is None


@pytest.mark.parametrize("change", ["older revision", "newer revision", "accounts", "encryption cut short", "keyring",
                                    "unexpected value"])
def test_a_file_that_needs_more_than_reading_is_left_to_the_usual_open(tmp_path, village, change):
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(village) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    target.close()
    assert read_first_screen(str(copy), page_size=200, rows_for=100) is not None
    if change == "encryption cut short":
        copy.with_name(copy.name + ".keys.pending").write_text("{}")
    elif change == "keyring":
        copy.with_name(copy.name + ".keys").write_text("{}")
    else:
        with sqlite3.connect(copy) as connection:
            if change == "unexpected value":  # read before any error handling: it must not end the start
                connection.execute("UPDATE sync_peer SET last_exported_at = 5")
            elif change in ("older revision", "newer revision"):
                version = "0009" if change == "older revision" else "9999"
                connection.execute("UPDATE alembic_version SET version_num = ?", (version,))
            else:
                columns = [row[1] for row in connection.execute("PRAGMA table_info(user_account)")]
                connection.execute(f"INSERT INTO user_account ({', '.join(columns)}) VALUES "
                                   f"({', '.join('1' for _ in columns)})")
        connection.close()
    assert read_first_screen(str(copy), page_size=200, rows_for=100) is None


def copy_of(village, path):
    with sqlite3.connect(village) as source, sqlite3.connect(path) as target:
        source.backup(target)
    target.close()
    return path


def test_the_read_writes_nothing_not_even_the_checkpoint_of_a_wal_left_by_a_crash(tmp_path, village):
    """A database copied with its write-ahead log (as a power cut leaves it): the read sees what the
    log holds, and the file is the same bytes after it. A connection that may write checkpoints the
    log into the file when it is the last to close."""
    live = copy_of(village, tmp_path / "live.sqlite3")
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE office SET name = '日志里的乡镇' WHERE is_local IS 1")
    crashed = tmp_path / "crashed.sqlite3"
    crashed.write_bytes(live.read_bytes())
    crashed.with_name(crashed.name + "-wal").write_bytes(live.with_name(live.name + "-wal").read_bytes())
    writer.close()
    before = crashed.read_bytes()
    first = read_first_screen(str(crashed), page_size=200, rows_for=100)
    assert first is not None and first.office.name == "日志里的乡镇"
    assert crashed.read_bytes() == before
    assert crashed.with_name(crashed.name + "-wal").stat().st_size > 0  # still there, for the usual open


def test_a_database_held_locked_is_not_waited_for(tmp_path, village):
    """Another program holding the file locked: the usual open waits for it and says so; this read
    gives up at once rather than add its own wait to the start."""
    locked = copy_of(village, tmp_path / "locked.sqlite3")
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE office SET name = name")
    holder.execute("COMMIT")  # an exclusive-mode connection keeps its lock after its first write
    try:
        started = time.perf_counter()
        assert read_first_screen(str(locked), page_size=200, rows_for=100) is None
        assert time.perf_counter() - started < 2.0  # (the usual open's busy_timeout is 5 s)
    finally:
        holder.close()
    assert read_first_screen(str(locked), page_size=200, rows_for=100) is not None


def test_a_path_with_chinese_spaces_and_uri_characters_is_read(tmp_path, village):
    """The read opens the file by URI (for mode=ro): a folder named as a clerk names it still reads,
    and the path is the one the usual open gives (the status bar shows it before and after)."""
    folder = tmp_path / "罗翠村 数据#1 100%"
    folder.mkdir()
    copy = copy_of(village, folder / "户籍?备份.sqlite3")
    first = read_first_screen(str(copy), page_size=200, rows_for=100)
    assert first is not None and first.path == copy and len(first.page[0]) == 200
