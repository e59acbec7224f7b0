"""The import dialog shows the dry run's counts before the import and, after it, undoes it from the
copy the import made of the database just before (the exchange screen says so and refreshes)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fpdesk.gui.main_window import MainWindow
from fpdesk.gui.ops import BackgroundOp
from fpdesk.services.workspace import add_division
from tests.services.sync_helpers import Offices, person_count, register_family


def wait_done(qtbot):
    qtbot.waitUntil(lambda: not BackgroundOp.running, timeout=30000)


def test_counts_before_the_import_and_undo_after_it(qtbot, chinese_app, tmp_path, user_settings, screenshot):
    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    add_division(township, code="350421200201", name="罗翠村", code_year=2024)
    for number in range(3):
        register_family(township, "350421200201", f"林秀英{'一二三'[number]}", 100 + number)
    package = offices.export(township, county)
    before = person_count(county)

    main = MainWindow(county, user_settings)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    main.navigation.setCurrentRow(5)
    importer = main.exchange.open_import()
    qtbot.keyClicks(importer.path, str(package))
    qtbot.mouseClick(importer.check_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot)
    assert f"新增 {importer.report.new} 条" in importer.summary.text() and "可以撤销" in importer.summary.text()
    assert importer.report.new >= 6  # 3 households, 3 persons (and the village)
    assert not importer.undo_button.isVisible() and person_count(county) == before
    screenshot(importer, "exchange-import-confirm")
    qtbot.mouseClick(importer.apply_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot)
    assert importer.applied.backup and person_count(county) == before + 3
    assert importer.undo_button.isVisible() and "撤销导入" in importer.summary.text()
    screenshot(importer, "exchange-import-done")

    qtbot.mouseClick(importer.undo_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot)
    assert importer.error.text() == "" and "已撤销导入" in importer.summary.text()
    assert person_count(county) == before and not importer.undo_button.isVisible()
    assert "已撤销导入" in main.exchange.message.text()
    screenshot(main, "exchange-import-undone")
    # the package can be imported again: the county is as it was before it
    importer.check()
    wait_done(qtbot)
    assert importer.report is not None and not importer.report.already_imported
    importer.close()
    offices.close()


def test_what_the_importer_notes_is_shown_before_apply_in_the_interface_language(qtbot, qapp, chinese_app, tmp_path,
                                                                                screenshot):
    """The importer's notes (here: a person whose name is longer than the column, refused alone) stood
    in the command line's output only; the dialog showed its counts and nothing of them."""
    from fpdesk.core import sync_package as fmt
    from fpdesk.gui.i18n import install_language
    from tests.services.test_sync_dry_run_chunks import _entries
    from tests.trust.test_hostile_packages import forge

    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    add_division(township, code="350421200201", name="罗翠村", code_year=2024)
    register_family(township, "350421200201", "林秀英", 100)
    entries = _entries(township, county, tmp_path)
    [person] = [entry for entry in entries if entry[1] == "person" and entry[5]["name"] == "林秀英"]
    person[5]["name"] = "林" * 60
    package = forge(township, county, tmp_path, lines=[fmt.entry_line(*entry) for entry in entries])
    importer = import_dialog(county, package, qtbot)
    importer.check()
    wait_done(qtbot)
    tail = person[2].replace("-", "")[-6:]
    assert importer.notes.isVisible() and importer.report.rejected == 1
    assert importer.notes.text() == f"• 一条人员记录的“姓名”超过 50 个字，未导入（编号尾号 {tail}）。"
    assert importer.summary.text().startswith("来自 城关乡计生协（350421200） 的第")  # the office a clerk knows by name
    screenshot(importer, "exchange-import-notes")
    install_language(qapp, "en")
    try:
        importer.check()
        wait_done(qtbot)
        assert "City" not in importer.summary.text() and "城关乡计生协 (350421200)" in importer.summary.text()
        assert importer.notes.text() == (f"• A person record's name is longer than 50 characters and was not"
                                         f" imported (id ending {tail}).")
        screenshot(importer, "exchange-import-notes-en")
    finally:
        install_language(qapp, "zh_CN")
    importer.close()
    offices.close()


def test_a_package_without_notes_shows_none(qtbot, chinese_app, tmp_path):
    offices = Offices(tmp_path)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    add_division(township, code="350421200201", name="罗翠村", code_year=2024)
    register_family(township, "350421200201", "林秀英", 100)
    importer = import_dialog(county, offices.export(township, county), qtbot)
    importer.check()
    wait_done(qtbot)
    assert importer.report.new >= 3 and importer.notes.text() == "" and not importer.notes.isVisible()
    importer.close()
    offices.close()


def import_dialog(workspace, package, qtbot):
    from fpdesk.gui.dialogs.exchange_dialogs import ImportDialog

    dialog = ImportDialog(workspace, path=str(package))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_past_eight_notes_the_rest_are_counted(qtbot, chinese_app, tmp_path):
    from fpdesk.services.sync.importer import ImportReport

    offices = Offices(tmp_path)
    importer = import_dialog(offices.county(), "", qtbot)
    report = ImportReport(package="p", sender="350421200", package_id="x", sequence=1)
    for number in range(11):
        report.note(f"说明{number}", f"note {number}")
    importer._show_notes(report)
    lines = importer.notes.text().split("\n")
    assert lines[:2] == ["• 说明0", "• 说明1"] and lines[7] == "• 说明7" and lines[8] == "……另有 3 条说明"
    assert len(lines) == 9
    importer.close()
    offices.close()
