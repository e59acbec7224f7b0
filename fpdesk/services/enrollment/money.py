"""What each payer owes of an enrollment, what has been received, and what follows when it is.

An enrollment's premium is owed by its contributions (storage/schema_money.py): the family's is
settled by cash receipts, the government's or an employer's by allocations. Once every contribution
is covered the premium is *received*: ``received_on`` is that day, a registered enrollment becomes
paid, and a product whose cover runs from the day after payment (S1 "交纳保险费…的次日零时起生效")
gets its period — continuing the previous cover where this is a renewal. Voiding the money that
covered it undoes this (the period stays once the insurer has issued the policy).

Enrollments written before contributions existed have no rows: their one contribution is read as the
whole premium owed by the enrollment's payer, with the id the row gets when money is first recorded
against it (``contribution_id``), so every office derives the same row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpdesk.core import enrollment_states as states
from fpdesk.core.ids import new_id
from fpdesk.core.money import split_by_weights
from fpdesk.core.product_terms import level_order
from fpdesk.core.products import Product
from fpdesk.core.rules_calendar import policy_period
from fpdesk.core.vocabulary import PayerType
from fpdesk.services.records import apply_changes
from fpdesk.services.workspace import WriteContext
from fpdesk.storage.schema_enrollment import Enrollment, Payment
from fpdesk.storage.schema_money import Allocation, AllocationItem, Contribution, Refund

_NAMESPACE = uuid.UUID("6f1d3c2e-9b7a-5c43-8e21-0a5b6c7d8e9f")

PAYER_SETTLEMENT = {PayerType.SELF.value: "cash", PayerType.GOVERNMENT.value: "allocation",
                    PayerType.EMPLOYER.value: "allocation"}


def contribution_id(enrollment_id: uuid.UUID, payer_level: str) -> uuid.UUID:
    """The id of an enrollment's contribution of ``payer_level``: the same at every office.

    ``uuid.uuid5(_NAMESPACE, f"contribution:{enrollment_id}:{payer_level}")``, made without hashing
    the namespace again and without UUID's checks of arguments it is given by construction (a
    roster's writing makes one per enrollment); tests/services/test_money.py compares the two."""
    digest = _NAMESPACE_SHA1.copy()
    digest.update(f"contribution:{enrollment_id}:{payer_level}".encode())
    value = int.from_bytes(digest.digest()[:16], "big") & _UUID5_CLEARED | _UUID5_SET
    made = object.__new__(uuid.UUID)
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", uuid.SafeUUID.unknown)
    return made


_NAMESPACE_SHA1 = hashlib.sha1(_NAMESPACE.bytes, usedforsecurity=False)
# RFC 4122's variant (10) and version 5 in place of the digest's bits there, as uuid.UUID(bytes=…, version=5) sets them
_UUID5_CLEARED = ~((0xC000 << 48) | (0xF000 << 64))
_UUID5_SET = (0x8000 << 48) | (5 << 76)


@dataclass(frozen=True)
class Owed:
    """One contribution with what has been settled of it."""

    id: uuid.UUID
    payer_type: str
    payer_level: str
    amount_fen: int
    settled_fen: int = 0  # paid or allocated, less what was given back
    stored: bool = True

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.settled_fen

    def settled_by(self, amount_fen: int) -> Owed:
        """This contribution once ``amount_fen`` more is paid or allocated against it."""
        return replace(self, settled_fen=self.settled_fen + amount_fen, stored=True)


def contributions(session: Session, rows: Sequence[Enrollment]) -> dict[uuid.UUID, list[Owed]]:
    """Each enrollment's contributions (stored, or the one its premium implies) with their settlement."""
    ids = [r.id for r in rows]
    stored: dict[uuid.UUID, list[Contribution]] = defaultdict(list)
    settled: dict[uuid.UUID, int] = defaultdict(int)
    cash: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for c in session.scalars(select(Contribution).where(Contribution.enrollment_id.in_(chunk))):
            stored[c.enrollment_id].append(c)
        for contribution, amount in session.execute(
                select(AllocationItem.contribution_id, func.sum(AllocationItem.amount_fen))
                .join(Allocation, Allocation.id == AllocationItem.allocation_id)
                .where(AllocationItem.enrollment_id.in_(chunk), Allocation.voided.is_(False))
                .group_by(AllocationItem.contribution_id)):
            settled[contribution] += int(amount or 0)
        for contribution, amount in session.execute(
                select(Refund.contribution_id, func.sum(Refund.amount_fen))
                .where(Refund.enrollment_id.in_(chunk)).group_by(Refund.contribution_id)):
            settled[contribution] -= int(amount or 0)
        for enrollment, payer, amount in session.execute(
                select(Payment.enrollment_id, Payment.payer, func.sum(Payment.amount_fen))
                .where(Payment.enrollment_id.in_(chunk), Payment.voided.is_(False))
                .group_by(Payment.enrollment_id, Payment.payer)):
            cash[(enrollment, payer)] += int(amount or 0)
    result: dict[uuid.UUID, list[Owed]] = {}
    for row in rows:
        found = stored.get(row.id)
        owed = ([(c.id, c.payer_type, c.payer_level, c.amount_fen, True) for c in found] if found else
                [(contribution_id(row.id, row.payer_type), row.payer_type, row.payer_type, row.premium_fen, False)])
        result[row.id] = [Owed(cid, payer, level, amount, settled.get(cid, 0) + cash.get((row.id, payer), 0), kept)
                          for cid, payer, level, amount, kept in owed]
    return result


