"""Every refused package leaves the receiving database exactly as it was (a full dump compared)."""

from __future__ import annotations

import sqlite3

import pytest

from fpdesk.core import sync_package as fmt
from fpdesk.core.errors import DomainError
from fpdesk.services.opening import open_workspace
from fpdesk.services.sync.export import export_package
from fpdesk.services.sync.importer import import_package
from fpdesk.services.workspace import init_office
from fpdesk.storage.schema_sync import OfficeRegistration, SyncPeer
from tests.services.sync_helpers import Offices, dump, person_count, register_family

T1, T2, V1 = "350421200", "350421201", "350421200201"


@pytest.fixture
def setup(tmp_path, db_url):
    offices = Offices(tmp_path)
    county = offices.county(db_url)
    t1 = offices.pair(county, T1, "township", "城关乡计生协")
    t2 = offices.pair(county, T2, "township", "瀚仙镇计生协")
    v1 = offices.pair(t1, V1, "village", "罗翠村计生协")
    for index in range(3):
        register_family(v1, V1, f"林{index}", 10 + index)
    offices.send(v1, t1)
    yield offices, county, t1, t2, v1
    offices.close()


def refused(ws, path, code):
    before = dump(ws)
    with pytest.raises(DomainError) as error:
        import_package(ws, path)
    assert error.value.code == code
    with pytest.raises(DomainError):
        import_package(ws, path, dry_run=True)
    assert dump(ws) == before


def altered(path, position, folder, name):
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    target = folder / name
    target.write_bytes(bytes(data))
    return target


def test_damaged_packages_are_refused_with_nothing_changed(setup, tmp_path):
    offices, county, t1, _t2, _v1 = setup
    path = offices.export(t1, county)
    size = path.stat().st_size
    refused(county, altered(path, size - 10, tmp_path, "payload.fpsync"), "package_corrupt")
    refused(county, altered(path, size // 2, tmp_path, "middle.fpsync"), "package_corrupt")
    refused(county, altered(path, 40, tmp_path, "header.fpsync"), "package_corrupt")
    half = tmp_path / "half.fpsync"
    half.write_bytes(path.read_bytes()[: size // 2])
    refused(county, half, "package_truncated")
    newer = bytearray(path.read_bytes())
    newer[len(fmt.MAGIC) + 1] = 9  # format version 9
    (tmp_path / "v9.fpsync").write_bytes(bytes(newer))
    refused(county, tmp_path / "v9.fpsync", "package_format_unsupported")
    (tmp_path / "notes.txt").write_text("not a package")
    refused(county, tmp_path / "notes.txt", "not_a_package")
    # the genuine file still imports
    assert import_package(county, path).new > 0


def test_wrong_office_and_unknown_sender_are_refused(setup, tmp_path):
    offices, county, t1, t2, _v1 = setup
    for_county = offices.export(t1, county)
    refused(t2, for_county, "package_wrong_recipient")
    # a stranger who copied the township's public details but was never registered
    stranger = open_workspace(str(tmp_path / "stranger.sqlite3"))
    init_office(stranger, code=T2, level="township", name="冒名计生协")
    with county.read() as session:
        root = session.query(OfficeRegistration).filter_by(level="county").one()
        root_values = {c.name: getattr(root, c.name) for c in OfficeRegistration.__table__.c}
    with stranger.db.transaction() as session:
        session.add(OfficeRegistration(**root_values))
        session.add(SyncPeer(office_code="350421", relation="parent", acknowledged={}))
    forged = export_package(stranger, to="350421", out=tmp_path).path
    refused(county, forged, "package_unknown_sender")
    stranger.close()


def test_replay_and_out_of_order_arrival(setup):
    offices, county, t1, _t2, v1 = setup
    first = offices.export(t1, county)
    register_family(v1, V1, "周一", 50)
    offices.send(v1, t1)
    second = offices.export(t1, county)  # holds everything of the first (not yet acknowledged) and more
    report = import_package(county, second)
    assert report.new > 0 and person_count(county) == 4
    refused(county, first, "package_replay")
    # the same package again: nothing changes, everything reported unchanged
    before = dump(county)
    again = import_package(county, second)
    assert again.already_imported and again.new == 0 and again.unchanged == report.new + report.unchanged
    assert dump(county) == before


def test_dry_run_reports_and_changes_nothing(setup):
    offices, county, t1, _t2, _v1 = setup
    path = offices.export(t1, county)
    before = dump(county)
    preview = import_package(county, path, dry_run=True)
    assert dump(county) == before
    applied = import_package(county, path)
    assert preview.as_dict() == applied.as_dict() and applied.new > 0


def test_a_gap_in_the_senders_sequence_is_held_then_applied(setup, tmp_path):
    offices, _county, t1, _t2, v1 = setup
    offices.send(t1, _county)
    # the township loses its last import (restored from an older copy), the village does not know
    backup = tmp_path / "t1-backup.sqlite3"
    register_family(v1, V1, "吴一", 60)
    _copy_sqlite(t1.db.file_path, backup)
    offices.send(v1, t1)
    offices.send(t1, v1)  # the village learns the township has it all
    register_family(v1, V1, "吴二", 61)
    package = offices.export(v1, t1)
    t1.close()
    _copy_sqlite(backup, t1.db.file_path)
    restored = open_workspace(str(t1.db.file_path))
    offices.open.append(restored)
    report = import_package(restored, package)
    assert report.held > 0 and report.new == 0
    # the run with held changes is not relayed (it would not match its signature); the rest goes up
    relayed = offices.send(restored, _county)
    assert relayed.rejected == 0
    # its receipt tells the village what the township really has: the next package fills the gap
    offices.send(restored, v1)
    report = offices.send(v1, restored)
    assert report.held == 0 and person_count(restored) == 5


def _copy_sqlite(source, target) -> None:
    """A consistent copy of a WAL-mode database (what a backup tool makes)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def test_a_village_record_altered_at_the_township_is_caught_at_the_county(setup):
    """Relayed records keep their origin's signature: the county checks the village's run itself."""
    from sqlalchemy import update

    from fpdesk.storage.schema import ChangeEntry

    offices, county, t1, _t2, v1 = setup
    village_device = v1.require_office().device_id
    with t1.db.transaction() as session:
        entry = session.query(ChangeEntry).filter_by(origin_device=village_device, entity="person").first()
        forged = {**entry.fields, "name": "冒名"}
        session.execute(update(ChangeEntry).where(ChangeEntry.local_seq == entry.local_seq).values(fields=forged))
    refused(county, offices.export(t1, county), "package_corrupt")
