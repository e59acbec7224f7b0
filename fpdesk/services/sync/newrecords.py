"""The set-based side of an import: the entries that bring records this office does not hold yet.

A county's first package from a township is hundreds of thousands of households and persons the
county has never seen. The per-entry path (apply.py) asks the database, batch after batch, whether
each change was applied already and whether each record exists, and runs the duplicate check on
every person of every batch. Here the whole package is sorted out first, by joins against a
temporary table of what it brings (``plan``):

- which household and person inserts are new: no such change applied, no such record, no id
  another office's division stands for, the first of its change and of its record in the package.
  The applier skips its per-batch lookups for those; everything else (updates, deletes, conflicts,
  merges, divisions, enrollments, anything seen before) takes the per-entry path as it always did.
- the duplicate checks as two GROUP BY queries: the ID numbers and the (pinyin name, birth date)
  pairs that new persons share with someone. Only those persons can raise a suspicion, so only they
  go to today's check (unchanged), in their batches: the same suspicions, found in the same order.
- a dry run of a package of new records counts them by these joins, checking each as the import
  would (owner, values) on the same pass and without writing it, and counts the suspicions the
  duplicate check would queue from the joins (dryrun.py, suspicions.py). A package outside that
  clean case is counted entry by entry, where only what the duplicate check reads is written, in
  the import's batches, and rolled back (importer._count).

By default a dry run of a large package sorts it out this way, and an import of a package that
brings persons by the ten thousand (importer.import_package): measured on a county package of
500,000 persons (docs/benchmarks.md), the dry run takes 0.13-0.20 of the per-entry import; the import,
whose batches of new records newbatch.py writes straight from the logged values, 0.63-0.72 of it.

The rows, the change log and its hash chain are written by the applier, in the package's order and
in its batches, so the database is the one the per-entry path makes (tests/services/
test_sync_set_import.py compares both, table by table and hash by hash).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, groupby, islice, repeat
from operator import eq, itemgetter
from typing import Any

from fpdesk.core.errors import DomainError
from fpdesk.core.sync_package import CANONICAL_ID
from fpdesk.services.entities import converters, person_name_keys, table_of, uuid_of
from fpdesk.services.sync import suspicions
from fpdesk.services.sync.package_lines import all_canonical

FAST_ENTITIES = ("household", "person")
# below this many entries the per-batch lookups cost less than the joins
MIN_ENTRIES = 2_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Changes:
    """A set of (origin device, sequence) kept as one set of numbers per origin: a county package's
    650,000 changes as tuples would hold some 100 MB through the import."""

    def __init__(self) -> None:
        self.by_origin: dict[str, set[int]] = {}

    def add(self, origin: str, seq: int) -> None:
        self.by_origin.setdefault(origin, set()).add(seq)

    def __contains__(self, key: tuple[str, int]) -> bool:
        seqs = self.by_origin.get(key[0])
        return seqs is not None and key[1] in seqs

    def __len__(self) -> int:
        return sum(len(seqs) for seqs in self.by_origin.values())

    def __bool__(self) -> bool:
        return any(self.by_origin.values())


@dataclass
class Plan:
    """What the joins found. ``new``: the household and person inserts that bring a record this office
    does not hold (each the first of its change and of its record in the package); ``shared``: the new
    persons who share an ID number or a pinyin name and birth date with another living person (the
    only ones a duplicate check can find anything for); ``needed``: those, their households and the
    heads of those households (all the check reads); ``skip_checks``: whether the other new persons
    may skip the check (every person entry of the package is a new one: nothing moves their keys)."""

    new: Changes = field(default_factory=Changes)
    shared: Changes = field(default_factory=Changes)
    needed: Changes = field(default_factory=Changes)
    skip_checks: bool = False
    applied: int = 0  # household and person inserts already in this office's log
    new_count: int = 0  # the inserts of ``new``, which a dry run counted by its judge does not read back
    by_judge: bool = False  # a dry run's count is its judge's (dryrun.Judge.settles): ``new`` stays empty
    fast_entries: int = 0  # household and person entries
    entities: Counter[str] = field(default_factory=Counter)


_CHUNK = 5_000
_ROWS = 50  # rows to a statement that writes fp_entry
_RUN = 100  # a run of household and person entries shorter than this is sorted out entry by entry


def plan(connection, chunks: Iterable[list[tuple[str, list]]], aliases: dict, judge=None) -> Plan:
    """Sort the package's entries (origin, entry) out by joins. What the joins need goes to a
    temporary table as it is read (nothing of the size of the package stays in memory); only
    temporary tables are written. ``judge`` (a dry run's, services/sync/dryrun.py) sees each entry."""
    sqlite = connection.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    uid = mark if sqlite else f"CAST({mark} AS uuid)"
    connection.exec_driver_sql("DROP TABLE IF EXISTS fp_entry")
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE fp_entry (pos BIGINT, origin VARCHAR(40), seq BIGINT, "
        f"rid {'CHAR(32)' if sqlite else 'UUID'}, person SMALLINT, "
        f"number VARCHAR(40), pinyin VARCHAR(200), birth {'VARCHAR(10)' if sqlite else 'DATE'}, alive SMALLINT, "
        f"home {'CHAR(32)' if sqlite else 'UUID'}, head SMALLINT, is_new SMALLINT DEFAULT 0, "
        "is_shared SMALLINT DEFAULT 0)")
    # a household's row and a person's row each by its own statement, with no None to bind: sqlite3
    # binds a None by its slow way (an adapter looked for), which made half of this table's writing;
    # and _ROWS rows to a statement, which saves a quarter of the rest (_Sorting.write)
    values = (f"({mark}, {mark}, {mark}, {uid}, 0)",
              f"({mark}, {mark}, {mark}, {uid}, 1, NULLIF({mark}, ''), {mark}, "
              f"{mark if sqlite else f'CAST({mark} AS date)'}, {mark}, {uid}, {mark})")
    names = ("pos, origin, seq, rid, person", "pos, origin, seq, rid, person, number, pinyin, birth, alive, home, head")
    insert = tuple((f"INSERT INTO fp_entry ({kind}) VALUES {row}", f"INSERT INTO fp_entry ({kind}) VALUES "
                    + ", ".join([row] * _ROWS)) for kind, row in zip(names, values, strict=True))
    applied = "EXISTS (SELECT 1 FROM change_log c WHERE c.origin_device = fp_entry.origin AND c.origin_seq = fp_entry.seq)"
    if sqlite:
        # is_new judged as each row is written (what the UPDATE below does), so that the table is not
        # written a second time: a county package's is a hundred megabytes, mostly on the temporary file
        # (the VALUES' columns are column1, column2…: origin, seq and rid are the second to the fourth)
        judged = tuple("CASE WHEN EXISTS (SELECT 1 FROM change_log c WHERE c.origin_device = v.column2 AND "
                       f"c.origin_seq = v.column3) THEN 2 WHEN EXISTS (SELECT 1 FROM {table} r WHERE r.id = v.column4) "
                       "THEN 0 ELSE 1 END" for table in FAST_ENTITIES)
        columns_of = tuple(", ".join(f"column{n}" for n in range(1, kind.count(",") + 2)) for kind in names)
        insert = tuple((f"INSERT INTO fp_entry ({kind}, is_new) SELECT {taken}, {new} FROM (VALUES {row}) AS v",
                        f"INSERT INTO fp_entry ({kind}, is_new) SELECT {taken}, {new} FROM (VALUES "
                        + ", ".join([row] * _ROWS) + ") AS v")
                       for kind, taken, new, row in zip(names, columns_of, judged, values, strict=True))
    result = Plan()
    try:
        other_persons, again = _sort_out(connection, insert, chunks, result, aliases, sqlite, judge)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError, DomainError):
        connection.exec_driver_sql("DROP TABLE fp_entry")
        return Plan()  # a malformed line or block: the per-entry path refuses the package as it always did
    sql = connection.exec_driver_sql
    existing = ("(person = 0 AND EXISTS (SELECT 1 FROM household h WHERE h.id = fp_entry.rid)) OR "
                "(person = 1 AND EXISTS (SELECT 1 FROM person p WHERE p.id = fp_entry.rid))")
    # is_new: 1 new, 2 applied before, 0 a record held here already (SQLite: set as written)
    if not sqlite:
        sql(f"UPDATE fp_entry SET is_new = CASE WHEN {applied} THEN 2 WHEN {existing} THEN 0 ELSE 1 END")
    applied_count, result.new_count, persons_not_new = sql(
        "SELECT coalesce(sum(CASE WHEN is_new = 2 THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN is_new = 1 THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN person = 1 AND is_new <> 1 THEN 1 ELSE 0 END), 0) FROM fp_entry").one()
    result.applied = int(applied_count)
    result.new_count = int(result.new_count)
    # a person entry that is no new insert (an update, one received again, one made here too) may move
    # a person's keys: then every batch with persons runs the check, as the per-entry path does
    if other_persons or persons_not_new:
        _read_new(sql, result)
        sql("DROP TABLE fp_entry")
        return result
    result.skip_checks = True
    # shared: held by someone living here, or by two persons of the package (a key _sort_out saw again;
    # a GROUP BY over the whole package would cost a sort of it)
    sql(f"CREATE TEMPORARY TABLE fp_again (number VARCHAR(40), pinyin VARCHAR(200), "
        f"birth {'VARCHAR(10)' if sqlite else 'DATE'})")
    rows = [(number, None, None) for number in again[0]] + [(None, *key) for key in again[1]]
    if rows:
        sql(f"INSERT INTO fp_again (number, pinyin, birth) VALUES ({mark}, {mark}, "
            f"{mark if sqlite else f'CAST({mark} AS date)'})", rows)
    # the rows it marks given back as it marks them: not another scan of the table to find them
    shared = sql("UPDATE fp_entry SET is_shared = 1 WHERE person = 1 AND alive = 1 AND is_new = 1 AND ("
                 "number IN (SELECT p.id_number FROM person p WHERE p.status = 'alive') "
                 "OR (pinyin, birth) IN (SELECT p.name_pinyin, p.birth_date FROM person p WHERE p.status = 'alive') "
                 "OR number IN (SELECT number FROM fp_again WHERE number IS NOT NULL) "
                 "OR (pinyin, birth) IN (SELECT pinyin, birth FROM fp_again WHERE pinyin IS NOT NULL)) "
                 "RETURNING origin, seq").all()
    sql("DROP TABLE fp_again")
    for origin, seq in shared:
        result.shared.add(origin, seq)
        result.needed.add(origin, seq)
    if result.shared and judge is not None and judge.usable:  # read before the table goes
        judge.duplicates = suspicions.count(connection, judge.batch, sqlite)
    # a dry run its judge counts needs no ids: a county package's 650,000 are a second's reading
    result.by_judge = judge is not None and judge.settles(result)
    if result.shared and not result.by_judge:
        # what a dry run counted entry by entry (importer._count) writes and rolls back for the check
        # to find what the import would; one its judge counts reads none of it
        for origin, seq in sql(
                "SELECT origin, seq FROM fp_entry WHERE is_new = 1 AND ((person = 0 AND rid IN "
                "(SELECT home FROM fp_entry WHERE is_shared = 1)) OR (person = 1 AND head = 1 AND home IN "
                "(SELECT home FROM fp_entry WHERE is_shared = 1)))"):
            result.needed.add(origin, seq)
    if result.by_judge:  # a dry run's rollback takes the table away, without the walk over its pages a DROP makes
        return result
    _read_new(sql, result)
    sql("DROP TABLE fp_entry")
    return result