def owed_of(session: Session, row: Enrollment) -> list[Owed]:
    return contributions(session, [row])[row.id]


def cash_contribution(session: Session, row: Enrollment) -> Owed | None:
    """The family's contribution (settled by receipts), or None when the family owes nothing."""
    return next((c for c in owed_of(session, row) if c.payer_type == PayerType.SELF.value), None)


def ensure_contribution(ctx: WriteContext, row: Enrollment, owed: Owed) -> uuid.UUID:
    """Store the contribution an older enrollment only implies, before money is recorded against it."""
    if not owed.stored:
        values = {"enrollment_id": row.id, "payer_type": owed.payer_type, "payer_level": owed.payer_level,
                  "amount_fen": owed.amount_fen}
        ctx.session.add(Contribution(id=owed.id, revision=1, **values))
        ctx.recorder.record("contribution", owed.id, "insert", values, 1)
        ctx.session.flush()
    return owed.id


def contribution_rows(enrollment_id: uuid.UUID, payer: str, premium_fen: int) -> list[dict]:
    """The contribution rows a new enrollment is written with: its payer owes the whole premium."""
    return [{"id": contribution_id(enrollment_id, payer), "enrollment_id": enrollment_id, "payer_type": payer,
             "payer_level": payer, "amount_fen": premium_fen}]


def settled_as(level: str) -> tuple[str, str]:
    """(payer type, payer level) of a product's contribution level (fpdesk.core.product_terms): the
    family's in cash (``self``), an employer's and every public level's by allocation; the
    insurer's discount is settled like public money, by the insurer's written notice as voucher."""
    if level == "family":
        return PayerType.SELF.value, PayerType.SELF.value
    if level == PayerType.EMPLOYER.value:
        return level, level
    return PayerType.GOVERNMENT.value, level


def shared_contribution_rows(enrollment_id: uuid.UUID, parts: Sequence[tuple[str, int]]) -> list[dict]:
    """The rows of a premium shared between levels (the rules engine's ``contributions``): one per
    level that pays something; a premium of nothing keeps its one row."""
    paying = [(level, amount) for level, amount in parts if amount] or list(parts[:1])
    rows = []
    for level, amount in paying:
        payer_type, payer_level = settled_as(level)
        rows.append({"id": contribution_id(enrollment_id, payer_level), "enrollment_id": enrollment_id,
                     "payer_type": payer_type, "payer_level": payer_level, "amount_fen": amount})
    return rows


def change_contribution(ctx: WriteContext, row: Enrollment, delta_fen: int) -> None:
    """Add ``delta_fen`` (negative: less) to what the enrollment's payer owes, and to its premium."""
    owed = owed_of(ctx.session, row)[0]
    cid = ensure_contribution(ctx, row, owed)
    contribution = ctx.session.get(Contribution, cid, with_for_update=True)
    apply_changes(ctx, "contribution", contribution, {"amount_fen": contribution.amount_fen + delta_fen})
    apply_changes(ctx, "enrollment", row, {"premium_fen": row.premium_fen + delta_fen})


def take_off(ctx: WriteContext, row: Enrollment, credit_fen: int) -> None:
    """Lower the premium by ``credit_fen`` (a person's days left, or a person never covered), each
    payer's contribution by its part of what the enrollment owes: a level that pays 40 % of the
    premium has 40 % of the credit taken off its share, not the first payer all of it."""
    owed = in_level_order(owed_of(ctx.session, row))
    weights = [max(c.amount_fen, 0) for c in owed]
    parts = split_by_weights(credit_fen, weights) if sum(weights) else [credit_fen] + [0] * (len(owed) - 1)
    for contribution, part in zip(owed, parts, strict=True):
        if not part:
            continue
        stored = ctx.session.get(Contribution, ensure_contribution(ctx, row, contribution), with_for_update=True)
        apply_changes(ctx, "contribution", stored, {"amount_fen": stored.amount_fen - part})
    apply_changes(ctx, "enrollment", row, {"premium_fen": row.premium_fen - credit_fen})


