"""The open workspace: a database, the local office, the acting user; and the write context.

Every service write runs inside ``Workspace.write()``: one transaction, with a ChangeRecorder whose
entries are flushed into the change log just before the commit.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from fpdesk.core import divisions
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_device_id, new_id
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.services.permissions import require
from fpdesk.storage.changelog import ChangeRecorder
from fpdesk.storage.database import Database
from fpdesk.storage.schema import Division, Office, Person
from fpdesk.storage.schema_sync import DeviceKey
from fpdesk.storage.write_path import log_unrecorded, unwatch, watch

T = TypeVar("T")


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    level: OfficeLevel
    name: str
    device_id: str


@dataclass
class WriteContext:
    """What a service gets while it writes: the session, the change recorder and the office."""

    session: Session
    recorder: ChangeRecorder
    office: OfficeInfo
    workspace: Workspace | None = None  # the workspace writing (its catalog, its author)

    @property
    def result(self) -> ChangeSet:
        return self.recorder.result


@dataclass
class Workspace:
    """An open database with its local office.

    Attributes:
        db: the open, migrated database.
        office: the local office, or None before ``init_office``.
        author: who is acting (a user name; "system" for jobs and the CLI until log-in exists).
        role: the logged-in user's role (services/permissions.py); None before log-in.
        accounts_exist: whether this database has user accounts (then writes need a log-in).
    """

    db: Database
    office: OfficeInfo | None
    author: str = "system"
    role: str | None = None
    accounts_exist: bool = False

    def require_office(self) -> OfficeInfo:
        if self.office is None:
            raise DomainError("db_not_initialised")
        return self.office

    @contextmanager
    def write(self, *, permission: str | None = "write") -> Iterator[WriteContext]:
        """One transaction with its change-log entries. ``permission=None`` is for what any user
        (or a log-in itself) causes: a log-in's record, a failed attempt, an access entry."""
        office = self.require_office()
        if permission is not None:
            require(self, permission)
        with self.db.transaction() as session:
            context = WriteContext(session, ChangeRecorder(session, office.device_id, self.author), office, self)
            watch(session, context.recorder)  # what the service writes without recording it is logged too
            try:
                yield context
                session.flush()
                log_unrecorded(session)
            finally:
                unwatch(session)
            context.recorder.flush()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.read() as session:
            yield session

    def close(self) -> None:
        self.db.close()


# PostgreSQL's answers that mean "another transaction got in the way; run yours again": serialization
# failure and deadlock. A job is one transaction, so running it again is safe.
RETRYABLE = frozenset({"40001", "40P01"})


def retry_conflicts(job: Callable[..., T]) -> Callable[..., T]:
    """Run a service job again (up to three times) when the server aborted it for a concurrent one."""

    @functools.wraps(job)
    def run(*args, **kwargs) -> T:
        for attempt in range(3):
            try:
                return job(*args, **kwargs)
            except OperationalError as exc:
                if getattr(exc.orig, "sqlstate", None) not in RETRYABLE or attempt == 2:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    return run


def local_office(db: Database) -> OfficeInfo | None:
    # Columns of the table, not the mapped class: every program start asks this first, and the first
    # query of a mapped class configures all the mappers, which the window's first page never needs.
    office = Office.__table__.c
    with db.read() as session:
        row = session.execute(select(office.code, office.level, office.name, office.device_id)
                              .where(office.is_local.is_(True))).first()
        if row is None:
            return None
        return OfficeInfo(row.code, OfficeLevel(row.level), row.name, row.device_id or "")


def init_office(workspace: Workspace, *, code: str, level: OfficeLevel | str, name: str,
                code_year: int = 2024) -> ChangeSet:
    """Set up this installation as an office; creates its division and a fresh device id."""
    level = OfficeLevel(level)
    if workspace.office is not None:
        raise DomainError("db_already_initialised", {"code": workspace.office.code, "name": workspace.office.name})
    parsed = divisions.check_office_code(code, level)  # the code first: it is the first field of the form
    name = name.strip()
    if not name:
        raise DomainError("missing_field", {"field_zh": "单位名称", "field_en": "office name"})
    office = OfficeInfo(parsed.code, level, name, new_device_id())
    workspace.office = office
    try:
        with workspace.write() as ctx:
            office_row = Office(id=new_id(), code=office.code, level=level.value, name=name,
                                device_id=office.device_id, is_local=True, parent_code=parsed.parent)
            ctx.session.add(office_row)
            # the device's keys from the start: it signs its audit chain's head at every write (the
            # package format brings the crypto libraries: imported here, not by every program start)
            from fpdesk.core import sync_package as package_format

            keys = package_format.new_device_keys()
            ctx.session.add(DeviceKey(device_id=office.device_id, sign_private=keys.sign_private,
                                      sign_public=keys.sign_public, enc_private=keys.enc_private,
                                      enc_public=keys.enc_public))
            ctx.recorder.record("office", office_row.id, "insert",
                                {"code": office.code, "level": level.value, "name": name,
                                 "parent_code": parsed.parent}, 1)
            existing = ctx.session.scalar(select(Division).where(Division.code == parsed.code))
            if existing is None:
                add_division_row(ctx, parsed.code, _division_name(name, level), code_year)
        return ctx.result
    except Exception:
        workspace.office = None
        raise


def _division_name(office_name: str, level: OfficeLevel | str) -> str:
    """'城关乡计生协' names the office; its division is '城关乡' (core.divisions.place_name_of_office)."""
    return divisions.place_name_of_office(office_name, OfficeLevel(level))


def add_division_row(ctx: WriteContext, code: str, name: str, code_year: int) -> Division:
    parsed = divisions.parse_code(code)
    row = Division(id=divisions.record_id(parsed.code), code=parsed.code, name=name.strip(), kind=parsed.kind.value,
                   parent_code=parsed.parent, code_year=code_year, revision=1)
    ctx.session.add(row)
    ctx.recorder.record("division", row.id, "insert",
                        {"code": row.code, "name": row.name, "kind": row.kind, "parent_code": row.parent_code,
                         "code_year": code_year}, 1)
    return row


def update_division_row(ctx: WriteContext, row: Division, **values) -> None:
    """Change a division's name or code year, logged (the list corrected by the county travels down)."""
    from fpdesk.storage.schema import utc_now

    old = {key: getattr(row, key) for key in values}
    for key, value in values.items():
        setattr(row, key, value)
    row.revision = (row.revision or 1) + 1
    row.updated_at = utc_now()
    ctx.recorder.record("division", row.id, "update", dict(values), row.revision, old)


def add_division(workspace: Workspace, *, code: str, name: str, code_year: int) -> ChangeSet:
    with workspace.write() as ctx:
        if ctx.session.scalar(select(Division.id).where(Division.code == code)) is not None:
            raise DomainError("bad_argument", {"detail": f"区划代码 {code} 已存在"})
        ctx.result.primary_id = add_division_row(ctx, code, name, code_year).id
    return ctx.result


def count_persons(workspace: Workspace) -> int:
    with workspace.read() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def list_divisions(workspace: Workspace) -> list[tuple[str, str, str]]:
    """(code, name, kind) of every division, by code: the village pickers and filters."""
    division = Division.__table__.c  # the table's columns: read at start, before any mapper is needed
    with workspace.read() as session:
        return [tuple(row) for row in session.execute(
            select(division.code, division.name, division.kind).order_by(division.code))]
