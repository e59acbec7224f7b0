"""Who is who: this device's keys, office registrations, pairing by invitation, revocation.

The county is the root: its first device registers itself. A parent office registers a child
office by issuing an invitation file and a one-time pairing code (read over the phone). The child
sets itself up from both, makes its own keys, and proves knowledge of the code in its first
package; the parent then writes the signed registration (a change by the parent's device, so it
travels up to the county and down to the child like any reference data). A revocation is a cut
in the device's change sequence: what it sent up to the cut stays valid.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpdesk.core import divisions
from fpdesk.core import sync_package as fmt
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace, WriteContext, add_division_row, init_office
from fpdesk.storage.durable import write_atomically
from fpdesk.storage.schema import ChangeEntry, Division
from fpdesk.storage.schema_sync import DeviceKey, OfficeRegistration, SyncInvitation, SyncPeer

INVITATION_KIND = "fpdesk-invitation"
LEVEL_RANK = {"village": 1, "township": 2, "county": 3}


# ---- this device ----------------------------------------------------------------------------------

def device_keys(session: Session, device_id: str) -> fmt.DeviceKeys | None:
    row = session.get(DeviceKey, device_id)
    return fmt.DeviceKeys(row.sign_private, row.enc_private) if row is not None else None


def ensure_identity(ctx: WriteContext) -> fmt.DeviceKeys:
    """This device's keys, made on first need; a county's first device registers itself as the root."""
    keys = device_keys(ctx.session, ctx.office.device_id)
    if keys is None:
        keys = fmt.new_device_keys()
        ctx.session.add(DeviceKey(device_id=ctx.office.device_id, sign_private=keys.sign_private,
                                  sign_public=keys.sign_public, enc_private=keys.enc_private,
                                  enc_public=keys.enc_public))
        ctx.session.flush()
    if ctx.office.level is OfficeLevel.COUNTY and registration(ctx.session, ctx.office.device_id) is None:
        _register(ctx, device_id=ctx.office.device_id, office_code=ctx.office.code, level="county",
                  name=ctx.office.name, parent_code=None, sign_public=keys.sign_public,
                  enc_public=keys.enc_public, registered_by="root")
    return keys


def registration(session: Session, device_id: str) -> OfficeRegistration | None:
    return session.scalar(select(OfficeRegistration).where(OfficeRegistration.device_id == device_id))


def registration_fields(row: OfficeRegistration) -> dict[str, Any]:
    return {"device_id": row.device_id, "office_code": row.office_code, "level": row.level, "name": row.name,
            "parent_code": row.parent_code, "sign_public": row.sign_public, "enc_public": row.enc_public,
            "registered_by": row.registered_by, "revoked_seq": row.revoked_seq, "revoked_by": row.revoked_by}


def _register(ctx: WriteContext, **fields: Any) -> OfficeRegistration:
    row = OfficeRegistration(id=new_id(), revision=1, revoked_seq=None, revoked_by=None, **fields)
    ctx.session.add(row)
    ctx.session.flush()
    ctx.recorder.record("office_registration", row.id, "insert", registration_fields(row), 1)
    return row


def active_devices(session: Session, office_code: str) -> list[OfficeRegistration]:
    return list(session.scalars(select(OfficeRegistration).where(
        OfficeRegistration.office_code == office_code, OfficeRegistration.revoked_seq.is_(None))))


def escrow_devices(session: Session) -> list[OfficeRegistration]:
    """The county's active devices: every package is also readable by the county (escrow)."""
    return list(session.scalars(select(OfficeRegistration).where(
        OfficeRegistration.level == "county", OfficeRegistration.revoked_seq.is_(None))))


def is_below(child_code: str, parent_code: str) -> bool:
    return child_code != parent_code and child_code.startswith(parent_code)


# ---- invitations ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Invitation:
    office_code: str
    level: str
    name: str
    pairing_code: str
    path: Path


