"""A drop-down that never takes typed digits as a choice.

A clerk typing a phone number into what she thinks is the phone field must not pick relations with
its digits: a QComboBox chooses the item whose text starts with the typed character, and the
household editor used to map 1–9 to the first nine relations, so "13905981234" saved a spouse as
婆婆/岳母. Here digits (and other text that is not a letter) are refused and said so through
``refused``; arrows, Home/End, Page keys, F4/Alt+↓ and the mouse choose.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QComboBox


class ChoiceCombo(QComboBox):
    refused = Signal(str)  # the text that was typed and not taken as a choice

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.view().installEventFilter(self)  # the open list searches typed text as well

    @staticmethod
    def _typed_digits(event) -> bool:
        text = event.text()
        return bool(text) and any(ch.isdigit() for ch in text)

    def keyPressEvent(self, event) -> None:
        if self._typed_digits(event):
            self.refused.emit(event.text())
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and self._typed_digits(event):
            self.refused.emit(event.text())
            return True
        return super().eventFilter(watched, event)
