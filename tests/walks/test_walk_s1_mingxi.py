"""S1 明溪县 2020 (fp_family_accident_100) walked through: registration, late payment, renewal early and
late, a newborn added mid-year, a government-paid roster handed up and allocated in one action, a
refund — each date, amount and count worked out by hand from the programme's sentences:

- 「保险期限为一年，自…交纳保险费并签发保险单的次日零时起生效，至约定终止日二十四时止」
- 「投保完成截止时间：每年 4月30日前完成」 (a deadline for the townships, not a lock)
- 「…由家庭成员均分、意外伤害医疗保额1.4万元由家庭成员共享」, ¥100 a family
- 「各乡（镇）要为二女结扎户、独女领证户、其它困难计生家庭、特殊家庭（含失独家庭）…购买」
- 「年龄为出生28日至65周岁…的身体健康者」
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pypdf import PdfReader

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.enrollment import members, status
from fpdesk.services.enrollment.hand_up import confirm_roster, hand_up_roster
from fpdesk.services.enrollment.reconciliation import reconcile, record_handover
from fpdesk.services.registry import households as hh
from fpdesk.services.reports.coverage_check import run_check
from tests.walks.walk_helpers import (
    allocated,
    certificate_text,
    counts,
    couple,
    details,
    enrolled,
    insurer_rows,
    pay,
    period,
)

D = dt.date
P = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
LUOCUI, CHENGDONG = "350421200201", "350421200202"


def test_registration_is_not_cover_until_the_premium_is_paid(workspace, tmp_path):
    """Registered 2020-04-01, nothing paid: no period yet (cover runs from the day after payment), ¥100
    owed by the family; progress counts 0 insured and 1 已登记未缴费; the insurer's list is empty and
    says 1 household / 3 persons were left out; statistics count 0 shares and 1 unpaid share."""
    household, _ = couple(workspace, LUOCUI)
    result = enrolled(workspace, P, 2020, household, D(2020, 4, 1), form=FORM)
    assert (result.payer, result.premium_fen, result.period) == ("self", 10000, None)
    d = details(workspace, result.enrollment_id)
    assert (d["status"], d["period"], d["owed_fen"], d["received_on"]) == ("registered", [None, None], 10000, None)
    assert counts(workspace, 2020, P, D(2020, 4, 2)) == ((0, 1), (0, 0, 1))
    people, _, notes = insurer_rows(workspace, 2020, P, tmp_path / "i.xlsx", D(2020, 4, 2))
    assert people == [] and notes == ["另有已登记未缴费1户3人，保费未收到，未列入本名单。"]
    with pytest.raises(DomainError) as caught:
        certificate_text(workspace, tmp_path / "c.pdf", D(2020, 4, 2), year=2020)
    assert caught.value.code == "nothing_to_print"


def test_a_late_payment_dates_the_cover_from_the_day_after_it(workspace):
    """Registered 04-01, paid 04-20: covered 2020-04-21 00:00 to 2021-04-20 24:00 (one year from the day
    after payment; the old code said 04-02). Counted insured from 04-20, not on 04-19."""
    household, _ = couple(workspace, LUOCUI)
    result = enrolled(workspace, P, 2020, household, D(2020, 4, 1), form=FORM)
    pay(workspace, result.enrollment_id, D(2020, 4, 20))
    assert period(workspace, result.enrollment_id) == (D(2020, 4, 21), D(2021, 4, 20))
    assert details(workspace, result.enrollment_id)["received_on"] == D(2020, 4, 20)
    assert counts(workspace, 2020, P, D(2020, 4, 19))[0] == (0, 1)
    assert counts(workspace, 2020, P, D(2020, 4, 20))[0] == (1, 0)


def test_renewal_early_follows_on_and_renewal_late_leaves_a_gap_that_is_reported(workspace):
    """2020 cover paid 04-15: 2020-04-16 … 2021-04-15.
    Early: renewed and paid 2021-04-01 → starts the day after the old cover ends, 2021-04-16 … 2022-04-15
    (not 04-02, which would overlap 14 days).
    Late: another household's 2020 cover the same; renewed 2021-05-10, after the 30 April deadline
    (accepted, warned, next sign-up 2022-01-01), paid that day → 2021-05-11 … 2022-05-10; the days
    2021-04-16 … 05-10 (15 of April + 10 of May = 25) had no cover: said at renewal and by the check."""
    early_household, _ = couple(workspace, LUOCUI)
    late_household, _ = couple(workspace, CHENGDONG, child=None)
    for household in (early_household, late_household):
        pay(workspace, enrolled(workspace, P, 2020, household, D(2020, 4, 15), form=FORM).enrollment_id,
            D(2020, 4, 15))
    early = enrolled(workspace, P, 2021, early_household, D(2021, 4, 1), form=FORM)
    pay(workspace, early.enrollment_id, D(2021, 4, 1))
    assert period(workspace, early.enrollment_id) == (D(2021, 4, 16), D(2022, 4, 15))
    assert details(workspace, early.enrollment_id)["cover_gap"] is None
    late = enrolled(workspace, P, 2021, late_household, D(2021, 5, 10), form=FORM)
    warnings = {w.code: w.message_zh for w in late.warnings}
    assert "下次登记期2022-01-01起" in warnings["enrollment_late"]
    assert "2021-04-16至2021-05-10共25天没有保障" in warnings["cover_gap"]
    pay(workspace, late.enrollment_id, D(2021, 5, 10))
    assert period(workspace, late.enrollment_id) == (D(2021, 5, 11), D(2022, 5, 10))
    assert details(workspace, late.enrollment_id)["cover_gap"] == {"first": D(2021, 4, 16), "last": D(2021, 5, 10),
                                                                  "days": 25}
    gaps = [f for f in run_check(workspace, year=2021, product=P, today=D(2021, 6, 1)).findings
            if f.code == "renewal_gap"]
    assert len(gaps) == 1 and "共25天没有保障" in gaps[0].message_zh


def test_a_newborn_added_in_july_is_covered_from_the_next_day_at_no_premium(workspace, tmp_path):
    """Paid 04-20: the family covered 2020-04-21 … 2021-04-20. A daughter born 2020-06-10 is 28 days old
    on 07-08 (出生28日): added on 07-07 she is covered from 07-08 to 2021-04-20 — in July, after the
    deadline, because she joins a cover already bought. On 07-06 she would be 27 days old on 07-07 and
    is refused. A family premium covers the family: still ¥100. ¥200,000 ÷ 4 = ¥50,000 each; the ¥14,000
    medical pool is shared by 4. The certificate gives her own period."""
    household, _ = couple(workspace, LUOCUI, today=D(2020, 7, 7))
    result = enrolled(workspace, P, 2020, household, D(2020, 4, 1), today=D(2020, 4, 1), form=FORM)
    pay(workspace, result.enrollment_id, D(2020, 4, 20))
    baby = make_number("350421", D(2020, 6, 10), 24)
    hh.add_person(workspace, household, PersonDraft("林小花", baby, Relation.DAUGHTER), today=D(2020, 7, 6))
    with pytest.raises(DomainError) as caught:
        members.add_insured(workspace, result.enrollment_id, baby, on=D(2020, 7, 6), today=D(2020, 7, 6))
    assert caught.value.params["reason_codes"] == ["age_below_min"]
    members.add_insured(workspace, result.enrollment_id, baby, on=D(2020, 7, 7), today=D(2020, 7, 7))
    d = details(workspace, result.enrollment_id)
    assert d["premium_fen"] == 10000
    by_name = {p["name"]: p for p in d["insured"]}
    assert by_name["林小花"]["cover"] == [D(2020, 7, 8), D(2021, 4, 20)]
    assert by_name["林国华"]["cover"] == [D(2020, 4, 21), D(2021, 4, 20)]
    assert {p["sums_insured"][0]["amount_fen"] for p in d["insured"]} == {5000000}
    assert {(p["sums_insured"][1]["amount_fen"], p["sums_insured"][1]["shared_by"]) for p in d["insured"]} == {
        (1400000, 4)}
    text = certificate_text(workspace, tmp_path / "c.pdf", D(2020, 7, 8), year=2020)
    assert "本人保障期间 2020-07-08 至 2021-04-20" in text


def test_a_government_roster_is_handed_up_allocated_and_confirmed_in_bulk(workspace, tmp_path):
    """罗翠村, 2020: three priority households (二女结扎户, 困难, 失独) registered 04-01, no receipt for
    them; one self-paid household registered and unpaid. Handed up 04-10 under 团单号 PMX2020-001: the
    three go (3 households, 9 persons, ¥300 awaiting allocation), the unpaid one stays (¥100). The
    township's voucher of 04-15 settles ¥300: each covered 2020-04-16 … 2021-04-15. As of 04-14:
    0 insured, 4 registered-unpaid; as of 04-16: 3 insured, 1 unpaid. The insurer confirms 04-20 except
    one child: confirmed 3, and that family's ¥200,000 is split between 2 (¥100,000 each)."""
    families = [couple(workspace, LUOCUI, (cat,)) for cat in ("two_daughters_sterilized", "hardship",
                                                               "special_bereaved")]
    priority = [household for household, _ in families]
    own, _ = couple(workspace, LUOCUI)
    results = [enrolled(workspace, P, 2020, h, D(2020, 4, 1), form=FORM) for h in priority]
    assert {r.payer for r in results} == {"government"}
    with pytest.raises(DomainError) as caught:  # no cash receipt in the family's name
        pay(workspace, results[0].enrollment_id, D(2020, 4, 2))
    assert caught.value.code == "not_paid_in_cash"
    enrolled(workspace, P, 2020, own, D(2020, 4, 1), form=FORM)
    up = hand_up_roster(workspace, product=P, year=2020, scope=LUOCUI, policy_number="PMX2020-001",
                        on=D(2020, 4, 10), today=D(2020, 4, 10))
    assert (up.totals["households"], up.totals["persons"], up.totals["awaiting_allocation_fen"]) == (3, 9, 30000)
    assert (up.totals["unpaid_households"], up.totals["unpaid_fen"]) == (1, 10000)
    money = allocated(workspace, D(2020, 4, 15), roster="PMX2020-001")
    assert (money.enrollments, money.allocated_fen, money.received) == (3, 30000, 3)
    assert {period(workspace, r.enrollment_id) for r in results} == {(D(2020, 4, 16), D(2021, 4, 15))}
    assert counts(workspace, 2020, P, D(2020, 4, 14))[0] == (0, 4)
    assert counts(workspace, 2020, P, D(2020, 4, 16))[0] == (3, 1)
    number = families[0][1]["林小明"]  # the child of the first family, whom the insurer does not accept
    done = confirm_roster(workspace, policy_number="PMX2020-001", on=D(2020, 4, 20), today=D(2020, 4, 20),
                          exceptions=[(number, "未提供户口本")])
    assert (done.confirmed, len(done.exceptions)) == (3, 1)
    d = details(workspace, results[0].enrollment_id)
    assert (d["status"], d["policy_number"], d["issued_on"]) == ("confirmed", "PMX2020-001", D(2020, 4, 20))
    assert [p["sums_insured"][0]["amount_fen"] for p in d["insured"] if p["removed_on"] is None] == [10000000] * 2
    assert "政府投保" in certificate_text(workspace, tmp_path / "c.pdf", D(2020, 4, 20), year=2020)


