"""The status bar's 'last exchanged' per partner office (light: no widgets, no crypto at start-up)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from fpdesk.services.sync import status

NONE_YET = QT_TRANSLATE_NOOP("MainWindow", "最近交换：尚无")
LAST = QT_TRANSLATE_NOOP("MainWindow", "最近交换：{0}")


def status_text(workspace, tr) -> str:
    """``tr`` is the main window's: these strings live in its translation context."""
    partners = [p for p in status.last_exchanged(workspace) if p.last]
    if not partners:
        return tr(NONE_YET)
    return tr(LAST).format("；".join(f"{p.office_code} {p.last}" for p in partners[:3]))
