import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from fpdesk.core.errors import DomainError
from fpdesk.storage import database
from fpdesk.storage.database import SCHEMA_HEAD, open_database
from fpdesk.storage.schema import SequenceCounter
from fpdesk.storage.sequences import format_number, next_number


def test_schema_head_constant_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(database.__file__).with_name("migrations")))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == SCHEMA_HEAD
    assert {r.revision for r in script.walk_revisions()} == set(database.KNOWN_REVISIONS)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    db = open_database(sqlite_url)
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.close()


def test_opening_twice_does_not_migrate_again(db_url):
    open_database(db_url).close()
    db = open_database(db_url)
    assert database.current_revision(db.engine) == SCHEMA_HEAD
    db.close()


def test_a_database_from_a_newer_fpdesk_is_refused_untouched(sqlite_url):
    open_database(sqlite_url).close()
    connection = sqlite3.connect(sqlite_url)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = Path(sqlite_url).read_bytes()
    with pytest.raises(DomainError) as caught:
        open_database(sqlite_url)
    assert caught.value.code == "db_newer_schema"
    assert "9999" in caught.value.message_zh
    assert Path(sqlite_url).read_bytes() == before


def test_migrating_an_older_file_backs_it_up_first(sqlite_url, monkeypatch):
    open_database(sqlite_url).close()
    # Pretend this program knows a newer head: the file on disk is then "old" and gets migrated.
    on_disk = SCHEMA_HEAD
    newer = f"{int(on_disk) + 1:04d}"
    monkeypatch.setattr(database, "SCHEMA_HEAD", newer)
    monkeypatch.setattr(database, "KNOWN_REVISIONS", (*database.KNOWN_REVISIONS, newer))
    monkeypatch.setattr(database, "run_migrations", lambda engine: None)
    open_database(sqlite_url).close()
    backups = list(Path(sqlite_url).parent.glob(f"fpdesk.before-migration-from-{on_disk}.*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (on_disk,)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file, like a backup
    copy.close()


def test_unreachable_server_is_a_clear_refusal():
    with pytest.raises(DomainError) as caught:
        open_database("postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2")
    assert caught.value.code == "db_unreachable"


def test_sequence_numbers_are_gap_free_and_roll_back(db_url):
    db = open_database(db_url)
    with db.transaction() as session:
        assert [next_number(session, office_code="350421200", series="receipt", year=2026) for _ in range(3)] \
            == [1, 2, 3]
    with pytest.raises(RuntimeError), db.transaction() as session:
        assert next_number(session, office_code="350421200", series="receipt", year=2026) == 4
        raise RuntimeError("job failed")
    with db.transaction() as session:
        assert next_number(session, office_code="350421200", series="receipt", year=2026) == 4
        assert next_number(session, office_code="350421200", series="receipt", year=2027) == 1
        assert next_number(session, office_code="350421200", series="certificate", year=2026) == 1
    with db.read() as session:
        assert len(session.scalars(select(SequenceCounter)).all()) == 3
    db.close()
    assert format_number("350421200", 2026, 4) == "350421200-2026-000004"


def test_a_write_job_holds_the_write_lock_before_its_first_write(sqlite_url):
    """A job's checks (is this number registered?) and its writes are one snapshot: no other program
    can write between them, though the job has only read so far."""
    db = open_database(sqlite_url)
    with db.transaction() as session:
        assert session.execute(text("SELECT count(*) FROM person")).scalar() == 0
        other = sqlite3.connect(sqlite_url, timeout=0.1)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
    db.close()
