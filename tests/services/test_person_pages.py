"""The households list read a page at a time: pages join into the whole list, each person once, in
every order the table can be sorted by, under the filters, and the count agrees without reading it."""

import datetime as dt

import pytest

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation, Sex
from fpdesk.services.registry import households as hh
from fpdesk.services.registry.search import (
    count_person_matches,
    find_person_ids,
    load_person_rows,
    person_id_page,
)

TODAY = dt.date(2026, 11, 22)
ORDERS = (None, "name", "sex", "birth_date", "age", "id_number", "relation", "division_name", "phone", "status")


@pytest.fixture
def villages(workspace):
    """Thirty persons with many ties (the same names, birth dates, no phone, no ID number): where
    a page boundary falls inside a run of equal values, keyset paging must neither skip nor repeat."""
    for number in range(10):
        village = "350421200201" if number % 2 else "350421200202"
        hh.register_household(workspace, HouseholdDraft(village, f"{number}组"), [
            PersonDraft("张三", make_number("350421", dt.date(1980, 1, 1), 11 + 2 * number) if number % 2 else None,
                        Relation.HEAD, phone="13812345678" if number % 3 == 0 else None,
                        birth_date=None if number % 2 else dt.date(1980, 1, 1), sex=None if number % 2 else Sex.MALE),
            PersonDraft("李四", None, Relation.SPOUSE, birth_date=dt.date(1982, 3, 15), sex=Sex.FEMALE),
            PersonDraft("张珊", None, Relation.DAUGHTER, birth_date=dt.date(2010, 5, 20 - number), sex=Sex.FEMALE),
        ], today=TODAY)
    return workspace


def all_pages(workspace, size: int, **filters) -> list:
    ids, after = person_id_page(workspace, limit=size, **filters)
    pages = 1
    while after is not None:
        more, after = person_id_page(workspace, after=after, limit=size, **filters)
        ids += more
        pages += 1
        assert pages < 100
    return ids


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("order", ORDERS)
def test_pages_join_into_the_whole_list_each_person_once(villages, order, descending):
    everyone = set(find_person_ids(villages))
    assert len(everyone) == 30
    filters = {} if order is None else {"order": order, "descending": descending}
    for size in (1, 4, 7, 30, 31):
        ids = all_pages(villages, size, **filters)
        assert len(ids) == len(set(ids)) == 30 and set(ids) == everyone, (order, descending, size)
    if order in ("birth_date", "age", "division_name"):
        rows = load_person_rows(villages, ids)
        key = {"birth_date": lambda r: r.birth_date, "age": lambda r: r.birth_date,
               "division_name": lambda r: r.division_code}[order]
        values = [key(rows[pid]) for pid in ids]
        backwards = descending != (order == "age")  # the oldest first is the earliest birth date
        assert values == sorted(values, reverse=backwards)


def test_pages_keep_to_the_filters_and_the_count_agrees(villages):
    in_village = set(find_person_ids(villages, division_prefix="350421200201"))
    assert 0 < len(in_village) < 30
    assert set(all_pages(villages, 4, division_prefix="350421200201")) == in_village
    assert count_person_matches(villages, division_prefix="350421200201") == len(in_village)
    assert count_person_matches(villages) == 30
    ids, after = person_id_page(villages, limit=31)
    whole = find_person_ids(villages)
    rows = load_person_rows(villages, whole)
    assert after is None and set(ids) == set(whole)
    assert [rows[pid].name for pid in ids] == [rows[pid].name for pid in whole]  # in the same order of names
