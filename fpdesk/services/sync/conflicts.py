"""The conflict review: base / ours / theirs per field, and a person's decision.

A decision is one change with operation ``resolve`` on the record (the decided values), so it
travels up to the county and down to the villages and closes the same conflict wherever it
arrives (conflict ids are derived from the two changes, so they are the same at every office).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.services.entities import RESOLVE, json_value, table_of
from fpdesk.services.permissions import allows, require
from fpdesk.services.records import household_categories
from fpdesk.services.sync.apply import write_values
from fpdesk.services.trust.audit import household_labels
from fpdesk.services.trust.pi_masking import masked_value
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household, Office, Person
from fpdesk.storage.schema_sync import OfficeRegistration, SyncConflict


def list_conflicts(workspace: Workspace, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    """Open (or all) conflicts. A reader without ``pi.full`` gets ID and phone numbers masked and
    claims' medical text hidden, as everywhere else; such a reader cannot resolve a conflict anyway
    (``review`` comes with ``pi.full``)."""
    require(workspace, "read")
    full = allows(workspace, "pi.full")
    with workspace.read() as session:
        query = select(SyncConflict).order_by(SyncConflict.created_at)
        if not include_resolved:
            query = query.where(SyncConflict.status == "open")
        described = [_describe(c) for c in session.scalars(query)]
        _name_records_and_offices(session, described)
    return described if full else [_masked(c) for c in described]


def _name_records_and_offices(session, conflicts: list[dict[str, Any]]) -> None:
    """``record_name`` (林国华户，罗翠村; a person as 张三（罗翠村）) and each side's ``office_name``,
    so a review names what a clerk knows instead of an id's tail and an office code."""
    households = {uuid.UUID(c["record_id"]) for c in conflicts if c["entity"] == "household"}
    persons = {uuid.UUID(c["record_id"]) for c in conflicts if c["entity"] == "person"}
    names = household_labels(session, households) if households else {}
    if persons:
        for person_id, name, village in session.execute(select(Person.id, Person.name, Division.name).join(
                Household, Person.household_id == Household.id).join(
                Division, Household.division_id == Division.id).where(Person.id.in_(persons))):
            names[str(person_id)] = f"{name}（{village}）"
    offices = {code: name for code, name in session.execute(
        select(OfficeRegistration.office_code, OfficeRegistration.name))}
    offices.update(session.execute(select(Office.code, Office.name)).all())
    for conflict in conflicts:
        conflict["record_name"] = names.get(conflict["record_id"])
        for side in ("ours", "theirs"):
            change = conflict.get(side)
            if isinstance(change, dict):
                change["office_name"] = offices.get(change.get("office") or "")


_SIDES = frozenset({"base", "ours", "theirs", "provisional"})


def _masked(conflict: dict[str, Any]) -> dict[str, Any]:
    entity = conflict["entity"]
    fields = {name: {side: masked_value(name, value, entity) if side in _SIDES else value
                     for side, value in clash.items()} for name, clash in (conflict["fields"] or {}).items()}
    resolution = conflict["resolution"] and {name: masked_value(name, value, entity)
                                              for name, value in conflict["resolution"].items()}
    return {**conflict, "fields": fields, "resolution": resolution}


def _describe(conflict: SyncConflict) -> dict[str, Any]:
    return {"id": str(conflict.id), "entity": conflict.entity, "record_id": str(conflict.record_id),
            "status": conflict.status, "fields": conflict.fields, "ours": conflict.ours_change,
            "theirs": conflict.theirs_change, "resolution": conflict.resolution}


def _find(session, conflict_id: str) -> SyncConflict:
    rows = session.scalars(select(SyncConflict).where(SyncConflict.status == "open")).all()
    matches = [c for c in rows if str(c.id) == conflict_id or str(c.id).startswith(conflict_id)]
    if len(matches) != 1:
        raise DomainError("conflict_not_found", {"id": conflict_id})
    return matches[0]


def parse_take(take: list[str] | str) -> str | dict[str, Any]:
    """'ours' | 'theirs' | ['address=新街 1 号', 'phone=null']; values are JSON when they parse as JSON."""
    items = [take] if isinstance(take, str) else list(take)
    if items in (["ours"], ["theirs"]):
        return items[0]
    chosen: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name:
            raise DomainError("conflict_bad_take", {"fields": "?"})
        try:
            value = json.loads(text)
            if isinstance(value, int | float) and not isinstance(value, bool) and text.strip() != str(value):
                value = text
        except ValueError:
            value = text
        chosen[name.strip()] = value
    return chosen


def resolve(workspace: Workspace, conflict_id: str, take: str | dict[str, Any]) -> dict[str, Any]:
    require(workspace, "review")
    with workspace.write() as ctx:
        conflict = _find(ctx.session, conflict_id)
        names = sorted(conflict.fields)
        if take in ("ours", "theirs"):
            chosen = {name: conflict.fields[name][take] for name in names}
        elif isinstance(take, dict) and take and set(take) <= set(names):
            chosen = {name: take.get(name, conflict.fields[name]["provisional"]) for name in names}
        else:
            raise DomainError("conflict_bad_take", {"fields": ", ".join(names)})
        table = table_of(conflict.entity)
        connection = ctx.session.connection()
        row = connection.execute(select(table).where(table.c.id == conflict.record_id)).mappings().first()
        if row is None:
            raise DomainError("conflict_not_found", {"id": conflict_id})
        old = {name: json_value(row[name]) for name in names if name in row}
        if "categories" in names:
            old["categories"] = household_categories(connection, conflict.record_id)
        revision = int(row.get("revision") or 0) + 1
        write_values(connection, conflict.entity, table, conflict.record_id, chosen, revision)
        ctx.recorder.record(conflict.entity, conflict.record_id, RESOLVE, chosen, revision, old)
        conflict.status, conflict.resolution, conflict.resolved_by = "resolved", chosen, ctx.recorder.author
        ctx.recorder.record("sync_conflict", conflict.id, "update", {"status": "resolved"}, 2, {"status": "open"})
        ctx.result.primary_id = conflict.record_id
        return {"id": str(conflict.id), "entity": conflict.entity, "record_id": str(conflict.record_id),
                "values": chosen}

