"""Office signing keys and the log of printed documents (migration 0003).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.

``office_key`` holds Ed25519 public keys by office code and key number: this installation's own
key (created on first need, with its private half) and, once the sync issue brings them, keys of
other offices registered through their parent (public half only). The private key never leaves
this database: it is not written to the change log, so no sync package can carry it.

``print_log`` records every printed or saved document: kind, its number, what it was about, who
printed it, when, and whether it was a reprint. A certificate's number is the one its first print
was given, so reprints and "unprinted certificates" are both one indexed query here.
"""

# No ``from __future__ import annotations`` here: see the note in fpdesk/storage/schema.py.

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fpdesk.storage.schema import Base, Revisioned, utc_now


class OfficeKey(Revisioned, Base):
    __tablename__ = "office_key"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(String(12))
    key_number: Mapped[int] = mapped_column(Integer)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    # Only for this installation's own keys; NULL for keys registered from other offices.
    private_key: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    source: Mapped[str] = mapped_column(String(12), default="local")  # local | registered
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("office_code", "key_number", name="uq_office_key_office_number"),)


class PrintLog(Revisioned, Base):
    __tablename__ = "print_log"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # certificate | receipt | roster
    number: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column()  # enrollment (certificate), payment (receipt)
    office_code: Mapped[str] = mapped_column(String(12))
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    printed_by: Mapped[str] = mapped_column(String(40))
    output: Mapped[str] = mapped_column(String(200), default="")  # file name or printer name
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_print_log_kind_subject", "kind", "subject_id"),
        Index("ix_print_log_kind_number", "kind", "number"),
    )
