"""续保: last year's insured who have not renewed, judged again with the renewal age limits, and
renewed in bulk with one confirmation. The list is a dry run of the same job that then writes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.core.language import current, pick
from fpdesk.core.money import format_fen
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.services.enrollment.renewal import renew


class RenewalPanel(QWidget):
    """Attributes:
    result: the last RenewalResult shown (a dry run until renewed).
    """

    def __init__(self, workspace, *, today: dt.date | None = None, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.result = None
        self.product = ProductCombo(workspace, default="fp_family_accident_100", offered_only=True)
        self.from_year = QSpinBox()
        self.from_year.setRange(2000, 2100)
        self.from_year.setValue(self.today.year - 1)
        self.list_button = QPushButton(self.tr("列出未续保"))
        self.renew_button = QPushButton(self.tr("全部续保"))
        self.renew_button.setEnabled(False)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("户主"), self.tr("村（社区）"), self.tr("续保人数"),
                                              self.tr("保费"), self.tr("说明")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self.tr("点“列出未续保”：列出上一年度参保、今年还没有续保的户，并按续保年龄上限重新核对资格。"))
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("险种")))
        top.addWidget(self.product, 2)
        top.addWidget(QLabel(self.tr("上一年度")))
        top.addWidget(self.from_year)
        top.addWidget(self.list_button)
        top.addWidget(self.renew_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.list_button.clicked.connect(self.list_pending)
        self.renew_button.clicked.connect(self.renew_all)

    def _job(self, dry_run: bool):
        product, from_year = self.product.currentData(), self.from_year.value()
        return lambda progress: renew(self.workspace, from_year=from_year, to_year=from_year + 1, product=product,
                                      today=self.today, dry_run=dry_run, progress=progress)

    def list_pending(self) -> BackgroundOp:
        return BackgroundOp(self, self._job(True), label=self.tr("正在核对上一年度参保人…")) \
            .success(self._show).failure(self._failed).run()

    def renew_all(self) -> BackgroundOp | None:
        if self.result is None or not self.result.renewed_households:
            return None
        answer = QMessageBox.question(self, self.tr("确认续保"), self.tr(
            "为 {0} 户、{1} 人办理续保？").format(self.result.renewed_households, self.result.renewed_persons))
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return BackgroundOp(self, self._job(False), label=self.tr("正在续保…")).success(self._renewed) \
            .failure(self._failed).run()

    def _show(self, result) -> None:
        self.result = result
        self.table.setRowCount(0)
        for item in result.items:
            row = self.table.rowCount()
            self.table.insertRow(row)
            plan = item.outcome.plan
            persons = len(plan.insured) if plan else 0
            notes = []
            if item.skipped:
                notes.append(self.tr("今年已参保"))
            if plan:
                for member, reasons in plan.excluded:
                    notes.append(f"{member.name}：" + "；".join(pick(r.message_zh, r.message_en)
                                                               for r in reasons))
            notes += [pick(r.message_zh, r.message_en) for r in item.outcome.refused]
            for column, text in enumerate((item.head, item.village, str(persons),
                                           format_fen(plan.judged.premium_fen) if plan else "", "；".join(notes))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        done = not result.dry_run
        self.summary.setText((self.tr("已续保 {0} 户、{1} 人。") if done else self.tr(
            "可续保 {0} 户、{1} 人。")).format(result.renewed_households, result.renewed_persons))
        self.renew_button.setEnabled(result.dry_run and result.renewed_households > 0)

    def _renewed(self, result) -> None:
        self._show(result)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            self.summary.setText(error.message(current()))
            self.renew_button.setEnabled(False)
            return
        raise error
