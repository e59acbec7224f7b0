"""收费与打印: hand a village's roster up in one action, enter the insurer's confirmation once for the
roster, and record the government's or an employer's allocation for it.

Each dialog shows what the action would do before it is taken (households, persons and premium by
payer; what stays behind unpaid), calls the service, and keeps itself open with the refusal in red
when the service says no, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.core.money import format_fen, yuan_to_fen
from fpdesk.gui.dialogs.claim_dialogs import date_edit, date_of
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.screens.enrollment import DEFAULT_PRODUCT
from fpdesk.gui.widgets.dialog_parts import DONE_STYLE, error_label, error_text
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.services.enrollment import allocations
from fpdesk.services.enrollment import hand_up as roster_hand_up
from fpdesk.services.workspace import list_divisions


class _MoneyDialog(QDialog):
    """Fields, a live summary, the refusal line and OK/Cancel; ``result`` holds the service's answer."""

    def __init__(self, workspace, today: dt.date, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.today, self.result = workspace, today, None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def year_box(self) -> QSpinBox:
        year = QSpinBox()
        year.setRange(2000, 2100)
        year.setValue(self.today.year)
        return year

    def scope_box(self) -> QComboBox:
        scope = QComboBox()
        for code, name, _ in list_divisions(self.workspace):
            scope.addItem(f"{name}（{code}）", code)
        return scope

    def submit(self) -> BackgroundOp | None:
        """The service runs off the GUI thread with what the fields say now; the dialog closes once kept."""
        try:
            job = self.act()
        except DomainError as error:  # a field that cannot be read (an amount that is no amount)
            self.error.setText(error_text(error))
            return None
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)  # one submission while it runs

        def refused(error: BaseException) -> None:
            ok.setEnabled(True)
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            self.error.setText(error_text(error))

        def kept(result) -> None:
            self.result = result
            self.accept()

        return BackgroundOp(self, lambda _progress: job(), cancellable=False).success(kept).failure(refused).run()

    def act(self) -> Callable[[], Any]:
        """The service call with the fields' values, to run in the background."""
        raise NotImplementedError


class HandUpDialog(_MoneyDialog):
    """上报名册: a village's (unit's, township's) enrollments of one product and year, in one action."""

    def __init__(self, workspace, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(workspace, today, self.tr("上报名册"), parent)
        self.product = ProductCombo(workspace, default=DEFAULT_PRODUCT)
        self.year = self.year_box()
        self.scope = self.scope_box()
        self.policy_number = QLineEdit()
        self.policy_number.setPlaceholderText(self.tr("保险公司的团单号（不知道时可留空，承保时再填）"))
        self.on = date_edit(today)
        self.form.addRow(self.tr("险种"), self.product)
        self.form.addRow(self.tr("保险年度"), self.year)
        self.form.addRow(self.tr("名册范围"), self.scope)
        self.form.addRow(self.tr("团单号"), self.policy_number)
        self.form.addRow(self.tr("上报日期"), self.on)
        for box in (self.product, self.scope):
            box.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.error.clear()
        if self.product.currentData() is None or self.scope.currentData() is None:
            self.summary.clear()
            return
        try:
            preview = roster_hand_up.preview_roster(self.workspace, product=self.product.currentData(),
                                                    year=self.year.value(), scope=self.scope.currentData())
        except DomainError as error:
            self.summary.setText(error_text(error))
            return
        totals = preview.totals()
        if not totals["households"]:
            text = self.tr("没有可以上报的参保记录。")
        else:
            text = self.tr("将上报 %1 户 %2 人，保费 %3。").replace("%1", str(totals["households"])).replace(
                "%2", str(totals["persons"])).replace("%3", format_fen(totals["premium_fen"]))
        if totals["awaiting_allocation_fen"]:
            text += self.tr("其中政府投保、单位投保待拨款 %1。").replace("%1", format_fen(totals["awaiting_allocation_fen"]))
        if totals["unpaid_households"]:
            text += self.tr("自主投保未缴费 %1 户（%2）不上报，收费后再报。").replace(
                "%1", str(totals["unpaid_households"])).replace("%2", format_fen(totals["unpaid_fen"]))
        if totals["already_handed_up"]:
            text += self.tr("已上报过的 %1 户不再重复上报。").replace("%1", str(totals["already_handed_up"]))
        self.summary.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(totals["households"]))

    def act(self):
        return partial(
            roster_hand_up.hand_up_roster, self.workspace, product=self.product.currentData(), year=self.year.value(),
            scope=self.scope.currentData(), policy_number=self.policy_number.text(), on=date_of(self.on),
            today=self.today)


