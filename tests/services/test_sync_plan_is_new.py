"""The joins' plan judges each household and person insert new, applied before or held here already
(newrecords.plan's is_new): on SQLite as fp_entry is written, on PostgreSQL by an UPDATE after. A
package's own entries never hit the last two, so they are made here: a change this office applied
already, and a new change to a record it holds."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from fpdesk.services.demo.database import load_demo
from fpdesk.services.sync import newrecords
from fpdesk.storage.schema import Household, Person
from tests.services.sync_helpers import Offices

AT = "2026-01-05T08:00:00+00:00"


@pytest.fixture
def county(db_url, tmp_path):
    offices = Offices(tmp_path / "offices")
    county, township = offices.county_and_township(db_url)
    load_demo(township, scale="township", persons=20, seed=5)
    offices.send(township, county)
    yield county, township.require_office().device_id
    offices.close()


def _entry(seq: int, entity: str, record_id: str, fields: dict) -> list:
    return [seq, entity, record_id, 1, "insert", fields, None, "t", AT]


def _person(home: str, name: str) -> dict:
    return {"name": name, "birth_date": "1980-02-03", "id_number": None, "household_id": home, "relation": "head",
            "status": "alive"}


def test_a_plan_tells_new_inserts_from_applied_changes_and_held_records(county):
    county, origin = county
    with county.read() as session:
        household = str(session.scalars(select(Household.id).limit(1)).one())
        person = str(session.scalars(select(Person.id).limit(1)).one())
        division = str(session.scalars(select(Household.division_id).limit(1)).one())
    fresh_home, fresh_person, fresh_other = (str(uuid.uuid4()) for _ in range(3))
    entries = [
        _entry(1, "household", fresh_other, {"division_id": division}),  # this change applied already
        _entry(900_001, "household", household, {"division_id": division}),  # a household held here
        _entry(900_002, "person", person, _person(household, "林一")),  # a person held here
        _entry(900_003, "household", fresh_home, {"division_id": division}),  # new
        _entry(900_004, "person", fresh_person, _person(fresh_home, "林二")),  # new
    ]
    with county.write() as ctx:
        found = newrecords.plan(ctx.session.connection(), [[(origin, entry) for entry in entries]], {})
    assert (found.applied, found.new_count, found.fast_entries) == (1, 2, 5)
    assert found.new.by_origin == {origin: {900_003, 900_004}}
    assert not found.skip_checks  # a person entry that is not new: every batch runs the check