def test_refunds_go_back_to_whoever_paid(workspace):
    """A family paid ¥100 on 04-20 and withdraws 05-10: ¥100 back to the family in cash, the collector's
    cash account: received ¥100, refunded ¥100, nothing held. A government-paid household allocated
    ¥100 and refunded: ¥100 goes back to the government, which then owes nothing on it."""
    own, _ = couple(workspace, LUOCUI)
    paid = enrolled(workspace, P, 2020, own, D(2020, 4, 1), form=FORM)
    pay(workspace, paid.enrollment_id, D(2020, 4, 20))
    status.refund(workspace, paid.enrollment_id, reason="家庭申请退保", on=D(2020, 5, 10), today=D(2020, 5, 10))
    gov, _ = couple(workspace, LUOCUI, ("hardship",))
    funded = enrolled(workspace, P, 2020, gov, D(2020, 4, 1), form=FORM)
    allocated(workspace, D(2020, 4, 15), enrollment_ids=[funded.enrollment_id])
    status.refund(workspace, funded.enrollment_id, reason="重复参保", on=D(2020, 5, 10), today=D(2020, 5, 10))
    assert [(r["payer"], r["amount_fen"]) for r in details(workspace, paid.enrollment_id)["refunds"]] == [("self", 10000)]
    assert [(r["payer"], r["amount_fen"]) for r in details(workspace, funded.enrollment_id)["refunds"]] == [
        ("government", 10000)]
    report = reconcile(workspace, year=2020)
    [cash] = report.collectors
    assert (cash.received_fen, cash.refunded_fen, cash.held_fen) == (10000, 10000, 0)
    [government] = report.payers
    assert (government.owed_fen, government.allocated_fen, government.refunded_fen, government.outstanding_fen) == (
        0, 10000, 10000, 0)
    assert report.differences == [] and counts(workspace, 2020, P, D(2020, 5, 11))[0] == (0, 0)


