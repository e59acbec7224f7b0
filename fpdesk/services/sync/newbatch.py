"""A batch of the applier made only of records the joins found new (services/sync/newrecords.py).

Every entry of such a batch is a household or person insert this office has not applied, of a
record it does not hold, the first of its change and of its record in the package, and only the
persons the joins found sharing an ID number or a pinyin name and birth date with someone go to
the duplicate check: what Applier.flush would find by its lookups is known. So the batch goes
straight through what flush does for such entries, in the same order (the ownership check of
every entry first, then the values, the inserts parents first, the log rows in the package's
order, the duplicate check last) without the lookups and the per-entry branching; the change log
gets the same rows and hashes, made from tuples instead of a dict per entry
(storage/changelog.append_received). The owners are judged from the ids' texts for the whole batch
(OwnershipGuard.check_new), and on SQLite an id stays its text (stored as its hex digits).

An import that brings such batches (the joins found every household and person new) runs their bulk
statements in a writer thread (``feed_pipelined``): SQLite inserts one batch while the next is read
and made, and a batch's duplicate check comes before its log rows' insert (it reads persons only).
Measured on a county package of 100,000 persons: the feed's statements, about a third of its time,
mostly run beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from fpdesk.core.sync_package import CANONICAL_ID
from fpdesk.services.entities import ValueProblem, row_values, table_of
from fpdesk.services.records import category_rows
from fpdesk.services.sync import duplicates
from fpdesk.services.sync.newrows import COMPLETED, RowMaker, Shape
from fpdesk.services.sync.ownership import all_canonical
from fpdesk.storage.bulk_insert import insert_processed, insert_rows  # noqa: TID251 (logs the entries as received)
from fpdesk.storage.changelog import append_received, chain_received_rows, insert_received
from fpdesk.storage.pipelined_writes import writer_thread
from fpdesk.storage.schema import HouseholdCategoryLink, utc_now

_LINKS = HouseholdCategoryLink.__table__
log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from fpdesk.services.sync.apply import Applier


# the entry's time as Applier._log_row reads it; the entries of one flush at their origin share it
_datetime = functools.lru_cache(maxsize=64)(dt.datetime.fromisoformat)


def feed_pipelined(ctx, applier: Applier, feed: Callable[[Applier], None]) -> Applier:
    """``feed(applier)`` (the import's feed of the package) with the bulk statements of the batches of
    new records run by a writer thread (storage/pipelined_writes.py) while the next batch is read and
    made (SQLite). A statement a row of which the database refuses is known only later, so those
    batches write without their savepoints (_write_rows); anything going wrong (a refused row, a
    refused package) rolls the feed back to where it began and feeds again without the writer, which
    refuses or applies each entry as always. Returns the applier that fed (a fresh one after that)."""
    session, recorder = ctx.session, ctx.recorder
    before = (len(recorder.pending), recorder.recorded, len(recorder.result.changes), set(recorder.explicit))
    running = False
    try:
        with session.begin_nested(), writer_thread(session.connection()) as running:
            applier.pipelined = running
            feed(applier)
            applier.pipelined = False
        return applier
    except Exception:  # the savepoint is rolled back
        if not running:  # there was no writer: the error is the plain feed's own
            raise
        log.info("the pipelined import stopped; the package is fed again without it", exc_info=True)
    pending, recorder.recorded, changes, recorder.explicit = before
    del recorder.pending[pending:], recorder.result.changes[changes:]
    fresh = type(applier)(ctx, applier.package_id, from_parent=applier.from_parent,
                          sender_office=applier.guard.sender_office, sender_name=applier.guard.sender_name)
    fresh.plan = applier.plan
    feed(fresh)
    return fresh


def all_new(applier: Applier, batch: list[tuple[str, list]]) -> bool:
    plan = applier.plan
    if plan is None or not plan.skip_checks:
        return False
    new = plan.new
    return all((origin, entry[0]) in new for origin, entry in batch)


def flush_new(applier: Applier, batch: list[tuple[str, list]]) -> None:
    """Applier.flush for a batch that ``all_new`` admits. On SQLite a record whose id is a canonical
    text keeps it as text (its stored form is its hex digits): no id object per entry."""
    allowed = []
    lean = applier.connection.dialect.name == "sqlite"
    mapped = applier._mapped if applier.aliases else None
    texts = all_canonical([entry[2] for _origin, entry in batch])  # each id's text is str(its id)
    # what the sender may send, before anything of the batch is touched
    for item, verdict in zip(batch, applier.guard.check_new(batch, canonical_ids=texts), strict=True):
        if verdict:
            allowed.append(item)
        else:
            applier.hold(*item, "missing")  # its owner is not here yet: checked again on retry
    texts = texts and lean and mapped is None  # the ids kept as text (stored as their hex digits)
    pending: dict[str, list[tuple]] = defaultdict(list)
    log_rows: list[tuple] = []
    entities = applier.entities
    shared = applier.plan.shared.by_origin
    new_persons = applier.new_persons
    canonical = CANONICAL_ID.match
    make_id = uuid.UUID
    tables: dict[str, tuple] = {}  # entity -> (table, whether it has a revision column, its RowMaker)
    new = 0
    for origin, entry in allowed:
        seq, entity, record_id, revision, _operation, fields, old, author, at = entry
        found = tables.get(entity)
        if found is None:
            table = table_of(entity)
            found = tables[entity] = (table, "revision" in table.c, _maker(applier, entity) if lean else None)
        table, has_revision, maker = found
        applied = fields
        if mapped is not None:
            rid, applied = mapped(entity, make_id(record_id), fields)  # another office's id of a record we hold
            record_id = str(rid)  # the log's text of the id
        elif texts or (lean and canonical(record_id)):
            rid = record_id  # the id as text: what is stored is its hex digits
        else:
            rid = make_id(record_id)
            record_id = str(rid)  # the log's text of the id (a canonical text is str(rid) already)
        shape = maker.shape(tuple(applied)) if maker is not None else None
        try:
            if shape is not None:  # the row as the driver takes it (newrows.py), no dict
                row = (shape.make_stored(applied, rid.replace("-", ""), revision) if rid.__class__ is str
                       else shape.make(applied, rid, revision))
                pending[entity].append((rid, shape, row, applied, (origin, entry)))
                values = None
            else:
                if rid.__class__ is str:
                    rid = make_id(rid)
                values, extra = row_values(table, entity, applied)
                values["id"] = rid
                if has_revision:
                    values["revision"] = revision
                pending[entity].append((rid, values, extra, (origin, entry)))
            if entity == "person" and seq in shared.get(origin, ()):  # what the duplicate check needs, not read back
                if values is None:
                    values = row_values(table, entity, applied)[0]
                new_persons.append(duplicates.PersonFacts(
                    make_id(rid) if rid.__class__ is str else rid, values.get("id_number"), values.get("name_pinyin"),
                    values.get("birth_date"), values.get("household_id"), values.get("status", "alive")))
        except ValueProblem as problem:
            applier._refuse_value(origin, entry, problem)
            continue
        new += 1
        entities[entity] += 1
        log_rows.append((origin, seq, entity, record_id, revision, "insert", fields, old, author, _datetime(at)))
    applier.counts.new += new
    applier.persons_written = applier.persons_written or bool(pending.get("person"))
    if lean:
        _write_rows(applier, pending)
    else:
        applier._write_pending(pending)
    refused = applier.refused
    if refused:  # an insert refused in its batch is held, not logged
        log_rows = [row for row in log_rows if (row[0], row[1]) not in refused]
        refused.clear()
    session = applier.ctx.session
    if not applier.pipelined:
        append_received(session, log_rows)
        applier.check_written_persons()  # as flush does, after the batch's rows and log
        return
    # with a writer thread: the log rows are made while it inserts the batch's rows, and the duplicate
    # check, which waits for those, comes before their insert (it reads persons, and the suspicions it
    # logs are flushed with the import's own entries at its end): the same rows, log and order
    chained = chain_received_rows(session, log_rows)
    applier.check_written_persons()
    insert_received(session, chained)


_MAKERS: dict[tuple[str, str], RowMaker] = {}


def _maker(applier: Applier, entity: str) -> RowMaker:
    dialect = applier.connection.dialect
    found = _MAKERS.get((entity, dialect.name))
    if found is None:
        found = _MAKERS[(entity, dialect.name)] = RowMaker(table_of(entity), entity, dialect)
    return found


def _write_rows(applier: Applier, pending: dict[str, list[tuple]]) -> None:
    """Applier._write_pending for the rows of flush_new on SQLite: the same statements, parents first,
    one per key set in the order first met, with the same parameters (insert_processed); a statement
    a row of which clashes with a row here goes one row at a time through the applier, as there."""
    session, connection = applier.ctx.session, applier.connection
    for entity in sorted(pending, key=lambda name: applier.order.get(name, 0)):
        items = pending[entity]
        if not items:
            continue
        table = table_of(entity)
        now = utc_now()
        maker = _maker(applier, entity)
        groups: dict[frozenset, list[tuple]] = defaultdict(list)
        for item in items:
            if isinstance(item[1], Shape):
                groups[item[1].group].append(item)
            else:  # a shape RowMaker does not make: a row dict, completed as _complete completes it
                row = item[1]
                for column in COMPLETED:
                    if column in table.c and column not in row:
                        row[column] = now
                groups[frozenset(row)].append(item)
        for group in groups.values():
            try:
                with nullcontext() if applier.pipelined else session.begin_nested():
                    if isinstance(group[0][1], Shape):
                        insert_processed(connection, table, *maker.params(group, now), logged=True)
                        if entity == "household":  # one statement for the batch's households, as insert_rows'
                            household_id = _LINKS.c.household_id.type._cached_bind_processor(connection.dialect)
                            insert_processed(connection, _LINKS, ["household_id", "category"], [
                                (item[0].replace("-", "") if item[0].__class__ is str else household_id(item[0]),
                                 category) for item in group for category in item[3].get("categories") or ()],
                                logged=True)
                    else:
                        insert_rows(connection, table, [item[1] for item in group], logged=True)
                        if entity == "household":  # one executemany for the batch's households
                            links = [link for item in group for link in category_rows(item[0], item[2].get("categories"))]
                            if links:
                                insert_rows(connection, _LINKS, links, logged=True)
            except IntegrityError:
                for item in group:  # one by one: only the rows that clash are refused
                    applier._insert_pending_alone(entity, table, _as_values(table, entity, item, now))
        items.clear()


def _as_values(table, entity: str, item: tuple, now) -> tuple:
    """An item of _write_rows as Applier._write_pending holds it: (id, row dict, extra, entry)."""
    if not isinstance(item[1], Shape):
        return item
    rid, _shape, _row, applied, (origin, entry) = item
    if rid.__class__ is str:
        rid = uuid.UUID(rid)
    values, extra = row_values(table, entity, applied)
    values["id"] = rid
    if "revision" in table.c:
        values["revision"] = entry[3]
    for column in COMPLETED:
        if column in table.c and column not in values:
            values[column] = now
    return rid, values, extra, (origin, entry)
