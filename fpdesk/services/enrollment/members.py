"""Dated additions and removals of insured persons during the policy period (the insurer
covers the actual headcount as it changes: docs/rules.md#mid-term-changes).

An addition is judged by the rules engine like an enrollment of that one person on the day of
the addition, except that the enrollment window and the family's share count do not apply: the
household is already enrolled, so this is no new entry (a newborn who reaches 28 days in July is
added in July). The person is covered from 00:00 the next day to the end of the enrollment's
period. Where a sum is split among the insured (S1: ¥200,000 ÷ n) every insured person's sum is
recomputed by the engine when the headcount changes. A family or share premium already covers
every member, so an addition costs nothing; a per-person product charges the added person's
premium for the days covered where it prices part of a year by days (S3 "按实际人数"), the whole
premium otherwise — and a person removed from such a product gives back the days left: each
payer's share shrinks by its part of the premium (city, county and family alike where the premium
is shared), and what was already received beyond it goes back to whoever paid it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from fpdesk.core import enrollment_states as states
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.products import Product
from fpdesk.core.rules import EnrollmentFacts, judge
from fpdesk.core.rules_benefits import covers_for_insured, part_year_premium
from fpdesk.core.rules_calendar import PolicyPeriod
from fpdesk.core.vocabulary import PayerType
from fpdesk.services.enrollment import money
from fpdesk.services.enrollment.enrolling import EnrollmentResult, InsuredSummary, refusal, rule_answers
from fpdesk.services.enrollment.facts import HouseholdSnapshot, load_household, person_facts
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.enrollment.status import update_row
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

# Reasons that concern a new entry only; an addition to an existing enrollment is not one.
_NEW_ENTRY_ONLY = frozenset({"outside_enrollment_window", "payer_not_allowed"})


def _load_active(ctx: WriteContext, enrollment_id: uuid.UUID) -> Enrollment:
    row = ctx.session.get(Enrollment, enrollment_id, with_for_update=True)
    if row is None:
        raise DomainError("enrollment_not_found", {"value": str(enrollment_id)})
    if row.status not in states.ACTIVE:
        raise DomainError("enrollment_not_active", {"status_zh": states.label_zh(row.status),
                                                    "status_en": states.label_en(row.status)})
    return row


def _check_date(row: Enrollment, on: dt.date, today: dt.date) -> None:
    if on > today:
        raise DomainError("date_in_future", {"on": on.isoformat(), "today": today.isoformat()})
    end = row.period_end
    if end is None:  # cover not dated yet (not paid): a change happens from registration on
        if on < row.enrolled_on:
            raise DomainError("change_outside_period", {"on": on.isoformat(), "start": row.enrolled_on.isoformat(),
                                                        "end": "（缴费后确定）"})
        return
    if not row.enrolled_on <= on <= end:
        raise DomainError("change_outside_period", {"on": on.isoformat(), "start": row.period_start.isoformat(),
                                                    "end": end.isoformat()})


def add_insured(workspace: Workspace, enrollment_id: uuid.UUID, person: str | uuid.UUID, *,
                on: dt.date | None = None, today: dt.date | None = None) -> EnrollmentResult:
    """Insure one more member of the enrolled household from the day after ``on``."""
    today = today or dt.date.today()
    on = on or today
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        result = ctx.recorder.result = EnrollmentResult()
        row = _load_active(ctx, enrollment_id)
        _check_date(row, on, today)
        product = office_product(workspace, row.product_code, ctx.session)
        snapshot = load_household(ctx.session, row.household_id)
        member = snapshot.member(person)
        facts = person_facts(ctx.session, product, row.policy_year, [member])
        judged = judge(product, snapshot.facts(via_unit_channel=row.channel == "unit"), facts,
                       EnrollmentFacts(enrollment_date=on, shares=row.shares, recorded_on=today,
                                       requested_payer=PayerType(row.payer_type), policy_year=row.policy_year,
                                       answers=rule_answers(product, row.form_values)))
        reasons = [r for r in judged.reasons if r.code not in _NEW_ENTRY_ONLY
                   and not (r.code == "max_shares_exceeded" and r.person_index is None)]
        if reasons:
            raise refusal(reasons)
        sums = _resplit(ctx, product, row, snapshot, newcomer=member.person_id)
        row_id = new_id()
        values = {"enrollment_id": row.id, "person_id": member.person_id, "id_number": member.id_number,
                  "product_code": row.product_code, "policy_year": row.policy_year, "shares": row.shares,
                  "added_on": on, "removed_on": None, "removal_reason": "", "sums_insured": sums}
        ctx.session.add(InsuredPerson(id=row_id, revision=1, **values))
        ctx.recorder.record("insured_person", row_id, "insert", values, 1)
        if product.premium_by_person and product.contributions:  # each level pays its part for them too
            money.add_shared(ctx, row, judged.contributions)
        elif product.premium_by_person:
            money.change_contribution(ctx, row, addition_premium(product, row, on))
        result.primary_id = result.enrollment_id = row.id
        result.product_code, result.policy_year, result.premium_fen = row.product_code, row.policy_year, row.premium_fen
        result.payer, result.period = row.payer_type, (row.period_start, row.period_end)
        result.warnings = [w for w in judged.warnings if w.code != "historical_record"]
        result.insured = [InsuredSummary(member.person_id, member.name, member.id_number, sums)]
    return result


def remove_insured(workspace: Workspace, enrollment_id: uuid.UUID, person: str | uuid.UUID, *, on: dt.date,
                   reason: str, today: dt.date | None = None) -> ChangeSet:
    """End one person's cover at 24:00 on ``on`` (death, moving away, leaving the unit)."""
    today = today or dt.date.today()
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("reason_missing")
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        row = _load_active(ctx, enrollment_id)
        _check_date(row, on, today)
        snapshot = load_household(ctx.session, row.household_id)
        member = snapshot.member(person)
        insured = ctx.session.scalar(select(InsuredPerson).where(
            InsuredPerson.enrollment_id == row.id, InsuredPerson.person_id == member.person_id,
            InsuredPerson.removed_on.is_(None)).with_for_update())
        if insured is None:
            raise DomainError("not_insured_here", {"name": member.name})
        if on < insured.added_on:
            raise DomainError("change_outside_period", {"on": on.isoformat(), "start": insured.added_on.isoformat(),
                                                        "end": str(row.period_end or "")})
        product = office_product(workspace, row.product_code, ctx.session)
        end_cover(ctx, product, row, snapshot, insured, on=on, reason=reason)
        ctx.result.primary_id = insured.id
    return ctx.result


