"""Light queries for the window's status bar and the exchange screen (no crypto imports: start-up)."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema_sync import SyncPeer


@dataclass(frozen=True)
class PartnerExchange:
    office_code: str
    relation: str
    last_exported_at: str | None
    last_imported_at: str | None

    @property
    def last(self) -> str | None:
        times = [t for t in (self.last_exported_at, self.last_imported_at) if t]
        return max(times) if times else None


def last_exchanged(workspace: Workspace) -> list[PartnerExchange]:
    if workspace.office is None:
        return []
    peer = SyncPeer.__table__.c  # the table's columns: the status bar reads them at start, before any mapper is needed
    with workspace.read() as session:
        return [PartnerExchange(p.office_code, p.relation,
                                p.last_exported_at.strftime("%Y-%m-%d %H:%M") if p.last_exported_at else None,
                                p.last_imported_at.strftime("%Y-%m-%d %H:%M") if p.last_imported_at else None)
                for p in session.execute(select(peer.office_code, peer.relation, peer.last_exported_at,
                                                peer.last_imported_at).order_by(peer.relation.desc(), peer.office_code))]


def removable_folders(mounted: list[tuple[str, str]] | None = None) -> list[Path]:
    """Mount points that look like USB sticks: /media, /run/media, /mnt on Linux, /Volumes on macOS,
    any drive but the system drive on Windows. ``mounted`` is (root path, device) from the GUI's
    QStorageInfo; the operating system offers no portable 'removable' flag."""
    found = []
    system = platform.system()
    for root, _device in mounted or []:
        path = Path(root)
        if system == "Windows":
            if not str(path).upper().startswith("C:"):
                found.append(path)
        elif system == "Darwin":
            if str(path).startswith("/Volumes/"):
                found.append(path)
        elif str(path).startswith(("/media/", "/run/media/", "/mnt/")):
            found.append(path)
    return found
