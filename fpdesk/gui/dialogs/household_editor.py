"""The household editor: the household's own fields and every member in one keyboard-first form.

Enter moves to the next field: name, ID number, phone, and the relation only where the ID numbers
gave no guess; past the last member it opens a new line. Enter on a field that is wrong stays there
and the line says why. Ctrl+N adds a member, Ctrl+S saves, Esc cancels (after asking, when
something was typed). Save stays disabled until every line is right; the reason is written beside
the field that is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.errors import DomainError
from fpdesk.core.language import current
from fpdesk.core.people import HouseholdDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.gui.ops import BackgroundOp
from fpdesk.gui.widgets.dialog_parts import ERROR_STYLE
from fpdesk.gui.widgets.member_row import MemberRow
from fpdesk.gui.window_fit import fit_window
from fpdesk.services.registry.household_form import HouseholdForm, MemberEntry, save_household_form
from fpdesk.services.registry.search import who_holds

VILLAGE_KINDS = ("village", "community", "agency_unit", "villager_group")


class HouseholdEditor(QDialog):
    """Attributes:
    form: what was loaded (or a new, empty form).
    rows: one MemberRow per member line, head first.
    saved_changes: the ChangeSet of the save, once saved; save_op: the running (or last) save.
    """

    saved = Signal(object)
    open_household = Signal(object)
    enroll_household = Signal(object)  # household id: 保存并参保 saved it; the enrollment screen takes over

    def __init__(self, workspace, form: HouseholdForm, divisions: list[tuple[str, str, str]], *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.form = workspace, form
        self.today = today or dt.date.today()
        self.rows: list[MemberRow] = []
        self.ended: list[tuple[object, str, dt.date]] = list(form.ended)
        self.saved_changes = None
        self.save_op: BackgroundOp | None = None
        self.preview = None  # the print preview of 补打, once printed
        self.saved_label = ""  # what the save was, for the undo action: “新建 吴建华户”
        self.discard_question: QMessageBox | None = None  # while Esc asks whether to throw typing away
        self.setWindowTitle(self.tr("新建家庭户") if form.household_id is None else self.tr("修改家庭户"))
        self._build_household_fields(divisions)
        self._build_members()
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(self.household_layout)
        members_heading = QLabel(self.tr("家庭成员（第一行为户主）"))
        members_heading.setObjectName("subheading")
        layout.addWidget(members_heading)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.form_message)
        layout.addLayout(self.button_layout)
        for member in form.members:
            self.add_member(member)
        if not self.rows:
            self.add_member()
        self._revalidate()
        self._loaded = self._answers()
        # wide enough for a member line whole at the largest text in English, if the screen allows
        fit_window(self, max(1200, self.members_widget.sizeHint().width() + 60), 660)
        self.rows[0].name.setFocus()

    # -- building ---------------------------------------------------------------------------------
    def _build_household_fields(self, divisions) -> None:
        self.village = QComboBox()
        for code, name, kind in divisions:
            if kind in VILLAGE_KINDS:
                self.village.addItem(name, code)
        index = self.village.findData(self.form.household.division_code)
        self.village.setCurrentIndex(max(index, 0))
        self.address = QLineEdit(self.form.household.address)
        self.address.setPlaceholderText(self.tr("如：3组17号"))
        self.categories = QListWidget()
        self.ensurePolished()
        # four lines of categories: the English names at the largest text take that many
        self.categories.setMaximumHeight(self.categories.fontMetrics().lineSpacing() * 4 + 16)
        self.categories.setFlow(QListWidget.Flow.LeftToRight)
        self.categories.setWrapping(True)
        initial = self.form.household.categories
        if self.form.household_id is None and not initial:
            initial = frozenset({HouseholdCategory.OTHER_FP})  # most families; shown ticked, easy to change
        for category in HouseholdCategory:
            item = QListWidgetItem(category.label(current()))
            item.setData(Qt.ItemDataRole.UserRole, category.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = category in initial
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.categories.itemChanged.connect(lambda _item: self._revalidate())
        self.certificate = QLineEdit(self.form.household.certificate_no or "")
        self.certificate.setPlaceholderText(self.tr("独生子女证号（没有可不填）"))
        self.rural = QCheckBox(self.tr("农村户籍"))
        self.rural.setChecked(self.form.household.is_rural)
        self.reward = QCheckBox(self.tr("领取独生子女父母奖励金"))
        self.reward.setChecked(self.form.household.reward_recipient)
        form = QFormLayout()
        form.addRow(self.tr("村（社区）"), self.village)
        form.addRow(self.tr("地址"), self.address)
        form.addRow(self.tr("家庭类别"), self.categories)
        flags = QHBoxLayout()
        flags.addWidget(self.certificate, 1)
        flags.addWidget(self.rural)
        flags.addWidget(self.reward)
        form.addRow(self.tr("证件"), flags)
        self.household_layout = form

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_categories()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_categories()

    def _fit_categories(self) -> None:
        """The category list as tall as its lines at this width (two in Chinese, four in English at the
        largest text): the room it does not need goes to the members."""
        listing = self.categories
        listing.doItemsLayout()
        bottom = max((listing.visualItemRect(listing.item(i)).bottom() for i in range(listing.count())), default=0)
        height = bottom + listing.verticalOffset() + 2 * listing.frameWidth() + 8
        cap = listing.fontMetrics().lineSpacing() * 4 + 16
        listing.setFixedHeight(max(listing.fontMetrics().lineSpacing() + 12, min(height, cap)))

    def _build_members(self) -> None:
        self.members_widget = QWidget()
        outer = QVBoxLayout(self.members_widget)
        self.grid = QGridLayout()
        outer.addLayout(self.grid)
        outer.addStretch(1)  # few members sit at the top instead of spreading down the box
        self.grid.setHorizontalSpacing(6)
        headers = (self.tr("姓名"), self.tr("身份证号"), self.tr("性别"), self.tr("出生日期"), self.tr("周岁"),
                   self.tr("电话"), self.tr("与户主关系"), "")
        for column, text in enumerate(headers):
            label = QLabel(text)
            label.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(label, 0, column)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(5, 2)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.members_widget)
        self.form_message = QLabel()
        self.form_message.setStyleSheet(ERROR_STYLE)
        self.form_message.setWordWrap(True)

    def _build_buttons(self) -> None:
        self.add_button = QPushButton(self.tr("添加成员 (Ctrl+N)"))
        self.save_button = QPushButton(self.tr("保存 (Ctrl+S)"))
        self.enroll_button = QPushButton(self.tr("保存并参保 (Ctrl+Shift+S)"))
        self.enroll_button.setToolTip(self.tr("保存本户，然后到“参保登记”为本户参保"))
        self.cancel_button = QPushButton(self.tr("取消 (Esc)"))
        self.certificate_button = QPushButton(self.tr("补打参保凭证"))
        self.certificate_button.setToolTip(self.tr("本户最近一个保险年度的参保凭证，按原编号再打一份"))
        self.certificate_button.clicked.connect(self.print_certificates)
        self.certificate_button.setVisible(self._certificate_year() is not None)
        for button in (self.add_button, self.save_button, self.enroll_button, self.cancel_button,
                       self.certificate_button):
            button.setAutoDefault(False)  # Enter moves between fields; it never presses a button
        self.add_button.clicked.connect(lambda: self.add_member(focus=True))
        self.save_button.clicked.connect(self.save)
        self.enroll_button.clicked.connect(self.save_and_enroll)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.save_and_enroll)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=lambda: self.add_member(focus=True))
        layout = QHBoxLayout()
        layout.addWidget(self.add_button)
        layout.addWidget(self.certificate_button)
        layout.addStretch(1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.save_button)
        layout.addWidget(self.enroll_button)
        self.button_layout = layout

    def _certificate_year(self) -> int | None:
        from fpdesk.services.printouts.jobs import household_certificate_year

        if self.form.household_id is None:
            return None
        return household_certificate_year(self.workspace, self.form.household_id)

    def print_certificates(self):
        """补打: this household's certificates in the print preview, under their first numbers."""
        from fpdesk.gui.dialogs.print_preview import open_print_preview
        from fpdesk.services.printouts.jobs import print_household_certificates
        from fpdesk.services.printouts.scratch import scratch_file

        out = scratch_file(f"certificates-{self.form.household_id}.pdf")  # deleted when its preview closes
        workspace, household_id, today = self.workspace, self.form.household_id, self.today

        def job(_progress):
            return print_household_certificates(workspace, household_id=household_id, out=out, today=today)

        def printed(result) -> None:
            self.preview = open_print_preview(self, out, title=self.tr("参保凭证 {0}").format("、".join(result.numbers)))

        return BackgroundOp(self, job, label=self.tr("正在生成打印文件")).success(printed).run()

    # -- members ----------------------------------------------------------------------------------
    def add_member(self, entry: MemberEntry | None = None, *, focus: bool = False) -> MemberRow:
        row = MemberRow(self.members_widget, today=self.today, lookup_holder=self._lookup_holder,
                        head_facts=self._head_facts)
        if entry is not None:
            row.load(entry.draft, entry.person_id, entry.revision)
            row.moving_in = entry.moving_in
        else:  # the first line is the head; later ones wait for their ID number to guess
            row.set_relation(Relation.HEAD if not self.rows else Relation.OTHER)
        grid_row = 1 + 2 * len(self.rows)
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, grid_row, column)
            widget.show()  # now, not at the next event loop turn: the new line takes focus at once
        self.grid.addWidget(row.message, grid_row + 1, 0, 1, 6)
        buttons = QHBoxLayout()
        buttons.addWidget(row.open_button)
        buttons.addWidget(row.move_button)
        buttons.setContentsMargins(0, 0, 0, 0)
        holder = QWidget(self.members_widget)
        holder.setLayout(buttons)
        self.grid.addWidget(holder, grid_row + 1, 6, 1, 2)
        row.button_box = holder
        holder.setVisible(row.blocking_holder())  # an empty line of buttons would space the members apart
        for widget in (row.name, row.id_number, row.sex, row.birth, row.phone, row.relation):
            widget.installEventFilter(self)
        previous = self.rows[-1].remove if self.rows else self.certificate
        for widget in (row.name, row.id_number, row.sex, row.birth, row.phone, row.relation, row.remove):
            QWidget.setTabOrder(previous, widget)  # Tab follows the columns, like Enter
            previous = widget
        row.changed.connect(self._revalidate)
        row.open_household.connect(self.open_household.emit)
        row.remove_requested.connect(self._remove_member)
        self.rows.append(row)
        if focus:
            row.name.setFocus()
        self._revalidate()
        return row

    def _remove_member(self, row: MemberRow) -> None:
        if row.person_id is not None and not row.moving_in:
            menu = QMenu(self)
            died = menu.addAction(self.tr("已死亡"))
            menu.addAction(self.tr("已迁出"))
            chosen = menu.exec(row.remove.mapToGlobal(row.remove.rect().bottomLeft()))
            if chosen is None:
                return
            self.ended.append((row.person_id, "deceased" if chosen is died else "moved_out", self.today))
        for widget in [*row.widgets(), row.message, row.button_box]:
            widget.hide()
        self.rows.remove(row)
        self._revalidate()

    def _lookup_holder(self, number: str):
        return who_holds(self.workspace, number)

    def _head_facts(self):
        for row in self.rows:
            if row.relation_value() is Relation.HEAD:
                return row.birth_and_sex()
        return None, None

    # -- keyboard ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            control = Qt.KeyboardModifier.ControlModifier
            # Ctrl+S / Ctrl+N also when the window manager has not made this window active yet
            # (QShortcut only fires in the active window).
            if event.modifiers() == control | Qt.KeyboardModifier.ShiftModifier and key == Qt.Key.Key_S:
                self.save_and_enroll()
                return True
            if event.modifiers() == control and key in (Qt.Key.Key_S, Qt.Key.Key_N):
                self.save() if key == Qt.Key.Key_S else self.add_member(focus=True)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                if isinstance(watched, QComboBox) and watched.view().isVisible():
                    return False  # Enter in the open list chooses the item; the next Enter moves on
                self._advance(watched)
                return True
        return super().eventFilter(watched, event)

    def _advance(self, widget: QObject) -> None:
        for index, row in enumerate(self.rows):
            if widget not in row.widgets():
                continue
            if row.refuse_to_leave(widget):
                widget.setFocus()
                return
            if widget is row.relation:
                row.confirm_relation()
            chain = row.focus_chain()
            position = chain.index(widget) if widget in chain else len(chain) - 1
            if position + 1 < len(chain):
                chain[position + 1].setFocus()
            elif index + 1 < len(self.rows):
                self.rows[index + 1].name.setFocus()
            elif not row.is_blank():
                self.add_member(focus=True)
            return

    # -- validation and saving --------------------------------------------------------------------
    def _filled_rows(self) -> list[MemberRow]:
        return [row for row in self.rows if not row.is_blank()]

    def _revalidate(self) -> None:
        problems: list[str] = []
        rows = self._filled_rows()
        heads = [row for row in rows if row.relation_value() is Relation.HEAD]
        if rows and len(heads) != 1:
            problems.append(DomainError("household_needs_head").message(current()))
        numbers = [row.draft().id_number for row in rows if row.draft().id_number]
        if len(numbers) != len(set(numbers)):
            problems.append(self.tr("同一个身份证号在本户出现了两次。"))
        if not self._checked_categories():
            problems.append(self.tr("请选择家庭类别（可多选）。"))
        if self.village.currentData() is None:
            problems.append(self.tr("请先在“系统设置”里添加村（社区）。"))
        self.form_message.setText("\n".join(problems))
        self.form_message.setVisible(bool(problems))
        ready = bool(rows) and not problems and all(row.is_valid() for row in rows)
        self.save_button.setEnabled(ready)

    def _checked_categories(self) -> frozenset[HouseholdCategory]:
        return frozenset(
            HouseholdCategory(self.categories.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.categories.count())
            if self.categories.item(i).checkState() == Qt.CheckState.Checked)

    def current_form(self) -> HouseholdForm:
        categories = self._checked_categories()
        household = replace(self.form.household, division_code=self.village.currentData() or "",
                            address=self.address.text(), categories=categories,
                            certificate_no=self.certificate.text().strip() or None,
                            is_rural=self.rural.isChecked(), reward_recipient=self.reward.isChecked())
        members = [MemberEntry(row.draft(), row.person_id, row.revision, row.moving_in) for row in self._filled_rows()]
        return HouseholdForm(household, members, self.form.household_id, self.form.revision,
                             self.form.division_name, list(self.ended))

    def save(self, *, then_enroll: bool = False) -> BackgroundOp | None:
        """Save off the GUI thread; once kept, ``saved`` is emitted and the dialog closes. A refusal
        is shown and the typing stays (the dialog stays open). Returns the running save, or None
        when the form cannot be saved as it is."""
        self._revalidate()
        if not self.save_button.isEnabled():
            self._show_first_problem()
            return None
        if self.save_op is not None and self.save_op in BackgroundOp.running:
            return self.save_op  # Ctrl+S pressed again while the save runs: one save
        form, workspace, today = self.current_form(), self.workspace, self.today

        def job(_progress):
            return save_household_form(workspace, form, today=today)

        self.save_op = BackgroundOp(self, job, label=self.tr("正在保存…"), cancellable=False)
        return self.save_op.success(lambda changes: self._kept(form, changes, then_enroll)).run()

    def _kept(self, form: HouseholdForm, changes, then_enroll: bool) -> None:
        head = next((m.draft.name for m in form.members if m.draft.relation is Relation.HEAD), "")
        self.saved_label = (self.tr("新建“{0}户”") if form.household_id is None else self.tr("修改“{0}户”")).format(head)
        self.saved_changes = changes
        self.saved.emit(changes)
        self.accept()
        if then_enroll:
            self.enroll_household.emit(changes.primary_id)

    def save_and_enroll(self) -> BackgroundOp | None:
        """保存并参保: save, then hand the household to the enrollment screen."""
        return self.save(then_enroll=True)

    def _show_first_problem(self) -> None:
        """Ctrl+S on a form that cannot be saved: go to the first wrong field, which says why."""
        for row in self._filled_rows():
            for key, widget in (("name", row.name), ("id_number", row.id_number), ("birth", row.birth),
                                ("phone", row.phone)):
                if key in row.errors or (key == "id_number" and row.blocking_holder()):
                    row.refuse_to_leave(widget)
                    widget.setFocus()
                    return

    # -- leaving without saving ----------------------------------------------------------------------
    def _answers(self) -> tuple:
        """What the form says, to tell whether anything was typed since it opened."""
        form = self.current_form()
        return (form.household, tuple((m.draft, m.person_id, m.moving_in) for m in form.members),
                tuple(form.ended))

    def is_changed(self) -> bool:
        return self._answers() != self._loaded

    def reject(self) -> None:
        """Esc, 取消 and the window's close button: typed work is thrown away only when asked to."""
        if self.is_changed() and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("放弃修改？"),
                          self.tr("本户有还没保存的内容。放弃这些修改吗？"), parent=self)
        discard = box.addButton(self.tr("放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("继续填写"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter or a second Esc keeps the typing
        box.setEscapeButton(keep)
        self.discard_question = box
        try:
            box.exec()
        finally:
            self.discard_question = None
        return box.clickedButton() is discard


def empty_household(division_code: str) -> HouseholdForm:
    return HouseholdForm(HouseholdDraft(division_code=division_code), [])
