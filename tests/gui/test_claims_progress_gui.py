"""The progress dashboard (targets entered and imported, the tree, the Qt Charts bar chart, the bulletin
to PDF and xlsx, statistics) and the claims screen (register, report, checklist, pay within the pool,
close; hospital days used and remaining), as a township clerk would use them, offscreen."""

import datetime as dt
from pathlib import Path

import pytest
import shiboken6
from gui_helpers import settle
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from fpdesk.gui.dialogs.print_preview import PrintPreviewDialog
from fpdesk.gui.main_window import MainWindow
from fpdesk.gui.ops import shutdown_workers
from fpdesk.gui.screens.claims import ClaimsScreen
from fpdesk.gui.screens.progress import ProgressScreen
from fpdesk.services.enrollment.eligible_list import import_eligible_list
from tests.progress_builders import enroll_family, family, open_county

D = dt.date
TODAY = D(2026, 3, 15)
ANNEX_CSV = Path(__file__).parent.parent / "data" / "targets" / "mingxi_2020_targets.csv"


@pytest.fixture
def county(tmp_path):
    ws = open_county(str(tmp_path / "county.sqlite3"), author="乡镇计生办")
    for village, on in (("350421200201", D(2026, 3, 3)), ("350421200202", D(2026, 3, 10)),
                        ("350421100201", D(2026, 3, 10))):
        enroll_family(ws, family(ws, village)[0], on)
    yield ws
    ws.close()


def test_targets_progress_chart_bulletin_and_stats(qtbot, chinese_app, county, tmp_path, screenshot):
    screen = ProgressScreen(county, today=TODAY)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.year.setValue(2026)
    # the clerk types two townships' targets into the table and saves them
    table = screen.target_table
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    assert "350421200" in rows and "350421900" in rows
    table.item(rows["350421200"], 2).setText("2")
    table.item(rows["350421200"], 3).setText("2")
    table.item(rows["350421100"], 3).setText("4")
    assert screen.save_targets()
    settle(qtbot)
    assert screen.saved_targets == 2
    townships = {screen.tree.topLevelItem(i).text(0): screen.tree.topLevelItem(i)
                 for i in range(screen.tree.topLevelItemCount())}
    chengguan = townships["城关乡"]
    assert [chengguan.text(c) for c in (1, 2, 3, 4, 8, 9)] == ["4", "1", "2", "+1", "50.0%", "1"]
    assert chengguan.childCount() == 2 and townships["合计"].text(3) == "3"
    [series] = screen.chart.series()
    previous, current = series.barSets()
    assert [current.at(i) for i in range(current.count())] == [25.0, 50.0]  # 雪峰镇, 城关乡 by code
    assert [previous.at(i) for i in range(previous.count())] == [0.0, 25.0]
    # 130 % is labelled 130 (two significant digits wrote 1.3e+02); last week's bars carry no label
    assert series.labelsPrecision() >= 3 and previous.labelColor().alpha() == 0
    assert "雪峰镇" in screen.laggards.text()
    screen.show()
    qtbot.waitExposed(screen)
    screenshot(screen, "progress_dashboard_zh")

    # a family enrolls while the dashboard is open: the next timed refresh shows it
    enroll_family(county, family(county, "350421100201")[0], D(2026, 3, 12))
    screen.timer.timeout.emit()  # recounts off the GUI thread
    qtbot.waitUntil(lambda: screen.report.total.enrolled.total == 4, timeout=30000)

    # the weekly bulletin: the PDF opens in the preview; the workbook is written where asked
    screen.week.setValue(11)
    screen.print_bulletin()
    qtbot.waitUntil(lambda: screen.last_bulletin is not None, timeout=30000)
    assert isinstance(screen.preview, PrintPreviewDialog) and screen.preview.document.pageCount() == 1
    screen.preview.close()
    screen.bulletin_format.setCurrentIndex(screen.bulletin_format.findData(".xlsx"))
    screen.last_bulletin = None
    screen.print_bulletin(tmp_path / "通报.xlsx")
    qtbot.waitUntil(lambda: screen.last_bulletin is not None, timeout=30000)
    sheet = load_workbook(tmp_path / "通报.xlsx")["周通报"]
    assert (sheet["B4"].value, sheet["H4"].value, sheet["B5"].value) == ("雪峰镇", 0.5, "城关乡")  # a tie: by code

    # importing the annex replaces the figures; statistics count the calendar year by default
    screen.year.setValue(2020)
    assert screen.import_targets(ANNEX_CSV)
    settle(qtbot)
    result = screen.last_import
    assert result.totals["total"] == 7704 and "7704" in screen.status.text()
    screen.year.setValue(2026)
    screen.tabs.setCurrentIndex(2)
    names = [screen.stats_table.item(r, 0).text() for r in range(screen.stats_table.rowCount())]
    assert names[-2:] == ["合计", "其中：自主投保"]
    assert screen.stats_table.item(names.index("合计"), 1).text() == "4"
    assert screen.stats_table.item(names.index("城关乡"), 2).text() == "+2"  # nothing in 2025
    assert "赔付率" in screen.stats_note.text() and "2026-01-01" in screen.stats_note.text()
    assert screen.stats_levels.text() == "各级承担的保费：个人（家庭） ¥400.00（100.00%）"
    screen.start_month.setValue(9)
    assert "2025-09-01" in screen.stats_note.text()
    screenshot(screen, "progress_stats_zh")
    shutdown_workers()