def _read_new(sql, result: Plan) -> None:
    seqs_of = result.new.by_origin
    for origin, seq in sql("SELECT origin, seq FROM fp_entry WHERE is_new = 1"):
        seqs = seqs_of.get(origin)
        if seqs is None:
            seqs = seqs_of[origin] = set()
        seqs.add(seq)


def _sort_out(connection, insert: tuple, chunks: Iterable[list[tuple[str, list]]], result: Plan, aliases: dict,
              sqlite: bool, judge=None) -> tuple[bool, tuple[set, set]]:
    """Count the entries and write a row to the temporary table for each household and person insert
    eligible to be new (with a person's keys); True when a person entry is not one of those (another
    operation, a change or record seen before in the package, keys that cannot be read: the applier
    says why), or when a household's change or record comes again: only new persons may skip the
    duplicate check, and only a package without repeats may skip the lookups; and the ID numbers and (pinyin name,
    birth date) pairs that two persons written there may share (_Sorting._keys). ``chunks``: the entries (origin, entry)
    a chunk at a time; a chunk of the common shape is sorted out at once (_Sorting.chunk), any other
    entry by entry, with the same result."""
    sorting = _Sorting(result, aliases, sqlite, judge)
    position = 0
    for chunk in chunks:
        if not chunk:
            continue
        if not sorting.chunk(position, chunk):
            sorting.by_runs(position, chunk)
        position += len(chunk)
        if len(sorting.households) + len(sorting.persons) >= _CHUNK:
            sorting.write(connection, insert)
    sorting.write(connection, insert)
    return sorting.other_persons or sorting.repeated, (sorting.numbers_again, sorting.names_again)


