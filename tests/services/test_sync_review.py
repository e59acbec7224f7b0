"""Review decisions: a duplicate merge is a logged change that can be undone; FIELD=VALUE resolutions."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from fpdesk.core.people import PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.enrollment.facts import load_household
from fpdesk.services.registry import households as hh
from fpdesk.services.registry.household_form import load_household_form
from fpdesk.services.sync import conflicts, duplicates
from fpdesk.storage.schema import ChangeEntry, Household, Person
from tests.services.sync_helpers import Offices, conflicting_edits, register_family


def test_merge_is_reversible_and_a_typed_value_resolves(tmp_path, db_url):
    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协", url=db_url)  # both engines
    village_a = offices.pair(township, "350421200201", "village", "罗翠村计生协")
    village_b = offices.pair(township, "350421200202", "village", "城东村计生协")
    register_family(village_a, "350421200201", "赵丽", 300)
    register_family(village_b, "350421200202", "赵丽", 300)
    offices.send(village_a, township)
    assert offices.send(village_b, township).duplicates == 1
    [suspect] = duplicates.list_duplicates(township)
    assert {suspect["a"]["village"], suspect["b"]["village"]} == {"罗翠村", "城东村"}
    assert set(suspect["a"]) == {"id", "name", "id_number", "birth_date", "village", "status", "household_id"}
    assert suspect["a"]["id_number"] == suspect["b"]["id_number"] and suspect["b"]["status"] == "alive"
    second = uuid.UUID(suspect["b"]["id"])
    duplicates.decide(township, suspect["id"], "merged")
    with township.read() as session:
        assert session.get(Person, second).status == "merged"
        logged = session.query(ChangeEntry).filter_by(record_id=second, operation="update").all()
        assert [e.fields for e in logged] == [{"status": "merged"}]
        merged_household = session.get(Person, second).household_id
        # every screen and job that reads the household still works (the status is a known word)
        snapshot = load_household(session, merged_household)
    assert [m.status.label_zh for m in snapshot.members if m.person_id == second] == ["已合并"]
    assert second not in {m.person_id for m in load_household_form(township, merged_household).members}
    duplicates.decide(township, suspect["id"], "open")
    with township.read() as session:
        assert session.get(Person, second).status == "alive"
    assert [d["id"] for d in duplicates.list_duplicates(township)] == [suspect["id"]]

    household = register_family(village_a, "350421200201", "林国华", 5).primary_id
    offices.send(village_a, township)
    hh.update_household(village_a, household, address="甲")
    hh.update_household(township, household, address="乙")
    offices.send(village_a, township)
    [conflict] = conflicts.list_conflicts(township)
    conflicts.resolve(township, conflict["id"], conflicts.parse_take(["address=罗翠村3组 丙"]))
    with township.read() as session:
        assert session.get(Household, household).address == "罗翠村3组 丙"
    offices.send(township, village_a)
    with village_a.read() as session:
        assert session.get(Household, household).address == "罗翠村3组 丙"
    offices.close()


def test_a_likely_same_person_without_an_id_number_is_suspected(tmp_path, db_url):
    import datetime as dt

    from fpdesk.core.vocabulary import Sex

    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协", url=db_url)
    village_a = offices.pair(township, "350421200201", "village", "罗翠村计生协")
    village_b = offices.pair(township, "350421200202", "village", "城东村计生协")
    child = PersonDraft("王小明", None, Relation.SON, birth_date=dt.date(2015, 1, 1), sex=Sex.MALE)
    register_family(village_a, "350421200201", "王建平", 40, extra=[child])
    register_family(village_b, "350421200202", "王建平", 41, extra=[child])  # another number for the head
    offices.send(village_a, township)
    report = offices.send(village_b, township)
    assert report.duplicates == 1
    [suspect] = duplicates.list_duplicates(township)
    assert suspect["kind"] == "likely" and suspect["a"]["name"] == suspect["b"]["name"] == "王小明"
    offices.close()


def test_a_category_conflict_resolves_to_the_links_everywhere(tmp_path, db_url):
    from fpdesk.storage.schema import HouseholdCategoryLink

    def links(ws, household):
        with ws.read() as session:
            return sorted(session.scalars(select(HouseholdCategoryLink.category)
                                          .where(HouseholdCategoryLink.household_id == household)))

    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协", url=db_url)
    village = offices.pair(township, "350421200201", "village", "罗翠村计生协")
    household = register_family(village, "350421200201", "林国华", 7).primary_id
    hh.update_household(village, household, categories=["only_child", "hardship"])
    offices.send(village, township)  # a new household with its links, in the batched insert
    assert links(township, household) == ["hardship", "only_child"]
    hh.update_household(village, household, categories=["other_fp"])
    hh.update_household(township, household, categories=[])
    report = offices.send(village, township)
    assert report.conflicts == 1 and report.summary()["merged"] == 0
    [conflict] = conflicts.list_conflicts(township)
    assert set(conflict["fields"]) == {"categories"}
    conflicts.resolve(township, conflict["id"], "theirs")
    assert links(township, household) == ["other_fp"]
    with township.read() as session:
        decided = session.query(ChangeEntry).filter_by(record_id=household, operation="resolve").one()
        assert (decided.fields, decided.old_values) == ({"categories": ["other_fp"]}, {"categories": []})
        assert decided.revision == session.get(Household, household).revision
    offices.send(township, village)
    assert links(village, household) == ["other_fp"]
    offices.close()


def test_a_reader_without_full_numbers_lists_conflicts_masked(tmp_path):
    from fpdesk.services.trust.accounts import add_user, log_in

    offices, township, _household = conflicting_edits(tmp_path)
    [full] = conflicts.list_conflicts(township)  # no accounts: nothing to hide from
    assert (full["fields"]["phone"]["ours"], full["fields"]["phone"]["theirs"]) == ("13900002222", "13900001111")
    add_user(township, name="admin", password="admin-pass-1", role="admin")
    add_user(township, name="viewer", password="viewer-pass-1", role="viewer")
    log_in(township, "viewer", "viewer-pass-1")
    [masked] = conflicts.list_conflicts(township)
    phone = masked["fields"]["phone"]
    assert (phone["base"], phone["ours"], phone["theirs"]) == ("138****5678", "139****2222", "139****1111")
    assert phone["provisional"] in ("139****2222", "139****1111")
    log_in(township, "admin", "admin-pass-1")
    assert conflicts.list_conflicts(township)[0]["fields"]["phone"]["ours"] == "13900002222"
    offices.close()
