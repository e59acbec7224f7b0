"""The rows and change-log entries of a roster's new people, made as the driver takes them.

What ``registry.households.person_row_values`` makes of a person, then ``insert_rows`` of that
dict (and the entry ``logged`` of it), made here straight from the checked row: one tuple of bound
values and one dict for the log per person, where the dict path made three dicts and called a
processor per column (tests/services/test_roster_bound_rows.py compares the two). The
pinyin keys are made once per distinct name of the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection

from fpdesk.core.pinyin import name_keys
from fpdesk.services.enrollment.bound_values import BoundValues
from fpdesk.storage.changelog import ChangeRecorder
from fpdesk.storage.schema import Person

# person_row_values's keys after the record's own (id, revision, times), in insert_rows' order
PERSON_KEYS = ("id", "revision", "created_at", "updated_at", "household_id", "name", "name_initials", "name_pinyin",
               "id_number", "sex", "birth_date", "relation", "phone", "phone2", "status")


class NewPersonRows:
    """The ``Person`` rows (``PERSON_KEYS``, bound) of one part of a roster's writing."""

    def __init__(self, connection: Connection, now: dt.datetime, names: dict[str, tuple[str, str]]) -> None:
        bound = BoundValues(connection, Person.__table__)
        self._id = bound.processor("id")
        self._date = bound.processor("birth_date")
        self._now = bound.shared("created_at", now)
        self._names = names  # name -> its pinyin keys, over the whole file
        self.rows: list[tuple] = []

    def add(self, recorder: ChangeRecorder, decision: Any) -> None:
        """The household's new members: their rows, and their entries recorded."""
        bind_id, bind_date, now, names, rows = self._id, self._date, self._now, self._names, self.rows
        household_id = decision.household_id
        household_bound, household_text = bind_id(household_id), str(household_id)
        record = recorder.record
        for row in decision.new_rows:
            person_id = decision.person_ids[row.row]
            person = row.person
            name = person.name
            keys = names.get(name)
            if keys is None:
                keys = names[name] = name_keys(name)
            sex, relation, birth = person.sex.value, person.relation.value, person.birth_date
            rows.append((bind_id(person_id), 1, now, now, household_bound, name, keys[0], keys[1], person.id_number,
                         sex, bind_date(birth), relation, person.phone, person.phone2, "alive"))
            # logged(person_row_values(...)) with the household id and the birth date as the log's texts
            # (changelog.to_json_value), so the flush encodes the entry without a call back for them
            record("person", person_id, "insert", {
                "household_id": household_text, "name": name, "id_number": person.id_number, "sex": sex,
                "birth_date": birth.isoformat() if birth is not None else None, "relation": relation,
                "phone": person.phone, "phone2": person.phone2, "status": "alive"}, 1)