def add_child_office(workspace: Workspace, *, code: str, level: str, name: str, out: Path) -> Invitation:
    """Register a child office: write the invitation file and return the one-time pairing code."""
    require(workspace, "keys.manage")
    me = workspace.require_office()
    level_value = OfficeLevel(level)
    parsed = divisions.check_office_code(code, level_value)
    if parsed.parent != me.code and not (me.level is OfficeLevel.COUNTY and parsed.code[:6] == me.code
                                          and level_value is OfficeLevel.TOWNSHIP):
        raise DomainError("office_not_child", {"code": parsed.code, "office": me.code})
    name = name.strip()
    if not name:
        raise DomainError("missing_field", {"field_zh": "单位名称", "field_en": "office name"})
    pairing_code = fmt.new_pairing_code()
    salt = secrets.token_bytes(16)
    key = fmt.pairing_key(pairing_code, salt)
    with workspace.write() as ctx:
        keys = ensure_identity(ctx)
        if ctx.session.scalar(select(Division.id).where(Division.code == parsed.code)) is None:
            from fpdesk.services.workspace import _division_name

            add_division_row(ctx, parsed.code, _division_name(name, level_value), 2024)
        invitation = SyncInvitation(id=new_id(), office_code=parsed.code, level=level_value.value, name=name,
                                    code_key=key, status="pending")
        ctx.session.add(invitation)
        ctx.session.flush()
        ctx.recorder.record("sync_invitation", invitation.id, "insert",
                            {"office_code": parsed.code, "level": level_value.value, "name": name}, 1)
        if ctx.session.get(SyncPeer, parsed.code) is None:
            ctx.session.add(SyncPeer(office_code=parsed.code, relation="child", acknowledged={}))
        body = {
            "invitation_id": str(invitation.id),
            "office": {"code": parsed.code, "level": level_value.value, "name": name},
            "parent": {"office_code": me.code, "level": me.level.value, "name": me.name,
                       "device_id": me.device_id, "sign_public": keys.sign_public, "enc_public": keys.enc_public},
            "registrations": [{"id": str(r.id), **registration_fields(r)}
                              for r in _ancestor_registrations(ctx.session, parsed.code)],
            "divisions": [{"id": str(d.id), "code": d.code, "name": d.name, "kind": d.kind,
                           "parent_code": d.parent_code, "code_year": d.code_year}
                          for d in ctx.session.scalars(select(Division).where(Division.code.startswith(parsed.code))
                                                       .order_by(Division.code))],
        }
    document = {"kind": INVITATION_KIND, "version": 1, "salt": fmt.b64(salt), "body": body,
                "mac": fmt.mac(key, fmt.canonical(body))}
    out = write_atomically(Path(out), json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
                           suffix=".part")
    return Invitation(parsed.code, level_value.value, name, pairing_code, out)


def _ancestor_registrations(session: Session, child_code: str) -> list[OfficeRegistration]:
    rows = session.scalars(select(OfficeRegistration).where(OfficeRegistration.revoked_seq.is_(None))
                           .order_by(OfficeRegistration.office_code)).all()
    return [r for r in rows if child_code.startswith(r.office_code) and r.office_code != child_code]


def read_invitation(path: Path, pairing_code: str) -> dict[str, Any]:
    """The invitation's body once the pairing code proves it genuine (refused otherwise)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        if document.get("kind") != INVITATION_KIND:
            raise ValueError("not an invitation")
        if document.get("version") != 1:
            raise ValueError(f"version {document.get('version')}")
        salt, body, expected = fmt.unb64(document["salt"]), document["body"], document["mac"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DomainError("invitation_invalid", {"name": Path(path).name, "detail": str(error)}) from None
    key = fmt.pairing_key(pairing_code, salt)
    if not fmt.mac_ok(key, fmt.canonical(body), expected):
        raise DomainError("pairing_code_wrong")
    return {**body, "_key": key}


def join_by_invitation(workspace: Workspace, path: Path, pairing_code: str) -> None:
    """Set this installation up as the invited office (``fpdesk init --invite``)."""
    if workspace.office is not None:
        raise DomainError("db_already_initialised", {"code": workspace.office.code, "name": workspace.office.name})
    body = read_invitation(path, pairing_code)
    key = body.pop("_key")
    office = body["office"]
    # The office's own division (and its villages) keep the parent's record ids, so the records
    # this office registers point at divisions the parent already has. They are logged again when
    # the parent's first package brings them as reference data.
    with workspace.db.transaction() as session:
        for item in body["divisions"]:
            if session.scalar(select(Division.id).where(Division.code == item["code"])) is None:
                session.add(Division(**{**item, "id": uuid.UUID(item["id"])}, revision=1))
    init_office(workspace, code=office["code"], level=office["level"], name=office["name"])
    with workspace.write() as ctx:
        keys = ensure_identity(ctx)
        # the registrations are the parent's records, logged when its first package brings them
        for item in body["registrations"]:
            if registration(ctx.session, item["device_id"]) is None:
                ctx.session.add(OfficeRegistration(**{**item, "id": uuid.UUID(item["id"])}, revision=1))
                ctx.recorder.logged_elsewhere("office_registration", uuid.UUID(item["id"]))
        parent = body["parent"]
        if registration(ctx.session, parent["device_id"]) is None:
            # Trusted through the pairing code until the county's registration of the parent arrives.
            stand_in = OfficeRegistration(id=new_id(), revision=1, parent_code=None, registered_by="invitation",
                                          **parent)
            ctx.session.add(stand_in)
            ctx.recorder.logged_elsewhere("office_registration", stand_in.id)
        join = {"invitation_id": body["invitation_id"], "device_id": ctx.office.device_id,
                "office_code": ctx.office.code, "level": ctx.office.level.value, "name": ctx.office.name,
                "sign_public": keys.sign_public, "enc_public": keys.enc_public}
        join["mac"] = fmt.mac(key, fmt.canonical(join))
        ctx.session.add(SyncPeer(office_code=parent["office_code"], relation="parent", acknowledged={},
                                 join_proof=join))


def accept_join(ctx: WriteContext, join: dict[str, Any], sender_sign_public: str) -> OfficeRegistration | None:
    """A child's first package: check its proof of the pairing code, then register its device."""
    try:
        invitation = ctx.session.get(SyncInvitation, uuid.UUID(join["invitation_id"]))
        proof = {k: v for k, v in join.items() if k != "mac"}
    except (KeyError, ValueError, TypeError):
        return None
    if invitation is None or invitation.office_code != join.get("office_code"):
        return None
    if join.get("sign_public") != sender_sign_public or not fmt.mac_ok(invitation.code_key, fmt.canonical(proof),
                                                                       join.get("mac", "")):
        return None
    if invitation.status == "joined" and invitation.joined_device != join["device_id"]:
        return None  # one-time: a second laptop needs a new invitation
    existing = registration(ctx.session, join["device_id"])
    if existing is not None:
        return existing
    invitation.status, invitation.joined_device = "joined", join["device_id"]
    ctx.recorder.record("sync_invitation", invitation.id, "update", {"status": "joined"}, 2, {"status": "pending"})
    return _register(ctx, device_id=join["device_id"], office_code=invitation.office_code, level=invitation.level,
                     name=invitation.name, parent_code=ctx.office.code, sign_public=join["sign_public"],
                     enc_public=join["enc_public"], registered_by=ctx.office.device_id)


