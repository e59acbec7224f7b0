"""理赔 — claims tracking with the green channel: a filtered list on the left, the chosen claim on the
right with its amounts, the limit it draws on (hospital days or the family's shared pool, used and
remaining), the green-channel and home-visit flags, the document checklist and the status timeline.

fpdesk tracks claims; the insurer decides them. Every button calls a service in ``fpdesk.services.enrollment.claims``
that writes the step and who did it; the screen then reloads that one claim and updates its row (a
step changes no other claim's row). Only a filter change or a new registration reloads the list.

The service hides a claim's medical free text from roles without ``pi.full`` (services/enrollment/claims.py); the
screen only puts its marker into the interface language.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import claims as rules
from fpdesk.core.changes import CLAIMS, ENROLLMENTS, PERSONS
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current, on_its_own, pick
from fpdesk.core.money import format_fen
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.dialogs.claim_dialogs import DeclineDialog, PaymentDialog, RegisterClaimDialog, ReportDialog
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import compact_combo
from fpdesk.services.enrollment import claims as service
from fpdesk.services.trust.pi_masking import medical_text
from fpdesk.services.workspace import list_divisions


class ClaimsScreen(QWidget):
    """Attributes:
    rows: the claims listed (dicts from ``list_claims``); detail: the chosen claim's ``claim_detail``.
    dialog: the last form opened (register, report, pay, decline).
    """

    def __init__(self, workspace, *, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.language = current()
        self.rows: list[dict] = []
        self.detail: dict | None = None
        self.dialog = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、理赔编号或报案号"))
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("全部状态"), None)
        self.status_filter.addItem(self.tr("未办结"), "open")
        for status in rules.STATUSES:
            self.status_filter.addItem(on_its_own(rules.status_label(status, self.language), self.language), status)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(self.tr("全部类别"), None)
        for kind in rules.KINDS:
            self.kind_filter.addItem(rules.kind_label(kind, self.language), kind)
        self.division_filter = QComboBox()
        self.division_filter.addItem(self.tr("全部区划"), None)
        for code, name, _ in list_divisions(workspace):
            if len(code) <= 12:
                self.division_filter.addItem(f"{name}（{code}）", code)
        self.green_filter = QCheckBox(self.tr("只看绿色通道"))
        self.new_button = QPushButton(self.tr("出险登记…"))
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in (self.status_filter, self.kind_filter, self.division_filter):
            filters.addWidget(compact_combo(combo), 1)  # the row's room shared: no filter cut to a stub
        filters.addWidget(self.green_filter)
        filters.addWidget(self.new_button)

        self.table = QTableWidget(0, 9)
        self.table.setHorizontalHeaderLabels([self.tr("理赔编号"), self.tr("姓名"), self.tr("村（社区）"),
                                              self.tr("类别"), self.tr("出险日期"), self.tr("状态"), self.tr("申请金额"),
                                              self.tr("已赔金额"), self.tr("绿色通道")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self._detail_panel())
        splitter.setSizes([560, 520])
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self.search.returnPressed.connect(self.refresh)
        for combo in (self.status_filter, self.kind_filter, self.division_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self.green_filter.toggled.connect(self.refresh)
        self.new_button.clicked.connect(lambda: self.open_register())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh()
        follow_changes(self, workspace, {CLAIMS, ENROLLMENTS, PERSONS}, self.refresh)

    def typing_starts_at(self) -> QWidget:
        return self.search

    def _detail_panel(self) -> QWidget:
        self.title = QLabel(self.tr("请在左侧选择一件理赔。"))
        self.title.setObjectName("subheading")
        self.title.setWordWrap(True)
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.limit_label = QLabel("")
        self.limit_bar = QProgressBar()
        self.limit_bar.setTextVisible(True)
        self.green_box = QCheckBox(self.tr("绿色通道"))
        self.home_box = QCheckBox(self.tr("上门服务"))
        flags = QHBoxLayout()
        flags.addWidget(self.green_box)
        flags.addWidget(self.home_box)
        flags.addStretch(1)
        self.checklist = QListWidget()
        self.checklist.setMaximumHeight(170)
        self.save_documents_button = QPushButton(self.tr("保存资料清单"))
        self.report_button = QPushButton(self.tr("报案…"))
        self.complete_button = QPushButton(self.tr("资料齐全"))
        self.submit_button = QPushButton(self.tr("提交保险公司"))
        self.pay_button = QPushButton(self.tr("登记赔付…"))
        self.decline_button = QPushButton(self.tr("拒赔…"))
        self.close_button = QPushButton(self.tr("办结"))
        actions = QGridLayout()  # the steps in their order, three to a row: six in one did not fit a laptop
        for index, button in enumerate((self.report_button, self.complete_button, self.submit_button,
                                        self.pay_button, self.decline_button, self.close_button)):
            actions.addWidget(button, index // 3, index % 3)
        self.timeline = QTableWidget(0, 4)
        self.timeline.setHorizontalHeaderLabels([self.tr("日期"), self.tr("状态"), self.tr("经办人"), self.tr("说明")])
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        documents = QGroupBox(self.tr("理赔资料"))
        documents_layout = QVBoxLayout(documents)
        documents_layout.addWidget(self.checklist)
        documents_layout.addWidget(self.save_documents_button)
        form = QFormLayout()
        form.addRow(self.tr("保障额度"), self.limit_label)
        form.addRow("", self.limit_bar)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addLayout(form)
        layout.addLayout(flags)
        layout.addWidget(documents)
        layout.addLayout(actions)
        layout.addWidget(QLabel(self.tr("办理进度")))
        layout.addWidget(self.timeline, 1)

        self.green_box.clicked.connect(lambda on: self._run(service.set_flags, green_channel=on, on=self.today))
        self.home_box.clicked.connect(lambda on: self._run(service.set_flags, home_visit=on, on=self.today))
        self.save_documents_button.clicked.connect(self.save_documents)
        self.complete_button.clicked.connect(lambda: self.advance(rules.DOCUMENTS_COMPLETE))
        self.submit_button.clicked.connect(lambda: self.advance(rules.SUBMITTED))
        self.close_button.clicked.connect(lambda: self.advance(rules.CLOSED))
        self.report_button.clicked.connect(lambda: self.open_report())
        self.pay_button.clicked.connect(lambda: self.open_payment())
        self.decline_button.clicked.connect(lambda: self.open_decline())
        self._show_detail(None)
        return panel

    # -- list ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list for the filters, keeping the shown claim chosen if it is still listed."""
        self._reload(self.detail["id"] if self.detail else None)

    def _reload(self, chosen: str | None) -> None:
        status = self.status_filter.currentData()
        self.rows = service.list_claims(
            self.workspace, status=None if status == "open" else status, open_only=status == "open",
            kind=self.kind_filter.currentData(), division=self.division_filter.currentData(),
            green_channel=True if self.green_filter.isChecked() else None, text=self.search.text(), limit=2000)
        ids = [r["id"] for r in self.rows]
        with QSignalBlocker(self.table):  # the claim is shown once below, not again by the selection
            self.table.setRowCount(len(self.rows))
            for index, row in enumerate(self.rows):
                self._fill_row(index, row)
            if chosen in ids:
                self.table.selectRow(ids.index(chosen))
            else:
                self.table.clearSelection()
        if chosen in ids:
            self.show_claim(chosen)
        else:
            self._show_detail(None)  # nothing chosen in the list: no claim beside it either

    def _fill_row(self, index: int, row: dict) -> None:
        values = [row["claim_no"], row["person"], row["division"], rules.kind_label(row["kind"], self.language),
                  row["incident_on"], on_its_own(rules.status_label(row["status"], self.language), self.language),
                  format_fen(row["claimed_fen"]), format_fen(row["paid_fen"]),
                  self.tr("是") if row["green_channel"] else ""]
        for column, value in enumerate(values):
            self.table.setItem(index, column, QTableWidgetItem(value))

    def _claim_changed(self, claim_id: str) -> None:
        """After a step on one claim: reload it alone and update its row in place. The row stays even
        when the claim no longer matches the status filter, so the clerk sees what the step did; the
        next refresh applies the filters again."""
        self.show_claim(claim_id, log_view=False)  # its full view was logged when it was opened
        for index, row in enumerate(self.rows):
            if row["id"] == claim_id:
                self.rows[index] = {key: self.detail[key] for key in row}
                self._fill_row(index, self.rows[index])
                return

    def _selection_changed(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if selected:
            self.show_claim(self.rows[selected[0].row()]["id"])

    # -- detail --------------------------------------------------------------------------------------
    def show_claim(self, ref, *, log_view: bool = True) -> None:
        self._show_detail(service.claim_detail(self.workspace, uuid.UUID(ref) if isinstance(ref, str) else ref,
                                               log_view=log_view))

    def _show_detail(self, detail: dict | None) -> None:
        self.detail = detail
        buttons = {rules.REPORTED: self.report_button, rules.DOCUMENTS_COMPLETE: self.complete_button,
                   rules.SUBMITTED: self.submit_button, rules.PAID: self.pay_button,
                   rules.DECLINED: self.decline_button, rules.CLOSED: self.close_button}
        for status, button in buttons.items():
            button.setEnabled(bool(detail) and status in detail["next_steps"])
        for widget in (self.green_box, self.home_box, self.checklist, self.save_documents_button):
            widget.setEnabled(detail is not None)
        self.checklist.clear()
        self.timeline.setRowCount(0)
        if detail is None:
            self.title.setText(self.tr("请在左侧选择一件理赔。"))
            self.facts.setText("")
            self.limit_label.setText("")
            self.limit_bar.setVisible(False)
            return
        self.title.setText(f"{detail['claim_no']}　{detail['person']}（{detail['id_number']}）　{detail['division']}")
        reported = (f"{detail['reported_on']}　{detail['report_number']}" if detail["reported_on"]
                    else self.tr("尚未报案"))
        self.facts.setText("\n".join([
            self.tr("险种：%1（%2年度）").replace("%1", pick(detail["product_name"], detail["product_name_en"]))
            .replace("%2", str(detail["policy_year"])),
            self.tr("类别：%1　出险日期：%2　报案：%3").replace("%1", rules.kind_label(detail["kind"], self.language))
            .replace("%2", detail["incident_on"]).replace("%3", reported),
            self.tr("状态：%1　申请金额：%2　已赔金额：%3").replace("%1", rules.status_label(detail["status"], self.language))
            .replace("%2", format_fen(detail["claimed_fen"])).replace("%3", format_fen(detail["paid_fen"])),
        ] + ([self.tr("住院 %1 天，本次可赔 %2 天").replace("%1", str(detail["hospital_days"]))
              .replace("%2", str(detail["days_payable"]))] if detail["kind"] == "hospital_care" else [])
          + ([self.tr("拒赔原因：%1").replace("%1", medical_text(detail["decline_reason"], self.language))]
             if detail["decline_reason"] else [])))
        self._show_limit(detail["limit"])
        self.green_box.setChecked(detail["green_channel"])
        self.home_box.setChecked(detail["home_visit"])
        for entry in detail["checklist"]:
            item = QListWidgetItem(pick(entry["label"], entry["label_en"]))
            item.setData(Qt.ItemDataRole.UserRole, entry["key"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if entry["received"] else Qt.CheckState.Unchecked)
            self.checklist.addItem(item)
        self.timeline.setRowCount(len(detail["timeline"]))
        for index, event in enumerate(detail["timeline"]):
            values = [event["on"], on_its_own(rules.status_label(event["status"], self.language), self.language),
                      event["author"],
                      medical_text(event["note"], self.language)]
            for column, value in enumerate(values):
                self.timeline.setItem(index, column, QTableWidgetItem(value))

    def _show_limit(self, limit: dict | None) -> None:
        self.limit_bar.setVisible(limit is not None)
        if limit is None:
            self.limit_label.setText(self.tr("（本类别不占用保险金额）"))
            return
        if limit["cap_days"]:
            self.limit_label.setText(self.tr("住院护理天数：本保险年度已用 %1 天，剩余 %2 天（每年最多 %3 天）")
                                     .replace("%1", str(limit["used_days"])).replace("%2", str(limit["left_days"]))
                                     .replace("%3", str(limit["cap_days"])))
            self.limit_bar.setRange(0, limit["cap_days"])
            self.limit_bar.setValue(min(limit["used_days"], limit["cap_days"]))
            self.limit_bar.setFormat(f"{limit['used_days']} / {limit['cap_days']}")
            return
        what = self.tr("家庭共享医疗保额") if limit["basis"] == "shared_pool" else self.tr("本人保险金额")
        self.limit_label.setText(self.tr("%1 %2：已赔 %3，在办 %4，剩余 %5")
                                 .replace("%1", what).replace("%2", format_fen(limit["cap_fen"]))
                                 .replace("%3", format_fen(limit["used_fen"]))
                                 .replace("%4", format_fen(limit["pending_fen"]))
                                 .replace("%5", format_fen(limit["left_after_pending_fen"])))
        cap = max(limit["cap_fen"] // 100, 1)
        used = min((limit["used_fen"] + limit["pending_fen"]) // 100, cap)
        self.limit_bar.setRange(0, cap)
        self.limit_bar.setValue(used)
        self.limit_bar.setFormat(f"{format_fen(limit['used_fen'] + limit['pending_fen'])} / "
                                 f"{format_fen(limit['cap_fen'])}")

    # -- actions -------------------------------------------------------------------------------------
    def _run(self, action, *args, **kwargs) -> BackgroundOp | None:
        """A step on the shown claim, off the GUI thread; its row is updated once it is kept."""
        if self.detail is None:
            return None
        claim_id, workspace = self.detail["id"], self.workspace

        def job(_progress):
            return action(workspace, uuid.UUID(claim_id), *args, **kwargs)

        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py)
            self.message.setText(error.message(self.language))
            self.show_claim(claim_id, log_view=False)  # puts back what the refusal did not keep (viewed already)

        def kept(_result) -> None:
            self.message.setText("")
            self._claim_changed(claim_id)

        return BackgroundOp(self, job, cancellable=False).success(kept).failure(refused).run()

    def checked_documents(self) -> list[str]:
        return [self.checklist.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.checklist.count())
                if self.checklist.item(i).checkState() == Qt.CheckState.Checked]

    def save_documents(self) -> BackgroundOp | None:
        return self._run(service.set_documents, self.checked_documents(), on=self.today)

    def advance(self, status: str) -> BackgroundOp | None:
        return self._run(service.advance, status, on=self.today, today=self.today)

    def _form(self, dialog, submit, done) -> object:
        """Open ``dialog``; OK runs ``submit(values)`` and, once it is accepted, ``done(result)``; a
        refusal stays in the dialog."""
        def accepted():
            values = dialog.values()
            ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
            ok.setEnabled(False)  # one submission while it runs

            def refused(error: BaseException) -> None:
                ok.setEnabled(True)
                if not isinstance(error, DomainError):
                    raise error  # the error dialog (gui/ops.py)
                dialog.show_error(error.message(self.language))

            def kept(result) -> None:
                dialog.accept()
                done(result)

            # origin: this screen, which shows the result itself (the dialog is another window)
            BackgroundOp(dialog, lambda _progress: submit(values), cancellable=False, origin=self) \
                .success(kept).failure(refused).run()

        dialog.buttons.accepted.connect(accepted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_register(self) -> RegisterClaimDialog:
        def registered(result) -> None:
            # every filter off, so that the new claim is listed and chosen, ready for its next step;
            # the filters' own signals would each reload the list
            blockers = [QSignalBlocker(widget) for widget in (self.search, self.status_filter, self.kind_filter,
                                                             self.division_filter, self.green_filter)]
            self.search.clear()
            for combo in (self.status_filter, self.kind_filter, self.division_filter):
                combo.setCurrentIndex(0)
            self.green_filter.setChecked(False)
            for blocker in blockers:
                blocker.unblock()
            self._reload(str(result.claim_id))
            self.message.setText(self.tr("已登记理赔 %1。").replace("%1", result.claim_no))

        return self._form(RegisterClaimDialog(self.workspace, self.today, self),
                          lambda v: service.register_claim(self.workspace, today=self.today, **v), registered)

    def _step_form(self, dialog, step) -> object:
        """A form for a step on the shown claim (report, pay, decline)."""
        claim_id = self.detail["id"]
        return self._form(dialog, lambda v: step(self.workspace, uuid.UUID(claim_id), today=self.today, **v),
                          lambda _result: self._claim_changed(claim_id))

    def open_report(self) -> ReportDialog:
        return self._step_form(ReportDialog(self.today, self), service.report_claim)

    def open_payment(self) -> PaymentDialog:
        return self._step_form(PaymentDialog(self.today, self.detail["claimed_fen"], self), service.record_paid)

    def open_decline(self) -> DeclineDialog:
        return self._step_form(DeclineDialog(self.today, self), service.decline)