class _Sorting:
    def __init__(self, result: Plan, aliases: dict, sqlite: bool, judge) -> None:
        self.result, self.sqlite, self.judge = result, sqlite, judge
        self.aliased = {str(foreign) for (entity, foreign) in aliases if entity == "division"}
        self.other_persons = False
        self.repeated = False
        # the rows for fp_entry: (pos, origin, seq, rid) of a household, and of a person with
        # (ID number or "", pinyin name, birth date, alive, household, head)
        self.households: list[tuple] = []
        self.persons: list[tuple] = []
        # only the first of a change or of a record in the package can be new: a later one finds it applied.
        # The records are kept as their hashes (a county package's 650,000 ids as texts would hold some
        # 70 MB): two ids of one hash only send the later one the per-entry way, which is always right.
        self.seqs_of: dict[str, set[int]] = {}
        self.records: set[int] = set()
        self.pinyin: dict[str, str] = {}  # a name's pinyin key (person_name_keys), once per distinct name
        # the keys of the persons written to the temporary table: those seen (as hashes: a county package's
        # 650,000 keys as texts would hold some 100 MB) and those seen again (as they are: a few)
        self.seen_numbers: set[int] = set()
        self.seen_names: set[int] = set()
        self.numbers_again: set[str] = set()
        self.names_again: set[tuple[str, str]] = set()

    def write(self, connection, insert: tuple) -> None:
        """The rows kept so far to fp_entry, in their order; ``insert``: for households and for persons,
        the statement of one row and that of _ROWS rows."""
        for (one, many), rows in zip(insert, (self.households, self.persons), strict=True):
            whole = len(rows) - len(rows) % _ROWS
            if whole:
                connection.exec_driver_sql(many, [tuple(chain.from_iterable(rows[start:start + _ROWS]))
                                                  for start in range(0, whole, _ROWS)])
            if whole < len(rows):
                connection.exec_driver_sql(one, rows[whole:])
        self.households, self.persons = [], []

    def _keys(self, numbers: list, names: list[str], births: list[str]) -> None:
        """Keeps the persons' keys as written (ID number or None, pinyin name, ISO birth date). A key
        whose hash was seen before is kept as seen again: one two persons share always is (one that
        shares only a hash with another is too, and only sends its persons to the check as well)."""
        given = list(filter(None, numbers))  # an ID number or None ("" stands for none too)
        for seen, again, keys, count in ((self.seen_numbers, self.numbers_again, given, len(given)),
                                         (self.seen_names, self.names_again, None, len(names))):
            hashes = set(map(hash, keys if keys is not None else zip(names, births, strict=True)))
            if len(hashes) == count and seen.isdisjoint(hashes):
                seen |= hashes  # most chunks: no key seen before
                continue
            for key in keys if keys is not None else list(zip(names, births, strict=True)):
                found = hash(key)
                if found in seen:
                    again.add(key)
                else:
                    seen.add(found)

    def by_runs(self, start: int, chunk: list[tuple[str, list]]) -> None:
        """A chunk ``chunk`` did not take, in the package's order: its long runs of household and person
        entries by ``chunk`` where it takes them (the divisions a package starts with leave the rest of
        its first chunk to it), everything else by ``entry``."""
        offset = 0
        for fast, items in groupby(chunk, key=_household_or_person):
            run = list(items)
            if not (fast and _RUN <= len(run) < len(chunk) and self.chunk(start + offset, run)):
                for index, (origin, entry) in enumerate(run, start=start + offset):
                    self.entry(index, origin, entry)
            offset += len(run)

    def entry(self, position: int, origin: str, entry: list) -> None:
        seq, entity, record_id, _revision, operation, fields = entry[:6]
        result, judge, sqlite = self.result, self.judge, self.sqlite
        result.entities[entity] += 1
        fast = entity in FAST_ENTITIES
        if fast:
            result.fast_entries += 1
        record = hash(record_id[:60])
        seqs = self.seqs_of.get(origin)
        if seqs is None:
            seqs = self.seqs_of[origin] = set()
        first = seq not in seqs and record not in self.records
        # a household's change or record again in the package: its key is new by the first copy, so
        # a batch of the copy would pass newbatch.all_new and be written twice; the per-entry way
        # finds the copy applied (a person again is not fast, which has the same effect)
        self.repeated = self.repeated or (entity in FAST_ENTITIES and not first)
        seqs.add(seq)
        self.records.add(record)
        fast = fast and first and operation == "insert" and CANONICAL_ID.match(record_id) is not None and not (
            entity == "household" and str(fields.get("division_id")) in self.aliased)
        keys: tuple = ()
        home = None
        if entity == "person":
            if fast:
                found = _person_keys(fields)
                home = _canonical_id(fields.get("household_id"))
                if found is None or home is None:
                    fast = False
                else:
                    keys = (found[0] or "", *found[1:3], int(found[3]), home.replace("-", "") if sqlite else home,
                            int(fields.get("relation") == "head"))
            self.other_persons = self.other_persons or not fast
        if judge is not None:
            judge.see(position, origin, entry, fast, home if entity == "person" else
                      _canonical_id(fields.get("division_id")) if fast else None)
        if fast:
            row = (position, origin, seq, record_id.replace("-", "") if sqlite else record_id, *keys)
            if entity == "person":
                self._keys([keys[0] or None], [keys[1]], [keys[2]])
                self.persons.append(row)
            else:
                self.households.append(row)

    def chunk(self, start: int, chunk: list[tuple[str, list]]) -> bool:
        """A chunk of one origin's household and person inserts, each the first of its change and of
        its record, with canonical ids and a person's keys in their common shape, sorted out at once:
        what ``entry`` does for each, in the same order (the judge's part by Judge.see_chunk). False,
        having changed nothing, for any other chunk (``entry`` then takes it, and says what is odd)."""
        try:
            return self._chunk(start, chunk)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):  # entry says what it is
            return False

    def _chunk(self, start: int, chunk: list[tuple[str, list]]) -> bool:
        checked = getattr(chunk, "columns", ())  # one origin's entries, of the shape fmt.checked_entry passes
        if checked:
            origin, count = chunk.origin, len(chunk)
            seqs, entities, record_ids, _revisions, operations, fields = map(list, checked[:6])
        else:
            origins, entries = zip(*chunk, strict=True)
            origin, count = origins[0], len(entries)
            if set(origins) != {origin} or set(map(type, entries)) != {list} or min(map(len, entries)) < 6:
                return False
            # an entry's first six fields: the columns as long as the shortest entry, six at least
            seqs, entities, record_ids, _revisions, operations, fields = map(list, islice(zip(*entries, strict=False), 6))
        if not set(entities) <= set(FAST_ENTITIES) or set(operations) != {"insert"}:
            return False
        if not (checked or all_canonical(record_ids)):
            return False
        records = set(map(hash, record_ids))  # a canonical id is its first 60 characters
        seen = self.seqs_of.get(origin, set())
        if (len(records) != count or len(set(seqs)) != count or not self.records.isdisjoint(records)
                or not seen.isdisjoint(seqs) or not (checked or set(map(type, fields)) == {dict})):
            return False
        judging = self.judge is not None and self.judge.usable
        sqlite, pinyin = self.sqlite, self.pinyin
        households = [offset for offset, entity in enumerate(entities) if entity == "household"]
        persons = [offset for offset, entity in enumerate(entities) if entity == "person"]
        # the fields of each kind as columns (each entry's parent: a household's division, a person's household)
        by_kind = {"household": columns(list(map(fields.__getitem__, households))),
                   "person": columns(list(map(fields.__getitem__, persons)))}
        divisions = by_kind["household"][0].get("division_id") or [None] * len(households)
        if self.aliased and any(str(parent) in self.aliased for parent in divisions):
            return False
        if judging and households and not all_canonical(divisions):
            return False
        rids = [record_id.replace("-", "") for record_id in record_ids] if sqlite else record_ids
        rows = [(start + offset, origin, seqs[offset], rids[offset]) for offset in households]
        person_rows: list[tuple] = []
        homes: list = []
        if persons:  # _person_keys's common shape, and a canonical household id (else the longer way)
            found, every = by_kind["person"]
            nothing = [None] * len(persons)
            names, births, numbers, homes, relations = (found.get(name) or nothing for name in (
                "name", "birth_date", "id_number", "household_id", "relation"))
            statuses = found.get("status") if every else None
            if statuses is None:  # a missing status is "alive"; one given as null is not
                statuses = [fields[offset].get("status", "alive") for offset in persons]
            distinct_names = set(names)
            if not (set(map(type, names)) == {str} and "" not in distinct_names
                    and set(map(type, births)) == {str} and all(_ISO_DATE.match(birth) for birth in set(births))
                    and set(map(type, numbers)) <= {str, type(None)} and set(map(type, statuses)) == {str}
                    and all_canonical(homes)):
                return False
            for name in distinct_names.difference(pinyin):
                pinyin[name] = person_name_keys(name)[1]
            keys = [pinyin[name] for name in names]
            births = [birth[:10] for birth in births]
            person_rows = list(zip(  # ints, not bools: sqlite3 binds a bool by its slow way
                map(start.__add__, persons), [origin] * len(persons), map(seqs.__getitem__, persons),
                map(rids.__getitem__, persons), [number or "" for number in numbers], keys, births,
                map(int, map(eq, statuses, repeat("alive"))),
                [home.replace("-", "") for home in homes] if sqlite else homes,
                map(int, map(eq, relations, repeat("head"))), strict=True))
        if judging and not self.judge.see_chunk(origin, record_ids, (households, persons), (divisions, homes),
                                                {kind: found for kind, (found, _every) in by_kind.items()}):
            return False
        result = self.result
        result.entities.update(entities)
        result.fast_entries += count
        self.seqs_of.setdefault(origin, set()).update(seqs)
        self.records |= records
        self.households.extend(rows)
        if persons:
            self.persons.extend(person_rows)
            self._keys(numbers, keys, births)
        return True


