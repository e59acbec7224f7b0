"""Helpers shared by the GUI tests (imported by name: the tests folders are not packages)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

TODAY = dt.date(2026, 11, 22)


def type_chinese(widget, text: str) -> None:
    """Deliver text the way an input method commits it (keyClicks aborts on non-Latin text)."""
    assert widget is not None, "no widget to type into"
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def settle(qtbot, timeout: int = 60_000) -> None:
    """Wait until every background operation has reported (saves, enrollments, prints run off the GUI
    thread; one may start the next from its success, as an enrollment starts its papers)."""
    from fpdesk.gui.ops import BackgroundOp

    qtbot.waitUntil(lambda: not BackgroundOp.running, timeout=timeout)