def test_statistical_year_saved_once_the_spin_box_settles(qtbot, chinese_app, county):
    from sqlalchemy import func, select

    from fpdesk.services.reports.statistics import default_start_month
    from fpdesk.services.trust import accounts
    from fpdesk.storage.schema import ChangeEntry

    def setting_writes() -> int:
        with county.read() as session:
            return session.scalar(select(func.count()).where(ChangeEntry.entity == "setting"))

    before = setting_writes()
    screen = ProgressScreen(county, today=TODAY)
    qtbot.addWidget(screen)
    screen.year.setValue(2026)
    screen.tabs.setCurrentIndex(2)
    for month in range(2, 10):  # the clerk clicks the arrow up to September: the figures follow each step
        screen.start_month.stepUp()
        assert f"2025-{month:02d}-01" in screen.stats_note.text()
    assert default_start_month(county, None) == 1 and setting_writes() == before  # not saved at every step
    qtbot.waitUntil(lambda: default_start_month(county, None) == 9, timeout=5000)
    screen.start_month.editingFinished.emit()  # leaving the box unchanged writes nothing more
    settle(qtbot)
    assert setting_writes() == before + 1

    # a user who may only look still sees the year they pick, but it is not saved for the office
    accounts.add_user(county, name="boss", password="password1", role="admin")
    accounts.add_user(county, name="look", password="password2", role="viewer")
    accounts.log_in(county, "look", "password2")
    screen.start_month.setValue(3)
    assert "2025-03-01" in screen.stats_note.text()
    screen.start_month.editingFinished.emit()
    settle(qtbot)
    assert "修改设置" in screen.status.text() and default_start_month(county, None) == 9


def test_claims_screen_reloads_only_what_a_step_changed(qtbot, chinese_app, county, monkeypatch):
    from collections import Counter

    from fpdesk.services.enrollment import claims

    household, (head, *_) = family(county, "350421200201")
    enroll_family(county, household, D(2026, 3, 1))
    claims.register_claim(county, person=head, kind="accidental_death", incident_on=D(2026, 4, 1),
                          today=D(2026, 7, 1))
    loads = Counter()
    logged_views = []  # whether each claim_detail call logs a view of the claim's personal information

    def counting(name):
        real = getattr(claims, name)

        def counted(*args, **kwargs):
            loads[name] += 1
            if name == "claim_detail":
                logged_views.append(kwargs.get("log_view", True))
            return real(*args, **kwargs)
        return counted

    for name in ("list_claims", "claim_detail"):
        monkeypatch.setattr(claims, name, counting(name))
    screen = ClaimsScreen(county, today=D(2026, 7, 1))
    qtbot.addWidget(screen)
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("accidental_death"))
    loads.clear()

    def step() -> tuple[int, int]:
        counts = (loads["list_claims"], loads["claim_detail"])
        loads.clear()
        return counts

    # registering lists the new claim (the filters that would hide it are cleared) and shows it, once each
    dialog = screen.open_register()
    qtbot.keyClicks(dialog.id_number, head)
    dialog.kind.setCurrentIndex(dialog.kind.findData("accidental_medical"))
    dialog.incident.setDate(dialog.incident.date().addDays(-30))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    settle(qtbot)
    assert step() == (1, 1)
    assert screen.kind_filter.currentData() is None and screen.table.rowCount() == 2
    assert screen.detail["kind"] == "accidental_medical" and screen.table.selectionModel().selectedRows()[0].row() == 0
    # a step reloads the claim alone and updates its row in place
    report = screen.open_report()
    report.number.setText("PICC2026-002")
    report.buttons.button(report.buttons.StandardButton.Ok).click()
    settle(qtbot)
    assert step() == (0, 1)
    assert screen.detail["status"] == "reported" and screen.table.item(0, 5).text() == "已报案"
    screen.green_box.click()
    settle(qtbot)
    assert step() == (0, 1) and screen.table.item(0, 8).text() == "是" and screen.detail["green_channel"]
    logged_views.clear()
    screen.complete_button.click()  # refused: documents missing; the claim is shown as it stands
    settle(qtbot)
    assert step() == (0, 1) and "理赔资料还缺" in screen.message.text()
    assert logged_views == [False]  # shown again, not viewed again: the access log has its opening already
    # choosing a status filter reloads the list and the chosen claim, once each
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("reported"))
    assert step() == (1, 1) and screen.table.rowCount() == 1 and screen.detail["status"] == "reported"
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("paid"))
    assert step() == (1, 0) and screen.table.rowCount() == 0 and screen.detail is None


