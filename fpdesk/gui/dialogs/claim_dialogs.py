"""Small forms of the claims screen: register an incident, report it, record a payment or a refusal.

Each dialog only collects values; the screen calls the service and shows a refusal inside the
dialog (which stays open) so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import claims as rules
from fpdesk.core.language import current
from fpdesk.core.money import yuan_to_fen
from fpdesk.gui.widgets.dialog_parts import error_label
from fpdesk.gui.widgets.product_combo import ProductCombo


def date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def date_of(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class ClaimForm(QDialog):
    """A form with OK/Cancel and an error line; ``values()`` turns the fields into service arguments."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def show_error(self, text: str) -> None:
        self.error.setText(text)


class RegisterClaimDialog(ClaimForm):
    def __init__(self, workspace, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("出险登记"), parent)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("被保险人身份证号码"))
        self.kind = QComboBox()
        for kind in rules.KINDS:
            self.kind.addItem(rules.kind_label(kind, current()), kind)
        self.product = ProductCombo(workspace, any_label=self.tr("按保障自动选择"))
        self.incident = date_edit(today)
        self.days = QSpinBox()
        self.days.setRange(0, 366)
        self.claimed = QLineEdit("0")
        self.description = QLineEdit()
        self.green_channel = QCheckBox(self.tr("绿色通道（代为报案、跟踪反馈）"))
        self.home_visit = QCheckBox(self.tr("上门服务"))
        self.report_now = QCheckBox(self.tr("已向保险公司报案"))
        self.reported = date_edit(today)
        self.report_number = QLineEdit()
        for label, widget in ((self.tr("身份证号码"), self.id_number), (self.tr("出险类别"), self.kind),
                              (self.tr("险种"), self.product), (self.tr("出险日期"), self.incident),
                              (self.tr("住院天数"), self.days), (self.tr("申请金额（元）"), self.claimed),
                              (self.tr("经过"), self.description), ("", self.green_channel), ("", self.home_visit),
                              ("", self.report_now), (self.tr("报案日期"), self.reported),
                              (self.tr("报案号"), self.report_number)):
            self.form.addRow(label, widget)
        self.report_now.toggled.connect(self._report_toggled)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._report_toggled(False)
        self._kind_changed()

    def _report_toggled(self, on: bool) -> None:
        self.reported.setEnabled(on)
        self.report_number.setEnabled(on)

    def _kind_changed(self) -> None:
        self.days.setEnabled(self.kind.currentData() == "hospital_care")

    def values(self) -> dict:
        report = self.report_now.isChecked()
        return {"person": self.id_number.text().strip(), "kind": self.kind.currentData(),
                "product": self.product.currentData(), "incident_on": date_of(self.incident),
                "hospital_days": self.days.value() if self.days.isEnabled() else 0,
                "claimed_fen": yuan_to_fen(self.claimed.text() or "0"), "description": self.description.text(),
                "green_channel": self.green_channel.isChecked(), "home_visit": self.home_visit.isChecked(),
                "reported_on": date_of(self.reported) if report else None,
                "report_number": self.report_number.text().strip() if report else None}


class ReportDialog(ClaimForm):
    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("报案"), parent)
        self.on = date_edit(today)
        self.number = QLineEdit()
        self.form.addRow(self.tr("报案日期"), self.on)
        self.form.addRow(self.tr("保险公司报案号"), self.number)

    def values(self) -> dict:
        return {"reported_on": date_of(self.on), "report_number": self.number.text().strip()}


class PaymentDialog(ClaimForm):
    def __init__(self, today: dt.date, suggested_fen: int, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("登记赔付"), parent)
        self.amount = QLineEdit(f"{suggested_fen / 100:.2f}")
        self.on = date_edit(today)
        self.form.addRow(self.tr("赔付金额（元）"), self.amount)
        self.form.addRow(self.tr("赔付日期"), self.on)

    def values(self) -> dict:
        return {"paid_fen": yuan_to_fen(self.amount.text() or "0"), "paid_on": date_of(self.on)}


class DeclineDialog(ClaimForm):
    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("登记拒赔"), parent)
        self.reason = QLineEdit()
        self.on = date_edit(today)
        self.form.addRow(self.tr("拒赔原因"), self.reason)
        self.form.addRow(self.tr("日期"), self.on)

    def values(self) -> dict:
        return {"reason": self.reason.text(), "on": date_of(self.on)}
