"""S1 明溪县 in the desktop program, on a 1366×768 laptop, after the 30 April deadline (2020-05-15):
a self-paid family enrolls late — the screen says so and says when sign-up opens next, shows the
premium and the cover rule, and takes the cash; a government-paid household enrolls without a receipt;
the township hands the village's roster up, records the township's allocation and prints the
government household's certificate, which names 政府投保 and the cover from the day after the money.

Screenshots (with FPDESK_SCREENSHOTS set): s1-enrollment-after-deadline-{zh,en}.png and the certificate
rendered by pdftoppm, s1-government-certificate.png."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from gui_helpers import settle
from pypdf import PdfReader
from PySide6.QtCore import Qt

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.gui.i18n import install_language
from fpdesk.gui.main_window import MainWindow
from fpdesk.services.enrollment.status import enrollment_details
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.workspace import add_division, init_office

D = dt.date
AFTER_DEADLINE = D(2020, 5, 15)
LUOCUI = "350421200201"


def _household(ws, category: str, surname: str, seq: int):
    draft = HouseholdDraft(division_code=LUOCUI, address=f"罗翠村{seq}组",
                           categories=frozenset({HouseholdCategory(category)}))
    people = [PersonDraft(f"{surname}国华", make_number("350421", D(1980, 1, 1), 10 + 2 * seq + 1), Relation.HEAD),
              PersonDraft(("陈秀英", "吴丽华")[seq % 2], make_number("350421", D(1982, 3, 15), 10 + 2 * seq), Relation.SPOUSE),
              PersonDraft(f"{surname}小明", make_number("350421", D(2010, 5, 20), 31 + 2 * seq), Relation.SON)]
    return hh.register_household(ws, draft, people, today=D(2020, 1, 1)).primary_id


def _village(tmp_path):
    ws = open_workspace(str(tmp_path / "s1.sqlite3"), author="城关乡录入员")
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code=LUOCUI, name="罗翠村", code_year=2020)
    return ws, _household(ws, "other_fp", "林", 1), _household(ws, "two_daughters_sterilized", "郑", 2)


def _window(qtbot, ws, user_settings):
    window = MainWindow(ws, user_settings, today=AFTER_DEADLINE)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.navigation.setCurrentRow(1)
    screen = window.enrollment
    screen.year.setValue(2020)
    return window, screen


def test_s1_late_enrollment_on_the_screen_and_a_government_certificate(qtbot, chinese_app, tmp_path, user_settings,
                                                                        screenshot):
    ws, own, government = _village(tmp_path)
    window, screen = _window(qtbot, ws, user_settings)
    screen.choose_household(own)
    summary = screen.summary.text()
    # late, not locked: the premium and the cover rule, the deadline passed and the next sign-up day
    assert "保费 ¥100.00" in summary and "¥0.00" not in summary
    assert "缴费次日零时起一年" in summary
    assert "登记期已于2020-04-30截止，2020-05-15登记为逾期登记（2020年度）；下次登记期2021-01-01起。" in summary
    verdicts = [screen.members.item(r, 2).text() for r in range(screen.members.rowCount())]
    assert verdicts == ["符合"] * 3
    screen.form.editors["health_declaration"].setChecked(True)
    assert screen.enroll_button.isEnabled()
    assert window.width() <= 1366 and window.height() <= 768
    shot = screenshot(window, "s1-enrollment-after-deadline-zh")
    assert screen.enroll_now()
    settle(qtbot)
    assert "收据号" in screen.result.text()
    paid = enrollment_details(ws, screen.last_result.enrollment_id)
    assert paid["period"] == [D(2020, 5, 16), D(2021, 5, 15)] and paid["status"] == "paid"

    screen.choose_household(government)
    screen.form.editors["health_declaration"].setChecked(True)
    assert "政府投保：登记后待拨款，不开收据给家庭。" in screen.summary.text()
    assert screen.enroll_now()
    settle(qtbot)
    assert "政府投保：待拨款，拨款到位后可打印参保凭证。" in screen.result.text() and "收据号" not in screen.result.text()
    gov_id = screen.last_result.enrollment_id
    assert enrollment_details(ws, gov_id)["period"] == [None, None]

    window.navigation.setCurrentRow(2)
    printing = window.printing
    hand_up = printing.open_hand_up()
    hand_up.product.setCurrentIndex(hand_up.product.findData("fp_family_accident_100"))
    hand_up.year.setValue(2020)
    hand_up.scope.setCurrentIndex(hand_up.scope.findData(LUOCUI))
    assert "将上报 2 户 6 人，保费 ¥200.00。其中政府投保、单位投保待拨款 ¥100.00。" in hand_up.summary.text()
    hand_up.policy_number.setText("PMX2020-015")
    hand_up.submit()
    settle(qtbot)
    assert hand_up.result is not None and "已上报名册" in printing.status.text()
    money = printing.open_allocation()
    money.roster.setCurrentIndex(money.roster.findData(hand_up.result.number))
    money.voucher.setText("明财〔2020〕15号")
    money.payer_name.setText("城关乡财政所")
    money.submit()
    settle(qtbot)
    assert money.result is not None and money.result.received == 1, money.error.text()
    assert enrollment_details(ws, gov_id)["period"] == [D(2020, 5, 16), D(2021, 5, 15)]

    printing.year.setValue(2020)
    printing.kind.setCurrentIndex(0)  # certificates
    printing.generate()
    qtbot.waitUntil(lambda: printing.preview is not None, timeout=30000)
    pdf = Path(printing.result.path)
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    [page_no] = [i for i, text in enumerate(pages, start=1) if "政府投保" in text]
    assert "2020年05月16日零时起至2021年05月15日二十四时止" in pages[page_no - 1]
    assert "自主投保" in pages[2 - page_no]
    folder = os.environ.get("FPDESK_SCREENSHOTS")
    if folder and shot is not None:  # before the preview closes: closing it removes the scratch PDF
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(page_no), "-l", str(page_no), "-singlefile",
                        str(pdf), str(Path(folder) / "s1-government-certificate")], check=True)
    printing.preview.close()
    ws.close()


def test_s1_late_enrollment_screen_in_english(qtbot, qapp, tmp_path, user_settings, screenshot):
    install_language(qapp, "en")
    try:
        ws, own, _government = _village(tmp_path)
        window, screen = _window(qtbot, ws, user_settings)
        screen.choose_household(own)
        screen.form.editors["health_declaration"].setChecked(True)
        text = screen.summary.text()
        assert "late entry for 2020" in text and "sign-up opens next on 2021-01-01" in text
        assert "one year from 00:00 the day after payment" in text
        assert screen.enroll_button.isEnabled() and window.width() <= 1366
        screenshot(window, "s1-enrollment-after-deadline-en")
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
        ws.close()
    finally:
        install_language(qapp, "zh_CN")


def test_a_household_that_cannot_enroll_yet_says_why_once_and_when(qtbot, chinese_app, tmp_path, user_settings,
                                                                   screenshot):
    """S2's December campaign for 2013 asked for on 2012-11-20: not open yet. No ¥0.00, the reason said
    once with the day sign-up opens (2012-12-01), and the members are not shown as 符合 in green."""
    from PySide6.QtCore import Qt as QtCore

    ws = open_workspace(str(tmp_path / "s2.sqlite3"))
    # a Haimen township: S2's product is offered to Jiangsu's offices
    init_office(ws, code="320684100", level="township", name="海门三厂镇计生协")
    add_division(ws, code="320684100201", name="三厂村", code_year=2012)
    draft = HouseholdDraft(division_code="320684100201", categories=frozenset({HouseholdCategory.ONLY_CHILD}),
                           is_rural=True,
                           reward_recipient=True, certificate_no="苏独字第0012345号")
    household = hh.register_household(ws, draft, [
        PersonDraft("张建国", make_number("320684", D(1978, 2, 1), 11), Relation.HEAD),
        PersonDraft("张小宝", make_number("320684", D(2005, 6, 1), 13), Relation.SON)], today=D(2012, 11, 1)).primary_id
    window = MainWindow(ws, user_settings, today=D(2012, 11, 20))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.navigation.setCurrentRow(1)
    screen = window.enrollment
    screen.product.setCurrentIndex(screen.product.findData("only_child_safety"))
    screen.year.setValue(2013)
    screen.choose_household(household)
    text = screen.summary.text()
    assert text.startswith("本户现在不能参保：") and "¥0.00" not in text
    assert text.count("下次登记期2012-12-01起") == 1
    child_row = next(r for r in range(screen.members.rowCount()) if "张小宝" in screen.members.item(r, 1).text())
    verdict = screen.members.item(child_row, 2)
    assert verdict.text() == "个人条件符合（本户暂不能参保，见下方）"
    assert verdict.foreground().color() == QtCore.GlobalColor.darkGray
    assert not screen.enroll_button.isEnabled()
    assert "reward_paid_by" in screen.form.editors  # the product's own question: who pays the reward
    qtbot.wait(100)  # the product's form was just laid out
    screenshot(window, "s2-enrollment-not-yet-open-zh")
    ws.close()
