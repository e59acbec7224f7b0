"""Money reconciled for an office and a policy year: cash per collector against the cash handed up,
allocations against the government's and employers' shares, each difference named.

Cash: every receipt a collector issued for the year's enrollments (voided ones not counted), less the
cash they paid back, against what they handed up to the township (``record_handover``). Allocations:
what the government and employers owe on the year's standing enrollments, against what their
vouchers settled (less what was given back); a voucher for more than it settled, a village whose
share is still unallocated and households whose own premium is still unpaid are listed by name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from fpdesk.core import enrollment_states as states
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.money import format_fen
from fpdesk.core.vocabulary import PayerType
from fpdesk.services.enrollment import money
from fpdesk.services.enrollment.hand_up import roster_division
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household
from fpdesk.storage.schema_enrollment import Enrollment, Payment
from fpdesk.storage.schema_money import Allocation, AllocationItem, CashHandover, Refund


def record_handover(workspace: Workspace, *, collector: str, amount_fen: int, year: int, on: dt.date | None = None,
                    today: dt.date | None = None, received_by: str = "", voucher_no: str = "",
                    note: str = "") -> ChangeSet:
    """A collector handed ``amount_fen`` of the year's premiums up to the township (上缴)."""
    today = today or dt.date.today()
    on = on or today
    if on > today:
        raise DomainError("date_in_future", {"on": on.isoformat(), "today": today.isoformat()})
    who = " ".join((collector or "").split())
    if not who:
        raise DomainError("missing_field", {"field_zh": "收款人", "field_en": "collector"})
    if amount_fen <= 0:
        raise DomainError("bad_argument", {"detail": "上缴金额应大于零"})
    require(workspace, "review")
    with workspace.write() as ctx:
        row_id = new_id()
        values = {"collector": who, "amount_fen": amount_fen, "handed_over_on": on, "policy_year": year,
                  "received_by": " ".join(received_by.split()) or ctx.recorder.author,
                  "voucher_no": " ".join(voucher_no.split()), "note": " ".join(note.split())}
        ctx.session.add(CashHandover(id=row_id, revision=1, **values))
        ctx.recorder.record("cash_handover", row_id, "insert", values, 1)
        ctx.result.primary_id = row_id
    return ctx.result


@dataclass
class CollectorLine:
    collector: str
    receipts: int = 0
    received_fen: int = 0
    refunded_fen: int = 0
    handed_over_fen: int = 0

    @property
    def held_fen(self) -> int:
        """Cash the collector still holds (negative: handed up more than they took)."""
        return self.received_fen - self.refunded_fen - self.handed_over_fen

    def as_dict(self) -> dict:
        return {"collector": self.collector, "receipts": self.receipts, "received_fen": self.received_fen,
                "refunded_fen": self.refunded_fen, "handed_over_fen": self.handed_over_fen, "held_fen": self.held_fen}


@dataclass
class PayerLine:
    payer: str
    owed_fen: int = 0  # what the payer owes on the year's standing enrollments
    allocated_fen: int = 0  # what its vouchers settled
    refunded_fen: int = 0  # given back to it
    enrollments: int = 0
    waiting: int = 0  # enrollments whose share is not (fully) allocated

    @property
    def outstanding_fen(self) -> int:
        return self.owed_fen - (self.allocated_fen - self.refunded_fen)

    def as_dict(self) -> dict:
        return {"payer": self.payer, "owed_fen": self.owed_fen, "allocated_fen": self.allocated_fen,
                "refunded_fen": self.refunded_fen, "outstanding_fen": self.outstanding_fen,
                "enrollments": self.enrollments, "waiting": self.waiting}


