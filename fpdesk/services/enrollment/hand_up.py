"""Rosters handed up and confirmed in one action ("名册汇总到乡镇…核实后分别报镇财政所和
相关保险公司"; "保险公司根据名册做好出单": docs/rules.md#hand-up).

A township hands up a roster — the enrollments of a village (or an agency unit, or a township's
villages), one product, one policy year — in one action, under one group policy number (团单号)
and date. What goes up: every standing enrollment whose family has paid its own share; one that
only the government or an employer still owes goes up too (the finance office checks the roster,
then allocates). Self-paid enrollments not yet paid stay behind and are counted, never sent.

The insurer's confirmation is entered once for the roster, by its group policy number (or the
roster's number), on the issue date: every enrollment on it becomes confirmed with that number,
except the persons the insurer did not accept, whose cover is ended before it began (and, for a
per-person premium, their share taken off and given back if it was received).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import case, select

from fpdesk.core import enrollment_states as states
from fpdesk.core import idnumber
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.money import format_fen
from fpdesk.services.enrollment import money
from fpdesk.services.enrollment.facts import load_household
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.permissions import require
from fpdesk.services.records import apply_changes
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Division, Household, Person
from fpdesk.storage.schema_enrollment import Enrollment, HandUp, InsuredPerson
from fpdesk.storage.sequences import format_number, next_number

HAND_UP_SERIES = "hand_up"


def _not_future(day: dt.date | None, today: dt.date | None) -> dt.date:
    today = today or dt.date.today()
    day = day or today
    if day > today:
        raise DomainError("date_in_future", {"on": day.isoformat(), "today": today.isoformat()})
    return day


def roster_division():
    """The division an enrollment is listed under: its agency unit (机关 channel), else the household's."""
    return case((Enrollment.channel == "unit", Enrollment.unit_division_id), else_=Household.division_id)


def roster_enrollments(session, *, product: str, year: int, scope: str | None):
    """(Enrollment, division code) of the standing enrollments of one product-year under ``scope``."""
    query = (select(Enrollment, Division.code).join(Household, Household.id == Enrollment.household_id)
             .join(Division, Division.id == roster_division())
             .where(Enrollment.product_code == product, Enrollment.policy_year == year,
                    Enrollment.status.in_(sorted(states.ACTIVE))))
    if scope:
        query = query.where(Division.code.startswith(scope.strip(), autoescape=True))
    return session.execute(query.order_by(Division.code, Enrollment.id)).all()


@dataclass
class RosterLine:
    enrollment_id: uuid.UUID
    division_code: str
    payer: str
    premium_fen: int
    persons: int
    ready: bool  # may go up now
    owed_by_family_fen: int = 0  # what keeps it back
    owed_by_payer_fen: int = 0  # the government's or employer's share still to be allocated


@dataclass
class RosterPreview:
    """What a hand-up of this roster would send, and what it would leave behind."""

    product: str
    year: int
    scope: str
    lines: list[RosterLine] = field(default_factory=list)
    already: int = 0  # handed up before

    @property
    def ready(self) -> list[RosterLine]:
        return [line for line in self.lines if line.ready]

    @property
    def unpaid(self) -> list[RosterLine]:
        return [line for line in self.lines if not line.ready]

    def totals(self) -> dict:
        by_payer: dict[str, dict[str, int]] = defaultdict(lambda: {"households": 0, "persons": 0, "premium_fen": 0})
        for line in self.ready:
            bucket = by_payer[line.payer]
            bucket["households"] += 1
            bucket["persons"] += line.persons
            bucket["premium_fen"] += line.premium_fen
        return {"households": len(self.ready), "persons": sum(line.persons for line in self.ready),
                "premium_fen": sum(line.premium_fen for line in self.ready), "by_payer": dict(by_payer),
                "awaiting_allocation_fen": sum(line.owed_by_payer_fen for line in self.ready),
                "unpaid_households": len(self.unpaid),
                "unpaid_fen": sum(line.owed_by_family_fen for line in self.unpaid),
                "already_handed_up": self.already}


def preview_roster(workspace: Workspace, *, product: str, year: int, scope: str | None,
                   session=None) -> RosterPreview:
    """The roster a hand-up would send (the GUI shows it before the clerk confirms)."""
    if session is None:
        with workspace.read() as own:
            return preview_roster(workspace, product=product, year=year, scope=scope, session=own)
    office_product(workspace, product, session)  # refuses an unknown code
    preview = RosterPreview(product, year, scope or "")
    rows = roster_enrollments(session, product=product, year=year, scope=scope)
    waiting = [r.Enrollment for r in rows if r.Enrollment.status in (states.REGISTERED, states.PAID)]
    preview.already = len(rows) - len(waiting)
    owed = money.contributions(session, waiting)
    persons = _insured_counts(session, [r.id for r in waiting])
    codes = {r.Enrollment.id: r.code for r in rows}
    for row in waiting:
        family = sum(max(c.outstanding_fen, 0) for c in owed[row.id] if c.payer_type == "self")
        others = sum(max(c.outstanding_fen, 0) for c in owed[row.id] if c.payer_type != "self")
        preview.lines.append(RosterLine(row.id, codes[row.id], row.payer_type, row.premium_fen,
                                        persons.get(row.id, 0), family <= 0, family, others))
    return preview


