"""Four county programmes beyond the seeds (tests/data/programmes), each enrolled household by household
and checked against premiums, contributions, periods and sums worked out by hand in the docstrings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fpdesk.core.catalog import load_catalog
from fpdesk.core.errors import DomainError
from fpdesk.core.product_terms import AgeTextError, parse_age_range
from fpdesk.core.products import load_product_file, load_products
from fpdesk.core.rules import EnrollmentFacts, HouseholdFacts, PersonFacts, judge
from fpdesk.core.vocabulary import HouseholdCategory as Cat
from fpdesk.core.vocabulary import PayerType, Relation, Sex

D = dt.date
FOLDER = Path(__file__).parents[1] / "data" / "programmes"
PRODUCTS = load_products(FOLDER)
HUSBAND = PersonFacts(D(1960, 3, 1), Sex.MALE, relation=Relation.HEAD, name="张建国")
WIFE = PersonFacts(D(1965, 6, 1), Sex.FEMALE, relation=Relation.SPOUSE, name="李秀兰")
CHILD = PersonFacts(D(2012, 9, 1), Sex.FEMALE, relation=Relation.DAUGHTER, name="张小红")


def household(*categories: Cat, **kwargs) -> HouseholdFacts:
    return HouseholdFacts(frozenset(categories), **kwargs)


def test_the_programme_folder_is_a_whole_catalog():
    catalog = load_catalog(FOLDER)
    assert set(catalog.products) == {"five_level_accident", "couple_elder_care", "category_price_family",
                                      "open_family_care"}


def test_five_levels_share_the_first_share_and_the_family_pays_the_second_in_full():
    """五级分担, ¥60 a household: province 5 + county 5 + township 10 + village 10 + family 30 = 60.

    Household (other_fp) of three, paid 2025-02-10, two shares:
      share 1: province 5, county 5, township 10, village 10, family 30
      share 2 (subsidy "每户限补助一份"): family 60
      premium 2 × 60 = ¥120; family 30 + 60 = ¥90; province ¥5, county ¥5, township ¥10, village ¥10.
    Cover: every policy from 2025-03-01 (fixed day) to 2026-02-28, though paid in February.
    Sums: accident ¥100,000 a share, × 2 shares = ¥200,000 split among 3 → 66,666.67 / 66,666.67 / 66,666.66
      (floor_remainder_first: the odd fen to the first listed); illness death ¥5,000 per person × 2 = ¥10,000;
      medical pool ¥10,000 × 2 = ¥20,000 shared by 3.
    A second household paying 2025-03-10 (late: a warning) is covered 2025-03-11 … 2026-02-28.
    """
    product = PRODUCTS["five_level_accident"]
    result = judge(product, household(Cat.OTHER_FP), [HUSBAND, WIFE, CHILD], EnrollmentFacts(D(2025, 2, 10), shares=2))
    assert result.eligible and result.premium_fen == 12000
    assert dict(result.contributions) == {"province": 500, "county": 500, "township": 1000, "village": 1000,
                                          "family": 9000}
    assert result.family_fen == 9000 and result.payer is PayerType.SELF
    assert result.period.as_pair() == ["2025-03-01", "2026-02-28"]
    accident = [next(c for c in p.covers if c.kind == "accident_death_disability").amount_fen for p in result.persons]
    assert accident == [6666667, 6666667, 6666666]
    illness = {next(c for c in p.covers if c.kind == "illness_death").amount_fen for p in result.persons}
    assert illness == {1000000}
    late = judge(product, household(Cat.OTHER_FP), [HUSBAND], EnrollmentFacts(D(2025, 3, 10)))
    assert late.period.as_pair() == ["2025-03-11", "2026-02-28"] and "enrollment_late" in [w.code for w in late.warnings]
    assert dict(late.contributions)["family"] == 3000


def test_a_household_with_its_subsidised_share_pays_a_second_share_alone():
    """Holding one share already (family_shares_held=1), one more share: family ¥60, nobody else."""
    product = PRODUCTS["five_level_accident"]
    result = judge(product, household(Cat.ONLY_CHILD), [HUSBAND], EnrollmentFacts(D(2025, 2, 10),
                                                                                  family_shares_held=1))
    assert result.premium_fen == 6000 and result.contributions == (("family", 6000),)


def test_ages_written_as_the_plan_writes_them_admit_28_days_to_70():
    """出生满28天至七十周岁（含）, judged on the cover start 2025-03-01:
    born 2025-02-01 → 28 days: in; born 2025-02-02 → 27 days: out; born 1954-03-02 → 70: in;
    born 1954-03-01 → 71 on that day: out."""
    product = PRODUCTS["five_level_accident"]
    people = [PersonFacts(D(2025, 2, 1)), PersonFacts(D(2025, 2, 2)), PersonFacts(D(1954, 3, 2)),
              PersonFacts(D(1954, 3, 1))]
    result = judge(product, household(Cat.OTHER_FP), people, EnrollmentFacts(D(2025, 1, 20)))
    assert [p.eligible for p in result.persons] == [True, False, True, False]


def test_city_and_county_pay_forty_and_each_parent_ten_within_the_campaign():
    """¥50 a person: city 20 + county 20 + person 10. Both parents insured (per person):
    premium 2 × 50 = ¥100; city ¥40, county ¥40, family ¥20. Paid 2021-01-05 (before the campaign
    starts): cover 2021-01-20 … 2022-01-19. Paid 2021-06-30: 2021-07-01 … 2022-01-19, same full price.
    The wife (born 1965-06-01) is 55 on 2021-01-20: within 满49周岁且不超过65周岁. The daughter is not a
    parent: not insured. Accident hospital allowance ¥50 a day, at most 90 days."""
    product = PRODUCTS["couple_elder_care"]
    result = judge(product, household(Cat.ONLY_CHILD), [HUSBAND, WIFE, CHILD], EnrollmentFacts(D(2021, 1, 5)))
    assert result.eligible and result.premium_fen == 10000
    assert result.contributions == (("prefecture", 4000), ("county", 4000), ("family", 2000))
    assert result.period.as_pair() == ["2021-01-20", "2022-01-19"]
    assert [p.eligible for p in result.persons] == [True, True, False]
    allowance = next(c for c in result.persons[0].covers if c.kind == "accident_hospital_allowance")
    assert (allowance.amount_per_day_fen, allowance.max_days_per_year) == (5000, 90)
    later = judge(product, household(Cat.ONLY_CHILD), [HUSBAND, WIFE], EnrollmentFacts(D(2021, 6, 30)))
    assert later.period.as_pair() == ["2021-07-01", "2022-01-19"] and later.premium_fen == 10000


def test_the_wifes_age_is_the_households_condition():
    """A wife born 1955-01-21 is 65 on 2021-01-20 (not yet 66): in. Born 1955-01-20: 66 that day: the
    household is refused (member_age_not_met), however young the husband. Born 1972-01-21: 48: refused.
    No woman among the parents: member_for_age_missing. After 2022-01-19 the campaign is over."""
    product = PRODUCTS["couple_elder_care"]
    on = EnrollmentFacts(D(2021, 1, 5))

    def with_wife(birth):
        return judge(product, household(Cat.ONLY_CHILD), [HUSBAND, PersonFacts(birth, Sex.FEMALE,
                                                                                 relation=Relation.SPOUSE)], on)

    assert with_wife(D(1955, 1, 21)).eligible
    assert with_wife(D(1955, 1, 20)).reason_codes == ["member_age_not_met"]
    assert with_wife(D(1972, 1, 21)).reason_codes == ["member_age_not_met"]
    assert "女方" in with_wife(D(1972, 1, 21)).reasons[0].message_zh
    alone = judge(product, household(Cat.ONLY_CHILD), [HUSBAND], on)
    assert alone.reason_codes == ["member_for_age_missing"]
    # the wife need not be insured herself: the household's members are what the condition reads
    told = judge(product, household(Cat.ONLY_CHILD, members=(HUSBAND, WIFE)), [HUSBAND], on)
    assert told.eligible and told.premium_fen == 5000
    over = judge(product, household(Cat.ONLY_CHILD), [HUSBAND, WIFE], EnrollmentFacts(D(2022, 1, 19)))
    assert "campaign_over" in over.reason_codes


def test_prices_by_category_and_the_poor_are_paid_by_the_government():
    """¥100 for only-child, two-daughter and poverty households, ¥110 for the others; day after payment.
    An only-child household paid 2024-06-05: ¥100 by the family, 2024-06-06 … 2025-06-05.
    Other FP: ¥110. Poverty (government pays): ¥100, contribution government ¥100, family ¥0.
    A household both poverty and other_fp: the lower price, ¥100.
    Ages 一周岁（含）以上至六十周岁（含） on 2024-06-06: the husband born 1960-03-01 is 64: out; the
    daughter (11) and wife (59 — born 1965-06-01, 59 on 2024-06-06) in; a baby born 2023-06-07 is 0: out.
    Sums: accident ¥150,000 split between 2 = ¥75,000 each; natural-disaster ¥50,000 → ¥25,000 each."""
    product = PRODUCTS["category_price_family"]
    on = EnrollmentFacts(D(2024, 6, 5))
    baby = PersonFacts(D(2023, 6, 7), relation=Relation.SON)
    only = judge(product, household(Cat.ONLY_CHILD), [HUSBAND, WIFE, CHILD, baby], on)
    assert only.premium_fen == 10000 and only.contributions == (("family", 10000),)
    assert only.period.as_pair() == ["2024-06-06", "2025-06-05"]
    assert [p.eligible for p in only.persons] == [False, True, True, False]
    disaster = [next(c for c in p.covers if c.kind == "natural_disaster_accident").amount_fen
                for p in only.persons if p.eligible]
    assert disaster == [2500000, 2500000]
    assert judge(product, household(Cat.OTHER_FP), [WIFE], on).premium_fen == 11000
    poor = judge(product, household(Cat.POVERTY_TARGETED), [WIFE], on)
    assert poor.premium_fen == 10000 and poor.payer is PayerType.GOVERNMENT
    assert poor.contributions == (("government", 10000),) and poor.family_fen == 0
    assert judge(product, household(Cat.POVERTY_TARGETED, Cat.OTHER_FP), [WIFE], on).premium_fen == 10000


def test_the_product_is_known_by_the_name_offices_write():
    product = PRODUCTS["category_price_family"]
    assert product.known_as("计生家庭意外伤害保险") and product.known_as(" category_price_family ")
    assert not product.known_as("计生家庭") and not PRODUCTS["open_family_care"].known_as("计生家庭意外伤害保险")


def test_an_open_product_takes_any_household_and_subsidises_family_planning_ones():
    """普惠, ¥60 a share, up to 3 shares; policies 01-20 … 01-19.
    A household of no FP category, 2 shares, paid 2025-01-05: ¥120, all by the family, 2025-01-20 … 2026-01-19.
    An only-child household, 2 shares: first share insurer 10 + city 3 + county 7 + family 40; second
    share family 60: premium ¥120, family ¥100. Paid 2025-02-01 (after the sign-up season 11-01 … 01-19,
    late entries allowed): cover 2025-02-02 … 2026-01-19; paid 2025-12-01 (the next season): 2026-01-20 …
    2027-01-19.
    Sums for 2 insured, 2 shares: accident ¥60,000 × 2 / 2 = ¥60,000 each; illness death ¥10,000 × 2 / 2
    = ¥10,000 each; hospital ¥30 × 2 = ¥60 a day, 60 days."""
    product = PRODUCTS["open_family_care"]
    anyone = judge(product, household(), [HUSBAND, WIFE], EnrollmentFacts(D(2025, 1, 5), shares=2))
    assert anyone.eligible and anyone.premium_fen == 12000 and anyone.contributions == (("family", 12000),)
    assert anyone.period.as_pair() == ["2025-01-20", "2026-01-19"]
    fp = judge(product, household(Cat.ONLY_CHILD), [HUSBAND, WIFE], EnrollmentFacts(D(2025, 2, 1), shares=2))
    assert fp.contributions == (("insurer_discount", 1000), ("prefecture", 300), ("county", 700), ("family", 10000))
    assert fp.premium_fen == 12000 and fp.period.as_pair() == ["2025-02-02", "2026-01-19"]
    december = judge(product, household(), [HUSBAND], EnrollmentFacts(D(2025, 12, 1)))
    assert december.period.as_pair() == ["2026-01-20", "2027-01-19"]
    covers = {c.kind: c for c in fp.persons[0].covers}
    assert covers["accident_death_disability"].amount_fen == 6000000
    assert covers["illness_death"].amount_fen == 1000000
    assert covers["accident_hospital_allowance"].amount_per_day_fen == 6000
    four = judge(product, household(), [HUSBAND], EnrollmentFacts(D(2025, 1, 5), shares=2, family_shares_held=2))
    assert "max_shares_exceeded" in four.reason_codes


def test_a_closed_product_still_refuses_households_of_no_category():
    result = judge(PRODUCTS["category_price_family"], household(), [WIFE], EnrollmentFacts(D(2024, 6, 5)))
    assert result.reason_codes == ["category_not_eligible"]


@pytest.mark.parametrize(("text", "expected"), [
    ("一周岁（含）以上至六十周岁（含）", (None, 1, 60)),
    ("出生满28天至65周岁（含65周岁）", (28, None, 65)),
    ("满49周岁且不超过65周岁", (None, 49, 65)),
    ("18-60周岁", (None, 18, 60)),
    ("六十周岁以下", (None, None, 60)),
    ("不满十八周岁", (None, None, 17)),
    ("16周岁（不含）以上至六十五周岁（不含）", (None, 17, 64)),
    ("年满十八周岁", (None, 18, None)),
])
def test_age_ranges_read_as_the_civil_code_reads_them(text, expected):
    found = parse_age_range(text)
    assert (found.min_days, found.min_years, found.max_years) == expected


@pytest.mark.parametrize("text", ["成年人", "超过18周岁", "六十周岁至十八周岁", "1至2至3周岁"])
def test_age_texts_that_cannot_be_read_are_refused(text):
    with pytest.raises(AgeTextError):
        parse_age_range(text)


def test_a_file_whose_levels_do_not_add_up_names_the_key(tmp_path):
    text = (FOLDER / "products" / "five_level_accident.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "five_level_accident.yaml"
    broken.write_text(text.replace("{payer: family, fen: 3000}", "{payer: family, fen: 2500}"), encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        load_product_file(broken)
    assert caught.value.code == "product_definition_invalid"
    assert caught.value.params["path"] == "contributions" and "55 元" in caught.value.params["detail_zh"]
    bad_age = tmp_path / "x.yaml"
    bad_age.write_text(text.replace("code: five_level_accident", "code: x").replace(
        "出生满28天至七十周岁（含）", "七十周岁至出生"), encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        load_product_file(bad_age)
    assert caught.value.params["path"] == "eligibility.ages"

