"""The status bar's 'last exchanged' per partner office (light: no widgets, no crypto at start-up)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

NONE_YET = QT_TRANSLATE_NOOP("MainWindow", "最近交换：尚无")
LAST = QT_TRANSLATE_NOOP("MainWindow", "最近交换：{0}")


def status_text(workspace, tr) -> str:
    """``tr`` is the main window's: these strings live in its translation context."""
    from fpdesk.services.sync import status

    return exchanges_text([(p.office_code, p.last) for p in status.last_exchanged(workspace)], tr)


def exchanges_text(exchanges: list[tuple[str, str | None]], tr) -> str:
    """``exchanges``: (partner office code, its last exchange or None), in the status bar's order."""
    partners = [(code, last) for code, last in exchanges if last]
    if not partners:
        return tr(NONE_YET)
    return tr(LAST).format("；".join(f"{code} {last}" for code, last in partners[:3]))
