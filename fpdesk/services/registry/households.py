"""Households and their members: register, update, retire; each call one transaction.

Every write appends change-log entries through the WriteContext and returns the ChangeSet.
An ID number that already lives in another household is refused, naming that household's head
and village, so the clerk can open it or move the person instead of registering them twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpdesk.core import idnumber
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.people import CheckedPerson, HouseholdDraft, PersonDraft, check_members, check_person
from fpdesk.core.pinyin import name_keys
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.permissions import require
from fpdesk.services.records import apply_changes, household_categories, write_categories
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Person, utc_now

HOUSEHOLD_FIELDS = ("address", "certificate_no", "is_rural", "reward_recipient", "note")


def person_row_values(person: CheckedPerson, household_id: uuid.UUID) -> dict[str, Any]:
    initials, full = name_keys(person.name)
    return {
        "household_id": household_id, "name": person.name, "name_initials": initials, "name_pinyin": full,
        "id_number": person.id_number, "sex": person.sex.value, "birth_date": person.birth_date,
        "relation": person.relation.value, "phone": person.phone, "phone2": person.phone2, "status": "alive",
    }


def household_row_values(draft: HouseholdDraft, division_id: uuid.UUID) -> dict[str, Any]:
    return {
        "division_id": division_id, "address": " ".join(draft.address.split()),
        "certificate_no": (draft.certificate_no or "").strip() or None, "is_rural": draft.is_rural,
        "reward_recipient": draft.reward_recipient, "note": draft.note, "status": "active",
    }


def logged(values: dict[str, Any]) -> dict[str, Any]:
    """What a change entry records of a row: everything but the search keys, which derive from the name."""
    return {k: v for k, v in values.items() if k not in ("name_initials", "name_pinyin")}


def find_division(session: Session, code: str) -> Division:
    division = session.scalar(select(Division).where(Division.code == code.strip()))
    if division is None:
        raise DomainError("unknown_division", {"value": code})
    return division


def refuse_if_registered(session: Session, id_number: str | None, *, except_person: uuid.UUID | None = None) -> None:
    if not id_number:
        return
    query = (
        select(Person, Household, Division)
        .join(Household, Person.household_id == Household.id)
        .join(Division, Household.division_id == Division.id)
        .where(Person.id_number == id_number, Person.status != "deceased")
    )
    for person, household, division in session.execute(query):
        if person.id == except_person:
            continue
        head = session.scalar(select(Person.name).where(Person.household_id == household.id,
                                                         Person.relation == Relation.HEAD.value)) or person.name
        raise DomainError("person_in_other_household", {
            "masked": idnumber.mask(id_number), "village": division.name, "head": head,
            "household_id": str(household.id), "person_id": str(person.id),
        })


def register_household(workspace: Workspace, household: HouseholdDraft, members: list[PersonDraft], *,
                       today: dt.date | None = None, allow_legacy_id: bool = False) -> ChangeSet:
    checked = check_members(members, today=today, allow_legacy_id=allow_legacy_id)
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        division = find_division(ctx.session, household.division_code)
        for person in checked:
            refuse_if_registered(ctx.session, person.id_number)
        household_id = insert_household(ctx, household, division.id)
        for person in checked:
            insert_person(ctx, person, household_id)
        ctx.result.primary_id = household_id
    return ctx.result


def insert_household(ctx: WriteContext, draft: HouseholdDraft, division_id: uuid.UUID) -> uuid.UUID:
    household_id = new_id()
    values = household_row_values(draft, division_id)
    ctx.session.add(Household(id=household_id, revision=1, **values))
    categories = sorted(HouseholdCategory(c).value for c in draft.categories)
    for category in categories:
        ctx.session.add(HouseholdCategoryLink(household_id=household_id, category=category))
    ctx.recorder.record("household", household_id, "insert", {**values, "categories": categories}, 1)
    return household_id


def insert_person(ctx: WriteContext, person: CheckedPerson, household_id: uuid.UUID) -> uuid.UUID:
    person_id = new_id()
    values = person_row_values(person, household_id)
    ctx.session.add(Person(id=person_id, revision=1, **values))
    ctx.recorder.record("person", person_id, "insert", logged(values), 1)
    return person_id


def _load(session: Session, model, record_id: uuid.UUID, missing_code: str):
    row = session.get(model, record_id, with_for_update=True)
    if row is None:
        raise DomainError(missing_code)
    return row


def _check_revision(row, expected: int | None) -> None:
    if expected is not None and row.revision != expected:
        raise DomainError("stale_record", {"expected": expected, "actual": row.revision})


def _apply(ctx: WriteContext, entity: str, row, new_values: dict[str, Any]) -> dict[str, Any]:
    return apply_changes(ctx, entity, row, new_values, logged=logged)


def update_household(workspace: Workspace, household_id: uuid.UUID, *, expected_revision: int | None = None,
                     division_code: str | None = None, categories: Iterable[str] | None = None,
                     **fields: Any) -> ChangeSet:
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        update_household_in(ctx, household_id, expected_revision=expected_revision, division_code=division_code,
                            categories=categories, **fields)
        ctx.result.primary_id = household_id
    return ctx.result


def update_household_in(ctx: WriteContext, household_id: uuid.UUID, *, expected_revision: int | None = None,
                        division_code: str | None = None, categories: Iterable[str] | None = None,
                        **fields: Any) -> None:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise DomainError("bad_argument", {"detail": f"未知字段 {sorted(unknown)}"})
    row = _load(ctx.session, Household, household_id, "household_not_found")
    _check_revision(row, expected_revision)
    values = dict(fields)
    if "address" in values:
        values["address"] = " ".join(str(values["address"]).split())
    if "certificate_no" in values:
        values["certificate_no"] = (values["certificate_no"] or "").strip() or None
    if division_code is not None:
        values["division_id"] = find_division(ctx.session, division_code).id
    changed = _apply(ctx, "household", row, values)
    if categories is not None:
        _replace_categories(ctx, row, categories, bump=not changed)


def _replace_categories(ctx: WriteContext, row: Household, categories: Iterable[str], *, bump: bool) -> None:
    wanted = sorted({HouseholdCategory(c).value for c in categories})
    current = household_categories(ctx.session, row.id)
    if wanted == current:
        return
    write_categories(ctx.session, row.id, wanted)
    if bump:
        row.revision += 1
        row.updated_at = utc_now()
    ctx.recorder.record("household", row.id, "update", {"categories": wanted}, row.revision,
                        {"categories": current})


def retire_household(workspace: Workspace, household_id: uuid.UUID, *, reason: str = "") -> ChangeSet:
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        row = _load(ctx.session, Household, household_id, "household_not_found")
        active = ctx.session.scalars(select(Person.id).where(Person.household_id == household_id,
                                                             Person.status == "alive")).all()
        if active:
            raise DomainError("household_not_empty", {"count": len(active)})
        note = (row.note + "\n" if row.note else "") + f"注销：{reason}" if reason else row.note
        _apply(ctx, "household", row, {"status": "retired", "note": note})
        ctx.result.primary_id = household_id
    return ctx.result


def add_person(workspace: Workspace, household_id: uuid.UUID, draft: PersonDraft, *,
               today: dt.date | None = None) -> ChangeSet:
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        ctx.result.primary_id = add_person_in(ctx, household_id, check_person(draft, today=today))
    return ctx.result


def add_person_in(ctx: WriteContext, household_id: uuid.UUID, person: CheckedPerson) -> uuid.UUID:
    _load(ctx.session, Household, household_id, "household_not_found")
    refuse_if_registered(ctx.session, person.id_number)
    if person.relation is Relation.HEAD and _has_head(ctx.session, household_id):
        raise DomainError("household_needs_head")
    return insert_person(ctx, person, household_id)


def _has_head(session: Session, household_id: uuid.UUID, *, except_person: uuid.UUID | None = None) -> bool:
    query = select(Person.id).where(Person.household_id == household_id, Person.relation == "head",
                                    Person.status == "alive")
    return any(pid != except_person for pid in session.scalars(query))


def update_person(workspace: Workspace, person_id: uuid.UUID, draft: PersonDraft, *,
                  expected_revision: int | None = None, today: dt.date | None = None) -> ChangeSet:
    """Replace a person's details; sex and birth date are re-derived from a changed ID number."""
    person = check_person(draft, today=today)
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        update_person_in(ctx, person_id, person, expected_revision=expected_revision)
        ctx.result.primary_id = person_id
    return ctx.result


