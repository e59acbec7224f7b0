"""The roster import wizard: file → sheet and header → column mapping with preview and the form's
whole-file answers → dry run → import.

The dry run and the import run off the GUI thread through BackgroundOp (progress dialog after a
short delay, Cancel rolls the transaction back). The import applies exactly what the dry run
showed: both call fpdesk.services.rosters.importing with the same file, sheet, header row and mapping.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.core.language import current, pick
from fpdesk.gui.dialogs.divisions_dialog import AddVillagesDialog
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import error_label
from fpdesk.gui.widgets.form_questions import FormQuestions
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.registry.divisions import village_suggester
from fpdesk.services.rosters.importing import (
    CHECK_AGAIN,
    RosterImportResult,
    RosterInspection,
    import_roster,
    inspect_roster,
    save_rejected_report,
)
from fpdesk.services.rosters.lookups import inspection_questions

FILE_PAGE, SHEET_PAGE, MAPPING_PAGE, REPORT_PAGE, DONE_PAGE = range(5)
FILE_FILTER = "表格 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)"
UNMAPPED = ""


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


class RosterImportWizard(QDialog):
    """Attributes:
    inspection: what the file looks like (after the sheet page).
    dry_run: the dry-run result; result: the import's result once applied.
    op: the running (or last) background operation.
    """

    imported = Signal(object)

    def __init__(self, workspace, *, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.inspection: RosterInspection | None = None
        self.dry_run: RosterImportResult | None = None
        self.note_after_check = ""  # why the check was run again, said once it is done
        self.result: RosterImportResult | None = None
        self.op: BackgroundOp | None = None
        self.setWindowTitle(self.tr("导入花名册"))
        fit_window(self, 900, 620)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._sheet_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._report_page())
        self.pages.addWidget(self._done_page())
        self.message = error_label()
        self.back_button = QPushButton(self.tr("上一步"))
        self.next_button = QPushButton(self.tr("下一步"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.advance)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._show_page(FILE_PAGE)

    # -- pages ----------------------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("选择 Excel、WPS 或 CSV 花名册文件"))
        browse = QPushButton(self.tr("浏览…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self.today.year)
        self.product_combo = ProductCombo(self.workspace, any_label=self.tr("按文件中的“险种”列或标题"))
        form = QFormLayout()
        form.addRow(self.tr("文件"), row)
        form.addRow(self.tr("保险年度"), self.year_spin)
        form.addRow(self.tr("险种"), self.product_combo)
        hint = QLabel(self.tr("先检查（试导入），不会写入任何数据；检查结果确认后再正式导入。往年的花名册按当年的日期判断参保条件。"))
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def _sheet_page(self) -> QWidget:
        page = QWidget()
        self.sheet_combo = QComboBox()
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 30)
        self.header_spin.valueChanged.connect(self._header_changed)
        self.sheet_preview = QTableWidget()
        self.sheet_preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        form = QFormLayout()
        form.addRow(self.tr("工作表"), self.sheet_combo)
        form.addRow(self.tr("表头所在行"), self.header_spin)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("表头及下面的前几行：")))
        layout.addWidget(self.sheet_preview, 1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels([self.tr("文件中的列"), self.tr("对应项目"), self.tr("示例")])
        self.mapping_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        # the product form's questions the file has no column for: answered once for every row
        self.questions = FormQuestions()
        self.questions.changed.connect(self._questions_changed)
        layout = QVBoxLayout(page)
        layout.addWidget(self.mapping_note)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(self.questions)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.issues_table = QTableWidget(0, 4)
        self.issues_table.setHorizontalHeaderLabels([self.tr("行"), self.tr("列"), self.tr("代码"), self.tr("说明")])
        self.issues_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.issues_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # what the whole file could not do (a closed window, an unknown product), said once, on top
        self.file_issues_label = QLabel()
        self.file_issues_label.setWordWrap(True)
        self.file_issues_label.setStyleSheet("color: #8a4b00;")
        self.file_issues_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.not_insured_table = QTableWidget(0, 3)
        self.not_insured_table.setHorizontalHeaderLabels([self.tr("行"), self.tr("原因代码"), self.tr("说明")])
        self.not_insured_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.not_insured_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.notes_table = QTableWidget(0, 2)
        self.notes_table.setHorizontalHeaderLabels([self.tr("行"), self.tr("说明")])
        self.notes_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.notes_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.add_villages_button = QPushButton(self.tr("添加本乡镇的村（社区）…"))
        self.add_villages_button.setAutoDefault(False)
        self.add_villages_button.clicked.connect(self.open_add_villages)
        self.save_report_button = QPushButton(self.tr("保存错误报告…"))
        self.save_report_button.setAutoDefault(False)
        self.save_report_button.clicked.connect(self._save_report)
        # what the import will change in what is registered (a renamed person, a household moved to
        # another village), beside what it refuses: a one-letter typo must not rewrite a record unseen
        self.changes_table = QTableWidget(0, 1)
        self.changes_table.setHorizontalHeaderLabels([self.tr("将修改的登记信息")])
        self.changes_table.horizontalHeader().setStretchLastSection(True)
        self.changes_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.report_tabs = QTabWidget()
        self.report_tabs.addTab(self.issues_table, self.tr("拒收"))
        self.report_tabs.addTab(self.changes_table, self.tr("修改"))
        self.report_tabs.addTab(self.not_insured_table, self.tr("不参保"))
        self.report_tabs.addTab(self.notes_table, self.tr("说明"))
        actions = QHBoxLayout()
        actions.addWidget(self.save_report_button)
        actions.addWidget(self.add_villages_button)
        actions.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.file_issues_label)
        layout.addWidget(self.report_tabs, 1)
        layout.addLayout(actions)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        # the rows left out are still to be fixed: their marked-up copy can be saved from here too
        self.done_report_button = QPushButton(self.tr("保存被拒收的行…"))
        self.done_report_button.setAutoDefault(False)
        self.done_report_button.clicked.connect(self._save_report)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_label)
        layout.addWidget(self.done_report_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    # -- navigation -----------------------------------------------------------------------------------

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.message.clear()
        self.back_button.setEnabled(index in (SHEET_PAGE, MAPPING_PAGE, REPORT_PAGE))
        labels = {FILE_PAGE: self.tr("下一步"), SHEET_PAGE: self.tr("下一步"), MAPPING_PAGE: self.tr("检查（试导入）"),
                  REPORT_PAGE: self.tr("正式导入")}
        self.next_button.setVisible(index != DONE_PAGE)
        self.next_button.setText(labels.get(index, ""))
        if index == REPORT_PAGE:
            self.next_button.setEnabled(self.dry_run is not None and self.dry_run.rows > self.dry_run.not_registered_rows)
        elif index == MAPPING_PAGE:
            self._questions_changed()  # the check waits for every whole-file answer
        else:
            self.next_button.setEnabled(True)
        self.close_button.setText(self.tr("完成") if index == DONE_PAGE else self.tr("关闭"))

    def back(self) -> None:
        self._show_page(max(self.pages.currentIndex() - 1, FILE_PAGE))

    def advance(self) -> None:
        page = self.pages.currentIndex()
        try:
            if page == FILE_PAGE:
                self._open_file()
            elif page == SHEET_PAGE:
                self._fill_mapping()
                self._show_page(MAPPING_PAGE)
            elif page == MAPPING_PAGE:
                self.run_dry_run()
            elif page == REPORT_PAGE:
                self.run_import()
        except DomainError as error:
            self.message.setText(error.message(current()))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择花名册"), str(Path.home()), FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def _open_file(self) -> None:
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            self.message.setText(self.tr("请选择一个存在的文件。"))
            return
        self.inspection = inspect_roster(self.workspace, path, product=self.product())
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(self.inspection.sheet_names)
        self.sheet_combo.setCurrentText(self.inspection.sheet)
        self.sheet_combo.blockSignals(False)
        self._show_inspection()
        self._show_page(SHEET_PAGE)

    def product(self) -> str | None:
        return self.product_combo.currentData()

    def _sheet_changed(self) -> None:
        if self.inspection is None or not self.sheet_combo.currentText():
            return
        self._reinspect(None)

    def _header_changed(self) -> None:
        if self.inspection is not None and self.inspection.header_row != self.header_spin.value() - 1:
            self._reinspect(self.header_spin.value() - 1)

    def _reinspect(self, header_row: int | None) -> None:
        try:
            self.inspection = inspect_roster(self.workspace, self.inspection.path, sheet=self.sheet_combo.currentText(),
                                             header_row=header_row, product=self.product())
        except DomainError as error:
            self.message.setText(error.message(current()))
            return
        self._show_inspection()

    def _show_inspection(self) -> None:
        found = self.inspection
        self.header_spin.blockSignals(True)
        self.header_spin.setValue((found.header_row or 0) + 1)
        self.header_spin.blockSignals(False)
        rows = ([list(found.labels)] if found.header_row is not None else []) + found.preview[:8]
        width = max((len(r) for r in rows), default=0)
        self.sheet_preview.setRowCount(len(rows))
        self.sheet_preview.setColumnCount(width)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.sheet_preview.setItem(r, c, QTableWidgetItem(_shown(value)))
        if found.header_row is None:
            self.message.setText(self.tr("没有自动找到表头：请在“表头所在行”中指定。"))

    def _fill_mapping(self) -> None:
        found = self.inspection
        if found is None or found.header_row is None:
            raise DomainError("no_header", {"sheet": self.sheet_combo.currentText(), "scanned": 30})
        self.mapping_table.setRowCount(len(found.labels))
        unmapped = 0
        for row, label in enumerate(found.labels):
            self.mapping_table.setItem(row, 0, QTableWidgetItem(label))
            combo = QComboBox()
            combo.addItem(self.tr("（不导入）"), UNMAPPED)
            for item in found.fields:
                combo.addItem(pick(item.label_zh, item.label_en), item.key)
            key = found.mapping.get(row, UNMAPPED)
            combo.setCurrentIndex(max(combo.findData(key), 0))
            if key == UNMAPPED and label:
                unmapped += 1
                combo.setStyleSheet("background: #fff3cd;")
            self.mapping_table.setCellWidget(row, 1, combo)
            samples = "、".join(_shown(r[row]) for r in found.preview[:3] if row < len(r) and r[row] is not None)
            self.mapping_table.setItem(row, 2, QTableWidgetItem(samples))
        note = self.tr("已按列名自动对应；黄色的列没有对应上，需要时请选择。")
        if found.remembered:
            note = self.tr("这种格式以前导入过，已使用上次的对应关系。")
        self.mapping_note.setText(note + (self.tr("（{0}列未对应）").format(unmapped) if unmapped else ""))
        self.questions.reset()
        for column in (0, 1):  # the mapped field's whole name (户主身份证号码), not its first four characters
            self.mapping_table.resizeColumnToContents(column)
        for row in range(self.mapping_table.rowCount()):
            self.mapping_table.cellWidget(row, 1).currentIndexChanged.connect(self._refresh_questions)
        self._refresh_questions()

    def _refresh_questions(self) -> None:
        """The form questions no mapped column answers, asked again whenever the mapping changes."""
        if self.inspection is None:
            return
        try:
            asked = inspection_questions(self.workspace, self.inspection, self.mapping(), self.product())
        except DomainError as error:
            self.message.setText(error.message(current()))
            return
        self.questions.set_questions(asked, self.inspection.answers)

    def _questions_changed(self) -> None:
        if self.pages.currentIndex() != MAPPING_PAGE:
            return
        waiting = self.questions.unanswered()
        self.next_button.setEnabled(not waiting)
        if waiting:
            names = "、".join(pick(q.label_zh, q.label_en) for q in waiting)
            self.message.setText(self.tr("请先为这些项目选择“全部填为…”，或把文件中的列对应到它们：{0}").format(names))
        else:
            self.message.clear()

    def mapping(self) -> dict[int, str]:
        result = {}
        for row in range(self.mapping_table.rowCount()):
            combo = self.mapping_table.cellWidget(row, 1)
            if combo is not None and combo.currentData():
                result[row] = combo.currentData()
        return result

    def set_mapping(self, column: int, key: str) -> None:
        combo = self.mapping_table.cellWidget(column, 1)
        combo.setCurrentIndex(combo.findData(key))

    # -- dry run and import ---------------------------------------------------------------------------

    def _job(self, *, dry_run: bool):
        """The dry run keeps its plan; the import writes that plan (nothing is read or judged again)."""
        path, sheet, header = self.inspection.path, self.inspection.sheet, self.inspection.header_row
        mapping, year, product = self.mapping(), self.year_spin.value(), self.product()
        workspace, today, answers = self.workspace, self.today, self.questions.answers()
        prepared = None if dry_run or self.dry_run is None else self.dry_run.prepared

        def job(progress):
            return import_roster(workspace, path, sheet=sheet, year=year, product=product, dry_run=dry_run,
                                 mapping=mapping, header_row=header, today=today, progress=progress,
                                 keep_plan=dry_run, prepared=prepared, answers=answers)

        return job

    def run_dry_run(self) -> BackgroundOp:
        self.next_button.setEnabled(False)
        self.op = BackgroundOp(self, self._job(dry_run=True), label=self.tr("正在检查花名册…"))
        self.op.success(self._dry_run_done).failure(self._failed).run()
        return self.op

    def _dry_run_done(self, result: RosterImportResult) -> None:
        self.dry_run = result
        accepted = result.rows - result.not_registered_rows
        summary = self.tr("共 {0} 行：新增 {1} 人，更新 {2} 人，未变 {3} 人，拒收 {4} 行。可导入 {5} 行。").format(
            result.rows, result.new, result.updated, result.unchanged, len(result.rejected_rows), accepted)
        summary += "\n" + self.tr("将参保 {0} 户；{1} 人按险种规定不参保（照常登记）。").format(
            result.enrollments_new, len(result.not_insured))
        if result.households_only:  # said before the import: a roster meant to enroll must name its product
            summary += "\n" + self.tr("文件中没有“险种”列，也没有选择险种：只登记家庭户和人员，不办理参保。"
                                       "如要同时参保，请返回第一步选择险种。")
        self.summary.setText(summary)
        self.issues_table.setRowCount(len(result.rejected))
        for row, issue in enumerate(result.rejected):
            for column, value in enumerate((str(issue.row), issue.column, issue.code,
                                            pick(issue.message, issue.message_en))):
                self.issues_table.setItem(row, column, QTableWidgetItem(value))
        self.issues_table.resizeColumnToContents(2)
        self.save_report_button.setEnabled(bool(result.rejected))
        self.changes_table.setRowCount(len(result.registry_changes))
        for row, change in enumerate(result.registry_changes):
            self.changes_table.setItem(row, 0, QTableWidgetItem(change.describe(current())))
        self.report_tabs.setTabText(0, self.tr("拒收（{0}）").format(len(result.rejected)))
        self.report_tabs.setTabText(1, self.tr("修改已登记信息（{0}）").format(result.registry_changes_total))
        self._fill(self.not_insured_table, [(str(n.row), n.code, pick(n.message, n.message_en))
                                            for n in result.not_insured])
        self.not_insured_table.resizeColumnToContents(1)
        self._fill(self.notes_table, [(str(n.row), pick(n.message, n.message_en)) for n in result.notes])
        self.report_tabs.setTabText(2, self.tr("不参保（{0}）").format(len(result.not_insured)))
        self.report_tabs.setTabText(3, self.tr("说明（{0}）").format(len(result.notes)))
        self.file_issues_label.setText("\n".join("• " + (pick(i.message, i.message_en))
                                                 for i in result.file_issues))
        self.file_issues_label.setVisible(bool(result.file_issues))
        office = self.workspace.require_office()
        self.add_villages_button.setVisible(bool(result.unknown_divisions) and office.level.value == "township")
        if result.registry_changes_total and not result.rejected:
            self.report_tabs.setCurrentIndex(1)  # nothing refused: what will change is what to read
        elif result.not_insured and not result.rejected and not result.registry_changes_total:
            self.report_tabs.setCurrentIndex(2)
        self._show_page(REPORT_PAGE)
        if self.note_after_check:
            self.message.setText(self.note_after_check)
            self.note_after_check = ""

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))

    def open_add_villages(self) -> AddVillagesDialog:
        """The villages the roster names that this township does not know: add the real ones, check again."""
        dialog = AddVillagesDialog(self.workspace, self.dry_run.unknown_divisions, village_suggester(self.workspace),
                                   parent=self)
        dialog.accepted.connect(lambda: self._villages_added(dialog.added))
        dialog.open()
        return dialog

    def _villages_added(self, names: list[str]) -> None:
        if not names:
            return
        self.note_after_check = self.tr("已添加：{0}。已重新检查。").format("、".join(names))
        self.dry_run = None
        self.run_dry_run()

    def run_import(self) -> BackgroundOp:
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self.op = BackgroundOp(self, self._job(dry_run=False), label=self.tr("正在导入花名册…"))
        self.op.success(self._import_done).failure(self._failed).run()
        return self.op

    def _import_done(self, result: RosterImportResult) -> None:
        self.result = result
        text = self.tr("导入完成：新增 {0} 人，更新 {1} 人，未变 {2} 人，新增参保 {3} 户；拒收 {4} 行未导入。").format(
            result.new, result.updated, result.unchanged, result.enrollments_new, len(result.rejected_rows))
        if result.not_insured:
            text += "\n" + self.tr("{0} 人按险种规定不参保，已照常登记。").format(len(result.not_insured))
        if result.file_issues:
            text += "\n" + "\n".join(pick(i.message, i.message_en) for i in result.file_issues)
        self.done_label.setText(text)
        self.done_report_button.setVisible(bool(result.rejected) and self.dry_run is not None)
        self._show_page(DONE_PAGE)
        self.imported.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.next_button.setEnabled(True)
        self.back_button.setEnabled(True)
        if isinstance(error, DomainError) and error.code in CHECK_AGAIN:
            # what the report shows is no longer what would be written: check again, then show why
            self.note_after_check = error.message(current())
            self.dry_run = None  # its plan is of no use now: let it go before the new one is made
            self.run_dry_run()
            return
        self.note_after_check = ""
        if isinstance(error, DomainError):
            self.message.setText(error.message(current()))
        else:
            QMessageBox.critical(self, self.tr("导入失败"), str(error))

    def _save_report(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, self.tr("保存错误报告"),
                                                str(self.inspection.path.with_name(self.inspection.path.stem + "_需改正.xlsx")),
                                                "Excel (*.xlsx)")
        if target:
            self.save_report(Path(target))

    def save_report(self, target: Path) -> BackgroundOp:
        """The rejected rows as an xlsx copy of the input, from what the dry run found."""
        prepared, rejected = self.dry_run.prepared, self.dry_run.rejected
        self.op = BackgroundOp(self, lambda _progress: save_rejected_report(prepared, rejected, target),
                               label=self.tr("正在保存错误报告…"))
        self.op.success(lambda _result: self.message.setText(self.tr("错误报告已保存：{0}").format(target)))
        self.op.failure(self._failed).run()
        return self.op


def open_roster_import(parent: QWidget | None, workspace) -> RosterImportWizard:
    """Open the import wizard (window-modal, non-blocking) and return it."""
    wizard = RosterImportWizard(workspace, parent=parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
