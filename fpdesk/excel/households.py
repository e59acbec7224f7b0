"""Gathering checked roster rows into households.

Rosters say who lives together in different ways; the first the sheet supports is used:
1. a household column (户号) within a division;
2. the head's ID number (户主身份证号码) on every row, or on the head's row only with the others
   naming the head (户主姓名);
3. the head's name plus the address (or the village, without an address column);
4. the order of the rows: a row whose relation is 户主 starts a household, the rows after it
   belong to it (the layout most village rosters have);
5. no relation column at all: every row is a household of its own (per-person lists such as S3's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from fpdesk.core.vocabulary import Relation
from fpdesk.excel.rows import RosterRow


@dataclass
class RowHousehold:
    """The rows of one household as the file groups them (``key`` says by what)."""

    key: tuple
    rows: list[RosterRow] = field(default_factory=list)

    @property
    def head_rows(self) -> list[RosterRow]:
        return [r for r in self.rows if r.person.relation is Relation.HEAD]

    @property
    def head_id_number(self) -> str | None:
        heads = self.head_rows
        if heads and heads[0].person.id_number:
            return heads[0].person.id_number
        return next((r.head_id_number for r in self.rows if r.head_id_number), None)

    @property
    def first(self) -> RosterRow:
        heads = self.head_rows
        return heads[0] if heads else self.rows[0]


def grouping_of(mapped_fields: Sequence[str]) -> str:
    fields = set(mapped_fields)
    if "household_ref" in fields:
        return "household_ref"
    if "head_id_number" in fields:
        return "head_id_number"
    if "head_name" in fields:
        return "head_name"
    if "relation" in fields:
        return "sequence"
    return "single"


def assemble_households(rows: Sequence[RosterRow], grouping: str) -> list[RowHousehold]:
    groups: dict[tuple, RowHousehold] = {}
    order: list[RowHousehold] = []
    current: RowHousehold | None = None
    for row in rows:
        key: tuple | None
        if grouping == "household_ref" and row.household_ref:
            key = ("ref", row.division_code, row.household_ref)
        elif grouping in ("household_ref", "head_id_number") and (row.head_id_number or (
                row.person.relation is Relation.HEAD and row.person.id_number)):
            key = ("head", row.head_id_number or row.person.id_number)
        elif grouping in ("household_ref", "head_id_number", "head_name") and (row.head_name or (
                row.person.relation is Relation.HEAD)):
            key = ("head_name", row.division_code, row.head_name or row.person.name, row.address or "")
        elif grouping == "single":
            key = ("row", row.row)
        else:
            key = None
        if key is None:
            # by the order of the rows: a head starts a new household
            if row.person.relation is Relation.HEAD or current is None:
                current = RowHousehold(("sequence", row.row))
                order.append(current)
            current.rows.append(row)
            continue
        household = groups.get(key)
        if household is None:
            household = groups[key] = RowHousehold(key)
            order.append(household)
        household.rows.append(row)
        current = household
        if key[0] == "head" and row.person.relation is Relation.HEAD:
            # the head's number on the head's row only: the members name the head instead
            groups.setdefault(("head_name", row.division_code, row.head_name or row.person.name, row.address or ""),
                              household)
    for household in order:
        if len(household.rows) > 1 and not any(r.relation_given for r in household.rows):
            _relations_from_head_number(household)
    return order


def _relations_from_head_number(household: RowHousehold) -> None:
    """Without a relation column the head is the row with the head's ID number (else the first row)."""
    number = next((r.head_id_number for r in household.rows if r.head_id_number), None)
    head = next((r for r in household.rows if number and r.person.id_number == number), household.rows[0])
    for row in household.rows:
        row.person = replace(row.person, relation=Relation.HEAD if row is head else Relation.OTHER)
