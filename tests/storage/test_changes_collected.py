"""What an operation changed, learnt from the change log of the transactions it committed."""

import datetime as dt
import uuid

import pytest

from fpdesk.core.changes import ENROLLMENTS, HOUSEHOLDS, PERSONS, REFERENCE, Changes, collecting
from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.registry import households as hh
from fpdesk.services.workspace import add_division


def register(workspace, name="林国华"):
    return hh.register_household(workspace, HouseholdDraft(division_code="350421200201", address="罗翠村1号"),
                                 [PersonDraft(name, make_number("350421", dt.date(1980, 1, 1), 13), Relation.HEAD)])


def test_committed_writes_say_their_kinds_and_database(workspace):
    with collecting() as collector:
        register(workspace)
        add_division(workspace, code="350421200203", name="新村", code_year=2024)
    changes = collector.changes
    assert {"household", "person", "division"} <= changes.entities
    assert changes.kinds >= {HOUSEHOLDS, PERSONS, REFERENCE} and ENROLLMENTS not in changes.kinds
    assert changes.touches({PERSONS}) and not changes.touches({ENROLLMENTS})
    assert changes.databases == {workspace.db.url}


def test_a_rolled_back_write_says_nothing(workspace):
    with collecting() as collector, pytest.raises(DomainError), workspace.write() as ctx:
        ctx.recorder.record("household", uuid.uuid4(), "insert", {}, 1)
        ctx.recorder.flush()  # the entry is in the change log; the refusal below rolls it back
        raise DomainError("db_not_initialised")
    assert not collector.changes


def test_an_inner_collector_passes_on_to_the_outer(workspace):
    with collecting() as outer, collecting() as inner:
        register(workspace)
    assert inner.changes.entities == outer.changes.entities
    assert (Changes(frozenset({"x"})) | Changes(frozenset({"person"}))).touches({PERSONS})
