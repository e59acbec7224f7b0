"""Undo the last saved change: put back the old values the change log kept, as a new change.

Undo never rewrites history; it appends. An update is reversed by writing its old values (if the
record has not been changed again since); an insert is reversed by deleting the new rows, which
is refused once anything else refers to them (an enrollment, say).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Date, DateTime, Uuid, delete, select  # noqa: TID251 (category links: part of the household's delete)
from sqlalchemy.exc import IntegrityError

from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.services.permissions import require
from fpdesk.services.records import write_categories
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Household, HouseholdCategoryLink, Person, utc_now

MODELS = {"household": Household, "person": Person}


def _from_json(model, field: str, value: Any) -> Any:
    if value is None or field == "categories":
        return value
    column_type = model.__table__.c[field].type
    if isinstance(column_type, Uuid):
        return uuid.UUID(value)
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    return value


def undo(workspace: Workspace, changes: ChangeSet) -> ChangeSet:
    """Reverse ``changes`` (the ChangeSet a service returned) in one transaction."""
    undoable = [c for c in changes.changes if c.entity in MODELS]
    if not undoable:
        raise DomainError("nothing_to_undo")
    # One service call may log a record more than once (its fields, then its categories): undo
    # each record once, from its last logged revision, newest record first.
    by_record: dict[tuple[str, uuid.UUID], list] = {}
    for change in undoable:
        by_record.setdefault((change.entity, change.record_id), []).append(change)
    try:
        require(workspace, "record.edit")
        with workspace.write() as ctx:
            for (_entity, _record_id), record_changes in reversed(list(by_record.items())):
                if record_changes[0].operation == "insert":
                    _delete_inserted(ctx, record_changes[-1])
                else:
                    _restore(ctx, record_changes)
            ctx.session.flush()
    except IntegrityError:
        raise DomainError("undo_blocked") from None
    return ctx.result


def _old_values(ctx: WriteContext, change) -> dict[str, Any]:
    """The old values the change log kept for this change (the ChangeSet carries only the new)."""
    from fpdesk.storage.schema import ChangeEntry

    entries = ctx.session.scalars(select(ChangeEntry).where(
        ChangeEntry.record_id == change.record_id, ChangeEntry.revision == change.revision,
        ChangeEntry.entity == change.entity, ChangeEntry.operation == "update")).all()
    for entry in entries:
        if set(entry.fields) == set(change.fields):
            return dict(entry.old_values or {})
    return {}


def _restore(ctx: WriteContext, record_changes: list) -> None:
    last = record_changes[-1]
    model = MODELS[last.entity]
    row = ctx.session.get(model, last.record_id, with_for_update=True)
    if row is None:
        raise DomainError("nothing_to_undo")
    if row.revision != last.revision:
        raise DomainError("stale_record", {"expected": last.revision, "actual": row.revision})
    old: dict[str, Any] = {}
    new_values: dict[str, Any] = {}
    for change in reversed(record_changes):
        old.update(_old_values(ctx, change))
        new_values.update(change.fields)
    row.revision += 1
    row.updated_at = utc_now()
    if "categories" in old:
        write_categories(ctx.session, row.id, old["categories"])
    for field, value in old.items():
        if field != "categories":
            setattr(row, field, _from_json(model, field, value))
    ctx.recorder.record(last.entity, row.id, "update", old, row.revision, new_values)


def _delete_inserted(ctx: WriteContext, change) -> None:
    model = MODELS[change.entity]
    row = ctx.session.get(model, change.record_id, with_for_update=True)
    if row is None:
        return
    if row.revision != change.revision:
        raise DomainError("stale_record", {"expected": change.revision, "actual": row.revision})
    if model is Household:
        ctx.session.execute(delete(HouseholdCategoryLink).where(HouseholdCategoryLink.household_id == row.id)
                            .execution_options(fpdesk_logged=True))  # part of the household's delete
    ctx.session.delete(row)
    ctx.session.flush()
    ctx.recorder.record(change.entity, row.id, "delete", {}, row.revision + 1, dict(change.fields))
