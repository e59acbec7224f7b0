"""The set-based side of an import: the entries that bring records this office does not hold yet.

A county's first package from a township is hundreds of thousands of households and persons the
county has never seen. The per-entry path (apply.py) asks the database, batch after batch, whether
each change was applied already and whether each record exists, and runs the duplicate check on
every batch. Here the whole package is sorted out first, with a few joins against a temporary
table of what it brings:

- ``plan``: which household and person inserts are new (no such change applied, no such record,
  no id another office's division stands for, each change and record once in the package). The
  applier skips its per-batch lookups for those; everything else (updates, deletes, conflicts,
  merges, divisions, enrollments, anything seen before) takes the per-entry path as it always did.
- the two duplicate checks as two GROUP BY queries: the ID numbers and the (pinyin name, birth date)
  pairs that the new persons share with someone. A batch whose new persons share neither cannot
  raise a suspicion, and skips the check; a batch with one runs today's check, unchanged.

The rows, the change log and its hash chain are written by the applier, in the package's order and
in its batches, so the database is the one the per-entry path makes (tests/services/
test_sync_set_import.py compares both, table by table and hash by hash).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core import sync_package as fmt
from fpdesk.core.errors import DomainError
from fpdesk.services.entities import converters, person_name_keys, table_of, uuid_of

try:  # orjson parses a change line in a third of json's time; the same values (see parse)
    import orjson
except ImportError:  # pragma: no cover - a dependency; json stays the reference
    orjson = None

FAST_ENTITIES = ("household", "person")
# below this many entries the per-batch lookups cost less than the joins
MIN_ENTRIES = 2_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CANONICAL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def loads(line: bytes) -> Any:
    """A change line decoded, not checked: what plan reads (anything odd makes it leave the package
    to the per-entry path, which checks every line)."""
    return orjson.loads(line) if orjson is not None else json.loads(line)


def parse(line: bytes) -> list:
    """A change line as fmt.entry_of reads it. orjson refuses what json takes (NaN, lone surrogates,
    integers beyond 64 bits): those lines, and any it cannot read, are read by json as before."""
    if orjson is not None:
        try:
            return fmt.checked_entry(orjson.loads(line))
        except orjson.JSONDecodeError:
            pass
    return fmt.entry_of(line)


@dataclass
class Plan:
    """What the joins found. ``new``: (origin, seq) of the household and person inserts that bring a
    record this office does not hold; ``shared``: (origin, seq) of the new persons who share an ID
    number or a pinyin name and birth date with another living person (the only ones a duplicate
    check can find anything for); ``exact_duplicates``: whether the skip is allowed at all (every
    person entry of the package is a new one, so nothing else moves a person's keys)."""

    new: set[tuple[str, int]] = field(default_factory=set)
    shared: set[tuple[str, int]] = field(default_factory=set)
    # the shared persons, their households and those households' heads: all a duplicate check reads
    needed: set[tuple[str, int]] = field(default_factory=set)
    skip_checks: bool = False
    applied: int = 0  # changes of the package already in this office's log
    entries: int = 0
    fast_entries: int = 0  # household and person entries
    entities: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)  # entries by operation, for a dry run


