"""The demo county generator: deterministic, valid, unique and shaped like real households."""

from __future__ import annotations

import ast
import datetime as dt
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest

from fpdesk.core import idnumber, phone
from fpdesk.core.divisions import parse_code
from fpdesk.core.vocabulary import DivisionKind, HouseholdCategory, Relation, Sex
from fpdesk.services.demo import generator
from fpdesk.services.demo.generator import SCALES, generate

HC = HouseholdCategory
R = Relation
TODAY = dt.date(2026, 1, 1)
TOWNSHIPS = {"城关乡": DivisionKind.TOWNSHIP, "雪峰镇": DivisionKind.TOWN, "瀚仙镇": DivisionKind.TOWN,
             "沙溪乡": DivisionKind.TOWNSHIP, "夏阳乡": DivisionKind.TOWNSHIP, "胡坊镇": DivisionKind.TOWN,
             "盖洋镇": DivisionKind.TOWN, "枫溪乡": DivisionKind.TOWNSHIP, "夏坊乡": DivisionKind.TOWNSHIP}
MALE_RELATIONS = {R.SON, R.FATHER, R.FATHER_IN_LAW, R.GRANDSON, R.SON_IN_LAW}
FEMALE_RELATIONS = {R.DAUGHTER, R.MOTHER, R.MOTHER_IN_LAW, R.GRANDDAUGHTER, R.DAUGHTER_IN_LAW}


def years_between(older: dt.date, younger: dt.date) -> float:
    return (younger - older).days / 365.2425


@pytest.fixture(scope="module")
def county():
    return generate(scale="county", seed=3)


@pytest.fixture(scope="module")
def county_households(county):
    return list(county.households())


def test_same_seed_gives_identical_output_and_another_seed_differs():
    first = list(islice(generate(scale="county", seed=11).households(), 500))
    again = list(islice(generate(scale="county", seed=11).households(), 500))
    other = list(islice(generate(scale="county", seed=12).households(), 500))
    assert first == again
    assert repr(first) == repr(again)
    assert first != other
    village = generate(seed=5)
    assert list(village.households()) == list(village.households())  # re-iterable, starts afresh


def test_village_scale_is_one_village_of_about_600_persons():
    county = generate(scale="village")
    households = list(county.households())
    assert sum(len(h.members) for h in households) == SCALES["village"] == county.persons
    assert 120 <= len(households) <= 260
    village = next(d for d in county.divisions if d.kind is DivisionKind.VILLAGE)
    assert (village.code, village.name) == ("350421200201", "罗翠村")
    assert {h.division_code for h in households} == {village.code}
    assert all(h.address.startswith("明溪县城关乡罗翠村") for h in households)


@pytest.mark.parametrize(("scale", "persons"), [("township", 12_345), ("village", 37), ("county", 1_001)])
def test_persons_override_gives_exactly_that_many(scale, persons):
    county = generate(scale=scale, persons=persons, seed=2)
    assert sum(len(h.members) for h in county.households()) == persons
    assert sum(n for _, n in county.quotas) == persons


def test_large_counts_add_villages():
    small = generate(scale="township")
    large = generate(scale="township", persons=200_000)
    assert len(large.divisions) > len(small.divisions)
    villages = [d for d in large.divisions if d.kind is DivisionKind.VILLAGE]
    assert len({d.name for d in villages}) == len(villages)
    assert max(n for _, n in large.quotas) <= 2 * generator.UNIT_PERSONS


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        generate(scale="province")
    with pytest.raises(ValueError):
        generate(persons=0)


def test_every_id_validates_and_agrees_with_sex_and_birth_date(county_households):
    for household in county_households:
        for person in household.members:
            facts = idnumber.validate(person.id_number, today=TODAY)
            assert facts.number == person.id_number
            assert facts.sex == person.sex.value
            assert facts.birth_date == person.birth_date
            assert person.birth_date < TODAY


def test_ids_are_unique_across_the_county(county, county_households):
    numbers = [p.id_number for h in county_households for p in h.members]
    assert len(numbers) == county.persons == SCALES["county"]
    assert len(set(numbers)) == len(numbers)