@dataclass
class ReconciliationReport:
    year: int
    product: str | None
    collectors: list[CollectorLine] = field(default_factory=list)
    payers: list[PayerLine] = field(default_factory=list)
    unpaid_households: int = 0  # self-paid, registered, premium not (fully) received
    unpaid_fen: int = 0
    differences: list[tuple[str, str]] = field(default_factory=list)  # (Chinese, English), each named

    def as_dict(self) -> dict:
        return {"year": self.year, "product": self.product, "collectors": [c.as_dict() for c in self.collectors],
                "payers": [p.as_dict() for p in self.payers],
                "unpaid": {"households": self.unpaid_households, "fen": self.unpaid_fen},
                "differences": [{"message": zh, "message_en": en} for zh, en in self.differences],
                "balanced": not self.differences}


def reconcile(workspace: Workspace, *, year: int, product: str | None = None) -> ReconciliationReport:
    report = ReconciliationReport(year, product)
    with workspace.read() as session:
        scope = [Enrollment.policy_year == year] + ([Enrollment.product_code == product] if product else [])
        rows = session.execute(select(Enrollment, Division.code, Division.name)
                               .join(Household, Household.id == Enrollment.household_id)
                               .join(Division, Division.id == roster_division()).where(*scope)).all()
        enrollments = [r.Enrollment for r in rows]
        places = {r.Enrollment.id: (r.code, r.name) for r in rows}
        owed = money.contributions(session, enrollments)
        ids = [e.id for e in enrollments]
        _cash(session, report, year, ids, product)
        _allocations(session, report, enrollments, owed, places)
        _vouchers(session, report, year, product)
    return report


def _chunks(ids):
    for start in range(0, len(ids), 900):
        yield ids[start:start + 900]


def _cash(session, report: ReconciliationReport, year: int, ids, product: str | None) -> None:
    lines: dict[str, CollectorLine] = {}

    def line(name: str) -> CollectorLine:
        return lines.setdefault(name, CollectorLine(name))

    for chunk in _chunks(ids):
        for collector, count, amount in session.execute(
                select(Payment.collector, func.count(), func.sum(Payment.amount_fen))
                .where(Payment.enrollment_id.in_(chunk), Payment.voided.is_(False),
                       Payment.payer == PayerType.SELF.value).group_by(Payment.collector)):
            collected = line(collector)
            collected.receipts += int(count)
            collected.received_fen += int(amount or 0)
        for handled_by, amount in session.execute(
                select(Refund.handled_by, func.sum(Refund.amount_fen))
                .where(Refund.enrollment_id.in_(chunk), Refund.payer_type == PayerType.SELF.value)
                .group_by(Refund.handled_by)):
            line(handled_by).refunded_fen += int(amount or 0)
    if product is None:  # hand-overs are of a year's premiums, not of one product
        for collector, amount in session.execute(
                select(CashHandover.collector, func.sum(CashHandover.amount_fen))
                .where(CashHandover.policy_year == year).group_by(CashHandover.collector)):
            line(collector).handed_over_fen += int(amount or 0)
    report.collectors = sorted(lines.values(), key=lambda c: c.collector)
    for c in report.collectors:
        if c.held_fen > 0:
            report.differences.append((
                f"收款人{c.collector}：收款{format_fen(c.received_fen)}，退款{format_fen(c.refunded_fen)}，"
                f"已上缴{format_fen(c.handed_over_fen)}，尚未上缴{format_fen(c.held_fen)}。",
                f"Collector {c.collector}: took {format_fen(c.received_fen)}, paid back {format_fen(c.refunded_fen)}, "
                f"handed up {format_fen(c.handed_over_fen)}; {format_fen(c.held_fen)} not yet handed up."))
        elif c.held_fen < 0:
            report.differences.append((
                f"收款人{c.collector}：上缴{format_fen(c.handed_over_fen)}，比收款（扣除退款）多{format_fen(-c.held_fen)}。",
                f"Collector {c.collector}: handed up {format_fen(c.handed_over_fen)}, "
                f"{format_fen(-c.held_fen)} more than the cash taken less refunds."))


