"""Statistics: the figures of docs/rules.md#provincial-figures reproduced from their inputs, the configurable statistical year
(S4 counts September to August), and claims counted in the loss ratio of the year they were paid in."""

import datetime as dt
from decimal import Decimal

import pytest

from fpdesk.core.statistics import Figures, differs, percent, ratio, statistical_year_labelled
from fpdesk.services.enrollment import claims
from fpdesk.services.reports.statistics import set_start_month, statistics
from fpdesk.services.reports.targets import set_population
from tests.progress_builders import PRODUCT, enroll_family, family, open_county

D = dt.date
TODAY = D(2027, 6, 30)


def test_beihai_care_2021_figures_from_the_same_inputs():
    # S4 Beihai care line: 64,000 households, 193,926 shares, ¥4,273,200 premium, 1,407 incidents, ¥1,405,800 paid
    care = Figures(shares=193926, premium_fen=427320000, claims_reported=1407, claims_paid=1407,
                   paid_fen=140580000, population=1853227)
    assert percent(care.loss_ratio) == "32.90%"
    assert care.premium_per_share_fen == 2204  # ¥22.04 a share
    assert percent(care.coverage_rate) == "10.46%"  # 193,926 ÷ 1,853,227 resident population
    assert care.paid_fen // care.claims_paid == 99914  # ≈ ¥999 per claim
    data = care.as_dict()
    assert data["loss_ratio_pct"] == 32.9 and data["loss_ratio_basis"].startswith("已付赔款")


def test_guangxi_loss_ratio_is_flagged_against_the_reported_52_2_percent():
    guangxi = Figures(shares=3061900, premium_fen=13151_0000_00, paid_fen=6297_7200_00, population=50126804)
    assert percent(guangxi.loss_ratio) == "47.89%"
    assert differs(guangxi.loss_ratio, Decimal("0.522"))  # the basis of 52.2 % is unknown (docs/rules.md#provincial-figures)
    assert percent(guangxi.coverage_rate) == "6.11%"
    assert percent(ratio(3061000, 2530000), 1) == "121.0%"  # completion of the 2.53 million target
    jingxi = Figures(shares=59853, premium_fen=179300000, paid_fen=37180000)
    assert percent(jingxi.loss_ratio) == "20.74%"
    assert percent(Figures(premium_fen=608830000, paid_fen=411970000).loss_ratio) == "67.67%"  # Qixing


def test_statistical_year_is_named_by_the_year_it_ends_in():
    guangxi = statistical_year_labelled(9, 2021)
    assert (guangxi.start, guangxi.end) == (D(2020, 9, 1), D(2021, 8, 31))
    calendar = statistical_year_labelled(1, 2021)
    assert (calendar.start, calendar.end) == (D(2021, 1, 1), D(2021, 12, 31))


@pytest.fixture
def county(db_url):
    ws = open_county(db_url)
    yield ws
    ws.close()


def paid_claim(ws, number, incident, paid_on, amount):
    ref = claims.register_claim(ws, person=number, kind="accidental_medical", incident_on=incident,
                                claimed_fen=amount, reported_on=incident, report_number=f"R{incident}",
                                today=TODAY).claim_no
    claims.set_documents(ws, ref, claims.rules.checklist("accidental_medical"), on=incident)
    claims.advance(ws, ref, "documents_complete", on=incident, today=TODAY)
    claims.advance(ws, ref, "submitted", on=incident, today=TODAY)
    claims.record_paid(ws, ref, paid_fen=amount, paid_on=paid_on, today=TODAY)
    return ref