def _household_or_person(item: Any) -> bool:
    entry = item[1] if item.__class__ is tuple and len(item) == 2 else None
    return entry.__class__ is list and len(entry) > 1 and entry[1] in FAST_ENTITIES


def columns(dicts: list[dict]) -> tuple[dict[str, list], bool]:
    """The values of ``dicts`` by name, a list per name any of them holds (None where one lacks it:
    what ``get`` gives), and whether every one holds every name. An export writes one set of names
    for each kind of record: then the columns are taken without a loop of ours."""
    if not dicts:
        return {}, True
    names = tuple(dicts[0])
    if set(map(len, dicts)) == {len(names)}:
        try:  # as many names in each, and each holds the first's: the same names (in any order)
            if len(names) < 2:  # itemgetter of one name gives the value, not a tuple of it
                return {name: list(map(itemgetter(name), dicts)) for name in names}, True
            # a record's values in one call, then turned into columns: half the time of a pass per name
            return dict(zip(names, map(list, zip(*map(itemgetter(*names), dicts), strict=True)), strict=True)), True
        except KeyError:
            pass
    every: dict[str, None] = {}
    for values in dicts:
        every.update(dict.fromkeys(values))
    return {name: [values.get(name) for values in dicts] for name in every}, False


def _canonical_id(value: Any) -> str | None:
    if value.__class__ is str and CANONICAL_ID.match(value):  # what exports write: already canonical
        return value
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


# What a package may bring beside new households and persons for its dry run to be counted by joins:
# records no household or person refers to, applied (and rolled back) one by one as always.
BESIDE_NEW = frozenset({"division", "office_registration", "office_key", "target", "population"})


def countable(plan_: Plan, held_before: int, held_now: bool) -> bool:
    """Whether a dry run may count by the joins: every household and person entry new or applied
    before, nothing else but reference records, and nothing held (from an earlier package, or in this
    one: a gap or a revoked device)."""
    return (plan_.skip_checks and not held_before and not held_now
            and plan_.fast_entries == plan_.new_count + plan_.applied
            and set(plan_.entities) <= BESIDE_NEW | set(FAST_ENTITIES))