def plan(connection, entries: Iterable[tuple[str, list]], aliases: dict) -> Plan:
    """Sort the package's entries (origin, entry) out by joins; writes only temporary tables."""
    result = Plan()
    aliased = {str(foreign) for (entity, foreign) in aliases if entity == "division"}
    changes: Counter[tuple[str, int]] = Counter()
    ids: Counter[str] = Counter()
    light: list[tuple[str, int, str, str, tuple | None]] = []
    try:
        other_persons = _sort_out(entries, result, aliased, changes, ids, light)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError, DomainError):
        return Plan()  # a malformed line or block: the per-entry path refuses the package as it always did
    incoming = [row for row in light if changes[(row[0], row[1])] == 1 and ids[row[3]] == 1]
    other_persons = other_persons or (len(incoming) < len(light) and any(
        row[2] == "person" and (changes[(row[0], row[1])] > 1 or ids[row[3]] > 1) for row in light))
    if not incoming:
        return result
    sqlite = connection.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    uuid_value = mark if sqlite else f"CAST({mark} AS uuid)"
    connection.exec_driver_sql("DROP TABLE IF EXISTS fp_incoming")
    connection.exec_driver_sql("CREATE TEMPORARY TABLE fp_incoming (origin VARCHAR(40), seq BIGINT, "
                               f"entity VARCHAR(30), rid {'CHAR(32)' if sqlite else 'UUID'})")
    connection.exec_driver_sql(
        f"INSERT INTO fp_incoming (origin, seq, entity, rid) VALUES ({mark}, {mark}, {mark}, {uuid_value})",
        [(o, s, e, r.replace("-", "") if sqlite else r) for o, s, e, r, _k in incoming])
    applied = set(connection.exec_driver_sql(
        "SELECT i.origin, i.seq FROM fp_incoming i JOIN change_log c "
        "ON c.origin_device = i.origin AND c.origin_seq = i.seq").all())
    existing: set[tuple[str, int]] = set()
    for entity in FAST_ENTITIES:
        existing.update(connection.exec_driver_sql(
            f"SELECT i.origin, i.seq FROM fp_incoming i JOIN {entity} t ON t.id = i.rid "
            f"WHERE i.entity = {mark}", (entity,)).all())
    connection.exec_driver_sql("DROP TABLE fp_incoming")
    result.applied = len(applied)
    result.new = {(o, s) for o, s, _e, _r, _k in incoming} - applied - existing
    # a person received again (made here too) may be merged field by field: its keys may move
    other_persons = other_persons or any(e == "person" and (o, s) in existing - applied
                                         for o, s, e, _r, _k in incoming)
    if other_persons:
        return result
    result.skip_checks = True
    persons = [(o, s, *k[:3]) for o, s, e, _r, k in incoming if e == "person" and k[3] and (o, s) in result.new]
    if persons:
        result.shared = _shared(connection, persons, mark, mark if sqlite else f"CAST({mark} AS date)")
    if result.shared:  # what a dry run writes (and rolls back) for the check to find what the import would
        homes = {k[4] for o, s, e, _r, k in incoming if (o, s) in result.shared}
        result.needed = result.shared | {(o, s) for o, s, e, r, k in incoming if (o, s) in result.new and (
            (e == "household" and r in homes) or (e == "person" and k[4] in homes and k[5]))}
    return result


def _sort_out(entries: Iterable[tuple[str, list]], result: Plan, aliased: set[str], changes: Counter,
              ids: Counter, light: list) -> bool:
    """Count the entries and keep (origin, seq, entity, id, person keys) of the household and person
    inserts; True when some person entry is not such an insert (its keys may move)."""
    other_persons = False
    for origin, entry in entries:
        seq, entity, record_id, _revision, operation, fields = entry[:6]
        result.counts[operation] += 1
        result.entries += 1
        result.entities[entity] += 1
        changes[(origin, seq)] += 1
        ids[record_id] += 1
        if entity not in FAST_ENTITIES:
            continue
        result.fast_entries += 1
        if (operation != "insert" or not _CANONICAL_ID.match(record_id)
                or (entity == "household" and str(fields.get("division_id")) in aliased)):
            other_persons = other_persons or entity == "person"
            continue
        keys = None
        if entity == "person":
            keys = _person_keys(fields)
            home = _canonical_id(fields.get("household_id"))
            if keys is not None:
                keys = (*keys, home, fields.get("relation") == "head")
            if keys is None or home is None:  # refused, malformed or without a name or birth date: the applier says which
                other_persons = True
                continue
        light.append((origin, seq, entity, record_id, keys))
    return other_persons