def test_walk_s1_a_village_season_end_to_end(workspace, tmp_path, capsys):
    """罗翠村's 2020 season through the command line where a clerk would use it:
    - 2 priority households (government) and 3 self-paid families registered 03-20; two self-paid pay at
      once (¥200 cash, receipts), one pays late on 05-06 (after the deadline: its cover 05-07 …), one
      more family registers on 05-15 (late, warned) and never pays.
    - The township hands the roster up on 04-25 (PMX2020-009): 2 government + 2 paid households go up,
      the 2 unpaid ones stay; the finance office allocates ¥200 on 04-28 (covered 04-29 …); the insurer
      confirms on 05-05.
    - As of 05-20: insured 5 (2 government, 3 self), unpaid 1 — the same in progress, statistics and
      the insurer's list (5 households, 3 + 2 + 3 × 3 = 14 persons, ¥500); certificates for the 5.
    - Cash: ¥300 taken by the collector; ¥200 handed up on 04-25 leaves ¥100 named as not handed up."""
    from fpdesk.cli.main import main

    def cli(*args):
        code = main([*args, "--db", workspace.db.url, "--json"])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    government = [couple(workspace, LUOCUI, ("two_daughters_sterilized",))[0],
                  couple(workspace, LUOCUI, ("special_bereaved",), child=None)[0]]
    own = [couple(workspace, LUOCUI)[0] for _ in range(3)]
    late_unpaid, _ = couple(workspace, LUOCUI)
    gov_results = [enrolled(workspace, P, 2020, h, D(2020, 3, 20), form=FORM) for h in government]
    own_results = [enrolled(workspace, P, 2020, h, D(2020, 3, 20), form=FORM) for h in own]
    for result in own_results[:2]:
        pay(workspace, result.enrollment_id, D(2020, 3, 20))
    code, up = cli("enroll", "hand-up", "--roster", LUOCUI, "--product", P, "--year", "2020",
                   "--policy-no", "PMX2020-009", "--on", "2020-04-25")
    assert code == 0 and (up["households"], up["unpaid_households"]) == (4, 1)
    code, money = cli("money", "allocate", "--payer", "government", "--voucher", "明财〔2020〕9号",
                      "--policy-no", "PMX2020-009", "--on", "2020-04-28", "--payer-name", "城关乡财政所")
    assert code == 0 and (money["allocated_fen"], money["received"]) == (20000, 2)
    code, confirmed = cli("enroll", "confirm", "--policy-no", "PMX2020-009", "--on", "2020-05-05")
    assert code == 0 and confirmed["confirmed"] == 4
    pay(workspace, own_results[2].enrollment_id, D(2020, 5, 6), today=D(2020, 5, 6))
    late = enrolled(workspace, P, 2020, late_unpaid, D(2020, 5, 15), form=FORM)
    assert "enrollment_late" in [w.code for w in late.warnings]
    record_handover(workspace, collector="tester", amount_fen=20000, year=2020, on=D(2020, 4, 25),
                    today=D(2020, 4, 25))

    assert period(workspace, gov_results[0].enrollment_id) == (D(2020, 4, 29), D(2021, 4, 28))
    assert period(workspace, own_results[2].enrollment_id) == (D(2020, 5, 7), D(2021, 5, 6))
    (insured, unpaid), (shares, persons, stats_unpaid) = counts(workspace, 2020, P, D(2020, 5, 20))
    assert (insured, unpaid) == (5, 1) and (shares, persons, stats_unpaid) == (5, 14, 1)
    people, header, notes = insurer_rows(workspace, 2020, P, tmp_path / "insurer.xlsx", D(2020, 5, 20))
    premium = header.index("保费（元）")
    assert len(people) == 14 and sum(r[premium] or 0 for r in people) == 500
    assert notes == ["另有已登记未缴费1户3人，保费未收到，未列入本名单。"]
    code, printed = cli("print", "certificates", "--year", "2020", "--out", str(tmp_path / "c.pdf"))
    assert code == 0 and printed["documents"] == 5
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "c.pdf").pages)
    assert text.count("政府投保") == 2 and text.count("自主投保") == 3
    code, report = cli("money", "reconcile", "--year", "2020")
    assert code == 0 and report["collectors"] == [{"collector": "tester", "receipts": 3, "received_fen": 30000,
                                                   "refunded_fen": 0, "handed_over_fen": 20000, "held_fen": 10000}]
    assert [d["message"] for d in report["differences"]] == [
        "收款人tester：收款¥300.00，退款¥0.00，已上缴¥200.00，尚未上缴¥100.00。",
        "家庭自缴：1户已登记未缴费，共¥100.00。"]
