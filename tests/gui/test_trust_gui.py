"""Users in the GUI: the setup wizard's first administrator, a data-entry user added from the user list,
log-in (and refusal), the idle lock, a household's history. Real widgets, offscreen."""

from __future__ import annotations

import pytest
from gui_helpers import settle
from PySide6.QtWidgets import QDialogButtonBox

from fpdesk.services.opening import open_workspace


@pytest.fixture
def township(tmp_path):
    from fpdesk.services.workspace import add_division, init_office

    ws = open_workspace(str(tmp_path / "fpdesk.sqlite3"))
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    yield ws
    ws.close()


def test_a_new_office_sets_up_its_admin_and_a_data_entry_user(chinese_app, qtbot, township, tmp_path, screenshot):
    from fpdesk.gui.dialogs.first_admin import FirstAdminDialog
    from fpdesk.gui.dialogs.users_dialog import AddUserDialog, UsersDialog
    from fpdesk.services.trust.accounts import list_users, log_in

    first = FirstAdminDialog(township)
    qtbot.addWidget(first)
    first.show()
    first.name.setText("admin")
    first.display_name.setText("王主任")
    first.password.setText("short")
    first.again.setText("short")
    first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "至少8位" in first.message.text() and first.pages.currentIndex() == 0
    first.password.setText("admin-pass-1")
    first.again.setText("admin-pass-1")
    first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert first.pages.currentIndex() == 1 and len(first.code_label.text()) == 29
    screenshot(first, "first-admin-recovery-code")
    first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert first.isVisible()  # not before the code is written down
    first.written_down.setChecked(True)
    first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not first.isVisible()
    assert (township.author, township.role) == ("admin", "admin")

    users = UsersDialog(township)
    qtbot.addWidget(users)
    users.show()
    add = users.add_user()
    assert isinstance(add, AddUserDialog)
    add.name.setText("clerk")
    add.display_name.setText("李录入")
    add.role.setCurrentIndex(add.role.findData("data_entry"))
    add.password.setText("clerk-pass-1")
    add.again.setText("clerk-pass-1")
    screenshot(add, "add-user")
    assert add.add()
    settle(qtbot)
    assert users.table.rowCount() == 2
    screenshot(users, "users")
    assert [(u.name, u.role) for u in list_users(township)] == [("admin", "admin"), ("clerk", "data_entry")]

    other = open_workspace(str(tmp_path / "fpdesk.sqlite3"))
    try:
        assert log_in(other, "clerk", "clerk-pass-1").role == "data_entry"
    finally:
        other.close()


def test_log_in_refuses_a_wrong_password_then_accepts(chinese_app, qtbot, township, tmp_path, screenshot):
    from fpdesk.gui.dialogs.login_dialog import LoginDialog
    from fpdesk.services.trust.accounts import add_user

    add_user(township, name="admin", password="admin-pass-1", role="admin")
    ws = open_workspace(str(tmp_path / "fpdesk.sqlite3"))
    try:
        dialog = LoginDialog(ws)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.user.setText("admin")
        dialog.password.setText("wrong-one")
        assert not dialog.try_log_in()
        assert "还可再试4次" in dialog.message.text() and ws.role is None
        screenshot(dialog, "login-refused")
        dialog.password.setText("admin-pass-1")
        assert dialog.try_log_in() and (ws.author, ws.role) == ("admin", "admin")
    finally:
        ws.close()


def test_idle_lock_disables_the_window_until_the_password(chinese_app, qtbot, village_workspace, user_settings,
                                                          screenshot):
    from fpdesk.gui.main_window import MainWindow
    from fpdesk.gui.trust import IdleLock
    from fpdesk.services.trust.accounts import add_user

    add_user(village_workspace, name="admin", password="admin-pass-1", role="admin")
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, village_workspace, minutes=0)
    lock.check()
    assert lock.locked and not window.isEnabled()
    screenshot(lock.dialog, "idle-lock")
    lock.dialog.password.setText("admin-pass-1")
    assert lock.dialog.try_log_in()
    assert not lock.locked and window.isEnabled()
    lock.timer.stop()