def test_claims_screen_from_incident_to_closed(qtbot, chinese_app, county, screenshot):
    household, (head, *_) = family(county, "350421200201")
    enroll_family(county, household, D(2026, 3, 1))
    screen = ClaimsScreen(county, today=D(2026, 7, 1))
    qtbot.addWidget(screen)
    screen.resize(1200, 760)
    dialog = screen.open_register()
    qtbot.keyClicks(dialog.id_number, head)
    dialog.kind.setCurrentIndex(dialog.kind.findData("accidental_medical"))
    dialog.incident.setDate(dialog.incident.date().addDays(-60))
    dialog.claimed.setText("9000")
    dialog.green_channel.setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    settle(qtbot)
    # closed once saved; it may be gone already (deleted on close when the event loop ran meanwhile)
    assert (not shiboken6.isValid(dialog) or not dialog.isVisible()) and screen.table.rowCount() == 1
    assert screen.detail["green_channel"] and screen.detail["status"] == "registered"
    assert "家庭共享医疗保额" in screen.limit_label.text() and "¥14,000.00" in screen.limit_label.text()

    report = screen.open_report()
    report.buttons.button(report.buttons.StandardButton.Ok).click()  # no report number: refused in place
    settle(qtbot)
    assert report.isVisible() and "报案号" in report.error.text()
    report.number.setText("PICC2026-001")
    report.buttons.button(report.buttons.StandardButton.Ok).click()
    settle(qtbot)
    assert screen.detail["status"] == "reported" and screen.complete_button.isEnabled()
    screen.complete_button.click()
    settle(qtbot)
    assert "理赔资料还缺" in screen.message.text()
    for index in range(screen.checklist.count()):
        screen.checklist.item(index).setCheckState(Qt.CheckState.Checked)
    screen.save_documents_button.click()
    settle(qtbot)
    screen.complete_button.click()
    settle(qtbot)
    screen.submit_button.click()
    settle(qtbot)
    assert screen.detail["status"] == "submitted"
    pay = screen.open_payment()
    pay.amount.setText("15000")
    pay.buttons.button(pay.buttons.StandardButton.Ok).click()
    settle(qtbot)
    assert pay.isVisible() and "超过" in pay.error.text()
    pay.amount.setText("9000")
    pay.buttons.button(pay.buttons.StandardButton.Ok).click()
    settle(qtbot)
    screen.home_box.click()
    settle(qtbot)
    screen.close_button.click()
    settle(qtbot)
    detail = screen.detail
    assert detail["status"] == "closed" and detail["home_visit"] and detail["limit"]["used_fen"] == 900000
    assert screen.timeline.rowCount() == len(detail["timeline"]) == 8
    assert {screen.timeline.item(r, 2).text() for r in range(screen.timeline.rowCount())} == {"乡镇计生办"}
    screen.show()
    qtbot.waitExposed(screen)
    screenshot(screen, "claims_closed_zh")
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("open"))
    assert screen.table.rowCount() == 0


def test_hospital_days_used_and_remaining(qtbot, chinese_app, county, tmp_path, screenshot):
    from fpdesk.services.enrollment import claims

    household, numbers = family(county, "350421200202", ("special_bereaved",), members=2, elderly=True)
    path = tmp_path / "list.csv"
    path.write_text("身份证号码\n" + "\n".join(numbers) + "\n", encoding="utf-8")
    import_eligible_list(county, path, product="special_family_hospital_care", year=2026)
    enroll_family(county, household, D(2026, 1, 5), product="special_family_hospital_care",
                  form_values={"on_eligible_list": True, "list_year": 2026})
    for incident, days in ((D(2026, 2, 1), 50), (D(2026, 4, 1), 25)):
        claims.register_claim(county, person=numbers[0], kind="hospital_care", incident_on=incident,
                              hospital_days=days, green_channel=True, today=D(2026, 7, 1))
    screen = ClaimsScreen(county, today=D(2026, 7, 1))
    qtbot.addWidget(screen)
    screen.resize(1200, 760)
    screen.table.selectRow(0)  # newest incident first: the 25-day stay
    assert "已用 75 天，剩余 15 天" in screen.limit_label.text()
    assert screen.limit_bar.value() == 75 and screen.limit_bar.maximum() == 90
    screen.show()
    qtbot.waitExposed(screen)
    screenshot(screen, "claims_hospital_days_zh")


