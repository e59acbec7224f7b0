"""Bulk inserts (storage/bulk_insert.insert_rows) keep every index and trigger in step.

Persons go to SQLite in multi-row statements (FTS5 would otherwise write one segment a row); the
ID and phone fragment search runs on the FTS5 trigram index those statements feed, so a person in
every statement, and at both ends of one, must be found by a fragment of their numbers.
"""

import datetime as dt

from sqlalchemy import func, select

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import CheckedPerson, HouseholdDraft
from fpdesk.core.vocabulary import Relation, Sex
from fpdesk.services.registry.register_many import register_households_bulk
from fpdesk.services.registry.search import search
from fpdesk.storage.schema import Person

PERSONS = 2_345  # more than two multi-row statements, the last one short


def _households():
    for index in range(PERSONS):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=index * 7)
        person = CheckedPerson(f"测试{index}", make_number("350421", birth, index % 1000), Sex.MALE if index % 2 else
                               Sex.FEMALE, birth, Relation.HEAD, f"139{index:08d}", None)
        yield HouseholdDraft(division_code="350421200201", address=f"{index}号"), [person]


def test_every_bulk_inserted_person_is_found_by_a_number_fragment(workspace):
    result = register_households_bulk(workspace, _households(), batch_size=10_000)
    assert result.persons == PERSONS
    with workspace.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == PERSONS
    for index in (0, 999, 1000, 1001, 2000, PERSONS - 1):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=index * 7)
        number = make_number("350421", birth, index % 1000)
        assert [row.name for row in search(workspace, number[-8:])] == [f"测试{index}"]
        assert [row.name for row in search(workspace, f"139{index:08d}")] == [f"测试{index}"]