def end_cover(ctx: WriteContext, product: Product, row: Enrollment, snapshot: HouseholdSnapshot,
              insured: InsuredPerson, *, on: dt.date, reason: str, refunded_on: dt.date | None = None) -> int:
    """End one person's cover at 24:00 on ``on`` (before their first day: never covered), re-split
    the shared sums and, where the product gives back the days left, lower each payer's share by its
    part and refund what was received beyond it. Returns the fen given back (0 when nothing is)."""
    update_row(ctx, "insured_person", insured, {"removed_on": on, "removal_reason": reason})
    ctx.session.flush()
    _resplit(ctx, product, row, snapshot)
    credit = removal_credit(product, row, insured, on)
    if not credit:
        return 0
    money.take_off(ctx, row, credit)
    ctx.session.flush()
    given = 0
    for owed in money.owed_of(ctx.session, row):
        if owed.outstanding_fen < 0:  # received beyond the smaller share: back to whoever paid it
            money.refund_contribution(ctx, row, owed, -owed.outstanding_fen, on=refunded_on or on,
                                      reason=f"{reason}（减员退还未保天数的保费）")
            given += -owed.outstanding_fen
    if given:
        update_row(ctx, "enrollment", row, {"refunded_fen": row.refunded_fen + given})
    return given


def addition_premium(product: Product, row: Enrollment, on: dt.date) -> int:
    """The premium of one person added to a per-person enrollment on ``on``: covered from the next day
    to the period's end, priced for those days where the product says so (S3 "按实际人数")."""
    if row.period_end is None:  # cover not dated yet: the person joins the whole period
        return product.premium_fen * row.shares
    start = max(on + dt.timedelta(days=1), row.period_start or on)
    return part_year_premium(product, PolicyPeriod(start, row.period_end)) * row.shares


def removal_credit(product: Product, row: Enrollment, insured: InsuredPerson, on: dt.date) -> int:
    """What a person's removal on ``on`` takes off a per-person premium: the days left of their cover
    where the product prices by days, their whole premium when they were never covered, else nothing."""
    if not product.premium_by_person or row.period_start is None or row.period_end is None:
        return 0
    first = max(row.period_start, insured.added_on + dt.timedelta(days=1))
    if first > row.period_end:
        return 0
    charged = part_year_premium(product, PolicyPeriod(first, row.period_end)) * row.shares
    if on < first:
        return charged  # not a day of cover: none of it is owed
    if product.part_year.premium != "pro_rata_days" or on >= row.period_end:
        return 0
    kept = part_year_premium(product, PolicyPeriod(first, on)) * row.shares
    return max(charged - kept, 0)


def _resplit(ctx: WriteContext, product: Product, row: Enrollment, snapshot: HouseholdSnapshot,
             newcomer: uuid.UUID | None = None) -> list[dict]:
    """Give every person still insured the sums the engine computes for the current headcount;
    returns the sums of ``newcomer`` (a person about to be inserted), else an empty list."""
    active = ctx.session.scalars(select(InsuredPerson).where(
        InsuredPerson.enrollment_id == row.id, InsuredPerson.removed_on.is_(None))).all()
    order = {m.person_id: index for index, m in enumerate(snapshot.members)}  # head first
    people = sorted([*(i.person_id for i in active), *([newcomer] if newcomer else [])],
                    key=lambda pid: order.get(pid, len(order)))
    if not people:
        return []
    alone = product.unit == "person"
    covers = covers_for_insured(product, 1 if alone else len(people), row.shares)
    sums = {pid: [c.as_dict() for c in covers[0 if alone else position]] for position, pid in enumerate(people)}
    for insured in active:
        update_row(ctx, "insured_person", insured, {"sums_insured": sums[insured.person_id]})
    return sums.get(newcomer, []) if newcomer else []
