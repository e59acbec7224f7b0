"""Gap-free human numbers (receipt no., certificate no.) per office, series and year.

The counter row is updated inside the writing transaction, so a rolled-back job gives its number
back and two clerks never get the same one; a voided receipt keeps its number (the caller records
the voiding, it never deletes).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fpdesk.storage.schema import SequenceCounter


def next_number(session: Session, *, office_code: str, series: str, year: int) -> int:
    """The next number of the series, taken under the counter row's lock (concurrent writers on a
    server wait for each other). The year's first number makes the row with INSERT … ON CONFLICT DO
    NOTHING: two clerks taking the first receipt of a year at once both go on to the locked update,
    where the second gets 2 (a plain insert failed for the second with a duplicate key)."""
    bump = (update(SequenceCounter)
            .where(SequenceCounter.office_code == office_code, SequenceCounter.series == series,
                   SequenceCounter.year == year)
            .values(last_value=SequenceCounter.last_value + 1)
            .returning(SequenceCounter.last_value))
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        session.execute(insert_if_absent(session, SequenceCounter, office_code=office_code, series=series,
                                         year=year, last_value=0))
        value = session.execute(bump).scalar_one()
    return value


def last_number(session: Session, *, office_code: str, series: str, year: int) -> int:
    """The series' last number given (0 before its first): a read, for a job that numbers what it
    draws before it writes (``reserve_numbers`` then checks nobody took the next ones meanwhile)."""
    return session.scalar(select(SequenceCounter.last_value).where(
        SequenceCounter.office_code == office_code, SequenceCounter.series == series,
        SequenceCounter.year == year)) or 0


def reserve_numbers(session: Session, *, office_code: str, series: str, year: int, count: int) -> int:
    """Take ``count`` consecutive numbers of the series under the counter row's lock; returns the first."""
    first = next_number(session, office_code=office_code, series=series, year=year)
    if count > 1:
        session.execute(update(SequenceCounter).where(
            SequenceCounter.office_code == office_code, SequenceCounter.series == series,
            SequenceCounter.year == year).values(last_value=SequenceCounter.last_value + count - 1))
    return first


def insert_if_absent(session: Session, model, **values):
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect (SQLite and PostgreSQL both have it)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).values(**values).on_conflict_do_nothing()


def format_number(office_code: str, year: int, value: int, *, width: int = 6) -> str:
    """The printed form: office code + year + zero-padded sequence, e.g. 350421200201-2026-000017."""
    return f"{office_code}-{year}-{value:0{width}d}"
