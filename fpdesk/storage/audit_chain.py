"""The tamper-evident audit chain over the change log.

Each change-log entry carries ``chain_hash`` = SHA-256 of (the previous entry's hash, the entry's
metadata, a digest of its field values), in ``local_seq`` order. Editing an entry breaks its own link;
deleting or moving one breaks the link after it; cutting the newest entries off disagrees with the
one-row ``audit_chain_head`` (last hash + number of entries). The head is taken under a row lock by
every writer, so on PostgreSQL concurrent writers chain one after another in commit order.

Every insert into ``change_log`` must pass its rows through ``chain_rows`` first (the local
``ChangeRecorder.flush`` and, for relayed entries, sync's import), so the chain covers them all.

An anonymised person's entries keep their link: their values are replaced by the marker
``{"_redacted": <payload digest>}``, and the digest stands in for the values it replaced.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Text, cast, insert, select, update

from fpdesk.storage.pipelined_writes import execute_driver_sql, job_state
from fpdesk.storage.schema import ChangeEntry
from fpdesk.storage.schema_trust import AuditChainHead

GENESIS = "0" * 64
REDACTED = "_redacted"
_REDACTED_PREFIX = '{"_redacted": "'
_sha256 = hashlib.sha256
_dumps = json.dumps  # SQLAlchemy's JSON type writes json.dumps(value): the stored text is what we hash


def json_text(value: Any) -> str:
    """The JSON text stored for a value (a writer may hand over text it serialised already)."""
    if value is None:
        return "null"
    return value if isinstance(value, str) else _dumps(value)


def payload_digest(fields: Any, old_values: Any) -> str:
    """The digest of an entry's stored values (or the digest a redaction marker kept in their place).

    Hashing the stored JSON text, not a re-encoding of it, keeps the chain cheap: the writer serialises
    once and verification reads the text back without decoding it.
    """
    fields_text = json_text(fields)
    if fields_text.startswith(_REDACTED_PREFIX):
        return json.loads(fields_text)[REDACTED]
    return _sha256(f"{fields_text}\x1f{json_text(old_values)}".encode()).hexdigest()


@functools.lru_cache(maxsize=16)  # one flush stamps all its entries with the same moment
def _moment(value: Any) -> str:
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)


def link_hash(previous: str, row: dict[str, Any] | Any) -> str:
    """This entry's link: row is a dict about to be inserted, or a mapping read back."""
    meta = (f"{row['origin_device']}|{row['origin_seq']}|{row['entity']}|{row['record_id']}|{row['revision']}|"
            f"{row['operation']}|{row['author']}|{_moment(row['at'])}")
    return _sha256(f"{previous}|{meta}|{payload_digest(row['fields'], row['old_values'])}".encode()).hexdigest()


