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

from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.services.permissions import allows, require
from fpdesk.services.trust.pi_masking import mask_values
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.audit_chain import Verification, verify_chain
from fpdesk.storage.schema import ChangeEntry, Division, Household, Person

LOCAL_ONLY_ENTITIES = frozenset({"user_account", "access", "setting"})
REASONS = {
    "link_mismatch": ("这一条的内容或它之前的一条与记录的哈希链不符", "its content, or the entry before it, "
                      "does not match the hash chain"),
    "unchained": ("这一条没有哈希链记录（绕过程序写入）", "it has no chain link (written around the program)"),
    "head_mismatch": ("最新的若干条被删除或链头被改动", "the newest entries were cut off or the chain head was changed"),
    "head_signature": ("链头的设备签名不符（日志在程序之外被重写过）",
                       "the device's signature of the chain head does not match (the log was rewritten outside the program)"),
    "head_unsigned": ("链头的设备签名被去掉了", "the device's signature of the chain head was removed"),
    "data_mismatch": ("数据表与日志记录的修改不一致（数据在程序之外被改动过）",
                      "the data tables differ from what the log's changes give (data was changed outside the program)"),
    "forged_redaction": ("有修改记录被伪装成匿名化后的记录", "entries were replaced by forged anonymisation markers"),
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
    """Recompute the whole chain and check its signed head; then compare the data tables with what
    the log's changes give, and check that every anonymisation marker belongs to an anonymised
    person (reads only)."""
    from fpdesk.services.trust.audit_replay import compare_tables, forged_redactions

    require(workspace, "audit.read")
    with workspace.db.engine.connect() as connection:
        found = verify_chain(connection)
        if not found.ok:
            return found
        forged = forged_redactions(connection)
        if forged:
            found.reason, found.broken_seq = "forged_redaction", forged[0]
            found.details = [{"local_seq": seq} for seq in forged[:50]]
            return found
        _compared, differences = compare_tables(connection)
        if differences:
            found.reason = "data_mismatch"
            found.details = [d.as_dict() for d in differences]
            found.broken_entry = found.details[0]
        return found


def anchor_problems(workspace: Workspace) -> list[dict[str, Any]]:
    """Children whose packages showed a rewritten or shortened audit log (services/audit_anchors)."""
    from fpdesk.services.trust.audit_anchors import problems

    require(workspace, "audit.read")
    with workspace.db.engine.connect() as connection:
        return problems(connection)


def verify_child(workspace: Workspace, child_location: str) -> list:
    """At a parent: check a child's database (a file, opened read-only) against the chain heads its
    devices' packages brought here. An encrypted child is checked on a decrypted copy."""
    from sqlalchemy import create_engine

    from fpdesk.services.trust.audit_anchors import check_child
    from fpdesk.storage.database import url_for
    from fpdesk.storage.schema import Office

    require(workspace, "audit.read")
    engine = create_engine(url_for(child_location))
    try:
        with engine.connect() as child, workspace.db.engine.connect() as parent:
            devices = [d for (d,) in child.execute(select(Office.device_id).where(Office.is_local.is_(True)))]
            return [check_child(parent, child, device) for device in devices]
    finally:
        engine.dispose()


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
    from fpdesk.services.credentials import account_write

    with account_write(workspace) as ctx:
        record_access(ctx, operation, details, subject)
