"""行政区划 in the GUI: the list with its offices, a county's import and units, a township's own
villages; the setup of a county takes its division list (pytest-qt, real files, a real database)."""

from __future__ import annotations

from gui_helpers import settle
from roster_builders import write_division_list

from fpdesk.core.vocabulary import OfficeLevel
from fpdesk.gui.dialogs.divisions_dialog import DivisionsDialog
from fpdesk.gui.dialogs.setup_wizard import OFFICE, SetupWizard
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry.divisions import list_divisions


def test_a_county_is_set_up_with_its_division_list(qtbot, chinese_app, tmp_path):
    workspace = open_workspace(str(tmp_path / "county.sqlite3"))
    wizard = SetupWizard(workspace)
    qtbot.addWidget(wizard)
    assert not wizard.division_row.isVisibleTo(wizard)  # a village is not offered the county's list
    wizard.level_buttons[OfficeLevel.COUNTY].setChecked(True)
    assert wizard.division_row.isVisibleTo(wizard)
    wizard.code.setText("350421")
    wizard.name.setText("明溪县计生协")
    bad = tmp_path / "乱.csv"
    bad.write_text("甲,乙\n1,2\n", encoding="utf-8")
    wizard.division_list.setText(str(bad))
    wizard._set_up()
    assert "表头" in wizard.message.text() and workspace.office is None  # said before anything is set up
    wizard.division_list.setText(str(write_division_list(tmp_path / "区划.xlsx")))
    wizard._set_up()
    assert wizard.choice == OFFICE and "新增 12 个" in wizard.divisions_note
    names = {e.name for e in list_divisions(workspace)}
    assert {"明溪县", "城关乡", "罗翠村委会", "县教育局", "机关"} <= names
    workspace.close()


def test_the_division_list_shows_offices_and_a_township_adds_its_village(qtbot, chinese_app, tmp_path, screenshot):
    from fpdesk.services.workspace import init_office

    workspace = open_workspace(str(tmp_path / "township.sqlite3"))
    init_office(workspace, code="350421200", level="township", name="城关乡卫生计生办")
    dialog = DivisionsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()  # on view: it follows the divisions added from its own small dialog
    assert not dialog.unit_button.isVisibleTo(dialog) and dialog.add_button.isVisibleTo(dialog)
    assert [dialog.table.item(0, c).text().strip() for c in range(4)] == ["城关乡", "350421200", "乡", "有"]
    add = dialog.open_add("village")
    qtbot.addWidget(add)
    add.name.setText("坪埠村")
    add.code.setText("350421200203")
    add.add()
    settle(qtbot)
    assert dialog.table.rowCount() == 2 and dialog.table.item(1, 0).text().strip() == "坪埠村"
    again = dialog.open_add("village")
    qtbot.addWidget(again)
    again.name.setText("坪埠村")
    again.add()
    settle(qtbot)
    assert "已经有" in again.message.text()  # the same name twice under one township
    dialog.import_list(write_division_list(tmp_path / "区划.xlsx"))
    settle(qtbot)
    assert "不属于本单位而跳过" in dialog.done_label.text() and dialog.table.rowCount() == 7
    dialog.resize(1000, 600)
    screenshot(dialog, "divisions_township_zh")
    workspace.close()


def test_the_exchange_screen_opens_the_division_list(qtbot, chinese_app, tmp_path):
    from fpdesk.gui.screens.exchange import ExchangeScreen
    from fpdesk.services.workspace import init_office

    workspace = open_workspace(str(tmp_path / "village.sqlite3"))
    init_office(workspace, code="350421200201", level="village", name="罗翠村计生协")
    screen = ExchangeScreen(workspace)
    qtbot.addWidget(screen)
    dialog = screen.open_divisions()
    assert isinstance(dialog, DivisionsDialog) and dialog.table.rowCount() == 1
    assert not dialog.import_button.isVisibleTo(dialog) and not dialog.add_button.isVisibleTo(dialog)  # a village
    dialog.close()  # closing it once crashed the program (an attribute hid QDialog.done)
    workspace.close()
