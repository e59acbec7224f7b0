"""What a service changed, so windows refresh only what shows it (Anki's OpChanges idea).

A ChangeSet lists the records one service call wrote; ``Changes`` says only which kinds changed,
learnt from the change-log entries of the committed transactions (``collecting``), so it holds for
every write, bulk jobs and received sync packages included.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordChange:
    entity: str  # "household" | "person" | ...
    record_id: uuid.UUID
    operation: str  # "insert" | "update" | "delete"
    fields: dict[str, Any]
    revision: int


@dataclass
class ChangeSet:
    """The result of one service call: every record written, in order.

    Attributes:
        changes: one entry per written record, as appended to the change log.
        primary_id: the record the caller asked about (the new household, the moved person ...).
    """

    changes: list[RecordChange] = field(default_factory=list)
    primary_id: uuid.UUID | None = None

    def entities(self) -> set[str]:
        return {c.entity for c in self.changes}

    def ids(self, entity: str) -> list[uuid.UUID]:
        return [c.record_id for c in self.changes if c.entity == entity]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "primary_id": str(self.primary_id) if self.primary_id else None,
            "changes": [
                {"entity": c.entity, "id": str(c.record_id), "operation": c.operation, "revision": c.revision,
                 "fields": sorted(c.fields)}
                for c in self.changes
            ],
        }


# What a screen shows, by the entities (change-log names) that feed it. A screen asks "did
# households change?", never for a table name, so a new table needs one line here, not in screens.
HOUSEHOLDS, PERSONS, ENROLLMENTS, MONEY = "households", "persons", "enrollments", "money"
REFERENCE, ACCOUNTS, CLAIMS, PRINTS, EXCHANGE, ACCESS = (
    "reference", "accounts", "claims", "prints", "exchange", "access")
OTHER = "other"  # an entity not named below: every screen that follows anything refreshes for it

KIND_OF_ENTITY: dict[str, str] = {
    "household": HOUSEHOLDS, "household_category": HOUSEHOLDS,
    "person": PERSONS,
    "enrollment": ENROLLMENTS, "insured_person": ENROLLMENTS, "hand_up": ENROLLMENTS,
    "eligible_list_entry": ENROLLMENTS,
    "payment": MONEY, "contribution": MONEY, "allocation": MONEY, "allocation_item": MONEY, "refund": MONEY,
    "cash_handover": MONEY,
    "division": REFERENCE, "product_definition": REFERENCE, "target": REFERENCE, "population": REFERENCE,
    "setting": REFERENCE, "office": REFERENCE, "office_key": REFERENCE,
    "user_account": ACCOUNTS, "consent": ACCOUNTS,
    "claim": CLAIMS, "claim_event": CLAIMS,
    "print_log": PRINTS,
    "sync_conflict": EXCHANGE, "sync_duplicate": EXCHANGE, "sync_invitation": EXCHANGE,
    "office_registration": EXCHANGE,
    "access": ACCESS,  # who looked at what: no screen shows it, so a look never refreshes a screen
}


@dataclass(frozen=True)
class Changes:
    """Which kinds of records one operation changed (Anki's OpChanges): what a screen needs to know
    to decide whether it shows something stale. Made from the change-log entries the operation's
    committed transactions wrote, so no service has to announce anything itself.

    Attributes:
        entities: the change-log entity names written ("household", "payment" ...).
        databases: where they were written (database URLs): a screen of another database ignores them.
    """

    entities: frozenset[str] = frozenset()
    databases: frozenset[str] = frozenset()

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(KIND_OF_ENTITY.get(entity, OTHER) for entity in self.entities)

    def touches(self, kinds) -> bool:
        """Whether any of ``kinds`` changed (an unknown entity counts as every kind but ACCESS)."""
        mine = self.kinds
        return bool(mine & set(kinds)) or (OTHER in mine and bool(set(kinds) - {ACCESS}))

    def __bool__(self) -> bool:
        return bool(self.entities)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.entities | other.entities, self.databases | other.databases)


def changes_of(change_set: ChangeSet) -> Changes:
    """The kinds a service's ChangeSet names (empty for a bulk job that kept only a count: the
    collector below is the way to learn what one of those changed)."""
    return Changes(frozenset(change_set.entities()))


class ChangeCollector:
    """Gathers the entities of every transaction committed while it is active (``collecting``)."""

    def __init__(self) -> None:
        self.entities: set[str] = set()
        self.databases: set[str] = set()

    @property
    def changes(self) -> Changes:
        return Changes(frozenset(self.entities), frozenset(self.databases))


_active: ContextVar[ChangeCollector | None] = ContextVar("fpdesk_change_collector", default=None)


@contextmanager
def collecting() -> Iterator[ChangeCollector]:
    """What the transactions committed inside this block changed, in this thread. A collector inside
    another passes what it saw on to the outer one."""
    collector = ChangeCollector()
    token = _active.set(collector)
    try:
        yield collector
    finally:
        _active.reset(token)
        outer = _active.get()
        if outer is not None:
            outer.entities |= collector.entities
            outer.databases |= collector.databases


def committed(entities, database: str) -> None:
    """Told by the database layer after a commit: the entities its change-log entries named."""
    collector = _active.get()
    if collector is not None and entities:
        collector.entities.update(entities)
        collector.databases.add(database)
