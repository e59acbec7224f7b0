"""个人信息同意: who in a household agreed to the processing of their information, when and by whom.

The Personal Information Protection Law asks for consent, a parent's or guardian's for a child
under 14. The clerk records it from the signed form; a withdrawn consent is kept, not deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import error_text, fill_table, read_only_table
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.trust import privacy


class ConsentDialog(QDialog):
    """Attributes: table (one row per living member), members (the MemberConsent rows shown)."""

    def __init__(self, workspace, household_id: uuid.UUID, title: str, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.household_id, self.today = workspace, household_id, today or dt.date.today()
        self.last_message: QMessageBox | None = None
        self.setWindowTitle(self.tr("个人信息同意：{0}").format(title))
        fit_window(self, 760, 380)
        self.table = read_only_table([self.tr("姓名"), self.tr("身份证号"), self.tr("年龄"), self.tr("同意情况")])
        self.record_button = QPushButton(self.tr("登记同意…"))
        self.withdraw_button = QPushButton(self.tr("撤回同意…"))
        self.record_button.clicked.connect(self.record_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        explanation = QLabel(self.tr("按《个人信息保护法》，登记、保存和上报个人信息需本人同意；"
                                     "不满14周岁的，由父母或其他监护人同意。请依据签字的同意书登记。"))
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.members = privacy.household_consents(self.workspace, self.household_id, today=self.today)
        fill_table(self.table, [(member.name, member.id_number or "—", str(member.age), self._state(member))
                                for member in self.members])
        for row, member in enumerate(self.members):
            if member.consent is None:
                self.table.item(row, 3).setForeground(Qt.GlobalColor.darkRed)
        if self.members and not self.table.selectedItems():
            self.table.selectRow(0)

    def _state(self, member) -> str:
        consent = member.consent
        if consent is None:
            return self.tr("未登记（需监护人同意）") if member.needs_guardian else self.tr("未登记")
        if consent.guardian:
            return self.tr("{0} 由监护人{1}同意").format(consent.given_on.isoformat(), consent.given_by)
        return self.tr("{0} 本人同意").format(consent.given_on.isoformat())

    def _chosen(self):
        row = self.table.currentRow()
        return self.members[row] if 0 <= row < len(self.members) else None

    def record_selected(self) -> ConsentForm | None:
        member = self._chosen()
        if member is None:
            return None
        head = self.members[0].name if self.members else ""
        form = ConsentForm(member, head, self.today, self)
        form.accepted.connect(lambda: self._save(member, form))
        form.open()
        return form

    def _save(self, member, form: ConsentForm) -> BackgroundOp:
        workspace, today, values = self.workspace, self.today, dict(
            given_on=form.date.date().toPython(), given_by=form.by.text(), guardian=form.guardian.isChecked(),
            form=form.kind.currentData())

        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            # not modal-blocking: the clerk reads why, closes it, and corrects the form
            self.last_message = QMessageBox(QMessageBox.Icon.Warning, self.tr("不能登记"), error_text(error),
                                            QMessageBox.StandardButton.Ok, self)
            self.last_message.open()

        def job(_progress):
            return privacy.record_consent(workspace, member.person_id, today=today, **values)

        return BackgroundOp(self, job, cancellable=False).success(lambda _result: self.refresh()) \
            .failure(refused).run()

    def withdraw_selected(self) -> None:
        member = self._chosen()
        if member is None or member.consent is None:
            return
        asked = QMessageBox.question(self, self.tr("撤回同意"), self.tr("{0}撤回对个人信息处理的同意？记录会保留。")
                                     .format(member.name))
        if asked != QMessageBox.StandardButton.Yes:
            return
        workspace, consent_id, today = self.workspace, member.consent.id, self.today
        BackgroundOp(self, lambda _progress: privacy.withdraw_consent(workspace, consent_id, on=today),
                     cancellable=False).success(lambda _result: self.refresh()).run()


class ConsentForm(QDialog):
    """One consent: by whom (the member, or a guardian for a child), on which day, in which form."""

    def __init__(self, member, head: str, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记同意：{0}").format(member.name))
        self.guardian = QCheckBox(self.tr("由监护人代为同意（不满14周岁必须）"))
        self.guardian.setChecked(member.needs_guardian)
        self.by = QLineEdit(head if member.needs_guardian else member.name)
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setDisplayFormat("yyyy-MM-dd")  # as every other date in the program, whatever the locale
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.kind = QComboBox()
        for label, value in ((self.tr("书面签字"), "paper"), (self.tr("口头"), "verbal"), (self.tr("电子"), "electronic")):
            self.kind.addItem(label, value)
        form = QFormLayout()
        form.addRow(self.tr("同意人"), self.by)
        form.addRow("", self.guardian)
        form.addRow(self.tr("同意日期"), self.date)
        form.addRow(self.tr("方式"), self.kind)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
