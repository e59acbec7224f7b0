"""A row of the people list, apart from the queries that read it (storage/search.py), so that the
window's first screenful can be read without SQLAlchemy (storage/first_screen.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonRow:
    person_id: uuid.UUID
    household_id: uuid.UUID
    name: str
    id_number: str | None
    sex: str
    birth_date: object
    relation: str
    status: str
    phone: str | None
    division_code: str
    division_name: str