def pending_join(session: Session, join: dict[str, Any] | None) -> str | None:
    """The public key a not-yet-registered sender claims, when an invitation of ours matches."""
    if not join:
        return None
    try:
        invitation = session.get(SyncInvitation, uuid.UUID(join["invitation_id"]))
    except (KeyError, ValueError, TypeError):
        return None
    if invitation is None:
        return None
    proof = {k: v for k, v in join.items() if k != "mac"}
    if not fmt.mac_ok(invitation.code_key, fmt.canonical(proof), str(join.get("mac", ""))):
        return None
    return str(join.get("sign_public"))


# ---- revocation and listing ------------------------------------------------------------------------

def revoke(workspace: Workspace, *, code: str, device: str | None = None) -> list[dict[str, Any]]:
    """Revoke an office's devices (or one) at the last change this office received from each."""
    require(workspace, "keys.manage")
    me = workspace.require_office()
    if not (is_below(code, me.code) or me.level is OfficeLevel.COUNTY) or code == me.code:
        raise DomainError("office_not_child", {"code": code, "office": me.code})
    done = []
    with workspace.write() as ctx:
        ensure_identity(ctx)
        rows = [r for r in ctx.session.scalars(select(OfficeRegistration).where(
            OfficeRegistration.office_code == code)) if device in (None, r.device_id)]
        if not rows:
            raise DomainError("office_unknown", {"code": code})
        for row in rows:
            if row.revoked_seq is not None:
                continue
            cut = ctx.session.scalar(select(func.max(ChangeEntry.origin_seq)).where(
                ChangeEntry.origin_device == row.device_id)) or 0
            row.revoked_seq, row.revoked_by = cut, ctx.office.device_id
            row.revision += 1
            ctx.recorder.record("office_registration", row.id, "update",
                                {"revoked_seq": cut, "revoked_by": ctx.office.device_id}, row.revision,
                                {"revoked_seq": None, "revoked_by": None})
            done.append({"office_code": code, "device_id": row.device_id, "revoked_seq": cut})
    return done


def list_offices(workspace: Workspace) -> list[dict[str, Any]]:
    with workspace.read() as session:
        peers = {p.office_code: p for p in session.scalars(select(SyncPeer))}
        items = []
        for row in session.scalars(select(OfficeRegistration).order_by(OfficeRegistration.office_code)):
            peer = peers.get(row.office_code)
            items.append({
                "office_code": row.office_code, "level": row.level, "name": row.name, "device_id": row.device_id,
                "fingerprint": fmt.fingerprint(row.sign_public),
                "status": "revoked" if row.revoked_seq is not None else "active", "revoked_seq": row.revoked_seq,
                "relation": peer.relation if peer else None,
                "last_exported_at": _iso(peer.last_exported_at) if peer else None,
                "last_imported_at": _iso(peer.last_imported_at) if peer else None,
                # what that office made of our last package (its report came back in its receipt)
                "their_report": _report(peer.their_report) if peer else None})
        registered = {i["office_code"] for i in items}
        for invitation in session.scalars(select(SyncInvitation).where(SyncInvitation.status == "pending")):
            if invitation.office_code not in registered:
                items.append({"office_code": invitation.office_code, "level": invitation.level,
                              "name": invitation.name, "device_id": None, "fingerprint": None,
                              "status": "invited", "revoked_seq": None, "relation": "child",
                              "last_exported_at": None, "last_imported_at": None, "their_report": None})
        return items


def _report(report: dict[str, Any] | None) -> dict[str, Any] | None:
    keys = ("package", "new", "updated", "unchanged", "conflicts", "duplicates", "held", "rejected")
    return {k: report.get(k) for k in keys} if report else None


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
