"""A dry run that writes nothing for the new households and persons of a package.

The dry run of a package of new records (newrecords.countable) used to check each new household and
person through the ownership guard and row_values one entry at a time, after the joins' pass, and
then walk the package a third time. Here the checks ride along the joins' pass (newrecords.plan
calls ``Judge.see`` for every entry, in the package's order) and are made the cheap way:

- the owner of a new household is its division's (looked up once per division, by the guard, which
  also learns the divisions the package brings); the owner of a new person is their household's,
  known from the household's entry earlier in the package or looked up once per household. A
  household or person whose owner is not known at that point is what the guard would hold.
- a value is converted by its column's converter (services/entities.converters, the one row_values
  uses) once per distinct value of a field, not once per row: a converter depends on the value only.
- a chunk of one origin's plain household and person inserts is seen at once (``Judge.see_chunk``,
  called by newrecords._Sorting.chunk): its owners a distinct parent at a time, its fields as the
  columns newrecords.columns takes (an export writes one set of names for each kind of record), a
  value once per distinct value in the chunk, a text's length and an id's form over a whole column;
  anything see_chunk does not pass, ``see`` takes again entry by entry and says what.

Anything the clean case does not cover (an owner not known yet or not the origin's, a value that
does not fit, a household or person entry that is not a plain new insert, an entry the joins did
not find new, a suspicion suspicions.py cannot count without the duplicate check: a household with two
heads of different names) gives up: the dry run is then counted as before (importer._count),
entry by entry, with the same result. In the clean case the count is the same too: every household
and person entry is new and would be applied; only the few reference records (divisions, targets,
registrations) go through the applier, in their batches, and are rolled back with the dry run.
"""

from __future__ import annotations

import contextlib
from itertools import repeat
from operator import gt
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, String, Uuid

from fpdesk.core.errors import DomainError
from fpdesk.core.sync_package import CANONICAL_ID
from fpdesk.services.entities import UP, ValueProblem, converters, table_of, uuid_of
from fpdesk.services.sync.newrecords import countable
from fpdesk.services.sync.ownership import OwnershipGuard
from fpdesk.services.sync.package_lines import all_canonical

# the reference records kept for the applier; a package with more is no package of new records
MAX_OTHERS = 20_000
_PARENT = {"household": ("division_id", "division"), "person": ("household_id", "household")}
_PARSED = (Uuid, Date, DateTime, LargeBinary)


