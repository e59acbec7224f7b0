"""Roster exports and the import template: layouts, ID numbers full only for the finance office and
the insurer, subtotals, print setup, and a round trip export → import that changes nothing."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from roster_builders import LI, ZHANG, good_rows, write_roster

from fpdesk.core.idnumber import mask
from fpdesk.services.rosters.export import export_roster, write_import_template
from fpdesk.services.rosters.importing import import_roster

TODAY = dt.date(2026, 1, 5)


def imported(workspace, tmp_path, *, money_in: bool = False):
    """The 2024 roster imported (registered at its season's deadline, 2024-04-30); with ``money_in``,
    its premiums received that day: 张三's household's allocated, 王五's paid in cash."""
    result = import_roster(workspace, write_roster(tmp_path / "in.xlsx", good_rows()), year=2024, today=TODAY)
    assert result.new == 5
    if money_in:
        from sqlalchemy import select

        from fpdesk.services.enrollment.allocations import allocate
        from fpdesk.services.enrollment.status import record_payment
        from fpdesk.storage.schema_enrollment import Enrollment

        day = dt.date(2024, 4, 30)
        allocate(workspace, payer="government", voucher_no="城财〔2024〕12号", on=day, today=TODAY,
                 product="fp_family_accident_100", year=2024)
        with workspace.read() as session:
            own = session.execute(select(Enrollment.id, Enrollment.premium_fen).where(
                Enrollment.payer_type == "self")).all()
        for enrollment_id, premium in own:
            record_payment(workspace, enrollment_id, amount_fen=premium, paid_on=day, today=TODAY)


def cells(path):
    sheet = load_workbook(path).worksheets[0]
    return sheet, [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_finance_roster_lists_government_paid_people_with_village_subtotals(workspace, tmp_path):
    imported(workspace, tmp_path)
    result = export_roster(workspace, year=2024, audience="finance", out=tmp_path / "finance.xlsx", today=TODAY)
    assert result.rows == 3  # 张三's household only: 王五's pays for itself
    sheet, rows = cells(result.path)
    assert "财政核拨花名册" in rows[0][0] and rows[2][:3] == ("序号", "乡镇", "村（社区）")
    numbers = [r[6] for r in rows[3:6]]
    assert numbers[0] == ZHANG and LI in numbers  # full numbers: the finance office verifies by them
    # imported, not yet allocated: the ¥100 waits in its own column, not in the premium column
    assert rows[6][0] == "罗翠村 小计：3人（已拨款0人，待拨款3人）" and (rows[6][10], rows[6][12]) == (0, 100)
    assert rows[7][0] == "合计：3人（已拨款0人，待拨款3人）" and (rows[7][10], rows[7][12]) == (0, 100)
    from fpdesk.services.enrollment.allocations import allocate

    allocate(workspace, payer="government", voucher_no="城财〔2024〕12号", on=TODAY, today=TODAY,
             product="fp_family_accident_100", year=2024)
    result = export_roster(workspace, year=2024, audience="finance", out=tmp_path / "finance2.xlsx", today=TODAY)
    sheet, rows = cells(result.path)
    assert rows[3][13] == "城财〔2024〕12号"
    assert rows[6][0] == "罗翠村 小计：3人" and (rows[6][10], rows[6][12]) == (100, 0)
    assert rows[7][0] == "合计：3人" and rows[7][10] == 100
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


def test_insurer_list_holds_only_people_whose_premium_was_received(workspace, tmp_path):
    imported(workspace, tmp_path)
    result = export_roster(workspace, year=2024, audience="insurer", out=tmp_path / "insurer.xlsx", today=TODAY)
    assert result.rows == 0
    _sheet, rows = cells(result.path)
    assert ("另有已登记未缴费2户5人，保费未收到，未列入本名单。",) in [r[:1] for r in rows]


def test_insurer_list_has_sums_insured_per_person_and_the_period(workspace, tmp_path):
    imported(workspace, tmp_path, money_in=True)
    result = export_roster(workspace, year=2024, audience="insurer", out=tmp_path / "insurer.xlsx", today=TODAY)
    assert result.rows == 5
    _sheet, rows = cells(result.path)
    header = rows[2]
    death = header.index("意外伤害身故/残疾保额（元）")
    by_name = {r[4]: r for r in rows[3:8]}
    # ¥200,000 split among the three insured of 张三's family (remainder fen to the first)
    assert [by_name[n][death] for n in ("张三", "李梅", "张小妹")] == [66666.67, 66666.67, 66666.66]
    assert by_name["张三"][header.index("身份证号码")] == ZHANG
    assert by_name["张三"][header.index("保险起期")] == dt.datetime(2024, 5, 1)


def test_full_roster_masks_id_numbers_unless_asked(workspace, tmp_path):
    imported(workspace, tmp_path)
    masked = export_roster(workspace, year=2024, audience="full", out=tmp_path / "full.xlsx", today=TODAY)
    _sheet, rows = cells(masked.path)
    assert masked.masked and mask(ZHANG) in [r[10] for r in rows] and ZHANG not in str(rows)


def test_round_trip_export_then_import_changes_nothing(workspace, tmp_path):
    imported(workspace, tmp_path, money_in=True)
    for audience in ("full", "insurer"):
        out = export_roster(workspace, year=2024, audience=audience, out=tmp_path / f"{audience}.xlsx",
                            full_id_numbers=True, today=TODAY).path
        back = import_roster(workspace, out, year=2024, today=TODAY)
        assert (back.rows, back.new, back.updated, back.unchanged, back.rejected) == (5, 0, 0, 5, []), audience


def test_template_has_text_id_columns_drop_downs_and_print_setup(workspace, tmp_path):
    path = write_import_template(workspace, product="fp_family_accident_100", out=tmp_path / "模板.xlsx")
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[3]]
    id_column = header.index("身份证号码") + 1
    assert sheet.cell(4, id_column).number_format == "@" and sheet.cell(400, id_column).number_format == "@"
    lists = {next(iter(v.sqref.ranges)).min_col: v.formula1 for v in sheet.data_validations.dataValidation}
    assert "二女结扎户" in lists[header.index("家庭类别") + 1]
    assert "配偶" in lists[header.index("与户主关系") + 1] and "政府" in lists[header.index("缴费方式") + 1]
    assert sheet.freeze_panes == "A4" and sheet.page_setup.orientation == "landscape"
    # filled in and imported, without naming the product: the title names it
    sheet.cell(4, header.index("村（社区）") + 1, "罗翠村")
    for name, value in (("户主姓名", "张三"), ("姓名", "张三"), ("身份证号码", ZHANG), ("与户主关系", "户主"),
                        ("家庭类别", "二女结扎户"), ("身体健康", "是"), ("受益人", "法定")):
        sheet.cell(4, header.index(name) + 1, value)
    sheet.parent.save(path)
    result = import_roster(workspace, path, year=2024, today=TODAY)
    assert (result.rows, result.new, result.enrollments_new, result.rejected) == (1, 1, 1, [])
