"""Applying received change entries, generically by entity (= table name).

Each entry is ``[seq, entity, record_id, revision, operation, fields, old_values, author, at]``
from one origin device. Already-applied change ids are skipped (idempotent). New records are
written in batches (Core executemany, parents first by foreign key order). An update is merged
field by field against the value its origin changed it from: a field nobody here touched since
takes the new value; a field changed here to something else is a conflict, kept with base / ours /
theirs, and until a person decides every office shows the same provisional value (the change of
the higher office level wins, then the larger device id and sequence). A ``resolve`` sets the
decided values and clears the conflict wherever it arrives.

Every accepted entry is appended to the local change log as the origin wrote it, so this office
can relay it and its version vector moves on.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update  # noqa: TID251 (logs the entries as received)
from sqlalchemy.exc import IntegrityError

from fpdesk.core import sync_package as fmt
from fpdesk.services.entities import (
    DOWN,
    KEEP_OURS,
    NATURAL_KEYS,
    RESOLVE,
    UP,
    ValueProblem,
    json_value,
    row_values,
    sorted_entities,
    table_of,
)
from fpdesk.services.records import category_rows, household_categories, write_categories
from fpdesk.services.sync import duplicates, newbatch, words
from fpdesk.services.sync.identity import LEVEL_RANK
from fpdesk.services.sync.newrecords import Plan
from fpdesk.services.sync.ownership import OwnershipGuard
from fpdesk.services.workspace import WriteContext
from fpdesk.storage.bulk_insert import insert_rows  # noqa: TID251 (logs the entries as received)
from fpdesk.storage.changelog import append_entries
from fpdesk.storage.schema import ChangeEntry, Division, HouseholdCategoryLink, utc_now
from fpdesk.storage.schema_enrollment import Enrollment
from fpdesk.storage.schema_sync import OfficeRegistration, SyncAlias, SyncConflict, SyncHeld

CONFLICT_NAMESPACE = uuid.UUID("5b0c7d1e-9a53-4d9e-a3f4-0f6e1d2c3b4a")
BATCH = 2000
_MISSING = object()


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    held: int = 0
    rejected: int = 0
    merged: int = 0  # updates merged field by field with a parallel change here
    notes: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)  # the same notes in English, one for one

    def note(self, zh: str, en: str) -> None:
        self.notes.append(zh)
        self.notes_en.append(en)


def _duplicate_record(entity: str, rid: uuid.UUID) -> tuple[str, str]:
    return (f"一条{words.record_zh(entity)}记录（编号尾号 {rid.hex[-6:]}）与本单位已有的记录重复，未导入。",
            f"A {words.record_en(entity)} record (id ending {rid.hex[-6:]}) repeats one this office"
            " has and was not imported.")


def change_id(device: str, seq: int) -> str:
    return f"{device}:{seq}"


class Applier:
    def __init__(self, ctx: WriteContext, package_id: str, *, from_parent: bool = False, sender_office: str = "",
                 sender_name: str = "") -> None:
        self.ctx = ctx
        self.from_parent = from_parent
        self.connection = ctx.session.connection()
        self.package_id = package_id
        self.counts = Counts()
        self.buffer: list[tuple[str, list]] = []
        self.devices = {r.device_id: (r.level, r.office_code) for r in ctx.session.scalars(select(OfficeRegistration))}
        self.refused: set[tuple[str, int]] = set()  # inserts refused in their batch: not logged
        self.aliases: dict[tuple[str, uuid.UUID], uuid.UUID] = {
            (row.entity, row.foreign_id): row.local_id for row in ctx.session.scalars(select(SyncAlias))}
        # what the sender may send (services/sync/ownership.py); it sees registrations as they arrive
        self.guard = OwnershipGuard(self.connection, self.devices, sender_office=sender_office,
                                    sender_name=sender_name or sender_office, direction=DOWN if from_parent else UP,
                                    aliases=self.aliases)
        self.order = {name: i for i, name in enumerate(sorted_entities())}
        self.touched_persons: set[uuid.UUID] = set()
        self.new_persons: list[duplicates.PersonFacts] = []
        self.people: duplicates.PeopleIndex | None = None
        self.entities: Counter[str] = Counter()  # accepted entries by entity (what this package changed)
        # set by the set-based import (services/sync/newrecords.py): the inserts known to be new skip
        # the per-batch lookups, and a batch whose new persons share no key skips the duplicate check
        self.plan: Plan | None = None
        self.persons_written = False  # a person inserted in this batch (whether the check sees them or not)
        # a writer thread runs the bulk statements (importer._feed_pipelined): a batch of new records
        # writes without savepoints, whose statements would wait for the writer
        self.pipelined = False

    # ---- entry points ---------------------------------------------------------------------------

    def add(self, origin: str, entry: list) -> None:
        self.buffer.append((origin, entry))
        if len(self.buffer) >= BATCH:
            self.flush()

    def add_all(self, origin: str, entries: list[list]) -> None:
        """``add`` of each entry, in order: the same batches."""
        start = 0
        while start < len(entries):
            room = BATCH - len(self.buffer)
            self.buffer.extend([(origin, entry) for entry in entries[start:start + room]])
            start += room
            if len(self.buffer) >= BATCH:
                self.flush()

    def hold(self, origin: str, entry: list, reason: str) -> None:
        exists = self.connection.execute(select(SyncHeld.id).where(
            SyncHeld.origin_device == origin, SyncHeld.origin_seq == entry[0])).first()
        if exists is None:
            self.connection.execute(insert(SyncHeld), [{"reason": reason, "origin_device": origin,
                                                        "origin_seq": entry[0], "envelope": entry,
                                                        "package_id": self.package_id, "received_at": utc_now()}])
        if reason == "gap" or reason == "missing":
            self.counts.held += 1
        else:
            self.counts.rejected += 1

    def flush(self) -> None:
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
        if newbatch.all_new(self, batch):  # the joins found every entry new: no lookups, no check
            newbatch.flush_new(self, batch)
            return
        fresh = self._not_yet_applied(batch)
        self.counts.unchanged += len(batch) - len(fresh)
        pending: dict[str, list[tuple[uuid.UUID, dict[str, Any], dict[str, Any]]]] = defaultdict(list)
        pending_ids: set[uuid.UUID] = set()
        allowed, rids = [], []
        for origin, entry in fresh:  # what the sender may send, before anything of the batch is touched
            rid = uuid.UUID(entry[2])
            if self.guard.check(origin, entry[1], rid, entry[4], entry[5]):
                allowed.append((origin, entry))
                rids.append(rid)
            else:
                self.hold(origin, entry, "missing")  # its owner is not here yet: checked again on retry
        fresh = allowed
        existing = self._existing_ids(fresh, rids)
        log_rows: list[dict[str, Any]] = []
        for (origin, entry), rid in zip(fresh, rids, strict=True):
            _seq, entity, _record_id, revision, operation, fields, _old, _author, _at = entry
            table = table_of(entity)
            rid, applied = self._mapped(entity, rid, fields)  # another office's id of a record we hold
            try:
                if (operation == "insert" and rid not in existing.get(entity, ()) and rid not in pending_ids
                        and entity != "office_registration"):
                    values, extra = row_values(table, entity, applied)
                    if entity == "division" and self._aliased_division(rid, values):
                        self.entities[entity] += 1
                        log_rows.append(self._log_row(origin, entry, rid))
                        continue
                    pending[entity].append((rid, _with_revision(table, {**values, "id": rid}, revision), extra,
                                            (origin, entry)))
                    pending_ids.add(rid)
                    self.counts.new += 1
                    if entity == "person" and self._checked(origin, entry[0]):
                        # what the duplicate check needs, without reading it back
                        self.new_persons.append(duplicates.PersonFacts(
                            rid, values.get("id_number"), values.get("name_pinyin"), values.get("birth_date"),
                            values.get("household_id"), values.get("status", "alive")))
                else:
                    self._write_pending(pending)
                    pending_ids.clear()
                    append_entries(self.ctx.session, self._kept(log_rows))  # earlier entries are "ours" for a conflict
                    log_rows.clear()
                    outcome = self._apply_one(origin, [*entry[:5], applied, *entry[6:]], table, rid)
                    if outcome == "held":
                        self.hold(origin, entry, "missing")
                        continue
                    if outcome == "rejected":
                        self.hold(origin, entry, "refused")
                        continue
            except ValueProblem as problem:
                self._refuse_value(origin, entry, problem)
                continue
            self.entities[entity] += 1
            log_rows.append(self._log_row(origin, entry, rid))
        self._write_pending(pending)
        append_entries(self.ctx.session, self._kept(log_rows))
        self.check_written_persons()

    def check_written_persons(self) -> None:
        """The duplicate check of the persons a batch wrote or touched, after its rows and log entries."""
        if self.people is None and (self.touched_persons or self.new_persons or self.persons_written):
            # built when the first persons are written, as the per-entry check always built it: the
            # order of its groups is the order suspicions are found and logged in
            self.people = duplicates.PeopleIndex(self.ctx.session)
        self.persons_written = False
        if self.touched_persons or self.new_persons:
            self.counts.duplicates += duplicates.check_persons(self.ctx, self.touched_persons, self.people,
                                                               known=self.new_persons)
            self.touched_persons.clear()
            self.new_persons = []

    @staticmethod
    def _log_row(origin: str, entry: list, rid: uuid.UUID) -> dict[str, Any]:
        """The entry as its origin wrote it, for our change log (so it can be relayed unchanged)."""
        seq, entity, _record_id, revision, operation, fields, old, author, at = entry
        return {"origin_device": origin, "origin_seq": seq, "entity": entity, "record_id": rid, "revision": revision,
                "operation": operation, "fields": fields, "old_values": old, "author": author, "at": _datetime(at)}

    def _checked(self, origin: str, seq: int) -> bool:
        """Whether the duplicate check must see this new person: always, unless the joins showed that
        no one else holds their ID number or their pinyin name and birth date (newrecords.Plan): such
        a person adds nothing to what the check finds, nor to the order it finds it in."""
        self.persons_written = True
        plan = self.plan
        return plan is None or not plan.skip_checks or (origin, seq) not in plan.new or (origin, seq) in plan.shared

    def _refuse_value(self, origin: str, entry: list, problem: ValueProblem) -> None:
        """A value that does not fit its column: a text too long is one refused record (said in the
        report, as a roster row is); any other misfit means the package is malformed."""
        if problem.kind != "too_long":
            raise fmt.malformed(f"field {problem.field} of a '{entry[1]}' change",
                                f"{words.record_zh(entry[1])}记录的字段“{words.field_words(problem.field)[0]}”") from None
        label, tail = words.record_zh(entry[1]), uuid.UUID(entry[2]).hex[-6:]
        field_zh, field_en = words.field_words(problem.field)
        self.counts.note(f"一条{label}记录的“{field_zh}”超过 {problem.limit} 个字，未导入（编号尾号 {tail}）。",
                         f"A {words.record_en(entry[1])} record's {field_en} is longer than"
                         f" {problem.limit} characters and was not imported (id ending {tail}).")
        self.hold(origin, entry, "refused")

    def _kept(self, log_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The log rows of entries applied: an insert refused in its batch is held, not logged."""
        if not self.refused:
            return log_rows
        kept = [row for row in log_rows if (row["origin_device"], row["origin_seq"]) not in self.refused]
        self.refused.clear()
        return kept

    def _mapped(self, entity: str, rid: uuid.UUID, fields: dict[str, Any]) -> tuple[uuid.UUID, dict[str, Any]]:
        """The record id and the references to other records as this office knows them: a division
        another office made under a code we hold already is our division (services/sync/aliases)."""
        if not self.aliases:
            return rid, fields
        rid = self.aliases.get((entity, rid), rid)
        references = _references(table_of(entity))
        if not references or not references.keys() & fields.keys():
            return rid, fields
        mapped = dict(fields)
        for name, target in references.items():
            value = fields.get(name)
            if isinstance(value, str):
                try:
                    local = self.aliases.get((target, uuid.UUID(value)))
                except ValueError:
                    continue
                if local is not None:
                    mapped[name] = str(local)
        return rid, mapped

    # ---- batching ---------------------------------------------------------------------------------

    def _not_yet_applied(self, batch: list[tuple[str, list]]) -> list[tuple[str, list]]:
        by_origin: dict[str, list[int]] = defaultdict(list)
        new = self.plan.new if self.plan is not None else ()
        for origin, entry in batch:
            if (origin, entry[0]) not in new:  # known new by the joins: not in the log
                by_origin[origin].append(entry[0])
        seen: set[tuple[str, int]] = set()
        for origin, seqs in by_origin.items():
            rows = self.connection.execute(select(ChangeEntry.origin_seq).where(
                ChangeEntry.origin_device == origin, ChangeEntry.origin_seq.between(min(seqs), max(seqs))))
            seen.update((origin, s) for (s,) in rows)
        fresh = []
        for origin, entry in batch:
            if (origin, entry[0]) not in seen:
                seen.add((origin, entry[0]))  # the same change twice in one package counts once
                fresh.append((origin, entry))
        return fresh

    def _existing_ids(self, fresh: list[tuple[str, list]], rids: list[uuid.UUID]) -> dict[str, set[uuid.UUID]]:
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        new = self.plan.new if self.plan is not None else ()
        for (origin, entry), rid in zip(fresh, rids, strict=True):
            if entry[4] == "insert" and table_of(entry[1]) is not None and (origin, entry[0]) not in new:
                wanted[entry[1]].add(rid)
        found: dict[str, set[uuid.UUID]] = {}
        for entity, ids in wanted.items():
            table = table_of(entity)
            ordered = list(ids)
            found[entity] = set()
            for start in range(0, len(ordered), 500):
                found[entity].update(self.connection.execute(
                    select(table.c.id).where(table.c.id.in_(ordered[start:start + 500]))).scalars())
        return found

    def _write_pending(self, pending: dict[str, list]) -> None:
        for entity in sorted(pending, key=lambda name: self.order.get(name, 0)):
            items = pending[entity]
            if not items:
                continue
            table = table_of(entity)
            now = utc_now()
            if entity in NATURAL_KEYS:
                items[:] = self._settle_natural_keys(entity, table, items)
            groups: dict[frozenset, list[tuple]] = defaultdict(list)
            for item in items:
                row = _complete(table, item[1], now)
                groups[frozenset(row)].append(item)  # one executemany needs the same keys in every row
            for group in groups.values():
                try:
                    with self.ctx.session.begin_nested():
                        insert_rows(self.connection, table, [item[1] for item in group], logged=True)
                        if entity == "household":  # one executemany for the batch's households
                            links = [link for rid, _values, extra, _entry in group
                                     for link in category_rows(rid, extra.get("categories"))]
                            if links:
                                insert_rows(self.connection, HouseholdCategoryLink.__table__, links, logged=True)
                except IntegrityError:
                    for item in group:  # one by one: only the rows that clash are refused
                        self._insert_pending_alone(entity, table, item)
            items.clear()

    def _insert_pending_alone(self, entity: str, table, item: tuple) -> None:
        rid, values, extra, (origin, entry) = item
        try:
            with self.ctx.session.begin_nested():
                if entity == "enrollment":
                    values["duplicate_rank"] = self._free_rank(values)
                self.connection.execute(insert(table).execution_options(fpdesk_logged=True), [values])
                if entity == "household":
                    write_categories(self.connection, rid, extra.get("categories"), replace=False)
        except IntegrityError:
            self.counts.note(*_duplicate_record(entity, rid))
            self.counts.new -= 1
            self.entities[entity] -= 1
            self.refused.add((origin, entry[0]))
            self.hold(origin, entry, "refused")

    def _free_rank(self, values: dict[str, Any]) -> int:
        """A second office's enrollment of a household this office enrolled already (both offline)
        is kept beside ours with the next duplicate rank: the coverage check shows both."""
        ranks = self.connection.execute(select(Enrollment.duplicate_rank).where(
            Enrollment.household_id == values.get("household_id"), Enrollment.product_code == values.get("product_code"),
            Enrollment.policy_year == values.get("policy_year"))).scalars().all()
        return max(ranks, default=-1) + 1

    def _aliased_division(self, rid: uuid.UUID, values: dict[str, Any]) -> bool:
        """A division is one per code, but two offices may each add the same village (the county from
        its list, the township by hand). The one that arrives is taken as ours: its id becomes an
        alias of our row, so the records made under it land in our division. True when aliased."""
        local = self.connection.execute(select(Division.id).where(Division.code == values.get("code"))).scalar()
        if local is None or local == rid:
            return False
        self.aliases[("division", rid)] = local
        self.connection.execute(insert(SyncAlias), [{"entity": "division", "foreign_id": rid, "local_id": local}])
        self.counts.merged += 1
        self.counts.note(f"行政区划 {values.get('code')} 两处都已添加，按本单位已有的一条合并。",
                         f"Division {values.get('code')} was added on both sides; merged into this office's own.")
        return True

    def _settle_natural_keys(self, entity: str, table, items: list) -> list:
        """A reference row (a target, a population count) is one per natural key. Two offices may
        each have made one: a township loads its row of the county's table, the county sends its own.
        From the parent the incoming row replaces ours (the delete is logged); from a child, our
        own row stands and the incoming insert is counted unchanged. A division made under the same
        code at two offices before division ids came from their codes stays ours either way: this
        office's households point at it."""
        keys = NATURAL_KEYS[entity]
        kept = []
        for item in items:
            rid, values = item[0], item[1]
            found = self.connection.execute(select(table.c.id).where(
                *(table.c[k] == values.get(k) for k in keys), table.c.id != rid)).scalars().all()
            if not found:
                kept.append(item)
            elif self.from_parent and entity not in KEEP_OURS:
                for local_id in found:
                    revision = self.connection.execute(select(table.c.revision).where(table.c.id == local_id)).scalar()
                    self.connection.execute(delete(table).where(table.c.id == local_id).execution_options(fpdesk_logged=True))
                    self.ctx.recorder.record(entity, local_id, "delete", {}, (revision or 1) + 1,
                                             {k: json_value(values.get(k)) for k in keys})
                kept.append(item)
            else:
                self.counts.unchanged += 1
                self.counts.new -= 1  # counted new when it was queued
        return kept

    # ---- one entry at a time ----------------------------------------------------------------------

    def _apply_one(self, origin: str, entry: list, table, rid: uuid.UUID) -> str:
        _seq, entity, _record_id, revision, operation, fields, old, author, _at = entry
        row = self.connection.execute(select(table).where(table.c.id == rid)).mappings().first()
        if operation == "delete":
            if row is None:
                self.counts.unchanged += 1
                return "ok"
            try:
                with self.ctx.session.begin_nested():
                    if entity == "household":
                        self.connection.execute(delete(HouseholdCategoryLink).where(
                            HouseholdCategoryLink.household_id == rid).execution_options(fpdesk_logged=True))
                    self.connection.execute(delete(table).where(table.c.id == rid).execution_options(fpdesk_logged=True))
            except IntegrityError:
                return "rejected"
            self.counts.updated += 1
            return "ok"
        if row is None:
            if operation == "insert":
                return self._insert_one(entity, table, rid, fields, revision)
            if operation == RESOLVE:
                self.counts.unchanged += 1  # a decision about a record this office does not hold
                return "ok"
            return "held"
        current = dict(row)
        if entity == "household" and "categories" in fields:
            current["categories"] = household_categories(self.connection, rid)
        take: dict[str, Any] = {}
        clashes: dict[str, dict[str, Any]] = {}
        # the same division made at two offices (its id comes from its code): the parent's list names
        # it, and a child's own making of it leaves the parent's standing; neither is a conflict
        made_twice = operation == "insert" and entity in KEEP_OURS
        for name, theirs in fields.items():
            if name not in current:
                continue
            mine = json_value(current[name])
            if mine == theirs or (made_twice and not self.from_parent):
                continue
            base = (old or {}).get(name, _MISSING) if operation == "update" else _MISSING
            if operation == RESOLVE or made_twice or (base is not _MISSING and base == mine):
                take[name] = theirs
            else:
                clashes[name] = {"base": None if base is _MISSING else base, "ours": mine, "theirs": theirs}
        if clashes:
            take.update(self._conflict(origin, entry, rid, clashes))
        if operation == RESOLVE:
            self._close_conflicts(entity, rid, fields, author)
        if take and not clashes and operation == "update" and int(current.get("revision") or 0) != revision - 1:
            self.counts.merged += 1  # the record moved on here too: a parallel update, merged by field
        if not take and not clashes:
            self.counts.unchanged += 1
            return "ok"
        if take:
            write_values(self.connection, entity, table, rid, take,
                         max(int(current.get("revision") or 0), revision))
            if entity == "person":
                self.touched_persons.add(rid)
        if not clashes:
            self.counts.updated += 1
        return "ok"

    def _insert_one(self, entity: str, table, rid: uuid.UUID, fields: dict, revision: int) -> str:
        values, extra = row_values(table, entity, fields)
        try:
            with self.ctx.session.begin_nested():
                if entity == "office_registration":
                    # the stand-in an invitation left for the parent gives way to the real registration
                    self.connection.execute(delete(table).where(table.c.device_id == values.get("device_id"),
                                                                table.c.registered_by == "invitation")
                                            .execution_options(fpdesk_logged=True))
                row = _with_revision(table, {**values, "id": rid}, revision)
                self.connection.execute(insert(table).execution_options(fpdesk_logged=True),
                                        [_complete(table, row, utc_now())])
                if entity == "household":
                    write_categories(self.connection, rid, extra.get("categories"), replace=False)
        except IntegrityError:
            self.counts.note(*_duplicate_record(entity, rid))
            return "rejected"
        if entity == "office_registration":
            self.devices[values["device_id"]] = (values["level"], values["office_code"])
        if entity == "person":
            self.touched_persons.add(rid)
        self.counts.new += 1
        return "ok"

    # ---- conflicts --------------------------------------------------------------------------------

    def _conflict(self, origin: str, entry: list, rid: uuid.UUID, clashes: dict[str, dict]) -> dict[str, Any]:
        seq, entity, _record_id, _revision, _operation, _fields, _old, author, at = entry
        ours = self._last_local_change(rid, set(clashes))
        theirs = {"change": change_id(origin, seq), "device": origin, "author": author, "at": at}
        theirs["office"] = self.devices.get(origin, (None, None))[1]
        pair = sorted([ours["change"], theirs["change"]])
        conflict_id = uuid.uuid5(CONFLICT_NAMESPACE, f"{entity}|{rid}|{pair[0]}|{pair[1]}")
        theirs_wins = self._rank(origin, seq) > self._rank(ours["device"], ours["seq"])
        for clash in clashes.values():
            clash["provisional"] = clash["theirs"] if theirs_wins else clash["ours"]
        if self.ctx.session.get(SyncConflict, conflict_id) is None:
            self.ctx.session.add(SyncConflict(id=conflict_id, entity=entity, record_id=rid, fields=clashes,
                                              ours_change=ours, theirs_change=theirs, status="open"))
            self.ctx.session.flush()
            self.ctx.recorder.record("sync_conflict", conflict_id, "insert",
                                     {"entity": entity, "record_id": str(rid), "fields": sorted(clashes)}, 1)
            self.counts.conflicts += 1
        return {name: clash["theirs"] for name, clash in clashes.items()} if theirs_wins else {}

    def _last_local_change(self, rid: uuid.UUID, names: set[str]) -> dict[str, Any]:
        rows = self.connection.execute(select(
            ChangeEntry.origin_device, ChangeEntry.origin_seq, ChangeEntry.fields, ChangeEntry.author, ChangeEntry.at)
            .where(ChangeEntry.record_id == rid).order_by(ChangeEntry.local_seq.desc()))
        for device, seq, fields, author, at in rows:
            if names & set(fields or {}):
                return {"change": change_id(device, seq), "device": device, "seq": seq, "author": author,
                        "at": at.isoformat(), "office": self.devices.get(device, (None, None))[1]}
        return {"change": "unknown:0", "device": "", "seq": 0, "author": "", "at": "", "office": None}

    def _rank(self, device: str, seq: int) -> tuple[int, str, int]:
        level = self.devices.get(device, (None, None))[0]
        return (LEVEL_RANK.get(level or "", 0), device, seq)

    def _close_conflicts(self, entity: str, rid: uuid.UUID, fields: dict, author: str) -> None:
        for conflict in self.ctx.session.scalars(select(SyncConflict).where(
                SyncConflict.entity == entity, SyncConflict.record_id == rid, SyncConflict.status == "open")):
            if set(conflict.fields) <= set(fields):
                conflict.status, conflict.resolution, conflict.resolved_by = "resolved", dict(fields), author
        self.ctx.session.flush()


