"""行政区划: the county's list of townships, villages and agency units, apart from the offices.

The list shows every division with its code and kind and whether an office (a computer) works
there; the county imports the statistics bureau's list and adds units; a township adds its own
villages. ``AddVillagesDialog`` is the roster check's offer: the villages a roster names that this
township does not know, each with the nearest known names, added in one go.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
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
    QWidget,
)

from fpdesk.core.changes import REFERENCE
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current, pick
from fpdesk.core.vocabulary import DivisionKind, OfficeLevel
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import DONE_STYLE, error_label, error_text, fill_table, read_only_table
from fpdesk.services.registry.divisions import add_division, import_divisions, list_divisions

FILE_FILTER = "表格 (*.xlsx *.xls *.ods *.csv);;所有文件 (*)"


class DivisionsDialog(QDialog):
    """Attributes: entries (what the table shows); last_import (the last list import's result)."""

    def __init__(self, workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.office = workspace.require_office()
        self.entries = []
        self.last_import = None
        self.setWindowTitle(self.tr("行政区划"))
        self.resize(760, 560)
        intro = QLabel(self.tr("本县的乡镇、村（社区）和机关单位。有电脑的单位标“有”；没有电脑的村同样可以导入花名册、统计进度和打印。"))
        intro.setWordWrap(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("按名称或代码筛选"))
        self.filter_edit.textChanged.connect(self.refresh)
        self.table = read_only_table([self.tr("名称"), self.tr("区划代码"), self.tr("类别"), self.tr("有电脑的单位")])
        self.import_button = QPushButton(self.tr("导入区划名单…"))
        self.add_button = QPushButton(self.tr("添加村（社区）…"))
        self.unit_button = QPushButton(self.tr("添加机关单位…"))
        self.import_button.clicked.connect(self.choose_list)
        self.add_button.clicked.connect(lambda: self.open_add("village"))
        self.unit_button.clicked.connect(lambda: self.open_add("unit"))
        village_office = self.office.level is OfficeLevel.VILLAGE
        for button in (self.import_button, self.add_button):
            button.setVisible(not village_office)
        self.unit_button.setVisible(self.office.level is OfficeLevel.COUNTY)
        self.message = error_label()
        self.done_label = QLabel()
        self.done_label.setStyleSheet(DONE_STYLE)
        self.done_label.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        actions = QHBoxLayout()
        for button in (self.import_button, self.add_button, self.unit_button):
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.done_label)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.refresh()
        follow_changes(self, workspace, {REFERENCE}, self.refresh)  # divisions added here or anywhere else

    def refresh(self) -> None:
        text = self.filter_edit.text().strip()
        self.entries = [e for e in list_divisions(self.workspace) if not text or text in e.name or e.code.startswith(text)]
        fill_table(self.table, [["\u3000" * max(len(e.code) // 3 - 2, 0) + e.name, e.code,
                                 DivisionKind(e.kind).label(current()),
                                 self.tr("有") if e.office else ""] for e in self.entries])

    def choose_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择区划名单"), str(Path.home()), FILE_FILTER)
        if path:
            self.import_list(Path(path))

    def import_list(self, path: Path) -> BackgroundOp:
        self.message.clear()
        self.done_label.clear()
        workspace = self.workspace
        return BackgroundOp(self, lambda _progress: import_divisions(workspace, path), label=self.tr("正在导入…")) \
            .success(self._imported).failure(_refused_in(self.message)).run()

    def _imported(self, result) -> None:
        self.last_import = result
        self.done_label.setText(self.tr("已导入“{0}”：新增 {1}，更名 {2}，未变 {3}，不属于本单位而跳过 {4}。").format(
            result.file, result.new, result.updated, result.unchanged, result.skipped))
        if result.rejected:
            self.message.setText("\n".join(r[pick("message", "message_en")] for r in result.rejected))
        self.refresh()

    def open_add(self, kind: str) -> AddDivisionDialog:
        dialog = AddDivisionDialog(self.workspace, kind, parent=self)  # the list follows what it adds
        dialog.open()
        return dialog


class AddDivisionDialog(QDialog):
    """Add one village, community or (the county) agency unit. Attributes: added (the new entry)."""

    def __init__(self, workspace, kind: str, *, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.kind = kind
        self.added = None
        office = workspace.require_office()
        self.setWindowTitle(self.tr("添加机关单位") if kind == "unit" else self.tr("添加村（社区）"))
        self.name = QLineEdit(name)
        self.under = QComboBox()
        if kind == "unit":
            self.under.addItem(self.tr("机关单位（县直）"), office.code[:6])
        else:
            for entry in list_divisions(workspace):
                if len(entry.code) == 9 and entry.code.startswith(office.code) and entry.kind != "agency_channel":
                    self.under.addItem(f"{entry.name}（{entry.code}）", entry.code)
        self.village_kind = QComboBox()
        self.village_kind.addItem(self.tr("村"), "village")
        self.village_kind.addItem(self.tr("社区"), "community")
        self.village_kind.setVisible(kind != "unit")
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("知道统计用区划代码就填上，不知道可以空着"))
        form = QFormLayout()
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("上级"), self.under)
        if kind != "unit":
            form.addRow(self.tr("类别"), self.village_kind)
        form.addRow(self.tr("区划代码"), self.code)
        self.message = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def add(self) -> BackgroundOp:
        kind = "unit" if self.kind == "unit" else self.village_kind.currentData()
        workspace, name, under = self.workspace, self.name.text(), self.under.currentData() or ""
        code = self.code.text().strip() or None

        def added(entry) -> None:
            self.added = entry
            self.accept()

        return BackgroundOp(self, lambda _progress: add_division(workspace, name=name, under=under, code=code,
                                                                  kind=kind), cancellable=False) \
            .success(added).failure(_refused_in(self.message)).run()


class AddVillagesDialog(QDialog):
    """The villages a roster names that this township does not know, with the nearest known names;
    the ticked ones are added as villages of this township. Attributes: added (names added)."""

    def __init__(self, workspace, unknown: dict[tuple[str, str], list[int]], nearest, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.office = workspace.require_office()
        self.added: list[str] = []
        self.setWindowTitle(self.tr("添加本乡镇的村（社区）"))
        self.resize(640, 360)
        intro = QLabel(self.tr("花名册中的这些村（社区）本乡镇还没有。写错了的请改正花名册；确实是本乡镇的，勾选后添加，然后重新检查。"))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("名称（勾选即添加）"), self.tr("花名册中的行"), self.tr("相近的已有村")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for (township, village), rows in unknown.items():
            near = nearest(township, village)
            row = self.table.rowCount()
            self.table.insertRow(row)
            item = QTableWidgetItem(village)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            # a name near a known one is most likely a typo: not ticked unless the clerk says so
            item.setCheckState(Qt.CheckState.Unchecked if near else Qt.CheckState.Checked)
            self.table.setItem(row, 0, item)
            shown = "、".join(map(str, rows[:6])) + ("…" if len(rows) > 6 else "")
            self.table.setItem(row, 1, QTableWidgetItem(shown))
            self.table.setItem(row, 2, QTableWidgetItem("、".join(near)))
        self.table.resizeColumnsToContents()
        self.message = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.addButton(self.tr("添加勾选的村"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())
                if self.table.item(r, 0).checkState() == Qt.CheckState.Checked]

    def add(self) -> BackgroundOp:
        workspace, under, names = self.workspace, self.office.code, self.chosen()

        def job(_progress):
            for name in names:  # one after the other: a refused name keeps those before it
                add_division(workspace, name=name, under=under)
                self.added.append(name)

        return BackgroundOp(self, job, cancellable=False).success(lambda _result: self.accept()) \
            .failure(_refused_in(self.message)).run()


def _refused_in(label: QLabel):
    """A failure callback that shows a refusal in ``label``; anything else goes to the error dialog."""
    def refused(error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        label.setText(error_text(error))

    return refused


def open_divisions(parent: QWidget | None, workspace) -> DivisionsDialog:
    dialog = DivisionsDialog(workspace, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
