"""The reports of premiums shared between levels, on SQLite and PostgreSQL: a county working from
open_family_care (tests/data/programmes: ¥60 a share; for only-child and two-daughter households the
insurer's discount ¥10, the city ¥3 and the county ¥7 towards the first share, the family the rest)
enrolls four households on 2025-01-05; the statistics give the premium by payer level, the finance
list a column per level with the family's column equal to its receipts, the certificate the split.

The households (each a couple with a child: three insured persons), all in 城关乡:
  A 罗翠村, only child, 1 share: discount 10 + city 3 + county 7 + family 40 = ¥60
  B 罗翠村, two daughters, 2 shares: the first as A's, the second the family's 60: family 100, ¥120
  C 胡坊村, other household, 1 share: the family's 60, one level only
  D 胡坊村, only child, 1 share: the levels allocate, the family has not paid (premium not received)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fpdesk.core.statistics import percent
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.allocations import allocate
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.product_catalog import set_forms_folder
from fpdesk.services.opening import open_workspace
from fpdesk.services.printouts import jobs as printouts
from fpdesk.services.printouts.data import Selection
from fpdesk.services.reports.statistics import statistics
from fpdesk.services.rosters.export import export_roster
from fpdesk.services.workspace import add_division, init_office
from fpdesk.storage.schema_enrollment import Payment
from tests.printing.pdf_checks import pdf_text
from tests.walks.walk_helpers import couple

D = dt.date
PROGRAMMES = Path(__file__).parents[1] / "data" / "programmes"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
LUOCUI, HUFANG = "350421200201", "350421200202"
PRODUCT = "open_family_care"
ENROLLED = D(2025, 1, 5)


@pytest.fixture
def season(db_url):
    ws = open_workspace(db_url, author="县计生协")
    init_office(ws, code="350421", level="county", name="明溪县计划生育协会")
    add_division(ws, code="350421200", name="城关乡", code_year=2024)
    add_division(ws, code=LUOCUI, name="罗翠村", code_year=2024)
    add_division(ws, code=HUFANG, name="胡坊村", code_year=2024)
    set_forms_folder(ws, PROGRAMMES)
    ids = {}
    for key, village, category, shares in (("A", LUOCUI, "only_child", 1), ("B", LUOCUI, "two_daughters_sterilized", 2),
                                           ("C", HUFANG, "other_fp", 1), ("D", HUFANG, "only_child", 1)):
        household, _ = couple(ws, village, (category,))
        ids[key] = enroll(ws, product=PRODUCT, year=2025, household_id=household, shares=shares, on=ENROLLED,
                          today=ENROLLED, consent_by="户主", form_values=FORM).enrollment_id
    for key, fen in (("A", 4000), ("B", 10000), ("C", 6000)):
        status.record_payment(ws, ids[key], amount_fen=fen, paid_on=D(2025, 1, 8), today=D(2025, 1, 8))
    for number, level in enumerate(("insurer_discount", "prefecture", "county"), start=1):
        allocate(ws, payer="government", level=level, voucher_no=f"拨{number}号", on=D(2025, 1, 10),
                 today=D(2025, 1, 10), product=PRODUCT, year=2025)
    yield ws, ids
    ws.close()


def test_statistics_give_the_premium_by_payer_level(season):
    """Counted: A, B and C (received, cover from 2025-01-20); D is not (the family's 40 is missing).
    Premium 60 + 120 + 60 = ¥240; by level, in the levels' order: the city 3 + 3 = ¥6 (2.50 %), the
    county 7 + 7 = ¥14 (5.83 %), the insurer's discount 10 + 10 = ¥20 (8.33 %), the family
    40 + 100 + 60 = ¥200 (83.33 %): 6 + 14 + 20 + 200 = 240, nothing counted twice. The fiscal share
    is the levels of government's: 6 + 14 = ¥20 of ¥240 = 8.33 %; self-paid 83.33 %; the insurer's
    discount is neither."""
    ws, _ = season
    report = statistics(ws, year=2025, start_month=1)
    assert report.total.premium_fen == 24000
    assert report.by_level == [("prefecture", 600), ("county", 1400), ("insurer_discount", 2000), ("self", 20000)]
    data = report.as_dict()
    assert [(x["label_zh"], x["premium_fen"], x["share_pct"]) for x in data["by_level"]] == [
        ("市级财政", 600, 2.5), ("县级财政", 1400, 5.83), ("保险公司让利", 2000, 8.33), ("个人（家庭）", 20000, 83.33)]
    township = data["by_township"][0]
    assert township["name"] == "城关乡" and [x["premium_fen"] for x in township["by_level"]] == [600, 1400, 2000, 20000]
    total = report.total
    assert (total.government_premium_fen, total.self_premium_fen, total.employer_premium_fen) == (2000, 20000, 0)
    assert (percent(total.fiscal_share), percent(total.self_paid_share)) == ("8.33%", "83.33%")
    assert data["total"]["fiscal_share_pct"] == 8.33  # the figures by payer type stay beside them


def cells(path: Path) -> list[tuple]:
    return [tuple(row) for row in load_workbook(path).worksheets[0].iter_rows(values_only=True)]


def test_the_finance_list_has_a_column_per_level_and_the_familys_is_its_receipt(season, tmp_path):
    """A, B and D (some level of government pays part); C (the family's alone) is not on it. Columns
    after 缴费方式: city, county, discount, family; the 待拨款 total and what each allocating level
    still owes. 罗翠村 (6 persons, received): premium 60 + 120 = ¥180, levels 3 + 3, 7 + 7, 10 + 10,
    40 + 100. 胡坊村 (D, 3 persons): every level has allocated its part (3, 7, 10), the family has not
    paid its 40: nothing awaits allocation, the premium is not received. 合计: ¥180 received, levels
    9, 21, 30, 180 (= 240), nothing to allocate. B's family column holds ¥100, what its receipt says."""
    ws, ids = season
    result = export_roster(ws, year=2025, audience="finance", product=PRODUCT, out=tmp_path / "finance.xlsx",
                           today=D(2025, 1, 12))
    assert result.rows == 9
    rows = cells(result.path)
    header = rows[2]
    assert header[10:21] == ("保费（元）", "缴费方式", "市级财政\n（元）", "县级财政\n（元）", "保险公司让利\n（元）",
                             "个人（家庭）\n（元）", "待拨款（元）", "市级财政待拨款\n（元）", "县级财政待拨款\n（元）",
                             "保险公司让利待拨款\n（元）", "拨款凭证号")
    firsts = {r[10] or r[15]: r for r in rows[3:] if isinstance(r[0], int) and (r[10] or r[15])}
    assert firsts[120][11:16] == ("多级分担", 3, 7, 10, 100)
    assert firsts[120][20] == "拨1号、拨2号、拨3号"
    with ws.read() as session:
        receipt = session.scalar(select(Payment.amount_fen).where(Payment.enrollment_id == ids["B"]))
    assert firsts[120][15] * 100 == receipt == 10000
    subtotals = [r for r in rows if isinstance(r[0], str) and ("小计" in r[0] or r[0].startswith("合计"))]
    assert [(r[0], *r[10:11], *r[12:20]) for r in subtotals] == [
        ("罗翠村 小计：6人", 180, 6, 14, 20, 140, 0, 0, 0, 0),
        ("胡坊村 小计：3人（已拨款3人，待拨款0人；其中3人家庭未缴费，保费未计入）", 0, 3, 7, 10, 40, 0, 0, 0, 0),
        ("合计：9人（已拨款9人，待拨款0人；其中3人家庭未缴费，保费未计入）", 180, 9, 21, 30, 180, 0, 0, 0, 0)]


def test_the_finance_lists_awaiting_column_is_what_each_level_still_owes(season, tmp_path):
    """E (胡坊村, only child, 1 share) enrolled 2025-01-11, after the levels' allocations: the family
    pays its ¥40 and the county allocates its ¥7 (拨4号); the city's ¥3 and the insurer's ¥10 are
    still to come. E's first row: 待拨款 3 + 10 = ¥13 — not its premium ¥60, nor the first level's —
    the city ¥3, the county nothing, the discount ¥10. 胡坊村 (D and E, 6 persons): ¥13 awaiting (3, 0,
    10); D's levels have all allocated, so 3 persons allocated and E's 3 awaiting."""
    ws, _ = season
    household, _ = couple(ws, HUFANG, ("only_child",))
    late = enroll(ws, product=PRODUCT, year=2025, household_id=household, on=D(2025, 1, 11), today=D(2025, 1, 11),
                  consent_by="户主", form_values=FORM).enrollment_id
    status.record_payment(ws, late, amount_fen=4000, paid_on=D(2025, 1, 11), today=D(2025, 1, 11))
    allocate(ws, payer="government", level="county", voucher_no="拨4号", on=D(2025, 1, 11), today=D(2025, 1, 11),
             product=PRODUCT, year=2025)
    rows = cells(export_roster(ws, year=2025, audience="finance", product=PRODUCT, out=tmp_path / "finance.xlsx",
                               today=D(2025, 1, 12)).path)
    [waiting] = [r for r in rows[3:] if isinstance(r[0], int) and r[16]]
    assert waiting[16:21] == (13, 3, None, 10, "拨4号")
    subtotals = {r[0].split("：")[0]: r for r in rows if isinstance(r[0], str) and "：" in r[0] and (
        "小计" in r[0] or r[0].startswith("合计"))}
    hufang = subtotals["胡坊村 小计"]
    assert hufang[0] == "胡坊村 小计：6人（已拨款3人，待拨款3人；其中3人家庭未缴费，保费未计入）"
    assert hufang[16:20] == (13, 3, 0, 10)
    assert subtotals["合计"][16:20] == (13, 3, 0, 10)


def test_the_printed_roster_says_who_still_owes_a_shared_premium(season, tmp_path):
    """胡坊村's printed roster: C is received (¥60, 自主投保, no remark); D's levels have allocated and
    its family has not paid: 待缴费; E (entered after the allocations, the family's ¥40 paid) waits
    for the city's and the insurer's allocations: 待拨款 — not 待缴费 because its family pays a part.
    D and E are 多级分担, C 自主投保."""
    ws, _ = season
    household, _ = couple(ws, HUFANG, ("only_child",))
    late = enroll(ws, product=PRODUCT, year=2025, household_id=household, on=D(2025, 1, 11), today=D(2025, 1, 11),
                  consent_by="户主", form_values=FORM).enrollment_id
    status.record_payment(ws, late, amount_fen=4000, paid_on=D(2025, 1, 11), today=D(2025, 1, 11))
    out = tmp_path / "roster.pdf"
    printouts.print_roster(ws, out=out, selection=Selection(year=2025, scope=HUFANG), today=D(2025, 1, 12))
    text = pdf_text(out).replace(" ", "")
    assert text.count("待拨款") == 3 and text.count("待缴费") == 3  # on each of the three insured rows
    assert "多级分担" in text and "自主投保" in text


def test_the_insurers_list_and_the_full_roster_say_a_shared_premium_is_shared(season, tmp_path):
    """缴费方式 on the insurer's list (A, B and C, received): A's and B's premiums are shared between
    the city, the county, the insurer's discount and the family — 多级分担, not 自主投保 — and C's is
    the family's alone: 自主投保. The full roster says the same (D too, registered), and read back in
    it changes nothing: 多级分担 leaves the split to the product's contributions."""
    from fpdesk.services.rosters.importing import import_roster

    ws, _ = season
    insurer = cells(export_roster(ws, year=2025, audience="insurer", product=PRODUCT, out=tmp_path / "insurer.xlsx",
                                  today=D(2025, 1, 12)).path)
    column = insurer[2].index("缴费方式")
    payers = [r[column] for r in insurer[3:] if isinstance(r[0], int)]
    assert sorted(payers) == ["多级分担"] * 6 + ["自主投保"] * 3
    full = export_roster(ws, year=2025, audience="full", product=PRODUCT, out=tmp_path / "full.xlsx",
                         full_id_numbers=True, today=D(2025, 1, 12)).path
    rows = cells(full)
    column = rows[2].index("缴费方式")
    assert sorted(r[column] for r in rows[3:] if isinstance(r[0], int)) == ["多级分担"] * 9 + ["自主投保"] * 3
    back = import_roster(ws, full, year=2025, today=D(2025, 1, 12))
    assert (back.rows, back.new, back.updated, back.unchanged, back.rejected) == (12, 0, 0, 12, [])


def test_the_certificate_shows_the_premium_and_its_split_on_one_line(season, tmp_path):
    """B's certificate: 120元：市3元、县7元、保险公司让利10元、个人100元, paid 多级分担; C's premium is
    the family's alone: ¥60.00 in figures and words, 自主投保, no split."""
    ws, ids = season
    out = tmp_path / "certificates.pdf"
    result = printouts.print_certificates(ws, out=out, selection=Selection(year=2025, enrollment_ids=(ids["B"],)),
                                          today=D(2025, 1, 12))
    assert result.pages == 1
    text = pdf_text(out).replace(" ", "")
    assert "120元：市3元、县7元、保险公司让利10元、个人100元" in text and "多级分担" in text
    single = tmp_path / "single.pdf"
    printouts.print_certificates(ws, out=single, selection=Selection(year=2025, enrollment_ids=(ids["C"],)),
                                 today=D(2025, 1, 12))
    text = pdf_text(single).replace(" ", "")
    assert "¥60.00（人民币陆拾元整）" in text and "自主投保" in text and "个人60元" not in text
