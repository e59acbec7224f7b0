"""What this office holds and what a partner has acknowledged: version vectors, peers, blocks."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpdesk.core.errors import DomainError
from fpdesk.services.entities import DOWN, UP
from fpdesk.storage.schema import ChangeEntry
from fpdesk.storage.schema_sync import SyncBlock, SyncPeer


def vector(session: Session) -> dict[str, int]:
    """origin device -> highest sequence applied here (held changes are not in the log)."""
    return {device: int(last) for device, last in session.execute(
        select(ChangeEntry.origin_device, func.max(ChangeEntry.origin_seq)).group_by(ChangeEntry.origin_device))}


def peer(session: Session, office_code: str) -> SyncPeer:
    row = session.get(SyncPeer, office_code)
    if row is None:
        raise DomainError("peer_unknown", {"code": office_code})
    return row


def direction_to(peer_row: SyncPeer) -> str:
    return UP if peer_row.relation == "parent" else DOWN


def direction_from(peer_row: SyncPeer) -> str:
    """Packages from the parent come down; from a child, up."""
    return DOWN if peer_row.relation == "parent" else UP


def relay_ranges(session: Session, origin: str, direction: str, after: int, last: int) -> list[SyncBlock]:
    """Stored origin blocks that together cover ``after+1 .. last``: a relay can only forward runs
    of another device's changes exactly as that device signed them."""
    blocks = session.scalars(select(SyncBlock).where(SyncBlock.origin_device == origin,
                                                     SyncBlock.direction == direction)
                             .order_by(SyncBlock.from_seq, SyncBlock.to_seq.desc())).all()
    chosen: list[SyncBlock] = []
    current = after + 1
    while current <= last:
        covering = [b for b in blocks if b.from_seq <= current <= b.to_seq]
        if covering:
            best = max(covering, key=lambda b: b.to_seq)
        else:
            later = [b for b in blocks if b.from_seq > current]
            if not later:
                break
            best = min(later, key=lambda b: b.from_seq)
        if chosen and best.from_seq <= chosen[-1].to_seq:
            break  # overlapping runs cannot both be sent
        applied_here = session.scalar(select(func.count()).select_from(ChangeEntry).where(
            ChangeEntry.origin_device == origin, ChangeEntry.origin_seq.between(best.from_seq, best.to_seq)))
        if applied_here != best.count:
            break  # some of its changes are held here: relaying it would not match its signature
        chosen.append(best)
        current = best.to_seq + 1
    return chosen
