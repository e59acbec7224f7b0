"""Appending to the change log inside the writing transaction.

Entries are collected as the service writes and flushed together: the origin sequence numbers
are taken as one block from this device's counter (gap-free, because the counter update belongs
to the same transaction and rolls back with it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from dataclasses import dataclass, field
from json.encoder import c_make_encoder, encode_basestring_ascii
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fpdesk.core.changes import ChangeSet, RecordChange
from fpdesk.storage.audit_chain import chain_local, chain_received, chain_rows
from fpdesk.storage.database import CHANGED_ENTITIES
from fpdesk.storage.pipelined_writes import execute_driver_sql, job_state
from fpdesk.storage.schema import ChangeEntry, DeviceCounter, utc_now
from fpdesk.storage.sequences import insert_if_absent

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
    pending: list[tuple] = field(default_factory=list)
    result: ChangeSet = field(default_factory=ChangeSet)
    # Bulk jobs (demo, roster imports) write hundreds of thousands of entries: they keep only a count.
    summary_only: bool = False
    recorded: int = 0
    # (entity, record id) of every record logged in this transaction: an ORM write of one of them is
    # not logged again by storage/write_path.py
    explicit: set[tuple[str, uuid.UUID]] = field(default_factory=set)

    def record(self, entity: str, record_id: uuid.UUID, operation: str, fields: dict[str, Any],
               revision: int, old_values: dict[str, Any] | None = None, *, fields_text: str | None = None) -> None:
        """``fields_text``: the text ``_dumps(fields)`` gives, made by the caller already (a bulk
        job's templates, storage/fields_text.py); it is what the log stores and the chain hashes."""
        # Values are kept as given and turned into JSON once, at flush (a bulk job records a
        # quarter of a million entries; converting each value on its way in doubled the cost).
        self.pending.append((entity, record_id, operation, fields if fields_text is None else EncodedFields(fields_text),
                             old_values or None, revision))
        self.recorded += 1
        self.explicit.add((entity, record_id))
        if not self.summary_only:
            json_fields = {k: to_json_value(v) for k, v in fields.items()}
            self.result.changes.append(RecordChange(entity, record_id, operation, json_fields, revision))

    def logged_elsewhere(self, entity: str, record_id: uuid.UUID) -> None:
        """A row written here as a copy of a record another office logged (its entry comes by sync):
        no entry of its own (storage/write_path.py would log the ORM write otherwise)."""
        self.explicit.add((entity, record_id))

    def flush(self) -> ChangeSet:
        if not self.pending:
            return self.result
        if self.session.connection().dialect.name == "sqlite":
            # the values encoded before the counter is taken: a bulk job's writer thread
            # (storage/pipelined_writes.py) inserts the rows given before meanwhile
            texts = _local_texts(self.pending)
            first = allocate_origin_sequence(self.session, self.device_id, len(self.pending))
            _append_local_sqlite(self.session, self.device_id, first, self.author, utc_now(), texts)
            self.pending.clear()
            return self.result
        first = allocate_origin_sequence(self.session, self.device_id, len(self.pending))
        now = utc_now()
        append_entries(self.session, [
            {"origin_device": self.device_id, "origin_seq": first + i, "entity": entity, "record_id": record_id,
             "revision": revision, "operation": operation, "fields": fields, "old_values": old_values,
             "author": self.author, "at": now}
            for i, (entity, record_id, operation, fields, old_values, revision) in enumerate(self.pending)])
        self.pending.clear()
        return self.result


_TEXT_OF = {uuid.UUID: uuid.UUID.__str__, dt.date: dt.date.isoformat, dt.datetime: dt.datetime.isoformat}


def _json_default(value: Any) -> Any:
    """What the encoder cannot write itself (ids, dates, sets), converted as to_json_value does.
    Ids and dates, most of what a bulk job logs, are looked up by class first."""
    text_of = _TEXT_OF.get(value.__class__)
    if text_of is not None:
        return text_of(value)
    converted = to_json_value(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return converted


# The text SQLAlchemy's JSON type would write (same separators and escapes), made by the C encoder
# in one call per entry; dates, ids and sets are converted as to_json_value does. The encoder is
# made once: JSONEncoder.encode builds a new one for every call, a fifth of the cost of an entry.
_encoder = json.JSONEncoder(default=_json_default, check_circular=False)
_c_encode = c_make_encoder(None, _json_default, encode_basestring_ascii, None, _encoder.key_separator,
                           _encoder.item_separator, False, False, True) if c_make_encoder is not None else None


class EncodedFields(str):
    """A value's JSON text, made before the flush (``ChangeRecorder.record``'s ``fields_text``)."""


def _dumps(value: Any) -> str:
    if value.__class__ is EncodedFields:
        return str.__str__(value)
    if _c_encode is None or value.__class__ is str:  # a string alone is encoded by encode itself
        return _encoder.encode(value)
    return "".join(_c_encode(value, 0))


_NO_OPTIONS: dict[str, Any] = {}
_INSERT_SQLITE = (
    "INSERT INTO change_log (origin_device, origin_seq, entity, record_id, revision, operation, fields, "
    "old_values, author, at, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def append_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    """The one place rows enter the change log: local changes (``flush``) and changes received by
    sync (origin device, sequence, author and time kept as the origin wrote them).

    Rows hold origin_device, origin_seq, entity, record_id, revision, operation, fields,
    old_values, author and at, values as services hold them. The values are serialised once; the
    audit chain hashes that text and the same text is stored. On SQLite the rows go straight to the
    driver as the text SQLAlchemy would store (ids as 32 hex digits, times with microseconds): the
    Core insert's per-value processing was most of the cost of a 100,000-row roster import.
    """
    if not rows:
        return
    session.info.setdefault(CHANGED_ENTITIES, set()).update({row["entity"] for row in rows})
    connection = session.connection()
    for row in rows:
        row["fields"] = _dumps(row["fields"])
        old_values = row["old_values"]
        row["old_values"] = _dumps(old_values) if old_values else "null"  # an insert has none
    chain_rows(connection, rows)  # the audit hash chain; takes the chain head's lock until commit
    if connection.dialect.name != "sqlite":
        # the JSON type writes json.dumps(value): the parsed text gives back the same text
        connection.execute(ChangeEntry.__table__.insert(), [
            {**row, "fields": json.loads(row["fields"]), "old_values": json.loads(row["old_values"])} for row in rows])
        return
    stamps: dict[int, str] = {}  # a local flush gives every row the same moment: formatted once

    def stamp(at: dt.datetime) -> str:
        text = stamps.get(id(at))
        if text is None:
            text = stamps[id(at)] = at.strftime("%Y-%m-%d %H:%M:%S.%f")
        return text

    connection.exec_driver_sql(_INSERT_SQLITE, [
        (row["origin_device"], row["origin_seq"], row["entity"], row["record_id"].hex, row["revision"],
         row["operation"], row["fields"], row["old_values"], row["author"], stamp(row["at"]), row["chain_hash"])
        for row in rows])


def append_received(session: Session, rows: list[tuple]) -> None:
    """``append_entries`` for entries received by sync, given as tuples (origin device, origin
    sequence, entity, record id or its canonical text, revision, operation, fields, old values, author,
    time): the same rows and links, without a dict per entry on SQLite (a county package brings 650,000)."""
    insert_received(session, chain_received_rows(session, rows))


def chain_received_rows(session: Session, rows: list[tuple]) -> list[tuple] | None:
    """The first half of ``append_received``: on SQLite, the rows as the driver inserts them, chained
    (the chain head advanced); ``insert_received`` inserts them. Between the two a sync import's
    writer thread inserts what it was given before while the import reads (the duplicate check)."""
    if not rows:
        return None
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        append_entries(session, [
            {"origin_device": device, "origin_seq": seq, "entity": entity,
             "record_id": uuid.UUID(record_id) if record_id.__class__ is str else record_id,
             "revision": revision, "operation": operation, "fields": fields, "old_values": old, "author": author,
             "at": at} for device, seq, entity, record_id, revision, operation, fields, old, author, at in rows])
        return None
    session.info.setdefault(CHANGED_ENTITIES, set()).update({row[2] for row in rows})
    dumps = _dumps
    moments: dict[int, tuple[str, str]] = {}  # the entries of one flush at their origin share their time
    texts = []  # in chain_received's order of parts
    stamps = []  # the time as the DateTime type stores it on SQLite
    for device, seq, entity, record_id, revision, operation, fields, old, author, at in rows:
        found = moments.get(id(at))
        if found is None:  # as link_hash and append_entries write it
            found = moments[id(at)] = (at.isoformat(sep=" "), at.strftime("%Y-%m-%d %H:%M:%S.%f"))
        texts.append((device, seq, entity, record_id if record_id.__class__ is str else str(record_id), revision,
                      operation, author, found[0], dumps(fields), dumps(old) if old else "null"))
        stamps.append(found[1])
    links = chain_received(connection, texts)
    # the record id as the Uuid type stores it on SQLite: its 32 hex digits (the text chained, less its dashes)
    return [(device, seq, entity, record_text.replace("-", ""), revision, operation, fields_text, old_text, author,
             stamp, link)
            for (device, seq, entity, record_text, revision, operation, author, _moment, fields_text, old_text), stamp,
            link in zip(texts, stamps, links, strict=True)]


def insert_received(session: Session, params: list[tuple] | None) -> None:
    """The second half of ``append_received`` (SQLite): given to a sync import's writer thread when it
    runs one."""
    if params:
        execute_driver_sql(session.connection(), _INSERT_SQLITE, params, options=_NO_OPTIONS, rows=len(params))


def _local_texts(pending: list[tuple]) -> list[tuple[str, str, int, str, str, str]]:
    """The entries of one flush as ``chain_local`` takes them: each value serialised once, each
    record id written as text once."""
    dumps = _dumps
    return [(entity, str(record_id), revision, operation, dumps(fields), dumps(old_values) if old_values else "null")
            for entity, record_id, operation, fields, old_values, revision in pending]


def _append_local_sqlite(session: Session, device: str, first: int, author: str, at: dt.datetime,
                         texts: list[tuple[str, str, int, str, str, str]]) -> None:
    """``append_entries`` for one flush of local entries on SQLite (``_local_texts``), the same
    rows: chained by ``chain_local`` and inserted as the driver's tuples, without the dict per entry
    that relayed entries need (a roster import flushes a quarter of a million)."""
    session.info.setdefault(CHANGED_ENTITIES, set()).update({entry[0] for entry in texts})
    connection = session.connection()
    links = chain_local(connection, device, first, author, at, texts)
    stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
    # the record id as the Uuid type stores it on SQLite: its 32 hex digits (the text chained, less its dashes)
    execute_driver_sql(connection, _INSERT_SQLITE, [
        (device, seq, entity, record_text.replace("-", ""), revision, operation, fields_text, old_text, author,
         stamp, link)
        for seq, (entity, record_text, revision, operation, fields_text, old_text), link
        in zip(itertools.count(first), texts, links)], options=_NO_OPTIONS, rows=len(texts))


def allocate_origin_sequence(session: Session, device_id: str, count: int) -> int:
    """Reserve ``count`` consecutive sequence numbers; returns the first. A bulk job with a writer
    thread reads the counter once and keeps it (storage/pipelined_writes.py ``job_state``)."""
    kept = job_state(session.connection())
    key = (_COUNTER, device_id)
    if kept is not None and key in kept:
        last = kept[key] = kept[key] + count
        # the update below, given to the writer: the job goes on meanwhile
        execute_driver_sql(session.connection(), _COUNT_SQLITE, (last, device_id), options=_NO_OPTIONS, rows=1)
        return last - count + 1
    last = session.execute(
        update(DeviceCounter).where(DeviceCounter.device_id == device_id)
        .values(last_seq=DeviceCounter.last_seq + count).returning(DeviceCounter.last_seq)
    ).scalar_one_or_none()
    if last is None:  # this device's first change: made so that a second writer waits rather than fails
        session.execute(insert_if_absent(session, DeviceCounter, device_id=device_id, last_seq=0))
        last = session.execute(
            update(DeviceCounter).where(DeviceCounter.device_id == device_id)
            .values(last_seq=DeviceCounter.last_seq + count).returning(DeviceCounter.last_seq)).scalar_one()
    if kept is not None:
        kept[key] = last
    return last - count + 1


_COUNTER = "device_counter"
_COUNT_SQLITE = "UPDATE device_counter SET last_seq = ? WHERE device_id = ?"


def last_origin_sequence(session: Session, device_id: str) -> int:
    return session.scalar(select(DeviceCounter.last_seq).where(DeviceCounter.device_id == device_id)) or 0
