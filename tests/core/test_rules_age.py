"""Age rules on the first day of cover: 28 days, 65 / 70 on renewal (docs/rules.md#age), 14 for Haimen (docs/rules.md#only-child-families).

Ages are judged on the cover start. For the S1 product cover starts the day after enrollment, so
each case enrolls on ``start - 1 day``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from fpdesk.core.products import Product, load_products
from fpdesk.core.rules import EnrollmentFacts, HouseholdFacts, PersonFacts, judge_person
from fpdesk.core.vocabulary import HouseholdCategory, Relation

D = dt.date
OTHER_FP = HouseholdFacts(categories=frozenset({HouseholdCategory.OTHER_FP}))


@cache
def product(code: str) -> Product:
    return load_products()[code]


def judge_s1(birth: dt.date, cover_start: dt.date, *, renewal: bool = False):
    enrollment = EnrollmentFacts(cover_start - dt.timedelta(days=1))
    result = judge_person(product("fp_family_accident_100"), PersonFacts(birth, renewal=renewal), OTHER_FP,
                          enrollment)
    assert result.period.start == cover_start  # the age is judged on this day
    return result


@pytest.mark.parametrize(("birth", "days_old", "eligible"), [
    (D(2020, 3, 19), 28, True),   # exactly 28 days old on the start date
    (D(2020, 3, 20), 27, False),
    (D(2020, 1, 1), 106, True),
    (D(2020, 4, 16), 0, False),   # born on the start date
])
def test_minimum_age_is_28_days_on_the_start_date(birth, days_old, eligible):
    result = judge_s1(birth, D(2020, 4, 16))
    assert result.persons[0].age_days == days_old
    assert result.eligible is eligible
    assert ("age_below_min" in result.reason_codes) is not eligible


@pytest.mark.parametrize(("birth", "years", "eligible"), [
    (D(1955, 4, 16), 65, True),    # the 65th birthday is the start date
    (D(1954, 4, 17), 65, True),    # the last day before 66 completed years
    (D(1954, 4, 16), 66, False),   # the day 66 completed years begin
    (D(1950, 1, 1), 70, False),
])
def test_new_entrants_may_be_65_inclusive(birth, years, eligible):
    result = judge_s1(birth, D(2020, 4, 16))
    assert result.persons[0].age_years == years
    assert result.eligible is eligible
    assert result.reason_codes == ([] if eligible else ["age_above_max"])


@pytest.mark.parametrize(("birth", "renewal", "eligible", "reason"), [
    (D(1950, 4, 16), True, True, None),                      # 70th birthday on the start date
    (D(1949, 4, 17), True, True, None),                      # 70, one day before 71
    (D(1949, 4, 16), True, False, "age_above_renewal_max"),  # 71 completed years begin
    (D(1950, 4, 16), False, False, "age_above_max"),         # 70 is too old for a new entrant
    (D(1954, 4, 16), True, True, None),                      # 66 is fine on renewal
])
def test_renewal_relaxes_the_ceiling_to_70(birth, renewal, eligible, reason):
    result = judge_s1(birth, D(2020, 4, 16), renewal=renewal)
    assert result.eligible is eligible
    assert result.reason_codes == ([reason] if reason else [])


@pytest.mark.parametrize(("birth", "cover_start", "renewal", "years", "eligible"), [
    # Born 29 Feb: in a common year the birthday counts on 1 March (fpdesk.core.dates).
    (D(1956, 2, 29), D(2022, 2, 28), False, 65, True),
    (D(1956, 2, 29), D(2022, 3, 1), False, 66, False),
    (D(1952, 2, 29), D(2023, 2, 28), True, 70, True),
    (D(1952, 2, 29), D(2023, 3, 1), True, 71, False),
    (D(1956, 2, 29), D(2024, 2, 29), True, 68, True),   # leap year: the birthday itself
])
def test_feb_29_birthdays_count_on_1_march_in_common_years(birth, cover_start, renewal, years, eligible):
    result = judge_s1(birth, cover_start, renewal=renewal)
    assert result.persons[0].age_years == years
    assert result.eligible is eligible


# -- Haimen (S2): the only child "14周岁以内" — 14 itself is included ------------------------------------

HAIMEN = HouseholdFacts(categories=frozenset({HouseholdCategory.ONLY_CHILD}), certificate_no="苏独字第0012345号",
                        is_rural=True, reward_recipient=True)
# Enrolled in the December window; cover is calendar 2013, so ages are taken on 2013-01-01.
HAIMEN_ENROLLMENT = EnrollmentFacts(D(2012, 12, 28))


@pytest.mark.parametrize(("child_birth", "child_years", "eligible"), [
    (D(1998, 1, 2), 14, True),    # 14 completed years, one day before 15
    (D(1999, 1, 1), 14, True),    # 14th birthday on the start date
    (D(1998, 1, 1), 15, False),   # 15th birthday on the start date
    (D(1997, 6, 1), 15, False),
])
def test_only_child_safety_insures_a_child_of_14_but_not_15(child_birth, child_years, eligible):
    child = PersonFacts(child_birth, relation=Relation.SON)
    result = judge_person(product("only_child_safety"), child, HAIMEN, HAIMEN_ENROLLMENT)
    assert result.period.start == D(2013, 1, 1)
    assert result.persons[0].age_years == child_years
    assert result.eligible is eligible
    assert result.reason_codes == ([] if eligible else ["age_above_max"])


@pytest.mark.parametrize(("child_birth", "eligible"), [
    (D(1998, 1, 2), True),
    (D(1999, 1, 1), True),
    (D(1998, 1, 1), False),
])
def test_parents_product_follows_the_childs_age(child_birth, eligible):
    household = HouseholdFacts(**{**HAIMEN.__dict__, "only_child_birth_date": child_birth})
    mother = PersonFacts(D(1972, 5, 1), relation=Relation.SPOUSE)
    result = judge_person(product("only_child_parents_ankang"), mother, household, HAIMEN_ENROLLMENT)
    assert result.eligible is eligible
    assert result.reason_codes == ([] if eligible else ["only_child_too_old"])


def test_parents_product_needs_the_childs_birth_date():
    father = PersonFacts(D(1970, 5, 1), relation=Relation.HEAD)
    result = judge_person(product("only_child_parents_ankang"), father, HAIMEN, HAIMEN_ENROLLMENT)
    assert result.reason_codes == ["only_child_birth_date_missing"]


@pytest.mark.parametrize(("birth", "eligible"), [
    (D(1956, 9, 2), True),    # 65th birthday the day before the cover start
    (D(1956, 9, 3), True),    # 65th birthday on the start date
    (D(1956, 9, 4), False),   # still 64
])
def test_xiaoxinbao_starts_at_65(birth, eligible):
    household = HouseholdFacts(categories=frozenset({HouseholdCategory.OTHER_FP}))
    result = judge_person(product("gx_xiaoxinbao_a"), PersonFacts(birth), household, EnrollmentFacts(D(2021, 9, 2)))
    assert result.period.start == D(2021, 9, 3)
    assert result.eligible is eligible
    assert ("age_below_min" in result.reason_codes) is not eligible
