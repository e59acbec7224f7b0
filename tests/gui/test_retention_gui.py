"""安全 → 个人信息保存期限: who is past the retention period (ID numbers masked), the period changed by an
administrator, anonymisation after a confirmation, and refusals for other roles. Real widgets, offscreen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from gui_helpers import settle
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from fpdesk.services.opening import open_workspace

D = dt.date
TODAY = D(2025, 6, 1)  # 2021's policy year ended more than 3 years ago, 2024's did not
PRODUCT = "fp_family_accident_100"
LIN, LIN_CHILD, CHEN = "350421198001010017", "350421201905200010", "350421198503070028"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def office(tmp_path):
    """A township with the Lin family last insured for 2021 (due) and the Chen family insured for 2024
    (kept), an administrator (this workspace), a data-entry user and a viewer."""
    from fpdesk.core.people import HouseholdDraft, PersonDraft
    from fpdesk.core.vocabulary import HouseholdCategory, Relation
    from fpdesk.services.enrollment.enrolling import enroll
    from fpdesk.services.registry import households as hh
    from fpdesk.services.trust import accounts
    from fpdesk.services.workspace import add_division, init_office

    ws = open_workspace(str(tmp_path / "fpdesk.sqlite3"), author="tester")
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    for year, people in ((2021, [PersonDraft("林国华", LIN, Relation.HEAD, phone="13812345678"),
                                 PersonDraft("林小明", LIN_CHILD, Relation.SON)]),
                         (2024, [PersonDraft("陈秀英", CHEN, Relation.HEAD)])):
        draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组",
                               categories=frozenset({HouseholdCategory.ONLY_CHILD}))
        household = hh.register_household(ws, draft, people, today=D(year, 3, 1)).primary_id
        enroll(ws, product=PRODUCT, year=year, household_id=household, on=D(year, 3, 1), today=D(year, 3, 1),
               consent_by=people[0].name, form_values={"health_declaration": "是", "beneficiary_type": "法定"})
    accounts.add_user(ws, name="admin", password="admin-pass-1", role="admin")
    accounts.add_user(ws, name="clerk", password="clerk-pass-1", role="data_entry")
    accounts.add_user(ws, name="viewer", password="viewer-pass-1", role="viewer")
    yield ws
    ws.close()


def _names(ws) -> set[str]:
    from fpdesk.storage.schema import Person

    with ws.read() as session:
        return set(session.scalars(select(Person.name)))


def _window(ws, qtbot, user_settings):
    from fpdesk.gui.main_window import MainWindow

    window = MainWindow(ws, user_settings, today=TODAY)
    qtbot.addWidget(window)
    return window


def _column(table, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_an_administrator_anonymises_the_persons_due_after_confirming(chinese_app, qtbot, office, user_settings,
                                                                      monkeypatch, screenshot):
    from fpdesk.services.trust import audit

    window = _window(office, qtbot, user_settings)
    dialog = window.trust_actions.retention()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "个人信息保存期限" and dialog.years.value() == 3
    assert sorted(_column(dialog.table, 0)) == ["林国华", "林小明"]  # 陈秀英 is insured for 2024: kept
    assert sorted(_column(dialog.table, 1)) == ["350421********0010", "350421********0017"]
    assert "2 人" in dialog.count_label.text() and dialog.anonymise_button.isEnabled()
    assert not dialog.only_admins.isVisibleTo(dialog)
    screenshot(dialog, "retention")

    asked: list[str] = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog.anonymise_button.click()
    qtbot.waitUntil(lambda: dialog.op is None, timeout=10000)
    assert "2 人" in asked[0] and "不可撤销" in asked[0]
    assert "已匿名化 2 人" in dialog.result.text() and not dialog.message.text()
    assert _names(office) == {"（已匿名）", "陈秀英"}
    assert dialog.table.rowCount() == 0 and "0 人" in dialog.count_label.text()
    assert not dialog.anonymise_button.isEnabled()
    assert audit.verify(office).ok
    screenshot(dialog, "retention-done")


def test_a_no_at_the_confirmation_changes_nothing(chinese_app, qtbot, office, monkeypatch):
    from fpdesk.gui.dialogs.retention_dialog import RetentionDialog

    dialog = RetentionDialog(office, today=TODAY)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    assert dialog.anonymise() is None
    assert {"林国华", "林小明"} <= _names(office) and dialog.table.rowCount() == 2


def test_an_administrator_changes_the_retention_period(chinese_app, qtbot, office):
    from fpdesk.gui.dialogs.retention_dialog import RetentionDialog
    from fpdesk.services.trust import privacy

    dialog = RetentionDialog(office, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.years.setValue(5)
    assert dialog.save_years()
    settle(qtbot)
    assert privacy.retention_years(office) == 5 and "5 年" in dialog.result.text()
    assert dialog.table.rowCount() == 0 and not dialog.anonymise_button.isEnabled()  # 2021 + 5 years not over
    reopened = RetentionDialog(office, today=TODAY)
    qtbot.addWidget(reopened)
    assert reopened.years.value() == 5


@pytest.mark.parametrize(("user", "password", "role_zh"), [("clerk", "clerk-pass-1", "录入员"),
                                                          ("viewer", "viewer-pass-1", "只读")])
def test_other_roles_see_the_list_but_may_not_anonymise_or_change_it(chinese_app, qtbot, office, tmp_path,
                                                                     user_settings, monkeypatch, screenshot,
                                                                     user, password, role_zh):
    from fpdesk.services.trust import privacy
    from fpdesk.services.trust.accounts import log_in

    ws = open_workspace(str(tmp_path / "fpdesk.sqlite3"))
    try:
        log_in(ws, user, password)
        window = _window(ws, qtbot, user_settings)
        dialog = window.trust_actions.retention()
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == 2 and "350421********0017" in _column(dialog.table, 1)
        assert not dialog.anonymise_button.isEnabled() and dialog.only_admins.isVisibleTo(dialog)

        dialog.years.setValue(5)
        assert dialog.save_years()
        settle(qtbot)  # refused
        assert role_zh in dialog.message.text() and "修改设置" in dialog.message.text()
        assert privacy.retention_years(ws) == 3 and dialog.years.value() == 3
        screenshot(dialog, f"retention-refused-{user}")

        # Even called past the disabled button, the service refuses and nothing changes.
        monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
        dialog.anonymise()
        qtbot.waitUntil(lambda: dialog.op is None, timeout=10000)
        assert "匿名化个人信息" in dialog.message.text() and not dialog.result.text()
        assert {"林国华", "林小明"} <= _names(ws)
    finally:
        ws.close()


@pytest.fixture
def english_app(qapp):
    from fpdesk.gui.i18n import install_language

    install_language(qapp, "en")
    yield qapp
    install_language(qapp, "zh_CN")


def test_the_english_dialog(english_app, qtbot, office, screenshot):
    from fpdesk.gui.dialogs.retention_dialog import RetentionDialog

    dialog = RetentionDialog(office, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Retention of personal information"
    chrome = [dialog.windowTitle(), dialog.count_label.text(), dialog.anonymise_button.text(), dialog.years.suffix()]
    chrome += [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert not [text for text in chrome if CJK.search(text)], chrome
    screenshot(dialog, "retention_en")
