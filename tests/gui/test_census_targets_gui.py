"""The progress screen with a target set as a share of the census households: the tree counts 城关乡 in
households and says the target as set; its target row is not a split by payer to edit."""

import datetime as dt

from gui_helpers import settle
from PySide6.QtCore import Qt

from fpdesk.gui.ops import shutdown_workers
from fpdesk.gui.screens.progress import ProgressScreen
from fpdesk.services.targets import set_population, set_target
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
