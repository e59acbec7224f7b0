"""S2 海门市 (only_child_safety, only_child_parents_ankang) walked through, with the programme's
sentences as the working:

- 「转型保险就是将…独生子女父母奖励金，直接转为“独生子女平安保险”（每份20元…）和“独生子女父母安康保险”
  （每份20元…）」: ¥20 a share, paid from the reward, never in cash by the family;
- 「独生子女父母奖励金经费由乡镇、园区在村级三项经费中安排支出」 / 「由企（事）业承担和发放的」: the
  township's budget, or the employer;
- 「核实后分别报镇财政所和相关保险公司，由镇财政所核实并划拨转型保险资金」: handed up, then allocated;
- 「承保期限为一年」 and 「每年12月31日前完成次年的参保工作」: December buys the next calendar year (the
  year's start is the definition's stated assumption); January to November is late for the running year.

The households are registered in the test office's villages (the program keys nothing on the county).
"""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core.errors import DomainError
from fpdesk.core.vocabulary import Relation
from fpdesk.services.enrollment import members, status
from fpdesk.services.enrollment.hand_up import confirm_roster, hand_up_roster
from fpdesk.services.enrollment.reconciliation import reconcile
from fpdesk.services.reports.statistics import statistics
from fpdesk.services.rosters.export import export_roster
from tests.walks.walk_helpers import allocated, certificate_text, counts, details, enrolled, family, period

D = dt.date
SAFETY, ANKANG = "only_child_safety", "only_child_parents_ankang"
TOWNSHIP_PAYS = {"reward_paid_by": "乡镇（园区）"}
EMPLOYER_PAYS = {"reward_paid_by": "企事业单位"}
LUOCUI = "350421200201"


def only_child_family(ws, *, with_mother: bool = True, certificate="苏独字第0012345号"):
    people = [("张建国", D(1978, 2, 1), Relation.HEAD), ("张小宝", D(2005, 6, 1), Relation.SON)]
    if with_mother:
        people.insert(1, ("李美华", D(1979, 8, 8), Relation.SPOUSE))
    return family(ws, LUOCUI, ("only_child",), people, rural=True, reward=True, certificate=certificate,
                  today=D(2012, 12, 1))


def test_registration_in_december_buys_next_year_and_is_not_cover_until_allocated(workspace):
    """Registered 2012-12-28 (the pilot's 27–31 December): ¥20, the township pays, cover 2013-01-01 …
    2013-12-31 (known at once: a fixed cycle). Nothing allocated yet: as of 2013-01-05, 0 insured and 1
    registered-unpaid for 2013; a receipt for the family is refused."""
    household, _ = only_child_family(workspace)
    result = enrolled(workspace, SAFETY, 2013, household, D(2012, 12, 28), form=TOWNSHIP_PAYS)
    assert (result.payer, result.premium_fen, result.period) == ("government", 2000, (D(2013, 1, 1), D(2013, 12, 31)))
    assert [i.name for i in result.insured] == ["张小宝"]  # 平安保险 insures the only child
    assert counts(workspace, 2013, SAFETY, D(2013, 1, 5))[0] == (0, 1)
    with pytest.raises(DomainError) as caught:
        status.record_payment(workspace, result.enrollment_id, amount_fen=2000, paid_on=D(2012, 12, 28),
                              today=D(2012, 12, 28))
    assert caught.value.code == "not_paid_in_cash"


def test_a_late_allocation_keeps_the_year_but_counts_from_the_day_it_arrives(workspace):
    """Allocated 2013-01-10: the cover stays 2013-01-01 … 12-31 (the roster's year), counted insured from
    01-10 (0 on 01-09). Statistics count the policy in 2013, the year its cover starts — not in 2012,
    when it was entered."""
    household, _ = only_child_family(workspace)
    result = enrolled(workspace, SAFETY, 2013, household, D(2012, 12, 28), form=TOWNSHIP_PAYS)
    allocated(workspace, D(2013, 1, 10), enrollment_ids=[result.enrollment_id], today=D(2013, 1, 10))
    assert period(workspace, result.enrollment_id) == (D(2013, 1, 1), D(2013, 12, 31))
    assert counts(workspace, 2013, SAFETY, D(2013, 1, 9))[0] == (0, 1)
    assert counts(workspace, 2013, SAFETY, D(2013, 1, 10))[0] == (1, 0)
    assert statistics(workspace, year=2012, start_month=1, product=SAFETY, with_previous=False).total.shares == 0
    assert statistics(workspace, year=2013, start_month=1, product=SAFETY, with_previous=False).total.shares == 1


