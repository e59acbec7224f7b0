"""The office's Ed25519 signing key and verifying signed QR payloads offline.

Each installation signs with its own key, created on first need inside the writing transaction
that first signs (so a rolled-back print job leaves no key behind) and kept in the local database.
Keys are numbered per office: the payload names the key number, so a replaced key still lets
older printouts verify. The change log records a key's public half only: sync will carry public
keys of other offices (registered through their parent, ``source='registered'``), never a
private key. Until then, an office verifies its own printouts, and any office whose public key
was registered here with ``register_public_key``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpdesk.core import signed_payload
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema_printing import OfficeKey, PrintLog

GENUINE, ALTERED, UNKNOWN_OFFICE, MALFORMED = "genuine", "altered", "unknown_office", "malformed"
VERDICTS: dict[str, tuple[str, str]] = {
    GENUINE: ("真实：签名有效，内容未被改动。", "Genuine: the signature is valid and the content unchanged."),
    ALTERED: ("已被改动：签名与内容不符，这不是本单位出具的原件。",
              "Altered: the signature does not match the content; this is not the office's original."),
    UNKNOWN_OFFICE: ("无法核验：本机没有单位{office_code}（密钥{key_number}）的公钥。",
                     "Cannot verify: no public key of office {office_code} (key {key_number}) is registered here."),
    MALFORMED: ("不是 fpdesk 的核验码（{detail}）。请检查扫码枪是否处于英文输入状态。",
                "Not an fpdesk verification code ({detail}). Check that the scanner types in English input mode."),
}


@dataclass(frozen=True)
class SigningKey:
    office_code: str
    key_number: int
    private_key: bytes


def signing_key(ctx: WriteContext) -> SigningKey:
    """This office's newest signing key, created (and logged without its private half) if there is none."""
    key = current_signing_key(ctx.session, ctx.office.code)
    if key is None:
        key, public = new_signing_key(ctx.session, ctx.office.code)
        store_signing_key(ctx, key, public)
    return key


def current_signing_key(session, office: str) -> SigningKey | None:
    """The office's newest key that can sign, or None (a read: a print job reads it before it draws)."""
    row = session.scalars(
        select(OfficeKey).where(OfficeKey.office_code == office, OfficeKey.private_key.is_not(None),
                                OfficeKey.revoked_at.is_(None))
        .order_by(OfficeKey.key_number.desc())).first()
    return None if row is None else SigningKey(office, row.key_number, row.private_key)


def new_signing_key(session, office: str) -> tuple[SigningKey, bytes]:
    """A fresh key pair under the office's next key number, not yet stored (``store_signing_key``);
    with its public half."""
    number = (session.scalar(select(func.max(OfficeKey.key_number)).where(OfficeKey.office_code == office))
              or 0) + 1
    private, public = signed_payload.new_private_key()
    return SigningKey(office, number, private), public


def store_signing_key(ctx: WriteContext, key: SigningKey, public: bytes) -> None:
    row = OfficeKey(id=new_id(), office_code=key.office_code, key_number=key.key_number, public_key=public,
                    private_key=key.private_key, source="local", revision=1)
    ctx.session.add(row)
    ctx.recorder.record("office_key", row.id, "insert", {
        "office_code": key.office_code, "key_number": key.key_number, "public_key": public.hex(),
        "source": "local"}, 1)


def register_public_key(workspace: Workspace, *, office_code: str, key_number: int, public_key: bytes) -> uuid.UUID:
    """Trust another office's public key (the sync issue calls this with keys relayed by the parent)."""
    require(workspace, "keys.manage")
    with workspace.write() as ctx:
        existing = ctx.session.scalar(select(OfficeKey).where(OfficeKey.office_code == office_code,
                                                              OfficeKey.key_number == key_number))
        if existing is not None:
            if existing.public_key != public_key:
                raise DomainError("key_already_registered", {"office_code": office_code, "key_number": key_number})
            return existing.id
        row = OfficeKey(id=new_id(), office_code=office_code, key_number=key_number, public_key=public_key,
                        private_key=None, source="registered", revision=1)
        ctx.session.add(row)
        ctx.recorder.record("office_key", row.id, "insert", {
            "office_code": office_code, "key_number": key_number, "public_key": public_key.hex(),
            "source": "registered"}, 1)
    return row.id