def refund_by_what_each_paid(ctx: WriteContext, row: Enrollment, amount_fen: int, *, on: dt.date,
                             reason: str) -> int:
    """Give ``amount_fen`` of what was received back to the payers in proportion to what each paid:
    the family's part to the family, each level's allocation to that level (all of it: each gets
    its own back). Returns the fen given back."""
    paid = [c for c in in_level_order(owed_of(ctx.session, row)) if c.settled_fen > 0]
    parts = split_by_weights(amount_fen, [c.settled_fen for c in paid])
    for contribution, part in zip(paid, parts, strict=True):
        if part:
            refund_contribution(ctx, row, contribution, part, on=on, reason=reason)
    return sum(parts)


def in_level_order(owed: Iterable[Owed]) -> list[Owed]:
    """Province first, the family last (the order the papers list the levels in)."""
    return sorted(owed, key=lambda c: level_order(c.payer_level))


def add_shared(ctx: WriteContext, row: Enrollment, parts: Sequence[tuple[str, int]]) -> None:
    """Add a person's premium shared between levels (the rules engine's ``contributions`` for them) to
    each level's contribution of the enrollment, and their total to its premium."""
    current = {c.payer_level: c for c in owed_of(ctx.session, row)}
    for level, amount in parts:
        if not amount:
            continue
        payer_type, payer_level = settled_as(level)
        known = current.get(payer_level)
        if known is None:
            known = Owed(contribution_id(row.id, payer_level), payer_type, payer_level, 0, stored=False)
        cid = ensure_contribution(ctx, row, known)
        contribution = ctx.session.get(Contribution, cid, with_for_update=True)
        apply_changes(ctx, "contribution", contribution, {"amount_fen": contribution.amount_fen + amount})
    apply_changes(ctx, "enrollment", row, {"premium_fen": row.premium_fen + sum(a for _level, a in parts)})


def is_covered(owed: Iterable[Owed]) -> bool:
    return all(c.outstanding_fen <= 0 for c in owed)


def previous_cover_end(session: Session, row: Enrollment) -> dt.date | None:
    if row.renews_id is None:
        return None
    return session.scalar(select(Enrollment.period_end).where(Enrollment.id == row.renews_id))


def settle(ctx: WriteContext, row: Enrollment, product: Product, on: dt.date,
           owed: Iterable[Owed] | None = None) -> None:
    """Bring ``received_on``, the period and the status in line with the money recorded so far
    (``on``: the day of the money event just recorded; ``owed``: the contributions as they stand now,
    when the caller knows them — a bulk job saves reading them again)."""
    if owed is None:
        ctx.session.flush()
        owed = owed_of(ctx.session, row)
    covered = is_covered(owed)
    values: dict = {}
    if covered and row.received_on is None:
        values["received_on"] = on
        if product.period.dated_on_payment and row.issued_on is None:
            period = policy_period(product, on, row.policy_year, previous_cover_end(ctx.session, row))
            values.update(period_start=period.start, period_end=period.end)
        if row.status == states.REGISTERED:
            values.update(status=states.PAID, status_on=on, status_reason="")
    elif not covered and row.received_on is not None and row.status in states.ACTIVE:
        values["received_on"] = None
        if product.period.dated_on_payment and row.issued_on is None:
            values.update(period_start=None, period_end=None)
        if row.status == states.PAID:
            values.update(status=states.REGISTERED, status_on=on)
    if values:
        apply_changes(ctx, "enrollment", row, values)


def refund_contribution(ctx: WriteContext, row: Enrollment, owed: Owed, amount_fen: int, *, on: dt.date,
                        reason: str, handled_by: str | None = None) -> uuid.UUID:
    """Give ``amount_fen`` of one contribution back: cash to the family, or to the payer that allocated it."""
    cid = ensure_contribution(ctx, row, owed)
    refund_id = new_id()
    values = {"enrollment_id": row.id, "contribution_id": cid, "payer_type": owed.payer_type,
              "amount_fen": amount_fen, "refunded_on": on, "reason": reason,
              "handled_by": handled_by or ctx.recorder.author}
    ctx.session.add(Refund(id=refund_id, revision=1, **values))
    ctx.recorder.record("refund", refund_id, "insert", values, 1)
    return refund_id
