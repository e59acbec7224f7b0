"""Dialogs of the 数据交换 screen: export, import (dry run, then Apply), invite a child office,
join by invitation, and the conflict review (base / ours / theirs per field)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from fpdesk.core.errors import DomainError
from fpdesk.core.language import pick
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import error_label, error_text
from fpdesk.gui.widgets.field_values import SIDES, conflict_labels, conflict_value, field_label, typed_value
from fpdesk.gui.window_fit import fit_window


class ExportDialog(QDialog):
    """Attributes: partner, folder (editable combo: USB drives first); summary once written."""

    exported = Signal(object)

    def __init__(self, workspace, partners: list[tuple[str, str]], folders: list[Path], parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.summary = None
        self.op: BackgroundOp | None = None
        self.setWindowTitle(self.tr("导出数据包"))
        fit_window(self, 600, 320)
        self.partner = QComboBox()
        for code, label in partners:
            self.partner.addItem(label, code)
        self.folder = QComboBox()
        self.folder.setEditable(True)
        for folder in folders:
            self.folder.addItem(str(folder))
        self.result = QLabel(self.tr("数据包只写到这里选的文件夹（如U盘），文件名只含单位代码和序号，内容已加密。"))
        self.result.setWordWrap(True)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(self.tr("发给"), self.partner)
        browse = QPushButton(self.tr("浏览…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow(self.tr("保存到"), row)
        self.export_button = QPushButton(self.tr("导出"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存数据包的文件夹"), self.folder.currentText())
        if folder:
            self.folder.setEditText(folder)

    def export(self) -> BackgroundOp | None:
        from fpdesk.services.sync.export import export_package

        code, folder = self.partner.currentData(), Path(self.folder.currentText().strip())
        self.error.clear()
        if not code or not folder.is_dir():
            self.error.setText(self.tr("请选择接收单位和一个已存在的文件夹。"))
            return None
        self.export_button.setEnabled(False)
        self.op = BackgroundOp(self, lambda _progress: export_package(self.workspace, to=code, out=folder),
                               label=self.tr("正在导出数据包")).success(self._done).failure(self._failed)
        return self.op.run()

    def _done(self, summary) -> None:
        self.summary = summary
        self.export_button.setEnabled(True)
        size = summary.size / 1024
        self.result.setText(self.tr("已写入 {0}\n{1} 条修改，{2:.1f} KB。可以拔出U盘了。").format(
            summary.path, summary.records, size))
        self.layout().activate()  # the longer text gets its room now, not at the next event
        self.exported.emit(summary)

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.error.setText(error_text(error))


# spelled QT_TRANSLATE_NOOP, not an alias: pyside6-lupdate only finds the macro by its own name
REPORT_ROWS = (("new", QT_TRANSLATE_NOOP("ImportDialog", "新增")), ("updated", QT_TRANSLATE_NOOP("ImportDialog", "更新")),
               ("unchanged", QT_TRANSLATE_NOOP("ImportDialog", "未变")),
               ("conflicts", QT_TRANSLATE_NOOP("ImportDialog", "冲突")),
               ("duplicates", QT_TRANSLATE_NOOP("ImportDialog", "疑似重复")),
               ("held", QT_TRANSLATE_NOOP("ImportDialog", "暂缓（缺少前面的数据包）")),
               ("rejected", QT_TRANSLATE_NOOP("ImportDialog", "拒收")))


NOTES_SHOWN = 8  # the dialog keeps its buttons on a 1366x768 screen; the rest are counted


class ImportDialog(QDialog):
    """Check a package (dry run, nothing written), show its counts to confirm, then import; after the
    import, undo restores the copy the import made of the database just before it (SQLite)."""

    imported = Signal(object)
    undone = Signal(object)

    def __init__(self, workspace, parent=None, path: str = "") -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.report = None
        self.applied = None
        self.op: BackgroundOp | None = None
        self.setWindowTitle(self.tr("导入数据包"))
        fit_window(self, 560, 500)  # all seven counts in view below two lines of notes
        self.path = QLineEdit(path)
        self.path.setPlaceholderText(self.tr("选择U盘或邮件附件中的 .fpsync 文件"))
        browse = QPushButton(self.tr("浏览…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.table = QTableWidget(len(REPORT_ROWS), 2)
        self.table.setHorizontalHeaderLabels([self.tr("项目"), self.tr("条数")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for index, (_key, label) in enumerate(REPORT_ROWS):
            self.table.setItem(index, 0, QTableWidgetItem(self.tr(label)))
            self.table.setItem(index, 1, QTableWidgetItem(""))
        self.summary = QLabel(self.tr("先检查：核对签名、收件单位和内容，列出将要导入的修改，不写入任何数据。"))
        self.summary.setWordWrap(True)
        # what the importer says beside its counts: a record refused, a village merged, a sender whose
        # audit log was rewritten (services/trust/audit_anchors.py): the clerk must see it before Apply
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setObjectName("importNotes")
        self.notes.setVisible(False)
        self.error = error_label()
        self.check_button = QPushButton(self.tr("检查"))
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        self.apply_button = QPushButton(self.tr("应用"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.undo_button = QPushButton(self.tr("撤销导入"))
        self.undo_button.setToolTip(self.tr("用导入前自动做的备份恢复数据库"))
        self.undo_button.clicked.connect(self.undo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setVisible(False)  # once there is an import to undo (the box shows what it is given)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("数据包"), row)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择数据包"), self.path.text(),
                                              self.tr("数据交换包 (*.fpsync)"))
        if path:
            self.path.setText(path)

    def check(self) -> BackgroundOp:
        return self._run(dry_run=True)

    def apply(self) -> BackgroundOp:
        return self._run(dry_run=False)

    def _run(self, *, dry_run: bool) -> BackgroundOp:
        from fpdesk.services.sync.importer import import_package

        path = self.path.text().strip()
        self.error.clear()
        self.check_button.setEnabled(False)
        self.apply_button.setEnabled(False)
        job = lambda _progress: import_package(self.workspace, path, dry_run=dry_run)  # noqa: E731
        label = self.tr("正在检查数据包") if dry_run else self.tr("正在导入数据包")
        self.op = BackgroundOp(self, job, label=label).success(self._done).failure(self._failed)
        return self.op.run()

    def _done(self, report) -> None:
        self.check_button.setEnabled(True)
        values = report.as_dict()
        for index, (key, _label) in enumerate(REPORT_ROWS):
            self.table.item(index, 1).setText(str(values[key]))
        self.table.resizeColumnToContents(0)
        self._show_notes(report)
        if report.dry_run:
            self.report = report
            self.summary.setText(self.tr(
                "来自 {0} 的第 {1} 号数据包，签名有效，尚未写入。导入后将新增 {2} 条、更新 {3} 条记录，"
                "{4} 处冲突，{5} 对疑似重复。导入前会自动备份，导入后可以撤销。确认无误后点“应用”。").format(
                self._sender(report), report.sequence, report.new, report.updated, report.conflicts,
                report.duplicates))
            self.apply_button.setEnabled(not report.already_imported)
            if report.already_imported:
                self.summary.setText(self.tr("这个数据包已经导入过，不会再有变化。"))
        else:
            self.applied = report
            self.summary.setText(self.tr("已导入来自 {0} 的第 {1} 号数据包。").format(self._sender(report), report.sequence))
            if report.backup:
                self.summary.setText(self.summary.text() + self.tr("如有问题，可点“撤销导入”恢复到导入前的备份。"))
            self.undo_button.setVisible(bool(report.backup))
            self.undo_button.setEnabled(bool(report.backup))
            self.imported.emit(report)

    def _sender(self, report) -> str:
        """The sending office as the clerk knows it: its name, and its code to tell two of a name apart."""
        if not report.sender_name:
            return report.sender
        return self.tr("{0}（{1}）").format(report.sender_name, report.sender)

    def _show_notes(self, report) -> None:
        notes = pick(report.notes, report.notes_en)
        shown = ["• " + note for note in notes[:NOTES_SHOWN]]
        if len(notes) > NOTES_SHOWN:
            shown.append(self.tr("……另有 {0} 条说明").format(len(notes) - NOTES_SHOWN))
        self.notes.setText("\n".join(shown))
        self.notes.setVisible(bool(notes))

    def undo(self) -> BackgroundOp | None:
        """Restore the copy made just before the import (the database as it is now is kept aside)."""
        from fpdesk.services.trust.backups import restore

        if self.applied is None or not self.applied.backup:
            return None
        backup, location = self.applied.backup, str(self.workspace.db.file_path)
        self.error.clear()
        self.undo_button.setEnabled(False)
        job = lambda _progress: restore(location, backup, workspace=self.workspace)  # noqa: E731
        self.op = BackgroundOp(self, job, label=self.tr("正在撤销导入")).success(self._undone).failure(self._undo_failed)
        return self.op.run()

    def _undone(self, result) -> None:
        self.undo_button.setVisible(False)
        self.summary.setText(self.tr("已撤销导入：数据库已恢复到导入前的备份，撤销前的数据库另存为 {0}。").format(
            result.kept_aside.name if result.kept_aside else "-"))
        self.undone.emit(self.applied)
        self.applied = None

    def _undo_failed(self, error: BaseException) -> None:
        self.undo_button.setEnabled(True)
        self.error.setText(error_text(error))

    def _failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.report = None
        for index in range(len(REPORT_ROWS)):
            self.table.item(index, 1).setText("")
        self.summary.setText(self.tr("没有导入任何内容。"))
        self.error.setText(error_text(error))


class AddChildDialog(QDialog):
    """Register a child office: an invitation file plus a one-time pairing code to read out."""

    added = Signal(object)

    def __init__(self, workspace, folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.invitation = None
        self.setWindowTitle(self.tr("登记下级单位"))
        fit_window(self, 600, 420)
        mine = workspace.require_office().level.value
        self.level = QComboBox()
        if mine == "county":
            self.level.addItem(self.tr("乡镇（街道）"), "township")
        self.level.addItem(self.tr("村（社区）"), "village")
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("乡镇9位、村12位区划代码"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("如：罗翠村计生协"))
        self.folder = QLineEdit(str(folder))
        self.error = error_label()
        self.code_label = QLabel()
        font = QFont(self.code_label.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("级别"), self.level)
        form.addRow(self.tr("区划代码"), self.code)
        form.addRow(self.tr("单位名称"), self.name)
        form.addRow(self.tr("邀请文件保存到"), self.folder)
        self.create_button = QPushButton(self.tr("生成邀请"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.code_label)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def create(self) -> BackgroundOp:
        from fpdesk.services.sync.identity import add_child_office

        code = self.code.text().strip()
        out = Path(self.folder.text().strip()) / f"{code}.invite"
        self.error.clear()
        workspace, level, name = self.workspace, self.level.currentData(), self.name.text()

        def job(_progress):
            return add_child_office(workspace, code=code, level=level, name=name, out=out)

        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError | OSError):
                raise error  # the error dialog (gui/ops.py)
            self.error.setText(error_text(error))

        return BackgroundOp(self, job, cancellable=False).success(self._created).failure(refused).run()

    def _created(self, invitation) -> None:
        self.invitation = invitation
        self.code_label.setText(self.invitation.pairing_code)
        self.hint.setText(self.tr("邀请文件：{0}\n请把邀请文件交给{1}，配对码请电话告知或当面交给对方（只能使用一次）。"
                                  "对方设置好后交来的第一个数据包导入后，配对即完成。").format(
            self.invitation.path, self.invitation.name))
        self.create_button.setEnabled(False)
        self.layout().activate()
        self.added.emit(self.invitation)


class JoinDialog(QDialog):
    """Set this installation up as the office a parent invited (from the setup wizard)."""

    def __init__(self, workspace, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("用邀请文件加入"))
        fit_window(self, 520, 220)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("上级单位给的 .invite 文件"))
        browse = QPushButton(self.tr("浏览…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("如 1234-5678-9012"))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(self.tr("邀请文件"), row)
        form.addRow(self.tr("配对码"), self.code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.join)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择邀请文件"), "", self.tr("邀请文件 (*.invite)"))
        if path:
            self.path.setText(path)

    def join(self) -> None:
        from fpdesk.services.sync.identity import join_by_invitation

        try:
            join_by_invitation(self.workspace, Path(self.path.text().strip()), self.code.text())
        except DomainError as error:
            self.error.setText(error_text(error))
            return
        self.accept()


class JoinLauncher(QObject):
    """The setup wizard's "join by invitation" button: on success the wizard closes as set up."""

    def __init__(self, wizard, buttons: QDialogButtonBox) -> None:
        super().__init__(wizard)
        self.wizard = wizard
        self.dialog: JoinDialog | None = None
        self.button = QPushButton(self.tr("用邀请文件加入…"))
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.open)
        buttons.addButton(self.button, QDialogButtonBox.ButtonRole.ActionRole)

    def open(self) -> JoinDialog:
        self.dialog = JoinDialog(self.wizard.workspace, self.wizard)
        self.dialog.accepted.connect(self._joined)
        self.dialog.open()
        return self.dialog

    def _joined(self) -> None:
        self.wizard.choice = "office"
        self.wizard.accept()


