"""Payments, receipts and the status of an enrollment: paid, handed up, confirmed, cancelled, refunded.

Receipt numbers come from the gap-free counter (fpdesk.storage.sequences) of this office and the
payment's year, inside the writing transaction: a failed job gives its number back, a voided
receipt keeps its number and its row. A receipt is for the family's own premium only (no fees
riding on the premium: docs/rules.md#voluntary), so a payment must equal what the family still owes; money of the
government or an employer is an allocation (services/enrollment/allocations.py), never a receipt in the
family's name. Status changes follow fpdesk.core.enrollment_states; each one is a change-log
entry with its reason. Rosters handed up and confirmed in one action: services/enrollment/hand_up.py.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fpdesk.core import enrollment_states as states
from fpdesk.core import idnumber
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.money import format_fen
from fpdesk.core.vocabulary import PayerType
from fpdesk.services.enrollment import money
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.permissions import require
from fpdesk.services.records import apply_changes
from fpdesk.services.workspace import Workspace, WriteContext, retry_conflicts
from fpdesk.storage.schema import Household, Person
from fpdesk.storage.schema_enrollment import Enrollment, HandUp, InsuredPerson, Payment
from fpdesk.storage.schema_money import Allocation, AllocationItem, Refund
from fpdesk.storage.sequences import format_number, next_number

RECEIPT_SERIES = "receipt"


# -- finding -----------------------------------------------------------------------------------------


def find_enrollment_id(session: Session, ref: str | uuid.UUID, *, product: str | None = None,
                       year: int | None = None) -> uuid.UUID:
    """An enrollment by its id, a receipt number, or the ID number of an insured person or the head.

    With an ID number, ``product`` and ``year`` narrow the choice; active enrollments win over
    cancelled and refunded ones.
    """
    text = str(ref).strip()
    try:
        enrollment_id = uuid.UUID(text)
    except ValueError:
        enrollment_id = None
    if enrollment_id is not None:
        if session.get(Enrollment, enrollment_id) is None:
            raise DomainError("enrollment_not_found", {"value": text})
        return enrollment_id
    by_receipt = session.scalar(select(Payment.enrollment_id).where(Payment.receipt_no == text))
    if by_receipt is not None:
        return by_receipt
    number = idnumber.normalise(text)
    heads = select(Person.household_id).where(Person.id_number == number)
    query = select(Enrollment.id, Enrollment.status).where(or_(
        Enrollment.id.in_(select(InsuredPerson.enrollment_id).where(InsuredPerson.id_number == number)),
        Enrollment.household_id.in_(heads)))
    if product:
        query = query.where(Enrollment.product_code == product)
    if year:
        query = query.where(Enrollment.policy_year == year)
    rows = session.execute(query).all()
    active = [r.id for r in rows if r.status in states.ACTIVE]
    candidates = active or [r.id for r in rows]
    if not candidates:
        raise DomainError("enrollment_not_found", {"value": text})
    if len(candidates) > 1:
        raise DomainError("enrollment_ambiguous", {"value": text, "count": len(candidates)})
    return candidates[0]


def _load(session: Session, enrollment_id: uuid.UUID) -> Enrollment:
    row = session.get(Enrollment, enrollment_id, with_for_update=True)
    if row is None:
        raise DomainError("enrollment_not_found", {"value": str(enrollment_id)})
    return row


def update_row(ctx: WriteContext, entity: str, row, values: dict[str, Any]) -> dict[str, Any]:
    """Set changed attributes, bump the revision and log old and new values; returns what changed."""
    return apply_changes(ctx, entity, row, values)


def paid_fen(session: Session, enrollment_id: uuid.UUID) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(
        Payment.enrollment_id == enrollment_id, Payment.voided.is_(False))) or 0)


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError("reason_missing")
    return text


# -- payments ----------------------------------------------------------------------------------------


def take_payment(ctx: WriteContext, enrollment_id: uuid.UUID, *, amount_fen: int, paid_on: dt.date,
                 payer: str | None = None, payer_name: str = "", collector: str | None = None,
                 products: dict | None = None) -> str:
    """Record the family's payment inside a running write; returns the receipt number. ``products``:
    definitions already read, by code (a bulk job reads each once)."""
    row = _load(ctx.session, enrollment_id)
    if row.status not in states.ACTIVE:
        states.check_transition(row.status, states.PAID)
    owed = money.owed_of(ctx.session, row)
    own = next((c for c in owed if c.payer_type == PayerType.SELF.value), None)
    if own is None:  # the government or an employer pays: an allocation, not a receipt for the family
        who = PayerType(row.payer_type) if row.payer_type in {p.value for p in PayerType} else PayerType.GOVERNMENT
        raise DomainError("not_paid_in_cash", {"payer_zh": who.label_zh, "payer_en": who.value})
    due = own.outstanding_fen
    if due <= 0:
        raise DomainError("nothing_to_pay")
    if amount_fen != due:
        raise DomainError("payment_amount_mismatch", {"due": format_fen(due), "amount": format_fen(amount_fen)})
    office = ctx.office.code
    receipt_no = format_number(office, paid_on.year,
                               next_number(ctx.session, office_code=office, series=RECEIPT_SERIES, year=paid_on.year))
    payment = Payment(id=new_id(), enrollment_id=row.id, amount_fen=amount_fen, payer=PayerType.SELF.value,
                      payer_name=" ".join(payer_name.split()), receipt_no=receipt_no, paid_on=paid_on,
                      collector=collector or ctx.recorder.author, voided=False, void_reason="", revision=1)
    ctx.session.add(payment)
    ctx.recorder.record("payment", payment.id, "insert", {
        "enrollment_id": row.id, "amount_fen": amount_fen, "payer": payment.payer, "payer_name": payment.payer_name,
        "receipt_no": receipt_no, "paid_on": paid_on, "collector": payment.collector, "voided": False}, 1)
    product = (products or {}).get(row.product_code) or _product(ctx, row)
    if products is not None:
        products[row.product_code] = product
    money.settle(ctx, row, product, paid_on,
                 owed=[c.settled_by(amount_fen) if c is own else c for c in owed])
    return receipt_no


def _product(ctx: WriteContext, row: Enrollment):
    return office_product(ctx.workspace, row.product_code, ctx.session)


@dataclass
class PaymentResult(ChangeSet):
    receipt_no: str | None = None


@retry_conflicts
def record_payment(workspace: Workspace, enrollment_id: uuid.UUID, *, amount_fen: int,
                   paid_on: dt.date | None = None, payer: str | None = None, payer_name: str = "",
                   collector: str | None = None, today: dt.date | None = None) -> PaymentResult:
    """Take the premium still owed and issue the next receipt number; registered → paid."""
    paid_on = _not_future(paid_on, today)
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        result = ctx.recorder.result = PaymentResult()
        result.receipt_no = take_payment(ctx, enrollment_id, amount_fen=amount_fen, paid_on=paid_on, payer=payer,
                                         payer_name=payer_name, collector=collector)
        result.primary_id = result.ids("payment")[-1]
    return result


def record_payments(workspace: Workspace, payments: list[tuple[uuid.UUID, int, dt.date]], *,
                    collector: str | None = None, today: dt.date | None = None) -> ChangeSet:
    """Many families' payments (enrollment, amount, day) in one transaction, a receipt each: what a
    collector brings back from a round of the village (and the demo county's set-up)."""
    for _enrollment, _amount, day in payments:
        _not_future(day, today)
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        ctx.recorder.summary_only = len(payments) > 1000
        products: dict = {}
        for enrollment_id, amount, day in payments:
            take_payment(ctx, enrollment_id, amount_fen=amount, paid_on=day, collector=collector, products=products)
    return ctx.result


def void_payment(workspace: Workspace, receipt_no: str, *, reason: str, on: dt.date | None = None,
                 today: dt.date | None = None) -> ChangeSet:
    """Void a receipt before the roster is handed up; it keeps its number. A paid enrollment whose
    premium is no longer covered goes back to registered."""
    on = _not_future(on, today)
    reason = _reason(reason)
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        payment = ctx.session.scalar(select(Payment).where(Payment.receipt_no == receipt_no.strip())
                                     .with_for_update())
        if payment is None:
            raise DomainError("payment_not_found", {"value": receipt_no})
        if payment.voided:
            raise DomainError("payment_already_voided", {"receipt_no": payment.receipt_no})
        row = _load(ctx.session, payment.enrollment_id)
        if row.status not in (states.REGISTERED, states.PAID):
            raise DomainError("void_after_hand_up", {"receipt_no": payment.receipt_no})
        update_row(ctx, "payment", payment, {"voided": True, "void_reason": reason, "voided_on": on})
        was = row.status
        money.settle(ctx, row, _product(ctx, row), on)
        if was == states.PAID and row.status == states.REGISTERED:
            update_row(ctx, "enrollment", row, {"status_reason": f"收据{payment.receipt_no}作废：{reason}"})
        ctx.result.primary_id = payment.id
    return ctx.result


# -- status ------------------------------------------------------------------------------------------


def check_ready_to_hand_up(session: Session, row: Enrollment) -> None:
    """A roster goes up once the family's own premium is in; the government's or an employer's share
    is allocated after the finance office has checked the roster (S2 "核实后…由镇财政所核实并划拨")."""
    own = money.cash_contribution(session, row)
    if own is not None and own.outstanding_fen > 0:
        raise DomainError("hand_up_unpaid", {"owed": format_fen(own.outstanding_fen)})


def hand_up(workspace: Workspace, enrollment_id: uuid.UUID, *, on: dt.date | None = None, note: str = "",
            today: dt.date | None = None) -> ChangeSet:
    """The enrollment went up on a roster (to the finance office and the insurer): paid → handed up
    (registered → handed up when only the government or an employer still owes its share)."""
    def check(ctx: WriteContext, row: Enrollment) -> dict[str, Any]:
        check_ready_to_hand_up(ctx.session, row)
        return {"handed_up_on": _not_future(on, today)}

    return _change_status(workspace, enrollment_id, states.HANDED_UP, on=on, today=today, reason=note, check=check)


def confirm(workspace: Workspace, enrollment_id: uuid.UUID, *, policy_number: str, on: dt.date | None = None,
            today: dt.date | None = None) -> ChangeSet:
    """The insurer issued the policy: handed up → confirmed, with its policy number and issue date."""
    number = " ".join((policy_number or "").split())
    if not number:
        raise DomainError("policy_number_missing")
    return _change_status(workspace, enrollment_id, states.CONFIRMED, on=on, today=today,
                          extra={"policy_number": number, "issued_on": _not_future(on, today)})


def cancel(workspace: Workspace, enrollment_id: uuid.UUID, *, reason: str, on: dt.date | None = None,
           today: dt.date | None = None) -> ChangeSet:
    """Withdraw an enrollment for which no money is held (void its receipts or refund first)."""
    reason = _reason(reason)

    def check(ctx: WriteContext, row: Enrollment) -> dict[str, Any]:
        held = sum(max(c.settled_fen, 0) for c in money.owed_of(ctx.session, row))
        if held > 0:
            raise DomainError("enrollment_has_payment", {"paid": format_fen(held)})
        return {}

    return _change_status(workspace, enrollment_id, states.CANCELLED, on=on, today=today, reason=reason,
                          check=check)


def refund(workspace: Workspace, enrollment_id: uuid.UUID, *, reason: str, amount_fen: int | None = None,
           on: dt.date | None = None, today: dt.date | None = None) -> ChangeSet:
    """Withdraw an enrollment and give the premium back to whoever paid it: the family's cash to the
    family, the government's or an employer's allocation back to it (all of it unless ``amount_fen``
    says less; a part goes back to each payer in proportion to what it paid)."""
    reason = _reason(reason)
    day = _not_future(on, today)

    def check(ctx: WriteContext, row: Enrollment) -> dict[str, Any]:
        owed = [c for c in money.owed_of(ctx.session, row) if c.settled_fen > 0]
        paid = sum(c.settled_fen for c in owed)
        if paid <= 0:
            raise DomainError("nothing_to_refund")
        amount = paid if amount_fen is None else amount_fen
        if not 0 < amount <= paid:
            raise DomainError("refund_too_large", {"amount": format_fen(amount), "paid": format_fen(paid)})
        money.refund_by_what_each_paid(ctx, row, amount, on=day, reason=reason)
        return {"refunded_fen": row.refunded_fen + amount}

    return _change_status(workspace, enrollment_id, states.REFUNDED, on=on, today=today, reason=reason,
                          check=check)


def _change_status(workspace: Workspace, enrollment_id: uuid.UUID, wanted: str, *, on: dt.date | None,
                   today: dt.date | None, reason: str = "", extra: dict[str, Any] | None = None,
                   check=None) -> ChangeSet:
    on = _not_future(on, today)
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        row = _load(ctx.session, enrollment_id)
        states.check_transition(row.status, wanted)
        values = dict(extra or {})
        if check is not None:
            values.update(check(ctx, row))
        update_row(ctx, "enrollment", row, {"status": wanted, "status_on": on,
                                            "status_reason": " ".join(reason.split()), **values})
        ctx.result.primary_id = row.id
    return ctx.result


def _not_future(day: dt.date | None, today: dt.date | None) -> dt.date:
    today = today or dt.date.today()
    day = day or today
    if day > today:
        raise DomainError("date_in_future", {"on": day.isoformat(), "today": today.isoformat()})
    return day


# -- reading -----------------------------------------------------------------------------------------


def enrollment_details(workspace: Workspace, enrollment_id: uuid.UUID) -> dict[str, Any]:
    """Everything about one enrollment, JSON-ready: status, dates, money by payer, insured people,
    receipts, allocations and refunds, and the gap since the previous cover where there is one."""
    from fpdesk.core.rules_calendar import cover_gap

    with workspace.read() as session:
        row = session.get(Enrollment, enrollment_id)
        if row is None:
            raise DomainError("enrollment_not_found", {"value": str(enrollment_id)})
        insured = session.execute(
            select(InsuredPerson, Person.name).join(Person, InsuredPerson.person_id == Person.id)
            .where(InsuredPerson.enrollment_id == row.id).order_by(InsuredPerson.added_on, InsuredPerson.id)).all()
        payments = session.scalars(select(Payment).where(Payment.enrollment_id == row.id)
                                   .order_by(Payment.receipt_no)).all()
        allocations = session.execute(
            select(Allocation, AllocationItem.amount_fen).join(AllocationItem, AllocationItem.allocation_id == Allocation.id)
            .where(AllocationItem.enrollment_id == row.id).order_by(Allocation.allocated_on)).all()
        refunds = session.scalars(select(Refund).where(Refund.enrollment_id == row.id)
                                  .order_by(Refund.refunded_on, Refund.id)).all()
        owed = money.owed_of(session, row)
        roster = session.get(HandUp, row.hand_up_id) if row.hand_up_id else None
        previous_end = money.previous_cover_end(session, row)
        household = session.get(Household, row.household_id)
        paid = sum(p.amount_fen for p in payments if not p.voided)
        gap = cover_gap(previous_end, row.period_start)
        return {
            "id": str(row.id), "product": row.product_code, "product_version": row.product_version,
            "policy_year": row.policy_year, "household_id": str(row.household_id),
            "address": household.address if household else "", "channel": row.channel,
            "status": row.status, "status_zh": states.label_zh(row.status), "status_reason": row.status_reason,
            "status_on": row.status_on, "payer": row.payer_type, "funding_source": row.funding_source,
            "shares": row.shares, "premium_fen": row.premium_fen, "paid_fen": paid,
            "owed_fen": sum(max(c.outstanding_fen, 0) for c in owed) if row.status in states.ACTIVE else 0,
            "refunded_fen": row.refunded_fen,
            "policy_number": row.policy_number, "enrolled_on": row.enrolled_on,
            "period": [row.period_start, row.period_end], "form_values": row.form_values,
            "consent": {"by": row.consent_by, "on": row.consent_on, "method": row.consent_method},
            "revision": row.revision,
            "received_on": row.received_on, "handed_up_on": row.handed_up_on, "issued_on": row.issued_on,
            "hand_up": {"number": roster.number, "policy_number": roster.policy_number,
                        "handed_up_on": roster.handed_up_on} if roster else None,
            "previous_cover_end": previous_end,
            "cover_gap": {"first": gap[0], "last": gap[1], "days": (gap[1] - gap[0]).days + 1} if gap else None,
            "contributions": [{"payer": c.payer_type, "payer_level": c.payer_level, "amount_fen": c.amount_fen,
                               "settled_fen": c.settled_fen, "outstanding_fen": c.outstanding_fen} for c in owed],
            "insured": [{"person_id": str(i.person_id), "name": name,
                         "id_number": idnumber.mask(i.id_number) if i.id_number else None,
                         "added_on": i.added_on, "removed_on": i.removed_on, "removal_reason": i.removal_reason,
                         "shares": i.shares, "sums_insured": i.sums_insured,
                         "cover": person_cover(row, i)} for i, name in insured],
            "payments": [{"receipt_no": p.receipt_no, "amount_fen": p.amount_fen, "payer": p.payer,
                          "payer_name": p.payer_name, "paid_on": p.paid_on, "collector": p.collector,
                          "voided": p.voided, "void_reason": p.void_reason} for p in payments],
            "allocations": [{"voucher_no": a.voucher_no, "payer": a.payer_type, "payer_name": a.payer_name,
                             "allocated_on": a.allocated_on, "amount_fen": amount, "voided": a.voided}
                            for a, amount in allocations],
            "refunds": [{"payer": r.payer_type, "amount_fen": r.amount_fen, "refunded_on": r.refunded_on,
                         "handled_by": r.handled_by, "reason": r.reason} for r in refunds],
        }


def person_cover(row: Enrollment, insured: InsuredPerson) -> list[dt.date | None]:
    """The days one insured person is covered: from the later of the enrollment's start and the day
    after they were added, to the earlier of its end and the day they were removed; [None, None]
    while the enrollment's own cover is not yet dated, or for a person never covered."""
    if row.period_start is None or row.period_end is None:
        return [None, None]
    start = max(row.period_start, insured.added_on + dt.timedelta(days=1))
    end = min(row.period_end, insured.removed_on) if insured.removed_on else row.period_end
    return [start, end] if start <= end else [None, None]  # removed before their first day: never covered
