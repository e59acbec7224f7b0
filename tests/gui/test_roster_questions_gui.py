"""The wizard asks the form's missing columns once, lists who is not insured, and adds a township's
villages from the check page (pytest-qt, a real file built with openpyxl, a real database)."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_helpers import settle
from PySide6.QtCore import Qt
from roster_builders import Families, common_rows, write_common_roster

from fpdesk.gui.dialogs.roster_import_wizard import DONE_PAGE, MAPPING_PAGE, REPORT_PAGE, open_roster_import

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def township(tmp_path):
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.registry.divisions import add_division
    from fpdesk.services.workspace import init_office
    ws = open_workspace(str(tmp_path / "township.sqlite3"), author="录入员")
    init_office(ws, code="350421200", level="township", name="城关乡卫生计生办")
    for name, code in (("罗翠村", "350421200201"), ("城东村", "350421200202")):
        add_division(ws, name=name, under="350421200", code=code)
    yield ws
    ws.close()


def roster(tmp_path):
    made = Families(seed=47)
    families = [made.family(("罗翠村", "城东村")[i % 2], grandparent=i == 1) for i in range(6)]
    families += [made.family("新建村", children=1), made.family("罗萃村", children=1)]
    return write_common_roster(tmp_path / "城关乡花名册.xlsx", common_rows(families)), families


def to_mapping_page(qtbot, workspace, path):
    wizard = open_roster_import(None, workspace)
    qtbot.addWidget(wizard)
    wizard.today = TODAY
    wizard.year_spin.setValue(2026)
    wizard.path_edit.setText(str(path))
    wizard.advance()
    wizard.advance()
    assert wizard.pages.currentIndex() == MAPPING_PAGE
    return wizard


def test_missing_form_columns_are_asked_once_and_the_check_waits_for_them(qtbot, chinese_app, township, tmp_path,
                                                                          screenshot):
    path, _families = roster(tmp_path)
    wizard = to_mapping_page(qtbot, township, path)
    box = wizard.questions
    assert box.isVisibleTo(wizard) and [q.key for q in box.questions] == ["health_declaration", "beneficiary_type"]
    assert box.combos["health_declaration"].currentData() is None  # nobody answered: the check waits
    assert box.combos["beneficiary_type"].currentText() == "全部填为“法定”"  # a blank beneficiary is 法定
    assert not wizard.next_button.isEnabled() and "被保险人身体健康" in wizard.message.text()
    wizard.resize(1366, 768)
    screenshot(wizard, "roster_mapping_questions_zh")
    box.choose("health_declaration", "true")
    assert wizard.next_button.isEnabled() and wizard.message.text() == ""
    # a column mapped to the question answers it: the question goes away
    labels = [wizard.mapping_table.item(r, 0).text() for r in range(wizard.mapping_table.rowCount())]
    wizard.set_mapping(labels.index("是否低保"), "form:health_declaration")
    assert [q.key for q in box.questions] == ["beneficiary_type"]
    wizard.set_mapping(labels.index("是否低保"), "")
    assert box.combos["health_declaration"].currentData() == "true"  # what was chosen is kept

    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == REPORT_PAGE, timeout=15000)
    result = wizard.dry_run
    assert result.file_issues == [] and len(result.not_insured) == 1
    assert wizard.report_tabs.tabText(2) == "不参保（1）" and "新参保最高65周岁" in wizard.not_insured_table.item(0, 2).text()
    assert {i.code for i in result.rejected} == {"unknown_division"}  # every row names its village
    assert wizard.add_villages_button.isVisibleTo(wizard)
    screenshot(wizard, "roster_report_not_insured_zh")
    dialog = wizard.open_add_villages()
    qtbot.addWidget(dialog)
    ticked = {dialog.table.item(r, 0).text(): dialog.table.item(r, 0).checkState() for r in range(2)}
    assert ticked == {"新建村": Qt.CheckState.Checked, "罗萃村": Qt.CheckState.Unchecked}  # a typo of 罗翠村
    assert "罗翠村" in dialog.table.item(1, 2).text()
    dialog.add()
    settle(qtbot)  # the villages added, then checked again
    qtbot.waitUntil(lambda: wizard.dry_run is not None and wizard.pages.currentIndex() == REPORT_PAGE, timeout=15000)
    assert set(wizard.dry_run.unknown_divisions) == {("城关乡", "罗萃村")} and "已添加：新建村" in wizard.message.text()
    wizard.advance()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == DONE_PAGE, timeout=15000)
    assert wizard.result.enrollments_new == 7 and "1 人按险种规定不参保" in wizard.done_label.text()
    # the same layout next time: the answer is remembered with the mapping, the check is not held up
    again = to_mapping_page(qtbot, township, path)
    assert again.questions.combos["health_declaration"].currentData() == "true" and again.next_button.isEnabled()


def test_the_mapping_page_in_english(qtbot, qapp, township, tmp_path, screenshot):
    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.setup import STYLE_SHEET, install_font

    install_font(qapp)
    install_language(qapp, "en")
    qapp.setStyleSheet(STYLE_SHEET)
    try:
        path, _ = roster(tmp_path)
        wizard = to_mapping_page(qtbot, township, path)
        assert wizard.questions.title().startswith("Form questions")
        assert wizard.questions.combos["beneficiary_type"].currentText() == "Fill all with 'Statutory heirs'"
        wizard.resize(1366, 768)
        screenshot(wizard, "roster_mapping_questions_en")
    finally:
        install_language(qapp, "zh_CN")