def _allocations(session, report: ReconciliationReport, enrollments, owed, places) -> None:
    payers = {p: PayerLine(p) for p in (PayerType.GOVERNMENT.value, PayerType.EMPLOYER.value)}
    villages: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])  # (code, name, payer) -> owed, n
    for row in enrollments:
        active = row.status in states.ACTIVE
        for c in owed[row.id]:
            if c.payer_type == PayerType.SELF.value:
                if active and c.outstanding_fen > 0:
                    report.unpaid_households += 1
                    report.unpaid_fen += c.outstanding_fen
                continue
            line = payers.setdefault(c.payer_type, PayerLine(c.payer_type))
            expected = c.amount_fen if active else 0
            line.owed_fen += expected
            line.enrollments += active
            gap = expected - c.settled_fen
            if gap > 0:
                line.waiting += 1
                code, name = places[row.id]
                villages[(code, name, c.payer_type)][0] += gap
                villages[(code, name, c.payer_type)][1] += 1
    ids = [e.id for e in enrollments]
    for chunk in _chunks(ids):
        for payer, amount in session.execute(
                select(Allocation.payer_type, func.sum(AllocationItem.amount_fen))
                .join(Allocation, Allocation.id == AllocationItem.allocation_id)
                .where(AllocationItem.enrollment_id.in_(chunk), Allocation.voided.is_(False))
                .group_by(Allocation.payer_type)):
            payers.setdefault(payer, PayerLine(payer)).allocated_fen += int(amount or 0)
        for payer, amount in session.execute(
                select(Refund.payer_type, func.sum(Refund.amount_fen))
                .where(Refund.enrollment_id.in_(chunk), Refund.payer_type != PayerType.SELF.value)
                .group_by(Refund.payer_type)):
            payers.setdefault(payer, PayerLine(payer)).refunded_fen += int(amount or 0)
    report.payers = [line for line in payers.values() if line.owed_fen or line.allocated_fen or line.refunded_fen]
    for line in report.payers:
        kind = PayerType(line.payer)
        if line.outstanding_fen < 0:
            report.differences.append((
                f"{kind.label_zh}：已拨{format_fen(line.allocated_fen)}，退回{format_fen(line.refunded_fen)}，"
                f"比应拨{format_fen(line.owed_fen)}多{format_fen(-line.outstanding_fen)}。",
                f"{kind.value}: allocated {format_fen(line.allocated_fen)}, given back {format_fen(line.refunded_fen)}, "
                f"{format_fen(-line.outstanding_fen)} more than the {format_fen(line.owed_fen)} owed."))
    for (code, name, payer), (gap, count) in sorted(villages.items()):
        kind = PayerType(payer)
        report.differences.append((
            f"{name}（{code}）：{kind.label_zh}{count}户待拨款，共{format_fen(gap)}。",
            f"{name} ({code}): {count} enrollment(s) await the {kind.value}'s allocation, {format_fen(gap)} in all."))
    if report.unpaid_households:
        report.differences.append((
            f"家庭自缴：{report.unpaid_households}户已登记未缴费，共{format_fen(report.unpaid_fen)}。",
            f"Self-paid: {report.unpaid_households} household(s) registered but unpaid, "
            f"{format_fen(report.unpaid_fen)} in all."))


def _vouchers(session, report: ReconciliationReport, year: int, product: str | None) -> None:
    query = (select(Allocation.voucher_no, Allocation.payer_type, Allocation.amount_fen,
                    func.coalesce(func.sum(AllocationItem.amount_fen), 0))
             .outerjoin(AllocationItem, AllocationItem.allocation_id == Allocation.id)
             .where(Allocation.policy_year == year, Allocation.voided.is_(False))
             .group_by(Allocation.id, Allocation.voucher_no, Allocation.payer_type, Allocation.amount_fen))
    if product:
        query = query.where(Allocation.product_code == product)
    for voucher, _payer, amount, settled in session.execute(query):
        if amount != settled:
            report.differences.append((
                f"拨款凭证{voucher}：金额{format_fen(amount)}，结算保费{format_fen(int(settled))}，"
                f"多拨{format_fen(amount - int(settled))}。",
                f"Voucher {voucher}: {format_fen(amount)} paid, {format_fen(int(settled))} settled premiums, "
                f"{format_fen(amount - int(settled))} over."))
