"""The roster wizard's whole-file answers: every form question the sheet has no column for, all at
once, each with a "全部填为…" choice (fpdesk.services.rosters.questions says which questions they are).

A question whose blank has a meaning in the trade (身故受益人: 法定) shows that meaning already
chosen; the others wait for the clerk, and the wizard's check waits for them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from fpdesk.core.language import pick
from fpdesk.services.rosters.questions import Question


class FormQuestions(QGroupBox):
    """Attributes: questions (as last set); combos (field key -> its drop-down)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("文件中没有的登记表项目：请为每一项选择“全部填为…”"))
        self.questions: list[Question] = []
        self.combos: dict[str, QComboBox] = {}
        self.kept: dict[str, str] = {}
        self.note = QLabel(self.tr("这些项目对本文件的每一行都一样。也可以在上面的表格中把文件里的某一列对应到这个项目。"))
        self.note.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        self.hide()

    def set_questions(self, questions: list[Question], remembered: dict[str, str]) -> None:
        """Show ``questions`` (keeping what was already chosen for the same ones, else what was
        remembered for this layout)."""
        self.kept.update(self.answers())  # a question mapped away and back keeps its answer
        chosen = {**remembered, **self.kept}
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        self.questions = list(questions)
        for question in questions:
            combo = QComboBox()
            if not question.choices:
                combo.setEditable(True)  # a text question: the clerk types the one value for all rows
                combo.lineEdit().setPlaceholderText(self.tr("全部填为…"))
            elif question.blank_means is None:
                combo.addItem(self.tr("全部填为…（请选择）"), None)
            for value, label_zh, label_en in question.choices:
                combo.addItem(self.tr("全部填为“{0}”").format(pick(label_zh, label_en)), value)
            answer = chosen.get(question.key, question.blank_means)
            if answer is not None:
                if question.choices:  # a value (statutory) or its label as the CLI's --set gave it (法定)
                    value = next((c[0] for c in question.choices if str(answer) in c), None)
                    combo.setCurrentIndex(max(combo.findData(value), 0))
                else:
                    combo.setEditText(str(answer))
            combo.setMinimumContentsLength(12)  # room for a typed answer; a choice shows whole
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.changed)
            if combo.isEditable():
                combo.editTextChanged.connect(self.changed)
            label = pick(question.label_zh, question.label_en)
            if question.blank_means is not None:
                shown = next((pick(c[1], c[2]) for c in question.choices if c[0] == question.blank_means),
                             question.blank_means)
                label = self.tr("{0}（不填即为{1}）").format(label, shown)
            self.form.addRow(label, combo)
            self.combos[question.key] = combo
        self.setVisible(bool(questions))
        self.changed.emit()

    def reset(self) -> None:
        """Another file: nothing chosen yet but what its layout remembers."""
        self.combos, self.kept = {}, {}

    def answers(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for key, combo in self.combos.items():
            value = combo.currentText().strip() if combo.isEditable() else combo.currentData()
            if value:
                result[key] = str(value)
        return result

    def unanswered(self) -> list[Question]:
        answered = self.answers()
        return [q for q in self.questions if q.needs_answer and q.key not in answered]

    def choose(self, key: str, value: str) -> None:
        combo = self.combos[key]
        if combo.isEditable():
            combo.setEditText(value)
        else:
            combo.setCurrentIndex(combo.findData(value))
