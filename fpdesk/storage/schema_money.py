"""The money of enrollments by payer (migration 0008): contributions, allocations, refunds, cash hand-overs.

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.

An enrollment's premium is owed by one or more payers: a ``contribution`` each (today one per
enrollment, the payer the rules engine chose; a premium shared between a county, a township and
the family is several). A contribution of the family is settled in cash (``payment``, a receipt in
the family's name); one of the government or an employer by an ``allocation`` (拨款: voucher or
document number, date, amount) whose ``allocation_item`` rows name the contributions it settles —
one allocation for a whole roster. Money given back is a ``refund`` of one contribution (to the
family in cash, or back to the payer that allocated it). A collector's cash goes up to the township
as ``cash_handover`` rows; the reconciliation report sets one against the other.
"""

# No ``from __future__ import annotations`` here: see the note in fpdesk/storage/schema.py.

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpdesk.storage.schema import Base, Revisioned


class Contribution(Revisioned, Base):
    """What one payer owes of an enrollment's premium."""

    __tablename__ = "contribution"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"), index=True)
    payer_type: Mapped[str] = mapped_column(String(12))  # government | employer | self: how it is settled
    # Who within that type: the same word for now; a premium split between levels of government
    # names province, county, township … here.
    payer_level: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(Integer)


class Allocation(Revisioned, Base):
    """Government or employer money for a roster (拨款), by voucher; voided, it keeps its row."""

    __tablename__ = "allocation"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    payer_type: Mapped[str] = mapped_column(String(12))  # government | employer
    payer_level: Mapped[str] = mapped_column(String(20))
    payer_name: Mapped[str] = mapped_column(String(60), default="")  # 城关乡财政所, the unit's name
    voucher_no: Mapped[str] = mapped_column(String(60), index=True)  # 凭证号 or the document's number
    allocated_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)  # as the voucher says
    product_code: Mapped[str] = mapped_column(String(40))
    policy_year: Mapped[int] = mapped_column(Integer)
    scope_code: Mapped[str] = mapped_column(String(15), default="")
    hand_up_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hand_up.id"))
    recorded_by: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_allocation_product_year", "product_code", "policy_year"),)


class AllocationItem(Revisioned, Base):
    """The part of an allocation that settles one contribution."""

    __tablename__ = "allocation_item"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    allocation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("allocation.id"), index=True)
    contribution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contribution.id"), index=True)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)


class Refund(Revisioned, Base):
    """Money given back of one contribution: cash to the family, or back to the payer that allocated it."""

    __tablename__ = "refund"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"), index=True)
    contribution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contribution.id"))
    payer_type: Mapped[str] = mapped_column(String(12))
    amount_fen: Mapped[int] = mapped_column(Integer)
    refunded_on: Mapped[dt.date] = mapped_column(Date)
    handled_by: Mapped[str] = mapped_column(String(40), default="")  # who paid the cash back
    reason: Mapped[str] = mapped_column(Text, default="")


class CashHandover(Revisioned, Base):
    """Cash a collector handed up to the township (上缴), for one policy year's premiums."""

    __tablename__ = "cash_handover"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    collector: Mapped[str] = mapped_column(String(40), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    handed_over_on: Mapped[dt.date] = mapped_column(Date)
    policy_year: Mapped[int] = mapped_column(Integer)
    received_by: Mapped[str] = mapped_column(String(40), default="")
    voucher_no: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
