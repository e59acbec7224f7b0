"""The main window's screens, scrolling up and down when the one shown is taller than the window.

A 1366×768 laptop leaves the screens about 620 pixels; the enrollment screen at the largest text needs
more. The window used to grow to the tallest screen's height, past the bottom of the screen (its status
bar cut off). Now the window keeps its size and a screen that needs more height scrolls: only that
screen, only up and down, and only as much as its layout's minimum needs (QScrollArea's own resizing
asks for the preferred height of every word-wrapped label, and scrolled screens that fit).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget


class PageArea(QScrollArea):
    def __init__(self, stack: QStackedWidget) -> None:
        super().__init__()
        self.stack = stack
        self._fitting = False
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(False)  # sized here, by the shown screen's minimum
        self.setWidget(stack)
        stack.currentChanged.connect(lambda _index: self.refit())
        stack.installEventFilter(self)

    def _needed(self) -> QSize:
        current = self.stack.currentWidget()
        height = current.minimumSizeHint().height() if current is not None else 0
        return QSize(self.stack.minimumSizeHint().width(), height)

    def refit(self) -> None:
        if self._fitting:
            return
        self._fitting = True
        try:
            needed = self._needed()
            height = self.height() - 2 * self.frameWidth()
            if needed.height() > height:
                width = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
            else:
                width = self.width() - 2 * self.frameWidth()
            self.stack.resize(max(width, needed.width()), max(height, needed.height()))
        finally:
            self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.stack and event.type() == QEvent.Type.LayoutRequest:
            self.refit()
        return False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.refit()

    def minimumSizeHint(self) -> QSize:
        """As wide as the widest screen (plus a scroll bar), never sideways scrolling; any height."""
        width = self.stack.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(width, super().minimumSizeHint().height())
