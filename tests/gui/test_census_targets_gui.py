"""The progress screen with a target set as a share of the census households: the tree counts 城关乡 in
households and says the target as set; its target row is not a split by payer to edit."""

import datetime as dt

from gui_helpers import settle
from PySide6.QtCore import Qt

from fpdesk.gui.ops import shutdown_workers
from fpdesk.gui.screens.progress import ProgressScreen
from fpdesk.services.reports.targets import set_population, set_target
from tests.progress_builders import PRODUCT, enroll_family, family, open_county

D = dt.date


def test_a_census_rate_target_on_the_progress_screen(qtbot, chinese_app, tmp_path, screenshot):
    """城关乡: 10 census households, target 60 % (6 households), stretch 80 %. Two households insured
    in week 10, a third on 10 March: 3 / 10 = 30 %, completion 3 / 6 = 50 %, last week 2 / 6 = 33.3 %.
    雪峰镇 keeps a shares target: 1 of 4 shares = 25 %."""
    ws = open_county(str(tmp_path / "county.sqlite3"), author="县计生协")
    set_population(ws, division_code="350421200", year=2026, residents=31, households=10)
    set_target(ws, year=2026, product=PRODUCT, division_code="350421200", measure="household_rate", rate_bp=6000,
               stretch_bp=8000)
    set_target(ws, year=2026, product=PRODUCT, division_code="350421100", self_paid=4)
    for village, on in (("350421200201", D(2026, 3, 3)), ("350421200202", D(2026, 3, 4)),
                        ("350421200202", D(2026, 3, 10)), ("350421100201", D(2026, 3, 10))):
        enroll_family(ws, family(ws, village)[0], on)
    screen = ProgressScreen(ws, today=D(2026, 3, 15))
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.year.setValue(2026)
    townships = {screen.tree.topLevelItem(i).text(0): screen.tree.topLevelItem(i)
                 for i in range(screen.tree.topLevelItemCount())}
    chengguan, xuefeng = townships["城关乡"], townships["雪峰镇"]
    assert [chengguan.text(c) for c in (1, 2, 3, 4, 8, 11)] == [
        "6户", "2户", "3户", "+1户", "50.0%", "参保率 30%，目标 60%，力争 80%"]
    assert [xuefeng.text(c) for c in (1, 3, 8, 11)] == ["4", "1", "25.0%", "4份"]
    [series] = screen.chart.series()
    assert [series.barSets()[1].at(i) for i in range(2)] == [25.0, 50.0]  # 雪峰镇, 城关乡 by code
    table = screen.target_table
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    assert table.item(rows["350421200"], 6).text() == "参保率 60%（力争 80%）"
    assert not table.item(rows["350421200"], 2).flags() & Qt.ItemFlag.ItemIsEditable
    assert table.item(rows["350421100"], 3).flags() & Qt.ItemFlag.ItemIsEditable
    assert screen.save_targets()
    settle(qtbot)
    assert screen.saved_targets == 0  # the rate target is left as it was set
    screen.show()
    qtbot.waitExposed(screen)
    screenshot(screen, "progress_census_rate_zh")
    screen.tabs.setCurrentIndex(1)
    screenshot(screen, "progress_census_targets_zh")
    shutdown_workers()
    ws.close()


