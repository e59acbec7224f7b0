"""Policy periods, enrollment windows and deadlines, statistical years (docs/rules.md#policy-period,
docs/rules.md#deadline, docs/rules.md#statistical-year)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from fpdesk.core.products import Product, load_products
from fpdesk.core.rules import EnrollmentFacts, HouseholdFacts, PersonFacts, judge_person
from fpdesk.core.rules_calendar import is_historical, policy_period, statistical_year, window_status
from fpdesk.core.vocabulary import HouseholdCategory

D = dt.date


@cache
def product(code: str) -> Product:
    return load_products()[code]


@pytest.mark.parametrize(("paid", "start", "end"), [
    (D(2020, 4, 15), D(2020, 4, 16), D(2021, 4, 15)),   # docs/rules.md#policy-period's example
    (D(2020, 2, 28), D(2020, 2, 29), D(2021, 2, 28)),   # starts on 29 Feb: ends 28 Feb
    (D(2019, 2, 28), D(2019, 3, 1), D(2020, 2, 29)),    # runs over a leap day
    (D(2020, 12, 31), D(2021, 1, 1), D(2021, 12, 31)),
])
def test_day_after_payment_runs_one_year(paid, start, end):
    period = policy_period(product("fp_family_accident_100"), paid)
    assert (period.start, period.end) == (start, end)
    assert period.as_pair() == [start.isoformat(), end.isoformat()]


@pytest.mark.parametrize(("enrolled", "start", "end"), [
    (D(2012, 12, 28), D(2013, 1, 1), D(2013, 12, 31)),   # December window buys next year
    (D(2013, 12, 31), D(2014, 1, 1), D(2014, 12, 31)),   # the deadline day itself
    (D(2013, 3, 10), D(2013, 3, 11), D(2013, 12, 31)),   # late entry (history): rest of the year
])
def test_haimen_cover_is_the_next_calendar_year(enrolled, start, end):
    period = policy_period(product("only_child_safety"), enrolled)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(("added", "start", "end"), [
    (D(2022, 1, 1), D(2022, 1, 2), D(2022, 12, 31)),
    (D(2022, 6, 15), D(2022, 6, 16), D(2022, 12, 31)),   # mid-term addition (docs/rules.md#mid-term-changes)
    (D(2022, 12, 31), D(2023, 1, 1), D(2023, 12, 31)),   # added on the last day: next cycle
])
def test_fixed_cycle_mid_term_additions_start_the_next_day(added, start, end):
    period = policy_period(product("special_family_hospital_care"), added)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(("on", "state", "days_left"), [
    (D(2020, 1, 1), "open", 120),
    (D(2020, 4, 15), "open", 15),
    (D(2020, 4, 16), "closing_soon", 14),   # warn 14 days before the deadline
    (D(2020, 4, 30), "closing_soon", 0),    # the deadline day is still open
    (D(2020, 5, 1), "closed", None),
    (D(2020, 12, 31), "closed", None),
])
def test_s1_window_open_closing_soon_closed(on, state, days_left):
    status = window_status(product("fp_family_accident_100"), on)
    assert (status.state, status.days_left) == (state, days_left)
    assert status.deadline == D(2020, 4, 30) and status.cover_year == 2020


@pytest.mark.parametrize(("on", "state", "season", "cover_year", "next_opens"), [
    # "每年12月31日前完成次年的参保工作": January to November is after the deadline of the season that
    # covers the running year (a late entry for it), and the next sign-up opens on 1 December.
    (D(2012, 11, 30), "closed", 2011, 2012, D(2012, 12, 1)),
    (D(2012, 12, 1), "open", 2012, 2013, None),
    (D(2012, 12, 27), "closing_soon", 2012, 2013, None),
    (D(2013, 1, 5), "closed", 2012, 2013, D(2013, 12, 1)),
])
def test_s2_window_is_december_for_the_next_year(on, state, season, cover_year, next_opens):
    status = window_status(product("only_child_safety"), on)
    assert (status.state, status.season, status.cover_year) == (state, season, cover_year)
    assert status.next_opens == next_opens


def test_asked_for_next_year_before_its_sign_up_opens_is_not_yet_open():
    status = window_status(product("only_child_safety"), D(2012, 11, 30), cover_year=2013)
    assert (status.state, status.season, status.cover_year, status.next_opens) == (
        "not_yet_open", 2012, 2013, D(2012, 12, 1))
    result = judge_person(product("only_child_safety"), PersonFacts(D(2010, 1, 1), role="only_child"),
                          HouseholdFacts(frozenset({HouseholdCategory.ONLY_CHILD}), "苏独字第1号", True, True),
                          EnrollmentFacts(D(2012, 11, 30), policy_year=2013))
    assert result.reason_codes == ["outside_enrollment_window"]
    assert "下次登记期2012-12-01起" in result.reasons[0].message_zh


@pytest.mark.parametrize(("on", "state", "season"), [
    (D(2020, 9, 1), "open", 2021),           # Guangxi's year runs September to August
    (D(2021, 8, 20), "closing_soon", 2021),
    (D(2021, 8, 31), "closing_soon", 2021),
    (D(2021, 9, 1), "open", 2022),
])
def test_a_window_over_new_year_is_named_by_its_deadline(on, state, season):
    status = window_status(product("gx_care_quanjiafu"), on)
    assert (status.state, status.season) == (state, season)


def test_a_product_without_window_is_open_all_year():
    assert window_status(product("special_family_hospital_care"), D(2022, 7, 1)).state == "year_round"


OTHER_FP = HouseholdFacts(categories=frozenset({HouseholdCategory.OTHER_FP}))
ADULT = PersonFacts(D(1980, 6, 1))


@pytest.mark.parametrize(("enrolled", "recorded", "eligible", "codes", "warnings"), [
    (D(2020, 4, 30), None, True, [], ["enrollment_closing_soon"]),
    # "每年 4月30日前完成" is a campaign deadline: a later entry is late, accepted with a warning
    (D(2020, 5, 1), None, True, [], ["enrollment_late"]),
    (D(2020, 5, 1), D(2020, 6, 1), True, [], ["enrollment_late"]),             # same season: late too
    (D(2019, 10, 8), D(2020, 3, 1), True, [], ["historical_record"]),          # last year's roster, copied now
    (D(2019, 3, 8), D(2021, 3, 1), True, [], ["historical_record"]),
])
def test_a_passed_deadline_makes_current_entries_late_but_not_history(enrolled, recorded, eligible, codes, warnings):
    result = judge_person(product("fp_family_accident_100"), ADULT, OTHER_FP,
                          EnrollmentFacts(enrolled, recorded_on=recorded))
    assert result.eligible is eligible
    assert result.reason_codes == codes
    assert [w.code for w in result.warnings if w.code != "assumed_terms"] == warnings
    assert result.historical is ("historical_record" in warnings)
    assert result.period.start == enrolled + dt.timedelta(days=1)  # judged at its own date


def test_a_late_entry_names_the_day_sign_up_opens_next():
    result = judge_person(product("fp_family_accident_100"), ADULT, OTHER_FP, EnrollmentFacts(D(2020, 7, 15)))
    [late] = [w for w in result.warnings if w.code == "enrollment_late"]
    assert late.message_zh == "登记期已于2020-04-30截止，2020-07-15登记为逾期登记（2020年度）；下次登记期2021-01-01起。"
    assert result.window.next_opens == D(2021, 1, 1) and result.window.cover_year == 2020


def test_history_is_still_judged_by_the_other_rules_at_its_own_date():
    # 66 on the 2019 cover start: refused for age even though the window does not apply.
    old = PersonFacts(D(1953, 1, 1))
    result = judge_person(product("fp_family_accident_100"), old, OTHER_FP,
                          EnrollmentFacts(D(2019, 10, 8), recorded_on=D(2020, 3, 1)))
    assert result.reason_codes == ["age_above_max"]
    assert is_historical(product("fp_family_accident_100"), D(2019, 10, 8), D(2020, 3, 1))
    assert not is_historical(product("special_family_hospital_care"), D(2019, 10, 8), D(2020, 3, 1))


@pytest.mark.parametrize(("start_month", "on", "start", "end", "label"), [
    (9, D(2021, 8, 31), D(2020, 9, 1), D(2021, 8, 31), 2021),   # 2020年9月至2021年8月
    (9, D(2020, 9, 1), D(2020, 9, 1), D(2021, 8, 31), 2021),
    (9, D(2020, 8, 31), D(2019, 9, 1), D(2020, 8, 31), 2020),
    (1, D(2020, 6, 1), D(2020, 1, 1), D(2020, 12, 31), 2020),
])
def test_statistical_year(start_month, on, start, end, label):
    year = statistical_year(start_month, on)
    assert (year.start, year.end, year.label) == (start, end, label)
    assert year.contains(on)
