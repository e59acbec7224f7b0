"""One renderer for every product's enrollment form in forms/enrollment/*.yaml.

Each field becomes the widget its type calls for, is checked with the same ``check_value`` the
roster import and the services use, and shows its reason beside it. No per-product screen code.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from fpdesk.core.enrollment_forms import EnrollmentForm, FormField, check_value
from fpdesk.core.errors import DomainError
from fpdesk.core.language import current, english, pick
from fpdesk.gui.widgets.dialog_parts import ERROR_STYLE


class FormRenderer(QWidget):
    """Attributes:
    form: the definition being shown (None: the product asks nothing extra).
    editors: field key -> its input widget.
    """

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.form: EnrollmentForm | None = None
        self.fields: list[FormField] = []
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self._channel = "village"
        self.layout_ = QFormLayout(self)

    def set_form(self, form: EnrollmentForm | None, channel: str = "village") -> None:
        while self.layout_.rowCount():
            self.layout_.removeRow(0)
        self.editors.clear()
        self.messages.clear()
        self.form, self._channel = form, channel
        self.fields = [f for f in (form.fields if form else ()) if channel in f.channels]
        for field in self.fields:
            editor = self._editor_for(field)
            message = QLabel()
            message.setStyleSheet(ERROR_STYLE)
            message.hide()
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(editor, 1)
            line.addWidget(message, 1)
            label = pick(field.label_zh, field.label_en) + ("" if not field.required else " *")
            self.layout_.addRow(label, row)
            if field.help_zh and not english():
                editor.setToolTip(field.help_zh)
            self.editors[field.key], self.messages[field.key] = editor, message
        self.validate()

    def _editor_for(self, field: FormField) -> QWidget:
        if field.type == "bool":
            editor = QCheckBox(self.tr("是"))
            editor.toggled.connect(self.validate)
            return editor
        if field.type == "choice":
            editor = QComboBox()
            if not field.required:
                editor.addItem("", None)
            for choice in field.validation.choices:
                editor.addItem(pick(choice.label_zh, choice.label_en), choice.value)
            editor.currentIndexChanged.connect(self.validate)
            return editor
        editor = QLineEdit()
        if field.type == "date":
            editor.setPlaceholderText(self.tr("如 2026-03-17"))
        editor.textChanged.connect(self.validate)
        return editor

    def _raw(self, field: FormField) -> Any:
        editor = self.editors[field.key]
        if isinstance(editor, QCheckBox):
            return editor.isChecked() if editor.isChecked() or not field.required else None
        if isinstance(editor, QComboBox):
            return editor.currentData()
        return editor.text()

    def validate(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        for field in self.fields:
            try:
                check_value(field, self._raw(field))
            except DomainError as error:
                problems[field.key] = error.message(current())
            message = self.messages[field.key]
            message.setText(problems.get(field.key, ""))
            message.setVisible(field.key in problems)
        self.problems = problems
        self.changed.emit()
        return problems

    def clear(self) -> None:
        """Every answer back to unanswered: a household answers for itself (a declaration ticked for
        the last one enrolled the next, which never declared)."""
        self.set_form(self.form, self._channel)

    def values(self) -> dict[str, Any]:
        """The raw answers, for the service to check once more and store."""
        return {f.key: self._raw(f) for f in self.fields if self._raw(f) not in (None, "")}
