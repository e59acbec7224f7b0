"""Writing changed values onto a record: the one place that bumps revisions and logs old and new;
and finding the person a clerk names by ID number or record id."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, insert, select  # noqa: TID251 (category links: logged as the household's field)

from fpdesk.core import idnumber
from fpdesk.core.errors import DomainError
from fpdesk.services.workspace import WriteContext
from fpdesk.storage.schema import HouseholdCategoryLink, Person, Setting, utc_now
from fpdesk.storage.write_path import setting_record_id


def find_person(session, ref: str | uuid.UUID) -> Person:
    """A person by ID number (a living record before a deceased one) or by record id;
    DomainError(person_not_found) otherwise."""
    if isinstance(ref, uuid.UUID):
        row = session.get(Person, ref)
    else:
        text = idnumber.normalise(str(ref).strip())  # typed as people type it: full-width, lower-case x
        row = session.scalars(select(Person).where(Person.id_number == text)
                              .order_by(Person.status == "deceased")).first()
        if row is None:
            try:
                row = session.get(Person, uuid.UUID(text.lower()))
            except ValueError:
                raise person_not_found(text) from None
    if row is None:
        raise DomainError("person_not_found")
    return row


def person_not_found(number: str) -> DomainError:
    """person_not_found for a number looked up, saying what is wrong with it if it is no ID number
    (a wrong check digit read as "no such person" sent clerks looking for a record that cannot exist)."""
    try:
        idnumber.validate(number, allow_legacy=True)
    except DomainError as invalid:
        return DomainError("person_not_found", {"why_zh": "：" + invalid.message_zh.rstrip("。"),
                                                "why_en": ": " + invalid.message_en.rstrip(".")})
    return DomainError("person_not_found")


def apply_changes(ctx: WriteContext, entity: str, row, new_values: dict[str, Any], *,
                  logged: Callable[[dict[str, Any]], dict[str, Any]] = dict) -> dict[str, Any]:
    """Set the attributes that differ, bump the revision, append old and new values to the change
    log; returns what changed (nothing written, nothing logged when nothing differs).

    ``logged`` picks what the log keeps of the values (derived search keys are left out)."""
    changed = {k: v for k, v in new_values.items() if getattr(row, k) != v}
    if not changed:
        return {}
    old = {k: getattr(row, k) for k in changed}
    for key, value in changed.items():
        setattr(row, key, value)
    row.revision += 1
    row.updated_at = utc_now()
    ctx.recorder.record(entity, row.id, "update", logged(changed), row.revision, logged(old))
    return changed


def put_setting(ctx: WriteContext, key: str, value: dict[str, Any]) -> None:
    """Store an office setting (a remembered column layout, the statistical year, the backup folder
    …) and log it like any other write; nothing is written when the value is already there."""
    row = ctx.session.get(Setting, key)
    if row is not None and row.value == value:
        return
    old = row.value if row is not None else None
    if row is None:
        ctx.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    ctx.recorder.record("setting", setting_record_id(key), "update" if old else "insert", {"key": key, "value": value}, 1,
                        {"value": old} if old else None)


# -- a household's category links (written by the household services, undo and sync) --------------------


def household_categories(connection, household_id: uuid.UUID) -> list[str]:
    return sorted(connection.execute(select(HouseholdCategoryLink.category).where(
        HouseholdCategoryLink.household_id == household_id)).scalars())


def write_categories(connection, household_id: uuid.UUID, categories, *, replace: bool = True) -> None:
    """The household's category links become ``categories``; ``replace=False`` for a household
    just inserted, which has none to delete."""
    if replace:  # the callers log the household's categories field
        connection.execute(delete(HouseholdCategoryLink).where(
            HouseholdCategoryLink.household_id == household_id).execution_options(fpdesk_logged=True))
    if categories:
        connection.execute(insert(HouseholdCategoryLink).execution_options(fpdesk_logged=True),
                           category_rows(household_id, categories))


def category_rows(household_id: uuid.UUID, categories) -> list[dict[str, Any]]:
    """Link rows of a household's categories, for an insert."""
    return [{"household_id": household_id, "category": c} for c in categories or ()]
