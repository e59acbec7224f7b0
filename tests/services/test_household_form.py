import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from fpdesk.core.errors import DomainError
from fpdesk.core.people import PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.registry.household_form import (
    MemberEntry,
    load_household_form,
    new_household_form,
    save_household_form,
)
from fpdesk.storage.schema import ChangeEntry, Person

TODAY = dt.date(2026, 11, 22)


def log_size(workspace):
    with workspace.read() as session:
        return session.scalar(select(func.count()).select_from(ChangeEntry))


def test_new_form_saves_household_and_members_then_round_trips(workspace):
    form = new_household_form("350421200201")
    form.household = replace(form.household, address="罗翠村5组2号",
                             categories=frozenset({HouseholdCategory.TWO_DAUGHTERS_STERILIZED}))
    form.members = [MemberEntry(PersonDraft("王建国", "350421198001010017", Relation.HEAD)),
                    MemberEntry(PersonDraft("赵丽", "350421198203150026", Relation.SPOUSE))]
    household_id = save_household_form(workspace, form, today=TODAY).primary_id
    loaded = load_household_form(workspace, household_id)
    assert [m.draft.name for m in loaded.members] == ["王建国", "赵丽"]
    assert loaded.division_name == "罗翠村" and loaded.revision == 1
    assert loaded.household.categories == {HouseholdCategory.TWO_DAUGHTERS_STERILIZED}
    # saving what was loaded changes nothing and writes nothing
    before = log_size(workspace)
    assert not save_household_form(workspace, loaded, today=TODAY)
    assert log_size(workspace) == before


def test_editing_hands_the_head_over_and_adds_a_member_in_one_transaction(workspace):
    form = new_household_form("350421200201")
    form.members = [MemberEntry(PersonDraft("王建国", "350421198001010017", Relation.HEAD)),
                    MemberEntry(PersonDraft("赵丽", "350421198203150026", Relation.SPOUSE))]
    household_id = save_household_form(workspace, form, today=TODAY).primary_id
    form = load_household_form(workspace, household_id)
    form.members[0].draft = replace(form.members[0].draft, relation=Relation.SPOUSE)
    form.members[1].draft = replace(form.members[1].draft, relation=Relation.HEAD)
    form.members.append(MemberEntry(PersonDraft("王小丽", "350421201005200023", Relation.DAUGHTER)))
    result = save_household_form(workspace, form, today=TODAY)
    assert len(result.ids("person")) == 3
    assert load_household_form(workspace, household_id).members[0].draft.name == "赵丽"


def test_a_failed_save_leaves_nothing_behind(workspace):
    form = new_household_form("350421200201")
    form.members = [MemberEntry(PersonDraft("王建国", "350421198001010017", Relation.HEAD))]
    household_id = save_household_form(workspace, form, today=TODAY).primary_id
    form = load_household_form(workspace, household_id)
    form.members[0].draft = replace(form.members[0].draft, name="王建民")
    form.members.append(MemberEntry(PersonDraft("重复", "350421198001010017", Relation.SON)))
    before = log_size(workspace)
    with pytest.raises(DomainError):
        save_household_form(workspace, form, today=TODAY)
    assert log_size(workspace) == before
    with workspace.read() as session:
        assert session.scalar(select(Person.name)) == "王建国"


def test_recording_a_death_from_the_form(workspace):
    form = new_household_form("350421200201")
    form.members = [MemberEntry(PersonDraft("王建国", "350421198001010017", Relation.HEAD)),
                    MemberEntry(PersonDraft("王奶奶", "350421194001010027", Relation.MOTHER))]
    household_id = save_household_form(workspace, form, today=TODAY).primary_id
    form = load_household_form(workspace, household_id)
    mother = form.members.pop(1)
    form.ended.append((mother.person_id, "deceased", dt.date(2026, 10, 1)))
    save_household_form(workspace, form, today=TODAY)
    assert [m.draft.name for m in load_household_form(workspace, household_id).members] == ["王建国"]


def test_a_person_registered_elsewhere_moves_in_with_the_new_household(workspace):
    form = new_household_form("350421200201")
    form.members = [MemberEntry(PersonDraft("王建国", "350421198001010017", Relation.HEAD)),
                    MemberEntry(PersonDraft("王小丽", "350421201005200023", Relation.DAUGHTER))]
    first = save_household_form(workspace, form, today=TODAY)
    daughter_id = next(c.record_id for c in first.changes if c.fields.get("name") == "王小丽")
    assert first.ids("person")[0] != daughter_id  # a new household is written head first
    # she marries into a new household in 城东村 and becomes the spouse of its head
    form = new_household_form("350421200202")
    form.members = [MemberEntry(PersonDraft("李明", "350421197505050018", Relation.HEAD)),
                    MemberEntry(PersonDraft("王小丽", "350421201005200023", Relation.SPOUSE), daughter_id,
                                moving_in=True)]
    second = save_household_form(workspace, form, today=TODAY).primary_id
    assert [m.draft.name for m in load_household_form(workspace, second).members] == ["李明", "王小丽"]
    assert [m.draft.name for m in load_household_form(workspace, first.primary_id).members] == ["王建国"]
    # without the explicit choice to move her, registering her again is refused
    form = new_household_form("350421200202")
    form.members = [MemberEntry(PersonDraft("王小丽", "350421201005200023", Relation.HEAD))]
    with pytest.raises(DomainError) as caught:
        save_household_form(workspace, form, today=TODAY)
    assert caught.value.code == "person_in_other_household"
