"""The household editor's load and save: head and members in one form, saved in one transaction.

Loading gives the household's fields and its registered (alive) members with their revisions;
saving registers a new household or applies only what changed to an existing one, so a save
that changes nothing writes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.people import HouseholdDraft, PersonDraft, check_members
from fpdesk.core.vocabulary import HouseholdCategory, Relation, Sex
from fpdesk.services.permissions import require
from fpdesk.services.registry.households import (
    _load,
    add_person_in,
    end_registration_in,
    find_division,
    insert_household,
    insert_person,
    move_person_in,
    refuse_if_registered,
    update_household_in,
    update_person_in,
)
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Person

RELATION_ORDER = {relation.value: index for index, relation in enumerate(Relation)}


@dataclass
class MemberEntry:
    """One member line. ``moving_in``: ``person_id`` is registered in another household and the
    clerk chose to move them into this one (marriage, a household split) rather than register twice."""

    draft: PersonDraft
    person_id: uuid.UUID | None = None
    revision: int | None = None
    moving_in: bool = False


@dataclass
class HouseholdForm:
    """What the editor shows and saves.

    Attributes:
        household: the household's own fields.
        members: registered members, head first.
        household_id / revision: None for a new household.
        division_name: for display.
        ended: (person_id, "deceased" | "moved_out", date) to record on save.
    """

    household: HouseholdDraft
    members: list[MemberEntry]
    household_id: uuid.UUID | None = None
    revision: int | None = None
    division_name: str = ""
    ended: list[tuple[uuid.UUID, str, dt.date]] = field(default_factory=list)


def new_household_form(division_code: str) -> HouseholdForm:
    return HouseholdForm(HouseholdDraft(division_code=division_code), [MemberEntry(PersonDraft("", relation=Relation.HEAD))])


def load_household_form(workspace: Workspace, household_id: uuid.UUID) -> HouseholdForm:
    with workspace.read() as session:
        household = session.get(Household, household_id)
        if household is None:
            raise DomainError("household_not_found")
        division = session.get(Division, household.division_id)
        categories = frozenset(HouseholdCategory(c) for c in session.scalars(
            select(HouseholdCategoryLink.category).where(HouseholdCategoryLink.household_id == household_id)))
        people = session.scalars(select(Person).where(Person.household_id == household_id,
                                                      Person.status == "alive")).all()
    members = [
        MemberEntry(PersonDraft(p.name, p.id_number, Relation(p.relation), p.phone, p.phone2,
                                None if p.id_number else Sex(p.sex), None if p.id_number else p.birth_date),
                    p.id, p.revision)
        for p in sorted(people, key=lambda p: (RELATION_ORDER.get(p.relation, 99), p.birth_date))
    ]
    draft = HouseholdDraft(division.code, household.address, categories, household.certificate_no,
                           household.is_rural, household.reward_recipient, household.note)
    return HouseholdForm(draft, members, household_id, household.revision, division.name)


def save_household_form(workspace: Workspace, form: HouseholdForm, *, today: dt.date | None = None) -> ChangeSet:
    """Register or update the household and its members; all or nothing."""
    checked = check_members([m.draft for m in form.members], today=today)
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        division = find_division(ctx.session, form.household.division_code)
        if form.household_id is None:
            for entry, person in zip(form.members, checked, strict=True):
                if not entry.moving_in:
                    refuse_if_registered(ctx.session, person.id_number)
            household_id = insert_household(ctx, form.household, division.id)
        else:
            household_id = form.household_id
            update_household_in(
                ctx, household_id, expected_revision=form.revision, division_code=division.code,
                categories=[c.value for c in form.household.categories], address=form.household.address,
                certificate_no=form.household.certificate_no, is_rural=form.household.is_rural,
                reward_recipient=form.household.reward_recipient, note=form.household.note)
        for person_id, status, on in form.ended:
            end_registration_in(ctx, person_id, status, on)
        ordered = list(zip(form.members, checked, strict=True))
        if form.household_id is not None:
            # A head handed over to another member: demote first, so there is never a moment with two heads.
            ordered.sort(key=lambda pair: pair[1].relation is Relation.HEAD)
        for entry, person in ordered:
            if entry.person_id is None:
                if form.household_id is None:
                    insert_person(ctx, person, household_id)
                else:
                    add_person_in(ctx, household_id, person)
                continue
            row = _load(ctx.session, Person, entry.person_id, "person_not_found")
            if row.household_id != household_id:
                if not entry.moving_in:
                    raise DomainError("person_not_found")
                move_person_in(ctx, entry.person_id, household_id, relation=person.relation)
            update_person_in(ctx, entry.person_id, person)
        ctx.result.primary_id = household_id
    return ctx.result