class Judge:
    """Sees the package's entries as the joins' pass reads them. ``usable`` stays True while every
    household and person entry is a new insert the import would apply without a question."""

    def __init__(self, connection, devices: dict[str, tuple[str, str]], *, sender_office: str, direction: str,
                 aliases: dict, batch: int) -> None:
        # its own guard (and devices): what it learns must not change what the applier's guard knows
        self.guard = OwnershipGuard(connection, dict(devices), sender_office=sender_office, sender_name=sender_office,
                                    direction=direction, aliases=aliases)
        self.sender_office = sender_office
        self.usable = direction == UP  # downward, households and persons are never inserted
        self.may_count = False  # the import's side of newrecords.countable holds: nothing held, no bad block
        self.batch = batch
        self.duplicates: int | None = 0  # the suspicions the import would queue (None: left to the check)
        self.new = 0
        self.others: list[tuple[int, str, list]] = []  # (position, origin, entry) of the reference records
        self.owners: dict[str, dict[str, str | None]] = {"division": {}, "household": {}}
        # the columns whose values row_values converts: a text's length is checked as it comes (most
        # are distinct; a text that fits passes the converter unchanged, anything else goes to it), an
        # id or a date once per distinct value (parsing is what costs)
        self.limits: dict[str, dict[str, int]] = {}
        self.now: dict[str, dict[str, Any]] = {}
        self.values: dict[str, dict[str, set]] = {}
        self.ids: dict[str, set[str]] = {}
        for entity in _PARENT:
            table = table_of(entity)
            convert = converters(table)
            parsed = {name for name in convert if isinstance(table.c[name].type, _PARSED)}
            self.limits[entity] = {name: table.c[name].type.length for name in convert
                                   if convert[name] and isinstance(table.c[name].type, String)}
            self.now[entity] = {name: check for name, check in convert.items() if check and name not in parsed}
            self.values[entity] = {name: set() for name in parsed if convert[name]}
            self.ids[entity] = {name for name in parsed if isinstance(table.c[name].type, Uuid)}

    def see(self, position: int, origin: str, entry: list, fast: bool, parent: str | None) -> None:
        """One entry, in the package's order; ``fast``: a household or person insert the joins may find
        new; ``parent``: its division's or household's id in canonical form."""
        if not self.usable:
            return
        entity, fields = entry[1], entry[5]
        if not fast:
            if entity in _PARENT or len(self.others) >= MAX_OTHERS:
                self.usable = False
                return
            self.others.append((position, origin, entry))
            with contextlib.suppress(DomainError, ValueError):  # the applier judges it again, and says why
                self.guard.check(origin, entity, uuid_of(entry[2]), entry[4], fields)
            return
        office = self.guard.devices.get(origin, (None, None))[1]
        owner = self._owner(_PARENT[entity][1], parent)
        if office is None or not office.startswith(self.sender_office) or owner is None or not owner.startswith(office):
            self.usable = False  # the guard would refuse or hold it: counted the old way, which says so
            return
        if entity == "household":
            self.owners["household"][entry[2]] = owner
        seen, now, limits = self.values[entity], self.now[entity], self.limits[entity]
        try:
            for name, value in fields.items():
                if value is not None:
                    limit = limits.get(name)
                    if limit is not None and value.__class__ is str and len(value) <= limit:
                        continue
                    if name in now:
                        now[name](value)
                    elif name in seen:
                        seen[name].add(value)
        except (ValueProblem, TypeError):  # a misfit, an unhashable value: counted the old way, which says so
            self.usable = False
            return
        self.new += 1

    def see_chunk(self, origin: str, record_ids: list[str], offsets: tuple[list[int], list[int]],
                  parents: tuple[list[str], list[str]], columns: dict[str, dict[str, list]]) -> bool:
        """``see`` for a chunk of one origin's household and person inserts that the joins may find new,
        in the package's order, with a value converted once per distinct value of a field in the chunk.
        ``offsets``: where the households and where the persons are in the chunk; ``parents``: their
        divisions' and households' ids (canonical); ``columns``: each kind's fields by name
        (newrecords.columns). True when every one passes, and then the judge stands as after ``see``
        for each; False when one does not, having changed nothing but the owners looked up (the same
        ``see`` looks up): ``see`` then takes the chunk entry by entry and says which."""
        office = self.guard.devices.get(origin, (None, None))[1]
        if office is None or not office.startswith(self.sender_office):
            return False
        # the owners as see finds them, a distinct parent at a time: a household's is its division's; a
        # person's is their household's, taken from the chunk when it came before them, else looked up
        (at, members), (divisions, homes) = offsets, parents
        by_division: dict[str, str] = {}
        for parent in dict.fromkeys(divisions):
            owner = self._owner("division", parent)
            if owner is None or not owner.startswith(office):
                return False
            by_division[parent] = owner
        households = [record_ids[offset] for offset in at]
        where = dict(zip(households, at, strict=True))
        if any(map(gt, map(where.get, homes, repeat(-1)), members)):
            return False  # their household comes later: see looks it up in the database
        for parent in set(homes).difference(where):
            owner = self._owner("household", parent)
            if owner is None or not owner.startswith(office):
                return False
        owned = dict(zip(households, map(by_division.__getitem__, divisions), strict=True))
        added: list[tuple[set, set]] = []
        try:  # a name a record lacks is None in its column, as see skips a None
            for entity, found in columns.items():
                for name, column in found.items():
                    added.extend(self._column(entity, name, column))
        except (ValueProblem, TypeError):
            return False
        self.owners["household"].update(owned)
        for values, new in added:
            values |= new
        self.new += len(at) + len(members)
        return True

    def _column(self, entity: str, name: str, column: list) -> list[tuple[set, set]]:
        """``see``'s check of one field's values (raises what a converter raises); gives the parsed
        values to keep for ``clean`` (as sets to add)."""
        seen, now, limit = self.values[entity], self.now[entity], self.limits[entity].get(name)
        if limit is None and name not in now and name not in seen:
            return []  # no column's (a form's answers): see does not look at it
        if limit is not None:  # a text's column: a value of another kind equal to a text is a text
            distinct = set(column)
            distinct.discard(None)
            if not distinct or (set(map(type, distinct)) == {str} and max(map(len, distinct)) <= limit):
                return []  # texts that fit, judged without a loop of ours: most columns of most chunks
            odd = [value for value in distinct if not (value.__class__ is str and len(value) <= limit)]
        elif name in now:  # a flag's or a number's: 1 == True, and only one of them is a number
            odd = [value for _kind, value in set(zip(map(type, column), column, strict=True)) if value is not None]
        else:
            distinct = set(column)
            distinct.discard(None)
            odd = list(distinct)
            if name in self.ids[entity]:  # an id in canonical form is one: nothing to parse
                if odd and set(map(type, odd)) == {str} and all_canonical(odd):
                    return []  # the whole column judged at once
                odd = [value for value in odd if not (value.__class__ is str and CANONICAL_ID.match(value))]
        if not odd:
            return []
        if name in now:
            check = now[name]
            for value in odd:
                check(value)
            return []
        return [(seen[name], set(odd))]

    def _owner(self, entity: str, parent: str | None) -> str | None:
        if parent is None:
            return None
        known = self.owners[entity]
        if parent not in known:
            known[parent] = self.guard.owner(entity, uuid_of(parent))
        return known[parent]

    def settles(self, plan) -> bool:
        """Whether the dry run's count is taken from here (the plan's own side of countable, with
        ``may_count`` the import's), so that the plan need not read back the ids of the new entries."""
        return self.may_count and countable(plan, 0, False) and self.clean(plan)

    def clean(self, plan) -> bool:
        """Whether the count may be taken from here: every household and person entry seen was new by
        the joins too, the suspicions were counted, and every value fits its column."""
        if not (self.usable and plan.skip_checks and not plan.applied and self.duplicates is not None
                and self.new == plan.new_count == plan.fast_entries):
            return False
        for entity, fields in self.values.items():
            convert = converters(table_of(entity))
            for name, values in fields.items():
                check = convert.get(name)
                if check is None:
                    continue
                try:
                    for value in values:
                        check(value)
                except ValueProblem:
                    return False
        return True


def count(applier: Any, judge: Judge) -> None:
    """The dry run's count: the new households and persons as the judge saw them, the reference
    records through the applier in the import's batches (the caller rolls back)."""
    current = None
    for position, origin, entry in judge.others:
        if current is not None and position // judge.batch != current:
            applier.flush()  # where the import's applier ends its batches
        current = position // judge.batch
        with contextlib.suppress(DomainError, ValueError):  # the guard learns its owners in the package's order
            applier.guard.check(origin, entry[1], uuid_of(entry[2]), entry[4], entry[5])
        applier.buffer.append((origin, entry))
    applier.flush()
    applier.counts.new += judge.new
    applier.counts.duplicates += judge.duplicates
