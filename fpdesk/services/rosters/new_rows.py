"""The rows and change-log entries of a roster's new households and people, made as the driver
takes them.

What ``registry.households.household_row_values`` and ``person_row_values`` make of a household's
draft and a person, then ``insert_rows`` of those dicts (and the entries ``logged`` of them), made
here straight from the plan: one tuple of bound values and one dict for the log per record, where
the dict path made three dicts and called a processor per column (tests/services/
test_roster_bound_rows.py compares the two). The pinyin keys are made once per distinct name of
a part.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection

from fpdesk.core.pinyin import name_keys
from fpdesk.services.enrollment.bound_values import BoundValues
from fpdesk.storage.changelog import ChangeRecorder
from fpdesk.storage.schema import Household, Person

# household_row_values's and person_row_values's keys after the record's own (id, revision, times)
HOUSEHOLD_KEYS = ("id", "revision", "created_at", "updated_at", "division_id", "address", "certificate_no", "is_rural",
                  "reward_recipient", "note", "status")
CATEGORY_KEYS = ("household_id", "category")
PERSON_KEYS = ("id", "revision", "created_at", "updated_at", "household_id", "name", "name_initials", "name_pinyin",
               "id_number", "sex", "birth_date", "relation", "phone", "phone2", "status")


class NewPersonRows:
    """The ``Person`` rows (``PERSON_KEYS``, bound) of one part of a roster's writing."""

    def __init__(self, connection: Connection, now: dt.datetime) -> None:
        bound = BoundValues(connection, Person.__table__)
        self._id = bound.processor("id")
        self._date = bound.processor("birth_date")
        self._now = bound.shared("created_at", now)
        # name -> its pinyin keys, for the part only: a file of distinct names would hold 100,000 of them
        self._names: dict[str, tuple[str, str]] = {}
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



class NewHouseholdRows:
    """The ``Household`` rows (``HOUSEHOLD_KEYS``, bound) and their category links of one part of a
    roster's writing: what ``household_row_values`` of the plan's draft made, with the head's address."""

    def __init__(self, connection: Connection, now: dt.datetime) -> None:
        self._bound = BoundValues(connection, Household.__table__)
        self._id = self._bound.processor("id")
        self._now = self._bound.shared("created_at", now)
        self.rows: list[tuple] = []
        self.categories: list[tuple] = []

    def add(self, recorder: ChangeRecorder, decision: Any) -> None:
        """The new household's row and category links, and its entry recorded."""
        snapshot, household_id = decision.snapshot, decision.household_id
        # household_row_values(HouseholdDraft(...)): a draft's address and note are empty, its
        # certificate number stripped (empty: none); the address is the head's row's
        values = {"division_id": snapshot.division_id, "address": decision.group.first.address or "",
                  "certificate_no": (snapshot.certificate_no or "").strip() or None, "is_rural": snapshot.is_rural,
                  "reward_recipient": snapshot.reward_recipient, "note": "", "status": "active"}
        shared = self._bound.shared
        bound_id = self._id(household_id)
        self.rows.append((bound_id, 1, self._now, self._now, shared("division_id", values["division_id"]),
                          values["address"], values["certificate_no"], shared("is_rural", values["is_rural"]),
                          shared("reward_recipient", values["reward_recipient"]), "", "active"))
        categories = sorted(c.value for c in snapshot.categories)
        self.categories += [(bound_id, category) for category in categories]
        recorder.record("household", household_id, "insert", {**values, "categories": categories}, 1)