def test_a_households_history_shows_who_changed_what(chinese_app, qtbot, village_workspace, user_settings,
                                                     screenshot):
    from sqlalchemy import select

    from fpdesk.core.people import PersonDraft
    from fpdesk.core.vocabulary import Relation
    from fpdesk.gui.main_window import MainWindow
    from fpdesk.services.registry import households as hh
    from fpdesk.storage.schema import Person

    with village_workspace.read() as session:
        head = session.scalars(select(Person).where(Person.relation == "head", Person.phone.is_not(None))).first()
    hh.update_person(village_workspace, head.id, PersonDraft(head.name, head.id_number, Relation.HEAD,
                                                             phone="13900001111"))
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    window.show()
    window.households.search_box.setText(head.name)
    window.households.run_search()
    qtbot.waitUntil(lambda: window.households.model.rowCount() > 0)
    row = next(r for r in range(window.households.model.rowCount())
               if window.households.model.row_at(r).person_id == head.id)
    window.households.table.selectRow(row)
    dialog = window.trust_actions.household_history()
    qtbot.addWidget(dialog)
    texts = [dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())]
    assert any("电话: " in t and "13900001111" in t and "→" in t for t in texts)  # no accounts: nothing to hide from
    assert {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())} >= {"录入员"}
    screenshot(dialog, "household-history")