def _canonical_id(value: Any) -> str | None:
    try:
        return str(uuid_of(value)) if value.__class__ is str else None
    except ValueError:
        return None


def _person_keys(fields: dict[str, Any]) -> tuple | None:
    """(ID number, pinyin name, birth date, alive) as the applier's row_values makes them. The common
    shape (texts, an ISO date) is read as it is: the converters would give back the same values."""
    name, birth, number, status = (fields.get("name"), fields.get("birth_date"), fields.get("id_number"),
                                   fields.get("status", "alive"))
    if (name.__class__ is str and name and birth.__class__ is str and _ISO_DATE.match(birth)
            and (number is None or number.__class__ is str) and status.__class__ is str):
        return number or None, person_name_keys(name)[1], birth[:10], status == "alive"
    convert = converters(table_of("person"))
    try:
        values = {name: fields[name] if fields.get(name) is None or convert[name] is None
                  else convert[name](fields[name]) for name in ("id_number", "name", "birth_date", "status")
                  if name in fields}
    except (ValueError, TypeError):
        return None
    if not values.get("name") or values.get("birth_date") is None:
        return None
    return (values.get("id_number") or None, person_name_keys(values["name"])[1], values["birth_date"].isoformat(),
            values.get("status", "alive") == "alive")


def _shared(connection, persons: list[tuple], mark: str, date_value: str) -> set[tuple[str, int]]:
    """The new persons who share an ID number, or a pinyin name and birth date, with another living
    person (new or held here): two GROUP BY queries over the persons and a table of the new ones."""
    connection.exec_driver_sql("CREATE TEMPORARY TABLE fp_new_person (origin VARCHAR(40), seq BIGINT, "
                               "id_number VARCHAR(40), name_pinyin VARCHAR(200), birth_date DATE)")
    connection.exec_driver_sql(
        f"INSERT INTO fp_new_person VALUES ({mark}, {mark}, {mark}, {mark}, {date_value})", persons)
    numbers = {number for (number,) in connection.exec_driver_sql(
        "SELECT id_number FROM (SELECT p.id_number FROM person p WHERE p.status = 'alive' AND p.id_number IN "
        "(SELECT id_number FROM fp_new_person) UNION ALL SELECT id_number FROM fp_new_person "
        "WHERE id_number IS NOT NULL) AS numbers GROUP BY id_number HAVING count(*) > 1")}
    pairs = {(pinyin, str(birth)) for pinyin, birth in connection.exec_driver_sql(
        "SELECT name_pinyin, birth_date FROM (SELECT p.name_pinyin, p.birth_date FROM person p "
        "JOIN (SELECT DISTINCT name_pinyin, birth_date FROM fp_new_person) n "
        "ON p.name_pinyin = n.name_pinyin AND p.birth_date = n.birth_date WHERE p.status = 'alive' "
        "UNION ALL SELECT name_pinyin, birth_date FROM fp_new_person) AS keys "
        "GROUP BY name_pinyin, birth_date HAVING count(*) > 1")}
    connection.exec_driver_sql("DROP TABLE fp_new_person")
    return {(origin, seq) for origin, seq, number, pinyin, birth in persons
            if number in numbers or (pinyin, birth) in pairs}


# What a package may bring beside new households and persons for its dry run to be counted by joins:
# records no household or person refers to, applied (and rolled back) one by one as always.
BESIDE_NEW = frozenset({"division", "office_registration", "office_key", "target", "population"})


def countable(plan_: Plan, held_before: int, held_now: bool) -> bool:
    """Whether a dry run may count by the joins: every household and person entry new or applied
    before, nothing else but reference records, and nothing held (from an earlier package, or in this
    one: a gap or a revoked device)."""
    return (plan_.skip_checks and not held_before and not held_now
            and plan_.fast_entries == len(plan_.new) + plan_.applied
            and set(plan_.entities) <= BESIDE_NEW | set(FAST_ENTITIES))
