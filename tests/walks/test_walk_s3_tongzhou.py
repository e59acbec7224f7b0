"""S3 通州区 (special_family_hospital_care) walked through, with the programme's sentences as the working:

- 「领取北京市独生子女死亡特别扶助金人员」 / 「从北京市奖扶特扶信息管理系统导出当年对象花名册」: the list is
  who is insured — and who is missed or extra;
- 「所需资金由市对区一般转移支付…经费中列支，保费标准不超过300元/人/年」: ¥300 a person, government only;
- 「保障周期为1年，从保单生效之日起计算」: the cycle (its start, 1 January, is the definition's assumption);
- 「如承保期内人员数量有增减，保险公司按实际人数承保，保险责任不变」: part of the cycle costs that part of
  ¥300 by days (rounded half up to the fen; the by-days pricing is the stated assumption), in and out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core.errors import DomainError
from fpdesk.core.vocabulary import Relation
from fpdesk.services.enrollment import members, status
from fpdesk.services.enrollment.eligible_list import import_eligible_list
from fpdesk.services.enrollment.hand_up import hand_up_roster
from fpdesk.services.enrollment.reconciliation import reconcile
from fpdesk.services.reports.coverage_check import run_check
from tests.walks.walk_helpers import allocated, certificate_text, counts, details, enrolled, family

D = dt.date
P = "special_family_hospital_care"
LUOCUI = "350421200201"


def form(year):
    return {"list_year": year}


def bereaved(ws, *, surname="王"):
    return family(ws, LUOCUI, ("special_bereaved",), [(f"{surname}德福", D(1958, 3, 1), Relation.HEAD),
                                                      (f"{surname}桂兰", D(1960, 5, 5), Relation.SPOUSE)],
                  today=D(2021, 12, 1))


def listed(ws, tmp_path, year, numbers, *, replace=False):
    path = tmp_path / f"list-{year}-{len(numbers)}.csv"
    path.write_text("身份证号码\n" + "\n".join(numbers) + "\n", encoding="utf-8")
    import_eligible_list(ws, path, product=P, year=year, list_name=f"{year}年特扶对象", replace=replace)


def test_registration_before_the_cycle_covers_the_whole_year_for_the_government_only(workspace, tmp_path):
    """A couple on the 2022 list, enrolled 2021-12-20 for 2022: covered 2022-01-01 … 12-31, 2 × ¥300 = ¥600,
    government-paid; asked to be self-paid it is refused; someone in the category but not on the list
    is refused."""
    household, numbers = bereaved(workspace)
    listed(workspace, tmp_path, 2022, [numbers["王德福"]])
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, P, 2022, household, D(2021, 12, 20), form=form(2022))
    assert caught.value.params["reason_codes"] == ["not_on_eligible_list"]
    listed(workspace, tmp_path, 2022, list(numbers.values()))
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, P, 2022, household, D(2021, 12, 20), form=form(2022), payer="self")
    assert caught.value.params["reason_codes"] == ["payer_not_funding"]
    result = enrolled(workspace, P, 2022, household, D(2021, 12, 20), form=form(2022))
    assert (result.payer, result.premium_fen, result.period) == ("government", 60000,
                                                                 (D(2022, 1, 1), D(2022, 12, 31)))
    assert counts(workspace, 2022, P, D(2022, 1, 2))[0] == (0, 2)  # per person; nothing allocated yet


def test_a_late_allocation_keeps_the_cycle_and_counts_from_its_day(workspace, tmp_path):
    """The district's money arrives 2022-02-15: the cover stays the cycle, 2022-01-01 … 12-31; the two are
    counted insured from 02-15 (on 02-14: 0 insured, 2 registered-unpaid)."""
    household, numbers = bereaved(workspace)
    listed(workspace, tmp_path, 2022, list(numbers.values()))
    result = enrolled(workspace, P, 2022, household, D(2021, 12, 20), form=form(2022))
    allocated(workspace, D(2022, 2, 15), enrollment_ids=[result.enrollment_id])
    assert tuple(details(workspace, result.enrollment_id)["period"]) == (D(2022, 1, 1), D(2022, 12, 31))
    assert counts(workspace, 2022, P, D(2022, 2, 14))[0] == (0, 2)
    assert counts(workspace, 2022, P, D(2022, 2, 15))[0] == (2, 0)


def test_renewal_before_the_cycle_and_late_in_it(workspace, tmp_path):
    """Both households insured for 2022 (to 12-31). Early: enrolled for 2023 on 2022-12-20 → 2023-01-01 …
    12-31, ¥600, no gap. Late: enrolled 2023-03-01 → 03-02 … 12-31, which is 30 + 30 + 31 + 30 + 31 +
    31 + 30 + 31 + 30 + 31 = 305 of 365 days: 30000 × 305 ÷ 365 = 25068.49 → ¥250.68 a person, ¥501.36;
    2023-01-01 … 03-01 (31 + 28 + 1 = 60 days) without cover, said and reported."""
    early_household, early_numbers = bereaved(workspace)
    late_household, late_numbers = bereaved(workspace, surname="赵")
    everyone = [*early_numbers.values(), *late_numbers.values()]
    for year in (2022, 2023):
        listed(workspace, tmp_path, year, everyone)
    for household in (early_household, late_household):
        last = enrolled(workspace, P, 2022, household, D(2021, 12, 20), form=form(2022))
        allocated(workspace, D(2021, 12, 28), enrollment_ids=[last.enrollment_id])
    early = enrolled(workspace, P, 2023, early_household, D(2022, 12, 20), form=form(2023))
    assert (early.period, early.premium_fen) == ((D(2023, 1, 1), D(2023, 12, 31)), 60000)
    late = enrolled(workspace, P, 2023, late_household, D(2023, 3, 1), form=form(2023))
    assert (late.period, late.premium_fen) == ((D(2023, 3, 2), D(2023, 12, 31)), 2 * 25068)
    assert "2023-01-01至2023-03-01共60天没有保障" in {w.code: w.message_zh for w in late.warnings}["cover_gap"]
    gaps = [f for f in run_check(workspace, year=2023, product=P, today=D(2023, 3, 2)).findings
            if f.code == "renewal_gap"]
    assert len(gaps) == 1 and "共60天没有保障" in gaps[0].message_zh


def test_a_person_added_mid_year_pays_for_the_days_covered(workspace, tmp_path):
    """The husband insured for 2022 from 01-01 (¥300, allocated); his wife reaches the list mid-year and is
    added 2022-07-01: covered 07-02 … 12-31, that is 30 (July 2–31) + 31 + 30 + 31 + 30 + 31 = 183 of 365
    days: 30000 × 183 ÷ 365 = 15041.10 → ¥150.41.
    The government owes ¥150.41 more; an allocation of that settles it. Her certificate line gives her
    own period, 2022-07-02 至 2022-12-31."""
    household, numbers = bereaved(workspace)
    listed(workspace, tmp_path, 2022, [numbers["王德福"]])
    result = enrolled(workspace, P, 2022, household, D(2021, 12, 20), form=form(2022),
                      exclude=[numbers["王桂兰"]])
    allocated(workspace, D(2021, 12, 28), enrollment_ids=[result.enrollment_id])
    listed(workspace, tmp_path, 2022, [numbers["王桂兰"]])
    members.add_insured(workspace, result.enrollment_id, numbers["王桂兰"], on=D(2022, 7, 1), today=D(2022, 7, 1))
    d = details(workspace, result.enrollment_id)
    assert (d["premium_fen"], d["owed_fen"]) == (30000 + 15041, 15041)
    assert {p["name"]: p["cover"] for p in d["insured"]}["王桂兰"] == [D(2022, 7, 2), D(2022, 12, 31)]
    money = allocated(workspace, D(2022, 7, 10), enrollment_ids=[result.enrollment_id])
    assert money.allocated_fen == 15041 and details(workspace, result.enrollment_id)["owed_fen"] == 0
    text = certificate_text(workspace, tmp_path / "c.pdf", D(2022, 7, 10), year=2022)
    assert "本人保障期间 2022-07-02 至 2022-12-31" in text


def test_a_roster_allocated_in_bulk_and_a_death_refunded_by_days(workspace, tmp_path):
    """Three bereaved couples (6 persons) enrolled 2021-12-20 for 2022, handed up 12-25, allocated in one
    voucher of ¥1,800 on 12-28. One insured person dies 2022-09-30 (covered to 24:00 that day): of the
    ¥300, 01-01 … 09-30 is 273 days, 30000 × 273 ÷ 365 = 22438.36 → ¥224.38 kept, ¥75.62 given back to
    the government. Reconciliation: owed ¥1,724.38, allocated ¥1,800.00, refunded ¥75.62 — square.
    As of 10-01: 5 insured persons."""
    households = [bereaved(workspace, surname=s) for s in ("王", "赵", "孙")]
    listed(workspace, tmp_path, 2022, [n for _, numbers in households for n in numbers.values()])
    results = [enrolled(workspace, P, 2022, h, D(2021, 12, 20), form=form(2022)) for h, _ in households]
    up = hand_up_roster(workspace, product=P, year=2022, scope=LUOCUI, policy_number="TZ2022-01",
                        on=D(2021, 12, 25), today=D(2021, 12, 25))
    assert (up.totals["households"], up.totals["persons"], up.totals["awaiting_allocation_fen"]) == (3, 6, 180000)
    money = allocated(workspace, D(2021, 12, 28), roster="TZ2022-01")
    assert (money.allocated_fen, money.received) == (180000, 3)
    members.remove_insured(workspace, results[0].enrollment_id, households[0][1]["王桂兰"], on=D(2022, 9, 30),
                           reason="去世", today=D(2022, 10, 1))
    d = details(workspace, results[0].enrollment_id)
    assert d["premium_fen"] == 60000 - 7562
    assert [(r["payer"], r["amount_fen"]) for r in d["refunds"]] == [("government", 7562)]
    [government] = reconcile(workspace, year=2022).payers
    assert (government.owed_fen, government.allocated_fen, government.refunded_fen,
            government.outstanding_fen) == (172438, 180000, 7562, 0)
    assert counts(workspace, 2022, P, D(2022, 10, 1))[0] == (5, 0)


def test_walk_s3_the_list_is_the_truth(workspace, tmp_path):
    """The 2022 list holds two couples and a widow (5 persons). Enrolled for 2022 on 2021-12-20: the two
    couples; allocated 12-28. The check then reports exactly: the widow, listed and not insured
    (eligible_list_not_enrolled) — and not a bereaved household outside the list (no 全覆盖 finding for
    the category, no 未续保). The district re-exports the list in March without one husband: he is
    insured and no longer listed (insured_not_on_list). Nothing else is reported about who is covered."""
    couples = [bereaved(workspace, surname=s) for s in ("王", "赵")]
    _widow, widow_numbers = family(workspace, LUOCUI, ("special_bereaved",), [("孙秀英", D(1955, 1, 9), Relation.HEAD)],
                                  today=D(2021, 12, 1))
    bereaved(workspace, surname="钱")  # bereaved but not on the list: not missed
    numbers = [n for _, numbers in couples for n in numbers.values()] + list(widow_numbers.values())
    listed(workspace, tmp_path, 2022, numbers)
    results = [enrolled(workspace, P, 2022, h, D(2021, 12, 20), form=form(2022)) for h, _ in couples]
    allocated(workspace, D(2021, 12, 28), product=P, year=2022)
    findings = run_check(workspace, year=2022, product=P, today=D(2022, 1, 5)).findings
    assert [(f.code, f.name) for f in findings] == [("eligible_list_not_enrolled", "孙秀英")]
    dropped = couples[0][1]["王德福"]
    listed(workspace, tmp_path, 2022, [n for n in numbers if n != dropped], replace=True)
    findings = run_check(workspace, year=2022, product=P, today=D(2022, 3, 5)).findings
    assert sorted((f.code, f.name) for f in findings) == [("eligible_list_not_enrolled", "孙秀英"),
                                                           ("insured_not_on_list", "王德福")]
    assert counts(workspace, 2022, P, D(2022, 3, 5))[0] == (4, 0)  # the list changes findings, not the money
    assert status.enrollment_details(workspace, results[0].enrollment_id)["status"] == "paid"
