"""The status bar's 'last exchanged' per partner office (light: no Qt widgets, no crypto at start-up)."""

from __future__ import annotations

from fpdesk.services.sync import status


def status_text(workspace, tr) -> str:
    partners = [p for p in status.last_exchanged(workspace) if p.last]
    if not partners:
        return tr("最近交换：尚无")
    return tr("最近交换：") + "；".join(f"{p.office_code} {p.last}" for p in partners[:3])
