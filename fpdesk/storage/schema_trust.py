"""Users, the audit chain and consent (migration 0005, issue 6).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.

``user_account`` holds this installation's users (argon2id hashes, role, lock-out state). Accounts
are local to one installation: their change-log entries are marked local-only for sync.
``audit_chain_head`` is a one-row table with the hash of the newest change-log entry and the number
of chained entries; writers take it under a row lock, so the chain follows ``local_seq`` order.
``consent`` records a person's (or their guardian's) consent to the processing of their data.
"""

from __future__ import annotations

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
