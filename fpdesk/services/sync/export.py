"""Export: everything a partner office has not acknowledged, as one signed, encrypted file.

Own changes go in a block this device signs now; other devices' changes (relayed) go in the
blocks their origin signed, as stored when they arrived. Lines are written in this office's local
order, so a receiver applies parents before children whatever device made them. The file is
written beside its final name and renamed when complete: a pulled USB stick never leaves a half
file that looks whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import json.scanner
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zstandard
from sqlalchemy import String, Text, and_, or_, select, type_coerce

from fpdesk.core import sync_package as fmt
from fpdesk.core.collector import young_generations_only
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.services.permissions import require
from fpdesk.services.sync import identity
from fpdesk.services.sync.ownership import travels
from fpdesk.services.sync.reference import publish_definitions
from fpdesk.services.sync.state import direction_to, peer, relay_ranges, vector
from fpdesk.services.trust.audit import log_access
from fpdesk.services.workspace import Workspace
from fpdesk.storage.audit_chain import GENESIS, head_statement
from fpdesk.storage.database import SCHEMA_HEAD
from fpdesk.storage.durable import write_atomically
from fpdesk.storage.schema import ChangeEntry, utc_now
from fpdesk.storage.schema_sync import OfficeRegistration
from fpdesk.storage.schema_trust import AuditChainHead

log = logging.getLogger(__name__)

COMPRESSION_LEVEL = 3


@dataclass
class ExportSummary:
    path: Path
    recipient: str
    channel_seq: int
    package_id: str
    records: int
    size: int
    by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"package": self.path.name, "path": str(self.path), "to": self.recipient,
                "sequence": self.channel_seq, "package_id": self.package_id, "records": self.records,
                "bytes": self.size, "by_kind": self.by_kind}


def export_package(workspace: Workspace, *, to: str, out: Path) -> ExportSummary:
    require(workspace, "sync")
    with young_generations_only():
        summary = _export_package(workspace, to=to, out=out)
    log.info("package %s exported to %s: %d records, %d bytes", summary.path.name, to, summary.records, summary.size)
    return summary


def _export_package(workspace: Workspace, *, to: str, out: Path) -> ExportSummary:
    me = workspace.require_office()
    with workspace.write() as ctx:
        keys = identity.ensure_identity(ctx)
        session = ctx.session
        partner = peer(session, to)
        direction = direction_to(partner)
        if me.level is OfficeLevel.COUNTY:
            publish_definitions(ctx)
            ctx.recorder.flush()  # published before the entries are read
        recipients = {r.device_id: r.enc_public for r in identity.active_devices(session, to)}
        if not recipients:
            raise DomainError("peer_not_joined", {"code": to})
        for escrow in identity.escrow_devices(session):
            recipients.setdefault(escrow.device_id, escrow.enc_public)
        partner_devices = set(session.scalars(select(OfficeRegistration.device_id).where(
            OfficeRegistration.office_code == to)))
        acknowledged = {k: int(v) for k, v in (partner.acknowledged or {}).items()}
        here = vector(session)

        blocks: list[dict[str, Any]] = []
        ranges: list[tuple[str, int, int, int]] = []  # origin, first, last, block index
        for origin, last in sorted(here.items()):
            after = acknowledged.get(origin, 0)
            if origin in partner_devices or last <= after:
                continue
            if origin == me.device_id:
                ranges.append((origin, after + 1, last, len(blocks)))
                blocks.append({"origin": origin, "from": after + 1, "to": last, "own": True})
                continue
            for stored in relay_ranges(session, origin, direction, after, last):
                ranges.append((origin, stored.from_seq, stored.to_seq, len(blocks)))
                blocks.append({"origin": origin, "from": stored.from_seq, "to": stored.to_seq,
                               "count": stored.count, "sha256": stored.digest, "sig": stored.signature})

        hashers = [hashlib.sha256() for _ in blocks]
        counts = [0] * len(blocks)
        by_kind: Counter[str] = Counter()
        compressed = io.BytesIO()
        writer = zstandard.ZstdCompressor(level=COMPRESSION_LEVEL).stream_writer(compressed, closefd=False)
        if ranges:
            lookup: dict[str, list[tuple[int, int, int]]] = {}
            for origin, first, last, index in ranges:
                lookup.setdefault(origin, []).append((first, last, index))
            query = select(*_STORED_COLUMNS).where(or_(*[
                and_(ChangeEntry.origin_device == origin, ChangeEntry.origin_seq.between(first, last))
                for origin, first, last, _ in ranges])).order_by(ChangeEntry.local_seq)
            connection = session.connection()
            stored = _StoredValues(connection.dialect)
            result = connection.execute(query, execution_options={"stream_results": True, "yield_per": 5000})
            entries = (entry for rows in result.partitions() for entry in rows)  # not a Python call per row
            sending = {}  # (entity, operation) -> travels in this direction
            prefixes = [b"%d\t" % index for index in range(len(blocks))]
            batch: list[bytes] = []
            for origin, seq, entity, record_id, revision, operation, fields, old, author, at in entries:
                goes = sending.get((entity, operation))
                if goes is None:
                    goes = sending[(entity, operation)] = travels(entity, operation, direction)
                if not goes:
                    continue
                fields = stored.json(fields)
                if entity == "office_key" and fields.get("source") == "registered":
                    continue  # a key this office chose to trust: its owner's parent registers it for others
                spans = lookup[origin]
                index = spans[0][2] if len(spans) == 1 else next(i for first, last, i in spans if first <= seq <= last)
                old = None if old is None or old == "null" else stored.json(old)  # an insert's: most entries
                line = fmt.entry_line(seq, entity, stored.record_id(record_id), revision, operation, fields,
                                      old, author, stored.at(at)) + b"\n"
                hashers[index].update(line)
                counts[index] += 1
                by_kind[entity] += 1
                batch.append(prefixes[index] + line)
                if len(batch) >= _LINES_PER_WRITE:
                    writer.write(b"".join(batch))
                    batch.clear()
            writer.write(b"".join(batch))
        writer.flush(zstandard.FLUSH_FRAME)

        for index, block in enumerate(blocks):
            digest = hashers[index].hexdigest()
            if block.pop("own", False):
                block.update(count=counts[index], sha256=digest)
                block["sig"] = fmt.b64(keys.sign(fmt.block_statement(
                    block["origin"], direction, block["from"], block["to"], counts[index], digest)))
            block["direction"] = direction

        ctx.recorder.flush()
        audit_head = _audit_head(session, keys, me.device_id, partner.last_anchor)
        partner.last_anchor = {"entries": audit_head["entries"], "last_hash": audit_head["last_hash"]}
        sequence = partner.last_sent_seq + 1
        package_id = str(new_id())
        created = utc_now().isoformat(timespec="seconds")
        manifest = {
            "package_id": package_id, "sender": {"office": me.code, "device": me.device_id, "level": me.level.value},
            "recipient": to, "channel_seq": sequence, "direction": direction, "created_at": created,
            "schema": SCHEMA_HEAD, "blocks": blocks, "counts": dict(sorted(by_kind.items())),
            "records": sum(by_kind.values()), "ack_basis": acknowledged,
            "receipt": {"vector": here, "last_received_seq": partner.last_received_seq,
                        "report": partner.our_report},
            "audit": audit_head,
        }
        manifest_bytes = fmt.canonical(manifest)
        inner = len(manifest_bytes).to_bytes(4, "big") + manifest_bytes + compressed.getvalue()
        header = {"package_id": package_id, "sender": {"office": me.code, "device": me.device_id},
                  "recipient": {"office": to}, "channel_seq": sequence, "created_at": created}
        if partner.relation == "parent" and partner.join_proof:
            header["join"] = partner.join_proof
        data = fmt.seal(header, inner, keys, recipients)
        path = _write_atomically(Path(out), fmt.file_name(me.code, to, sequence), data)
        partner.last_sent_seq = sequence
        partner.last_exported_at = utc_now()
    summary = ExportSummary(path, to, sequence, package_id, sum(by_kind.values()), len(data), dict(by_kind))
    log_access(workspace, "export", {"kind": "sync_package", "to": to, "package": path.name,
                                     "records": summary.records})
    return summary


# The change log's columns as the database hands them over: SQLAlchemy's JSON, Uuid and DateTime
# result processors cost more per entry than writing its line; _StoredValues does the same
# conversions, the repeated ones once.
_STORED_COLUMNS = (ChangeEntry.origin_device, ChangeEntry.origin_seq, ChangeEntry.entity,
                   type_coerce(ChangeEntry.record_id, String), ChangeEntry.revision, ChangeEntry.operation,
                   type_coerce(ChangeEntry.fields, Text), type_coerce(ChangeEntry.old_values, Text),
                   ChangeEntry.author, type_coerce(ChangeEntry.at, String))
_LINES_PER_WRITE = 2000
_TIMES_REMEMBERED = 10_000
_HEX_UUID = re.compile(r"[0-9a-f]{32}")
_JSON = json.JSONDecoder()
_SCAN_JSON = json.scanner.make_scanner(_JSON)


class _StoredValues:
    """A change-log column's stored form turned into what the ORM would read, exactly: JSON by the
    json module's own scanner (json.loads for anything but a bare value), ids and times by the
    column type's own processor (a time once per distinct stored text), an id stored as 32 hex
    digits formatted as str(uuid.UUID) would. Values the driver already converted pass through."""

    def __init__(self, dialect) -> None:
        self._uuid = _processor(ChangeEntry.record_id.type, dialect)
        self._datetime = _processor(ChangeEntry.at.type, dialect)
        self._times: dict[str, str] = {}

    @staticmethod
    def json(stored):
        if stored.__class__ is not str:
            return json.loads(stored) if isinstance(stored, bytes | bytearray | str) else stored
        if stored == "null":
            return None
        try:
            value, end = _SCAN_JSON(stored, 0)
        except StopIteration:
            return json.loads(stored)  # the same refusal json.loads gives
        return value if end == len(stored) else json.loads(stored)

    def record_id(self, stored) -> str:
        if isinstance(stored, str) and _HEX_UUID.fullmatch(stored):
            return f"{stored[:8]}-{stored[8:12]}-{stored[12:16]}-{stored[16:20]}-{stored[20:]}"
        return str(self._uuid(stored))

    def at(self, stored) -> str:
        if not isinstance(stored, str):
            return stored.isoformat()
        shown = self._times.get(stored)
        if shown is None:
            if len(self._times) >= _TIMES_REMEMBERED:  # a clerk's entries each have a time of their own
                self._times.clear()
            shown = self._times[stored] = self._datetime(stored).isoformat()
        return shown


def _processor(column_type, dialect):
    """What the column type does to a stored value as ``dialect`` hands it over (nothing: as it is)."""
    return column_type.dialect_impl(dialect).result_processor(dialect, None) or (lambda value: value)


def _write_atomically(out: Path, default_name: str, data: bytes) -> Path:
    return write_atomically(out / default_name if out.is_dir() else out, data, suffix=".part")



def _audit_head(session, keys: fmt.DeviceKeys, device: str, last: dict[str, Any] | None) -> dict[str, Any]:
    """This device's audit chain head, signed, and the chain's hash where the head we last sent this
    partner stood: the partner keeps both, and sees whether history before that point was rewritten."""
    head = session.get(AuditChainHead, 1)
    entries, last_hash = (head.entries, head.last_hash) if head is not None else (0, GENESIS)
    statement = {"device": device, "entries": entries, "last_hash": last_hash,
                 "signature": keys.sign(head_statement(device, entries, last_hash)).hex()}
    if last and 0 < int(last.get("entries") or 0) <= entries:
        at = session.scalar(select(ChangeEntry.chain_hash).order_by(ChangeEntry.local_seq)
                            .offset(int(last["entries"]) - 1).limit(1))
        statement["previous"] = {"entries": int(last["entries"]), "hash": at}
    return statement
