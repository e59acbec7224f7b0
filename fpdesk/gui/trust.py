"""The GUI's side of users and backups: log-in at start, the idle screen lock, the 安全 menu
(users, my password, a household's history, audit check, retention of personal information, backups),
and backups daily and on exit.

app.py and main_window.py call in here with one line each; nothing runs at import.
"""

from __future__ import annotations

import contextlib
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from fpdesk.core.errors import DomainError
from fpdesk.core.language import pick
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import error_text
from fpdesk.services.permissions import allows

# The message boxes, file and input dialogs and the audit and backup services are imported where they
# are used, not here: this module is imported for the menu as the window is built, and those imports
# (QMessageBox's type alone takes 5 ms) would lengthen every start for actions nobody chose yet.

IDLE_MINUTES = 10
_INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                           QEvent.Type.Wheel, QEvent.Type.TouchBegin})


def log_in_at_start(workspace) -> bool:
    """Ask who is working when the database has users; False when they chose to quit."""
    if not workspace.accounts_exist or workspace.role is not None:  # no users, or the new admin
        return True
    from fpdesk.gui.dialogs.login_dialog import run_login

    return run_login(workspace)


def after_office_setup(workspace, parent: QWidget | None = None) -> None:
    """The setup wizard's last step: the first administrator, then the user list to add a clerk."""
    from fpdesk.gui.dialogs.first_admin import run_first_admin

    if run_first_admin(workspace, parent):
        from fpdesk.gui.dialogs.users_dialog import UsersDialog

        UsersDialog(workspace, parent).exec()


class IdleLock(QObject):
    """Locks the window after ``minutes`` without keyboard or mouse input (only when users exist)."""

    def __init__(self, window, workspace, minutes: float = IDLE_MINUTES) -> None:
        super().__init__(window)
        self.window, self.workspace, self.minutes = window, workspace, minutes
        self.last_input = time.monotonic()
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        if not self.locked and self.workspace.accounts_exist and \
                time.monotonic() - self.last_input >= self.minutes * 60:
            self.lock()

    def lock(self) -> None:
        from fpdesk.gui.dialogs.login_dialog import LoginDialog

        self.locked = True
        self.window.setEnabled(False)
        dialog = LoginDialog(self.workspace, self.window, locked_screen=True, user=self.workspace.author)
        dialog.accepted.connect(self._unlocked)
        dialog.rejected.connect(self.window.close)
        dialog.open()
        self.dialog = dialog

    def _unlocked(self) -> None:
        self.locked = False
        self.last_input = time.monotonic()
        self.window.setEnabled(True)


def start_session(window, workspace) -> None:
    """After the main window is up: the daily backup and the idle lock."""
    from fpdesk.services.trust import backups

    # A missing backup folder must not keep the office from working (automatic_backup logs it).
    with contextlib.suppress(DomainError):
        backups.daily_backup_if_due(workspace)
    window.idle_lock = IdleLock(window, workspace)
    if workspace.accounts_exist:
        # Lists show ID and phone numbers masked to roles that may not see them in full; opening a
        # household shows them in full (to edit them), so each opening is logged.
        window.households.model.mask_ids = not allows(workspace, "pi.full")
        window.households.open_household.connect(lambda household_id: _log_full_view(workspace, household_id))


def _log_full_view(workspace, household_id) -> None:
    from fpdesk.services.trust.audit import log_access

    with contextlib.suppress(DomainError):
        log_access(workspace, "view_pi", {"kind": "household"}, household_id)


def on_exit(workspace) -> None:
    from fpdesk.services.trust import backups

    backups.automatic_backup(workspace, "exit")


