"""Sums insured per person (docs/rules.md#family-sum) and the hospital-care day cap (docs/rules.md#hospital-days)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from fpdesk.core.products import Liability, Product, load_products
from fpdesk.core.rules import EnrollmentFacts, HouseholdFacts, PersonFacts, judge
from fpdesk.core.rules_benefits import covers_for_insured, hospital_days_payable, remaining_days
from fpdesk.core.vocabulary import HouseholdCategory, Relation

D = dt.date


@cache
def product(code: str) -> Product:
    return load_products()[code]


def family(size: int) -> list[PersonFacts]:
    head = PersonFacts(D(1980, 1, 1), relation=Relation.HEAD, name="户主")
    return [head] + [PersonFacts(D(1985 + i, 1, 1), relation=Relation.OTHER) for i in range(size - 1)]


@pytest.mark.parametrize(("insured", "shares"), [
    (1, [20000000]),
    (2, [10000000, 10000000]),
    (3, [6666667, 6666667, 6666666]),                     # ¥66,666.67 ×2 + ¥66,666.66
    (7, [2857143] * 6 + [2857142]),                       # 20,000,000 = 7 × 2,857,142 + 6
])
def test_200000_is_split_equally_and_adds_up_exactly(insured, shares):
    s1 = product("fp_family_accident_100")
    assert s1.rounding == "floor_remainder_first"
    result = judge(s1, HouseholdFacts(categories=frozenset({HouseholdCategory.OTHER_FP})), family(insured),
                   EnrollmentFacts(D(2020, 4, 15)))
    assert result.eligible
    death = [covers[0] for covers in result.sums_insured.values()]
    assert [c.kind for c in death] == ["accident_death_disability"] * insured
    assert [c.amount_fen for c in death] == shares
    assert sum(c.amount_fen for c in death) == 20000000
    medical = [covers[1] for covers in result.sums_insured.values()]
    # The ¥14,000 medical cover is one family pool, stated as such to everyone, never divided.
    assert {(c.split, c.amount_fen, c.shared_by) for c in medical} == {("shared_pool", 1400000, insured)}
    assert result.premium_fen == 10000  # one family share whatever the size


def test_the_odd_fen_go_to_the_household_head_even_if_listed_later():
    members = list(reversed(family(3)))  # head last
    result = judge(product("fp_family_accident_100"), HouseholdFacts(categories=frozenset({HouseholdCategory.OTHER_FP})),
                   members, EnrollmentFacts(D(2020, 4, 15)))
    head_index = 2
    assert result.sums_insured[head_index][0].amount_fen == 6666667
    assert sorted(c[0].amount_fen for c in result.sums_insured.values()) == [6666666, 6666667, 6666667]


def test_an_excluded_member_does_not_take_a_share_of_the_sum():
    members = [*family(2), PersonFacts(D(1940, 1, 1), relation=Relation.FATHER)]  # 80: too old
    result = judge(product("fp_family_accident_100"), HouseholdFacts(categories=frozenset({HouseholdCategory.OTHER_FP})),
                   members, EnrollmentFacts(D(2020, 4, 15)))
    assert result.eligible
    assert [p.eligible for p in result.persons] == [True, True, False]
    assert result.persons[2].covers == ()
    assert [c[0].amount_fen for c in result.sums_insured.values()] == [10000000, 10000000]
    assert result.reason_codes == ["age_above_max"]


def test_half_up_rounding_gives_the_per_capita_figure():
    s1 = product("fp_family_accident_100")
    from dataclasses import replace

    half_up = replace(s1, rounding="half_up")
    assert [c[0].amount_fen for c in covers_for_insured(half_up, 3)] == [6666667] * 3


def test_per_person_product_prices_each_insured_person():
    s3 = product("special_family_hospital_care")
    household = HouseholdFacts(categories=frozenset({HouseholdCategory.SPECIAL_BEREAVED}))
    couple = [PersonFacts(D(1955, 3, 1), on_eligible_list=True, relation=Relation.HEAD),
              PersonFacts(D(1957, 3, 1), on_eligible_list=True, relation=Relation.SPOUSE)]
    result = judge(s3, household, couple, EnrollmentFacts(D(2021, 12, 20), policy_year=2022))
    assert (result.period.start, result.period.end) == (D(2022, 1, 1), D(2022, 12, 31))
    assert result.premium_fen == 2 * 30000
    care = result.sums_insured[1][0]
    assert (care.split, care.amount_per_day_fen, care.max_days_per_year) == ("per_day", 30000, 90)


def test_per_person_cover_for_part_of_the_year_costs_that_part_by_days():
    """S3 "保险公司按实际人数承保", ¥300 a person a year: entered 2022-03-01, covered 03-02 … 12-31,
    which is 30 (March 2–31) + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 305 of 365 days:
    30000 × 305 / 365 = 25068.49… fen, rounded half up to 25068 (¥250.68) a person, ¥501.36 for two."""
    s3 = product("special_family_hospital_care")
    household = HouseholdFacts(categories=frozenset({HouseholdCategory.SPECIAL_BEREAVED}))
    couple = [PersonFacts(D(1955, 3, 1), on_eligible_list=True, relation=Relation.HEAD),
              PersonFacts(D(1957, 3, 1), on_eligible_list=True, relation=Relation.SPOUSE)]
    result = judge(s3, household, couple, EnrollmentFacts(D(2022, 3, 1)))
    assert (result.period.start, result.period.end) == (D(2022, 3, 2), D(2022, 12, 31))
    assert result.premium_fen == 2 * 25068
    care = result.sums_insured[1][0]
    assert (care.split, care.amount_per_day_fen, care.max_days_per_year) == ("per_day", 30000, 90)


# -- hospital care: ¥300 a day, at most 90 days per policy year -------------------------------------

CARE = Liability("hospital_care_allowance", "per_day", amount_per_day_fen=30000, max_days_per_year=90)


@pytest.mark.parametrize(("already", "stay", "payable", "left_after"), [
    (0, 10, 10, 80),
    (0, 90, 90, 0),
    (0, 95, 90, 0),     # one stay longer than the cap
    (80, 15, 10, 0),    # only 10 days remain
    (89, 1, 1, 0),
    (90, 5, 0, 0),      # the year's cap is used up
    (120, 5, 0, 0),     # over-recorded history never pays negative days
    (30, 0, 0, 60),
])
def test_hospital_care_is_capped_at_90_days_a_year(already, stay, payable, left_after):
    result = hospital_days_payable(CARE, already, stay)
    assert (result.days_payable, result.days_left_after) == (payable, left_after)
    assert result.amount_fen == payable * 30000
    assert remaining_days(CARE, already) == max(90 - already, 0)


def test_the_shipped_s3_liability_is_the_one_capped():
    liability = product("special_family_hospital_care").liability("hospital_care_allowance")
    assert hospital_days_payable(liability, 85, 10).days_payable == 5
    with pytest.raises(ValueError):
        remaining_days(product("fp_family_accident_100").liabilities[0], 0)
