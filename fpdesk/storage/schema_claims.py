"""Targets, resident population, claims and their timeline (migration 0004).

Imported at the end of ``fpdesk.storage.schema`` so these tables share ``Base.metadata``.

Every row has a UUIDv7 id and a revision, and is written through ``Workspace.write()`` with a
change-log entry named after its table, so sync carries it like any other record: targets and
population flow down from the county, claims and their events flow up from the villages.
Divisions are referred to by code (not by row id) because the county issues targets for townships
that a village database does not hold, and codes are what the annex and the roll-up speak.
"""

# No ``from __future__ import annotations`` here: see the note in fpdesk/storage/schema.py.

import datetime as dt
import uuid

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fpdesk.storage.schema import Base, Revisioned


class Target(Revisioned, Base):
    """Guidance target (指导性任务) of one division for one product and policy year.

    ``measure`` says what it counts (fpdesk.core.target_measures, migration 0010): shares by payer (the
    S1 annex, and every row made before 0010), a number of households or persons (``quantity``), or a
    share of the division's census households or persons (``rate_bp``, with an optional stretch rate
    ``stretch_bp``; basis points, 60 % = 6000). The unit channel (机关) is the county's agency
    pseudo-township (county + "900"), paid by employers.
    """

    __tablename__ = "target"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    product_code: Mapped[str] = mapped_column(String(40))
    division_code: Mapped[str] = mapped_column(String(15))
    division_name: Mapped[str] = mapped_column(String(60), default="")
    government: Mapped[int] = mapped_column(Integer, default=0)
    self_paid: Mapped[int] = mapped_column(Integer, default=0)
    employer: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(200), default="")
    measure: Mapped[str] = mapped_column(String(16), default="shares", server_default="shares")
    quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rate_bp: Mapped[int | None] = mapped_column(Integer)
    stretch_bp: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("year", "product_code", "division_code", name="uq_target_year_product_division"),
    )


class Population(Revisioned, Base):
    """Resident (census) population of a division in a year: the denominator of the coverage rate, and
    its census households (migration 0010), the base of a target set as a share of households."""

    __tablename__ = "population"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    division_code: Mapped[str] = mapped_column(String(15))
    year: Mapped[int] = mapped_column(Integer)
    residents: Mapped[int] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("division_code", "year", name="uq_population_division_year"),)


class Claim(Revisioned, Base):
    """An incident of an insured person and the claim that follows it (fpdesk tracks; the insurer decides).

    Product, policy year, household and division are copied from the cover at registration: the
    day counter, the family pool and the statistics group on them without joins.
    """

    __tablename__ = "claim"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    claim_no: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    insured_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("insured_person.id"))
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"))
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    division_code: Mapped[str] = mapped_column(String(15))
    product_code: Mapped[str] = mapped_column(String(40))
    policy_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    liability_kind: Mapped[str | None] = mapped_column(String(40))
    incident_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[dt.date | None] = mapped_column(Date)  # 报案 to the insurer
    report_number: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    status_on: Mapped[dt.date] = mapped_column(Date)
    documents: Mapped[list[str]] = mapped_column(JSON, default=list)  # checklist keys received
    hospital_days: Mapped[int] = mapped_column(Integer, default=0)  # days in hospital claimed
    days_payable: Mapped[int] = mapped_column(Integer, default=0)  # within the yearly cap
    claimed_fen: Mapped[int] = mapped_column(Integer, default=0)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    green_channel: Mapped[bool] = mapped_column(Boolean, default=False)
    home_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_claim_person_product_year", "person_id", "product_code", "policy_year"),
        Index("ix_claim_enrollment", "enrollment_id"),
        Index("ix_claim_status", "status"),
        Index("ix_claim_paid_on", "paid_on"),
    )


class ClaimEvent(Revisioned, Base):
    """One step of a claim's timeline: what happened, on which day, who recorded it."""

    __tablename__ = "claim_event"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    claim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("claim.id"), index=True)
    happened_on: Mapped[dt.date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(40))