class ConfirmRosterDialog(_MoneyDialog):
    """录入承保: the insurer's confirmation of a handed-up roster, once, with the persons it did not accept."""

    def __init__(self, workspace, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(workspace, today, self.tr("录入承保"), parent)
        self.roster = QComboBox()
        for row in roster_hand_up.list_rosters(workspace):
            if row["confirmed_on"] is None:
                label = f"{row['number']}  {row['scope_name']}  {row['year']}  {row['households']}户"
                self.roster.addItem(label, row)
        self.policy_number = QLineEdit()
        self.on = date_edit(today)
        self.exceptions = QPlainTextEdit()
        self.exceptions.setPlaceholderText(self.tr("保险公司未承保的人：每行一个身份证号码，可在后面空一格写原因"))
        self.exceptions.setMaximumHeight(90)
        self.form.addRow(self.tr("上报名册"), self.roster)
        self.form.addRow(self.tr("团单号"), self.policy_number)
        self.form.addRow(self.tr("承保日期"), self.on)
        self.form.addRow(self.tr("未承保的人"), self.exceptions)
        self.roster.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        row = self.roster.currentData()
        if row is None:
            self.summary.setText(self.tr("没有等待录入承保的上报名册。"))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        if row["policy_number"]:
            self.policy_number.setText(row["policy_number"])
        self.summary.setText(self.tr("名册 %1：%2 户，保费 %3，%4 上报。").replace("%1", row["number"]).replace(
            "%2", str(row["households"])).replace("%3", format_fen(row["premium_fen"])).replace(
            "%4", row["handed_up_on"].isoformat()))

    def act(self):
        exceptions = []
        for line in self.exceptions.toPlainText().splitlines():
            number, _, reason = line.strip().partition(" ")
            if number:
                exceptions.append((number, reason.strip()))
        row = self.roster.currentData()
        return partial(roster_hand_up.confirm_roster, self.workspace, policy_number=self.policy_number.text(),
                                             roster=row["number"] if row else None, on=date_of(self.on),
                                             today=self.today, exceptions=exceptions)


class AllocationDialog(_MoneyDialog):
    """登记拨款: the government's or an employer's money for a roster, by voucher."""

    def __init__(self, workspace, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(workspace, today, self.tr("登记拨款"), parent)
        self.payer = QComboBox()
        self.payer.addItem(self.tr("政府投保"), "government")
        self.payer.addItem(self.tr("单位投保"), "employer")
        self.roster = QComboBox()
        self.roster.addItem(self.tr("按险种、年度和范围"), None)
        for row in roster_hand_up.list_rosters(workspace):
            self.roster.addItem(f"{row['number']}  {row['policy_number'] or ''}  {row['scope_name']}", row["number"])
        self.product = ProductCombo(workspace, default=DEFAULT_PRODUCT)
        self.year = self.year_box()
        self.scope = self.scope_box()
        self.voucher = QLineEdit()
        self.voucher.setPlaceholderText(self.tr("拨款凭证号或文号"))
        self.payer_name = QLineEdit()
        self.payer_name.setPlaceholderText(self.tr("如：城关乡财政所"))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("凭证金额（元），留空为应拨金额"))
        self.on = date_edit(today)
        for label, widget in ((self.tr("出资方"), self.payer), (self.tr("上报名册"), self.roster),
                              (self.tr("险种"), self.product), (self.tr("保险年度"), self.year),
                              (self.tr("范围"), self.scope), (self.tr("凭证号"), self.voucher),
                              (self.tr("拨款单位"), self.payer_name), (self.tr("金额"), self.amount),
                              (self.tr("拨款日期"), self.on)):
            self.form.addRow(label, widget)
        self.summary.setStyleSheet(DONE_STYLE)

    def act(self):
        amount = self.amount.text().strip()
        roster = self.roster.currentData()
        return partial(
            allocations.allocate, self.workspace, payer=self.payer.currentData(), voucher_no=self.voucher.text(), on=date_of(self.on),
            today=self.today, amount_fen=yuan_to_fen(amount) if amount else None, payer_name=self.payer_name.text(),
            roster=roster, product=None if roster else self.product.currentData(),
            year=None if roster else self.year.value(), scope=None if roster else self.scope.currentData())
