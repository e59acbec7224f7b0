"""Audit anchors: the signed chain heads a child's packages carry, kept by the parent.

A person with a laptop, its password and a copy of the program can rewrite that laptop's change log and
recompute (and re-sign) its chain: nothing on the machine can stop that. What has left the machine
can: every package carries the sender's signed chain head and the hash its chain has now at the point
of the head it sent last. The parent keeps the heads (``audit_anchor``) and notes at import when the
chain no longer passes through the last one (history before it was rewritten) or got shorter (entries
deleted, or a backup restored). ``audit verify --child FILE`` at the parent walks a child's database
and checks that its chain passes through every head the parent kept from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from fpdesk.core import sync_package as fmt
from fpdesk.storage.audit_chain import head_signature_ok, iter_entries
from fpdesk.storage.schema import utc_now
from fpdesk.storage.schema_trust import AuditAnchor

NOTES = {  # (Chinese, English)
    "rewritten": ("发送设备的审计日志在上次交来之后被改写过（与上次交来的链头不衔接），请核查该单位的电脑。",
                  "The sending device's audit log was rewritten since its last package (it does not follow on from"
                  " the chain head received then): check that office's computer."),
    "shorter": ("发送设备的审计日志比上次交来时短（记录被删除，或从备份恢复过），请核查该单位的电脑。",
                "The sending device's audit log is shorter than in its last package (entries deleted, or a backup"
                " restored): check that office's computer."),
}


def keep_anchor(session, *, device: str, office: str, sign_public: str, audit: Any, package_id: str) -> str | None:
    """Store the head a package carried; the problem seen ('rewritten', 'shorter') or None."""
    if audit is None:  # a package of an older fpdesk
        return None
    if not (isinstance(audit, dict) and audit.get("device") == device and isinstance(audit.get("entries"), int)
            and isinstance(audit.get("last_hash"), str) and isinstance(audit.get("signature"), str)
            and head_signature_ok(sign_public, device, audit["entries"], audit["last_hash"], audit["signature"])):
        raise fmt.malformed("audit head", "审计链头")
    last = session.scalars(select(AuditAnchor).where(AuditAnchor.device_id == device)
                           .order_by(AuditAnchor.id.desc()).limit(1)).first()
    problem = None
    previous = audit.get("previous")
    if last is not None:
        if audit["entries"] < last.entries:
            problem = "shorter"
        elif (isinstance(previous, dict) and previous.get("entries") == last.entries
              and previous.get("hash") != last.last_hash):
            problem = "rewritten"
    session.add(AuditAnchor(device_id=device, office_code=office, entries=audit["entries"],
                            last_hash=audit["last_hash"], signature=audit["signature"], package_id=package_id,
                            received_at=utc_now(), problem=problem))
    return problem


@dataclass
class ChildCheck:
    """What ``check_child`` found: the anchors checked and those the child's chain does not pass."""

    device: str
    anchors: int = 0
    entries: int = 0
    broken: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken

    def as_dict(self) -> dict[str, Any]:
        return {"device": self.device, "anchors": self.anchors, "entries": self.entries, "ok": self.ok,
                "broken": self.broken}


def anchors_of(connection: Connection, device: str) -> list[tuple]:
    """(entries, last hash, received at) of the heads kept from ``device``, oldest position first."""
    return list(connection.execute(select(AuditAnchor.entries, AuditAnchor.last_hash, AuditAnchor.received_at)
                                   .where(AuditAnchor.device_id == device).order_by(AuditAnchor.entries)))


def check_child(parent: Connection, child: Connection, device: str) -> ChildCheck:
    """Walk the child's chain: at each anchor's position its hash must be the one the parent kept."""
    anchors = anchors_of(parent, device)
    found = ChildCheck(device, len(anchors))
    wanted: dict[int, list] = {}
    for entries, last_hash, received in anchors:
        wanted.setdefault(entries, []).append((last_hash, received))
    count = 0
    for row in iter_entries(child):
        count += 1
        for last_hash, received in wanted.pop(count, []):
            if row["chain_hash"] != last_hash:
                found.broken.append({"entries": count, "received_at": received.isoformat(sep=" ", timespec="seconds"),
                                     "reason": "rewritten"})
    found.entries = count
    for entries, items in sorted(wanted.items()):
        for _hash, received in items:
            found.broken.append({"entries": entries, "received_at": received.isoformat(sep=" ", timespec="seconds"),
                                 "reason": "shorter"})
    return found


def problems(connection: Connection) -> list[dict[str, Any]]:
    """Anchors whose import noticed a rewritten or shortened history."""
    return [{"device": device, "office": office, "entries": entries, "problem": problem,
             "received_at": received.isoformat(sep=" ", timespec="seconds")}
            for device, office, entries, problem, received in connection.execute(
                select(AuditAnchor.device_id, AuditAnchor.office_code, AuditAnchor.entries, AuditAnchor.problem,
                       AuditAnchor.received_at).where(AuditAnchor.problem.is_not(None)).order_by(AuditAnchor.id))]
