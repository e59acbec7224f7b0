"""The audit log: who changed which record when (old and new values), checked against its hash chain.

Built on the change log (storage/audit_chain.py chains it). Events that change no record — log-ins,
exports, full views of ID and phone numbers — are written as change-log entries of entity ``access``
so they are chained and attributable too. Entities in ``LOCAL_ONLY_ENTITIES`` describe this
installation only: sync must not send them to other offices.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from fpdesk.core.errors import DomainError, register_messages
from fpdesk.core.ids import new_id
from fpdesk.services.permissions import allows, require
from fpdesk.services.pi_masking import mask_values
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.audit_chain import Verification, verify_chain
from fpdesk.storage.schema import ChangeEntry, Division, Household, Person

register_messages({
    "audit_broken": ("审计日志第 {seq} 条被改动、删除或挪动过（{reason_zh}）。",
                     "Audit log entry {seq} was edited, deleted or moved ({reason_en})."),
    "bad_record_id": ("记录编号“{value}”不正确。", "'{value}' is not a record id."),
})

LOCAL_ONLY_ENTITIES = frozenset({"user_account", "access", "setting"})
REASONS = {
    "link_mismatch": ("这一条的内容或它之前的一条与记录的哈希链不符", "its content, or the entry before it, "
                      "does not match the hash chain"),
    "unchained": ("这一条没有哈希链记录（绕过程序写入）", "it has no chain link (written around the program)"),
    "head_mismatch": ("最新的若干条被删除或链头被改动", "the newest entries were cut off or the chain head was changed"),
}


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    author: str
    entity: str
    record_id: uuid.UUID
    operation: str
    revision: int
    fields: dict[str, Any]
    old_values: dict[str, Any] | None
    origin_device: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at.isoformat(sep=" ", timespec="seconds"), "author": self.author,
                "entity": self.entity, "record_id": str(self.record_id), "operation": self.operation,
                "revision": self.revision, "fields": self.fields, "old_values": self.old_values,
                "origin_device": self.origin_device}


def verify(workspace: Workspace) -> Verification:
    """Recompute the whole chain (reads only)."""
    require(workspace, "audit.read")
    with workspace.db.engine.connect() as connection:
        return verify_chain(connection)


def reason_text(reason: str) -> tuple[str, str]:
    return REASONS.get(reason, (reason, reason))


def history(workspace: Workspace, *, record: str | uuid.UUID | None = None, user: str | None = None,
            entity: str | None = None, limit: int | None = 500, include_members: bool = False) -> list[AuditEntry]:
    """Entries newest first; ``record`` with ``include_members`` also gives a household's persons."""
    require(workspace, "audit.read")
    query = select(ChangeEntry).order_by(ChangeEntry.local_seq.desc())
    with workspace.read() as session:
        if record is not None:
            record_id = _record_id(record)
            ids = [record_id]
            if include_members:
                ids += session.scalars(select(Person.id).where(Person.household_id == record_id)).all()
            query = query.where(ChangeEntry.record_id.in_(ids))
        if user:
            query = query.where(ChangeEntry.author == user)
        if entity:
            query = query.where(ChangeEntry.entity == entity)
        if limit:
            query = query.limit(limit)
        full = allows(workspace, "pi.full")
        return [AuditEntry(row.local_seq, row.at, row.author, row.entity, row.record_id, row.operation,
                           row.revision, row.fields if full else mask_values(row.fields),
                           row.old_values if full or not row.old_values else mask_values(row.old_values),
                           row.origin_device)
                for row in session.scalars(query)]


def record_labels(workspace: Workspace, values: Iterable[Any]) -> dict[str, str]:
    """How a clerk reads the ids a change names: a division as 罗翠村（350421200201）, a household
    as its head's and village's names (林国华户，罗翠村). Keyed by the id's text; unknown ids are left out."""
    ids = set()
    for value in values:
        try:
            ids.add(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            continue
    if not ids:
        return {}
    with workspace.read() as session:
        labels = household_labels(session, ids)
        for division_id, name, code in session.execute(
                select(Division.id, Division.name, Division.code).where(Division.id.in_(ids))):
            labels[str(division_id)] = f"{name}（{code}）"
    return labels


def household_labels(session, ids: Iterable[uuid.UUID]) -> dict[str, str]:
    """The households among ``ids`` as a clerk names them: 林国华户，罗翠村 (the village alone without a
    living head). Keyed by the id's text."""
    households = session.execute(select(Household.id, Division.name).join(
        Division, Household.division_id == Division.id).where(Household.id.in_(ids))).all()
    heads = dict(session.execute(select(Person.household_id, Person.name).where(
        Person.household_id.in_([h[0] for h in households]), Person.relation == "head",
        Person.status == "alive")).all())
    return {str(household_id): f"{heads[household_id]}户，{village}" if household_id in heads else village
            for household_id, village in households}


def _record_id(value: str | uuid.UUID) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise DomainError("bad_record_id", {"value": value}) from None


def record_access(ctx: WriteContext, operation: str, details: dict[str, Any],
                  subject: uuid.UUID | None = None) -> None:
    """Log an event inside a write (export, full view): entity ``access``."""
    ctx.recorder.record("access", subject or new_id(), operation, details, 1)


def log_access(workspace: Workspace, operation: str, details: dict[str, Any],
               subject: uuid.UUID | None = None) -> None:
    """Log an event in a transaction of its own (any logged-in role may cause one)."""
    from fpdesk.services.accounts import _account_write

    with _account_write(workspace) as ctx:
        record_access(ctx, operation, details, subject)
