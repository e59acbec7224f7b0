"""The roster import wizard and the export dialog, driven like a clerk would (pytest-qt)."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from roster_builders import write_roster

from fpdesk.core.idnumber import make_number
from fpdesk.gui.dialogs.roster_export_dialog import open_roster_export
from fpdesk.gui.dialogs.roster_import_wizard import (
    DONE_PAGE,
    MAPPING_PAGE,
    REPORT_PAGE,
    SHEET_PAGE,
    open_roster_import,
)

D = dt.date
TODAY = D(2026, 11, 22)
HEAD = make_number("350421", D(1979, 9, 9), 991)
WIFE = make_number("350421", D(1981, 10, 10), 992)


def roster(tmp_path):
    header = ["序号", "村", "户主姓名", "姓名", "身份证号", "关系", "类别", "保险", "出资", "健康告知", "身故受益人"]
    rows = [[1, "罗翠", "郑重", "郑重", HEAD, "户主", "困难家庭", "fp_family_accident_100", "政府", "是", "法定"],
            [2, "罗翠", "郑重", "孙芳", WIFE, "妻子", "困难家庭", "fp_family_accident_100", "政府", "是", "法定"],
            [3, "罗翠", "钱多", "钱多", "35042119800101001", "户主", "其他", "fp_family_accident_100", "自费", "是",
             "法定"]]
    return write_roster(tmp_path / "村花名册.xlsx", rows, header=header)


def test_the_wizard_maps_checks_and_imports(qtbot, chinese_app, village_workspace, tmp_path):
    wizard = open_roster_import(None, village_workspace)
    qtbot.addWidget(wizard)
    wizard.today = TODAY
    wizard.path_edit.setText(str(roster(tmp_path)))
    wizard.year_spin.setValue(2024)
    wizard.advance()
    assert wizard.pages.currentIndex() == SHEET_PAGE and wizard.header_spin.value() == 3
    wizard.advance()
    assert wizard.pages.currentIndex() == MAPPING_PAGE
    labels = [wizard.mapping_table.item(r, 0).text() for r in range(wizard.mapping_table.rowCount())]
    mapping = wizard.mapping()
    assert mapping[labels.index("身份证号")] == "id_number"
    assert labels.index("保险") not in mapping  # "保险" is not a column name fpdesk knows: the clerk maps it
    wizard.set_mapping(labels.index("保险"), "product")
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == REPORT_PAGE, timeout=10000)
    assert (wizard.dry_run.new, len(wizard.dry_run.rejected_rows)) == (2, 1)
    assert wizard.issues_table.item(0, 2).text() == "id_format"
    assert "第6行" in wizard.issues_table.item(0, 3).text()
    report = tmp_path / "需改正.xlsx"
    wizard.save_report(report)
    qtbot.waitUntil(lambda: report.exists() and "已保存" in wizard.message.text(), timeout=10000)
    assert load_workbook(report).active.max_row == 4
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == DONE_PAGE, timeout=10000)
    assert wizard.result.new == 2 and wizard.result.enrollments_new == 1
    assert "新增 2 人" in wizard.done_label.text()
    assert wizard.done_report_button.isVisibleTo(wizard)  # the rejected row can still be saved to fix
    # the same layout again: the mapping the clerk chose is remembered
    again = open_roster_import(None, village_workspace)
    qtbot.addWidget(again)
    again.path_edit.setText(str(tmp_path / "村花名册.xlsx"))
    again.advance()
    again.advance()
    assert again.mapping()[labels.index("保险")] == "product" and "以前导入过" in again.mapping_note.text()
    # a name changed since: the check lists it beside the refusals, and the tab says how many
    renamed = load_workbook(tmp_path / "村花名册.xlsx")
    renamed.active["D5"] = "孙芳芳"
    renamed.save(tmp_path / "村花名册.xlsx")
    again.today = TODAY
    again.year_spin.setValue(2024)
    again.advance()
    qtbot.waitUntil(lambda: again.pages.currentIndex() == REPORT_PAGE, timeout=10000)
    assert again.changes_table.rowCount() == 1
    assert again.changes_table.item(0, 0).text() == "第5行 孙芳：姓名 孙芳 → 孙芳芳"
    assert again.report_tabs.tabText(1) == "修改已登记信息（1）"


def test_a_file_that_is_not_a_roster_says_why(qtbot, chinese_app, village_workspace, tmp_path):
    wizard = open_roster_import(None, village_workspace)
    qtbot.addWidget(wizard)
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\x00\x01\x02")
    wizard.path_edit.setText(str(path))
    wizard.advance()
    assert "无法读取" in wizard.message.text() and wizard.pages.currentIndex() == 0


def test_export_dialog_writes_the_insurer_list_and_a_template(qtbot, chinese_app, village_workspace, tmp_path):
    from fpdesk.services.rosters.importing import import_roster

    import_roster(village_workspace, roster(tmp_path), year=2024, today=TODAY, product="fp_family_accident_100")
    from fpdesk.services.enrollment.allocations import allocate

    # the insurer's list holds people whose premium is in: the township's allocation for 郑重's household
    allocate(village_workspace, payer="government", voucher_no="城财2024-2", on=dt.date(2024, 4, 30), today=TODAY,
             product="fp_family_accident_100", year=2024)
    dialog = open_roster_export(None, village_workspace)
    qtbot.addWidget(dialog)
    dialog.year_spin.setValue(2024)
    dialog.audience_buttons["insurer"].setChecked(True)
    dialog.out_edit.setText(str(tmp_path / "保险公司.xlsx"))
    assert not dialog.full_ids.isEnabled()
    dialog.export()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    assert dialog.result.rows == 2 and "已导出 2 人" in dialog.message.text()
    dialog.write_template()
    assert "请先选择一个险种" in dialog.message.text()
    dialog.product_combo.setCurrentIndex(dialog.product_combo.findData("fp_family_accident_100"))
    dialog.write_template()
    assert (tmp_path / "保险公司_导入模板.xlsx").exists()


def test_the_import_writes_what_was_checked_and_checks_again_when_the_file_changed(
        qtbot, chinese_app, village_workspace, tmp_path):
    wizard = open_roster_import(None, village_workspace)
    qtbot.addWidget(wizard)
    wizard.today = TODAY
    path = roster(tmp_path)
    wizard.path_edit.setText(str(path))
    wizard.year_spin.setValue(2024)
    wizard.advance()
    wizard.advance()
    labels = [wizard.mapping_table.item(r, 0).text() for r in range(wizard.mapping_table.rowCount())]
    wizard.set_mapping(labels.index("保险"), "product")
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == REPORT_PAGE, timeout=10000)
    first = wizard.dry_run
    assert first.prepared is not None
    assert len(first.rejected_rows) == 1
    # the clerk deleted the bad row in WPS and saved, with the wizard still open
    header = ["序号", "村", "户主姓名", "姓名", "身份证号", "关系", "类别", "保险", "出资", "健康告知", "身故受益人"]
    rows = [[1, "罗翠", "郑重", "郑重", HEAD, "户主", "困难家庭", "fp_family_accident_100", "政府", "是", "法定"],
            [2, "罗翠", "郑重", "孙芳", WIFE, "妻子", "困难家庭", "fp_family_accident_100", "政府", "是", "法定"]]
    write_roster(path, rows, header=header)
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == REPORT_PAGE and wizard.dry_run is not None
                    and wizard.dry_run is not first, timeout=10000)
    qtbot.waitUntil(lambda: "检查之后被修改过" in wizard.message.text(), timeout=10000)
    assert wizard.result is None and wizard.dry_run.rejected == []  # checked again, said why, nothing imported
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == DONE_PAGE, timeout=10000)
    assert wizard.result.new == 2 and wizard.result.enrollments_new == 1
