"""The set-based dry run reads a package a chunk of lines at a time and sorts out a chunk of plain new
households and persons at once (package_lines.parse_lines, _Sorting.chunk, dryrun.Judge.see_chunk).
Whatever a chunk holds, its counts are exactly the import's: a clean package, and packages with a
value that does not fit, a flag that is no flag, a person before their household, a line only json
reads exactly, a line the format refuses, a person without a name, a date that is none, an id in
capitals, two new persons with one ID number, namesakes born the same day, a person without a phone.
Each is checked in small chunks (most of them taken at once; after one that is not, its runs of
households and persons) against the same dry run taken entry by entry (the joins' plan too) and
against the per-entry import, on both engines."""

from __future__ import annotations

import json
from unittest import mock

import pytest
import zstandard

from fpdesk.core import sync_package as fmt
from fpdesk.core.errors import DomainError
from fpdesk.services.demo.database import load_demo
from fpdesk.services.sync import identity, importer, newrecords, package_lines
from fpdesk.services.sync.importer import import_package
from fpdesk.storage.schema_sync import SyncPeer
from tests.services.sync_helpers import Offices, register_family
from tests.services.test_sync_set_import import _assert_same, _both_ways
from tests.trust.test_hostile_packages import forge


def _entries(township, county, folder) -> list[list]:
    """The changes of the township's next package to the county, as its export writes them."""
    path = Offices(folder).export(township, county)
    outer = fmt.parse(path.read_bytes(), path.name)
    path.unlink()  # never imported: the forged one takes its place
    me = county.require_office()
    with county.read() as session:
        inner = fmt.open_payload(outer, me.device_id, identity.device_keys(session, me.device_id).enc_private)
        # the forged package starts where the county stands, as forge's block does
        done = int((session.get(SyncPeer, "350421200").acknowledged or {}).get(township.require_office().device_id, 0))
    size = int.from_bytes(inner[:4], "big")
    body = zstandard.ZstdDecompressor().decompressobj().decompress(inner[4 + size:])
    entries = [json.loads(line.split(b"\t", 1)[1]) for line in body.splitlines()]
    return [entry for entry in entries if entry[0] > done]


def _where(entries: list[list], entity: str, share: float) -> int:
    """The index of the first entry of ``entity`` past ``share`` of the package."""
    return next(i for i in range(int(len(entries) * share), len(entries)) if entries[i][1] == entity)


def _too_long(entries):
    entries[_where(entries, "person", 0.6)][5]["name"] = "林" * 60


def _no_flag(entries):
    entries[_where(entries, "household", 0.5)][5]["is_rural"] = 2


def _person_first(entries):
    index = _where(entries, "household", 0.4)
    if entries[index + 1][1] == "person":  # the household's first member before it, each keeping its number
        entries[index][1:], entries[index + 1][1:] = entries[index + 1][1:], entries[index][1:]


def _long_digits(entries):
    entries[_where(entries, "household", 0.3)][5]["address"] = "1234567890123456789号"


def _revision_true(entries):
    entries[_where(entries, "person", 0.7)][3] = True


def _no_name(entries):
    entries[_where(entries, "person", 0.5)][5]["name"] = ""


def _no_date(entries):
    entries[_where(entries, "person", 0.4)][5]["birth_date"] = "1985-13-04"
    entries[_where(entries, "person", 0.8)][5]["birth_date"] = "04/03/1985"


def _capitals(entries):
    person = entries[_where(entries, "person", 0.6)][5]
    person["household_id"] = person["household_id"].upper()


def _one_number(entries):
    first, second = _where(entries, "person", 0.2), _where(entries, "person", 0.9)
    entries[second][5]["id_number"] = entries[first][5]["id_number"]


def _no_phone(entries):  # its chunk's persons do not all hold the same names: read by name, not as columns
    del entries[_where(entries, "person", 0.5)][5]["phone"]


def _namesakes(entries):
    first, second = _where(entries, "person", 0.3), _where(entries, "person", 0.8)
    for name in ("name", "birth_date"):
        entries[second][5][name] = entries[first][5][name]


VARIANTS = {"as exported": None, "a name too long": _too_long, "a flag that is no flag": _no_flag,
            "a person before their household": _person_first, "nineteen digits in a row": _long_digits,
            "a revision that is true": _revision_true, "a person without a name": _no_name,
            "a birth date that is none": _no_date, "a household id in capitals": _capitals,
            "two new persons with one ID number": _one_number, "namesakes born the same day": _namesakes,
            "a person without a phone": _no_phone}


@pytest.fixture
def offices(db_url, tmp_path):
    offices = Offices(tmp_path / "offices")
    county, township = offices.county_and_township(db_url)
    offices.send(township, county)
    register_family(county, "350421200201", "林秀英", 4242)
    load_demo(township, scale="township", persons=150, seed=11)
    register_family(township, "350421200201", "林秀英", 4242)  # a suspected duplicate
    yield county, township
    offices.close()