def test_ages_span_infants_to_the_very_old(county_households):
    days = [(TODAY - p.birth_date).days for h in county_households for p in h.members]
    assert sum(d < 365 for d in days) > 50
    assert sum(d >= 70 * 365.25 for d in days) > 0.05 * len(days)
    assert sum(d >= 28 for d in days) > 0.999 * len(days)
    assert max(days) < 101 * 365.25


def test_household_shapes_are_consistent(county_households):
    for household in county_households:
        members = household.members
        head = members[0]
        assert head.relation is R.HEAD
        assert sum(p.relation is R.HEAD for p in members) == 1
        assert 1 <= len(members) <= 6
        assert len({p.name for p in members}) == len(members)
        for person in members[1:]:
            if person.relation is R.SPOUSE:
                assert person.sex is not head.sex
                assert abs(years_between(head.birth_date, person.birth_date)) <= 15
            if person.relation in MALE_RELATIONS:
                assert person.sex is Sex.MALE
            if person.relation in FEMALE_RELATIONS:
                assert person.sex is Sex.FEMALE
            if person.relation in (R.SON, R.DAUGHTER):
                assert years_between(head.birth_date, person.birth_date) >= 15
            if person.relation in (R.GRANDSON, R.GRANDDAUGHTER):
                assert years_between(head.birth_date, person.birth_date) >= 30
            if person.relation in (R.FATHER, R.MOTHER):
                assert years_between(person.birth_date, head.birth_date) >= 15
        assert sum(p.relation is R.SPOUSE for p in members) <= 1


def test_names_are_chinese(county_households):
    for household in islice(county_households, 3000):
        for person in household.members:
            assert 2 <= len(person.name) <= 4
            assert all("\u4e00" <= ch <= "\u9fff" for ch in person.name)


def test_children_usually_take_the_fathers_surname(county_households):
    same = total = 0
    for household in county_households:
        head, *rest = household.members
        if head.sex is Sex.MALE:
            for child in rest:
                if child.relation in (R.SON, R.DAUGHTER):
                    total += 1
                    same += child.name[0] == head.name[0]
    assert same == total > 0


def test_categories_and_certificates_are_consistent(county_households):
    for household in county_households:
        cats = household.categories
        assert cats
        if cats & {HC.ONLY_CHILD, HC.ONLY_DAUGHTER_CERTIFIED}:
            assert household.certificate_no
        if HC.OTHER_FP in cats:
            assert cats == {HC.OTHER_FP}
        if cats & {HC.SPECIAL_BEREAVED, HC.SPECIAL_DISABLED}:
            assert HC.SPECIAL_FAMILY in cats
        if HC.SPECIAL_FAMILY in cats:
            assert len(cats & {HC.SPECIAL_BEREAVED, HC.SPECIAL_DISABLED}) == 1
        if HC.SPECIAL_BEREAVED in cats:
            assert {p.relation for p in household.members} <= {R.HEAD, R.SPOUSE}
            for person in household.members:
                assert 50 <= years_between(person.birth_date, TODAY) < 81
        if HC.ONLY_DAUGHTER_CERTIFIED in cats:
            assert R.SON not in {p.relation for p in household.members}
        if HC.TWO_DAUGHTERS_STERILIZED in cats:
            assert R.SON not in {p.relation for p in household.members}
        is_unit = HC.UNIT_EMPLOYEE in cats
        assert is_unit == (parse_code(household.division_code).kind is DivisionKind.AGENCY_UNIT)
        if is_unit:
            assert cats == {HC.UNIT_EMPLOYEE}
            assert not household.is_rural
            assert household.certificate_no is None


