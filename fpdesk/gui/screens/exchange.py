"""数据交换 — exchange packages with the parent and child offices by USB stick or e-mail.

Partners with their last exchange; export (to a USB stick when one is mounted) with the file's
size; import with the dry-run report and Apply; pairing (invite a child office) and revoking a
lost laptop; the conflict and duplicate review queues. Every job goes through the sync services.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QStorageInfo, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.changes import EXCHANGE, REFERENCE
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.dialogs.exchange_dialogs import (
    AddChildDialog,
    ConflictDialog,
    ExportDialog,
    ImportDialog,
)
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.screens.exchange_status import status_text
from fpdesk.gui.widgets.field_values import conflict_labels, conflict_value, field_label
from fpdesk.services.enrollment.product_catalog import catalog_source
from fpdesk.services.sync import status

# (QT_TRANSLATE_NOOP spelled out: pyside6-lupdate finds only that name, not an alias)
LEVELS = {
    "county": QT_TRANSLATE_NOOP("ExchangeScreen", "县"),
    "township": QT_TRANSLATE_NOOP("ExchangeScreen", "乡镇"),
    "village": QT_TRANSLATE_NOOP("ExchangeScreen", "村"),
}
STATES = {
    "active": QT_TRANSLATE_NOOP("ExchangeScreen", "有效"),
    "revoked": QT_TRANSLATE_NOOP("ExchangeScreen", "已注销"),
    "invited": QT_TRANSLATE_NOOP("ExchangeScreen", "已邀请，待加入"),
}
ENTITY_LABELS = {
    "household": QT_TRANSLATE_NOOP("ExchangeScreen", "家庭户"),
    "person": QT_TRANSLATE_NOOP("ExchangeScreen", "人员"),
    "enrollment": QT_TRANSLATE_NOOP("ExchangeScreen", "参保"),
    "payment": QT_TRANSLATE_NOOP("ExchangeScreen", "缴费"),
}
RELATIONS = {
    "parent": QT_TRANSLATE_NOOP("ExchangeScreen", "上级"),
    "child": QT_TRANSLATE_NOOP("ExchangeScreen", "下级"),
    None: "",
}


def _item(text) -> QTableWidgetItem:
    return QTableWidgetItem("" if text is None else str(text))


class ExchangeScreen(QWidget):
    """Attributes: dialog (the last dialog opened); folder (where packages and invitations go by default)."""

    exchanged = Signal(str)

    def __init__(self, workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.dialog = None
        self.folder = Path.home()
        self.ask = lambda text: QMessageBox.question(self, self.tr("请确认"), text) == QMessageBox.StandardButton.Yes
        heading = QLabel(self.tr("数据交换"))
        heading.setObjectName("heading")
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.partners = QTableWidget(0, 7)
        self.partners.setHorizontalHeaderLabels([self.tr("单位代码"), self.tr("名称"), self.tr("级别"), self.tr("关系"),
                                                 self.tr("状态"), self.tr("最近导出"), self.tr("最近导入")])
        self.partners.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.partners.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.partners.verticalHeader().setVisible(False)
        self.partners.horizontalHeader().setStretchLastSection(True)
        self.export_button = QPushButton(self.tr("导出数据包…"))
        self.import_button = QPushButton(self.tr("导入数据包…"))
        self.add_button = QPushButton(self.tr("登记下级单位…"))
        self.revoke_button = QPushButton(self.tr("注销所选单位的设备…"))
        self.export_button.clicked.connect(self.open_export)
        self.import_button.clicked.connect(self.open_import)
        self.add_button.clicked.connect(self.open_add_child)
        self.revoke_button.clicked.connect(self.revoke_selected)
        # the county chooses the folder its products come from (published with every export down)
        self.folder_button = QPushButton(self.tr("产品定义目录…"))
        folder_menu = QMenu(self.folder_button)
        folder_menu.addAction(self.tr("选择本县的定义目录…"), self.choose_forms_folder)
        folder_menu.addAction(self.tr("改回本程序自带的定义"), lambda: self.choose_forms_folder(program=True))
        self.folder_button.setMenu(folder_menu)
        # the county's townships, villages and units: reference data apart from the offices with a computer
        self.divisions_button = QPushButton(self.tr("行政区划…"))
        self.divisions_button.clicked.connect(self.open_divisions)
        # the daily pair on one row, the office and definition settings on the next: five English
        # buttons in one row were wider than a laptop screen at large text
        actions = QVBoxLayout()
        for buttons in ((self.export_button, self.import_button, self.divisions_button),
                        (self.add_button, self.revoke_button, self.folder_button)):
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            actions.addLayout(row)

        self.conflicts = QTableWidget(0, 4)
        self.conflicts.setHorizontalHeaderLabels([self.tr("记录"), self.tr("字段"), self.tr("本单位一方"),
                                                  self.tr("对方")])
        self.duplicates = QTableWidget(0, 4)
        self.duplicates.setHorizontalHeaderLabels([self.tr("依据"), self.tr("人员甲"), self.tr("人员乙"), self.tr("说明")])
        for table in (self.conflicts, self.duplicates):
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setStretchLastSection(True)
        self.resolve_button = QPushButton(self.tr("处理所选冲突…"))
        self.resolve_button.clicked.connect(self.open_conflict)
        self.distinct_button = QPushButton(self.tr("不是同一人"))
        self.merge_button = QPushButton(self.tr("合并为一人"))
        self.distinct_button.clicked.connect(lambda: self.decide_duplicate("distinct"))
        self.merge_button.clicked.connect(lambda: self.decide_duplicate("merged"))
        reviews = QHBoxLayout()
        conflict_box = QGroupBox(self.tr("冲突（两个单位改了同一字段）"))
        box_layout = QVBoxLayout(conflict_box)
        box_layout.addWidget(self.conflicts)
        box_layout.addWidget(self.resolve_button)
        duplicate_box = QGroupBox(self.tr("疑似重复人员"))
        duplicate_layout = QVBoxLayout(duplicate_box)
        duplicate_layout.addWidget(self.duplicates)
        row = QHBoxLayout()
        row.addWidget(self.distinct_button)
        row.addWidget(self.merge_button)
        duplicate_layout.addLayout(row)
        reviews.addWidget(conflict_box)
        reviews.addWidget(duplicate_box)
        self.message = QLabel()
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.identity)
        layout.addWidget(self.partners, 2)
        layout.addLayout(actions)
        layout.addLayout(reviews, 2)
        layout.addWidget(self.message)
        self.refresh()
        follow_changes(self, workspace, {EXCHANGE, REFERENCE}, self.refresh)

    # ---- showing ------------------------------------------------------------------------------

    def _definitions_text(self) -> str:
        """Which product definitions this office works with, so a premium that differs can be traced."""
        source = catalog_source(self.workspace)
        text = self._source_text(source)
        if source.withdrawn:
            text += self.tr("另有 {0} 个已停办的险种，仅保留给已有的参保记录。").format(source.withdrawn)
        return text

    def _source_text(self, source) -> str:
        if source.kind == "folder" and source.folder:
            return self.tr("产品定义：本县的定义目录 {0}（{1} 个险种），每次向下级导出时一并下发。").format(
                source.folder, source.products)
        if source.kind == "folder":
            return self.tr("产品定义：本程序自带的定义（{0} 个险种），每次向下级导出时一并下发。").format(source.products)
        if source.kind == "received":
            return self.tr("产品定义：按县级下发的定义办理（{0} 个险种）。").format(source.products)
        if source.problem is not None:
            return self.tr("产品定义：新的定义不能使用，仍按原有定义办理（{0} 个险种）。原因：{1}").format(
                source.products, source.problem.message(current()))
        return self.tr("产品定义：本程序自带（尚未收到县级下发的定义）。")

    def refresh(self) -> None:
        from fpdesk.services.sync.conflicts import list_conflicts
        from fpdesk.services.sync.duplicates import list_duplicates
        from fpdesk.services.sync.identity import list_offices

        office = self.workspace.office
        if office is None:
            self.identity.setText(self.tr("本机还没有设置单位。"))
            return
        offices = [o for o in list_offices(self.workspace) if o["office_code"] != office.code]
        self.partner_rows = offices
        self.partners.setRowCount(len(offices))
        for row, o in enumerate(offices):
            values = (o["office_code"], o["name"], self.tr(LEVELS[o["level"]]), self.tr(RELATIONS[o["relation"]]),
                      self.tr(STATES[o["status"]]), (o["last_exported_at"] or "")[:16].replace("T", " "),
                      (o["last_imported_at"] or "")[:16].replace("T", " "))
            for column, value in enumerate(values):
                self.partners.setItem(row, column, _item(value))
            if o["their_report"]:  # the partner's report on our last package, back with its receipt
                r = o["their_report"]
                self.partners.item(row, 5).setToolTip(self.tr(
                    "对方导入 {0}：新增 {1}，更新 {2}，未变 {3}，冲突 {4}，疑似重复 {5}，暂缓 {6}，拒收 {7}").format(
                    r["package"], r["new"], r["updated"], r["unchanged"], r["conflicts"], r["duplicates"],
                    r["held"], r["rejected"]))
        self.partners.resizeColumnsToContents()
        text = self.tr("本机：{0}（{1}）。数据包按单位代码命名，内容加密并签名，只有收件单位能读。").format(
            office.name, office.code) + "\n" + self._definitions_text()
        if not offices:  # an empty table says nothing: say how the first partner comes
            text += "\n" + (self.tr("还没有配对的上级单位：请向乡镇计生办索取邀请文件和配对码。")
                             if office.level.value == "village" else
                             self.tr("还没有配对的单位：点“登记下级单位…”为下级单位生成邀请文件和配对码。"))
        self.identity.setText(text)
        self.add_button.setVisible(office.level.value != "village")
        self.revoke_button.setVisible(office.level.value != "village")
        self.folder_button.setVisible(office.level.value == "county")
        self.conflict_rows = list_conflicts(self.workspace)
        self.conflicts.setRowCount(len(self.conflict_rows))
        labels = conflict_labels(self.workspace, self.conflict_rows)
        for row, c in enumerate(self.conflict_rows):
            fields = "、".join(field_label(name) for name in c["fields"])
            # as the review dialog shows them: in words, masked to roles without pi.full
            ours, theirs = ("；".join(conflict_value(self.workspace, c, name, side, labels) for name in c["fields"])
                            for side in ("ours", "theirs"))
            record = c.get("record_name") or c["record_id"][-6:]  # named where this office knows it
            by = [c[side].get("office_name") or c[side].get("office") or "?" for side in ("ours", "theirs")]
            for column, value in enumerate((f"{self.tr(ENTITY_LABELS.get(c['entity'], c['entity']))} {record}", fields,
                                            f"{ours}（{by[0]}）", f"{theirs}（{by[1]}）")):
                self.conflicts.setItem(row, column, _item(value))
        self.duplicate_rows = list_duplicates(self.workspace)
        self.duplicates.setRowCount(len(self.duplicate_rows))
        for row, d in enumerate(self.duplicate_rows):
            a, b = d["a"] or {}, d["b"] or {}
            kind = self.tr("同一身份证号") if d["kind"] == "id_number" else self.tr("姓名、生日、户主相同")
            for column, value in enumerate((kind, f"{a.get('name')}（{a.get('village')}）",
                                            f"{b.get('name')}（{b.get('village')}）", d["detail"])):
                self.duplicates.setItem(row, column, _item(value))
        self.exchanged.emit(status_text(self.workspace, self.tr))

    def selected_partner(self) -> dict | None:
        rows = self.partners.selectionModel().selectedRows()
        return self.partner_rows[rows[0].row()] if rows else None

    def usb_folders(self) -> list[Path]:
        mounted = [(v.rootPath(), bytes(v.device()).decode(errors="replace")) for v in QStorageInfo.mountedVolumes()
                   if v.isValid() and v.isReady() and not v.isReadOnly()]
        return status.removable_folders(mounted)

    # ---- actions --------------------------------------------------------------------------------

    def open_export(self) -> ExportDialog:
        partners = [(o["office_code"], f"{o['name']}（{o['office_code']}，{self.tr(RELATIONS[o['relation']])}）")
                    for o in self.partner_rows if o["relation"] and o["status"] == "active"]
        selected = self.selected_partner()
        if selected is not None:
            partners.sort(key=lambda p: p[0] != selected["office_code"])
        self.dialog = ExportDialog(self.workspace, partners, [*self.usb_folders(), self.folder], self)
        self.dialog.exported.connect(self._exported)
        self.dialog.open()
        return self.dialog

    def _exported(self, summary) -> None:
        self.folder = summary.path.parent
        self.message.setText(self.tr("已导出：{0}（{1:.1f} KB）").format(summary.path.name, summary.size / 1024))
        self.refresh()

    def open_import(self) -> ImportDialog:
        self.dialog = ImportDialog(self.workspace, self)
        self.dialog.imported.connect(lambda report: (self.message.setText(self.tr(
            "已导入 {0}：新增 {1}，更新 {2}，冲突 {3}，疑似重复 {4}。").format(
            report.package, report.new, report.updated, report.conflicts, report.duplicates)), self.refresh()))
        self.dialog.undone.connect(lambda report: (self.message.setText(self.tr(
            "已撤销导入 {0}，数据库已恢复到导入前。").format(report.package)), self.refresh()))
        self.dialog.open()
        return self.dialog

    def open_divisions(self):
        from fpdesk.gui.dialogs.divisions_dialog import open_divisions

        self.dialog = open_divisions(self, self.workspace)
        return self.dialog

    def open_add_child(self) -> AddChildDialog:
        self.dialog = AddChildDialog(self.workspace, self.folder, self)
        self.dialog.added.connect(lambda _invitation: self.refresh())
        self.dialog.open()
        return self.dialog

    def revoke_selected(self) -> BackgroundOp | None:
        from fpdesk.services.sync.identity import revoke

        partner = self.selected_partner()
        if partner is None or partner["status"] != "active":
            self.message.setText(self.tr("请先在上表中选择一个有效的下级单位。"))
            return None
        if not self.ask(self.tr("注销{0}（{1}）的设备 {2}？此后它交来的数据包将被拒收，已收到的修改仍然有效。").format(
                partner["name"], partner["office_code"], partner["device_id"])):
            return None
        workspace = self.workspace
        return self._write(lambda: revoke(workspace, code=partner["office_code"], device=partner["device_id"]),
                           lambda _result: self.tr("已注销。注销信息会随下一个数据包发给上级和下级单位。"))

    def _write(self, job, told) -> BackgroundOp:
        """A write of this screen off the GUI thread: a refusal in the message line, else ``told(result)``
        there and the tables read again."""
        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            self.message.setText(error.message(current()))

        def kept(result) -> None:
            self.message.setText(told(result))
            self.refresh()

        return BackgroundOp(self, lambda _progress: job(), cancellable=False).success(kept).failure(refused).run()

    def choose_forms_folder(self, folder: str | None = None, *, program: bool = False) -> BackgroundOp | None:
        """The county's definitions folder: ``folder`` (asked for when not given) or the program's own."""
        from fpdesk.services.enrollment.product_catalog import forms_folder, set_forms_folder

        if not program and folder is None:
            folder = QFileDialog.getExistingDirectory(self, self.tr("选择产品定义目录（内有 products 和 enrollment）"),
                                                      str(forms_folder(self.workspace)))
            if not folder:
                return None
        workspace = self.workspace
        return self._write(lambda: set_forms_folder(workspace, None if program else folder),
                           lambda chosen: self.tr("产品定义目录已改为 {0}，下次向下级导出时一并下发。").format(chosen))

    def open_conflict(self) -> ConflictDialog | None:
        rows = self.conflicts.selectionModel().selectedRows()
        if not rows and self.conflict_rows:
            self.conflicts.selectRow(0)
            rows = self.conflicts.selectionModel().selectedRows()
        if not rows:
            return None
        self.dialog = ConflictDialog(self.workspace, self.conflict_rows[rows[0].row()], self)
        self.dialog.resolved.connect(lambda _result: self.refresh())
        self.dialog.open()
        return self.dialog

    def decide_duplicate(self, decision: str) -> None:
        from fpdesk.services.sync.duplicates import decide

        rows = self.duplicates.selectionModel().selectedRows()
        if not rows:
            self.message.setText(self.tr("请先选择一条疑似重复记录。"))
            return
        workspace, duplicate_id = self.workspace, self.duplicate_rows[rows[0].row()]["id"]
        self._write(lambda: decide(workspace, duplicate_id, decision), lambda _result: "")
