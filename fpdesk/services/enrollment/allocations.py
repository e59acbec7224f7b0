"""Government and employer money for a roster (拨款), recorded once for all its enrollments.

S1: townships and units buy cover for their priority groups and staff ("各乡（镇）要为…购买",
"各乡（镇）、县直各单位…要为本单位…购买"); S2: "由镇财政所核实并划拨转型保险资金". That money never
passes through the family's hands, so it is not a receipt in the family's name: it is an
allocation — payer, voucher or document number, date, amount — settling the share the government
(or an employer) owes on each enrollment it covers. A roster is picked by its group policy number
or roster number, or by product, year and division; every enrollment in it whose payer still owes
gets the part it owes. A voucher for less than that is refused (allocate to fewer enrollments);
one for more is kept with the difference, which the reconciliation report names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from fpdesk.core import enrollment_states as states
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.money import format_fen
from fpdesk.core.product_terms import CONTRIBUTION_PAYERS
from fpdesk.core.vocabulary import PayerType
from fpdesk.services.enrollment import money
from fpdesk.services.enrollment.hand_up import find_roster, roster_enrollments
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.permissions import require
from fpdesk.services.records import apply_changes
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema_enrollment import Enrollment, HandUp
from fpdesk.storage.schema_money import Allocation, AllocationItem

ALLOCATED_PAYERS = (PayerType.GOVERNMENT.value, PayerType.EMPLOYER.value)


@dataclass
class AllocationResult(ChangeSet):
    voucher_no: str = ""
    amount_fen: int = 0
    allocated_fen: int = 0  # what the items settle
    enrollments: int = 0
    received: int = 0  # enrollments whose premium is now received in full
    difference_fen: int = 0  # voucher amount beyond what was owed
    enrollment_ids: list[uuid.UUID] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"voucher_no": self.voucher_no, "amount_fen": self.amount_fen, "allocated_fen": self.allocated_fen,
                "enrollments": self.enrollments, "received": self.received, "difference_fen": self.difference_fen}


def allocate(workspace: Workspace, *, payer: str, voucher_no: str, on: dt.date | None = None,
             today: dt.date | None = None, amount_fen: int | None = None, payer_name: str = "",
             product: str | None = None, year: int | None = None, scope: str | None = None,
             roster: str | None = None, enrollment_ids: Sequence[uuid.UUID] | None = None,
             note: str = "", level: str | None = None) -> AllocationResult:
    """Record one allocation for a roster: ``roster`` (group policy or roster number), or ``product`` +
    ``year`` (+ ``scope``: a division code), or the ``enrollment_ids`` given; ``amount_fen`` is the
    voucher's amount (default: what is owed). ``level`` (province, county, township …) settles only
    that level's part of premiums shared between levels; without it, every part the payer owes."""
    today = today or dt.date.today()
    on = on or today
    if on > today:
        raise DomainError("date_in_future", {"on": on.isoformat(), "today": today.isoformat()})
    if payer not in ALLOCATED_PAYERS:
        raise DomainError("not_an_allocating_payer")
    voucher = " ".join((voucher_no or "").split())
    if not voucher:
        raise DomainError("voucher_missing")
    kind = PayerType(payer)
    require(workspace, "review")
    with workspace.write() as ctx:
        result = ctx.recorder.result = AllocationResult(voucher_no=voucher)
        used = ctx.session.scalar(select(Allocation).where(Allocation.voucher_no == voucher,
                                                           Allocation.payer_type == payer,
                                                           Allocation.voided.is_(False)))
        if used is not None:
            raise DomainError("voucher_used", {"voucher": voucher, "on": used.allocated_on.isoformat(),
                                               "amount": format_fen(used.amount_fen)})
        hand_up_id, rows, what = _chosen(ctx.session, workspace, roster=roster, product=product, year=year,
                                         scope=scope, enrollment_ids=enrollment_ids)
        owed = money.contributions(ctx.session, rows)
        items = [(row, c) for row in rows for c in owed[row.id] if c.payer_type == payer and c.outstanding_fen > 0
                 and (level is None or c.payer_level == level)]
        if not items:
            payer_zh, payer_en = CONTRIBUTION_PAYERS.get(level or "", (kind.label_zh, kind.value))
            raise DomainError("nothing_to_allocate", {"payer_zh": payer_zh, "payer_en": payer_en, "what": what})
        due = sum(c.outstanding_fen for _, c in items)
        amount = due if amount_fen is None else amount_fen
        if amount < due:
            raise DomainError("allocation_short", {"amount": format_fen(amount), "owed": format_fen(due),
                                                   "count": len({row.id for row, _ in items})})
        first = items[0][0]
        allocation_id = new_id()
        values = {"payer_type": payer, "payer_level": level or payer, "payer_name": " ".join(payer_name.split()),
                  "voucher_no": voucher, "allocated_on": on, "amount_fen": amount, "product_code": first.product_code,
                  "policy_year": first.policy_year, "scope_code": _scope_code(ctx.session, workspace, scope, hand_up_id), "hand_up_id": hand_up_id,
                  "recorded_by": ctx.recorder.author, "note": " ".join(note.split()), "voided": False,
                  "void_reason": "", "voided_on": None}
        ctx.session.add(Allocation(id=allocation_id, revision=1, **values))
        ctx.recorder.record("allocation", allocation_id, "insert", values, 1)
        ctx.session.flush()
        products = {}
        for row, contribution in items:
            cid = money.ensure_contribution(ctx, row, contribution)
            item_id = new_id()
            item = {"allocation_id": allocation_id, "contribution_id": cid, "enrollment_id": row.id,
                    "amount_fen": contribution.outstanding_fen}
            ctx.session.add(AllocationItem(id=item_id, revision=1, **item))
            ctx.recorder.record("allocation_item", item_id, "insert", item, 1)
        ctx.session.flush()
        settled = {contribution.id for _, contribution in items}
        for row in dict.fromkeys(row for row, _ in items):
            product_def = products.get(row.product_code) or office_product(workspace, row.product_code, ctx.session)
            products[row.product_code] = product_def
            was = row.received_on
            now = [c.settled_by(c.outstanding_fen) if c.id in settled else c for c in owed[row.id]]
            money.settle(ctx, row, product_def, on, owed=now)
            result.received += was is None and row.received_on is not None
            result.enrollment_ids.append(row.id)
        result.primary_id = allocation_id
        result.amount_fen, result.allocated_fen = amount, due
        result.enrollments, result.difference_fen = len(result.enrollment_ids), amount - due
    return result


