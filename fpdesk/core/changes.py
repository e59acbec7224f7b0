"""What a service changed, so windows refresh only that (Anki's OpChanges idea)."""

from __future__ import annotations

import uuid
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
