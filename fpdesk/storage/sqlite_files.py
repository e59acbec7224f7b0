"""SQLite database files: online-backup copies, integrity checks, and clear refusals of bad files.

Copies use SQLite's online backup API, which is safe while other connections write (each step
copies a consistent snapshot). A file is checked before it is trusted: that it is a SQLite database,
that ``PRAGMA integrity_check`` says ok, and that its schema is one this program knows.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from fpdesk.core.errors import DomainError
from fpdesk.storage.durable import flush_to_disk

SQLITE_HEADER = b"SQLite format 3\x00"


def classify_sqlite_error(message: str, path: str, file: Path | None = None) -> DomainError | None:
    """Turn SQLite's English error text into our refusal, or None when it is something else."""
    text = message.lower()
    if "unable to open database file" in text and file is not None and _read_only_place(file):
        return DomainError("db_read_only", {"path": path})
    if "file is not a database" in text or "file is encrypted" in text:
        return DomainError("not_a_database", {"path": path})
    if "malformed" in text or "corrupt" in text:
        return DomainError("db_damaged", {"path": path, "detail": message.strip()})
    if "readonly" in text or "read-only" in text:
        return DomainError("db_read_only", {"path": path})
    if "disk is full" in text or "disk i/o error" in text:
        return DomainError("disk_full")
    if "database is locked" in text:
        return DomainError("db_busy")
    return None


def _read_only_place(file: Path) -> bool:
    folder = file.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    statvfs = getattr(os, "statvfs", None)  # POSIX only: Windows has no statvfs
    try:
        if statvfs is not None and statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        pass
    if not os.access(folder, os.W_OK):
        return True
    return not _can_create_in(folder)


def _can_create_in(folder: Path) -> bool:
    """Whether a file can be made in ``folder``: the one test that a write-protected USB stick (whose
    folders still look writable to os.access on Windows) and a read-only mount both fail."""
    probe = folder / f".fpdesk-write-test-{os.getpid()}"
    try:
        probe.touch()
    except OSError:
        return False
    probe.unlink(missing_ok=True)
    return True


def looks_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def _open(path: Path, key: bytes | None, *, read_only: bool = True):
    if key is not None:
        from fpdesk.storage.encryption import connect

        return connect(path, key, read_only=read_only)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True) if read_only else sqlite3.connect(path)


def integrity_problem(path: Path, key: bytes | None = None) -> str | None:
    """None when the file is a sound SQLite database; otherwise what is wrong (English)."""
    if key is None and not looks_like_sqlite(path):
        return "not a SQLite database"
    try:
        connection = _open(path, key)
    except Exception as exc:  # sqlite3 and sqlcipher3 raise their own error classes
        return str(exc)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        verdict = "; ".join(str(row[0]) for row in rows[:5])
        return None if verdict == "ok" else verdict
    except Exception as exc:
        return str(exc)
    finally:
        connection.close()


def schema_revision(path: Path, key: bytes | None = None) -> str | None:
    connection = _open(path, key)
    try:
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name='alembic_version'").fetchone() is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def state_mark(connection) -> tuple:
    """What identifies a database's content cheaply: the change log's length and its newest entry
    (every write appends to it). ``connection`` is a DB-API connection."""
    count, last = connection.execute("SELECT count(*), max(local_seq) FROM change_log").fetchone()
    newest = connection.execute("SELECT origin_device, origin_seq FROM change_log WHERE local_seq = ?",
                                (last,)).fetchone() if last is not None else None
    return (count, last, tuple(newest) if newest else None)


def state_mark_of(path: Path, key: bytes | None = None) -> tuple:
    connection = _open(path, key)
    try:
        return state_mark(connection)
    finally:
        connection.close()


def local_office_code(path: Path) -> str | None:
    """The office an fpdesk database file belongs to (its local office's code), or None when the file is
    no readable fpdesk database (not SQLite, encrypted, or without an office yet)."""
    if not looks_like_sqlite(path):
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("SELECT code FROM office WHERE is_local = 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return row[0] if row else None


def check_database_file(path: Path, known_revisions: tuple[str, ...], key: bytes | None = None) -> str:
    """Refuse a file that is not a sound fpdesk database of a known version; returns its revision."""
    path = Path(path)
    if not path.is_file():
        raise DomainError("backup_not_found", {"path": str(path)})
    problem = integrity_problem(path, key)
    if problem == "not a SQLite database" or (problem and "not a database" in problem):
        raise DomainError("not_a_database", {"path": str(path)})
    if problem:
        raise DomainError("db_damaged", {"path": str(path), "detail": problem})
    revision = schema_revision(path, key)
    if revision is None:
        raise DomainError("not_a_database", {"path": str(path)})
    if revision not in known_revisions:
        raise DomainError("db_newer_schema", {"path": str(path), "revision": revision})
    return revision


def copy_database(source: Path, target: Path, *, key: bytes | None = None) -> Path:
    """Copy ``source`` to ``target`` with the online backup API, then check the copy and sync it to disk.
    An encrypted database (``key``) gives a copy encrypted with the same key."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        origin = _open(source, key)
        try:
            copy = _open(partial, key, read_only=False)
            try:
                origin.backup(copy, pages=4096)
                copy.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            finally:
                copy.close()
        finally:
            origin.close()
        problem = integrity_problem(partial, key)
        if problem:
            raise DomainError("backup_failed", {"detail": problem})
        flush_to_disk(partial)
        os.replace(partial, target)  # a backup file is either whole or absent
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.errno == 28:  # ENOSPC
            raise DomainError("disk_full") from None
        if exc.errno in (13, 30):  # EACCES, EROFS
            raise DomainError("db_read_only", {"path": str(target)}) from None
        raise DomainError("backup_failed", {"detail": str(exc)}) from None
    except DomainError:
        partial.unlink(missing_ok=True)
        raise
    except Exception as exc:  # sqlite3.Error or sqlcipher3's own error classes
        partial.unlink(missing_ok=True)
        raise classify_sqlite_error(str(exc), str(target)) or DomainError("backup_failed", {"detail": str(exc)}) \
            from None
    return target


def restore_into(backup: Path, live: Path, key: bytes | None = None) -> None:
    """Write the backup's pages into the live database through the backup API (other connections see
    either the old or the restored database, never a mix)."""
    source = _open(backup, key)
    try:
        destination = _open(live, key, read_only=False) if key is not None else sqlite3.connect(live, timeout=30)
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=WAL")
        finally:
            destination.close()
    finally:
        source.close()
