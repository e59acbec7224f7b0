"""Gap-free human numbers (receipt no., certificate no.) per office, series and year.

The counter row is updated inside the writing transaction, so a rolled-back job gives its number
back and two clerks never get the same one; a voided receipt keeps its number (the caller records
the voiding, it never deletes).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from fpdesk.storage.schema import SequenceCounter


def next_number(session: Session, *, office_code: str, series: str, year: int) -> int:
    value = session.execute(
        update(SequenceCounter)
        .where(SequenceCounter.office_code == office_code, SequenceCounter.series == series,
               SequenceCounter.year == year)
        .values(last_value=SequenceCounter.last_value + 1)
        .returning(SequenceCounter.last_value)
    ).scalar_one_or_none()
    if value is None:
        session.add(SequenceCounter(office_code=office_code, series=series, year=year, last_value=1))
        session.flush()
        value = 1
    return value


def format_number(office_code: str, year: int, value: int, *, width: int = 6) -> str:
    """The printed form: office code + year + zero-padded sequence, e.g. 350421200201-2026-000017."""
    return f"{office_code}-{year}-{value:0{width}d}"