def update_person_in(ctx: WriteContext, person_id: uuid.UUID, person: CheckedPerson, *,
                     expected_revision: int | None = None) -> dict[str, Any]:
    row = _load(ctx.session, Person, person_id, "person_not_found")
    _check_revision(row, expected_revision)
    _require_active(row)
    if person.id_number != row.id_number:
        refuse_if_registered(ctx.session, person.id_number, except_person=person_id)
    if person.relation is Relation.HEAD and _has_head(ctx.session, row.household_id, except_person=person_id):
        raise DomainError("household_needs_head")
    return _apply(ctx, "person", row, person_row_values(person, row.household_id) | {"status": row.status})


def _require_active(row: Person) -> None:
    if row.status != "alive":
        from fpdesk.core.vocabulary import PersonStatus

        status = PersonStatus(row.status)
        raise DomainError("person_not_active", {"name": row.name, "status_zh": status.label_zh,
                                                "status_en": status.label_en})


def move_person(workspace: Workspace, person_id: uuid.UUID, to_household_id: uuid.UUID, *,
                relation: Relation) -> ChangeSet:
    """Move a registered person into another household (marriage, a household split)."""
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        move_person_in(ctx, person_id, to_household_id, relation=relation)
        ctx.result.primary_id = person_id
    return ctx.result


def move_person_in(ctx: WriteContext, person_id: uuid.UUID, to_household_id: uuid.UUID, *,
                   relation: Relation) -> None:
    row = _load(ctx.session, Person, person_id, "person_not_found")
    if row.status == "deceased":  # a moved-out person may move back in; the dead may not
        _require_active(row)
    _load(ctx.session, Household, to_household_id, "household_not_found")
    if relation is Relation.HEAD and _has_head(ctx.session, to_household_id):
        raise DomainError("household_needs_head")
    _apply(ctx, "person", row, {"household_id": to_household_id, "relation": Relation(relation).value,
                                "status": "alive", "status_date": None})


def record_death(workspace: Workspace, person_id: uuid.UUID, *, on: dt.date) -> ChangeSet:
    return _end_registration(workspace, person_id, "deceased", on)


def record_move_out(workspace: Workspace, person_id: uuid.UUID, *, on: dt.date) -> ChangeSet:
    return _end_registration(workspace, person_id, "moved_out", on)


def _end_registration(workspace: Workspace, person_id: uuid.UUID, status: str, on: dt.date) -> ChangeSet:
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        end_registration_in(ctx, person_id, status, on)
        ctx.result.primary_id = person_id
    return ctx.result


def end_registration_in(ctx: WriteContext, person_id: uuid.UUID, status: str, on: dt.date) -> None:
    """Record a death or a moving out: the record stays, its status and date change."""
    row = _load(ctx.session, Person, person_id, "person_not_found")
    _require_active(row)
    if on < row.birth_date or on > dt.date.today():
        raise DomainError("bad_date", {"value": on.isoformat()})
    _apply(ctx, "person", row, {"status": status, "status_date": on})