def test_main_window_reaches_both_screens(qtbot, chinese_app, county, user_settings):
    window = MainWindow(county, user_settings, today=TODAY)
    qtbot.addWidget(window)
    window.navigation.setCurrentRow(3)
    assert isinstance(window.claims, ClaimsScreen) and window.pages.currentWidget() is window.claims
    window.navigation.setCurrentRow(4)
    assert isinstance(window.progress, ProgressScreen) and window.progress.report is not None


def test_english_claims_and_progress_screens(qtbot, qapp, county, screenshot):
    import re

    from fpdesk.gui.i18n import install_language

    install_language(qapp, "en")
    try:
        progress_screen = ProgressScreen(county, today=TODAY)
        claims_screen = ClaimsScreen(county, today=TODAY)
        for screen in (progress_screen, claims_screen):
            qtbot.addWidget(screen)
            screen.resize(1100, 700)
        assert progress_screen.bulletin_button.text() == "Print the weekly bulletin…"
        assert progress_screen.tabs.tabText(1) == "Targets" and claims_screen.new_button.text() == "Register an incident…"
        chrome = [progress_screen.tree.headerItem().text(c) for c in range(progress_screen.tree.columnCount())]
        chrome += [claims_screen.table.horizontalHeaderItem(c).text() for c in range(claims_screen.table.columnCount())]
        chrome += [claims_screen.kind_filter.itemText(i) for i in range(claims_screen.kind_filter.count())]
        assert not [t for t in chrome if re.search(r"[\u3400-\u9fff]", t)], chrome
        screenshot(progress_screen, "progress_dashboard_en")
        screenshot(claims_screen, "claims_en")
    finally:
        install_language(qapp, "zh_CN")


def test_claims_screen_hides_medical_text_from_a_viewer(qtbot, chinese_app, county):
    """PIPL art. 28: the description and a refusal's reason only to roles with pi.full; the numbers stay."""
    from fpdesk.gui.i18n import install_language
    from fpdesk.services.enrollment import claims
    from fpdesk.services.trust import accounts
    from fpdesk.services.trust.pi_masking import MEDICAL_HIDDEN

    household, (head, *_) = family(county, "350421200201")
    enroll_family(county, household, D(2026, 3, 1))
    ref = claims.register_claim(county, person=head, kind="accidental_medical", incident_on=D(2026, 4, 2),
                                description="左腿胫骨骨折", claimed_fen=500000, reported_on=D(2026, 4, 3),
                                report_number="PICC-9", today=D(2026, 7, 1)).claim_no
    claims.decline(county, ref, reason="既往病史：糖尿病", on=D(2026, 5, 1), today=D(2026, 7, 1))

    def shown(language="zh_CN") -> tuple[str, list[str]]:
        install_language(chinese_app, language)
        try:
            screen = ClaimsScreen(county, today=D(2026, 7, 1))
        finally:
            install_language(chinese_app, "zh_CN")
        qtbot.addWidget(screen)
        screen.table.selectRow(0)
        notes = [screen.timeline.item(r, 3).text() for r in range(screen.timeline.rowCount())]
        return screen.facts.text(), notes

    facts, notes = shown()  # no accounts: everything, as before
    assert "既往病史：糖尿病" in facts and notes == ["左腿胫骨骨折", "报案号 PICC-9", "既往病史：糖尿病"]
    accounts.add_user(county, name="boss", password="password1", role="admin")
    accounts.add_user(county, name="look", password="password2", role="viewer")
    accounts.log_in(county, "look", "password2")
    facts, notes = shown()
    assert "既往病史" not in facts and MEDICAL_HIDDEN[0] in facts and "¥5,000.00" in facts
    assert notes == [MEDICAL_HIDDEN[0], "报案号 PICC-9", MEDICAL_HIDDEN[0]]
    facts, notes = shown("en")
    assert MEDICAL_HIDDEN[1] in facts and notes[0] == MEDICAL_HIDDEN[1]
    accounts.log_in(county, "boss", "password1")
    facts, notes = shown()
    assert "既往病史：糖尿病" in facts and notes[0] == "左腿胫骨骨折"
