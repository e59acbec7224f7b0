"""个人信息保存期限: how long the information of people no longer insured is kept, who is past it, and
anonymising them (PIPL art. 19, 47) — the desktop side of ``fpdesk audit retention``.

Everyone may look; the services decide who may change the period (settings.manage) or anonymise
(pi.anonymise). The anonymise button is only offered to those who may, since it cannot be undone.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import error_label, error_text, fill_table, read_only_table
from fpdesk.gui.widgets.field_values import field_label, field_value
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.permissions import allows
from fpdesk.services.registry.search import load_person_rows
from fpdesk.services.trust import privacy
from fpdesk.services.trust.pi_masking import mask_id_number


class RetentionDialog(QDialog):
    """Attributes: years (spin box), table (the persons due), due (their ids, in table order),
    count_label, anonymise_button, message (a refusal, red), result (what was done), op (the last
    anonymisation running off the GUI thread)."""

    anonymised = Signal(list)  # the person ids whose names are gone: open lists repaint them

    def __init__(self, workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.today = workspace, today or dt.date.today()
        self.due: list = []
        self.op: BackgroundOp | None = None
        self.setWindowTitle(self.tr("个人信息保存期限"))
        fit_window(self, 720, 480)
        explanation = QLabel(self.tr(
            "不再参保的人员，其个人信息在最后参保的保险年度结束后保存规定的年数，到期后应匿名化（《个人信息保护法》"
            "第19、47条）。匿名化删除姓名、身份证号和电话号码，包括修改历史中的记录，出生日期只留年份，不可撤销。"))
        explanation.setWordWrap(True)
        self.years = QSpinBox()
        self.years.setRange(*privacy.RETENTION_RANGE)
        self.years.setSuffix(self.tr(" 年"))
        self.years.setValue(privacy.retention_years(workspace))
        save = QPushButton(self.tr("保存"))
        save.setAutoDefault(False)
        save.clicked.connect(self.save_years)
        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("保存年限：最后参保的保险年度结束后")))
        period.addWidget(self.years)
        period.addWidget(save)
        period.addStretch(1)
        self.message = error_label()
        self.count_label = QLabel()
        # the person's fields named as the household history names them
        self.table = read_only_table([field_label("name"), field_label("id_number"), field_label("division_id"),
                                      field_label("status")])
        self.anonymise_button = QPushButton(self.tr("匿名化…"))
        self.anonymise_button.setAutoDefault(False)
        self.anonymise_button.clicked.connect(self.anonymise)
        self.only_admins = QLabel(self.tr("只有管理员可以匿名化。"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(period)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        layout.addWidget(self.message)
        actions = QHBoxLayout()  # the one irreversible action beside Close, under what it acts on
        for widget in (self.anonymise_button, self.only_admins):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(close)
        layout.addLayout(actions)
        self.refresh()

    def refresh(self) -> None:
        """List who is due now; the ID numbers masked for every role, since nobody needs them to decide."""
        rows = load_person_rows(self.workspace, privacy.due_for_anonymisation(self.workspace, today=self.today))
        ordered = sorted(rows.values(), key=lambda row: (row.division_code, row.name))
        self.due = [row.person_id for row in ordered]
        fill_table(self.table, [(row.name, mask_id_number(row.id_number) or "—", row.division_name,
                                 field_value(row.status, "status")) for row in ordered])
        self.count_label.setText(self.tr("到期未再参保的人员：{0} 人").format(len(self.due)))
        may = allows(self.workspace, "pi.anonymise")
        self.anonymise_button.setEnabled(bool(self.due) and may and self.op is None)
        self.only_admins.setVisible(bool(self.due) and not may)

    def save_years(self) -> BackgroundOp:
        workspace, years = self.workspace, self.years.value()

        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            self._refused(error)
            self.years.setValue(privacy.retention_years(self.workspace))  # show the period still in force

        def kept(_result) -> None:
            self.message.clear()
            self.result.setText(self.tr("已保存：最后参保的保险年度结束后 {0} 年。").format(years))
            self.refresh()

        return BackgroundOp(self, lambda _progress: privacy.set_retention_years(workspace, years),
                            cancellable=False).success(kept).failure(refused).run()

    def anonymise(self) -> BackgroundOp | None:
        ids = list(self.due)  # exactly the persons the confirmation counts
        if not ids:
            return None
        asked = QMessageBox.question(
            self, self.tr("匿名化"),
            self.tr("把这 {0} 人匿名化？他们的姓名、身份证号和电话号码将被删除，包括修改历史中的记录。"
                    "此操作不可撤销。").format(len(ids)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if asked != QMessageBox.StandardButton.Yes:
            return None
        workspace = self.workspace
        self.anonymise_button.setEnabled(False)
        # One transaction over every person and their history: it may take a while on a large office.
        self.op = BackgroundOp(self, lambda _progress: privacy.anonymise(workspace, ids),
                               label=self.tr("正在匿名化…"), cancellable=False)
        self.op.success(lambda result: self._anonymised(ids, result)).failure(self._failed).run()
        return self.op

    def _anonymised(self, ids: list, result: privacy.AnonymiseResult) -> None:
        self.op = None
        self.message.clear()
        self.result.setText(self.tr("已匿名化 {0} 人（历史记录中 {1} 条已改为摘要）。")
                            .format(result.persons, result.history_entries_redacted))
        self.refresh()
        self.anonymised.emit(ids)

    def _failed(self, error: BaseException) -> None:
        self.op = None  # the transaction rolled back: nobody was anonymised
        self._refused(error)
        self.refresh()

    def _refused(self, error: BaseException) -> None:
        self.result.clear()
        self.message.setText(error_text(error))
