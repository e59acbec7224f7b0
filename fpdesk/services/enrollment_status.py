"""Payments, receipts and the status of an enrollment: paid, handed up, confirmed, cancelled, refunded.

Receipt numbers come from the gap-free counter (fpdesk.storage.sequences) of this office and the
payment's year, inside the writing transaction: a failed job gives its number back, a voided
receipt keeps its number and its row. A receipt is for the premium only (rule 4: no fees riding
on the premium), so a payment must equal what is still owed. Status changes follow
fpdesk.core.enrollment_states; each one is a change-log entry with its reason.
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
from fpdesk.core.errors import DomainError, register_messages
from fpdesk.core.ids import new_id
from fpdesk.core.money import format_fen
from fpdesk.services.permissions import require
from fpdesk.services.records import apply_changes
from fpdesk.services.workspace import Workspace, WriteContext, retry_conflicts
from fpdesk.storage.schema import Household, Person
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson, Payment
from fpdesk.storage.sequences import format_number, next_number

RECEIPT_SERIES = "receipt"

register_messages({
    "enrollment_not_found": ("找不到参保记录“{value}”。", "No enrollment matches '{value}'."),
    "enrollment_ambiguous": (
        "“{value}”对应{count}条参保记录，请指定产品和年度，或使用参保记录编号。",
        "'{value}' matches {count} enrollments; give the product and year, or the enrollment id.",
    ),
    "payment_amount_mismatch": (
        "应收保费{due}，本次金额{amount}不符：收据只收保费，不能多收或少收。",
        "{due} is owed; {amount} does not match: a receipt is for the premium only, no more, no less.",
    ),
    "nothing_to_pay": ("这条参保记录的保费已经缴清。", "The premium of this enrollment is fully paid."),
    "payment_not_found": ("找不到收据“{value}”。", "No receipt '{value}'."),
    "payment_already_voided": ("收据{receipt_no}已经作废。", "Receipt {receipt_no} is already void."),
    "void_after_hand_up": (
        "名册已上报，收据{receipt_no}不能再作废；请办理退保。",
        "The roster was handed up; receipt {receipt_no} can no longer be voided — refund instead.",
    ),
    "reason_missing": ("请填写原因。", "Give a reason."),
    "policy_number_missing": ("请填写保险公司出具的保单号。", "Enter the insurer's policy number."),
    "enrollment_has_payment": (
        "已收保费{paid}，不能直接取消：请办理退保，或先作废收据。",
        "{paid} has been received; refund it, or void the receipt, instead of cancelling.",
    ),
    "nothing_to_refund": (
        "这条参保记录没有收到保费，不能退保；请直接取消。",
        "No premium was received for this enrollment; cancel it instead of refunding.",
    ),
    "refund_too_large": ("退款{amount}超过已收保费{paid}。", "A refund of {amount} exceeds the {paid} received."),
})


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
                 payer: str | None = None, payer_name: str = "", collector: str | None = None) -> str:
    """Record a payment inside a running write; returns the receipt number."""
    row = _load(ctx.session, enrollment_id)
    if row.status not in states.ACTIVE:
        states.check_transition(row.status, states.PAID)
    due = row.premium_fen - paid_fen(ctx.session, row.id)
    if due <= 0:
        raise DomainError("nothing_to_pay")
    if amount_fen != due:
        raise DomainError("payment_amount_mismatch", {"due": format_fen(due), "amount": format_fen(amount_fen)})
    office = ctx.office.code
    receipt_no = format_number(office, paid_on.year,
                               next_number(ctx.session, office_code=office, series=RECEIPT_SERIES, year=paid_on.year))
    payment = Payment(id=new_id(), enrollment_id=row.id, amount_fen=amount_fen, payer=payer or row.payer_type,
                      payer_name=" ".join(payer_name.split()), receipt_no=receipt_no, paid_on=paid_on,
                      collector=collector or ctx.recorder.author, voided=False, void_reason="", revision=1)
    ctx.session.add(payment)
    ctx.recorder.record("payment", payment.id, "insert", {
        "enrollment_id": row.id, "amount_fen": amount_fen, "payer": payment.payer, "payer_name": payment.payer_name,
        "receipt_no": receipt_no, "paid_on": paid_on, "collector": payment.collector, "voided": False}, 1)
    if row.status == states.REGISTERED:
        update_row(ctx, "enrollment", row, {"status": states.PAID, "status_on": paid_on, "status_reason": ""})
    return receipt_no


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
        ctx.session.flush()
        if row.status == states.PAID and paid_fen(ctx.session, row.id) < row.premium_fen:
            states.check_transition(row.status, states.REGISTERED)
            update_row(ctx, "enrollment", row, {"status": states.REGISTERED, "status_on": on,
                                                "status_reason": f"收据{payment.receipt_no}作废：{reason}"})
        ctx.result.primary_id = payment.id
    return ctx.result


# -- status ------------------------------------------------------------------------------------------


def hand_up(workspace: Workspace, enrollment_id: uuid.UUID, *, on: dt.date | None = None, note: str = "",
            today: dt.date | None = None) -> ChangeSet:
    """The enrollment went up on a roster (to the finance office and the insurer): paid → handed up."""
    return _change_status(workspace, enrollment_id, states.HANDED_UP, on=on, today=today, reason=note)


def confirm(workspace: Workspace, enrollment_id: uuid.UUID, *, policy_number: str, on: dt.date | None = None,
            today: dt.date | None = None) -> ChangeSet:
    """The insurer issued the policy: handed up → confirmed, with its policy number."""
    number = " ".join((policy_number or "").split())
    if not number:
        raise DomainError("policy_number_missing")
    return _change_status(workspace, enrollment_id, states.CONFIRMED, on=on, today=today,
                          extra={"policy_number": number})


def cancel(workspace: Workspace, enrollment_id: uuid.UUID, *, reason: str, on: dt.date | None = None,
           today: dt.date | None = None) -> ChangeSet:
    """Withdraw an enrollment for which no money is held (void its receipts or refund first)."""
    reason = _reason(reason)

    def check(ctx: WriteContext, row: Enrollment) -> dict[str, Any]:
        held = paid_fen(ctx.session, row.id) - row.refunded_fen
        if held > 0:
            raise DomainError("enrollment_has_payment", {"paid": format_fen(held)})
        return {}

    return _change_status(workspace, enrollment_id, states.CANCELLED, on=on, today=today, reason=reason,
                          check=check)


def refund(workspace: Workspace, enrollment_id: uuid.UUID, *, reason: str, amount_fen: int | None = None,
           on: dt.date | None = None, today: dt.date | None = None) -> ChangeSet:
    """Withdraw a paid enrollment and pay the premium back (all of it unless ``amount_fen`` says less)."""
    reason = _reason(reason)

    def check(ctx: WriteContext, row: Enrollment) -> dict[str, Any]:
        paid = paid_fen(ctx.session, row.id)
        if paid <= 0:
            raise DomainError("nothing_to_refund")
        amount = paid if amount_fen is None else amount_fen
        if not 0 < amount <= paid:
            raise DomainError("refund_too_large", {"amount": format_fen(amount), "paid": format_fen(paid)})
        return {"refunded_fen": amount}

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
    """Everything about one enrollment, JSON-ready: status, money, insured people, receipts."""
    with workspace.read() as session:
        row = session.get(Enrollment, enrollment_id)
        if row is None:
            raise DomainError("enrollment_not_found", {"value": str(enrollment_id)})
        insured = session.execute(
            select(InsuredPerson, Person.name).join(Person, InsuredPerson.person_id == Person.id)
            .where(InsuredPerson.enrollment_id == row.id).order_by(InsuredPerson.added_on, InsuredPerson.id)).all()
        payments = session.scalars(select(Payment).where(Payment.enrollment_id == row.id)
                                   .order_by(Payment.receipt_no)).all()
        household = session.get(Household, row.household_id)
        paid = sum(p.amount_fen for p in payments if not p.voided)
        return {
            "id": str(row.id), "product": row.product_code, "product_version": row.product_version,
            "policy_year": row.policy_year, "household_id": str(row.household_id),
            "address": household.address if household else "", "channel": row.channel,
            "status": row.status, "status_zh": states.label_zh(row.status), "status_reason": row.status_reason,
            "status_on": row.status_on, "payer": row.payer_type, "funding_source": row.funding_source,
            "shares": row.shares, "premium_fen": row.premium_fen, "paid_fen": paid,
            "owed_fen": max(row.premium_fen - paid, 0), "refunded_fen": row.refunded_fen,
            "policy_number": row.policy_number, "enrolled_on": row.enrolled_on,
            "period": [row.period_start, row.period_end], "form_values": row.form_values,
            "consent": {"by": row.consent_by, "on": row.consent_on, "method": row.consent_method},
            "revision": row.revision,
            "insured": [{"person_id": str(i.person_id), "name": name,
                         "id_number": idnumber.mask(i.id_number) if i.id_number else None,
                         "added_on": i.added_on, "removed_on": i.removed_on, "removal_reason": i.removal_reason,
                         "shares": i.shares, "sums_insured": i.sums_insured} for i, name in insured],
            "payments": [{"receipt_no": p.receipt_no, "amount_fen": p.amount_fen, "payer": p.payer,
                          "payer_name": p.payer_name, "paid_on": p.paid_on, "collector": p.collector,
                          "voided": p.voided, "void_reason": p.void_reason} for p in payments],
        }
