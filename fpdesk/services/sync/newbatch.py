"""A batch of the applier made only of records the joins found new (services/sync/newrecords.py).

Every entry of such a batch is a household or person insert this office has not applied, of a
record it does not hold, the first of its change and of its record in the package, and only the
persons the joins found sharing an ID number or a pinyin name and birth date with someone go to
the duplicate check: what Applier.flush would find by its lookups is known. So the batch goes
straight through what flush does for such entries, in the same order (the ownership check of
every entry first, then the values, the inserts parents first, the log rows in the package's
order, the duplicate check last) without the lookups and the per-entry branching; the change log
gets the same rows and hashes, made from tuples instead of a dict per entry
(storage/changelog.append_received).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from fpdesk.services.entities import ValueProblem, row_values, table_of
from fpdesk.services.sync import duplicates
from fpdesk.storage.changelog import append_received

if TYPE_CHECKING:
    from fpdesk.services.sync.apply import Applier


# the entry's time as Applier._log_row reads it; the entries of one flush at their origin share it
_datetime = functools.lru_cache(maxsize=64)(dt.datetime.fromisoformat)


def all_new(applier: Applier, batch: list[tuple[str, list]]) -> bool:
    plan = applier.plan
    if plan is None or not plan.skip_checks:
        return False
    new = plan.new
    return all((origin, entry[0]) in new for origin, entry in batch)


def flush_new(applier: Applier, batch: list[tuple[str, list]]) -> None:
    """Applier.flush for a batch that ``all_new`` admits."""
    guard = applier.guard
    allowed = []
    for origin, entry in batch:  # what the sender may send, before anything of the batch is touched
        rid = uuid.UUID(entry[2])
        if guard.check_insert(origin, entry[1], rid, entry[5]):
            allowed.append((origin, entry, rid))
        else:
            applier.hold(origin, entry, "missing")  # its owner is not here yet: checked again on retry
    pending: dict[str, list[tuple]] = defaultdict(list)
    log_rows: list[tuple] = []
    entities = applier.entities
    shared = applier.plan.shared
    new = 0
    for origin, entry, rid in allowed:
        _seq, entity, _record_id, revision, _operation, fields, old, author, at = entry
        table = table_of(entity)
        rid, applied = applier._mapped(entity, rid, fields)
        try:
            values, extra = row_values(table, entity, applied)
        except ValueProblem as problem:
            applier._refuse_value(origin, entry, problem)
            continue
        values["id"] = rid
        if "revision" in table.c:
            values["revision"] = revision
        pending[entity].append((rid, values, extra, (origin, entry)))
        new += 1
        if entity == "person" and (origin, _seq) in shared:  # what the duplicate check needs, not read back
            applier.new_persons.append(duplicates.PersonFacts(
                rid, values.get("id_number"), values.get("name_pinyin"), values.get("birth_date"),
                values.get("household_id"), values.get("status", "alive")))
        entities[entity] += 1
        log_rows.append((origin, _seq, entity, rid, revision, "insert", fields, old, author, _datetime(at)))
    applier.counts.new += new
    applier.persons_written = applier.persons_written or bool(pending.get("person"))
    applier._write_pending(pending)
    refused = applier.refused
    if refused:  # an insert refused in its batch is held, not logged
        log_rows = [row for row in log_rows if (row[0], row[1]) not in refused]
        refused.clear()
    append_received(applier.ctx.session, log_rows)
    applier.check_written_persons()  # as flush does, after the batch's rows and log
