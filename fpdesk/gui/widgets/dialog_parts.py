"""Parts the small dialogs share: a refusal's text in the interface language, the red line that
shows it, and a read-only table of plain text rows.

They hold no strings of their own: callers pass headers already translated in their own context,
so lupdate keeps finding every text where the dialog says it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QTableWidget, QTableWidgetItem, QWidget

from fpdesk.core.errors import DomainError
from fpdesk.core.language import current

ERROR_STYLE = "color: #b00020;"
DONE_STYLE = "color: #1b5e20; font-weight: bold;"  # a job that went through: green, read at a glance


def compact_combo(combo: QComboBox, characters: int = 6) -> QComboBox:
    """A filter's drop-down as narrow as a short name, not as wide as its longest item, so a row of
    filters fits a 1366-pixel laptop in English and at large text; the open list shows items whole."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    return combo


# The longest values of kinds every screen shows, for making room for them at any text size.
ID_SAMPLE = "35042119810305005X"
DATE_SAMPLE = "2026-11-22"
PHONE_SAMPLE = "0598-28123456"


def room_for(widget: QWidget, *samples: str, padding: int = 16) -> int:
    """Pixels that show the widest of ``samples`` whole in ``widget``'s font (with its style sheet)."""
    widget.ensurePolished()
    metrics = widget.fontMetrics()
    return max(metrics.horizontalAdvance(sample) for sample in samples) + padding


def error_text(error: BaseException) -> str:
    """A refusal in the interface's language; anything else (a bug, a lost file) by its type and text.
    The log gets the refusal's code, never its text (which may name a person)."""
    if isinstance(error, DomainError):
        logging.getLogger(__name__).info("refusal shown: %s", error.code)
        return error.message(current())
    return f"{type(error).__name__}: {error}"


def error_label() -> QLabel:
    """An empty red line that wraps; a dialog sets ``error_text`` on it when a service refuses."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def read_only_table(headers: Sequence[str], *, rows: int = 0, whole_rows: bool = True) -> QTableWidget:
    """A table people read and pick from, never type into; ``whole_rows`` selects a row at a time
    (the dialog acts on the chosen row's record)."""
    table = QTableWidget(rows, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    if whole_rows:
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Iterable[Sequence[str]]) -> None:
    """Replace the table's rows with these texts and fit the columns to them."""
    rows = list(rows)
    table.setRowCount(len(rows))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            table.setItem(row, column, QTableWidgetItem(text))
    table.resizeColumnsToContents()
