"""Household rules: categories, documents, lists, shares, status, roles, and who pays
(docs/rules.md#government-paid, #only-child-families, #eligible-list, #hospital-days)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from fpdesk.core.errors import MESSAGES
from fpdesk.core.products import Product, load_products
from fpdesk.core.rules import EnrollmentFacts, HouseholdFacts, PersonFacts, judge, judge_person, payer_for
from fpdesk.core.rules_reasons import BLOCKING_MESSAGES, WARNING_MESSAGES
from fpdesk.core.vocabulary import HouseholdCategory as Cat
from fpdesk.core.vocabulary import PayerType, PersonStatus, Relation, Sex

D = dt.date
S1_DAY = EnrollmentFacts(D(2020, 4, 1))
ADULT = PersonFacts(D(1980, 6, 1), relation=Relation.HEAD, name="李明")


@cache
def product(code: str) -> Product:
    return load_products()[code]


def household(*categories: Cat, **kwargs) -> HouseholdFacts:
    return HouseholdFacts(categories=frozenset(categories), **kwargs)


@pytest.mark.parametrize(("categories", "unit_channel", "payer"), [
    ((Cat.TWO_DAUGHTERS_STERILIZED,), False, PayerType.GOVERNMENT),
    ((Cat.ONLY_DAUGHTER_CERTIFIED,), False, PayerType.GOVERNMENT),
    ((Cat.HARDSHIP,), False, PayerType.GOVERNMENT),
    ((Cat.SPECIAL_BEREAVED,), False, PayerType.GOVERNMENT),      # a sub-type of special_family
    ((Cat.POVERTY_TARGETED,), False, PayerType.GOVERNMENT),
    ((Cat.OTHER_FP,), False, PayerType.SELF),
    ((Cat.ONLY_CHILD,), False, PayerType.SELF),                  # not in S1's government list
    ((Cat.UNIT_EMPLOYEE,), False, PayerType.EMPLOYER),
    ((Cat.OTHER_FP, Cat.HARDSHIP), False, PayerType.GOVERNMENT),  # government wins
    ((Cat.HARDSHIP,), True, PayerType.EMPLOYER),                 # the 机关 channel: the unit pays
    ((), True, PayerType.EMPLOYER),
])
def test_s1_payer_follows_category_and_channel(categories, unit_channel, payer):
    facts = household(*categories, via_unit_channel=unit_channel)
    assert payer_for(product("fp_family_accident_100"), facts) is payer
    result = judge_person(product("fp_family_accident_100"), ADULT, facts, S1_DAY)
    assert result.eligible and result.payer is payer


@pytest.mark.parametrize(("requested", "categories", "payer", "codes"), [
    (PayerType.SELF, (Cat.HARDSHIP,), PayerType.SELF, []),             # a family may always pay itself
    (PayerType.GOVERNMENT, (Cat.HARDSHIP,), PayerType.GOVERNMENT, []),
    (PayerType.GOVERNMENT, (Cat.OTHER_FP,), PayerType.SELF, ["payer_not_allowed"]),
    (PayerType.EMPLOYER, (Cat.OTHER_FP,), PayerType.SELF, ["payer_not_allowed"]),
    (PayerType.EMPLOYER, (Cat.HARDSHIP, Cat.UNIT_EMPLOYEE), PayerType.EMPLOYER, []),  # staff: the unit may pay
])
def test_government_pays_only_for_its_categories(requested, categories, payer, codes):
    result = judge_person(product("fp_family_accident_100"), ADULT, household(*categories),
                          EnrollmentFacts(D(2020, 4, 1), requested_payer=requested))
    assert result.payer is payer
    assert result.reason_codes == codes


def test_category_must_be_covered():
    result = judge_person(product("fp_family_accident_100"), ADULT, household(), S1_DAY)
    assert result.reason_codes == ["category_not_eligible"]
    assert result.premium_fen == 0
    beihai = judge_person(product("beihai_aixin"), ADULT, household(Cat.OTHER_FP, is_rural=True),
                          EnrollmentFacts(D(2021, 3, 1)))
    assert beihai.reason_codes == ["category_not_eligible"]
    assert "其他计生家庭" in beihai.reasons[0].message_zh


HAIMEN_DAY = EnrollmentFacts(D(2012, 12, 28))
CHILD = PersonFacts(D(2005, 3, 1), relation=Relation.DAUGHTER)
COMPLETE = {"certificate_no": "苏独字第0012345号", "is_rural": True, "reward_recipient": True}


@pytest.mark.parametrize(("missing", "code"), [
    ("certificate_no", "missing_certificate"),
    ("is_rural", "not_rural"),
    ("reward_recipient", "not_reward_recipient"),
])
def test_haimen_needs_certificate_rural_and_reward(missing, code):
    facts = {**COMPLETE, missing: None if missing == "certificate_no" else False}
    result = judge_person(product("only_child_safety"), CHILD, household(Cat.ONLY_CHILD, **facts), HAIMEN_DAY)
    assert result.reason_codes == [code]
    complete = judge_person(product("only_child_safety"), CHILD, household(Cat.ONLY_CHILD, **COMPLETE), HAIMEN_DAY)
    assert complete.eligible and complete.premium_fen == 2000 and complete.payer is PayerType.GOVERNMENT


def test_haimen_products_insure_the_child_and_the_parents_respectively():
    facts = household(Cat.ONLY_CHILD, only_child_birth_date=CHILD.birth_date, **COMPLETE)
    father = PersonFacts(D(1975, 1, 1), relation=Relation.HEAD)
    mother = PersonFacts(D(1977, 1, 1), relation=Relation.SPOUSE)
    safety = judge(product("only_child_safety"), facts, [father, CHILD], HAIMEN_DAY)
    assert [p.eligible for p in safety.persons] == [False, True]
    assert safety.reason_codes == ["insured_role_not_covered"]
    ankang = judge(product("only_child_parents_ankang"), facts, [father, mother, CHILD], HAIMEN_DAY)
    assert [p.eligible for p in ankang.persons] == [True, True, False]
    assert ankang.premium_fen == 2000  # one share covers both parents
    assert [c[1].amount_fen for c in ankang.sums_insured.values()] == [100000, 100000]  # ¥1,000 medical each
    grandson = PersonFacts(CHILD.birth_date, relation=Relation.GRANDSON, role="only_child")
    assert judge_person(product("only_child_safety"), grandson, facts, HAIMEN_DAY).eligible


S3_DAY = EnrollmentFacts(D(2022, 3, 1))
BEREAVED = household(Cat.SPECIAL_BEREAVED)
LISTED = PersonFacts(D(1958, 7, 1), on_eligible_list=True, relation=Relation.HEAD)


@pytest.mark.parametrize(("held", "wanted", "eligible"), [
    (0, 1, True),
    (1, 1, False),   # a second share for the same person
    (0, 2, False),   # two at once
])
def test_s3_allows_one_share_per_person(held, wanted, eligible):
    person = PersonFacts(LISTED.birth_date, on_eligible_list=True, shares_held=held)
    result = judge_person(product("special_family_hospital_care"), person, BEREAVED,
                          EnrollmentFacts(D(2022, 3, 1), shares=wanted))
    assert result.eligible is eligible
    assert result.reason_codes == ([] if eligible else ["max_shares_exceeded"])


def test_s3_needs_the_eligible_list():
    person = PersonFacts(LISTED.birth_date, on_eligible_list=False)
    result = judge_person(product("special_family_hospital_care"), person, BEREAVED, S3_DAY)
    assert result.reason_codes == ["not_on_eligible_list"]
    # entered 2022-03-01: covered 03-02 … 12-31, 305 of 365 days of ¥300 = ¥250.68 (rounded half up)
    assert judge_person(product("special_family_hospital_care"), LISTED, BEREAVED, S3_DAY).premium_fen == 25068


@pytest.mark.parametrize(("family_held", "eligible"), [(0, True), (1, False)])
def test_s1_one_share_per_family(family_held, eligible):
    result = judge_person(product("fp_family_accident_100"), ADULT, household(Cat.OTHER_FP),
                          EnrollmentFacts(D(2020, 4, 1), family_shares_held=family_held))
    assert result.eligible is eligible
    assert result.reason_codes == ([] if eligible else ["max_shares_exceeded"])


@pytest.mark.parametrize(("status", "eligible"), [
    (PersonStatus.ALIVE, True),
    (PersonStatus.DECEASED, False),
    (PersonStatus.MOVED_OUT, False),
])
def test_only_living_registered_people_are_insured(status, eligible):
    person = PersonFacts(ADULT.birth_date, status=status, name="王芳")
    result = judge_person(product("fp_family_accident_100"), person, household(Cat.OTHER_FP), S1_DAY)
    assert result.eligible is eligible
    if not eligible:
        assert result.reason_codes == ["person_not_alive"]
        assert "王芳" in result.reasons[0].message_zh and status.label_zh in result.reasons[0].message_zh


def test_already_insured_this_period_is_refused():
    person = PersonFacts(ADULT.birth_date, already_insured_this_period=True)
    result = judge_person(product("fp_family_accident_100"), person, household(Cat.OTHER_FP), S1_DAY)
    assert "already_insured_this_period" in result.reason_codes and not result.eligible


def test_no_members_is_not_eligible():
    result = judge(product("fp_family_accident_100"), household(Cat.OTHER_FP), [], S1_DAY)
    assert not result.eligible and result.reason_codes == ["no_insured_member"]


def test_every_reason_code_is_registered_in_both_languages():
    required = {"age_below_min", "age_above_max", "age_above_renewal_max", "category_not_eligible",
                "missing_certificate", "not_rural", "not_reward_recipient", "not_on_eligible_list",
                "max_shares_exceeded", "already_insured_this_period", "outside_enrollment_window",
                "person_not_alive"}
    assert required <= set(BLOCKING_MESSAGES)
    for code in {**BLOCKING_MESSAGES, **WARNING_MESSAGES}:
        zh, en = MESSAGES[code]
        assert zh and en and zh != en


def test_reason_messages_render_every_placeholder():
    s1, safety, ankang, s3 = (product(c) for c in ("fp_family_accident_100", "only_child_safety",
                                                   "only_child_parents_ankang", "special_family_hospital_care"))
    results = [
        judge(s1, household(), [PersonFacts(D(2020, 5, 1)), PersonFacts(D(1940, 1, 1)),
                                PersonFacts(D(1940, 1, 1), renewal=True),
                                PersonFacts(D(1980, 1, 1), status=PersonStatus.DECEASED, already_insured_this_period=True,
                                            shares_held=1)],
              EnrollmentFacts(D(2020, 5, 1), family_shares_held=1, requested_payer=PayerType.GOVERNMENT)),
        judge(s1, household(Cat.OTHER_FP), [ADULT], EnrollmentFacts(D(2020, 4, 30))),
        judge(s1, household(Cat.OTHER_FP), [ADULT], EnrollmentFacts(D(2019, 4, 30), recorded_on=D(2020, 1, 2))),
        judge(s1, household(Cat.OTHER_FP), [], S1_DAY),
        judge(safety, household(Cat.ONLY_CHILD), [ADULT], EnrollmentFacts(D(2012, 11, 1))),
        judge(ankang, household(Cat.ONLY_CHILD, **COMPLETE), [ADULT], HAIMEN_DAY),
        judge(ankang, household(Cat.ONLY_CHILD, only_child_birth_date=D(1990, 1, 1), **COMPLETE), [ADULT], HAIMEN_DAY),
        judge(s3, BEREAVED, [PersonFacts(D(1950, 1, 1))], S3_DAY),
        judge(s3, BEREAVED, [LISTED], EnrollmentFacts(D(2022, 3, 1), requested_payer=PayerType.SELF)),
        judge(safety, household(Cat.ONLY_CHILD), [ADULT], EnrollmentFacts(D(2012, 11, 1), policy_year=2013)),
        judge(s1, household(Cat.OTHER_FP), [ADULT], EnrollmentFacts(
            D(2021, 5, 10), previous_cover_end=D(2021, 4, 15), answers={"health_declaration": False})),
    ]
    # the county programmes of tests/data/programmes: a wife's age, a campaign that is over
    county = load_products(Path(__file__).parents[1] / "data" / "programmes")
    couple = county["couple_elder_care"]
    husband = PersonFacts(D(1960, 3, 1), relation=Relation.HEAD, sex=Sex.MALE)
    results += [
        judge(couple, household(Cat.ONLY_CHILD), [husband], EnrollmentFacts(D(2021, 1, 5))),
        judge(couple, household(Cat.ONLY_CHILD), [husband, PersonFacts(D(1950, 1, 1), relation=Relation.SPOUSE,
                                                                       sex=Sex.FEMALE)],
              EnrollmentFacts(D(2022, 2, 1))),
    ]
    seen = set()
    for result in results:
        for reason in (*result.reasons, *result.warnings):
            seen.add(reason.code)
            assert "{" not in reason.message_zh and "{" not in reason.message_en, reason
    assert seen == set(BLOCKING_MESSAGES) | set(WARNING_MESSAGES)
