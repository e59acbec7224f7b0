import datetime as dt

import pytest
from sqlalchemy import func, select

from fpdesk.core import idnumber
from fpdesk.core.errors import DomainError
from fpdesk.services.demo.database import load_demo
from fpdesk.services.opening import open_workspace
from fpdesk.storage.schema import ChangeEntry, Household, Person


def test_village_demo_loads_through_the_change_log(db_url):
    workspace = open_workspace(db_url)
    summary = load_demo(workspace, scale="village", seed=3)
    assert 550 <= summary.persons <= 650
    assert workspace.office.code == "350421" and workspace.office.level.value == "county"
    with workspace.read() as session:
        logged = dict(session.execute(select(ChangeEntry.entity, func.count()).group_by(ChangeEntry.entity)).all())
        assert logged["person"] == summary.persons
        assert logged["household"] == summary.households == session.scalar(select(func.count(Household.id)))
    with pytest.raises(DomainError) as caught:
        load_demo(workspace, scale="village", seed=3)
    assert caught.value.code == "db_not_empty"
    workspace.close()


def test_every_id_number_in_a_county_demo_is_valid_unique_and_consistent(tmp_path):
    workspace = open_workspace(str(tmp_path / "county.sqlite3"))
    summary = load_demo(workspace, scale="county", seed=1)
    assert summary.persons == 100_000
    today = dt.date.today()
    seen = set()
    with workspace.read() as session:
        for number, sex, birth in session.execute(select(Person.id_number, Person.sex, Person.birth_date)):
            facts = idnumber.validate(number, today=today)
            assert (facts.sex, facts.birth_date) == (sex, birth)
            seen.add(number)
    assert len(seen) == summary.persons
    workspace.close()
