"""The setup wizard's last step: the first administrator, and the recovery code printed once."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.gui.widgets.dialog_parts import ERROR_STYLE, error_label, error_text
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.trust.accounts import add_user
from fpdesk.services.trust.encryption import enable_encryption


def default_encryption(workspace) -> bool:
    from fpdesk.core.vocabulary import OfficeLevel

    if workspace.office is None or workspace.office.level is not OfficeLevel.VILLAGE or workspace.db.file_path is None:
        return False
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


class FirstAdminDialog(QDialog):
    """Attributes:
    name, display_name, password, again: the fields; recovery_code: shown on the second page;
    encrypt: encrypt the database with the new administrator's password (default: village offices).
    """

    def __init__(self, workspace, parent: QWidget | None = None, *, encrypt: bool | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.recovery_code: str | None = None
        # Encrypted at rest by default on a village laptop (measured cost within the foundation's bars).
        self.encrypt = default_encryption(workspace) if encrypt is None else encrypt
        self.setWindowTitle(self.tr("设置管理员"))
        fit_window(self, 560, 360)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._account_page())
        self.pages.addWidget(self._code_page())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("暂不设置"))
        self.buttons.accepted.connect(self._next)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.buttons)

    def _account_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(self.tr("数据库里有身份证号、电话等个人信息。请设置管理员账户：以后每次打开都要登录，"
                               "管理员可以添加录入员、审核员等其他用户。"))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("登录用的名字，如 admin 或 zhangsan"))
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.again = QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("至少8位"))
        self.message = error_label()
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.name)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再输一次"), self.again)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        return page

    def _code_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(self.tr("这是恢复码。所有管理员都忘记密码时，用它重置密码。请抄写或打印后锁好，它只显示这一次。"))
        intro.setWordWrap(True)
        self.code_label = QLabel()
        font = QFont(self.code_label.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        font.setFamily("monospace")
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(self.code_label.textInteractionFlags()
                                                | self.code_label.textInteractionFlags().TextSelectableByMouse)
        self.written_down = QCheckBox(self.tr("我已抄下（或打印）恢复码"))
        self.encrypted_note = QLabel(self.tr("数据库已加密：电脑丢失时，没有密码或恢复码的人读不出其中的个人信息。"))
        self.encrypted_note.setWordWrap(True)
        self.encrypted_note.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.code_label)
        layout.addWidget(self.encrypted_note)
        layout.addWidget(self.written_down)
        layout.addStretch(1)
        return page

    def _next(self) -> None:
        if self.pages.currentIndex() == 1:
            if not self.written_down.isChecked():
                self.written_down.setStyleSheet(ERROR_STYLE)
                return
            self.accept()
            return
        if self.password.text() != self.again.text():
            self.message.setText(self.tr("两次输入的密码不一致。"))
            return
        try:
            _, self.recovery_code = add_user(self.workspace, name=self.name.text(), password=self.password.text(),
                                             role="admin", display_name=self.display_name.text())
            if self.encrypt:  # village laptops: encrypted at rest by default; the code then unlocks it too
                self.recovery_code = enable_encryption(self.workspace, self.password.text()).recovery_code
                self.encrypted_note.show()
        except DomainError as error:
            self.message.setText(error_text(error))
            return
        self.password.clear()
        self.again.clear()
        self.code_label.setText(self.recovery_code or "")
        self.pages.setCurrentIndex(1)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()


def run_first_admin(workspace, parent: QWidget | None = None) -> bool:
    """True when an administrator was created (then open the user list to add a data-entry user)."""
    dialog = FirstAdminDialog(workspace, parent)
    dialog.exec()
    return dialog.recovery_code is not None