def _entered_in_the_table(qtbot, ws, screenshot, name: str, unit: str = "户"):
    """The clerk sets 城关乡's target as 60 % of its 10 census households (力争 80 %) and 雪峰镇's as
    3 households, in the table, and saves: two rows saved; the tree then counts both in households —
    城关乡's target 60 % × 10 = 6 households (3 in: 50.0 %), 雪峰镇's 3 households (1 in: 33.3 %)."""
    from fpdesk.gui.screens.target_table import COUNT, RATE, STRETCH
    from fpdesk.services.reports.targets import list_targets

    set_population(ws, division_code="350421200", year=2026, residents=31, households=10)
    for village, on in (("350421200201", D(2026, 3, 3)), ("350421200202", D(2026, 3, 4)),
                        ("350421200202", D(2026, 3, 10)), ("350421100201", D(2026, 3, 10))):
        enroll_family(ws, family(ws, village)[0], on)
    screen = ProgressScreen(ws, today=D(2026, 3, 15))
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.year.setValue(2026)
    screen.tabs.setCurrentIndex(1)
    table = screen.target_table
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    chengguan, xuefeng = rows["350421200"], rows["350421100"]
    table.set_measure(chengguan, "household_rate")
    assert table.item(chengguan, RATE).flags() & Qt.ItemFlag.ItemIsEditable
    assert not table.item(chengguan, 3).flags() & Qt.ItemFlag.ItemIsEditable
    table.item(chengguan, RATE).setText("60")
    table.item(chengguan, STRETCH).setText("80%")
    table.set_measure(xuefeng, "households")
    assert not table.item(xuefeng, RATE).flags() & Qt.ItemFlag.ItemIsEditable
    table.item(xuefeng, COUNT).setText("3")
    assert screen.save_targets()
    settle(qtbot)
    assert screen.saved_targets == 2
    stored = {t["division_code"]: t for t in list_targets(ws, year=2026, product=PRODUCT)}
    assert (stored["350421200"]["measure"], stored["350421200"]["rate_pct"], stored["350421200"]["stretch_pct"]) == (
        "household_rate", 60.0, 80.0)
    assert (stored["350421100"]["measure"], stored["350421100"]["quantity"]) == ("households", 3)
    townships = {screen.tree.topLevelItem(i).text(0): screen.tree.topLevelItem(i)
                 for i in range(screen.tree.topLevelItemCount())}
    assert [townships["城关乡"].text(c) for c in (1, 3, 8)] == [f"6{unit}", f"3{unit}", "50.0%"]
    assert [townships["雪峰镇"].text(c) for c in (1, 3, 8)] == [f"3{unit}", f"1{unit}", "33.3%"]
    total = screen.tree.topLevelItem(screen.tree.topLevelItemCount() - 1)
    assert total.text(1) == "—"  # a rate and a count: no one target figure for the total, not 0
    assert screen.save_targets()
    settle(qtbot)
    assert screen.saved_targets == 0  # read back as stored: nothing to save again
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    assert table.item(rows["350421200"], RATE).text() == "60%" and table.measure(rows["350421100"]) == "households"
    screen.show()
    qtbot.waitExposed(screen)
    screenshot(screen, name)
    return screen


def test_targets_in_households_and_as_a_census_rate_are_entered_in_the_table(qtbot, chinese_app, tmp_path,
                                                                             screenshot):
    ws = open_county(str(tmp_path / "county.sqlite3"), author="县计生协")
    screen = _entered_in_the_table(qtbot, ws, screenshot, "progress_targets_entered_zh")
    table = screen.target_table
    said = {table.item(r, 1).text(): table.item(r, 6).text() for r in range(table.rowCount())}
    assert (said["350421100"], said["350421200"]) == ("3户", "参保率 60%（力争 80%）")
    shutdown_workers()
    ws.close()


def test_the_target_table_in_english(qtbot, qapp, tmp_path, screenshot):
    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.screens.target_table import MEASURE

    install_language(qapp, "en")
    try:
        ws = open_county(str(tmp_path / "county.sqlite3"), author="县计生协")
        screen = _entered_in_the_table(qtbot, ws, screenshot, "progress_targets_entered_en", " hh")
        table = screen.target_table
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert "Set as" in headers and "Rate" in headers
        combo = table.cellWidget(0, MEASURE)
        assert [combo.itemText(i) for i in range(combo.count())] == [
            "Shares", "Households", "Persons", "Share of census households", "Share of residents"]
        rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
        assert table.item(rows["350421200"], 6).text() == "household rate 60% (stretch 80%)"
        screen.tabs.setCurrentIndex(0)
        screenshot(screen, "progress_census_en")
        shutdown_workers()
        ws.close()
    finally:
        install_language(qapp, "zh_CN")
