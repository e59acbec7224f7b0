"""收费与打印 — printing: certificates, receipts and rosters as a background batch job, then preview;
and the roster's money and hand-up: 上报名册, 录入承保 and 登记拨款 (gui/dialogs/roster_money_dialogs.py).

The job (``fpdesk.services.printouts.jobs``) runs off the GUI thread through BackgroundOp with progress
and cancel; a cancelled job leaves no file, no numbers used and nothing in the print log. The
finished PDF opens in the print preview, which prints it through QPrinter or saves a copy. The
table below lists what was printed lately, when and by whom.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
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

from fpdesk.core.changes import PRINTS
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.dialogs.print_preview import PrintPreviewDialog, open_print_preview
from fpdesk.gui.dialogs.verify_dialog import open_verify_dialog
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.services.printouts import jobs as printouts
from fpdesk.services.printouts.data import Selection
from fpdesk.services.printouts.scratch import scratch_folder
from fpdesk.services.workspace import list_divisions

CERTIFICATES, RECEIPTS, ROSTER = "certificates", "receipts", "roster"


class PrintingScreen(QWidget):
    """Attributes:
    op: the running (or last) BackgroundOp; result: the last PrintResult; preview: the last preview opened.
    output_dir: where generated PDFs go until their preview closes (services/printouts/scratch.py).
    """

    def __init__(self, workspace, *, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.op: BackgroundOp | None = None
        self.result: printouts.PrintResult | None = None
        self.preview: PrintPreviewDialog | None = None
        self.output_dir = scratch_folder()  # the preview deletes each file when it closes

        self.kind = QComboBox()
        self.kind.addItem(self.tr("参保凭证"), CERTIFICATES)
        self.kind.addItem(self.tr("收据"), RECEIPTS)
        self.kind.addItem(self.tr("花名册"), ROSTER)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year)
        self.product = ProductCombo(workspace, any_label=self.tr("全部险种"))
        self.scope = QComboBox()
        self.scope.addItem(self.tr("全部"), None)
        for code, name, _ in list_divisions(workspace):
            self.scope.addItem(f"{name}（{code}）", code)
        self.paper = QComboBox()
        self.only_new = QCheckBox()
        self.generate_button = QPushButton(self.tr("生成并预览"))
        self.generate_button.setDefault(True)
        self.verify_button = QPushButton(self.tr("核验二维码…"))
        self.hand_up_button = QPushButton(self.tr("上报名册…"))
        self.confirm_button = QPushButton(self.tr("录入承保…"))
        self.allocate_button = QPushButton(self.tr("登记拨款…"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels([self.tr("种类"), self.tr("编号"), self.tr("补打"),
                                                self.tr("打印时间"), self.tr("操作人")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)

        form = QFormLayout()
        form.addRow(self.tr("打印什么"), self.kind)
        form.addRow(self.tr("保险年度"), self.year)
        form.addRow(self.tr("险种"), self.product)
        form.addRow(self.tr("范围"), self.scope)
        form.addRow(self.tr("纸张"), self.paper)
        form.addRow("", self.only_new)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        roster_buttons = QHBoxLayout()
        roster_buttons.addWidget(QLabel(self.tr("名册与资金：")))
        for button in (self.hand_up_button, self.confirm_button, self.allocate_button):
            roster_buttons.addWidget(button)
        roster_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addLayout(roster_buttons)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(self.tr("最近打印记录")))
        layout.addWidget(self.history, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.generate_button.clicked.connect(self.generate)
        self.verify_button.clicked.connect(lambda: open_verify_dialog(self, self.workspace))
        self.hand_up_button.clicked.connect(self.open_hand_up)
        self.confirm_button.clicked.connect(self.open_confirm)
        self.allocate_button.clicked.connect(self.open_allocation)
        self._kind_changed()
        self.refresh_history()
        follow_changes(self, workspace, {PRINTS}, self.refresh_history)  # papers printed from other windows

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.paper.clear()
        if kind == CERTIFICATES:
            self.paper.addItem("A4", "A4")
            self.paper.addItem("A5", "A5")
            self.only_new.setText(self.tr("只打印还没有打印过的凭证"))
        elif kind == RECEIPTS:
            self.paper.addItem("A5", "A5")
            self.paper.addItem(self.tr("241×93毫米针式打印纸"), "continuous")
            self.only_new.setText(self.tr("只打印今天收款的收据"))
        else:
            self.paper.addItem(self.tr("A4 横向"), "A4")
            self.only_new.setText(self.tr("（花名册每次打印都编新号）"))
        self.only_new.setEnabled(kind != ROSTER)
        self.only_new.setChecked(False)

    def selection(self) -> Selection:
        return Selection(year=self.year.value(), product=self.product.currentData(), scope=self.scope.currentData())

    def generate(self) -> BackgroundOp:
        """Start the batch job for the chosen documents; the preview opens when it is done."""
        kind, paper, only_new = self.kind.currentData(), self.paper.currentData(), self.only_new.isChecked()
        selection = self.selection()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = self.output_dir / f"{kind}-{selection.year}-{stamp}.pdf"
        workspace, today = self.workspace, self.today

        def job(progress):
            if kind == CERTIFICATES:
                return printouts.print_certificates(workspace, out=out, selection=selection, paper=paper,
                                                    unprinted_only=only_new, today=today, progress=progress)
            if kind == RECEIPTS:
                return printouts.print_receipts(workspace, out=out, selection=selection, paper=paper,
                                                paid_on=today if only_new else None, today=today, progress=progress)
            return printouts.print_roster(workspace, out=out, selection=selection, today=today, progress=progress)

        self.generate_button.setEnabled(False)
        self.status.setText(self.tr("正在生成……"))
        self.op = BackgroundOp(self, job, label=self.tr("正在生成打印文件")).success(self._done).failure(self._failed)
        self.op.run()
        return self.op

    def _done(self, result: printouts.PrintResult) -> None:
        self.result = result
        self.generate_button.setEnabled(True)
        self.status.setText(self.tr("已生成 %1 份，共 %2 页；其中补打 %3 份。").replace("%1", str(result.documents))
                            .replace("%2", str(result.pages)).replace("%3", str(result.reprints)))
        self.refresh_history()
        self.preview = open_print_preview(self, result.path, title=self.kind.currentText())

    def _failed(self, error: BaseException) -> None:
        self.generate_button.setEnabled(True)
        if isinstance(error, DomainError):
            self.status.setText(error.message(current()))
            return
        self.status.setText(self.tr("打印文件生成失败：%1").replace("%1", str(error)))
        QMessageBox.warning(self, self.tr("生成失败"), str(error))

    def refresh_history(self) -> None:
        labels = {"certificate": self.tr("参保凭证"), "receipt": self.tr("收据"), "roster": self.tr("花名册")}
        rows = printouts.print_history(self.workspace, limit=50)
        self.history.setRowCount(len(rows))
        for index, row in enumerate(rows):
            values = [labels.get(row["kind"], row["kind"]), row["number"], self.tr("是") if row["reprint"] else "",
                      # stored in UTC like every timestamp; people read their own clock
                      row["printed_at"].replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M"),
                      row["printed_by"]]
            for column, value in enumerate(values):
                self.history.setItem(index, column, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()  # numbers and times whole; the last column takes the rest

    # -- the roster's hand-up and money ---------------------------------------------------------------
    def open_hand_up(self):
        from fpdesk.gui.dialogs.roster_money_dialogs import HandUpDialog

        return self._open(HandUpDialog(self.workspace, self.today, self), self._handed_up)

    def open_confirm(self):
        from fpdesk.gui.dialogs.roster_money_dialogs import ConfirmRosterDialog

        return self._open(ConfirmRosterDialog(self.workspace, self.today, self), self._confirmed)

    def open_allocation(self):
        from fpdesk.gui.dialogs.roster_money_dialogs import AllocationDialog

        return self._open(AllocationDialog(self.workspace, self.today, self), self._allocated)

    def _open(self, dialog, done):
        dialog.accepted.connect(lambda: done(dialog.result))
        dialog.open()
        return dialog

    def _handed_up(self, result) -> None:
        totals = result.totals
        self.status.setText(self.tr("已上报名册 %1：%2 户 %3 人；自主投保未缴费 %4 户未上报。").replace("%1", result.number)
                            .replace("%2", str(totals["households"])).replace("%3", str(totals["persons"]))
                            .replace("%4", str(totals["unpaid_households"])))

    def _confirmed(self, result) -> None:
        self.status.setText(self.tr("名册 %1 已录入承保（团单号 %2）：%3 户；未承保 %4 人。").replace("%1", result.number)
                            .replace("%2", result.policy_number).replace("%3", str(result.confirmed))
                            .replace("%4", str(len(result.exceptions))))

    def _allocated(self, result) -> None:
        from fpdesk.core.money import format_fen

        self.status.setText(self.tr("已登记拨款 %1：%2，%3 户保费已收齐。").replace("%1", result.voucher_no)
                            .replace("%2", format_fen(result.amount_fen)).replace("%3", str(result.received)))
