import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.registry import households as hh
from fpdesk.storage.schema import ChangeEntry, HouseholdCategoryLink, Person

TODAY = dt.date(2026, 11, 22)


def family(division="350421200201"):
    draft = HouseholdDraft(division_code=division, address="罗翠村3组17号",
                           categories=frozenset({HouseholdCategory.ONLY_CHILD}), certificate_no="闽计证2009042117",
                           reward_recipient=True)
    members = [
        PersonDraft("林国华", "350421198001010017", Relation.HEAD, phone="138 1234 5678"),
        PersonDraft("陈秀英", "350421198203150026", Relation.SPOUSE),
        PersonDraft("林小明", "350421201005200015", Relation.SON),
    ]
    return draft, members


def changes(workspace):
    with workspace.read() as session:
        return session.scalars(select(ChangeEntry).order_by(ChangeEntry.local_seq)).all()


def test_register_household_writes_records_and_change_log(workspace):
    before = len(changes(workspace))
    result = hh.register_household(workspace, *family(), today=TODAY)
    assert result.entities() == {"household", "person"}
    assert len(result.ids("person")) == 3
    entries = changes(workspace)[before:]
    assert [e.entity for e in entries] == ["household", "person", "person", "person"]
    seqs = [e.origin_seq for e in entries]
    assert seqs == list(range(seqs[0], seqs[0] + 4))  # gap-free per device
    assert all(e.origin_device == workspace.office.device_id and e.author == "tester" for e in entries)
    assert entries[0].fields["categories"] == ["only_child"]
    with workspace.read() as session:
        head = session.scalar(select(Person).where(Person.relation == "head"))
        assert (head.sex, head.birth_date, head.phone) == ("male", dt.date(1980, 1, 1), "13812345678")
        assert (head.name_initials, head.name_pinyin) == ("lgh", "linguohua")


def test_same_id_in_another_household_is_refused_naming_it(workspace):
    hh.register_household(workspace, *family(), today=TODAY)
    before = len(changes(workspace))
    draft = HouseholdDraft(division_code="350421200202")
    with pytest.raises(DomainError) as caught:
        hh.register_household(workspace, draft, [PersonDraft("林国华", "350421198001010017", Relation.HEAD)],
                              today=TODAY)
    assert caught.value.code == "person_in_other_household"
    assert "罗翠村" in caught.value.message_zh and "林国华" in caught.value.message_zh
    assert "350421********0017" in caught.value.message_zh
    assert len(changes(workspace)) == before  # nothing written


def test_household_needs_exactly_one_head(workspace):
    draft, members = family()
    with pytest.raises(DomainError) as caught:
        hh.register_household(workspace, draft, members[1:], today=TODAY)
    assert caught.value.code == "household_needs_head"


def test_unknown_division_is_refused(workspace):
    draft, members = family(division="350421200299")
    with pytest.raises(DomainError) as caught:
        hh.register_household(workspace, draft, members, today=TODAY)
    assert caught.value.code == "unknown_division"


def test_update_household_logs_old_and_new_values(workspace):
    household_id = hh.register_household(workspace, *family(), today=TODAY).primary_id
    result = hh.update_household(workspace, household_id, expected_revision=1, address="罗翠村3组18号",
                                 categories=["only_child", "poverty_targeted"])
    assert [c.fields for c in result.changes] == [{"address": "罗翠村3组18号"},
                                                  {"categories": ["only_child", "poverty_targeted"]}]
    last = changes(workspace)[-2]
    assert last.old_values == {"address": "罗翠村3组17号"} and last.revision == 2
    with workspace.read() as session:
        assert sorted(session.scalars(select(HouseholdCategoryLink.category))) == ["only_child", "poverty_targeted"]
    with pytest.raises(DomainError) as caught:
        hh.update_household(workspace, household_id, expected_revision=1, note="stale")
    assert caught.value.code == "stale_record"


def test_unchanged_update_writes_nothing(workspace):
    household_id = hh.register_household(workspace, *family(), today=TODAY).primary_id
    before = len(changes(workspace))
    assert not hh.update_household(workspace, household_id, address="罗翠村3组17号")
    assert len(changes(workspace)) == before


def test_update_person_rederives_sex_and_birth_from_new_id(workspace):
    result = hh.register_household(workspace, *family(), today=TODAY)
    son = result.ids("person")[2]
    hh.update_person(workspace, son, PersonDraft("林小红", "350421201005200023", Relation.DAUGHTER), today=TODAY)
    with workspace.read() as session:
        person = session.get(Person, son)
        assert (person.sex, person.birth_date, person.revision) == ("female", dt.date(2010, 5, 20), 2)


def test_move_death_and_moving_out(workspace):
    first = hh.register_household(workspace, *family(), today=TODAY)
    second = hh.register_household(
        workspace, HouseholdDraft(division_code="350421200202"),
        [PersonDraft("张伟", "350421197505050018", Relation.HEAD)], today=TODAY)
    spouse = first.ids("person")[1]
    hh.move_person(workspace, spouse, second.primary_id, relation=Relation.SPOUSE)
    hh.record_death(workspace, first.ids("person")[2], on=dt.date(2026, 3, 1))
    hh.record_move_out(workspace, first.ids("person")[0], on=dt.date(2026, 4, 1))
    with pytest.raises(DomainError) as caught:
        hh.record_death(workspace, first.ids("person")[2], on=dt.date(2026, 3, 2))
    assert caught.value.code == "person_not_active"
    # the household is now empty and can be retired; the moved-out head keeps his ID number
    hh.retire_household(workspace, first.primary_id, reason="全户迁出")
    with pytest.raises(DomainError) as caught:
        hh.add_person(workspace, second.primary_id, PersonDraft("林国华", "350421198001010017", Relation.OTHER))
    assert caught.value.code == "person_in_other_household"
    # moving back in reactivates the same record
    hh.move_person(workspace, first.ids("person")[0], second.primary_id, relation=Relation.OTHER)
    with workspace.read() as session:
        assert session.get(Person, first.ids("person")[0]).status == "alive"


def test_retiring_a_household_with_members_is_refused(workspace):
    household_id = hh.register_household(workspace, *family(), today=TODAY).primary_id
    with pytest.raises(DomainError) as caught:
        hh.retire_household(workspace, household_id)
    assert caught.value.code == "household_not_empty"
    assert "3" in caught.value.message_zh


def test_a_deceased_persons_number_does_not_block_a_correction(workspace):
    result = hh.register_household(workspace, *family(), today=TODAY)
    hh.record_death(workspace, result.ids("person")[2], on=dt.date(2026, 3, 1))
    hh.add_person(workspace, result.primary_id, PersonDraft("林小明", "350421201005200015", Relation.SON),
                  today=TODAY)
