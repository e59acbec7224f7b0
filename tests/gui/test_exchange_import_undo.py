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
