"""How many suspected duplicates an import of new persons would queue, read without writing them.

The import runs today's duplicate check (duplicates.check_persons) batch by batch on the new persons
the joins found sharing a key (newrecords.Plan.shared). For a package of new records only
(dryrun.Judge.clean), what it queues can be read off the temporary table of the joins and the
persons this office holds:

- an ID number held by two or more living persons: the pairs (first holder, each other holder),
  the first as the check reads them (this office's holders in its query's order, then the new ones
  in the package's order, which is the order they are inserted in);
- a likely same person: two living persons with the same pinyin name and birth date, at least one
  of them new, in different households, without two different ID numbers, whose households' heads
  have the same pinyin name. The check looks the heads up after the later of the two persons' batch
  is written: a head further on in the package is not there yet. A household with two heads of
  different names is left to the check (``None``): which one it reads depends on the database.

Pairs queued before, or found twice (by number and as likely), count once, as the check counts them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any, NamedTuple

from sqlalchemy import select

from fpdesk.services.sync.duplicates import _pair_id
from fpdesk.storage.schema import Person
from fpdesk.storage.schema_sync import SyncDuplicate

_CHUNK = 500


class _Someone(NamedTuple):
    batch: int  # -1: held here before the import
    id: uuid.UUID
    number: str | None
    home: uuid.UUID


def count(connection, batch: int, sqlite: bool) -> int | None:
    """The number of suspicions the import would queue; reads fp_entry (newrecords.plan) and persons."""
    new: list[tuple[tuple[str, dt.date], _Someone]] = []
    for pos, rid, number, pinyin, birth, home in connection.exec_driver_sql(
            "SELECT pos, rid, number, pinyin, birth, home FROM fp_entry WHERE is_shared = 1 ORDER BY pos"):
        new.append(((pinyin, _date(birth)), _Someone(pos // batch, _uuid(rid), number, _uuid(home))))
    by_number: dict[str, list[_Someone]] = defaultdict(list)
    numbers = sorted({someone.number for _key, someone in new if someone.number})
    for start in range(0, len(numbers), _CHUNK):
        for pid, number, home in connection.execute(
                select(Person.id, Person.id_number, Person.household_id).where(
                    Person.id_number.in_(numbers[start:start + _CHUNK]), Person.status == "alive")
                .order_by(Person.id_number)):
            by_number[number].append(_Someone(-1, pid, number, home))
    by_key: dict[tuple[str, dt.date], list[_Someone]] = defaultdict(list)
    pinyins = sorted({key[0] for key, _someone in new})
    keys = {key for key, _someone in new}
    for start in range(0, len(pinyins), _CHUNK):
        for pid, number, home, pinyin, birth in connection.execute(
                select(Person.id, Person.id_number, Person.household_id, Person.name_pinyin, Person.birth_date)
                .where(Person.name_pinyin.in_(pinyins[start:start + _CHUNK]), Person.status == "alive")):
            if (pinyin, birth) in keys:
                by_key[pinyin, birth].append(_Someone(-1, pid, number or None, home))
    for key, someone in new:
        if someone.number:
            by_number[someone.number].append(someone)
        by_key[key].append(someone)
    pairs: set[uuid.UUID] = set()
    for holders in by_number.values():
        if len(holders) > 1:
            pairs.update(_pair_id(holders[0].id, other.id)[0] for other in holders[1:])
    likely = [(a, b) for group in by_key.values() for i, a in enumerate(group) for b in group[i + 1:]
              if b.batch >= 0 and a.home != b.home and not (a.number and b.number and a.number != b.number)]
    heads = _heads(connection, {h for pair in likely for h in (pair[0].home, pair[1].home)}, batch, sqlite)
    for a, b in likely:
        when = max(a.batch, b.batch)
        first, second = _head(heads, a.home, when), _head(heads, b.home, when)
        if first is _AMBIGUOUS or second is _AMBIGUOUS:
            return None
        if first and first == second:
            pairs.add(_pair_id(a.id, b.id)[0])
    ordered = list(pairs)
    queued = 0
    for start in range(0, len(ordered), _CHUNK):
        queued += len(connection.execute(select(SyncDuplicate.id).where(
            SyncDuplicate.id.in_(ordered[start:start + _CHUNK]))).all())
    return len(pairs) - queued


_AMBIGUOUS = object()


def _heads(connection, homes: set[uuid.UUID], batch: int, sqlite: bool) -> dict[uuid.UUID, list[tuple[int, str]]]:
    """household -> (batch it is written in, -1 for one held here; pinyin name) of its heads."""
    found: dict[uuid.UUID, list[tuple[int, str]]] = defaultdict(list)
    ordered = list(homes)
    for start in range(0, len(ordered), _CHUNK):
        part = ordered[start:start + _CHUNK]
        for home, pinyin in connection.execute(select(Person.household_id, Person.name_pinyin).where(
                Person.household_id.in_(part), Person.relation == "head")):
            found[home].append((-1, pinyin))
        marks = ", ".join(["?" if sqlite else "%s"] * len(part))
        for pos, home, pinyin in connection.exec_driver_sql(
                f"SELECT pos, home, pinyin FROM fp_entry WHERE person = 1 AND head = 1 AND home IN ({marks})",
                tuple(h.hex if sqlite else h for h in part)):
            found[_uuid(home)].append((pos // batch, pinyin))
    return found


def _head(heads: dict, home: uuid.UUID, when: int) -> Any:
    names = {pinyin for written, pinyin in heads.get(home, ()) if written <= when}
    if len(names) > 1:
        return _AMBIGUOUS
    return next(iter(names), None)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
