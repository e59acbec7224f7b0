"""S4 广西 2021 (gx_care_quanjiafu, gx_xiaoxinbao_a, gx_rural_micro_term_life, beihai_aixin,
beihai_comprehensive) walked through, with the newsletter's sentences as the working:

- 「共为全市6.4万户计生家庭购买关爱保险193926份（含自费）」: several shares a family (3.03 on average);
- 「2020年9月至2021年8月」: the statistical year; a policy counts in the year its cover starts;
- 「全区保费中有17%为财政出资」: the government's share of the premium received;
- 「共为全市2208户农村独生子女户和双女结扎户购买爱心保险11.04万元」: ¥110,400 ÷ 2,208 = ¥50 a household,
  bought for them; 「共为全市计生特殊家庭577人购买综合保险23.08万元」: ¥230,800 ÷ 577 = ¥400 a person;
- 「从28天至60周岁」 and 「年满65周岁以上的“孝心保保险A款”」: the age bands.
The care lines' price (¥30 a family share) and cover from the day after payment are the definitions'
stated assumptions (the newsletter gives neither).
"""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.enrollment import members, status
from fpdesk.services.enrollment.hand_up import hand_up_roster
from fpdesk.services.enrollment.reconciliation import reconcile
from fpdesk.services.registry import households as hh
from fpdesk.services.reports.statistics import statistics
from tests.walks.walk_helpers import (
    allocated,
    certificate_text,
    counts,
    details,
    enrolled,
    family,
    pay,
    period,
)

D = dt.date
CARE, FILIAL, LIFE, AIXIN, COMPREHENSIVE = ("gx_care_quanjiafu", "gx_xiaoxinbao_a", "gx_rural_micro_term_life",
                                            "beihai_aixin", "beihai_comprehensive")
CARE_FORM = {"beneficiary_type": "法定"}
LUOCUI = "350421200201"


SEASON_OPENS = D(2020, 9, 1)


def three(ws, categories=("other_fp",), *, today=SEASON_OPENS, rural=True):
    return family(ws, LUOCUI, categories, [("黄志强", D(1985, 4, 4), Relation.HEAD),
                                           ("韦丽", D(1987, 6, 6), Relation.SPOUSE),
                                           ("黄小军", D(2012, 9, 9), Relation.SON)], today=today, rural=rural)


def test_registration_of_several_family_shares_each_buying_the_sums_again(workspace):
    """Two family shares registered 2021-03-01: ¥30 × 2 = ¥60; each share buys the sums once more, so the
    (placeholder) ¥50,000 death sum becomes ¥100,000, split among 3: ¥33,333.34 + ¥33,333.33 × 2; the
    ¥5,000 medical pool ¥10,000 shared by 3. No period until paid. Three shares are allowed (3 a
    family), four refused. A household has one enrollment a product and year: a second registration
    is refused and told to add to the first."""
    household, _ = three(workspace)
    result = enrolled(workspace, CARE, 2021, household, D(2021, 3, 1), form=CARE_FORM, shares=2)
    assert (result.premium_fen, result.period) == (6000, None)
    assert [i.sums_insured[0]["amount_fen"] for i in result.insured] == [3333334, 3333333, 3333333]
    assert {(i.sums_insured[1]["amount_fen"], i.sums_insured[1]["shared_by"]) for i in result.insured} == {(1000000, 3)}
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, CARE, 2021, household, D(2021, 3, 1), form=CARE_FORM)
    assert caught.value.code == "enrollment_exists"
    other, _ = three(workspace)
    assert enrolled(workspace, CARE, 2021, other, D(2021, 3, 1), form=CARE_FORM, shares=3).premium_fen == 9000
    fourth, _ = three(workspace)
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, CARE, 2021, fourth, D(2021, 3, 1), form=CARE_FORM, shares=4)
    assert "max_shares_exceeded" in caught.value.params["reason_codes"]


def test_a_late_payment_dates_the_cover_from_the_next_day(workspace):
    """Registered 2021-03-01, paid 03-20: covered 2021-03-21 … 2022-03-20."""
    household, _ = three(workspace)
    result = enrolled(workspace, CARE, 2021, household, D(2021, 3, 1), form=CARE_FORM)
    pay(workspace, result.enrollment_id, D(2021, 3, 20))
    assert period(workspace, result.enrollment_id) == (D(2021, 3, 21), D(2022, 3, 20))


