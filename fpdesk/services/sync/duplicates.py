"""Suspected duplicates: the same ID number under two records, or a likely same person (same pinyin
name and birth date, and household heads with the same pinyin name). They go to a review queue;
nothing is dropped or merged by itself. A merge marks the second record 'merged' (a logged,
reversible change); 'distinct' closes the suspicion. Decisions travel like any change.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any, NamedTuple

from sqlalchemy import func, select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import mask
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Division, Household, Person, utc_now
from fpdesk.storage.schema_sync import SyncDuplicate

DUPLICATE_NAMESPACE = uuid.UUID("0d8a3c55-7b7e-4c59-9d43-5a1f3e2b6c70")
DECISIONS = ("distinct", "merged", "open")


def _pair_id(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    first, second = sorted([a, b], key=str)
    return uuid.uuid5(DUPLICATE_NAMESPACE, f"{first}|{second}"), first, second


class PeopleIndex:
    """Living persons grouped by (pinyin name, birth date), built from one scan and extended with
    the persons an import touches. A bulk import looks candidates up here: one indexed query per
    batch would read every person sharing a common name, a cost that grows with the table. Kept
    small (a hash and 16-byte ids, ~150 bytes a person); candidates are checked against the
    database, so an entry left behind by a changed name costs a query, never a false suspicion."""

    def __init__(self, session) -> None:
        self.groups: dict[int, list[bytes]] = {}
        for pid, pinyin, birth in session.execute(select(Person.id, Person.name_pinyin, Person.birth_date)
                                                  .where(Person.status == "alive")):
            self.put(pid, pinyin, birth)

    def put(self, pid: uuid.UUID, pinyin: str, birth) -> list[bytes]:
        group = self.groups.setdefault(hash((pinyin, birth)), [])
        if pid.bytes not in group:
            group.append(pid.bytes)
        return group


class PersonFacts(NamedTuple):
    id: uuid.UUID
    id_number: str | None
    name_pinyin: str
    birth_date: Any
    household_id: uuid.UUID
    status: str


def check_persons(ctx: WriteContext, person_ids: set[uuid.UUID], people: PeopleIndex | None = None, *,
                  known: list[PersonFacts] = ()) -> int:
    """Queue suspicions about these (just received) persons; returns how many are new. ``known``:
    persons just inserted, whose values the caller has (not read back)."""
    session = ctx.session
    people = people or PeopleIndex(session)
    touched = [row for row in known if row.status == "alive"]
    known_ids = {row.id for row in known}
    ordered = [pid for pid in person_ids if pid not in known_ids]
    for start in range(0, len(ordered), 500):
        for row in session.execute(_person_query(Person.id.in_(ordered[start:start + 500]))):
            if row.status == "alive":
                touched.append(row)
    found: list[tuple[str, uuid.UUID, uuid.UUID, str]] = []
    numbers = sorted({row.id_number for row in touched if row.id_number})
    for start in range(0, len(numbers), 500):
        # the predicate of the partial ID-number index, so the index serves the lookup; only the
        # numbers held twice come back (not every person of the batch, who holds their own)
        alive = (Person.id_number.in_(numbers[start:start + 500]), Person.status != "deceased",
                 Person.status == "alive")
        shared = list(session.scalars(select(Person.id_number).where(*alive).group_by(Person.id_number)
                                      .having(func.count() > 1)))
        groups: dict[str, list[uuid.UUID]] = defaultdict(list)
        if shared:
            for pid, number in session.execute(select(Person.id, Person.id_number).where(
                    Person.id_number.in_(shared), Person.status == "alive").order_by(Person.id_number)):
                groups[number].append(pid)
        for number, ids in groups.items():
            for other in ids[1:]:
                found.append(("id_number", ids[0], other, f"身份证号 {mask(number)}"))
    likely = _likely_pairs(session, touched, people)
    heads = _head_names(session, {person.household_id for pair in likely for person in pair})
    for row, other in likely:
        if heads.get(row.household_id) and heads.get(row.household_id) == heads.get(other.household_id):
            found.append(("likely", row.id, other.id, f"{row.name_pinyin} {row.birth_date}"))
    created = 0
    for kind, a, b, detail in found:
        duplicate_id, first, second = _pair_id(a, b)
        if session.get(SyncDuplicate, duplicate_id) is not None:
            continue
        session.add(SyncDuplicate(id=duplicate_id, kind=kind, person_a=first, person_b=second, detail=detail,
                                  status="open"))
        session.flush()
        ctx.recorder.record("sync_duplicate", duplicate_id, "insert", {
            "kind": kind, "person_a": str(first), "person_b": str(second), "detail": detail, "status": "open"}, 1)
        created += 1
    return created


def _person_query(condition):
    return select(Person.id, Person.id_number, Person.name_pinyin, Person.birth_date, Person.household_id,
                  Person.status).where(condition)


def _likely_pairs(session, touched: list, people: PeopleIndex) -> list[tuple[Any, Any]]:
    """(person, earlier person) with the same pinyin name and birth date in another household and
    no two different ID numbers. The candidates of a whole batch are read in a few queries: one
    query per person with a common name and birthday was an eighth of a county import."""
    candidates = []
    for row in touched:
        group = people.put(row.id, row.name_pinyin, row.birth_date)
        if len(group) > 1:
            candidates.append((row, [b for b in group if b != row.id.bytes]))  # as the group is now
    wanted = sorted({b for _row, others in candidates for b in others})
    facts: dict[bytes, Any] = {}
    for start in range(0, len(wanted), 500):
        for other in session.execute(_person_query(Person.id.in_(
                [uuid.UUID(bytes=b) for b in wanted[start:start + 500]]))):
            facts[other.id.bytes] = other
    pairs = []
    for row, others in candidates:
        for other in (facts.get(b) for b in others):
            if (other is not None and other.status == "alive"
                    and (other.name_pinyin, other.birth_date) == (row.name_pinyin, row.birth_date)
                    and other.household_id != row.household_id
                    and not (row.id_number and other.id_number and row.id_number != other.id_number)):  # two people
                pairs.append((row, other))
    return pairs


def _head_names(session, household_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    ordered = list(household_ids)
    heads: dict[uuid.UUID, str] = {}
    for start in range(0, len(ordered), 500):
        heads.update(session.execute(select(Person.household_id, Person.name_pinyin).where(
            Person.household_id.in_(ordered[start:start + 500]), Person.relation == "head")).all())
    return heads


def list_duplicates(workspace: Workspace, *, include_closed: bool = False) -> list[dict[str, Any]]:
    require(workspace, "read")
    with workspace.read() as session:
        query = select(SyncDuplicate).order_by(SyncDuplicate.created_at)
        if not include_closed:
            query = query.where(SyncDuplicate.status == "open")
        rows = session.scalars(query).all()
        persons = _persons(session, {pid for d in rows for pid in (d.person_a, d.person_b)})
        return [{"id": str(d.id), "kind": d.kind, "status": d.status, "detail": d.detail,
                 "a": persons.get(d.person_a), "b": persons.get(d.person_b)} for d in rows]


def _persons(session, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The listed persons with their village, 500 ids a query (a person not found is left out)."""
    ordered = list(person_ids)
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for start in range(0, len(ordered), 500):
        for row in session.execute(
                select(Person.id, Person.name, Person.id_number, Person.birth_date, Person.status,
                       Person.household_id, Division.name.label("village"))
                .join(Household, Person.household_id == Household.id)
                .join(Division, Household.division_id == Division.id)
                .where(Person.id.in_(ordered[start:start + 500]))):
            found[row.id] = {"id": str(row.id), "name": row.name, "id_number": row.id_number,
                             "birth_date": row.birth_date.isoformat(), "village": row.village,
                             "status": row.status, "household_id": str(row.household_id)}
    return found


