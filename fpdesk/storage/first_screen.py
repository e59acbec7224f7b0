"""What the window shows first, read with the standard library's sqlite3: the local office, the
village filter's divisions, the status bar's last exchanges and the first page of everyone by name
with the rows of its first screenful.

Importing SQLAlchemy and the mapped tables is about half of the window's start; read this way, the
households list is painted first and the database layer is imported after it (gui/first_paint.py).
Only the case the window opens on is read here: an unencrypted SQLite file at SCHEMA_HEAD, its
office set up and no user accounts (then a log-in or the setup wizard comes first anyway). For
anything else ``read_first_screen`` answers None and the window opens through SQLAlchemy as before.

The statements are those storage/search.py, services/workspace.py and services/sync/status.py
compile for SQLite, and the values are converted as SQLAlchemy's types convert them (a test
compares both answers on the same file).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.storage.person_row import PersonRow
from fpdesk.storage.revisions import SCHEMA_HEAD
from fpdesk.storage.sqlite_files import SQLITE_HEADER

# The keyrings of storage/encryption.py (keyring_path, pending_keyring_path), not imported: it
# imports what this read is there to avoid.
KEYRINGS = (".keys", ".keys.pending")
# A file another program holds locked is not waited for long: the usual open waits (busy_timeout) and
# says so, and waiting here too would only add to it.
BUSY_SECONDS = 0.25

# storage/search.py's person_id_page for everyone alive, by name, on SQLite
FIRST_PAGE_SQL = ('SELECT person.id, person.name COLLATE "NOCASE" FROM person WHERE person.status = ? '
                  'ORDER BY person.name COLLATE "NOCASE", person.id LIMIT ?')
# storage/search.py's person_rows
ROWS_SQL = ("SELECT person.id, person.household_id, person.name, person.id_number, person.sex, person.birth_date, "
            "person.relation, person.status, person.phone, division.code, division.name FROM person "
            "JOIN household ON person.household_id = household.id JOIN division ON household.division_id = division.id "
            "WHERE person.id IN ({marks})")


@dataclass(frozen=True)
class FirstOffice:
    """The local office, with the fields of services/workspace.py's OfficeInfo."""

    code: str
    level: OfficeLevel
    name: str
    device_id: str


@dataclass(frozen=True)
class FirstScreen:
    """Attributes:
    path: the database file, as the opened database will name it (Database.file_path).
    page: (ids, key of the next page or None) of everyone alive by name, as person_id_page answers.
    rows: the rows of the page's first ``rows_for`` ids, by id, as person_rows answers.
    divisions: (code, name, kind) by code, as list_divisions answers.
    exchanges: (partner office code, its last exchange "YYYY-MM-DD HH:MM" or None), in the order of
        services/sync/status.py's last_exchanged.
    """

    path: Path
    office: FirstOffice
    page: tuple[list[uuid.UUID], tuple | None]
    rows: dict[uuid.UUID, PersonRow]
    divisions: list[tuple[str, str, str]]
    exchanges: list[tuple[str, str | None]]


def read_first_screen(location: str, *, page_size: int, rows_for: int) -> FirstScreen | None:
    """The first screen of the SQLite file at ``location``; None when it is not the plain case
    described above or anything about the file is unusual (the usual path then says what)."""
    if "://" in location:
        return None
    try:
        path = Path(location).expanduser().resolve()  # (expanduser fails where no home folder is known)
        if not path.is_file() or any(path.with_name(path.name + suffix).exists() for suffix in KEYRINGS):
            # A new database; an encryption cut short (storage/encryption.py settles it); or a keyring
            # beside a plain header: whatever that means, the usual open decides, not this read.
            return None
        with open(path, "rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                return None  # encrypted (or not SQLite at all)
        # mode=ro: this read must change nothing, not even by its close checkpointing the WAL into
        # the file (a read-only connection never does) or rolling back a hot journal (it refuses, and
        # the usual open does it). It never creates the file either.
        connection = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, timeout=BUSY_SECONDS,
                                     isolation_level=None)
    except (OSError, RuntimeError, ValueError, sqlite3.Error):
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for everything read
        return _read(connection, path, page_size, rows_for)
    except Exception as error:  # whatever it is, the usual open meets it and says it
        # This read runs before the window's error handling is in place (gui/app.py run_gui): a value
        # it did not expect (a time stored as a number, an unknown office level) must not end the
        # start of a program that the usual open would have started, or explained.
        logging.getLogger(__name__).info("first screen not read directly (%s: %s): opened the usual way",
                                         type(error).__name__, error)
        return None
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, path: Path, page_size: int, rows_for: int) -> FirstScreen | None:
    has_revision = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
    if has_revision is None or connection.execute("SELECT version_num FROM alembic_version").fetchone() != (
            SCHEMA_HEAD,):
        return None  # to be created or migrated
    if connection.execute("SELECT user_account.id FROM user_account LIMIT 1").fetchone() is not None:
        return None  # someone logs in first
    office = connection.execute("SELECT office.code, office.level, office.name, office.device_id FROM office "
                                "WHERE office.is_local IS 1").fetchone()
    if office is None:
        return None  # the setup wizard comes first
    found = connection.execute(FIRST_PAGE_SQL, ("alive", page_size)).fetchall()
    ids = [uuid.UUID(hex=row[0]) for row in found]
    following = (found[-1][1], ids[-1]) if len(found) == page_size else None
    return FirstScreen(
        path=path,
        office=FirstOffice(office[0], OfficeLevel(office[1]), office[2], office[3] or ""),
        page=(ids, following),
        rows=_rows(connection, ids[:rows_for]),
        divisions=[tuple(row) for row in connection.execute(
            "SELECT division.code, division.name, division.kind FROM division ORDER BY division.code")],
        exchanges=[(code, _last(exported, imported)) for code, exported, imported in connection.execute(
            "SELECT sync_peer.office_code, sync_peer.last_exported_at, sync_peer.last_imported_at FROM sync_peer "
            "ORDER BY sync_peer.relation DESC, sync_peer.office_code")],
    )


def _rows(connection: sqlite3.Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, PersonRow]:
    if not ids:
        return {}
    statement = ROWS_SQL.format(marks=", ".join("?" * len(ids)))
    found = {}
    for row in connection.execute(statement, [person_id.hex for person_id in ids]):
        person_id = uuid.UUID(hex=row[0])
        birth = None if row[5] is None else dt.date.fromisoformat(row[5])
        found[person_id] = PersonRow(person_id, uuid.UUID(hex=row[1]), row[2], row[3], row[4], birth, *row[6:])
    return found


def _last(exported: str | None, imported: str | None) -> str | None:
    """PartnerExchange.last: the later of the two, each as "YYYY-MM-DD HH:MM"."""
    times = [dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M") for value in (exported, imported) if value]
    return max(times) if times else None