def write_values(connection, entity: str, table, rid: uuid.UUID, take: dict[str, Any], revision: int) -> None:
    """Set values taken from another office or decided in a review on one row, with its revision
    and (where the table has one) a fresh updated_at; a household's categories replace its links.
    Logs nothing: the caller logs the change as it arrived or as it was decided."""
    values, extra = row_values(table, entity, take)
    _with_revision(table, values, revision)
    if "updated_at" in table.c:
        values["updated_at"] = utc_now()
    connection.execute(update(table).where(table.c.id == rid).values(**values).execution_options(fpdesk_logged=True))
    if entity == "household" and "categories" in extra:
        write_categories(connection, rid, extra["categories"])


def _with_revision(table, values: dict[str, Any], revision: int) -> dict[str, Any]:
    if "revision" in table.c:
        values["revision"] = revision
    return values


def _complete(table, values: dict[str, Any], now) -> dict[str, Any]:
    """Creation times are not logged: the row gets this office's time, as a local insert would.
    (Other columns the log leaves out take their column defaults in the Core insert.)"""
    for column in ("created_at", "updated_at"):
        if column in table.c and column not in values:
            values[column] = now
    return values


@functools.lru_cache(maxsize=64)
def _datetime(value: str):
    """The entry's time; one object for the entries of one flush at their origin (they share it), so
    the change log formats and hashes it once."""
    return dt.datetime.fromisoformat(value)


_REFERENCES: dict[str, dict[str, str]] = {}


def _references(table) -> dict[str, str]:
    """column -> the table its ids refer to (foreign keys), per table, computed once."""
    found = _REFERENCES.get(table.name)
    if found is None:
        found = _REFERENCES[table.name] = {column.name: next(iter(column.foreign_keys)).column.table.name
                                           for column in table.c if column.foreign_keys}
    return found