def test_renewal_in_december_follows_on_and_a_january_renewal_is_late_with_a_gap(workspace):
    """2013 cover 01-01 … 12-31 for two households. Early: registered 2013-12-20 for 2014 → 2014-01-01 …
    12-31, no gap. Late: registered 2014-01-20, after 2013-12-31 (accepted, warned; the next sign-up
    opens 2014-12-01) → covered 2014-01-21 … 12-31 for the full ¥20 (S2 prices no part of a year);
    2014-01-01 … 01-20, 20 days, without cover. An entry for 2015 on 2014-11-20 is not yet open."""
    early_household, _ = only_child_family(workspace)
    late_household, _ = only_child_family(workspace, certificate="苏独字第0012346号")
    for household in (early_household, late_household):
        last = enrolled(workspace, SAFETY, 2013, household, D(2012, 12, 28), form=TOWNSHIP_PAYS)
        allocated(workspace, D(2012, 12, 31), enrollment_ids=[last.enrollment_id])
    early = enrolled(workspace, SAFETY, 2014, early_household, D(2013, 12, 20), form=TOWNSHIP_PAYS)
    assert early.period == (D(2014, 1, 1), D(2014, 12, 31)) and details(workspace, early.enrollment_id)["cover_gap"] is None
    late = enrolled(workspace, SAFETY, 2014, late_household, D(2014, 1, 20), form=TOWNSHIP_PAYS)
    warnings = {w.code: w.message_zh for w in late.warnings}
    assert "下次登记期2014-12-01起" in warnings["enrollment_late"] and "共20天没有保障" in warnings["cover_gap"]
    assert (late.period, late.premium_fen) == ((D(2014, 1, 21), D(2014, 12, 31)), 2000)
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, SAFETY, 2015, early_household, D(2014, 11, 20), form=TOWNSHIP_PAYS)
    assert caught.value.params["reason_codes"] == ["outside_enrollment_window"]
    assert "下次登记期2014-12-01起" in caught.value.message_zh


def test_a_parent_added_mid_year_joins_the_share_at_no_premium(workspace):
    """安康保险: one ¥20 share covers the parents. Enrolled in December with the father only (the mother
    registered later); she is added 2013-06-30 and covered 2013-07-01 … 12-31; the premium stays ¥20 and
    each parent keeps the per-person ¥10,000 accident sum."""
    household, numbers = only_child_family(workspace)
    result = enrolled(workspace, ANKANG, 2013, household, D(2012, 12, 28), form=TOWNSHIP_PAYS,
                      exclude=[numbers["李美华"]])
    allocated(workspace, D(2013, 1, 10), enrollment_ids=[result.enrollment_id], today=D(2013, 1, 10))
    members.add_insured(workspace, result.enrollment_id, numbers["李美华"], on=D(2013, 6, 30), today=D(2013, 6, 30))
    d = details(workspace, result.enrollment_id)
    assert d["premium_fen"] == 2000 and d["owed_fen"] == 0
    assert {p["name"]: p["cover"] for p in d["insured"]} == {"张建国": [D(2013, 1, 1), D(2013, 12, 31)],
                                                             "李美华": [D(2013, 7, 1), D(2013, 12, 31)]}
    assert {p["sums_insured"][0]["amount_fen"] for p in d["insured"]} == {1000000}


