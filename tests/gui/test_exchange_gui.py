"""数据交换 from the GUI alone: a county invites a township, the township joins from the setup
wizard, and packages move both ways through the export and import dialogs (dry run, then Apply)."""

from __future__ import annotations

from gui_helpers import settle, type_chinese
from PySide6.QtCore import Qt

from fpdesk.gui.dialogs.setup_wizard import OFFICE, SetupWizard
from fpdesk.gui.main_window import MainWindow
from fpdesk.gui.ops import BackgroundOp
from fpdesk.services.opening import open_workspace


def wait_done(qtbot):
    qtbot.waitUntil(lambda: not BackgroundOp.running, timeout=30000)


def set_up(qtbot, path, code, name, level_index):
    workspace = open_workspace(str(path), author="管理员")
    wizard = SetupWizard(workspace)
    qtbot.addWidget(wizard)
    list(wizard.level_buttons.values())[level_index].setChecked(True)
    qtbot.keyClicks(wizard.code, code)
    type_chinese(wizard.name, name)
    wizard._set_up()
    assert wizard.choice == OFFICE
    return workspace


def window(qtbot, workspace, user_settings):
    main = MainWindow(workspace, user_settings)
    qtbot.addWidget(main)
    main.show()
    main.navigation.setCurrentRow(5)
    return main, main.exchange


def test_pairing_and_packages_both_ways_from_the_gui(qtbot, chinese_app, tmp_path, user_settings, screenshot):
    usb = tmp_path / "usb"
    usb.mkdir()
    county = set_up(qtbot, tmp_path / "county.sqlite3", "350421", "明溪县计生协", 2)
    county_window, county_screen = window(qtbot, county, user_settings)
    county_screen.folder = usb

    # the county invites a township: an invitation file and a pairing code to read out
    add = county_screen.open_add_child()
    qtbot.keyClicks(add.code, "350421200")
    type_chinese(add.name, "城关乡计生协")
    qtbot.mouseClick(add.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert add.invitation is not None and add.error.text() == ""
    pairing_code = add.code_label.text()
    screenshot(add, "exchange-1-invite")
    add.close()
    assert county_screen.partners.rowCount() == 1
    assert county_screen.partners.item(0, 4).text() == "已邀请，待加入"

    # the township's first start: join by invitation from the setup wizard (a wrong code first)
    township = open_workspace(str(tmp_path / "township.sqlite3"), author="管理员")
    wizard = SetupWizard(township)
    qtbot.addWidget(wizard)
    join = wizard.join.open()
    qtbot.keyClicks(join.path, str(usb / "350421200.invite"))
    qtbot.keyClicks(join.code, "1111-2222-3333")
    join.join()
    assert "配对码不对" in join.error.text() and township.office is None
    screenshot(join, "exchange-2-join-wrong-code")
    join.code.clear()
    qtbot.keyClicks(join.code, pairing_code)
    join.join()
    assert wizard.choice == OFFICE and township.require_office().code == "350421200"
    township_window, township_screen = window(qtbot, township, user_settings)

    # township → county
    export = township_screen.open_export()
    assert export.partner.currentData() == "350421"
    export.folder.setEditText(str(usb))
    qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot)
    assert export.summary is not None and export.summary.path.exists()
    assert "KB" in export.result.text() and export.error.text() == ""
    screenshot(export, "exchange-3-export")
    package = export.summary.path
    export.close()

    importer = county_screen.open_import()
    qtbot.keyClicks(importer.path, str(package))
    qtbot.mouseClick(importer.check_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot)
    assert importer.report is not None and importer.apply_button.isEnabled()
    assert int(importer.table.item(0, 1).text()) > 0  # new records
    screenshot(importer, "exchange-4-dry-run")
    qtbot.mouseClick(importer.apply_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot)
    assert importer.applied is not None and importer.applied.new == importer.report.new
    importer.close()
    assert county_screen.partners.item(0, 4).text() == "有效"
    assert "350421200" in county_window.exchange_label.text()
    screenshot(county_window, "exchange-5-county-window")

    # county → township
    export = county_screen.open_export()
    export.folder.setEditText(str(usb))
    qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot)
    answer = export.summary.path
    export.close()
    importer = township_screen.open_import()
    qtbot.keyClicks(importer.path, str(answer))
    importer.check()
    wait_done(qtbot)
    importer.apply()
    wait_done(qtbot)
    assert importer.applied is not None and importer.error.text() == ""
    importer.close()
    # the same package again is recognised; a damaged copy is refused with a message
    again = township_screen.open_import()
    qtbot.keyClicks(again.path, str(answer))
    again.check()
    wait_done(qtbot)
    assert "已经导入过" in again.summary.text() and not again.apply_button.isEnabled()
    damaged = tmp_path / "damaged.fpsync"
    data = bytearray(answer.read_bytes())
    data[-3] ^= 0x40
    damaged.write_bytes(bytes(data))
    again.path.setText(str(damaged))
    again.check()
    wait_done(qtbot)
    assert "损坏" in again.error.text() or "改动" in again.error.text()
    screenshot(again, "exchange-6-refused")
    again.close()
    screenshot(township_window, "exchange-7-township-window")

    # revoking from the county's screen
    county_screen.partners.selectRow(0)
    county_screen.ask = lambda _text: True
    assert county_screen.revoke_selected()
    settle(qtbot)
    assert county_screen.partners.item(0, 4).text() == "已注销"
    county.close()
    township.close()


def test_conflict_and_duplicate_review(qtbot, chinese_app, tmp_path, screenshot):
    from fpdesk.services.registry import households as hh
    from fpdesk.services.sync import conflicts
    from fpdesk.storage.schema import Household
    from tests.services.sync_helpers import Offices, register_family

    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    village = offices.pair(township, "350421200201", "village", "罗翠村计生协")
    other = offices.pair(township, "350421200202", "village", "城东村计生协")
    household = register_family(village, "350421200201", "林国华", 7).primary_id
    offices.send(village, township)
    hh.update_household(village, household, address="罗翠村5组8号")
    hh.update_household(township, household, address="罗翠村5组9号")
    offices.send(village, township)
    register_family(village, "350421200201", "赵丽", 300)
    register_family(other, "350421200202", "赵丽", 300, address="城东村2组")
    offices.send(village, township)
    offices.send(other, township)

    from fpdesk.gui.screens.exchange import ExchangeScreen

    screen = ExchangeScreen(township)
    qtbot.addWidget(screen)
    screen.resize(1000, 640)
    screen.show()
    assert screen.conflicts.rowCount() == 1 and screen.duplicates.rowCount() == 1
    screenshot(screen, "exchange-8-reviews")
    dialog = screen.open_conflict()
    assert dialog.table.item(0, 1).text() == "1组1号" and dialog.table.item(0, 3).text() == "罗翠村5组8号"
    screenshot(dialog, "exchange-9-conflict")
    dialog.take("address", "theirs")
    dialog.resolve()
    settle(qtbot)
    assert screen.conflicts.rowCount() == 0 and conflicts.list_conflicts(township) == []
    with township.read() as session:
        assert session.get(Household, household).address == "罗翠村5组8号"
    screen.duplicates.selectRow(0)
    screen.decide_duplicate("distinct")
    settle(qtbot)
    assert screen.duplicates.rowCount() == 0
    offices.close()
