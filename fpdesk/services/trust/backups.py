"""Backups: by hand (``fpdesk backup``), automatic and rotating (daily, on exit, before imports,
migrations and bulk jobs), and restore (integrity check first; the current file is kept aside).

Automatic backups go to a folder the administrator can point at a USB stick (setting
``backup.folder``; default ``fpdesk-backups`` beside the database). Each reason keeps its newest
few files. Backups copy SQLite files; a PostgreSQL server is backed up with its own tools (pg_dump).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from fpdesk.core.errors import DomainError
from fpdesk.services.permissions import require
from fpdesk.services.records import put_setting
from fpdesk.services.workspace import Workspace
from fpdesk.storage.database import KNOWN_REVISIONS, url_for, url_path
from fpdesk.storage.schema import Setting
from fpdesk.storage.sqlite_files import check_database_file, copy_database, integrity_problem, restore_into

log = logging.getLogger(__name__)

FOLDER_SETTING = "backup.folder"
KEEP = {"daily": 7, "exit": 5, "before-import": 10, "before-bulk": 5, "before-restore": 5}
DEFAULT_KEEP = 5


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    seconds: float

    def as_dict(self) -> dict:
        return {"path": str(self.path), "bytes": self.bytes, "seconds": round(self.seconds, 3)}


def _database_file(workspace: Workspace) -> Path:
    path = workspace.db.file_path
    if path is None:
        raise DomainError("backup_sqlite_only")
    return path


def backup_folder(workspace: Workspace) -> Path:
    with workspace.read() as session:
        row = session.get(Setting, FOLDER_SETTING)
    if row is not None and row.value.get("path"):
        return Path(row.value["path"])
    return _database_file(workspace).parent / "fpdesk-backups"


def set_backup_folder(workspace: Workspace, folder: str | Path) -> Path:
    require(workspace, "settings.manage")
    folder = Path(folder).expanduser().resolve()
    with workspace.write() as ctx:
        put_setting(ctx, FOLDER_SETTING, {"path": str(folder)})
    return folder


def backup(workspace: Workspace, out: str | Path, *, force: bool = False) -> BackupResult:
    """A backup by hand to ``out``. An existing file is overwritten only with ``force``, and never when
    it is this database itself, another office's fpdesk database, or a database in use."""
    require(workspace, "backup.create")
    source = _database_file(workspace)
    target = Path(out)
    if target.exists():
        _check_overwrite(workspace, source, target, force=force)
    result = _copy(source, target, workspace.db.key)
    log.info("backup made: %s", target)
    return result


def _check_overwrite(workspace: Workspace, source: Path, target: Path, *, force: bool) -> None:
    from fpdesk.storage.encryption import keyring_path
    from fpdesk.storage.sqlite_files import local_office_code

    def refuse(what: str, what_en: str) -> DomainError:
        return DomainError("backup_onto_database", {"path": str(target), "what": what, "what_en": what_en})

    if target.is_dir():
        raise DomainError("backup_exists", {"path": str(target)})
    if source.exists() and target.resolve() == source.resolve():
        raise refuse("正在使用的这个数据库本身", "this very database")
    office = local_office_code(target)
    ours = workspace.require_office().code
    if office is not None and office != ours:
        raise refuse(f"另一个单位（{office}）的 fpdesk 数据库", f"the fpdesk database of another office ({office})")
    if Path(str(target) + "-wal").exists() or keyring_path(target).exists():
        raise refuse("一个正在使用的数据库（旁边有它的日志或密钥文件）", "a database in use (its journal or keyring lies beside it)")
    if not force:
        raise DomainError("backup_exists", {"path": str(target)})


def _copy(source: Path, target: Path, key: bytes | None = None) -> BackupResult:
    """A checked copy; an encrypted database gives an encrypted backup."""
    started = dt.datetime.now()
    copy_database(source, target, key=key)
    return BackupResult(target, target.stat().st_size, (dt.datetime.now() - started).total_seconds())