class ConflictDialog(QDialog):
    """One conflict: per field the base, ours and theirs with who and where; pick or type a value."""

    resolved = Signal(object)

    def __init__(self, workspace, conflict: dict, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.conflict = conflict
        self.op: BackgroundOp | None = None  # the resolving, once asked
        self.entity = conflict.get("entity", "")
        self.setWindowTitle(self.tr("处理冲突"))
        fit_window(self, 860, 320)
        ours, theirs = conflict["ours"], conflict["theirs"]
        intro = QLabel(self.tr("同一条记录的同一字段在两个单位都被修改了。请选择保留哪个值，或直接填写正确的值。\n"
                               "本单位一方：{0}（{1}，{2}）；对方：{3}（{4}，{5}）。").format(
            ours.get("office_name") or ours.get("office") or "?", ours.get("author") or "?",
            (ours.get("at") or "")[:16].replace("T", " "),
            theirs.get("office_name") or theirs.get("office") or "?", theirs.get("author") or "?",
            (theirs.get("at") or "")[:16].replace("T", " ")))
        intro.setWordWrap(True)
        names = sorted(conflict["fields"])
        self.table = QTableWidget(len(names), 5)
        self.table.setHorizontalHeaderLabels([self.tr("字段"), self.tr("原值"), self.tr("本单位"), self.tr("对方"),
                                              self.tr("采用")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.choices: dict[str, QComboBox] = {}
        labels = conflict_labels(workspace, [conflict])
        for row, name in enumerate(names):
            values = conflict["fields"][name]
            shown = {side: conflict_value(workspace, conflict, name, side, labels) for side in SIDES}
            self.table.setItem(row, 0, QTableWidgetItem(field_label(name)))
            for column, key in ((1, "base"), (2, "ours"), (3, "theirs")):
                self.table.setItem(row, column, QTableWidgetItem(shown[key]))
            # the items carry the real values: taking a masked number still writes the whole number
            choice = QComboBox()
            choice.setEditable(True)
            # a long value shows its start, not its end (connected first: the first item is a change too)
            edit = choice.lineEdit()
            choice.currentIndexChanged.connect(lambda _index, edit=edit: edit.setCursorPosition(0))
            choice.addItem(shown["ours"], values["ours"])
            choice.addItem(shown["theirs"], values["theirs"])
            choice.setCurrentIndex(1 if values["provisional"] == values["theirs"] else 0)
            self.choices[name] = choice
            self.table.setCellWidget(row, 4, choice)
        self.table.setWordWrap(True)
        self.table.resizeColumnsToContents()
        # long words (a category list, its English names) wrap rather than push the choice out of sight
        for column in (1, 2, 3):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 240))
        self.table.resizeRowsToContents()
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定处理"))
        buttons.accepted.connect(self.resolve)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def take(self, name: str, which: str) -> None:
        self.choices[name].setCurrentIndex(0 if which == "ours" else 1)

    def chosen(self) -> dict:
        """The value per field: an item's real value, or what was typed read back into a code
        (ValueError with the field's label and the text when it is no word of the field's list).
        The current item comes first: ours and theirs can read the same (two numbers masked alike)."""
        values = {}
        for name, choice in self.choices.items():
            text, index = choice.currentText(), choice.currentIndex()
            if index < 0 or choice.itemText(index) != text:
                index = choice.findText(text)
            try:
                values[name] = choice.itemData(index) if index >= 0 else typed_value(text, name, self.entity)
            except ValueError:
                raise ValueError(field_label(name), text.strip()) from None
        return values

    def resolve(self) -> None:
        from fpdesk.services.sync.conflicts import resolve

        try:
            chosen = self.chosen()
        except ValueError as error:
            self.error.setText(self.tr("{0}：“{1}”不是可选的值，请从列表中选择或照列表填写。").format(*error.args))
            return
        workspace, conflict_id = self.workspace, self.conflict["id"]

        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            self.error.setText(error_text(error))

        def kept(result) -> None:
            self.resolved.emit(result)
            self.accept()

        self.op = BackgroundOp(self, lambda _progress: resolve(workspace, conflict_id, chosen), cancellable=False)
        self.op.success(kept).failure(refused).run()
