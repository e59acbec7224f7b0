"""Counts of households and persons per township and village (``fpdesk stats``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household, Person


@dataclass
class DivisionCount:
    code: str
    name: str
    households: int = 0
    persons: int = 0
    villages: list[DivisionCount] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {"code": self.code, "name": self.name, "households": self.households, "persons": self.persons}
        if self.villages:
            data["villages"] = [v.as_dict() for v in self.villages]
        return data


def counts_by_division(workspace: Workspace) -> tuple[list[DivisionCount], DivisionCount]:
    """Active households and registered (alive) persons, grouped village → township."""
    with workspace.read() as session:
        names = dict(session.execute(select(Division.code, Division.name)).all())
        parents = dict(session.execute(select(Division.code, Division.parent_code)).all())
        households = dict(session.execute(
            select(Division.code, func.count(Household.id))
            .join(Household, Household.division_id == Division.id)
            .where(Household.status == "active").group_by(Division.code)).all())
        persons = dict(session.execute(
            select(Division.code, func.count(Person.id))
            .join(Household, Household.division_id == Division.id)
            .join(Person, Person.household_id == Household.id)
            .where(Person.status == "alive").group_by(Division.code)).all())
    townships: dict[str, DivisionCount] = {}
    for code in sorted(set(households) | set(persons)):
        township_code = _township_of(code, parents)
        township = townships.setdefault(
            township_code, DivisionCount(township_code, names.get(township_code, township_code)))
        village = DivisionCount(code, names.get(code, code), households.get(code, 0), persons.get(code, 0))
        township.villages.append(village)
        township.households += village.households
        township.persons += village.persons
    total = DivisionCount("", "合计", sum(t.households for t in townships.values()),
                          sum(t.persons for t in townships.values()))
    return list(townships.values()), total


def _township_of(code: str, parents: dict[str, str | None]) -> str:
    """Walk up to the 9-digit township (villager groups sit one level deeper)."""
    while len(code) > 9 and parents.get(code):
        code = parents[code]
    return code[:9]