def automatic_backup(workspace: Workspace, reason: str) -> Path | None:
    """A rotating backup (a job of the program: no permission needed). None on PostgreSQL."""
    source = workspace.db.file_path
    if source is None or not source.exists():
        return None
    folder = backup_folder(workspace)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{source.stem}.{reason}.{stamp}.sqlite3"
    try:
        _copy(source, target, workspace.db.key)
    except DomainError as error:
        # A full or write-protected backup stick must not stop the office's work; the failure is logged.
        log.warning("automatic backup (%s) failed: %s", reason, error.code)
        return None
    log.info("automatic backup (%s) made: %s", reason, target)
    _rotate(folder, source.stem, reason, KEEP.get(reason, DEFAULT_KEEP))
    return target


def _rotate(folder: Path, stem: str, reason: str, keep: int) -> None:
    files = sorted(folder.glob(f"{stem}.{reason}.*.sqlite3"))
    for old in files[:-keep] if keep else []:
        old.unlink(missing_ok=True)
    for partial in folder.glob(f"{stem}.{reason}.*.sqlite3.partial"):  # left by a crash mid-copy
        try:
            stale = partial.stat().st_mtime < time.time() - 3600
        except FileNotFoundError:  # another job's copy, finished (renamed) since the folder was listed
            continue
        if stale:
            partial.unlink(missing_ok=True)


def daily_backup_if_due(workspace: Workspace, today: dt.date | None = None) -> Path | None:
    """Make today's backup unless there is one already."""
    source = workspace.db.file_path
    if source is None:
        return None
    day = (today or dt.date.today()).strftime("%Y%m%d")
    if any(backup_folder(workspace).glob(f"{source.stem}.daily.{day}-*.sqlite3")):
        return None
    return automatic_backup(workspace, "daily")


def list_backups(workspace: Workspace) -> list[Path]:
    source = workspace.db.file_path
    if source is None:
        return []
    return sorted(backup_folder(workspace).glob(f"{source.stem}.*.sqlite3"), key=lambda p: p.stat().st_mtime)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    revision: str
    kept_aside: Path | None

    def as_dict(self) -> dict:
        return {"restored_from": str(self.restored_from), "schema_revision": self.revision,
                "kept_aside": str(self.kept_aside) if self.kept_aside else None}


def restore(location: str, backup_file: str | Path, *, workspace: Workspace | None = None) -> RestoreResult:
    """Replace the database at ``location`` by ``backup_file`` after checking the backup's integrity.

    ``workspace`` is the open current database (its user must have ``backup.restore``); None when the
    current file cannot be opened (damaged): then it is only moved aside.
    """
    backup_path = Path(backup_file).expanduser().resolve()
    live = url_path(url_for(location))
    if live is None:
        raise DomainError("backup_sqlite_only")
    if workspace is not None:
        require(workspace, "backup.restore")
    if live.exists() and live.resolve() == backup_path:
        raise DomainError("restore_same_file")
    key = workspace.db.key if workspace is not None else None  # an encrypted database, unlocked
    revision = check_database_file(backup_path, KNOWN_REVISIONS, key)
    kept = None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = live.with_name(f"{live.stem}.before-restore.{stamp}{live.suffix or '.sqlite3'}")
    if live.exists():
        if integrity_problem(live, key) is None:
            kept = copy_database(live, aside, key=key)
            restore_into(backup_path, live, key)
            log.info("restored from %s; the database before it kept as %s", backup_path, kept)
            return RestoreResult(backup_path, revision, kept)
        # The current file is damaged: move it (with its journal) aside untouched and copy the backup in.
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(live) + suffix)
            if part.exists():
                shutil.move(part, Path(str(aside) + suffix))
        kept = aside
    copy_database(backup_path, live, key=key)
    log.info("restored from %s; the database there before (damaged, or none) kept as %s", backup_path, kept)
    return RestoreResult(backup_path, revision, kept)