def chain_rows(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Fill ``chain_hash`` of the rows about to be inserted (in that order) and advance the head.

    Call inside the inserting transaction, just before the insert; the head stays locked until commit.
    """
    if not rows:
        return
    previous, entries = _take_head(connection)
    for row in rows:
        previous = row["chain_hash"] = link_hash(previous, row)
    _advance_head(connection, previous, entries + len(rows))


def chain_local(connection: Connection, device: str, first_seq: int, author: str, at: dt.datetime,
                entries: list[tuple[str, Any, int, str, str, str]]) -> list[str]:
    """``chain_rows`` for one flush of local entries (consecutive sequence numbers from ``first_seq``,
    one author, one moment), given as (entity, record id or its text, revision, operation, fields text, old
    values text): the same links ``link_hash`` makes, returned in order, without a dict per entry.
    """
    if not entries:
        return []
    previous, count = _take_head(connection)
    sha256 = _sha256
    # everything in link_hash's metadata but the entry's own parts, formatted once
    tail = f"|{author}|{_moment(at)}|"
    links = []
    for seq, (entity, record_id, revision, operation, fields_text, old_text) in enumerate(entries, first_seq):
        if fields_text.startswith(_REDACTED_PREFIX):
            digest = payload_digest(fields_text, old_text)
        else:
            digest = sha256(f"{fields_text}\x1f{old_text}".encode()).hexdigest()
        previous = sha256(f"{previous}|{device}|{seq}|{entity}|{record_id}|{revision}|{operation}{tail}{digest}"
                          .encode()).hexdigest()
        links.append(previous)
    _advance_head(connection, previous, count + len(entries))
    return links


def chain_received(connection: Connection, entries: list[tuple[str, int, str, str, int, str, str, str, str, str]]
                   ) -> list[str]:
    """``chain_rows`` for entries received by sync, given as (origin device, origin sequence, entity,
    record id text, revision, operation, author, moment text, fields text, old values text): the links
    ``link_hash`` makes, returned in order, without a dict per entry."""
    if not entries:
        return []
    previous, count = _take_head(connection)
    sha256 = _sha256
    links = []
    for device, seq, entity, record_id, revision, operation, author, moment, fields_text, old_text in entries:
        if fields_text.startswith(_REDACTED_PREFIX):
            digest = payload_digest(fields_text, old_text)
        else:
            digest = sha256(f"{fields_text}\x1f{old_text}".encode()).hexdigest()
        previous = sha256(f"{previous}|{device}|{seq}|{entity}|{record_id}|{revision}|{operation}|{author}|{moment}|"
                          f"{digest}".encode()).hexdigest()
        links.append(previous)
    _advance_head(connection, previous, count + len(entries))
    return links


def _take_head(connection: Connection) -> tuple[str, int]:
    """(last hash, entries) of the chain head, locked until the transaction ends. A bulk job with a
    writer thread reads it once and keeps it (storage/pipelined_writes.py ``job_state``)."""
    kept = job_state(connection)
    if kept is not None and _HEAD in kept:
        return kept[_HEAD]
    table = AuditChainHead.__table__
    head = connection.execute(
        select(table.c.last_hash, table.c.entries).where(table.c.id == 1).with_for_update()).first()
    if head is None:
        connection.execute(insert(table).values(id=1, last_hash=GENESIS, entries=0))
        head = (GENESIS, 0)
    if kept is not None:
        kept[_HEAD] = (head[0], head[1])
    return head[0], head[1]


def _advance_head(connection: Connection, last_hash: str, entries: int) -> None:
    kept = job_state(connection)
    if kept is None:
        table = AuditChainHead.__table__
        connection.execute(update(table).where(table.c.id == 1).values(
            last_hash=last_hash, entries=entries, **signed_head(local_signer(connection), entries, last_hash)))
        return
    if _SIGNER not in kept:
        kept[_SIGNER] = local_signer(connection)
    signed = signed_head(kept[_SIGNER], entries, last_hash)
    kept[_HEAD] = (last_hash, entries)
    # the update above, given to the writer: the job goes on meanwhile
    execute_driver_sql(connection, _ADVANCE_SQLITE, (last_hash, entries, signed["signature"], signed["signed_by"]),
                       options={}, rows=1)


_HEAD, _SIGNER = "audit_chain_head", "audit_chain_signer"  # what a bulk job keeps (job_state)
_ADVANCE_SQLITE = "UPDATE audit_chain_head SET last_hash = ?, entries = ?, signature = ?, signed_by = ? WHERE id = 1"


# ---- the head signed by this device ---------------------------------------------------------------
# An unkeyed chain can be recomputed by anyone who edits the file. Every write therefore signs the
# head with the device's Ed25519 key, and every sync package carries the signed head to the parent,
# which keeps it (audit_anchor): what left the machine cannot be rewritten on it.

HEAD_KIND = "fpdesk-audit-head"


def head_statement(device: str, entries: int, last_hash: str) -> bytes:
    return f"{HEAD_KIND}|{device}|{entries}|{last_hash}".encode()


def local_signer(connection: Connection) -> tuple[str, bytes] | None:
    """(device id, private signing key) of this installation, or None before it has one."""
    from fpdesk.storage.schema import Office
    from fpdesk.storage.schema_sync import DeviceKey

    row = connection.execute(select(DeviceKey.device_id, DeviceKey.sign_private).join(
        Office, Office.device_id == DeviceKey.device_id).where(Office.is_local.is_(True))).first()
    return (row[0], row[1]) if row is not None else None


def signed_head(signer: tuple[str, bytes] | None, entries: int, last_hash: str) -> dict[str, Any]:
    if signer is None:
        return {"signature": None, "signed_by": None}
    from nacl.signing import SigningKey

    signature = SigningKey(signer[1]).sign(head_statement(signer[0], entries, last_hash)).signature
    return {"signature": signature.hex(), "signed_by": signer[0]}


def head_signature_ok(device_public_hex: str, device: str, entries: int, last_hash: str, signature_hex: str) -> bool:
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    try:
        VerifyKey(bytes.fromhex(device_public_hex)).verify(head_statement(device, entries, last_hash),
                                                           bytes.fromhex(signature_hex))
        return True
    except (BadSignatureError, ValueError):
        return False


def sign_current_head(connection: Connection) -> None:
    """Sign the head as it stands (migration 0009, and a device key made after the last write)."""
    table = AuditChainHead.__table__
    head = connection.execute(select(table.c.last_hash, table.c.entries).where(table.c.id == 1)).first()
    if head is not None:
        connection.execute(update(table).where(table.c.id == 1).values(
            **signed_head(local_signer(connection), head[1], head[0])))


@dataclass
class Verification:
    """What ``verify_chain`` found: ``ok`` with the count, or the first broken entry and why."""

    entries: int = 0
    broken_seq: int | None = None
    reason: str = ""  # link_mismatch | unchained | head_mismatch | head_signature | head_unsigned | …
    broken_entry: dict[str, Any] = field(default_factory=dict)
    details: list[dict[str, Any]] = field(default_factory=list)  # what a later check found (services/audit)

    @property
    def ok(self) -> bool:
        return not self.reason


_COLUMNS = ("local_seq", "origin_device", "origin_seq", "entity", "record_id", "revision", "operation",
            "fields", "old_values", "author", "at", "chain_hash")


def iter_entries(connection: Connection, batch: int = 5000) -> Iterator[Any]:
    """Entries in ``local_seq`` order, their values as the stored JSON text."""
    table = ChangeEntry.__table__
    columns = [cast(table.c[name], Text).label(name) if name in ("fields", "old_values") else table.c[name]
               for name in _COLUMNS]
    query = select(*columns).order_by(table.c.local_seq)
    with connection.execute(query, execution_options={"yield_per": batch}) as result:
        for row in result:
            yield row._mapping


def verify_chain(connection: Connection) -> Verification:
    """Walk the whole change log in ``local_seq`` order and recompute every link."""
    found = Verification()
    previous = GENESIS
    with closing(iter_entries(connection)) as entries:
        for row in entries:
            if row["chain_hash"] is None:
                return _broken(found, row, "unchained")
            if link_hash(previous, row) != row["chain_hash"]:
                return _broken(found, row, "link_mismatch")
            previous = row["chain_hash"]
            found.entries += 1
    head = connection.execute(select(AuditChainHead.last_hash, AuditChainHead.entries, AuditChainHead.signature,
                                     AuditChainHead.signed_by).where(AuditChainHead.id == 1)).first()
    head_hash, head_entries, signature, signed_by = head if head is not None else (GENESIS, 0, None, None)
    if head_hash != previous or head_entries != found.entries:
        found.reason = "head_mismatch"
        found.broken_entry = {"chained_entries": head_entries, "found_entries": found.entries}
        return found
    signer = local_signer(connection)
    if signer is not None and found.entries and signature is None:
        found.reason = "head_unsigned"  # this device signs every write: someone removed the signature
    elif signature is not None:
        from fpdesk.storage.schema_sync import DeviceKey

        public = connection.execute(select(DeviceKey.sign_public).where(DeviceKey.device_id == signed_by)).scalar()
        if public is None or (signer is not None and signed_by != signer[0]) or not head_signature_ok(
                public, signed_by, head_entries, head_hash, signature):
            found.reason = "head_signature"
    return found


def _broken(found: Verification, row: Any, reason: str) -> Verification:
    found.broken_seq = row["local_seq"]
    found.reason = reason
    found.broken_entry = {name: row[name] for name in ("local_seq", "entity", "record_id", "operation",
                                                       "author", "at")}
    return found


def seal_unchained(connection: Connection) -> int:
    """Chain a log written before the chain existed (migration 0005): every entry, in order."""
    table = ChangeEntry.__table__
    previous, count, pending = GENESIS, 0, []
    for row in iter_entries(connection):
        previous = link_hash(previous, row)
        pending.append({"seq": row["local_seq"], "hash": previous})
        count += 1
    _store_links(connection, table, pending)
    head = AuditChainHead.__table__
    connection.execute(head.delete())
    connection.execute(insert(head).values(id=1, last_hash=previous, entries=count))
    return count


def _store_links(connection: Connection, table, links: Iterable[dict[str, Any]]) -> None:
    from sqlalchemy import bindparam

    links = list(links)
    if links:
        connection.execute(update(table).where(table.c.local_seq == bindparam("seq"))
                           .values(chain_hash=bindparam("hash")), links)


def redact_entries(connection: Connection, local_seqs: list[int]) -> int:
    """Replace the values of these entries by their digest, keeping the chain verifiable."""
    table = ChangeEntry.__table__
    rows = connection.execute(select(table.c.local_seq, cast(table.c.fields, Text), cast(table.c.old_values, Text))
                              .where(table.c.local_seq.in_(local_seqs))).all()
    changes = [{"seq": seq, "redacted": {REDACTED: payload_digest(fields, old)}}
               for seq, fields, old in rows if not json_text(fields).startswith(_REDACTED_PREFIX)]
    if changes:
        from sqlalchemy import bindparam

        connection.execute(update(table).where(table.c.local_seq == bindparam("seq"))
                           .values(fields=bindparam("redacted"), old_values=None), changes)
    return len(changes)