def decide(workspace: Workspace, duplicate_id: str, decision: str) -> dict[str, Any]:
    """distinct: not the same person; merged: the second record is marked merged; open: undo."""
    require(workspace, "review")
    if decision not in DECISIONS:
        raise DomainError("bad_decision")
    with workspace.write() as ctx:
        try:
            row = ctx.session.get(SyncDuplicate, uuid.UUID(duplicate_id))
        except ValueError:
            row = None
        if row is None:
            raise DomainError("duplicate_not_found")
        old_status = row.status
        if old_status == decision:
            return {"id": duplicate_id, "status": decision}
        second = ctx.session.get(Person, row.person_b)
        if decision == "merged" and second is not None and second.status == "alive":
            _set_status(ctx, second, "merged")
        if old_status == "merged" and second is not None and second.status == "merged":
            _set_status(ctx, second, "alive")
        row.status, row.decided_by = decision, ctx.recorder.author
        ctx.recorder.record("sync_duplicate", row.id, "update", {"status": decision}, 2, {"status": old_status})
    return {"id": duplicate_id, "status": decision}


def _set_status(ctx: WriteContext, person: Person, status: str) -> None:
    old = person.status
    person.status = status
    person.revision += 1
    person.updated_at = utc_now()
    ctx.recorder.record("person", person.id, "update", {"status": status}, person.revision, {"status": old})
