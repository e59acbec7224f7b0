"""Appending to the change log inside the writing transaction.

Entries are collected as the service writes and flushed together: the origin sequence numbers
are taken as one block from this device's counter (gap-free, because the counter update belongs
to the same transaction and rolls back with it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fpdesk.core.changes import ChangeSet, RecordChange
from fpdesk.storage.audit_chain import chain_rows
from fpdesk.storage.schema import ChangeEntry, DeviceCounter, utc_now

_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_json_value(value: Any) -> Any:
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(to_json_value(v) for v in value)
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    return value


@dataclass
class ChangeRecorder:
    """Collects the change entries of one transaction; ``flush()`` writes them.

    Attributes:
        session: the transaction's session.
        device_id: this installation's device id (origin of every local change).
        author: the user who made the change ("system" for jobs without a user).
    """

    session: Session
    device_id: str
    author: str
    pending: list[dict[str, Any]] = field(default_factory=list)
    result: ChangeSet = field(default_factory=ChangeSet)
    # Bulk jobs (demo, roster imports) write hundreds of thousands of entries: they keep only a count.
    summary_only: bool = False
    recorded: int = 0

    def record(self, entity: str, record_id: uuid.UUID, operation: str, fields: dict[str, Any],
               revision: int, old_values: dict[str, Any] | None = None) -> None:
        json_fields = {k: to_json_value(v) for k, v in fields.items()}
        self.pending.append({
            "entity": entity, "record_id": record_id, "operation": operation, "fields": json_fields,
            "old_values": {k: to_json_value(v) for k, v in old_values.items()} if old_values else None,
            "revision": revision,
        })
        self.recorded += 1
        if not self.summary_only:
            self.result.changes.append(RecordChange(entity, record_id, operation, json_fields, revision))

    def flush(self) -> ChangeSet:
        if not self.pending:
            return self.result
        first = allocate_origin_sequence(self.session, self.device_id, len(self.pending))
        now = utc_now()
        rows = [
            {**entry, "origin_device": self.device_id, "origin_seq": first + i, "author": self.author, "at": now}
            for i, entry in enumerate(self.pending)
        ]
        chain_rows(self.session.connection(), rows)  # the audit hash chain; takes the chain head's lock
        # Core insert: one executemany, without the ORM's bulk-insert bookkeeping per row
        self.session.connection().execute(ChangeEntry.__table__.insert(), rows)
        self.pending.clear()
        return self.result


def allocate_origin_sequence(session: Session, device_id: str, count: int) -> int:
    """Reserve ``count`` consecutive sequence numbers; returns the first."""
    last = session.execute(
        update(DeviceCounter).where(DeviceCounter.device_id == device_id)
        .values(last_seq=DeviceCounter.last_seq + count).returning(DeviceCounter.last_seq)
    ).scalar_one_or_none()
    if last is None:
        session.add(DeviceCounter(device_id=device_id, last_seq=count))
        session.flush()
        last = count
    return last - count + 1


def last_origin_sequence(session: Session, device_id: str) -> int:
    return session.scalar(select(DeviceCounter.last_seq).where(DeviceCounter.device_id == device_id)) or 0
