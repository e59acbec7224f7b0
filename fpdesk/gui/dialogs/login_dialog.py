"""Log-in at start, and the idle screen lock (the same dialog, asking to unlock)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.gui.widgets.dialog_parts import error_label, error_text
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.trust.accounts import log_in


class LoginDialog(QDialog):
    """Attributes:
    user, password: the fields; message: why the last try failed; locked_screen: an idle lock, not a start.
    location: set (and workspace None) to unlock an encrypted database file: the dialog opens it.
    """

    def __init__(self, workspace, parent: QWidget | None = None, *, locked_screen: bool = False,
                 user: str = "", location: str | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.location = location
        self.locked_screen = locked_screen
        self.setWindowTitle(self.tr("屏幕已锁定") if locked_screen else self.tr("登录 fpdesk"))
        self.setModal(True)
        fit_window(self, 420, 220)
        office = workspace.office if workspace is not None else None
        intro = QLabel(self.tr("离开太久，屏幕已锁定。请输入密码继续，或换一个用户登录。") if locked_screen
                       else self.tr("数据库已加密：请登录打开。") if workspace is None
                       else self.tr("{0}：请登录。").format(office.name if office else "fpdesk"))
        intro.setWordWrap(True)
        self.user = QLineEdit(user)
        self.user.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.try_log_in)
        self.message = error_label()
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("解锁") if locked_screen
                                                                   else self.tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出程序"))
        buttons.accepted.connect(self.try_log_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        (self.password if user else self.user).setFocus(Qt.FocusReason.OtherFocusReason)

    def try_log_in(self) -> bool:
        try:
            if self.workspace is None:  # an encrypted file: the password unlocks it, then logs in
                from fpdesk.services.opening import open_workspace
                self.workspace = open_workspace(self.location, credentials=(self.user.text(), self.password.text()))
            else:
                log_in(self.workspace, self.user.text(), self.password.text())
        except DomainError as error:
            self.message.setText(error_text(error))
            self.password.clear()
            self.password.setFocus()
            return False
        self.password.clear()
        self.accept()
        return True


def run_login(workspace, parent: QWidget | None = None, *, locked_screen: bool = False) -> bool:
    """True once someone logged in; False when they chose to quit."""
    dialog = LoginDialog(workspace, parent, locked_screen=locked_screen,
                         user=workspace.author if locked_screen else "")
    return dialog.exec() == QDialog.DialogCode.Accepted


def open_unlocked(location: str, parent: QWidget | None = None):
    """Open a database; an encrypted one asks for a user and password first. None when they quit."""
    from fpdesk.services.opening import is_encrypted_location, open_workspace
    if not is_encrypted_location(location):
        return open_workspace(location, encrypted=False)  # the header is read once per opening
    dialog = LoginDialog(None, parent, location=location)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.workspace