def test_a_township_roster_and_an_employer_borne_reward_are_allocated_by_their_payers(workspace, tmp_path):
    """Three households, 平安保险 for 2013, registered 12-28: two rewards paid by the township, one by an
    enterprise (「由企（事）业承担」) — employer-paid, not government-paid; a family asking to pay itself is
    refused. Handed up 12-30 (HM2013-001), 3 households. The township's voucher settles ¥40, the
    employer's ¥20; the insurer confirms 2013-01-05. Certificates: 奖励金转型 twice and 奖励金转型（单位承担）
    once; the finance office's list holds the two government-paid children (¥40)."""
    township = [only_child_family(workspace, certificate=f"苏独字第00200{i}号")[0] for i in range(2)]
    company, _ = only_child_family(workspace, certificate="苏独字第0020099号")
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, SAFETY, 2013, township[0], D(2012, 12, 28), form=TOWNSHIP_PAYS, payer="self")
    assert caught.value.params["reason_codes"] == ["payer_not_funding"]
    results = [enrolled(workspace, SAFETY, 2013, h, D(2012, 12, 28), form=TOWNSHIP_PAYS) for h in township]
    borne = enrolled(workspace, SAFETY, 2013, company, D(2012, 12, 28), form=EMPLOYER_PAYS)
    assert [r.payer for r in results] + [borne.payer] == ["government", "government", "employer"]
    up = hand_up_roster(workspace, product=SAFETY, year=2013, scope=LUOCUI, policy_number="HM2013-001",
                        on=D(2012, 12, 30), today=D(2012, 12, 30))
    assert (up.totals["households"], up.totals["awaiting_allocation_fen"]) == (3, 6000)
    township_money = allocated(workspace, D(2012, 12, 31), roster="HM2013-001")
    employer_money = allocated(workspace, D(2012, 12, 31), roster="HM2013-001", payer="employer")
    assert (township_money.allocated_fen, employer_money.allocated_fen) == (4000, 2000)
    assert confirm_roster(workspace, policy_number="HM2013-001", on=D(2013, 1, 5), today=D(2013, 1, 5)).confirmed == 3
    text = certificate_text(workspace, tmp_path / "c.pdf", D(2013, 1, 5), year=2013)
    assert text.count("奖励金转型（单位承担）") == 1 and text.count("奖励金转型") == 3
    export = export_roster(workspace, year=2013, audience="finance", product=SAFETY, out=tmp_path / "f.xlsx",
                           today=D(2013, 1, 5))
    assert export.rows == 2


def test_a_refund_goes_back_to_the_township(workspace):
    """A child found ineligible after the allocation: the enrollment is refunded 2013-03-01 and the ¥20 goes
    back to the government, which then owes nothing and has nothing outstanding."""
    household, _ = only_child_family(workspace)
    result = enrolled(workspace, SAFETY, 2013, household, D(2012, 12, 28), form=TOWNSHIP_PAYS)
    allocated(workspace, D(2013, 1, 10), enrollment_ids=[result.enrollment_id], today=D(2013, 1, 10))
    status.refund(workspace, result.enrollment_id, reason="独生子女已满15周岁", on=D(2013, 3, 1), today=D(2013, 3, 1))
    assert [(r["payer"], r["amount_fen"]) for r in details(workspace, result.enrollment_id)["refunds"]] == [
        ("government", 2000)]
    [government] = reconcile(workspace, year=2013).payers
    assert (government.owed_fen, government.allocated_fen, government.refunded_fen) == (0, 2000, 2000)
    assert government.outstanding_fen == 0


def test_walk_s2_the_december_campaign_for_next_year(workspace, tmp_path):
    """Two only-child households in the 2012 December campaign for 2013, both products each: per household
    1 平安 share (the child) + 1 安康 share (both parents) = 2 shares, 3 persons; ¥40. Handed up on 12-30,
    allocated 12-31 (¥80 for the two households), confirmed 2013-01-05. Statistics of 2013 (cover year):
    4 shares and 6 insured persons, counted apart; of 2012: none. Progress of 2013 as of 01-06: 4 insured
    shares (平安 per child, 安康 per share), nothing unpaid; the insurer's list: 6 persons."""
    households = [only_child_family(workspace, certificate=f"苏独字第00300{i}号")[0] for i in range(2)]
    for household in households:
        for product in (SAFETY, ANKANG):
            enrolled(workspace, product, 2013, household, D(2012, 12, 28), form=TOWNSHIP_PAYS)
    for product in (SAFETY, ANKANG):
        hand_up_roster(workspace, product=product, year=2013, scope=LUOCUI, policy_number=f"HM-{product}",
                       on=D(2012, 12, 30), today=D(2012, 12, 30))
        allocated(workspace, D(2012, 12, 31), roster=f"HM-{product}")
        confirm_roster(workspace, policy_number=f"HM-{product}", on=D(2013, 1, 5), today=D(2013, 1, 5))
    stats = statistics(workspace, year=2013, start_month=1, with_previous=True)
    assert (stats.total.shares, stats.total.persons, stats.total.premium_fen) == (4, 6, 8000)
    assert stats.total.previous.shares == 0  # nothing of this campaign in 2012
    from fpdesk.services.reports.target_progress import progress

    report = progress(workspace, year=2013, as_of=D(2013, 1, 6))
    assert (report.total.enrolled.government, report.total.unpaid.total) == (4, 0)
    rows = 0
    for product in (SAFETY, ANKANG):
        rows += export_roster(workspace, year=2013, audience="insurer", product=product,
                              out=tmp_path / f"{product}.xlsx", today=D(2013, 1, 6)).rows
    assert rows == 6
    assert reconcile(workspace, year=2013).differences == []