def test_the_setup_wizard_flow_creates_the_office_its_admin_and_a_clerk(chinese_app, qtbot, tmp_path, screenshot):
    """The real first-run flow, modal dialogs and all: office → administrator → recovery code → user list →
    add a data-entry user → close. A timer plays the user."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from fpdesk.core.vocabulary import OfficeLevel
    from fpdesk.gui.dialogs.first_admin import FirstAdminDialog
    from fpdesk.gui.dialogs.setup_wizard import OFFICE, SetupWizard, run_setup
    from fpdesk.gui.dialogs.users_dialog import AddUserDialog, UsersDialog
    from fpdesk.services.trust.accounts import list_users

    ws = open_workspace(str(tmp_path / "new.sqlite3"))
    done: list[str] = []

    def play() -> None:
        widgets = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in widgets:
            if isinstance(widget, SetupWizard) and "office" not in done:
                widget.level_buttons[OfficeLevel.TOWNSHIP].setChecked(True)
                widget.code.setText("350421200")
                widget.name.setText("城关乡计生协")
                done.append("office")
                widget._set_up()
                return
            if isinstance(widget, FirstAdminDialog):
                if widget.pages.currentIndex() == 0:
                    widget.name.setText("admin")
                    for field in (widget.password, widget.again):
                        field.setText("admin-pass-1")
                    widget._next()
                    screenshot(widget, "setup-flow-recovery-code")
                else:
                    widget.written_down.setChecked(True)
                    done.append("admin")
                    widget._next()
                return
            if isinstance(widget, AddUserDialog):
                if "clerk" in done:
                    return  # added in the background: the dialog closes once it is kept
                widget.name.setText("clerk")
                widget.role.setCurrentIndex(widget.role.findData("data_entry"))
                for field in (widget.password, widget.again):
                    field.setText("clerk-pass-1")
                done.append("clerk")
                widget.add()
                return
            if isinstance(widget, UsersDialog):
                if "clerk" not in done:
                    widget.add_user()
                else:
                    screenshot(widget, "setup-flow-users")
                    done.append("closed")
                    widget.reject()
                return

    timer = QTimer()
    timer.timeout.connect(play)
    timer.start(50)
    try:
        assert run_setup(ws) == OFFICE
    finally:
        timer.stop()
    assert done == ["office", "admin", "clerk", "closed"]
    assert [(u.name, u.role) for u in list_users(ws)] == [("admin", "admin"), ("clerk", "data_entry")]
    assert ws.office.code == "350421200" and (ws.author, ws.role) == ("admin", "admin")
    ws.close()


def test_a_village_laptop_is_encrypted_at_setup_and_unlocked_at_start(chinese_app, qtbot, tmp_path, screenshot):
    pytest.importorskip("sqlcipher3")
    from fpdesk.gui.dialogs.first_admin import FirstAdminDialog
    from fpdesk.gui.dialogs.login_dialog import LoginDialog
    from fpdesk.services.workspace import init_office

    location = str(tmp_path / "village.sqlite3")
    ws = open_workspace(location)
    init_office(ws, code="350421200201", level="village", name="罗翠村计生协")
    first = FirstAdminDialog(ws)
    qtbot.addWidget(first)
    assert first.encrypt
    first.show()
    first.name.setText("admin")
    first.password.setText("admin-pass-1")
    first.again.setText("admin-pass-1")
    first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert first.pages.currentIndex() == 1 and first.encrypted_note.isVisible()
    screenshot(first, "village-encrypted-recovery-code")
    assert ws.db.key is not None
    ws.close()
    with open(location, "rb") as handle:
        assert not handle.read(16).startswith(b"SQLite format 3")

    dialog = LoginDialog(None, location=location)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.user.setText("admin")
    dialog.password.setText("wrong-pass")
    assert not dialog.try_log_in() and dialog.workspace is None
    assert "打不开" in dialog.message.text()
    screenshot(dialog, "unlock-refused")
    dialog.password.setText("admin-pass-1")
    assert dialog.try_log_in()
    assert (dialog.workspace.author, dialog.workspace.role, dialog.workspace.office.code) == (
        "admin", "admin", "350421200201")
    dialog.workspace.close()


def test_consent_is_recorded_per_member_with_a_guardian_for_children(chinese_app, qtbot, village_workspace,
                                                                     user_settings, screenshot):
    """安全 → 这户的个人信息同意: each living member with their consent; a child's needs a guardian."""
    from sqlalchemy import select

    from fpdesk.gui.main_window import MainWindow
    from fpdesk.services.trust import privacy
    from fpdesk.storage.schema import Person

    with village_workspace.read() as session:
        child = session.scalars(select(Person).where(Person.relation.in_(("son", "daughter")))
                                .order_by(Person.birth_date.desc())).first()
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    window.show()
    window.households.search_box.setText(child.name)
    window.households.run_search()
    qtbot.waitUntil(lambda: window.households.model.rowCount() > 0)
    row = next(r for r in range(window.households.model.rowCount())
               if window.households.model.row_at(r).person_id == child.id)
    window.households.table.selectRow(row)
    dialog = window.trust_actions.household_consent()
    qtbot.addWidget(dialog)
    assert all(dialog.table.item(r, 3).text().startswith("未登记") for r in range(dialog.table.rowCount()))
    position = next(r for r, m in enumerate(dialog.members) if m.person_id == child.id)
    member = dialog.members[position]
    assert member.needs_guardian and dialog.table.item(position, 3).text() == "未登记（需监护人同意）"
    dialog.table.selectRow(position)
    form = dialog.record_selected()
    qtbot.addWidget(form)
    assert form.guardian.isChecked() and form.by.text() == dialog.members[0].name  # the head signs for the child
    form.guardian.setChecked(False)
    form.by.setText(child.name)
    with qtbot.waitSignal(form.accepted):
        form.accept()
    settle(qtbot)
    assert dialog.members[position].consent is None  # refused: a child cannot consent alone (a message said so)
    assert "监护人" in dialog.last_message.text()
    dialog.last_message.close()
    dialog.table.selectRow(position)
    form = dialog.record_selected()
    qtbot.addWidget(form)
    form.accept()
    settle(qtbot)
    consent = dialog.members[position].consent
    assert consent is not None and consent.guardian and consent.given_by == dialog.members[0].name
    assert "由监护人" in dialog.table.item(position, 3).text()
    assert [c.given_by for c in privacy.consents_of(village_workspace, child.id)] == [dialog.members[0].name]
    screenshot(dialog, "household-consent")


def test_the_audit_check_says_the_end_of_the_log_when_its_newest_entries_were_cut_off(
        chinese_app, qtbot, village_workspace, user_settings, tmp_path):
    """Every remaining entry checks out but the chain's head is not the last one's: there is no entry
    number to name (it said "第 None 条")."""
    import sqlite3

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from fpdesk.gui.main_window import MainWindow

    connection = sqlite3.connect(tmp_path / "village.sqlite3")  # the fixture's file
    connection.execute("DELETE FROM change_log WHERE local_seq = (SELECT max(local_seq) FROM change_log)")
    connection.commit()
    connection.close()
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    window.show()
    said: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_and_close)
            return
        said.append(box.text())
        box.done(0)

    QTimer.singleShot(0, read_and_close)
    window.trust_actions.verify_audit()
    assert said and said[0].startswith("审计日志的末尾被改动、删除或挪动过：") and "None" not in said[0]
