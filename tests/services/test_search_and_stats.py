import datetime as dt

import pytest

from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.registry import households as hh
from fpdesk.services.registry.search import normalise_query, search
from fpdesk.services.reports.division_counts import counts_by_division

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def village(workspace):
    hh.register_household(workspace, HouseholdDraft("350421200201", "罗翠村1组"), [
        PersonDraft("张三", "350421198001010017", Relation.HEAD, phone="13812345678"),
        PersonDraft("李四", "350421198203150026", Relation.SPOUSE),
    ], today=TODAY)
    hh.register_household(workspace, HouseholdDraft("350421200202", "城东村2组"), [
        PersonDraft("张三丰", "350421197505050018", Relation.HEAD, phone="0598-2812345"),
        PersonDraft("张珊", "350421201005200023", Relation.DAUGHTER),
    ], today=TODAY)
    return workspace


def names(hits):
    return sorted(h.name for h in hits)


@pytest.mark.parametrize(("query", "expected"), [
    ("张三", ["张三", "张三丰"]),
    ("张", ["张三", "张三丰", "张珊"]),
    ("zs", ["张三", "张三丰", "张珊"]),
    ("ZSF", ["张三丰"]),
    ("zhangs", ["张三", "张三丰", "张珊"]),  # full pinyin prefix: zhangsan, zhangshan
    ("zhangsan", ["张三", "张三丰"]),
    ("ls", ["李四"]),
    ("0101001", ["张三"]),          # a fragment from the middle of an ID number
    ("0017", ["张三"]),             # the tail people read off a card
    ("１９７５", ["张三丰"]),          # full-width digits from a Chinese input method
    ("2812345", ["张三丰"]),        # landline fragment
    ("1381234", ["张三"]),          # mobile fragment
    ("200023", ["张珊"]),
    ("王", []),
    ("17", []),                     # too short for a fragment: nothing rather than everything
    ("%", []),
])
def test_search_finds_by_name_pinyin_id_fragment_or_phone(village, query, expected):
    assert names(search(village, query)) == expected


def test_search_results_carry_the_village(village):
    hit = search(village, "李四")[0]
    assert (hit.division_name, hit.relation, hit.sex) == ("罗翠村", "spouse", "female")


def test_lower_case_x_in_an_id_fragment_is_normalised():
    assert normalise_query("016x") == "016X"
    assert normalise_query(" Zs ") == "zs"


def test_stats_count_active_households_and_living_persons(village):
    first = search(village, "李四")[0]
    hh.record_death(village, first.person_id, on=dt.date(2026, 1, 1))
    townships, total = counts_by_division(village)
    assert (total.households, total.persons) == (2, 3)
    assert [t.code for t in townships] == ["350421200"]
    assert {v.name: (v.households, v.persons) for v in townships[0].villages} == {"罗翠村": (1, 1), "城东村": (1, 2)}


def test_a_long_fragment_finds_only_the_numbers_that_hold_all_of_it(workspace):
    """A long fragment is looked up by its last characters (storage/search.py): people who share
    only those (the day, the sequence and the check digit of a county's ID numbers) are not found."""
    from fpdesk.core.idnumber import make_number
    from fpdesk.services.registry.search import find_person_ids

    first = make_number("350421", dt.date(1980, 1, 1), 1)
    twin = next(number for year in range(1950, 2010) for seq in range(1, 60, 2)
                if (number := make_number("350421", dt.date(year, 1, 1), seq))[-8:] == first[-8:] and number != first)
    hh.register_household(workspace, HouseholdDraft("350421200201"), [
        PersonDraft("林一", first, Relation.HEAD, phone="13900001111"),
        PersonDraft("林二", twin, Relation.SPOUSE, phone="13811110000"),
    ], today=TODAY)
    for query, expected in ((first, ["林一"]), (twin, ["林二"]), (first[-8:], ["林一", "林二"]),
                            (first[-11:], sorted(["林一"] + (["林二"] if twin[-11:] == first[-11:] else []))),
                            (first[:12], ["林一"] + (["林二"] if twin[:12] == first[:12] else [])),
                            ("13900001111", ["林一"]), ("900001111", ["林一"]), ("811110000", ["林二"]),
                            (first[2:14], ["林一"])):
        assert names(search(workspace, query)) == expected, query
        assert len(find_person_ids(workspace, query, limit=50)) == len(expected), query


def test_number_fragments_find_what_a_plain_scan_finds(db_url):
    """Long fragments are looked up by a window chosen from how common its trigrams are
    (storage/number_window.py); whatever it chooses, the persons found are those holding the whole
    fragment: the middle of ID numbers (their own region and others'), whole numbers and phones."""
    from sqlalchemy import select

    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.registry.search import find_person_ids
    from fpdesk.storage.schema import Person

    workspace = open_workspace(db_url)
    load_demo(workspace, scale="village", seed=3)
    with workspace.read() as session:
        people = session.execute(select(Person.id, Person.id_number, Person.phone)).all()
    numbers = [p.id_number for p in people if p.id_number]
    phones = [p.phone for p in people if p.phone and p.phone.isdigit()]
    queries = {n[2:12] for n in numbers[::25]} | {n[6:14] for n in numbers[::40]} | set(numbers[::60])
    queries |= {n[1:11] for n in numbers if not n.startswith("350421")}  # another region: rare trigrams
    queries |= {p[3:10] for p in phones[::20]} | {p[-9:] for p in phones[::30]} | {"4211980", "0000000000"}
    for query in sorted(queries):
        expected = {p.id for p in people if query in (p.id_number or "") or query in (p.phone or "")}
        assert set(find_person_ids(workspace, query, include_inactive=True)) == expected, query
        if len(expected) < 100:
            assert {h.person_id for h in search(workspace, query)} == expected, query
    workspace.close()
