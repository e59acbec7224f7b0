"""Enrollments, insured persons, payments and imported eligible lists (migration 0002); rosters handed
up (migration 0008). The money that settles enrollments lives in fpdesk.storage.schema_money.

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.

An enrollment is one product, one policy year, one household (family and share products insure
several of its members under one cover; per-person products one premium per insured person).
The insured-person rows copy the product code, policy year and ID number of their enrollment and
person: those copies never change after insertion and let the "一个不多，一个不漏" check find the
same ID number twice in a product-year with one indexed query. Money is integer fen, dates are
dates; every table has a ``revision`` counted up by each write, like the rest of the schema.
"""

# No ``from __future__ import annotations`` here: see the note in fpdesk/storage/schema.py.

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fpdesk.core import enrollment_states as states
from fpdesk.storage.schema import Base, Revisioned, utc_now

# Statuses of an enrollment that still covers its insured (see fpdesk.core.enrollment_states).
ACTIVE_STATUSES = tuple(sorted(states.ACTIVE))
ACTIVE_WHERE = "status IN ({})".format(", ".join(f"'{status}'" for status in ACTIVE_STATUSES))


class Enrollment(Revisioned, Base):
    __tablename__ = "enrollment"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    product_code: Mapped[str] = mapped_column(String(40))
    product_version: Mapped[int] = mapped_column(Integer)
    policy_year: Mapped[int] = mapped_column(Integer)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    channel: Mapped[str] = mapped_column(String(10), default="village")  # village | unit (机关)
    unit_division_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("division.id"))
    payer_type: Mapped[str] = mapped_column(String(12))  # government | self | employer
    funding_source: Mapped[str | None] = mapped_column(String(30))  # reward_conversion (S2)
    status: Mapped[str] = mapped_column(String(12), default="registered")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_on: Mapped[dt.date | None] = mapped_column(Date)  # date of the last status change
    shares: Mapped[int] = mapped_column(Integer, default=1)
    premium_fen: Mapped[int] = mapped_column(Integer)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    policy_number: Mapped[str | None] = mapped_column(String(60))
    enrolled_on: Mapped[dt.date] = mapped_column(Date)  # registration: the date the rules engine judged
    # Cover from 00:00 on period_start until 24:00 on period_end, computed by the product's rule from
    # the event it names (migration 0008): for cover from the day after payment, empty (NULL) until the
    # premium is received.
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    # The dates of the enrollment's life (migration 0008): premium received in full (paid in cash or
    # allocated by the government or employer); handed up on a roster; the insurer's issue.
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    handed_up_on: Mapped[dt.date | None] = mapped_column(Date)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    hand_up_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hand_up.id"))
    # The enrollment whose cover this one continues (a renewal starts the day after it ends).
    renews_id: Mapped[uuid.UUID | None] = mapped_column()
    form_values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Voluntary enrollment (docs/rules.md#voluntary) and PIPL art. 29/31: who agreed, when, how.
    consent_by: Mapped[str] = mapped_column(String(50))
    consent_on: Mapped[dt.date] = mapped_column(Date)
    consent_method: Mapped[str] = mapped_column(String(30))
    # 0 for every enrollment made here. Two offices may each enroll a household offline: the one that
    # arrives second by sync is kept beside the first (1, 2 …) for the coverage check to show, never
    # dropped. Local, not logged: each office numbers what it holds.
    duplicate_rank: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    __table_args__ = (
        Index("ix_enrollment_product_year_status", "product_code", "policy_year", "status"),
        Index("ix_enrollment_household_product_year", "household_id", "product_code", "policy_year"),
        Index("ix_enrollment_hand_up_id", "hand_up_id"),
        # One active enrollment per household, product and policy year: two clerks (or two processes
        # on a county server) enrolling the same household at once cannot both succeed.
        Index("ux_enrollment_active_household_product_year", "household_id", "product_code", "policy_year",
              "duplicate_rank", unique=True, sqlite_where=text(ACTIVE_WHERE)),
    )


class HandUp(Revisioned, Base):
    """A roster handed up in one action (上报): the enrollments of a village (or unit), product and
    policy year, sent to the finance office and the insurer under one group policy number (团单号)."""

    __tablename__ = "hand_up"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))  # office + year + gap-free sequence
    product_code: Mapped[str] = mapped_column(String(40))
    policy_year: Mapped[int] = mapped_column(Integer)
    scope_code: Mapped[str] = mapped_column(String(15))  # the division the roster is of
    policy_number: Mapped[str | None] = mapped_column(String(60), index=True)  # 团单号
    handed_up_on: Mapped[dt.date] = mapped_column(Date)
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)  # the insurer's confirmation, once
    note: Mapped[str] = mapped_column(Text, default="")


class InsuredPerson(Revisioned, Base):
    """One person insured under an enrollment, from ``added_on`` until ``removed_on`` (docs/rules.md#mid-term-changes)."""

    __tablename__ = "insured_person"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    id_number: Mapped[str | None] = mapped_column(String(18))  # as enrolled (the roster's column)
    product_code: Mapped[str] = mapped_column(String(40))  # copied from the enrollment
    policy_year: Mapped[int] = mapped_column(Integer)  # copied from the enrollment
    shares: Mapped[int] = mapped_column(Integer, default=1)
    added_on: Mapped[dt.date] = mapped_column(Date)  # cover from 00:00 the next day
    removed_on: Mapped[dt.date | None] = mapped_column(Date)  # cover until 24:00 on this day
    removal_reason: Mapped[str] = mapped_column(Text, default="")
    # [{"kind": ..., "split": ..., "amount_fen": ..., "shared_by": ..., ...}] from the rules engine
    sums_insured: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    __table_args__ = (
        # A person removed and later added again has two rows, with dates that do not overlap.
        Index("ix_insured_person_enrollment_person", "enrollment_id", "person_id"),
        Index("ix_insured_person_person_product_year", "person_id", "product_code", "policy_year"),
        Index("ix_insured_person_id_number_product_year", "id_number", "product_code", "policy_year"),
        Index("ix_insured_person_product_year", "product_code", "policy_year"),
    )


class Payment(Revisioned, Base):
    """Money received for an enrollment; a voided receipt keeps its number and its row."""

    __tablename__ = "payment"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    payer: Mapped[str] = mapped_column(String(12))  # payer type of the money: government | self | employer
    payer_name: Mapped[str] = mapped_column(String(60), default="")
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    collector: Mapped[str] = mapped_column(String(40))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_on: Mapped[dt.date | None] = mapped_column(Date)


class EligibleListEntry(Base):
    """One person on an imported eligible-population list (S2 核查, S3 奖扶特扶系统 export)."""

    __tablename__ = "eligible_list_entry"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(200), default="")  # the imported file's name
    policy_year: Mapped[int] = mapped_column(Integer)
    product_code: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        UniqueConstraint("product_code", "policy_year", "list_name", "id_number",
                         name="uq_eligible_list_entry_product_year_list_id"),
        Index("ix_eligible_list_entry_id_number", "id_number"),
    )
