"""Users, the audit chain and consent (migration 0005).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.

``user_account`` holds this installation's users (argon2id hashes, role, lock-out state). Accounts
are local to one installation: their change-log entries are marked local-only for sync.
``audit_chain_head`` is a one-row table with the hash of the newest change-log entry and the number
of chained entries; writers take it under a row lock, so the chain follows ``local_seq`` order.
``consent`` records a person's (or their guardian's) consent to the processing of their data.
"""

# No ``from __future__ import annotations`` here: see the note in fpdesk/storage/schema.py.

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fpdesk.storage.schema import Base, Revisioned


class UserAccount(Revisioned, Base):
    __tablename__ = "user_account"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60), default="")
    role: Mapped[str] = mapped_column(String(12))  # data_entry | reviewer | admin | viewer
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditChainHead(Base):
    __tablename__ = "audit_chain_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    last_hash: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer, default=0)
    # The device's Ed25519 signature of (device, entries, last_hash), renewed by every write (0009).
    signature: Mapped[str | None] = mapped_column(String(128))
    signed_by: Mapped[str | None] = mapped_column(String(20))


class AuditAnchor(Base):
    """A child device's signed chain head, as one of its packages carried it (migration 0009). What
    left the machine cannot be rewritten there: ``audit verify`` checks the child's history against it."""

    __tablename__ = "audit_anchor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(20), index=True)
    office_code: Mapped[str] = mapped_column(String(12))
    entries: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    package_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    problem: Mapped[str | None] = mapped_column(String(20))  # rewritten | shorter, seen at import


class LoginAttempt(Base):
    """Failed log-ins under a name no account has (migration 0009): counted and locked like an
    account's, so a wrong name and a wrong password get the same answer."""

    __tablename__ = "login_attempt"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Consent(Revisioned, Base):
    __tablename__ = "consent"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(30), default="insurance")  # insurance | insurer_sharing
    given_on: Mapped[dt.date] = mapped_column(Date)
    given_by: Mapped[str] = mapped_column(String(50))  # the person, or the parent/guardian of a child
    guardian: Mapped[bool] = mapped_column(Boolean, default=False)
    form: Mapped[str] = mapped_column(String(40), default="paper")
    recorded_by: Mapped[str] = mapped_column(String(40))
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