def public_keys(workspace: Workspace) -> list[dict[str, Any]]:
    """Every key this installation trusts, with fingerprints (to read out when registering)."""
    with workspace.read() as session:
        rows = session.scalars(select(OfficeKey).order_by(OfficeKey.office_code, OfficeKey.key_number)).all()
        return [{"office_code": r.office_code, "key_number": r.key_number, "source": r.source,
                 "public_key": r.public_key.hex(), "fingerprint": signed_payload.fingerprint(r.public_key)}
                for r in rows]


@dataclass
class Verification:
    """The verdict on one scanned payload.

    Attributes:
        verdict: genuine | altered | unknown_office | malformed.
        claims: what the payload states (None when malformed).
        record: for a genuine printout of this office, what the database knows now (number, status).
    """

    verdict: str
    claims: dict[str, Any] | None
    detail: str = ""
    record: dict[str, Any] | None = None

    @property
    def genuine(self) -> bool:
        return self.verdict == GENUINE

    def _params(self) -> dict[str, Any]:
        return {**(self.claims or {}), "detail": self.detail}

    @property
    def message_zh(self) -> str:
        return VERDICTS[self.verdict][0].format_map(_Lenient(self._params()))

    @property
    def message_en(self) -> str:
        return VERDICTS[self.verdict][1].format_map(_Lenient(self._params()))

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "genuine": self.genuine, "message": self.message_zh,
                "message_en": self.message_en, "claims": self.claims, "record": self.record}


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def verify_payload(workspace: Workspace, text: str) -> Verification:
    """Check a scanned payload against the keys registered here; never raises for bad input."""
    try:
        payload = signed_payload.decode(text)
    except signed_payload.PayloadError as error:
        return Verification(MALFORMED, None, detail=str(error))
    claims = payload.claims.as_dict()
    if payload.claims.kind == signed_payload.CERTIFICATE:
        claims["number"] = f"{payload.claims.office_code}-{claims['number']}"
        claims["holder"] = signed_payload.expand_holder(str(claims["holder"]))
    elif payload.claims.kind == signed_payload.ROSTER:
        claims["number"] = f"{payload.claims.office_code}-{claims['number']}"
    with workspace.read() as session:
        key = session.scalar(select(OfficeKey.public_key).where(
            OfficeKey.office_code == payload.claims.office_code,
            OfficeKey.key_number == payload.claims.key_number))
        if key is None:
            return Verification(UNKNOWN_OFFICE, claims)
        if not payload.verify(key):
            return Verification(ALTERED, claims)
        return Verification(GENUINE, claims, record=_record(session, payload.claims.kind, str(claims["number"])))


def _record(session: Session, kind: str, number: str) -> dict[str, Any] | None:
    """What this database knows of a genuine printout: when it was first printed, and for a
    certificate the enrollment's status now (a refunded family's certificate is genuine but void)."""
    from fpdesk.core import enrollment_states as states
    from fpdesk.storage.schema_enrollment import Enrollment

    log_kind = "certificate" if kind == signed_payload.CERTIFICATE else "roster"
    first = session.execute(select(PrintLog.printed_at, PrintLog.subject_id).where(
        PrintLog.kind == log_kind, PrintLog.number == number).order_by(PrintLog.printed_at)).first()
    if first is None:
        return None
    record: dict[str, Any] = {"first_printed_at": first.printed_at.isoformat(timespec="seconds")}
    if first.subject_id is not None:
        status = session.scalar(select(Enrollment.status).where(Enrollment.id == first.subject_id))
        if status is not None:
            record.update(status=status, status_zh=states.label_zh(status), in_force=status in states.IN_FORCE)
    return record
