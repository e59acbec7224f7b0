"""The database schema as SQLAlchemy 2 typed mappings.

Every record has a UUIDv7 primary key minted offline (fpdesk.core.ids), a ``revision`` counted up
by each write, and creation/update times. Natural keys (ID numbers, division codes, office codes)
are indexed and checked, never primary keys, so records minted at two offices never collide.
The dialect-specific search indexes (SQLite FTS5 trigram, PostgreSQL pg_trgm) live in the
migrations, not here.
"""

# No ``from __future__ import annotations`` in the schema modules: SQLAlchemy reads each ``Mapped[...]``
# annotation, and one held as a string it parses and evaluates (about 850 of them), which made
# importing the tables at every start a quarter slower. The tables and mappings are the same either way.

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
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {uuid.UUID: Uuid(as_uuid=True), dict[str, Any]: JSON}  # noqa: RUF012 (SQLAlchemy API)


class Revisioned:
    """What every synchronised record carries: a revision counted up by each write (sync and the
    editor's stale-record check compare it), and when it was made and last changed."""

    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Office(Base):
    """An office known to this installation; exactly one row is the local one (``is_local``)."""

    __tablename__ = "office"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    level: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str | None] = mapped_column(String(20))
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_code: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class DeviceCounter(Base):
    """The last change-log sequence number this device handed out (gap-free, in the writing transaction)."""

    __tablename__ = "device_counter"
    device_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class SequenceCounter(Base):
    """Gap-free human numbers (receipts, certificates) per office, series and year."""

    __tablename__ = "sequence_counter"
    office_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Division(Revisioned, Base):
    __tablename__ = "division"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(15), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(String(15), index=True)
    code_year: Mapped[int] = mapped_column(Integer)


class Household(Revisioned, Base):
    __tablename__ = "household"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    division_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("division.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    certificate_no: Mapped[str | None] = mapped_column(String(40))
    is_rural: Mapped[bool] = mapped_column(Boolean, default=True)
    reward_recipient: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | retired
    note: Mapped[str] = mapped_column(Text, default="")


class HouseholdCategoryLink(Base):
    """A household's categories (several allowed); logged as the household's ``categories`` field."""

    __tablename__ = "household_category"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"),
                                                    primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class Person(Revisioned, Base):
    __tablename__ = "person"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    name_initials: Mapped[str] = mapped_column(String(20))
    name_pinyin: Mapped[str] = mapped_column(String(80))
    id_number: Mapped[str | None] = mapped_column(String(18))
    sex: Mapped[str] = mapped_column(String(6))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    relation: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    phone2: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="alive")
    status_date: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        # One living record per ID number; a deceased person's number may not block a correction.
        Index("ux_person_id_number_living", "id_number", unique=False,
              sqlite_where=text("status != 'deceased'")),
    )


class ChangeEntry(Base):
    """The change log: every write, in the same transaction as the write.

    (origin_device, origin_seq) identifies a change across all offices; ``local_seq`` is the order
    in which this database applied it. Sync (export what the receiver has not acknowledged) and the
    audit log are built on this table.
    """

    __tablename__ = "change_log"
    local_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin_device: Mapped[str] = mapped_column(String(20))
    origin_seq: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    revision: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(10))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    old_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    # The audit hash chain (storage/audit_chain.py, migration 0005): this entry's link.
    chain_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("origin_device", "origin_seq", name="uq_change_log_origin"),)


# Enrollment and printing tables live in their own modules (size); importing them here registers them
# on Base.metadata.
from fpdesk.storage import (  # noqa: E402, F401
    schema_claims,
    schema_enrollment,
    schema_money,
    schema_printing,
    schema_sync,
    schema_trust,
)


def attach_postgresql_where() -> None:
    """Give each partial index its where-clause for PostgreSQL too (the same as SQLite's).

    Only when a PostgreSQL database is opened: naming ``postgresql_where`` in the Index itself loads
    SQLAlchemy's whole PostgreSQL dialect on every start of the program on SQLite, a tenth of the time
    the main window takes to appear. The migrations create these indexes with both clauses.
    """
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None and index.dialect_options["postgresql"]["where"] is None:
                index.dialect_options["postgresql"]["where"] = where