def _scope_code(session, workspace: Workspace, scope: str | None, hand_up_id) -> str:
    """The division whose money this is: the one asked for, the roster's, or else this office's own.
    Always a code, because it says whose record the allocation is when it travels to the parent."""
    if scope and scope.strip():
        return scope.strip()
    if hand_up_id is not None:
        return session.get(HandUp, hand_up_id).scope_code
    return workspace.office.code


def _chosen(session, workspace: Workspace, *, roster, product, year, scope, enrollment_ids):
    """(hand-up id, enrollments, what was asked for — for messages)."""
    if enrollment_ids is not None:
        rows = session.scalars(select(Enrollment).where(Enrollment.id.in_(list(enrollment_ids)),
                                                        Enrollment.status.in_(sorted(states.ACTIVE)))).all()
        return None, list(rows), f"{len(enrollment_ids)}条指定的参保记录"
    if roster:
        found = find_roster(session, roster)
        rows = session.scalars(select(Enrollment).where(Enrollment.hand_up_id == found.id,
                                                        Enrollment.status.in_(sorted(states.ACTIVE)))
                               .order_by(Enrollment.id)).all()
        return found.id, list(rows), f"上报名册{found.number}"
    if not product or year is None:
        raise DomainError("bad_argument", {"detail": "拨款须指明上报名册（团单号），或险种和年度"})
    chosen = office_product(workspace, product, session)
    rows = [r.Enrollment for r in roster_enrollments(session, product=chosen.code, year=year, scope=scope)]
    return None, rows, f"{year}年度{chosen.name_zh}{'，' + scope if scope else ''}"


def void_allocation(workspace: Workspace, voucher_no: str, *, reason: str, on: dt.date | None = None,
                    today: dt.date | None = None) -> ChangeSet:
    """Void an allocation recorded in error; the enrollments it settled owe their share again
    (their cover is undated again where it ran from payment and the insurer has not issued it)."""
    today = today or dt.date.today()
    on = on or today
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError("reason_missing")
    require(workspace, "review")
    with workspace.write() as ctx:
        voucher = " ".join(voucher_no.split())
        found = ctx.session.scalars(select(Allocation).where(Allocation.voucher_no == voucher)
                                    .order_by(Allocation.voided, Allocation.allocated_on.desc())).first()
        if found is None:
            raise DomainError("allocation_not_found", {"value": voucher})
        if found.voided:
            raise DomainError("allocation_already_voided", {"value": voucher})
        apply_changes(ctx, "allocation", found, {"voided": True, "void_reason": text, "voided_on": on})
        ctx.session.flush()
        ids = list(ctx.session.scalars(select(AllocationItem.enrollment_id).where(
            AllocationItem.allocation_id == found.id).distinct()))
        for row in ctx.session.scalars(select(Enrollment).where(Enrollment.id.in_(ids))):
            money.settle(ctx, row, office_product(workspace, row.product_code, ctx.session), on)
        ctx.result.primary_id = found.id
    return ctx.result


def list_allocations(workspace: Workspace, *, year: int | None = None) -> list[dict]:
    with workspace.read() as session:
        query = select(Allocation).order_by(Allocation.allocated_on.desc(), Allocation.voucher_no)
        if year is not None:
            query = query.where(Allocation.policy_year == year)
        rows = session.scalars(query).all()
        settled: dict[uuid.UUID, int] = {}
        for allocation_id, amount in session.execute(select(AllocationItem.allocation_id, AllocationItem.amount_fen)):
            settled[allocation_id] = settled.get(allocation_id, 0) + amount
        return [{"voucher_no": a.voucher_no, "payer": a.payer_type, "payer_name": a.payer_name,
                 "allocated_on": a.allocated_on, "amount_fen": a.amount_fen, "allocated_fen": settled.get(a.id, 0),
                 "product": a.product_code, "year": a.policy_year, "scope": a.scope_code, "voided": a.voided,
                 "void_reason": a.void_reason, "recorded_by": a.recorded_by} for a in rows]