def test_renewal_early_follows_on_and_late_leaves_a_gap(workspace):
    """2021 cover 2021-03-21 … 2022-03-20 for two families. Renewed and paid 2022-03-10 → 2022-03-21 …
    2023-03-20. Renewed and paid 2022-04-05 → 04-06 … 2023-04-05, no late entry (the window is the whole
    September–August year), but 2022-03-21 … 04-05 (11 + 5 = 16 days) without cover."""
    early_household, _ = three(workspace)
    late_household, _ = three(workspace)
    for household in (early_household, late_household):
        pay(workspace, enrolled(workspace, CARE, 2021, household, D(2021, 3, 20), form=CARE_FORM).enrollment_id,
            D(2021, 3, 20))
    early = enrolled(workspace, CARE, 2022, early_household, D(2022, 3, 10), form=CARE_FORM)
    pay(workspace, early.enrollment_id, D(2022, 3, 10))
    assert period(workspace, early.enrollment_id) == (D(2022, 3, 21), D(2023, 3, 20))
    late = enrolled(workspace, CARE, 2022, late_household, D(2022, 4, 5), form=CARE_FORM)
    assert "enrollment_late" not in [w.code for w in late.warnings]
    pay(workspace, late.enrollment_id, D(2022, 4, 5))
    assert period(workspace, late.enrollment_id) == (D(2022, 4, 6), D(2023, 4, 5))
    assert details(workspace, late.enrollment_id)["cover_gap"]["days"] == 16


def test_additions_a_newborn_joins_the_family_shares_an_elder_pays_her_own(workspace):
    """全家福, 2 shares paid 2021-03-20 (cover 03-21 …): a baby born 2021-05-01 added 2021-06-01 (31 days
    old the next day) costs nothing; ¥100,000 ÷ 4 = ¥25,000 each. 孝心保 (per person, ¥60): the father
    (72) insured from 2021-03-21; the mother (66) added 2021-06-01 pays her own ¥60 (no pro-rata is
    stated): ¥60 more owed, paid against a second receipt."""
    household, _ = three(workspace, today=D(2021, 6, 1))
    care = enrolled(workspace, CARE, 2021, household, D(2021, 3, 20), form=CARE_FORM, shares=2)
    pay(workspace, care.enrollment_id, D(2021, 3, 20))
    baby = make_number("350421", D(2021, 5, 1), 36)
    hh.add_person(workspace, household, PersonDraft("黄小妹", baby, Relation.DAUGHTER), today=D(2021, 6, 1))
    members.add_insured(workspace, care.enrollment_id, baby, on=D(2021, 6, 1), today=D(2021, 6, 1))
    d = details(workspace, care.enrollment_id)
    assert d["premium_fen"] == 6000 and {p["sums_insured"][0]["amount_fen"] for p in d["insured"]} == {2500000}
    elders, numbers = family(workspace, LUOCUI, ("other_fp",), [("黄老汉", D(1949, 1, 1), Relation.HEAD),
                                                                ("李阿婆", D(1955, 2, 2), Relation.SPOUSE)],
                             today=D(2021, 3, 1))
    filial = enrolled(workspace, FILIAL, 2021, elders, D(2021, 3, 20), form=CARE_FORM, exclude=[numbers["李阿婆"]])
    pay(workspace, filial.enrollment_id, D(2021, 3, 20))
    members.add_insured(workspace, filial.enrollment_id, numbers["李阿婆"], on=D(2021, 6, 1), today=D(2021, 6, 1))
    assert details(workspace, filial.enrollment_id)["owed_fen"] == 6000
    pay(workspace, filial.enrollment_id, D(2021, 6, 1))
    d = details(workspace, filial.enrollment_id)
    assert (d["premium_fen"], d["paid_fen"], len(d["payments"])) == (12000, 12000, 2)


def test_beihai_government_rosters_allocated_in_bulk(workspace, tmp_path):
    """爱心保险: four rural only-child households enrolled 2020-12-20 for 2021 (cycle 01-01 … 12-31),
    ¥50 each, bought by the government only (a family asking to pay is refused); handed up, one voucher
    of ¥200 (at Beihai's scale: 2,208 × ¥50 = ¥110,400). 综合保险: one special couple, ¥400 × 2 = ¥800,
    allocated. As of 2021-01-02: 4 + 2 insured shares (households, persons)."""
    homes = [three(workspace, ("only_child",), today=D(2020, 12, 1))[0] for _ in range(4)]
    with pytest.raises(DomainError) as caught:
        enrolled(workspace, AIXIN, 2021, homes[0], D(2020, 12, 20), payer="self")
    assert caught.value.params["reason_codes"] == ["payer_not_funding"]
    results = [enrolled(workspace, AIXIN, 2021, h, D(2020, 12, 20)) for h in homes]
    assert {(r.payer, r.premium_fen, r.period) for r in results} == {("government", 5000,
                                                                      (D(2021, 1, 1), D(2021, 12, 31)))}
    hand_up_roster(workspace, product=AIXIN, year=2021, scope=LUOCUI, policy_number="BH2021-AX",
                   on=D(2020, 12, 25), today=D(2020, 12, 25))
    assert allocated(workspace, D(2020, 12, 28), roster="BH2021-AX").allocated_fen == 20000
    special, _ = family(workspace, LUOCUI, ("special_disabled",), [("蒙大伯", D(1960, 1, 1), Relation.HEAD),
                                                                   ("潘大娘", D(1962, 2, 2), Relation.SPOUSE)],
                        today=D(2020, 12, 1))
    couple = enrolled(workspace, COMPREHENSIVE, 2021, special, D(2020, 12, 20))
    assert couple.premium_fen == 80000
    allocated(workspace, D(2020, 12, 28), enrollment_ids=[couple.enrollment_id])
    assert counts(workspace, 2021, AIXIN, D(2021, 1, 2))[0] == (4, 0)
    assert counts(workspace, 2021, COMPREHENSIVE, D(2021, 1, 2))[0] == (2, 0)
    assert certificate_text(workspace, tmp_path / "c.pdf", D(2021, 1, 2), year=2021, product=AIXIN).count(
        "政府投保") == 4