def _dry_run(county, package, *, at_once: bool) -> tuple[object, list[tuple[bool, bool]]]:
    """(the dry run's report or refusal, for each chunk: whether it held only households and persons,
    whether it was sorted out at once)."""
    sorting = newrecords._Sorting.chunk
    taken = []

    def chunk(self, start, entries):
        done = at_once and sorting(self, start, entries)
        taken.append((all(entry[1] in ("household", "person") for _origin, entry in entries), done))
        return done

    planned = []

    def plan(*args):
        found = newrecords_plan(*args)
        planned.append({name: getattr(value, "by_origin", value) for name, value in vars(found).items()})
        return found

    newrecords_plan = newrecords.plan
    # runs of two households and persons are tried at once after a chunk that is not (_Sorting.by_runs)
    with mock.patch.object(package_lines, "CHUNK", 2048), mock.patch.object(newrecords._Sorting, "chunk", chunk), \
            mock.patch.object(newrecords, "plan", plan), mock.patch.object(newrecords, "_RUN", 2):
        try:
            report = import_package(county, package, dry_run=True, set_based=True)
        except DomainError as refused:
            return {"refused": refused.code, "plan": planned}, taken
    return report.summary() | {"counted_by_joins": report.counted_by_joins, "plan": planned}, taken


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_dry_run_by_chunks_counts_what_the_import_does(offices, tmp_path, variant):
    county, township = offices
    entries = _entries(township, county, tmp_path)
    if VARIANTS[variant] is not None:
        VARIANTS[variant](entries)
    package = forge(township, county, tmp_path, lines=[fmt.entry_line(*entry) for entry in entries])
    by_chunks, at_once = _dry_run(county, package, at_once=True)
    by_entries, _ = _dry_run(county, package, at_once=False)
    assert by_chunks == by_entries
    try:
        report = import_package(county, package, set_based=False).summary()
    except DomainError as refused:
        assert by_chunks["refused"] == refused.code == "package_malformed"
        if variant == "a flag that is no flag":  # the clerk reads the field in words, not by its code
            assert "家庭户记录的字段“农村户口”" in refused.message_zh
        return
    assert by_chunks["plan"][0]["fast_entries"] > 150
    assert {k: v for k, v in by_chunks.items() if k not in ("dry_run", "counted_by_joins", "plan")} == \
        {k: v for k, v in report.items() if k != "dry_run"}
    assert sum(done for _plain, done in at_once) > 5  # most chunks were sorted out at once
    if variant == "as exported":  # every chunk of only households and persons (some with a list of categories)
        assert all(done for plain, done in at_once if plain) and len(at_once) > 20
        assert by_chunks["counted_by_joins"] and report["new"] > 150 and report["duplicates"] == 1
    if variant == "a name too long":
        assert report["rejected"] == 1 and report["notes"]
    if variant == "two new persons with one ID number":  # besides the one the county holds
        assert report["duplicates"] == 2




@pytest.mark.parametrize("entity", ["household", "person"])
def test_a_change_sent_twice_is_imported_once_both_ways(db_url, offices, tmp_path, entity):
    """A package that carries one change twice (two copies of one line): the first is applied and the
    second finds it applied, on the set-based path as on the per-entry one; both dry runs say so and
    the two databases are the same."""
    county, township = offices
    entries = _entries(township, county, tmp_path)
    index = _where(entries, entity, 0.5)
    entries.insert(index + 1, json.loads(json.dumps(entries[index])))
    package = forge(township, county, tmp_path, lines=[fmt.entry_line(*entry) for entry in entries])
    receiver = db_url if db_url.startswith("postgresql") else str(tmp_path / "offices" / "county.sqlite3")
    county.close()
    from fpdesk.services.sync import apply, newbatch
    # in batches of 50 most batches hold only new records: those go through newbatch.py, the copy among them
    with mock.patch.object(apply, "BATCH", 50), mock.patch.object(importer, "BATCH", 50), \
            mock.patch.object(newbatch, "flush_new", wraps=newbatch.flush_new) as flushed:
        per_entry, set_based, reports = _both_ways(receiver, package, tmp_path)
    copied = (entries[index][0], entries[index][2])
    # neither copy goes through the batches of new records: the package takes the per-entry lookups
    assert not any(copied in {(entry[0], entry[2]) for _origin, entry in call.args[1]}
                   for call in flushed.call_args_list)
    _assert_same(per_entry, set_based)
    (dry_entries, imported_entries, _), (dry_set, imported_set, _) = reports
    assert dry_entries == imported_entries == dry_set == imported_set
    assert imported_set["unchanged"] >= 1 and imported_set["rejected"] == imported_set["held"] == 0