def test_category_mix_is_realistic(county_households):
    village = [h for h in county_households if HC.UNIT_EMPLOYEE not in h.categories]
    counts = Counter(c for h in village for c in h.categories)

    def share(category):
        return counts[category] / len(village)

    assert share(HC.OTHER_FP) > 0.6
    assert 0.12 <= share(HC.ONLY_CHILD) <= 0.18
    assert 0.025 <= share(HC.TWO_DAUGHTERS_STERILIZED) <= 0.055
    assert 0.01 <= share(HC.ONLY_DAUGHTER_CERTIFIED) <= 0.03
    assert 0.005 <= share(HC.SPECIAL_FAMILY) <= 0.015
    assert 0.035 <= share(HC.POVERTY_TARGETED) <= 0.065
    assert 0.02 <= share(HC.HARDSHIP) <= 0.04
    assert sum(len(h.categories) > 1 and HC.SPECIAL_FAMILY not in h.categories for h in village) > 0
    only_child = [h for h in village if HC.ONLY_CHILD in h.categories]
    assert sum(h.reward_recipient for h in only_child) > 0.5 * len(only_child)
    assert sum(h.is_rural for h in only_child) > 0.8 * len(only_child)


def test_phones_are_valid_and_most_heads_have_a_mobile(county_households):
    heads_with_mobile = landlines = 0
    for household in county_households:
        heads_with_mobile += bool(household.members[0].phone and phone.is_mobile(household.members[0].phone))
        for person in household.members:
            for number in (person.phone, person.phone2):
                if number:
                    assert phone.validate(number) == number
                    landlines += not phone.is_mobile(number)
    assert heads_with_mobile > 0.75 * len(county_households)
    assert landlines > 0


def test_divisions_parse_and_households_point_at_existing_units(county, county_households):
    by_code = {d.code: d for d in county.divisions}
    assert len(by_code) == len(county.divisions)
    for division in county.divisions:
        parsed = parse_code(division.code)
        assert parsed.kind is division.kind
        assert parsed.parent == division.parent_code
        assert division.parent_code is None or division.parent_code in by_code
    for household in county_households:
        division = by_code[household.division_code]
        assert division.kind in (DivisionKind.VILLAGE, DivisionKind.COMMUNITY, DivisionKind.AGENCY_UNIT)
        assert household.address.startswith("明溪县")
    used = {h.division_code for h in county_households}
    assert {code for code, n in county.quotas if n} <= used


def test_county_scale_has_the_nine_townships_and_the_agency_channel(county, county_households):
    townships = {d.name: d for d in county.divisions if d.parent_code == "350421" and d.code != "350421900"}
    assert {name: d.kind for name, d in townships.items()} == TOWNSHIPS
    assert townships["城关乡"].code == "350421200"
    assert all(100 <= int(d.code[6:]) <= 199 for d in townships.values() if d.kind is DivisionKind.TOWN)
    assert all(200 <= int(d.code[6:]) <= 399 for d in townships.values() if d.kind is DivisionKind.TOWNSHIP)
    channel = next(d for d in county.divisions if d.kind is DivisionKind.AGENCY_CHANNEL)
    assert (channel.code, channel.name) == ("350421900", "机关")
    units = [d for d in county.divisions if d.kind is DivisionKind.AGENCY_UNIT]
    assert units[0].code == "350421900001"
    assert {"县卫健局", "县教育局", "县人民医院"} <= {d.name for d in units}
    townships_used = {h.division_code[:9] for h in county_households}
    assert townships_used == {d.code for d in townships.values()} | {"350421900"}


def test_today_is_respected():
    today = dt.date(2012, 6, 30)
    for household in generate(scale="village", seed=9, today=today).households():
        for person in household.members:
            assert idnumber.validate(person.id_number, today=today).birth_date < today


def test_generator_is_pure():
    # the generator and its pools are pure data; the demo package's database, enrollments and season
    # modules beside them write through the services and are not part of it
    folder = Path(generator.__file__).parent
    for path in (folder / name for name in ("__init__.py", "generator.py", "names.py", "places.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in {"__future__", "dataclasses", "datetime", "math", "random", "collections",
                               "fpdesk"}, (path.name, module)
                if top == "fpdesk":
                    assert module.startswith(("fpdesk.core", "fpdesk.services.demo")), (path.name, module)