def _insured_counts(session, enrollment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    counts: dict[uuid.UUID, int] = defaultdict(int)
    ids = list(enrollment_ids)
    for start in range(0, len(ids), 900):
        for enrollment_id, in session.execute(select(InsuredPerson.enrollment_id).where(
                InsuredPerson.enrollment_id.in_(ids[start:start + 900]), InsuredPerson.removed_on.is_(None))):
            counts[enrollment_id] += 1
    return counts


@dataclass
class HandUpResult(ChangeSet):
    number: str = ""
    policy_number: str | None = None
    handed_up_on: dt.date | None = None
    totals: dict = field(default_factory=dict)
    enrollment_ids: list[uuid.UUID] = field(default_factory=list)


def hand_up_roster(workspace: Workspace, *, product: str, year: int, scope: str, policy_number: str | None = None,
                   on: dt.date | None = None, today: dt.date | None = None,
                   exclude: Sequence[uuid.UUID] = (), note: str = "") -> HandUpResult:
    """Hand up the roster of ``scope`` (a village, unit or township code) in one action."""
    on = _not_future(on, today)
    scope = (scope or "").strip()
    policy = " ".join((policy_number or "").split()) or None
    require(workspace, "review")
    with workspace.write() as ctx:
        result = ctx.recorder.result = HandUpResult()
        chosen = office_product(workspace, product, ctx.session)
        if not ctx.session.scalar(select(Division.code).where(Division.code.startswith(scope, autoescape=True))
                                  .limit(1)):
            raise DomainError("unknown_division", {"value": scope})
        preview = preview_roster(workspace, product=chosen.code, year=year, scope=scope, session=ctx.session)
        left_out = set(exclude)
        ready = [line for line in preview.ready if line.enrollment_id not in left_out]
        if not ready:
            raise DomainError("nothing_to_hand_up", {"scope": _scope_name(ctx, scope), "year": year,
                                                     "product": chosen.name_zh, "unpaid": len(preview.unpaid)})
        office = ctx.office.code
        number = format_number(office, year, next_number(ctx.session, office_code=office, series=HAND_UP_SERIES,
                                                         year=year))
        roster_id = new_id()
        values = {"number": number, "product_code": chosen.code, "policy_year": year, "scope_code": scope,
                  "policy_number": policy, "handed_up_on": on, "confirmed_on": None, "note": " ".join(note.split())}
        ctx.session.add(HandUp(id=roster_id, revision=1, **values))
        ctx.recorder.record("hand_up", roster_id, "insert", values, 1)
        ctx.session.flush()
        for row in _locked_enrollments(ctx, [line.enrollment_id for line in ready]):
            states.check_transition(row.status, states.HANDED_UP)
            apply_changes(ctx, "enrollment", row, {"status": states.HANDED_UP, "status_on": on,
                                                   "status_reason": f"上报名册{number}", "handed_up_on": on,
                                                   "hand_up_id": roster_id})
        preview.lines = ready + preview.unpaid
        result.primary_id = roster_id
        result.number, result.policy_number, result.handed_up_on = number, policy, on
        result.totals = preview.totals()
        result.enrollment_ids = [line.enrollment_id for line in ready]
    return result


def _locked_enrollments(ctx: WriteContext, ids: list[uuid.UUID]) -> list[Enrollment]:
    """The enrollments of ``ids``, in that order, read (and locked on PostgreSQL) a thousand at a
    time: one ``session.get`` each flushed the change before it first, and a county's roster of
    tens of thousands of enrollments took minutes."""
    found: dict[uuid.UUID, Enrollment] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        found.update((row.id, row) for row in ctx.session.scalars(
            select(Enrollment).where(Enrollment.id.in_(chunk)).with_for_update()
            .execution_options(populate_existing=True)))
    return [found[enrollment_id] for enrollment_id in ids]


def _scope_name(ctx: WriteContext, scope: str) -> str:
    name = ctx.session.scalar(select(Division.name).where(Division.code == scope))
    return f"{name}（{scope}）" if name else scope


def find_roster(session, ref: str) -> HandUp:
    """A handed-up roster by its group policy number or its own number (the newest when several)."""
    text = " ".join((ref or "").split())
    found = session.scalars(select(HandUp).where((HandUp.policy_number == text) | (HandUp.number == text))
                            .order_by(HandUp.handed_up_on.desc(), HandUp.number.desc())).first()
    if found is None:
        raise DomainError("roster_not_found", {"value": text})
    return found


@dataclass
class ConfirmResult(ChangeSet):
    number: str = ""
    policy_number: str = ""
    confirmed: int = 0
    exceptions: list[dict] = field(default_factory=list)  # persons the insurer did not accept
    unconfirmed: list[uuid.UUID] = field(default_factory=list)  # enrollments left with nobody insured


def confirm_roster(workspace: Workspace, *, policy_number: str | None = None, roster: str | None = None,
                   on: dt.date | None = None, today: dt.date | None = None,
                   exceptions: Sequence[tuple[str, str]] = ()) -> ConfirmResult:
    """Enter the insurer's confirmation of a handed-up roster once: ``policy_number`` names it (or
    ``roster``, its number, when the group policy number was not known at hand-up and is given now).
    ``exceptions`` are (ID number, reason) of persons the insurer did not accept."""
    from fpdesk.services.enrollment.members import end_cover

    on = _not_future(on, today)
    policy = " ".join((policy_number or "").split())
    if not policy:
        raise DomainError("policy_number_missing")
    require(workspace, "review")
    with workspace.write() as ctx:
        result = ctx.recorder.result = ConfirmResult()
        found = find_roster(ctx.session, roster or policy)
        if found.confirmed_on is not None:
            raise DomainError("roster_already_confirmed", {"number": found.number, "on": found.confirmed_on.isoformat(),
                                                           "policy": found.policy_number or ""})
        if found.policy_number and found.policy_number != policy:
            raise DomainError("roster_policy_differs", {"number": found.number, "policy": found.policy_number,
                                                        "given": policy})
        product = office_product(workspace, found.product_code, ctx.session)
        rows = ctx.session.scalars(select(Enrollment).where(Enrollment.hand_up_id == found.id,
                                                            Enrollment.status == states.HANDED_UP)
                                   .with_for_update()).all()
        by_id = {row.id: row for row in rows}
        insured = ctx.session.execute(
            select(InsuredPerson, Person.name).join(Person, Person.id == InsuredPerson.person_id)
            .where(InsuredPerson.enrollment_id.in_(list(by_id)), InsuredPerson.removed_on.is_(None))).all()
        for number, reason in exceptions:
            wanted = idnumber.normalise(number)
            hit = next(((i, name) for i, name in insured if i.id_number == wanted), None)
            if hit is None:
                raise DomainError("exception_not_on_roster", {"masked": idnumber.mask(wanted), "number": found.number})
            person, name = hit
            row = by_id[person.enrollment_id]
            why = f"保险公司未承保：{' '.join((reason or '').split()) or '未说明原因'}"
            before = (row.period_start or person.added_on + dt.timedelta(days=1)) - dt.timedelta(days=1)
            given = end_cover(ctx, product, row, load_household(ctx.session, row.household_id), person,
                              on=min(before, person.added_on), reason=why, refunded_on=on)
            result.exceptions.append({"name": name, "id_number": idnumber.mask(wanted), "reason": why,
                                      "refunded_fen": given, "refunded": format_fen(given) if given else ""})
        ctx.session.flush()
        still = {i.enrollment_id for i in ctx.session.scalars(select(InsuredPerson).where(
            InsuredPerson.enrollment_id.in_(list(by_id)), InsuredPerson.removed_on.is_(None)))}
        for row in rows:
            if row.id not in still:
                result.unconfirmed.append(row.id)
                continue
            apply_changes(ctx, "enrollment", row, {"status": states.CONFIRMED, "status_on": on, "issued_on": on,
                                                   "policy_number": policy})
            result.confirmed += 1
        apply_changes(ctx, "hand_up", found, {"confirmed_on": on, "policy_number": policy})
        result.primary_id = found.id
        result.number, result.policy_number = found.number, policy
    return result


def list_rosters(workspace: Workspace, *, year: int | None = None, limit: int = 200) -> list[dict]:
    """Rosters handed up, newest first, with what is on them."""
    with workspace.read() as session:
        query = select(HandUp).order_by(HandUp.handed_up_on.desc(), HandUp.number.desc()).limit(limit)
        if year is not None:
            query = query.where(HandUp.policy_year == year)
        rosters = session.scalars(query).all()
        counts: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
        for hand_up_id, premium in session.execute(select(Enrollment.hand_up_id, Enrollment.premium_fen).where(
                Enrollment.hand_up_id.in_([r.id for r in rosters]))):
            counts[hand_up_id][0] += 1
            counts[hand_up_id][1] += premium
        names = dict(session.execute(select(Division.code, Division.name)).all())
        return [{"number": r.number, "policy_number": r.policy_number, "product": r.product_code,
                 "year": r.policy_year, "scope": r.scope_code, "scope_name": names.get(r.scope_code, ""),
                 "handed_up_on": r.handed_up_on, "confirmed_on": r.confirmed_on,
                 "households": counts[r.id][0], "premium_fen": counts[r.id][1]} for r in rosters]
