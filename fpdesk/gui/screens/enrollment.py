"""参保登记: pick a household, see at once who may be insured and why not, what it costs and who
pays, answer the product's own questions, and enroll (taking the premium) in one action.

Everything shown comes from the rules engine through the services; the screen decides nothing.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import idnumber
from fpdesk.core.changes import ENROLLMENTS, HOUSEHOLDS, MONEY, PERSONS, REFERENCE
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current, english, pick
from fpdesk.core.money import format_fen
from fpdesk.core.product_terms import level_label
from fpdesk.core.vocabulary import PayerType, Relation
from fpdesk.gui.changes import follow_changes
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import DONE_STYLE, ERROR_STYLE, error_text
from fpdesk.gui.widgets.form_renderer import FormRenderer
from fpdesk.gui.widgets.member_row import NOTE_STYLE
from fpdesk.gui.widgets.paper_output import PaperOutput
from fpdesk.gui.widgets.product_combo import ProductCombo
from fpdesk.services.enrollment import premium_levels
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.preview import preview_enrollment
from fpdesk.services.registry.search import find_person_ids, load_person_rows

DEFAULT_PRODUCT = "fp_family_accident_100"


class EnrollmentScreen(QWidget):
    """Attributes:
    household_id: the household being enrolled.
    preview: what the engine says about the current choice.
    last_result: the EnrollmentResult of the last enrollment (receipt number included).
    """

    enrolled = Signal(object)

    def __init__(self, workspace, *, today: dt.date | None = None, settings=None, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.household_id = None
        self.preview = None
        self.last_result = None
        self.enroll_op: BackgroundOp | None = None
        self.papers_told: str | None = None  # what the last 出单 told the clerk
        self.preview_dialog = None  # the receipt's print preview, once printed
        self.awaiting_payer = None
        self.product = ProductCombo(workspace, default=DEFAULT_PRODUCT, offered_only=True)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year)
        self.finder = QLineEdit()
        self.finder.setPlaceholderText(self.tr("输入户主或家庭成员的姓名、拼音首字母、身份证号，回车选户"))
        self.matches = QListWidget()
        self.matches.setMaximumHeight(120)
        self.matches.hide()  # shown while there is something to pick
        self.members = QTableWidget(0, 4)
        self.members.setHorizontalHeaderLabels([self.tr("参保"), self.tr("姓名"), self.tr("资格"), self.tr("保额")])
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.members.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.members.setColumnWidth(0, 50)
        self.members.setColumnWidth(1, 160)
        self.members.setColumnWidth(3, 300)
        self.members.setWordWrap(True)
        # a family of four whole (the screen scrolls before the list shrinks to one line at the largest text)
        self.members.setMinimumHeight(self.members.fontMetrics().lineSpacing() * 7)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # the premium, a late entry with the next sign-up day, the assumed terms (two lines in English)
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 5 + 8)
        self.summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)
        self.form = FormRenderer()
        self.consent_by = QLineEdit()
        self.consent_by.setPlaceholderText(self.tr("同意参保的人（未满14周岁由监护人）"))
        self.enroll_button = QPushButton(self.tr("登记、收费并出单 (Ctrl+Enter)"))
        self.enroll_button.setToolTip(self.tr("登记本户参保，收取保费，打印收据和参保凭证"))
        self.papers = PaperOutput(settings)
        self.print_button = QPushButton(self.tr("再次出单"))
        self.print_button.setToolTip(self.tr("本户刚才的收据和参保凭证再出一次"))
        self.print_button.setEnabled(False)  # until an enrollment has been made
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setStyleSheet(DONE_STYLE)
        self._layout()
        self._answers_timer = QTimer(self, singleShot=True, interval=200)
        self._answers_timer.timeout.connect(self.refresh_preview)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._find)
        self.finder.textChanged.connect(lambda _t: self._timer.start())
        self.finder.returnPressed.connect(self._pick_first)
        self.matches.itemActivated.connect(self._pick)
        self.members.cellClicked.connect(self._toggle_row)
        self.product.currentIndexChanged.connect(self._product_changed)
        self.year.valueChanged.connect(self.refresh_preview)
        self.form.changed.connect(self._form_changed)
        self.consent_by.textChanged.connect(self._update_button)
        self.enroll_button.clicked.connect(self.enroll_now)
        self.print_button.clicked.connect(self.issue_papers)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.enroll_now)
        self.members.installEventFilter(self)
        self._product_changed()
        follow_changes(self, workspace, {HOUSEHOLDS, PERSONS, ENROLLMENTS, MONEY, REFERENCE}, self._data_changed)

    def _layout(self) -> None:
        heading = QLabel(self.tr("参保登记"))
        heading.setObjectName("heading")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("险种")))
        top.addWidget(self.product, 3)
        top.addWidget(QLabel(self.tr("保险年度")))
        top.addWidget(self.year)
        details = QFormLayout()
        details.addRow(self.tr("同意人"), self.consent_by)
        buttons = QHBoxLayout()  # where the papers go beside the action that makes them
        buttons.addWidget(self.papers, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.enroll_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.finder)
        layout.addWidget(self.matches)
        layout.addWidget(self.members, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.form)
        layout.addLayout(details)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

    def typing_starts_at(self) -> QWidget:
        """The finder until a household is chosen; then the first question of the form still open,
        else the member list (Space ticks who is insured)."""
        if self.household_id is None:
            return self.finder
        for key in self.form.problems:
            return self.form.editors[key]
        return self.members

    def _data_changed(self) -> None:
        """The chosen household, its enrollments or the products changed elsewhere: judged again."""
        if self.household_id is not None:
            self.chosen = None
            self.refresh_preview()

    # -- choosing the household ---------------------------------------------------------------------
    def _find(self) -> None:
        self.matches.clear()
        text = self.finder.text().strip()
        if not text:
            return
        rows = load_person_rows(self.workspace, find_person_ids(self.workspace, text, limit=30))
        for row in rows.values():
            label = f"{row.name}  {idnumber.mask(row.id_number or '')}  {row.division_name}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, row.household_id)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)
        self.matches.setVisible(self.matches.count() > 0)

    def _pick_first(self) -> None:
        self._timer.stop()
        self._find()
        if self.matches.count():
            self._pick(self.matches.currentItem())

    def _pick(self, item: QListWidgetItem) -> None:
        self.choose_household(item.data(Qt.ItemDataRole.UserRole))

    def choose_household(self, household_id) -> None:
        self.matches.hide()
        self.household_id = household_id
        self.chosen = None  # the engine's default: everyone the product covers who is eligible
        self.last_result = None
        self._show_result("")
        self.print_button.setEnabled(False)
        self.form.clear()
        self.refresh_preview()
        if self.preview is not None:
            head = self.preview.snapshot.head
            self.consent_by.setText(head.name if head else "")
            self.members.setFocus()

    # -- the live preview -----------------------------------------------------------------------------
    def _product_code(self) -> str:
        return self.product.currentData()

    def _product_changed(self) -> None:
        catalog = self.product.catalog()
        product = catalog.products.get(self._product_code())  # None: this office is offered no product
        self.form.set_form(catalog.forms.get(product.form) if product else None)
        self.chosen = None
        self.refresh_preview()

    def _form_changed(self) -> None:
        """An answer the product's rules read (S1's health declaration) is judged again at once."""
        self._update_button()
        product = self.product.catalog().products.get(self._product_code())
        if product is not None and (product.eligibility.required_answers or product.payer_by_answer):
            self._answers_timer.start()

    def refresh_preview(self) -> None:
        if self.household_id is None or self._product_code() is None:
            self.preview = None
            self._show_preview()
            return
        preview = preview_enrollment(self.workspace, product=self._product_code(), year=self.year.value(),
                                     household_id=self.household_id, chosen=self.chosen, today=self.today,
                                     form_values=self.form.values())
        if self.chosen is None:
            # start from the eligible people; the others stay listed with their reasons
            eligible = [m.member.person_id for m in preview.members if m.chosen and m.eligible]
            if len(eligible) != len([m for m in preview.members if m.chosen]):
                self.chosen = eligible
                preview = preview_enrollment(self.workspace, product=self._product_code(), year=self.year.value(),
                                             household_id=self.household_id, chosen=eligible, today=self.today,
                                             form_values=self.form.values())
            else:
                self.chosen = eligible
        self.preview = preview
        self._show_preview()

    def _show_preview(self) -> None:
        preview = self.preview
        self.members.setRowCount(0)
        self.members.resizeRowsToContents()
        if preview is None:
            self.summary.setText(self.tr("请先选户。"))
            self._update_button()
            return
        language = current()
        for member_preview in preview.members:
            row = self.members.rowCount()
            self.members.insertRow(row)
            tick = QTableWidgetItem()
            tick.setCheckState(Qt.CheckState.Checked if member_preview.chosen else Qt.CheckState.Unchecked)
            self.members.setItem(row, 0, tick)
            member = member_preview.member
            relation = Relation(member.relation).label(language)
            name = pick(f"{member.name}（{relation}）", f"{member.name} ({relation})")
            self.members.setItem(row, 1, QTableWidgetItem(name))
            insured = _insured_already(member_preview)
            blocked = bool(preview.household_reasons)  # the household cannot enroll: nobody is "符合"
            if member_preview.eligible and blocked:
                verdict = self.tr("个人条件符合（本户暂不能参保，见下方）")
            elif member_preview.eligible:
                verdict = self.tr("符合")
            elif insured:  # a state, not a fault: just enrolled, or enrolled before
                verdict = self.tr("本期已参保")
            else:
                verdict = "；".join(pick(r.message_zh, r.message_en) for r in member_preview.reasons)
            verdict_item = QTableWidgetItem(verdict)
            verdict_item.setForeground(Qt.GlobalColor.darkGray if member_preview.eligible and blocked
                                       else Qt.GlobalColor.darkGreen if member_preview.eligible or insured
                                       else Qt.GlobalColor.red)
            verdict_item.setToolTip(verdict)
            self.members.setItem(row, 2, verdict_item)
            self.members.setItem(row, 3, QTableWidgetItem(self._covers_text(member_preview.covers)))
        self.members.resizeRowsToContents()
        judged = preview.judged
        if judged is None:
            insured = sum(1 for m in preview.members if _insured_already(m))
            if insured:  # nobody left to enroll: say what the household has, not that nothing is ticked
                self.summary.setText(self.tr("本户已有 {0} 人参加本期“{1}”。").format(
                    insured, pick(preview.product.name_zh, preview.product.name_en)))
                self.summary.setStyleSheet(NOTE_STYLE)
            else:
                self.summary.setText(self.tr("没有选中参保人。"))
                self.summary.setStyleSheet(ERROR_STYLE)
        else:
            shared = premium_levels.is_shared(dict(judged.contributions))
            payer = premium_levels.payer_word(judged.payer.value, shared, english=english())
            if judged.eligible and not judged.reasons:
                period = (self.tr("缴费次日零时起一年（今天缴费为 {0} 至 {1}）") if preview.product.period.dated_on_payment
                           else self.tr("{0} 零时至 {1} 二十四时")).format(
                    judged.period.start.isoformat(), judged.period.end.isoformat())
                lines = [self.tr("保费 {0}，缴费方式：{1}，保障期间：{2}").format(
                    format_fen(judged.premium_fen), payer, period)]
                if shared:  # the family's receipt is its own part; each level allocates its own
                    parts = pick("、", "; ").join(
                        f"{level_label(level, english=english())} {format_fen(fen)}"
                        for level, fen in judged.contributions if fen)
                    lines.append(self.tr("各级承担：{0}（家庭缴 {1}，其余待各级拨款）").format(
                        parts, format_fen(judged.family_fen)))
                elif judged.payer is not PayerType.SELF:
                    lines.append(self.tr("{0}：登记后待拨款，不开收据给家庭。").format(payer))
            else:
                lines = [self.tr("本户现在不能参保：")]
            chosen = [m.member for m in preview.members if m.chosen]
            said = set()
            for reason in judged.reasons:  # why the button is disabled, each with the person's name, once
                text = pick(reason.message_zh, reason.message_en)
                if reason.person_index is not None and reason.person_index < len(chosen):
                    text = f"{chosen[reason.person_index].name}：{text}"
                if text not in said:
                    said.add(text)
                    lines.append(text)
            lines += [pick(r.message_zh, r.message_en) for r in judged.warnings]
            self.summary.setText("\n".join(lines))
            self.summary.setStyleSheet(NOTE_STYLE if preview.can_enroll else ERROR_STYLE)
        self._update_button()

    def _covers_text(self, covers) -> str:
        parts = []
        for cover in covers:
            if cover.amount_per_day_fen:
                parts.append(self.tr("{0}/天，每年最多{1}天").format(format_fen(cover.amount_per_day_fen),
                                                               cover.max_days_per_year))
            elif cover.shared_by > 1:
                parts.append(self.tr("{0}（全家{1}人共享）").format(format_fen(cover.amount_fen), cover.shared_by))
            elif cover.amount_fen:
                parts.append(format_fen(cover.amount_fen))
        return pick("、", ", ").join(parts)

    def _toggle_row(self, row: int, _column: int = 0) -> None:
        if self.preview is None or not (0 <= row < len(self.preview.members)):
            return
        person_id = self.preview.members[row].member.person_id
        chosen = list(self.chosen or [])
        if person_id in chosen:
            chosen.remove(person_id)
        else:
            chosen.append(person_id)
        self.chosen = chosen
        self.refresh_preview()
        self.members.selectRow(row)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.members and event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_Space:
            self._toggle_row(self.members.currentRow())
            return True
        return super().eventFilter(watched, event)

    def print_receipt(self) -> BackgroundOp | None:
        """The receipt of the last enrollment as a PDF, shown in the preview to print or save."""
        from fpdesk.gui.dialogs.print_preview import open_print_preview
        from fpdesk.services.printouts.data import Selection
        from fpdesk.services.printouts.jobs import print_receipts
        from fpdesk.services.printouts.scratch import scratch_file

        if self.last_result is None or not self.last_result.receipt_no:
            return None
        number, workspace, today = self.last_result.receipt_no, self.workspace, self.today
        out = scratch_file(f"{number}.pdf")  # deleted when its preview closes

        def job(_progress):
            return print_receipts(workspace, out=out, selection=Selection(), receipt_numbers=[number], today=today)

        def printed(_result) -> None:
            self.preview_dialog = open_print_preview(self, out, title=self.tr("收据 {0}").format(number))

        return BackgroundOp(self, job, label=self.tr("正在生成打印文件")).success(printed).run()

    def issue_papers(self) -> BackgroundOp | None:
        """The receipt (when cash was taken) and the certificate of the last enrollment, sent where the
        clerk chose (出单); what the clerk was told is shown under the enrollment (``papers_told``)."""
        from fpdesk.services.printouts.data import Selection
        from fpdesk.services.printouts.jobs import print_certificates, print_receipts
        from fpdesk.services.printouts.scratch import discard, scratch_file

        result = self.last_result
        if result is None or result.enrollment_id is None:
            return None
        head_member = self.preview.snapshot.head if self.preview is not None else None
        head = head_member.name if head_member is not None else ""  # the file is found by the family's name
        workspace, today = self.workspace, self.today
        receipt_name = self.tr("收据 {0} {1}.pdf").format(result.receipt_no, head).replace(" .pdf", ".pdf")
        receipt_title = self.tr("收据 {0}").format(result.receipt_no)
        certificate_name, certificate_title = self.tr("参保凭证 {0} {1}.pdf"), self.tr("参保凭证 {0}")

        def job(_progress):
            papers = []
            try:
                if result.receipt_no:
                    path = scratch_file(f"{result.receipt_no}.pdf")
                    print_receipts(workspace, out=path, selection=Selection(), receipt_numbers=[result.receipt_no],
                                   today=today)
                    papers.append((path, receipt_name, receipt_title))
                path = scratch_file(f"certificate-{result.enrollment_id}.pdf")
                printed = print_certificates(workspace, out=path,
                                             selection=Selection(enrollment_ids=(result.enrollment_id,)), today=today)
                number = printed.numbers[0] if printed.numbers else ""
                papers.append((path, certificate_name.format(number, head).replace(" .pdf", ".pdf"),
                               certificate_title.format(number)))
            except BaseException:
                for path, _name, _title in papers:
                    discard(path)
                raise
            return papers

        def failed(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                raise error  # the error dialog (gui/ops.py) says what went wrong and where the log is
            QMessageBox.warning(self, self.tr("不能出单"), self.tr("已登记参保，但收据或凭证没有做成：{0}").format(
                error_text(error)))

        return BackgroundOp(self, job, label=self.tr("正在出单…")).success(self._papers_made).failure(failed).run()

    def _papers_made(self, papers) -> None:
        self.papers_told = told = self.papers.deliver(papers)
        self.result.setToolTip("\n".join(str(path) for path in self.papers.saved))
        self._show_result(self._enrolled_text() + (told or self.tr("没有出单：可在“收费与打印”页补打。")))

    def keyPressEvent(self, event) -> None:
        # Ctrl+Enter from any field of the screen, also before the window manager has activated
        # the window (QShortcut only fires in the active window).
        if event.modifiers() == Qt.KeyboardModifier.ControlModifier and event.key() in (Qt.Key.Key_Return,
                                                                                      Qt.Key.Key_Enter):
            self.enroll_now()
            return
        super().keyPressEvent(event)

    def _update_button(self) -> None:
        ready = bool(self.preview and self.preview.can_enroll and not self.form.problems
                     and self.consent_by.text().strip())
        self.enroll_button.setEnabled(ready)

    # -- enrolling -----------------------------------------------------------------------------------
    def enroll_now(self) -> BackgroundOp | None:
        """Enroll off the GUI thread (then the papers, when cash was taken); None: not ready to enroll."""
        self._update_button()
        if not self.enroll_button.isEnabled():
            return None
        if self.enroll_op is not None and self.enroll_op in BackgroundOp.running:
            return self.enroll_op  # Ctrl+Enter again while it runs: one enrollment
        judged = self.preview.judged
        collect = judged.payer is PayerType.SELF  # cash is taken at the door; government and units pay later
        workspace, arguments = self.workspace, dict(
            product=self._product_code(), year=self.year.value(), household_id=self.household_id,
            members=[str(p) for p in self.chosen], consent_by=self.consent_by.text(), form_values=self.form.values(),
            today=self.today, pay_fen=judged.premium_fen if collect else None, collector=self.workspace.author)

        def job(_progress):
            return enroll(workspace, **arguments)

        self.enroll_op = BackgroundOp(self, job, label=self.tr("正在参保…"), cancellable=False)
        return self.enroll_op.success(lambda result: self._enrolled(result, judged, collect)).run()

    def _enrolled(self, result, judged, collect: bool) -> None:
        self.last_result = result
        # government and unit money arrives later (an allocation): no receipt, and no certificate yet,
        # which is proof of cover and waits for the money (fpdesk.services.printouts.data)
        self.awaiting_payer = None if collect else judged.payer
        self._show_result(self._enrolled_text())
        self.print_button.setEnabled(collect)
        self.enrolled.emit(result)
        self.chosen = None  # those just enrolled are no longer to be ticked: the list shows them insured
        self.refresh_preview()
        if collect:
            self.issue_papers()  # one action for the visit: registered, paid, and both papers out

    def _show_result(self, text: str) -> None:
        self.result.setText(text)
        self._fit_result()

    def _fit_result(self) -> None:
        """The result as tall as its lines at this width: a word-wrapped label's minimum is one line, and
        the screen squeezed the questions above it to give it more (their texts overlapped at the
        largest text); counted in the minimum, the screen scrolls instead."""
        width = self.result.width() if self.result.isVisible() else self.width()
        self.result.setMinimumHeight(self.result.heightForWidth(max(width, 200)) if self.result.text() else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_result()

    def _enrolled_text(self) -> str:
        result = self.last_result
        text = self.tr("已登记：{0} 人，保费 {1}。").format(len(result.insured), format_fen(result.premium_fen))
        if result.receipt_no:
            text += self.tr("收据号 {0}。").format(result.receipt_no)
        if self.awaiting_payer is not None:
            text += self.tr("{0}：待拨款，拨款到位后可打印参保凭证。").format(
                self.awaiting_payer.label(current()))
        return text


def _insured_already(member_preview) -> bool:
    """Left out only because the person is insured for this period already."""
    return not member_preview.eligible and bool(member_preview.reasons) and all(
        r.code == "already_insured_this_period" for r in member_preview.reasons)
