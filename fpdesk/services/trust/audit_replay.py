"""Do the data tables say what the change log says? ``audit verify`` replays the log and compares.

The hash chain proves the log was not edited; it says nothing about a table edited beside it (an
UPDATE typed into a database tool). Every write appends its changed fields to the log, so replaying a
record's entries in order (insert, updates, resolutions, delete) gives the values its row must hold.
Each synchronised table is walked together with its log entries, both in record-id order (memory stays
small for a county of 500,000 people), and a row that differs, a row the log never wrote, or a logged
record whose row is gone is reported.

What the log cannot say is left out: columns it never records (search keys, times), values a
person's anonymisation replaced (its entries keep only a digest), a field a conflict review kept as
ours although the other office's change is logged, a reference row one per natural key that was kept
as ours, and records known here under another office's id.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Text, cast, select

from fpdesk.services.entities import NATURAL_KEYS, json_value, table_of
from fpdesk.storage.audit_chain import REDACTED
from fpdesk.storage.schema import ChangeEntry, HouseholdCategoryLink
from fpdesk.storage.schema_sync import SyncAlias, SyncConflict

# The synchronised records whose every write is logged with its values.
REPLAYED = ("division", "household", "person", "consent", "enrollment", "insured_person", "payment", "claim",
            "claim_event", "target", "population", "office_registration", "product_definition", "sync_duplicate")
# Columns whose logged value is not what the row keeps by design (a received key is 'registered').
NOT_COMPARED = {"office_key": {"source", "private_key"}}
_DELETED = object()


@dataclass(frozen=True)
class Difference:
    entity: str
    record_id: uuid.UUID
    what: str  # changed | unlogged_row | missing_row | deleted_row
    field: str = ""
    table_value: Any = None
    log_value: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "record_id": str(self.record_id), "what": self.what, "field": self.field,
                "table_value": json_value(self.table_value), "log_value": self.log_value}


def compare_tables(connection: Connection, *, limit: int = 50) -> tuple[int, list[Difference]]:
    """(records compared, the first ``limit`` differences)."""
    aliased = {row.foreign_id for row in connection.execute(select(SyncAlias.foreign_id))}
    kept_ours = _kept_ours(connection)
    compared, found = 0, []
    for entity in REPLAYED:
        table = table_of(entity)
        logged = _replayed(connection, entity, aliased, kept_ours)
        rows = connection.execute(select(table).order_by(table.c.id), execution_options={"yield_per": 5000})
        categories = _CategoriesInOrder(connection) if entity == "household" else None
        for rid, state, row in _merge(logged, (r._mapping for r in rows)):
            compared += 1
            found.extend(_differences(connection, entity, table, rid, state, row, categories))
            if len(found) >= limit:
                return compared, found[:limit]
    return compared, found


def _kept_ours(connection: Connection) -> dict[tuple[str, int], set[str]]:
    """(device, seq) of another office's change -> the fields a conflict kept as ours."""
    kept: dict[tuple[str, int], set[str]] = {}
    for fields, theirs in connection.execute(select(SyncConflict.fields, SyncConflict.theirs_change)):
        device, _, seq = str((theirs or {}).get("change", "")).rpartition(":")
        for name, clash in (fields or {}).items():
            if isinstance(clash, dict) and clash.get("provisional") != clash.get("theirs"):
                kept.setdefault((device, int(seq or 0)), set()).add(name)
    return kept


def _replayed(connection: Connection, entity: str, aliased: set, kept_ours) -> Iterator[tuple[uuid.UUID, Any]]:
    """(record id, the values its row must hold or _DELETED) in record-id order."""
    query = (select(ChangeEntry.record_id, ChangeEntry.operation, cast(ChangeEntry.fields, Text),
                    ChangeEntry.origin_device, ChangeEntry.origin_seq)
             .where(ChangeEntry.entity == entity).order_by(ChangeEntry.record_id, ChangeEntry.local_seq))
    current: uuid.UUID | None = None
    state: Any = None
    for rid, operation, text, device, seq in connection.execute(query, execution_options={"yield_per": 5000}):
        if rid != current:
            if current is not None and current not in aliased and state is not None:
                yield current, state
            current, state = rid, None
        values = json.loads(text) if text else {}
        if isinstance(values, dict) and REDACTED in values:
            state = {}  # anonymised: the values before this entry are gone
            continue
        if operation == "delete":
            state = _DELETED
            continue
        skip = kept_ours.get((device, seq), set())
        if operation == "insert" or state is None or state is _DELETED:
            state = {}
        state.update({k: v for k, v in values.items() if k not in skip})
    if current is not None and current not in aliased and state is not None:
        yield current, state


