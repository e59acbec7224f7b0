"""Exporting rosters (finance office, insurer, full) and the empty import template.

Full ID numbers go to the finance office and the insurer; the full roster masks them unless the
clerk ticks the box (a copy meant for importing elsewhere).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.core.language import current
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import ERROR_STYLE
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.rosters.export import RosterExportResult, export_roster, write_import_template
from fpdesk.services.workspace import list_divisions


class RosterExportDialog(QDialog):
    """Attributes: op: the running (or last) export; result: the last export's result."""

    def __init__(self, workspace, *, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.op: BackgroundOp | None = None
        self.result: RosterExportResult | None = None
        self.setWindowTitle(self.tr("导出花名册"))
        fit_window(self, 560, 380)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self.today.year)
        self.product_combo = ProductCombo(workspace, any_label=self.tr("全部险种（每个险种一个工作表）"))
        self.scope_combo = QComboBox()
        self.scope_combo.addItem(self.tr("本单位全部"), None)
        for code, name, kind in list_divisions(workspace):
            if kind not in ("county",):
                self.scope_combo.addItem(f"{name}（{code}）", code)
        self.audiences = QButtonGroup(self)
        self.audience_buttons = {}
        for key, label in (("finance", self.tr("财政所：政府投保及多级分担的人员、各级保费，按村小计")),
                           ("insurer", self.tr("保险公司：被保险人名单、保额、保险期间")),
                           ("full", self.tr("完整花名册（本单位留存）"))):
            button = QRadioButton(label)
            self.audiences.addButton(button)
            self.audience_buttons[key] = button
        self.audience_buttons["finance"].setChecked(True)
        self.full_ids = QCheckBox(self.tr("完整花名册显示完整身份证号码（默认只显示前6位和后4位）"))
        self.full_ids.setEnabled(False)
        self.audience_buttons["full"].toggled.connect(self.full_ids.setEnabled)
        self.out_edit = QLineEdit(str(Path.home() / "花名册.xlsx"))
        browse = QPushButton(self.tr("浏览…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(browse)
        audience_box = QVBoxLayout()
        for button in self.audience_buttons.values():
            audience_box.addWidget(button)
        audience_box.addWidget(self.full_ids)
        form = QFormLayout()
        form.addRow(self.tr("保险年度"), self.year_spin)
        form.addRow(self.tr("险种"), self.product_combo)
        form.addRow(self.tr("范围"), self.scope_combo)
        form.addRow(self.tr("用途"), audience_box)
        form.addRow(self.tr("保存到"), out_row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.export_button = QPushButton(self.tr("导出"))
        self.template_button = QPushButton(self.tr("生成导入模板"))
        close = QPushButton(self.tr("关闭"))
        self.export_button.clicked.connect(self.export)
        self.template_button.clicked.connect(self.write_template)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        for button in (self.export_button, self.template_button, close):
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def audience(self) -> str:
        return next(key for key, button in self.audience_buttons.items() if button.isChecked())

    def _browse(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, self.tr("保存花名册"), self.out_edit.text(), "Excel (*.xlsx)")
        if target:
            self.out_edit.setText(target)

    def _target(self) -> Path:
        path = Path(self.out_edit.text().strip())
        return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")

    def export(self) -> BackgroundOp:
        workspace, year, audience = self.workspace, self.year_spin.value(), self.audience()
        product, scope, full = self.product_combo.currentData(), self.scope_combo.currentData(), self.full_ids.isChecked()
        out, today = self._target(), self.today

        def job(progress):
            return export_roster(workspace, year=year, audience=audience, out=out, product=product, scope=scope,
                                 full_id_numbers=full, today=today, progress=progress)

        self.export_button.setEnabled(False)
        self.op = BackgroundOp(self, job, label=self.tr("正在导出花名册…"))
        self.op.success(self._exported).failure(self._failed).run()
        return self.op

    def _exported(self, result: RosterExportResult) -> None:
        self.result = result
        self.export_button.setEnabled(True)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("已导出 {0} 人到 {1}").format(result.rows, result.path))

    def write_template(self) -> None:
        product = self.product_combo.currentData()
        if product is None:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(self.tr("请先选择一个险种，模板按险种生成。"))
            return
        target = self._target().with_name(self._target().stem + "_导入模板.xlsx")
        try:
            path = write_import_template(self.workspace, product=product, out=target)
        except (DomainError, OSError) as error:
            self._failed(error)
            return
        self.message.setStyleSheet("")
        self.message.setText(self.tr("导入模板已保存：{0}").format(path))

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.message.setStyleSheet(ERROR_STYLE)
        text = error.message(current()) if isinstance(error, DomainError) else str(error)
        self.message.setText(text)


def open_roster_export(parent: QWidget | None, workspace) -> RosterExportDialog:
    """Open the export dialog (window-modal, non-blocking) and return it."""
    dialog = RosterExportDialog(workspace, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