def test_statistics_by_township_payer_and_year_with_claims_in_the_right_year(county):
    gov, (gov_head, *_) = family(county, "350421200201", ("two_daughters_sterilized",))
    own, (own_head, *_) = family(county, "350421200202")
    other, _ = family(county, "350421100201")
    last_year, _ = family(county, "350421100201")
    enroll_family(county, gov, D(2026, 3, 2))
    enroll_family(county, own, D(2026, 3, 2))
    enroll_family(county, other, D(2026, 4, 1))
    enroll_family(county, last_year, D(2025, 3, 2), year=2025)
    paid_claim(county, gov_head, D(2026, 5, 1), D(2026, 8, 20), 300000)   # paid in Sep25–Aug26
    paid_claim(county, own_head, D(2026, 8, 1), D(2026, 9, 5), 150000)    # reported in 2026, paid in Sep26–Aug27
    set_population(county, division_code="350421200", year=2026, residents=300)
    set_population(county, division_code="350421100201", year=2026, residents=100)
    set_population(county, division_code="350421", year=2026, residents=1000)

    set_start_month(county, 9)  # S4: September to August
    report = statistics(county, year=2026)
    assert (report.window.start, report.window.end) == (D(2025, 9, 1), D(2026, 8, 31))
    total = report.total
    assert (total.shares, total.premium_fen, total.claims_reported, total.claims_paid, total.paid_fen) == (
        3, 30000, 2, 1, 300000)
    assert percent(total.loss_ratio) == "1000.00%"
    assert percent(total.fiscal_share) == "33.33%" and percent(total.self_paid_share) == "66.67%"
    assert percent(total.coverage_rate) == "0.30%"  # 3 shares ÷ 1,000 residents of the county
    townships = {name: figures for _, name, figures in report.by_township}
    assert townships["城关乡"].shares == 2 and townships["城关乡"].population == 300
    assert townships["雪峰镇"].population == 100  # summed from its villages
    assert dict(report.by_payer)["government"].premium_fen == 10000
    # the previous statistical year (Sep 2024 – Aug 2025) had one enrollment: +2 shares
    data = report.as_dict()
    assert data["total"]["change"]["shares"] == 2 and data["total"]["previous"]["shares"] == 1
    assert data["basis"]["loss_ratio"].startswith("已付赔款")
    # the claim paid on 5 September 2026 belongs to Guangxi's 2027
    later = statistics(county, year=2027).total
    assert (later.paid_fen, later.claims_paid, later.shares) == (150000, 1, 0)
    # the calendar year counts both payments in 2026
    calendar = statistics(county, year=2026, start_month=1).total
    assert (calendar.paid_fen, calendar.claims_paid, calendar.shares) == (450000, 2, 3)
    assert statistics(county, year=2026, start_month=1, product=PRODUCT).total.shares == 3


def test_only_a_user_who_may_change_settings_sets_the_statistical_year(county):
    from fpdesk.core.errors import DomainError
    from fpdesk.services.reports.statistics import default_start_month
    from fpdesk.services.trust import accounts

    for name, role in (("boss", "admin"), ("clerk", "data_entry")):
        accounts.add_user(county, name=name, password=f"{name}-password", role=role)
    accounts.log_in(county, "clerk", "clerk-password")
    with pytest.raises(DomainError) as caught:
        set_start_month(county, 9)
    assert caught.value.code == "not_permitted" and default_start_month(county, None) == 1
    assert statistics(county, year=2026, start_month=9).window.start == D(2025, 9, 1)  # reading stays open
    accounts.log_in(county, "boss", "boss-password")
    set_start_month(county, 9)
    assert default_start_month(county, None) == 9


def test_a_single_payers_premium_counts_at_its_payers_level_with_or_without_contribution_rows(county):
    """The seed product, ¥100 a household: a two-daughter household (政府投保) and an other household
    (自主投保) enrolled 2026-03-02 and received. By payer level: the government ¥100 (50 %), the family
    ¥100 (50 %) — the premium of ¥200 once. An enrollment written before contributions were stored (its
    row taken away here) owes its whole premium at its payer's level: the same figures, not ¥300."""
    from sqlalchemy import delete

    from fpdesk.storage.schema_money import Contribution

    gov, _ = family(county, "350421200201", ("two_daughters_sterilized",))
    own, _ = family(county, "350421200202")
    enroll_family(county, gov, D(2026, 3, 2))
    older = enroll_family(county, own, D(2026, 3, 2)).enrollment_id
    report = statistics(county, year=2026, start_month=1)
    assert report.total.premium_fen == 20000 and report.by_level == [("government", 10000), ("self", 10000)]
    assert [(x["label_zh"], x["share_pct"]) for x in report.as_dict()["by_level"]] == [
        ("政府", 50.0), ("个人（家庭）", 50.0)]
    with county.db.transaction() as session:  # as an old database holds it: around the write path
        session.execute(delete(Contribution).where(Contribution.enrollment_id == older))
    assert statistics(county, year=2026, start_month=1).by_level == [("government", 10000), ("self", 10000)]