def install_menu(window) -> None:
    """The 安全 menu of the main window."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("TrustMenu", "安全"))
    actions = TrustActions(window)
    window.trust_actions = actions
    menu.addAction(QCoreApplication.translate("TrustMenu", "用户管理…"), actions.manage_users)
    menu.addAction(QCoreApplication.translate("TrustMenu", "修改我的密码…"), actions.change_my_password)
    menu.addAction(QCoreApplication.translate("TrustMenu", "这户的修改历史…"), actions.household_history)
    menu.addAction(QCoreApplication.translate("TrustMenu", "这户的个人信息同意…"), actions.household_consent)
    menu.addAction(QCoreApplication.translate("TrustMenu", "核验审计日志"), actions.verify_audit)
    menu.addAction(QCoreApplication.translate("TrustMenu", "个人信息保存期限…"), actions.retention)
    menu.addSeparator()
    menu.addAction(QCoreApplication.translate("TrustMenu", "立即备份…"), actions.backup_now)
    menu.addAction(QCoreApplication.translate("TrustMenu", "自动备份文件夹…"), actions.choose_backup_folder)
    menu.addAction(QCoreApplication.translate("TrustMenu", "锁定屏幕"), actions.lock_screen)


class TrustActions(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window

    @property
    def workspace(self):
        return self.window.workspace

    def _refuse(self, error: DomainError) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self.window, self.tr("不能执行"), error_text(error))

    def manage_users(self):
        from fpdesk.gui.dialogs.first_admin import run_first_admin
        from fpdesk.gui.dialogs.users_dialog import UsersDialog

        if not self.workspace.accounts_exist:
            if not run_first_admin(self.workspace, self.window):
                return None
        elif not allows(self.workspace, "users.manage"):
            self._refuse(DomainError("not_permitted", _who(self.workspace, "users.manage")))
            return None
        dialog = UsersDialog(self.workspace, self.window)
        dialog.open()
        return dialog

    def change_my_password(self) -> None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        from fpdesk.services.trust.accounts import change_password

        if not self.workspace.accounts_exist:
            return
        password, ok = QInputDialog.getText(self.window, self.tr("修改我的密码"), self.tr("新密码（至少8位）："),
                                            QLineEdit.EchoMode.Password)
        if ok:
            workspace = self.workspace
            BackgroundOp(self.window, lambda _progress: change_password(workspace, workspace.author, password),
                         cancellable=False, origin=None).run()

    def household_history(self):
        from PySide6.QtWidgets import QMessageBox

        from fpdesk.gui.dialogs.history_dialog import HistoryDialog

        screen = self.window.households
        data = screen.model.row_at(screen.table.currentIndex().row()) if screen.table.currentIndex().isValid() \
            else None
        if data is None:
            QMessageBox.information(self.window, self.tr("修改历史"), self.tr("请先在家庭户列表中选中一户。"))
            return None
        try:
            dialog = HistoryDialog(self.workspace, data.household_id, data.name, self.window)
        except DomainError as error:
            self._refuse(error)
            return None
        dialog.open()
        return dialog

    def household_consent(self):
        from PySide6.QtWidgets import QMessageBox

        from fpdesk.gui.dialogs.consent_dialog import ConsentDialog

        screen = self.window.households
        data = screen.model.row_at(screen.table.currentIndex().row()) if screen.table.currentIndex().isValid() \
            else None
        if data is None:
            QMessageBox.information(self.window, self.tr("个人信息同意"), self.tr("请先在家庭户列表中选中一户。"))
            return None
        dialog = ConsentDialog(self.workspace, data.household_id, data.name, self.window, today=self.window.today)
        dialog.open()
        return dialog

    def verify_audit(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from fpdesk.services.trust import audit

        try:
            found = audit.verify(self.workspace)
        except DomainError as error:
            self._refuse(error)
            return
        if found.ok:
            QMessageBox.information(self.window, self.tr("审计日志"),
                                    self.tr("审计日志完好：{0} 条修改记录核对无误。").format(found.entries))
        else:
            zh, en = audit.reason_text(found.reason)
            if found.broken_seq is None:  # every entry checks out, but the chain's head is not the last one's
                said = self.tr("审计日志的末尾被改动、删除或挪动过：{0}").format(pick(zh, en))
            else:
                said = self.tr("审计日志第 {0} 条被改动、删除或挪动过：{1}").format(found.broken_seq, pick(zh, en))
            QMessageBox.critical(self.window, self.tr("审计日志"), said)

    def retention(self):
        """Anyone logged in may see who is due (ID numbers masked); the dialog offers the changes, and
        the services refuse them, by role."""
        from fpdesk.gui.dialogs.retention_dialog import RetentionDialog

        if not allows(self.workspace, "read"):
            self._refuse(DomainError("not_permitted", _who(self.workspace, "read")))
            return None
        dialog = RetentionDialog(self.workspace, self.window, today=self.window.today)
        # the anonymised persons' names are gone: the household list repaints just those rows
        dialog.anonymised.connect(lambda ids: self.window.households.model.refresh_ids(set(ids)))
        dialog.open()
        return dialog

    def backup_now(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from fpdesk.services.trust import backups

        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("备份到"), "fpdesk-backup.sqlite3",
                                              self.tr("数据库 (*.sqlite3)"))
        if not path:
            return
        try:
            result = backups.backup(self.workspace, path, force=True)  # the save dialog asked already
        except DomainError as error:
            self._refuse(error)
            return
        QMessageBox.information(self.window, self.tr("备份"), self.tr("已备份到 {0}").format(result.path))

    def choose_backup_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from fpdesk.services.trust import backups

        try:
            current = str(backups.backup_folder(self.workspace))
        except DomainError as error:
            self._refuse(error)
            return
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("自动备份保存到（可选U盘）"), current)
        if not folder:
            return
        workspace = self.workspace
        BackgroundOp(self.window, lambda _progress: backups.set_backup_folder(workspace, folder), cancellable=False,
                     origin=None).run()

    def lock_screen(self) -> None:
        lock = getattr(self.window, "idle_lock", None)
        if lock is not None and self.workspace.accounts_exist:
            lock.lock()


def _who(workspace, permission: str) -> dict:
    from fpdesk.services.permissions import PERMISSIONS, ROLE_NAMES

    role_zh, role_en = ROLE_NAMES.get(workspace.role or "", ("", ""))
    return {"user": workspace.author, "role_zh": role_zh, "role_en": role_en,
            "permission_zh": PERMISSIONS[permission][0], "permission_en": PERMISSIONS[permission][1]}
