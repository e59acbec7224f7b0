"""Window sizes that fit the laptops offices have: 1366×768, with Windows's taskbar and title bars.

A window opens at its wanted size or at the largest that still shows whole on such a laptop,
whichever is smaller, and never larger than the screen it is on. The main window used to open
1180×760: with its title bar 790 pixels, so under a 768-pixel screen its status bar was cut off;
the print preview opened 900×1000 with its buttons below the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

LAPTOP = QSize(1366, 768)
TASKBAR = 40  # Windows 10 and 11 at 100 % scaling
# Windows 10's frame around a window's client area at 100 %: 31-pixel title bar, borders with their
# invisible resize margins (8 px left, right and bottom).
FRAME = QMargins(8, 31, 8, 8)


def largest_client_size(widget: QWidget | None = None) -> QSize:
    """The largest client area whose window, title bar and borders included, fits both a 1366×768
    laptop above its taskbar and the screen ``widget`` is on."""
    width = LAPTOP.width() - FRAME.left() - FRAME.right()
    height = LAPTOP.height() - TASKBAR - FRAME.top() - FRAME.bottom()
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, available.width() - FRAME.left() - FRAME.right())
        height = min(height, available.height() - FRAME.top() - FRAME.bottom())
    return QSize(width, height)


def fit_window(widget: QWidget, width: int, height: int) -> QSize:
    """Resize ``widget`` (a top-level window) to ``width``×``height`` or as much of it as fits."""
    largest = largest_client_size(widget)
    size = QSize(min(width, largest.width()), min(height, largest.height()))
    widget.resize(size)
    return size


def keep_on_screen(widget: QWidget) -> None:
    """A remembered size from a larger screen (or an older version's 1180×760) shrunk to fit this one."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None or widget.isMaximized():
        return
    available = screen.availableGeometry()
    width = min(widget.width(), available.width() - FRAME.left() - FRAME.right())
    height = min(widget.height(), available.height() - FRAME.top() - FRAME.bottom())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    frame = widget.frameGeometry()
    if not available.contains(frame):
        widget.move(max(available.left(), min(frame.left(), available.right() - frame.width())),
                    max(available.top(), min(frame.top(), available.bottom() - frame.height())))