def _merge(logged: Iterator[tuple[uuid.UUID, Any]], rows: Iterator[Any]):
    """Walk both id-ordered streams together: (id, logged state or None, row or None)."""
    log_item, row = next(logged, None), next(rows, None)
    while log_item is not None or row is not None:
        row_id = row["id"] if row is not None else None
        if log_item is not None and (row is None or log_item[0] < row_id):
            yield log_item[0], log_item[1], None
            log_item = next(logged, None)
        elif log_item is None or row_id < log_item[0]:
            yield row_id, None, row
            row = next(rows, None)
        else:
            yield row_id, log_item[1], row
            log_item, row = next(logged, None), next(rows, None)


class _CategoriesInOrder:
    """Each household's categories, read in one query walked beside the tables in the same id order
    (one query per household made nine tenths of a verification)."""

    def __init__(self, connection: Connection) -> None:
        self._links = iter(connection.execute(
            select(HouseholdCategoryLink.household_id, HouseholdCategoryLink.category)
            .order_by(HouseholdCategoryLink.household_id), execution_options={"yield_per": 5000}))
        self._next = next(self._links, None)

    def of(self, household_id: uuid.UUID) -> list[str]:
        """The categories of ``household_id``, sorted; asked in ascending id order."""
        found = []
        while self._next is not None and self._next[0] <= household_id:
            if self._next[0] == household_id:
                found.append(self._next[1])
            self._next = next(self._links, None)
        return sorted(found)


def _differences(connection: Connection, entity: str, table, rid: uuid.UUID, state: Any, row,
                 categories: _CategoriesInOrder | None = None) -> list[Difference]:
    if row is None:
        if state is _DELETED or _kept_as_ours(connection, entity, table, state):
            return []
        return [Difference(entity, rid, "missing_row")]
    if state is None:
        return [Difference(entity, rid, "unlogged_row")]
    if state is _DELETED:
        return [Difference(entity, rid, "deleted_row")]
    found = []
    skip = NOT_COMPARED.get(entity, set())
    for name, logged in state.items():
        if name in skip:
            continue
        if name == "categories" and entity == "household":
            have = categories.of(rid) if categories is not None else sorted(connection.execute(
                select(HouseholdCategoryLink.category).where(HouseholdCategoryLink.household_id == rid)).scalars())
            if have != sorted(logged or []):
                found.append(Difference(entity, rid, "changed", name, have, logged))
            continue
        if name not in table.c:
            continue
        if not _same(row[name], logged):
            found.append(Difference(entity, rid, "changed", name, row[name], logged))
    return found


def _same(value: Any, logged: Any) -> bool:
    have = json_value(value)
    if have == logged:
        return True
    if isinstance(have, str) and isinstance(logged, str):  # a date logged as a time, a time with its zone
        return have[:10] == logged[:10] and (len(have) <= 10 or len(logged) <= 10 or have[:19] == logged[:19])
    return False


def _kept_as_ours(connection: Connection, entity: str, table, state: Any) -> bool:
    """A reference row one per natural key: another office's was logged, ours was kept."""
    keys = NATURAL_KEYS.get(entity)
    if not keys or not isinstance(state, dict) or not all(k in state for k in keys):
        return False
    return connection.execute(select(table.c.id).where(
        *(table.c[k] == state[k] for k in keys))).first() is not None


def forged_redactions(connection: Connection) -> list[int]:
    """Entries replaced by an anonymisation marker whose person was never anonymised (local_seq)."""
    from fpdesk.services.trust.privacy import ANONYMOUS_NAME
    from fpdesk.storage.schema import Person
    from fpdesk.storage.schema_enrollment import InsuredPerson
    from fpdesk.storage.schema_trust import Consent

    marked = connection.execute(select(ChangeEntry.local_seq, ChangeEntry.entity, ChangeEntry.record_id).where(
        cast(ChangeEntry.fields, Text).like('{"' + REDACTED + '"%'))).all()
    forged = []
    for seq, entity, rid in marked:
        person = rid if entity == "person" else connection.execute(
            select(InsuredPerson.person_id).where(InsuredPerson.id == rid)).scalar() if entity == "insured_person" \
            else connection.execute(select(Consent.person_id).where(Consent.id == rid)).scalar() \
            if entity == "consent" else None
        name = connection.execute(select(Person.name).where(Person.id == person)).scalar() if person else None
        if name != ANONYMOUS_NAME:
            forged.append(seq)
    return forged