def test_refunds_go_back_to_the_family_or_the_government(workspace):
    """农村小额定期寿险, ¥20 a person, two persons paid 2021-03-20 (¥40): refunded 04-01, ¥40 back in cash.
    综合保险 allocated ¥800 and refunded: ¥800 back to the government. Reconciliation square."""
    household, _ = three(workspace)
    life = enrolled(workspace, LIFE, 2021, household, D(2021, 3, 20), form=CARE_FORM, members=["黄志强", "韦丽"])
    assert life.premium_fen == 4000
    pay(workspace, life.enrollment_id, D(2021, 3, 20))
    status.refund(workspace, life.enrollment_id, reason="不愿参保", on=D(2021, 4, 1), today=D(2021, 4, 1))
    special, _ = family(workspace, LUOCUI, ("special_disabled",), [("蒙大伯", D(1960, 1, 1), Relation.HEAD),
                                                                   ("潘大娘", D(1962, 2, 2), Relation.SPOUSE)],
                        today=D(2020, 12, 1))
    couple = enrolled(workspace, COMPREHENSIVE, 2021, special, D(2020, 12, 20))
    allocated(workspace, D(2020, 12, 28), enrollment_ids=[couple.enrollment_id])
    status.refund(workspace, couple.enrollment_id, reason="重复参保", on=D(2021, 4, 1), today=D(2021, 4, 1))
    assert [r["payer"] for r in details(workspace, life.enrollment_id)["refunds"]] == ["self"]
    assert [r["payer"] for r in details(workspace, couple.enrollment_id)["refunds"]] == ["government"]
    report = reconcile(workspace, year=2021)
    assert report.differences == [] and report.collectors[0].held_fen == 0


def test_walk_s4_the_september_to_august_year_counts_by_cover_and_the_fiscal_share(workspace):
    """Guangxi's 2021 statistical year is 2020-09-01 … 2021-08-31. In it: family A (other_fp) buys 3 shares,
    paid 2020-10-10 (¥90); family B (困难, government) 1 share allocated 2020-10-15 (¥30); family C registers
    1 share and does not pay. Family D pays 2021-08-31: its cover starts 2021-09-01, in the 2022 year.
    2021: shares 3 + 1 = 4, persons 3 + 3 = 6 (counted apart: 4 shares are not 6 people), premium ¥120,
    government ¥30 = 25.00 % (the newsletter's 「17%为财政出资」 is this figure for the region), 1 unpaid
    share beside. 2022: D's 1 share and 3 persons."""
    a, _ = three(workspace)
    b, _ = three(workspace, ("hardship",))
    c, _ = three(workspace)
    d, _ = three(workspace)
    pay(workspace, enrolled(workspace, CARE, 2021, a, D(2020, 10, 10), form=CARE_FORM, shares=3).enrollment_id,
        D(2020, 10, 10))
    gov = enrolled(workspace, CARE, 2021, b, D(2020, 10, 15), form=CARE_FORM)
    assert gov.payer == "government"
    allocated(workspace, D(2020, 10, 15), enrollment_ids=[gov.enrollment_id])
    enrolled(workspace, CARE, 2021, c, D(2020, 11, 1), form=CARE_FORM)
    pay(workspace, enrolled(workspace, CARE, 2021, d, D(2021, 8, 31), form=CARE_FORM).enrollment_id, D(2021, 8, 31))
    year = statistics(workspace, year=2021, start_month=9, product=CARE, with_previous=False).total
    assert (year.shares, year.persons, year.premium_fen, year.unpaid_shares) == (4, 6, 12000, 1)
    assert str(round(year.fiscal_share * 100, 2)) == "25.00"
    after = statistics(workspace, year=2022, start_month=9, product=CARE, with_previous=False).total
    assert (after.shares, after.persons) == (1, 3)
