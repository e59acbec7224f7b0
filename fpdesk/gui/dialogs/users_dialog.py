"""用户管理: the administrator adds users (录入员, 审核员, 管理员, 只读), resets passwords, disables them."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.changes import ACCOUNTS
from fpdesk.core.errors import DomainError
from fpdesk.core.language import pick
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import error_label, error_text, fill_table, read_only_table
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.permissions import ROLE_NAMES, ROLES
from fpdesk.services.trust import accounts


def _role_label(role: str) -> str:
    zh, en = ROLE_NAMES[role]
    return pick(zh, en)


class AddUserDialog(QDialog):
    def __init__(self, workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.added: accounts.AccountInfo | None = None
        self.setWindowTitle(self.tr("添加用户"))
        self.name = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(_role_label(role), role)
        self.password = QLineEdit()
        self.again = QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = error_label()
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.name)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("角色"), self.role)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再输一次"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def add(self) -> BackgroundOp | None:
        """Add the user off the GUI thread (the password's hashing takes a moment); None: the two
        passwords differ."""
        if self.password.text() != self.again.text():
            self.message.setText(self.tr("两次输入的密码不一致。"))
            return None
        workspace, values = self.workspace, dict(name=self.name.text(), password=self.password.text(),
                                                  role=self.role.currentData(), display_name=self.display_name.text())

        def kept(result) -> None:
            self.added = result[0]
            self.accept()

        return BackgroundOp(self, lambda _progress: accounts.add_user(workspace, **values), cancellable=False) \
            .success(kept).failure(_refused_in(self.message)).run()


class UsersDialog(QDialog):
    """Attributes: table (one row per user), message (the last refusal)."""

    HEADERS = (QT_TRANSLATE_NOOP("UsersDialog", "用户名"), QT_TRANSLATE_NOOP("UsersDialog", "姓名"),
               QT_TRANSLATE_NOOP("UsersDialog", "角色"), QT_TRANSLATE_NOOP("UsersDialog", "状态"),
               QT_TRANSLATE_NOOP("UsersDialog", "最近登录"))

    def __init__(self, workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("用户管理"))
        fit_window(self, 720, 420)
        self.table = read_only_table([self.tr(h) for h in self.HEADERS])
        self.message = error_label()
        actions = QHBoxLayout()
        for text, slot in ((self.tr("添加用户…"), self.add_user), (self.tr("重置密码…"), self.reset_password),
                           (self.tr("停用/恢复"), self.toggle_disabled), (self.tr("更改角色…"), self.change_role)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        roles = QLabel(self.tr("录入员：登记、导入花名册、打印、导出（身份证号打码）。审核员：另可批量参保续保、审核上报、"
                               "查看完整身份证号和审计日志、备份。管理员：全部，包括用户和设置。只读：只能查看。"))
        roles.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(roles)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.reload()
        follow_changes(self, workspace, {ACCOUNTS}, self.reload)  # accounts added in its own small dialog

    def reload(self) -> None:
        fill_table(self.table, [
            (info.name, info.display_name, _role_label(info.role),
             self.tr("停用") if info.disabled else self.tr("锁定") if info.locked else self.tr("正常"),
             info.last_login_at.strftime("%Y-%m-%d %H:%M") if info.last_login_at else "")
            for info in accounts.list_users(self.workspace)])

    def selected_user(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    def _run(self, call) -> BackgroundOp:
        def refused(error: BaseException) -> None:
            self.reload()
            _refused_in(self.message)(error)

        def kept(_result) -> None:
            self.message.clear()
            self.reload()

        return BackgroundOp(self, lambda _progress: call(), cancellable=False).success(kept).failure(refused).run()

    def add_user(self) -> AddUserDialog:
        dialog = AddUserDialog(self.workspace, self)  # the list follows the accounts it adds
        dialog.open()
        return dialog

    def reset_password(self) -> None:
        name = self.selected_user()
        if name is None:
            return
        password, ok = QInputDialog.getText(self, self.tr("重置密码"), self.tr("{0} 的新密码：").format(name),
                                            QLineEdit.EchoMode.Password)
        if ok:
            self._run(lambda: accounts.change_password(self.workspace, name, password))

    def toggle_disabled(self) -> None:
        name = self.selected_user()
        if name is None:
            return
        current = next(u for u in accounts.list_users(self.workspace) if u.name == name)
        self._run(lambda: accounts.set_disabled(self.workspace, name, not current.disabled))

    def change_role(self) -> None:
        name = self.selected_user()
        if name is None:
            return
        labels = [_role_label(role) for role in ROLES]
        label, ok = QInputDialog.getItem(self, self.tr("更改角色"), self.tr("{0} 的角色：").format(name), labels, 0,
                                         False)
        if ok:
            self._run(lambda: accounts.set_role(self.workspace, name, ROLES[labels.index(label)]))


def _refused_in(label):
    """A failure callback that shows a refusal in ``label``; anything else goes to the error dialog."""
    def refused(error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        label.setText(error_text(error))

    return refused
