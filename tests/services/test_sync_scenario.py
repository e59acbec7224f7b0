"""The three-level scenario: a county, two townships, four villages, each its own database.

The county runs on SQLite and on PostgreSQL (db_url); every other office is a SQLite file.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.paths import forms_dir
from fpdesk.core.people import PersonDraft
from fpdesk.core.vocabulary import Relation, Sex
from fpdesk.services.registry import households as hh
from fpdesk.services.sync import conflicts, duplicates, identity, reference
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import Division, Household
from fpdesk.storage.schema_sync import SyncHeld
from tests.services.sync_helpers import Offices, dump, person_count, register_family

V1, V2, V3, V4 = "350421200201", "350421200202", "350421201201", "350421201202"


def build(offices: Offices, county_url: str):
    county = offices.county(county_url)
    t1 = offices.pair(county, "350421200", "township", "城关乡计生协")
    t2 = offices.pair(county, "350421201", "township", "瀚仙镇计生协")
    villages = [offices.pair(t1, V1, "village", "罗翠村计生协"), offices.pair(t1, V2, "village", "城东村计生协"),
                offices.pair(t2, V3, "village", "瀚仙村计生协"), offices.pair(t2, V4, "village", "龙湖村计生协")]
    return county, t1, t2, villages


def address_of(ws, household_id):
    with ws.read() as session:
        return session.get(Household, household_id).address


def test_three_level_scenario(offices, db_url):
    county, t1, t2, (v1, v2, v3, v4) = build(offices, db_url)

    # pairing: every office knows its parent's device and the county root
    assert {o["office_code"] for o in identity.list_offices(county)} >= {"350421", "350421200", "350421201"}
    assert {o["office_code"] for o in identity.list_offices(v1)} >= {"350421", "350421200", V1}

    # village edits travel up to the township and on to the county
    family = {}
    for index, (ws, code) in enumerate(((v1, V1), (v2, V2), (v3, V3), (v4, V4))):
        child = PersonDraft(f"林{index}", None, Relation.SON, birth_date=dt.date(2015, 1, 1), sex=Sex.MALE)
        family[code] = register_family(ws, code, ["林国华", "陈秀英", "王建平", "张桂兰"][index], 100 + index,
                                       extra=[child]).primary_id
    for village, township in ((v1, t1), (v2, t1), (v3, t2), (v4, t2)):
        report = offices.send(village, township)
        assert report.new >= 3 and report.rejected == 0 and report.held == 0
    for township in (t1, t2):
        offices.send(township, county)
    assert person_count(county) == 8 and person_count(t1) == 4 and person_count(v1) == 2
    # the townships' registrations of their villages went up too: the county knows every device
    assert {o["office_code"] for o in identity.list_offices(county)} >= {V1, V2, V3, V4}

    # county reference data goes down to the villages (through the township, signed by the county)
    add_division(county, code="350421200203", name="新建村", code_year=2024)
    offices.send(county, t1)
    offices.send(t1, v1)
    with v1.read() as session:
        assert session.scalar(select(Division.name).where(Division.code == "350421200203")) == "新建村"
    # and the county's product and enrollment-form definitions (forms/), as published
    shipped = {p.stem for p in (forms_dir() / "products").glob("*.yaml")}
    received = {d["code"] for d in reference.received_definitions(v1) if d["kind"] == "product"}
    assert received == shipped and reference.received_definitions(v4) == reference.received_definitions(v1)

    # the same household edited at the village and at the township: one conflict
    household = family[V1]
    hh.update_household(v1, household, address="罗翠村5组8号")
    hh.update_household(t1, household, address="罗翠村5组9号（乡镇核实）")
    report = offices.send(v1, t1)
    assert report.conflicts == 1
    # provisional value is the township's (higher level) at every office holding both
    assert address_of(t1, household) == "罗翠村5组9号（乡镇核实）"
    offices.send(t1, county)
    assert address_of(county, household) == "罗翠村5组9号（乡镇核实）"
    [open_at_county] = conflicts.list_conflicts(county)
    [open_at_t1] = conflicts.list_conflicts(t1)
    assert open_at_county["id"] == open_at_t1["id"]
    assert open_at_t1["fields"]["address"]["base"] == "1组1号"
    assert open_at_t1["fields"]["address"]["theirs"] == "罗翠村5组8号"

    # resolved at the township, gone everywhere; the village gets the decided value
    conflicts.resolve(t1, open_at_t1["id"][:8], "theirs")
    assert conflicts.list_conflicts(t1) == []
    offices.send(t1, county)
    assert conflicts.list_conflicts(county) == []
    assert address_of(county, household) == "罗翠村5组8号"
    offices.send(t1, v1)
    assert address_of(v1, household) == "罗翠村5组8号"
    assert conflicts.list_conflicts(v1) == []

    # different fields changed at two offices merge on their own
    hh.update_household(v1, household, note="低保户")
    hh.update_household(t1, household, address="罗翠村5组8号之一")
    report = offices.send(v1, t1)
    assert report.conflicts == 0 and report.updated >= 1
    with t1.read() as session:
        row = session.get(Household, household)
        assert (row.note, row.address) == ("低保户", "罗翠村5组8号之一")

    # one person registered in two villages: one duplicate at the township (and at the county)
    register_family(v1, V1, "赵丽", 300)
    register_family(v2, V2, "赵丽", 300, address="城东村2组")
    offices.send(v1, t1)
    report = offices.send(v2, t1)
    assert report.duplicates == 1
    [suspect] = duplicates.list_duplicates(t1)
    assert suspect["kind"] == "id_number" and {suspect["a"]["village"], suspect["b"]["village"]} == {"罗翠村", "城东村"}
    offices.send(t1, county)
    assert [d["id"] for d in duplicates.list_duplicates(county)] == [suspect["id"]]
    duplicates.decide(t1, suspect["id"], "merged")
    offices.send(t1, county)
    assert duplicates.list_duplicates(county) == []

    # a lost laptop: the county revokes village 4's device at the last change it has from it; changes
    # the village makes later reach the county through its township (which has not heard yet) and
    # are quarantined there
    before = person_count(county)
    [revoked] = identity.revoke(county, code=V4)
    register_family(v4, V4, "偷用者", 400)
    offices.send(v4, t2)
    report = offices.send(t2, county)
    assert report.rejected >= 2 and person_count(county) == before
    with county.read() as session:
        quarantined = session.scalars(select(SyncHeld).where(SyncHeld.reason == "revoked")).all()
        assert quarantined and all(h.origin_seq > revoked["revoked_seq"] for h in quarantined)
    # the revocation travels down; the township then refuses the laptop's packages
    offices.send(county, t2)
    path = offices.export(v4, t2)
    snapshot = dump(t2)
    with pytest.raises(Exception) as refused:
        from fpdesk.services.sync.importer import import_package

        import_package(t2, path)
    assert getattr(refused.value, "code", "") == "package_revoked_sender"
    assert dump(t2) == snapshot

    # every office's audit chain holds its own and the relayed entries, unbroken
    from fpdesk.services.trust import audit

    for office in (county, t1, t2, v1, v2, v4):
        found = audit.verify(office)
        assert found.ok and found.entries > 0, (office.require_office().code, found.reason, found.broken_seq)
