"""Offices, sync packages, conflicts and duplicate reviews (migration 0006).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.

- ``device_key``: this installation's own Ed25519 signing and X25519 encryption keys. Never in the
  change log, so no package can carry a private key.
- ``office_registration``: one row per trusted device of an office (public keys, who registered it,
  the revocation cut). Reference data: it travels up and down like any change.
- ``sync_invitation``: pairing invitations this office issued (the key derived from the one-time
  pairing code stays here; the change log records only that an invitation exists).
- ``sync_peer``: per partner office, the package chain in both directions, the partner's last
  acknowledged state (its receipt) and the report it sent about our last package.
- ``sync_block``: origin signatures over runs of change entries, kept to relay them end to end.
- ``sync_package``: packages applied here (idempotent re-import, "last exchanged").
- ``sync_held``: received changes not applied: held (a gap before them) or quarantined (signed by a
  revoked device after its cut).
- ``sync_conflict`` / ``sync_duplicate``: the review queues.
"""

# No ``from __future__ import annotations`` here: see the note in fpdesk/storage/schema.py.

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fpdesk.storage.schema import Base, Revisioned, utc_now


class DeviceKey(Base):
    __tablename__ = "device_key"
    device_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    sign_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    sign_public: Mapped[str] = mapped_column(String(64))
    enc_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    enc_public: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class OfficeRegistration(Revisioned, Base):
    __tablename__ = "office_registration"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(20), unique=True)
    office_code: Mapped[str] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    parent_code: Mapped[str | None] = mapped_column(String(12))
    sign_public: Mapped[str] = mapped_column(String(64))
    enc_public: Mapped[str] = mapped_column(String(64))
    registered_by: Mapped[str] = mapped_column(String(20))  # registering device ("root" for the county)
    revoked_seq: Mapped[int | None] = mapped_column(Integer)  # changes after this sequence are not accepted
    revoked_by: Mapped[str | None] = mapped_column(String(20))


class SyncInvitation(Base):
    __tablename__ = "sync_invitation"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    code_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | joined
    joined_device: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class SyncPeer(Base):
    __tablename__ = "sync_peer"
    office_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    relation: Mapped[str] = mapped_column(String(10))  # parent | child
    last_sent_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_received_seq: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # their vector, from their receipt
    their_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what they made of our last package
    our_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what we made of their last package
    join_proof: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # sent until the parent answers
    # the signed audit head our last package to this partner carried (0009): the next one repeats the
    # chain's hash at that point, so the partner sees whether history before it was rewritten
    last_anchor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_imported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SyncBlock(Base):
    __tablename__ = "sync_block"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin_device: Mapped[str] = mapped_column(String(20), index=True)
    direction: Mapped[str] = mapped_column(String(4))  # up | down
    from_seq: Mapped[int] = mapped_column(Integer)
    to_seq: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))

    __table_args__ = (UniqueConstraint("origin_device", "direction", "from_seq", "to_seq", "digest",
                                       name="uq_sync_block_range"),)


class SyncPackage(Base):
    __tablename__ = "sync_package"
    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender_office: Mapped[str] = mapped_column(String(12), index=True)
    channel_seq: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class SyncHeld(Base):
    __tablename__ = "sync_held"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reason: Mapped[str] = mapped_column(String(12))  # gap | revoked
    origin_device: Mapped[str] = mapped_column(String(20))
    origin_seq: Mapped[int] = mapped_column(Integer)
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    package_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    __table_args__ = (UniqueConstraint("origin_device", "origin_seq", name="uq_sync_held_origin"),)


class SyncConflict(Base):
    __tablename__ = "sync_conflict"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the same at every office (uuid5 of both changes)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> {base, ours, theirs, provisional}
    ours_change: Mapped[dict[str, Any]] = mapped_column(JSON)  # {change, device, office, author, at}
    theirs_change: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | resolved
    resolution: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class SyncDuplicate(Base):
    __tablename__ = "sync_duplicate"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # uuid5 of the two person ids: same everywhere
    kind: Mapped[str] = mapped_column(String(10))  # id_number | likely
    person_a: Mapped[uuid.UUID] = mapped_column()
    person_b: Mapped[uuid.UUID] = mapped_column()
    detail: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | distinct | merged
    decided_by: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class ProductDefinition(Revisioned, Base):
    """A product or enrollment-form definition (YAML) as the county published it: reference data."""

    __tablename__ = "product_definition"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # product | form
    code: Mapped[str] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("kind", "code", name="uq_product_definition_kind_code"),)


class SyncAlias(Base):
    """Another office's id of a record this office holds under its own id (migration 0009): a division
    both offices added under the same code. References to the other id are read as ours."""

    __tablename__ = "sync_alias"
    entity: Mapped[str] = mapped_column(String(30), primary_key=True)
    foreign_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    local_id: Mapped[uuid.UUID] = mapped_column()
