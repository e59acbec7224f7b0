"""One member line of the household editor: name, ID number, derived sex/birth/age, phone, relation.

Typing a valid ID number fills sex, birth date and age at once (and locks them: they are never
typed twice); every field says what is wrong beside it, in the user's language, as it is typed.
A number already registered in another household offers to open that household or move the
person in, instead of registering them twice.

The relation is guessed from the two ID numbers; Enter visits it only when no guess could be made
(``relation_needs_choice``). It is a drop-down that refuses digits: the phone typed after the ID
number once landed there and picked relations digit by digit.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from fpdesk.core import idnumber, phone
from fpdesk.core.dates import completed_years, parse_date
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current
from fpdesk.core.people import PersonDraft
from fpdesk.core.vocabulary import Relation, Sex
from fpdesk.gui.widgets.choice_combo import ChoiceCombo
from fpdesk.gui.widgets.dialog_parts import DATE_SAMPLE, ERROR_STYLE, ID_SAMPLE, PHONE_SAMPLE, room_for

NOTE_STYLE = "color: #1d5fa8;"


def relation_guess(member_birth: dt.date, member_sex: str, head_birth: dt.date | None,
                   head_sex: str | None) -> Relation:
    """What a member most likely is to the head, from the two ID numbers alone."""
    if head_birth is None:
        return Relation.OTHER
    years_older = (head_birth - member_birth).days / 365.25  # > 0: the member is older than the head
    male = member_sex == "male"
    if years_older <= -40:
        return Relation.GRANDSON if male else Relation.GRANDDAUGHTER
    if years_older <= -15:
        return Relation.SON if male else Relation.DAUGHTER
    if years_older >= 15:
        return Relation.FATHER if male else Relation.MOTHER
    if head_sex and member_sex != head_sex:
        return Relation.SPOUSE
    return Relation.OTHER


class MemberRow(QObject):
    """Attributes:
    person_id / revision: the stored person this line edits (None for a new member).
    moving_in: the person is registered elsewhere and will be moved into this household.
    holder: who already holds the typed ID number, when that is someone else.
    """

    changed = Signal()
    open_household = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget, *, today: dt.date, lookup_holder, head_facts) -> None:
        super().__init__(parent)
        self.today = today
        self.lookup_holder = lookup_holder  # id number -> PersonRow | None
        self.head_facts = head_facts  # () -> (birth, sex) of the head line, or (None, None)
        self.person_id = None
        self.revision = None
        self.moving_in = False
        self.holder = None
        self.relation_touched = False
        self.insisted: set[str] = set()  # fields Enter was refused on: their full reason is shown
        self.hint = ""  # a passing note (a refused key), until the line changes
        self.name = QLineEdit(parent)
        self.name.setPlaceholderText(self.tr("姓名"))
        self.id_number = QLineEdit(parent)
        self.id_number.setPlaceholderText(self.tr("18位身份证号"))
        self.id_number.setMaxLength(22)  # room for spaces people type between groups
        self.sex = ChoiceCombo(parent)
        for sex in Sex:
            self.sex.addItem(sex.label(current()), sex.value)
        self.birth = QLineEdit(parent)
        self.birth.setPlaceholderText(self.tr("出生日期"))
        self.age = QLabel(parent)
        self.relation = ChoiceCombo(parent)
        for relation in Relation:
            self.relation.addItem(relation.label(current()), relation.value)
        for combo in (self.sex, self.relation):
            combo.refused.connect(self._refused_digits)
        self.phone = QLineEdit(parent)
        self.phone.setPlaceholderText(self.tr("手机或座机"))
        self.remove = QPushButton(self.tr("移除"), parent)
        self.remove.setAutoDefault(False)
        self.message = QLabel(parent)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton(self.tr("打开该户"), parent)
        self.move_button = QPushButton(self.tr("迁入本户"), parent)
        for button in (self.open_button, self.move_button):
            button.setAutoDefault(False)
            button.hide()
        # room for a whole name, ID number and date at every text size
        self.name.setMinimumWidth(room_for(self.name, "欧阳秀梅", "Ouyang Xiu", padding=20))
        self.id_number.setMinimumWidth(room_for(self.id_number, ID_SAMPLE, padding=20))
        self.birth.setMinimumWidth(room_for(self.birth, DATE_SAMPLE, padding=20))
        self.phone.setMinimumWidth(room_for(self.phone, PHONE_SAMPLE, padding=20))
        self.errors: dict[str, str] = {}
        self.name.textChanged.connect(self._revalidate)
        self.id_number.textChanged.connect(self._id_changed)
        self.birth.textChanged.connect(self._revalidate)
        self.sex.currentIndexChanged.connect(self._revalidate)
        self.phone.textChanged.connect(self._revalidate)
        self.relation.activated.connect(self._relation_chosen)
        self.relation.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.open_button.clicked.connect(lambda: self.open_household.emit(self.holder.household_id))
        self.move_button.clicked.connect(self._move_in)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._derived_birth: dt.date | None = None
        self._derived_sex: str | None = None
        self._show_derived()

    # -- what the editor reads -------------------------------------------------------------------
    def widgets(self) -> list[QWidget]:
        """The line's fields in the order of the editor's columns (and of Tab)."""
        return [self.name, self.id_number, self.sex, self.birth, self.age, self.phone, self.relation, self.remove]

    def focus_chain(self) -> list[QWidget]:
        """Where Enter goes next inside this line: derived fields are skipped once the ID filled them,
        and the relation once it is known (the head's, a guess, or one chosen before)."""
        chain: list[QWidget] = [self.name, self.id_number]
        if self.sex.isEnabled():
            chain += [self.sex, self.birth]
        chain.append(self.phone)
        if self.relation_needs_choice() or self.relation.hasFocus():
            chain.append(self.relation)
        return chain

    def relation_needs_choice(self) -> bool:
        """Nobody chose the relation and the ID numbers gave no guess (它仍是“其他”)."""
        return not self.relation_touched and self.relation_value() is Relation.OTHER

    def field_of(self, widget: QWidget) -> str | None:
        """The key of ``widget`` in ``errors``."""
        return {id(self.name): "name", id(self.id_number): "id_number", id(self.birth): "birth",
                id(self.phone): "phone"}.get(id(widget))

    def refuse_to_leave(self, widget: QWidget) -> bool:
        """Enter was pressed in ``widget``: True (with the reason shown) when it must stay there.

        A number still being typed is judged whole now, so "还差 3 位" becomes the full reason."""
        key = self.field_of(widget)
        if key == "id_number" and self.blocking_holder():
            return True  # the line says who holds the number, with buttons to open or move them in
        if key is None:
            return False
        self.insisted.add(key)
        self._revalidate()
        return key in self.errors

    def is_blank(self) -> bool:
        return not any(w.text().strip() for w in (self.name, self.id_number, self.birth, self.phone))

    def relation_value(self) -> Relation:
        return Relation(self.relation.currentData())

    def set_relation(self, relation: Relation) -> None:
        self.relation.setCurrentIndex(self.relation.findData(relation.value))

    def birth_and_sex(self) -> tuple[dt.date | None, str | None]:
        if self._derived_birth:
            return self._derived_birth, self._derived_sex
        try:
            return parse_date(self.birth.text()), self.sex.currentData()
        except DomainError:
            return None, None

    def load(self, draft: PersonDraft, person_id=None, revision=None) -> None:
        self.person_id, self.revision = person_id, revision
        self.name.setText(draft.name)
        self.id_number.setText(draft.id_number or "")
        if not draft.id_number:
            if draft.sex:
                self.sex.setCurrentIndex(self.sex.findData(draft.sex.value))
            if draft.birth_date:
                self.birth.setText(draft.birth_date.isoformat())
        self.set_relation(draft.relation)
        self.relation_touched = True
        self.phone.setText(draft.phone or "")
        self._revalidate()

    def draft(self) -> PersonDraft:
        number = idnumber.normalise(self.id_number.text()) or None
        birth, sex = (None, None) if number else self.birth_and_sex()
        return PersonDraft(" ".join(self.name.text().split()), number, self.relation_value(),
                           self.phone.text().strip() or None, None, Sex(sex) if sex else None, birth)

    def is_valid(self) -> bool:
        return not self.errors and not self.blocking_holder()

    def blocking_holder(self) -> bool:
        return self.holder is not None and not self.moving_in

    # -- reactions ------------------------------------------------------------------------------
    def _relation_chosen(self, _index: int) -> None:
        self.relation_touched = True
        if self.hint:
            self.hint = ""
            self._show_message()

    def confirm_relation(self) -> None:
        """Enter on the relation: what it shows is the answer, 其他 included."""
        self.relation_touched = True

    def _refused_digits(self, _text: str) -> None:
        self.hint = self.tr("这里是选择项，不能输入数字：请用 ↑ ↓ 键选择，按 Enter 确认。")
        self._show_message()

    def _id_changed(self, _text: str) -> None:
        number = idnumber.normalise(self.id_number.text())
        self._derived_birth = self._derived_sex = None
        self.holder = None
        if len(number) == 18:
            try:
                facts = idnumber.validate(number, today=self.today)
            except DomainError:
                pass
            else:
                self._derived_birth, self._derived_sex = facts.birth_date, facts.sex
                self._find_holder(facts.number)
                self._guess_relation()
        self._show_derived()
        self._revalidate()

    def _find_holder(self, number: str) -> None:
        holder = self.lookup_holder(number)
        if holder is None:
            self.holder, self.moving_in = None, False
        elif holder.person_id == self.person_id:
            # the line's own person: already in this household, or being moved in
            self.holder = holder if self.moving_in else None
        else:
            self.holder, self.moving_in = holder, False

    def _guess_relation(self) -> None:
        if self.relation_touched or self.relation_value() is Relation.HEAD:
            return
        head_birth, head_sex = self.head_facts()
        self.set_relation(relation_guess(self._derived_birth, self._derived_sex, head_birth, head_sex))

    def _move_in(self) -> None:
        holder = self.holder
        self.moving_in = True
        self.person_id = holder.person_id
        self.revision = None
        if not self.name.text().strip():
            self.name.setText(holder.name)
        self._revalidate()

    def _show_derived(self) -> None:
        derived = self._derived_birth is not None
        self.sex.setEnabled(not derived)
        self.birth.setEnabled(not derived)
        if derived:
            self.sex.setCurrentIndex(self.sex.findData(self._derived_sex))
            self.birth.setText(self._derived_birth.isoformat())

    def _revalidate(self) -> None:
        self.hint = ""
        errors: dict[str, str] = {}
        language = current()
        if not self.is_blank():
            if not self.name.text().strip():
                errors["name"] = DomainError("missing_field", {"field_zh": "姓名", "field_en": "name"}).message(language)
            number = idnumber.normalise(self.id_number.text())
            if number:
                if len(number) < 18 and self.id_number.hasFocus() and "id_number" not in self.insisted:
                    errors["id_number"] = self.tr("还差 {0} 位").format(18 - len(number))
                else:
                    try:
                        idnumber.validate(number, today=self.today)
                    except DomainError as error:
                        errors["id_number"] = error.message(language)
            else:
                try:
                    birth = parse_date(self.birth.text())
                    if birth > self.today:
                        errors["birth"] = DomainError("bad_date", {"value": self.birth.text()}).message(language)
                except DomainError:
                    errors["birth"] = DomainError("missing_field", {"field_zh": "身份证号或出生日期",
                                                                    "field_en": "ID number or birth date"}
                                                  ).message(language)
            if self.phone.text().strip():
                try:
                    phone.validate(self.phone.text())
                except DomainError as error:
                    errors["phone"] = error.message(language)
        self.errors = errors
        self.insisted &= set(errors)  # a fixed field no longer insists
        birth, _sex = self.birth_and_sex()
        self.age.setText(self.tr("{0}岁").format(completed_years(birth, self.today)) if birth else "")
        self._show_message()
        self.changed.emit()

    def _show_message(self) -> None:
        parts: list[str] = []
        style = ERROR_STYLE
        show_buttons = self.blocking_holder()
        if show_buttons:
            # Who already holds the number matters more than a still-empty name: moving them in fills it.
            parts.append(self.tr("此身份证号已登记在{0}（{1}，{2}）。请打开该户核对，或把此人迁入本户。").format(
                self.holder.division_name, self.holder.name, idnumber.mask(self.holder.id_number or "")))
            parts += [message for key, message in self.errors.items() if key != "name"]
        else:
            parts += list(self.errors.values())
            if not parts and self.moving_in and self.holder is not None:
                parts.append(self.tr("保存时将从{0}迁入本户。").format(self.holder.division_name))
                style = NOTE_STYLE
        if self.hint:
            parts.append(self.hint)
            style = ERROR_STYLE
        text = "；".join(parts)
        style = style if text else ""
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))
        self.open_button.setVisible(show_buttons)
        self.move_button.setVisible(show_buttons)
        box = getattr(self, "button_box", None)  # set by the editor once the line is laid out
        if box is not None:
            box.setVisible(show_buttons)
        for key, widget in (("name", self.name), ("id_number", self.id_number), ("phone", self.phone),
                            ("birth", self.birth)):
            widget.setStyleSheet("border: 1px solid #b00020;" if key in self.errors else "")
