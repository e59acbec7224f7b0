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
from fpdesk.services.trust.undo import undo
from fpdesk.storage.schema import ChangeEntry, Household, Person

TODAY = dt.date(2026, 11, 22)


def saved_household(workspace):
    form = new_household_form("350421200201")
    form.household = replace(form.household, address="1组1号", categories=frozenset({HouseholdCategory.HARDSHIP}))
    form.members = [MemberEntry(PersonDraft("王建国", "350421198001010017", Relation.HEAD)),
                    MemberEntry(PersonDraft("赵丽", "350421198203150026", Relation.SPOUSE))]
    return save_household_form(workspace, form, today=TODAY)


def test_undo_an_edit_puts_the_old_values_back_as_a_new_change(workspace):
    household_id = saved_household(workspace).primary_id
    form = load_household_form(workspace, household_id)
    form.household = replace(form.household, address="2组2号", categories=frozenset({HouseholdCategory.OTHER_FP}))
    form.members[1].draft = replace(form.members[1].draft, name="赵莉", phone="13812345678")
    edit = save_household_form(workspace, form, today=TODAY)
    reverted = undo(workspace, edit)
    form = load_household_form(workspace, household_id)
    assert form.household.address == "1组1号"
    assert form.household.categories == {HouseholdCategory.HARDSHIP}
    assert (form.members[1].draft.name, form.members[1].draft.phone) == ("赵丽", None)
    assert {c.operation for c in reverted.changes} == {"update"}
    with workspace.read() as session:  # history grows; nothing is rewritten
        assert session.scalar(select(func.count()).select_from(ChangeEntry).where(
            ChangeEntry.record_id == household_id)) == 4


def test_undo_a_new_household_removes_it(workspace):
    created = saved_household(workspace)
    undo(workspace, created)
    with workspace.read() as session:
        assert session.get(Household, created.primary_id) is None
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_undo_refuses_when_the_record_changed_again(workspace):
    household_id = saved_household(workspace).primary_id
    form = load_household_form(workspace, household_id)
    form.household = replace(form.household, address="2组2号")
    first = save_household_form(workspace, form, today=TODAY)
    form = load_household_form(workspace, household_id)
    form.household = replace(form.household, address="3组3号")
    save_household_form(workspace, form, today=TODAY)
    with pytest.raises(DomainError) as caught:
        undo(workspace, first)
    assert caught.value.code == "stale_record"
