"""Enrolling a household (or some of its people) in a product for a policy year.

The rules engine (fpdesk.core.rules) decides everything about eligibility, premium, payer, policy
period and sums insured; this module gathers the facts (fpdesk.services.enrollment.facts), asks
the engine, refuses with the engine's reasons, and writes what it said — in one transaction with
the change log. Every member asked for (by default every living member) must be eligible: an
ineligible one refuses the whole enrollment with the engine's reason codes unless the caller
excludes that member explicitly, so nobody is silently left out of a family's cover.

The enrollment date (``on``) is the day the entry is made (registration); ages, the enrollment
window and the cover the entry would have are judged at it. A date in a season before today's is a
past year's record (an old roster typed in) and is not blocked by the window; a date in the current
season after its deadline is a late entry, which the product accepts, accepts with a warning or
refuses. The cover itself is dated by the product's rule from the event it names: a fixed cycle is
known at once, cover from the day after payment only once the premium is received
(services/enrollment/money.py). A renewal continues the household's previous cover.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fpdesk.core.changes import ChangeSet
from fpdesk.core.enrollment_forms import check_value
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_ids
from fpdesk.core.memo import DefinitionMemo
from fpdesk.core.products import Product
from fpdesk.core.rules import (
    Eligibility,
    EnrollmentFacts,
    PersonEligibility,
    PersonFacts,
    Reason,
    judge,
    role_of,
    window_reasons,
)
from fpdesk.core.rules_calendar import CLOSED, window_status
from fpdesk.core.vocabulary import DivisionKind, PayerType, PersonStatus
from fpdesk.services.enrollment.facts import (
    HouseholdSnapshot,
    Member,
    catalog,
    family_shares_held,
    household_of_person,
    load_household,
    person_facts,
    previous_cover,
)
from fpdesk.services.enrollment.money import contribution_rows, shared_contribution_rows
from fpdesk.services.enrollment.plan_rows import (
    CONTRIBUTION_ROW_KEYS,
    ENROLLMENT_ROW_KEYS,
    ENROLLMENT_VALUE_KEYS,
    INSURED_ROW_KEYS,
    INSURED_VALUE_KEYS,
    PlanRows,
)
from fpdesk.services.enrollment.product_catalog import check_offered, office_product
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace, WriteContext, retry_conflicts
from fpdesk.storage.bulk_insert import insert_processed
from fpdesk.storage.fields_text import FieldsTexts
from fpdesk.storage.schema import Division, Household, utc_now
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, Enrollment, InsuredPerson
from fpdesk.storage.schema_money import Contribution

CONSENT_METHODS = ("signed_form", "verbal", "guardian", "renewal_confirmation", "imported_roster")


@dataclass(frozen=True)
class Consent:
    """Who agreed to the enrollment, when and how (docs/rules.md#voluntary; PIPL art. 29/31)."""

    by: str
    on: dt.date
    method: str = "signed_form"

    def checked(self) -> Consent:
        by = " ".join(self.by.split())
        if not by:
            raise DomainError("consent_missing")
        if self.method not in CONSENT_METHODS:
            raise DomainError("bad_argument", {"detail": f"同意方式 {self.method!r}（可用：{', '.join(CONSENT_METHODS)}）"})
        return Consent(by, self.on, self.method)


@dataclass
class InsuredSummary:
    person_id: uuid.UUID
    name: str
    id_number: str | None
    sums_insured: list[dict[str, Any]]


@dataclass
class EnrollmentResult(ChangeSet):
    """The ChangeSet of an enrollment job plus what the clerk is told."""

    enrollment_id: uuid.UUID | None = None
    product_code: str = ""
    policy_year: int = 0
    premium_fen: int = 0
    payer: str = ""
    period: tuple[dt.date, dt.date] | None = None
    warnings: list[Reason] = field(default_factory=list)
    insured: list[InsuredSummary] = field(default_factory=list)
    receipt_no: str | None = None


@dataclass
class EnrollmentPlan:
    """An enrollment the engine has accepted, ready to be written."""

    product: Product
    year: int
    household_id: uuid.UUID
    channel: str  # village | unit
    unit_division_id: uuid.UUID | None
    judged: Eligibility
    insured: list[tuple[Member, PersonEligibility]]  # the eligible members, head first
    enrolled_on: dt.date
    form_values: dict[str, Any]
    consent: Consent
    excluded: list[tuple[Member, list[Reason]]] = field(default_factory=list)  # left out, with reasons
    previous: tuple[uuid.UUID, dt.date] | None = None  # the cover this one continues: (enrollment, last day)


def policy_year_of(judged: Eligibility) -> int:
    """The policy year an enrollment judged by the engine belongs to: the season's cover year, or
    (products enrolled all year round) the year its cover starts."""
    return judged.window.cover_year if judged.window.cover_year is not None else judged.period.start.year


def refusal(reasons: Sequence[Reason]) -> DomainError:
    # the same reason found at the entry's date and again at today's (a closed window) is said once
    reasons = list(dict.fromkeys(reasons))
    codes = list(dict.fromkeys(r.code for r in reasons))
    personal = any(r.person_index is not None for r in reasons)
    return DomainError("enrollment_refused", {
        "hint_zh": "（不参保的成员可以用“排除”明确不保）" if personal else "",
        "hint_en": " (members who are not to be insured may be excluded explicitly)" if personal else "",
        "codes": ", ".join(codes), "reason_codes": codes,
        "reasons_zh": "；".join(r.message_zh.rstrip("。") for r in reasons) + "。",
        "reasons_en": "; ".join(r.message_en.rstrip(".") for r in reasons) + ".",
        "reasons": [r.as_dict() for r in reasons]})


def check_form_values(product: Product, channel: str, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """The product form's answers, typed and validated; fields held by the household or person
    record (``maps_to``) come from the record and are not stored here."""
    form, known, own_fields = _FORM_MEMO.get(product, channel, lambda: _form_fields(product, channel))
    values = values or {}
    for key in values:
        if key not in known:
            raise DomainError("unknown_form_field", {"form": form.code, "key": key, "known": ", ".join(sorted(known))})
    result: dict[str, Any] = {}
    for form_field in own_fields:
        value = check_value(form_field, values.get(form_field.key))
        if value is not None:
            result[form_field.key] = value.isoformat() if isinstance(value, dt.date) else value
    return result


def _form_fields(product: Product, channel: str):
    """(form, every field key, the fields of ``channel`` the enrollment itself stores)."""
    form = product.enrollment_form or catalog().form_of(product)  # a catalog's product knows its form
    return form, frozenset(f.key for f in form.fields), tuple(f for f in form.fields_for(channel) if not f.maps_to)


_FORM_MEMO = DefinitionMemo()  # a roster asks for the same product's form once per household


def default_members(product: Product, snapshot: HouseholdSnapshot, facts_of) -> list[Member]:
    """Every living member the product can insure (all of them, or those in its insured roles)."""
    living = [m for m in snapshot.members if m.status is PersonStatus.ALIVE]
    roles = product.eligibility.insured_roles
    if not roles:
        return living
    return [m for m in living if role_of(facts_of(m)) in roles]


def plan_enrollment(ctx: WriteContext, *, product: Product, year: int, snapshot: HouseholdSnapshot,
                    members: Sequence[str | uuid.UUID] | None, exclude: Sequence[str | uuid.UUID],
                    payer: PayerType | None, shares: int, on: dt.date, today: dt.date,
                    form_values: Mapping[str, Any] | None, consent: Consent,
                    unit_code: str | None) -> EnrollmentPlan:
    """Judge an enrollment with the engine; refuse it with every reason, or return the plan."""
    session = ctx.session
    channel, unit_division_id = channel_of(session, snapshot, unit_code)
    excluded = {snapshot.member(ref).person_id for ref in exclude}
    if members is None:
        chosen = default_members(product, snapshot, lambda m: PersonFacts(m.birth_date, relation=m.relation))
    else:
        chosen = list(dict.fromkeys(snapshot.member(ref) for ref in members))
    chosen = [m for m in chosen if m.person_id not in excluded]
    return judge_plan(product, year, snapshot, chosen, person_facts(session, product, year, chosen),
                      family_held=family_shares_held(session, product, year, snapshot.household_id),
                      channel=channel, unit_division_id=unit_division_id, payer=payer, shares=shares, on=on,
                      today=today, form_values=form_values, consent=consent,
                      previous=previous_cover(session, product, year, snapshot.household_id))


def judge_plan(product: Product, year: int, snapshot: HouseholdSnapshot, chosen: Sequence[Member],
               facts: Sequence[PersonFacts], *, family_held: int, channel: str, unit_division_id: uuid.UUID | None,
               payer: PayerType | None, shares: int, on: dt.date, today: dt.date,
               form_values: Mapping[str, Any] | None, consent: Consent,
               drop_ineligible: bool = False, previous: tuple[uuid.UUID, dt.date] | None = None,
               person_answers: Mapping[uuid.UUID, Mapping[str, Any]] | None = None) -> EnrollmentPlan:
    """Ask the engine about ``chosen`` (with their ``facts``); refuse with every reason, or plan.

    ``drop_ineligible`` (renewals, bulk jobs) leaves out members with a personal reason, listing
    them in ``plan.excluded``, and refuses only for household reasons or when nobody is left.
    ``previous`` is the household's cover this one continues; ``person_answers`` each person's own
    form answers (a roster's rows), where they may differ from the household's.
    """
    if snapshot.status != "active":
        raise DomainError("household_not_active")
    if on > today:
        raise DomainError("date_in_future", {"on": on.isoformat(), "today": today.isoformat()})
    if shares < 1:
        raise DomainError("bad_argument", {"detail": "份数至少为1"})
    enrollment = EnrollmentFacts(enrollment_date=on, shares=shares, recorded_on=today, requested_payer=payer,
                                 family_shares_held=family_held, policy_year=year,
                                 previous_cover_end=previous[1] if previous else None,
                                 answers=rule_answers(product, form_values))
    if person_answers:
        facts = [replace(f, answers=rule_answers(product, person_answers.get(m.person_id)))
                 for m, f in zip(chosen, facts, strict=True)]
    household = snapshot.facts(via_unit_channel=channel == "unit")
    judged = judge(product, household, facts, enrollment)
    if not is_past_record(product, judged, on, today):  # a past record of a product since withdrawn is history
        check_offered(product)
    judged = _closed_today(product, judged, today)
    excluded: list[tuple[Member, list[Reason]]] = []
    if drop_ineligible and judged.reasons and not [r for r in judged.reasons if r.person_index is None]:
        keep = [p.index for p in judged.persons if p.eligible]
        excluded = [(chosen[p.index], list(p.reasons)) for p in judged.persons if not p.eligible]
        if keep:
            chosen, facts = [chosen[i] for i in keep], [facts[i] for i in keep]
            judged = _closed_today(product, judge(product, household, facts, enrollment), today)
    if judged.reasons or not judged.eligible:
        raise refusal(judged.reasons)
    derived = policy_year_of(judged)
    if derived != year:
        raise DomainError("policy_year_mismatch", {"on": on.isoformat(), "derived": derived, "year": year})
    insured = [(chosen[p.index], p) for p in judged.persons if p.eligible]
    insured.sort(key=lambda pair: pair[0].relation.value != "head")
    return EnrollmentPlan(product, year, snapshot.household_id, channel, unit_division_id, judged, insured, on,
                          check_form_values(product, channel, form_values), consent.checked(), excluded, previous)


def rule_answers(product: Product, values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The form answers the product's rules read (a declaration, who pays), typed; an answer that does
    not read as the field's type is left to the form's own check."""
    if not values:
        return None
    keys = [a.field for a in product.eligibility.required_answers]
    if product.payer_by_answer:
        keys.append(product.payer_by_answer.field)
    form = product.enrollment_form or catalog().form_of(product)
    found = {}
    for key in keys:
        form_field = form.field(key)
        if form_field is None or values.get(key) is None:
            continue
        try:
            found[key] = check_value(form_field, values[key])
        except DomainError:
            continue
    return found or None


def is_past_record(product: Product, judged: Eligibility, on: dt.date, today: dt.date) -> bool:
    """Whether an entry records an earlier season (history copied from an old roster) rather than
    new business: the season of the product's enrollment window, or for a product enrolled all year
    round, the calendar year (the engine calls no such record historical: it has no season)."""
    if product.enrollment_window is None:
        return on.year < today.year
    return judged.historical


def _closed_today(product: Product, judged: Eligibility, today: dt.date) -> Eligibility:
    """A current-season entry is judged at its own date by the engine; if the season's deadline
    has passed by the day it is typed in, it is a late new entry all the same (accepted, accepted
    with a warning or refused as the product says; a past season's record is history)."""
    if judged.historical or judged.window.season is None or judged.window.is_late:
        return judged
    now = window_status(product, today)
    if now.state != CLOSED or now.season != judged.window.season:
        return judged
    warnings: list[Reason] = []
    reasons = window_reasons(now, False, warnings, on=today)
    return replace(judged, eligible=judged.eligible and not reasons, reasons=(*reasons, *judged.reasons),
                   warnings=(*warnings, *judged.warnings))


def channel_of(session, snapshot: HouseholdSnapshot, unit_code: str | None) -> tuple[str, uuid.UUID | None]:
    if snapshot.is_unit:
        return "unit", snapshot.division_id
    if not unit_code:
        return "village", None
    unit = session.scalar(select(Division).where(Division.code == unit_code.strip()))
    if unit is None:
        raise DomainError("unknown_division", {"value": unit_code})
    if unit.kind != DivisionKind.AGENCY_UNIT.value:
        raise DomainError("not_an_agency_unit", {"value": f"{unit.name}（{unit.code}）"})
    return "unit", unit.id


def write_plans(ctx: WriteContext, plans: Sequence[EnrollmentPlan]) -> list[uuid.UUID]:
    """Insert the enrollments and their insured rows (executemany) with their change entries."""
    now = utc_now()
    connection = ctx.session.connection()
    rows = PlanRows(connection, now)
    ids = []
    # the members of a household (and the households the engine judged alike) share their covers:
    # one list each, which the insert serialises once (storage/bulk_insert.py)
    sums_insured: dict[int, list[dict]] = {}
    texts = _PlanTexts()
    record = ctx.recorder.record
    # in the order new_id would mint them one by one: each enrollment's id, then its insured rows'
    minted = iter(new_ids(len(plans) + sum(len(plan.insured) for plan in plans)))
    for plan in plans:
        enrollment_id = next(minted)
        ids.append(enrollment_id)
        judged = plan.judged
        # cover from the day after payment is dated when the premium is received (enrollment_money.settle)
        dated = not plan.product.period.dated_on_payment or judged.premium_fen == 0
        values = {
            "product_code": plan.product.code, "product_version": plan.product.version, "policy_year": plan.year,
            "household_id": plan.household_id, "channel": plan.channel, "unit_division_id": plan.unit_division_id,
            "payer_type": judged.payer.value, "funding_source": plan.product.funding_source,
            "status": "registered", "status_reason": "", "status_on": plan.enrolled_on, "shares": judged.shares,
            "premium_fen": judged.premium_fen, "refunded_fen": 0, "policy_number": None,
            "enrolled_on": plan.enrolled_on, "period_start": judged.period.start if dated else None,
            "period_end": judged.period.end if dated else None,
            "received_on": plan.enrolled_on if judged.premium_fen == 0 else None,
            "handed_up_on": None, "issued_on": None, "hand_up_id": None,
            "renews_id": plan.previous[0] if plan.previous else None,
            "form_values": plan.form_values, "consent_by": plan.consent.by, "consent_on": plan.consent.on,
            "consent_method": plan.consent.method,
        }
        enrollment_bound = rows.enrollment(enrollment_id, values)
        record("enrollment", enrollment_id, "insert", values, 1, fields_text=texts.enrollment.text(values))
        shared = plan.product.contributions and judged.contributions
        for row in (shared_contribution_rows(enrollment_id, judged.contributions) if shared
                    else contribution_rows(enrollment_id, judged.payer.value, judged.premium_fen)):
            rows.contribution(row, enrollment_bound)
            record("contribution", row["id"], "insert", {k: v for k, v in row.items() if k != "id"}, 1)
        for member, judged_person in plan.insured:
            row_id = next(minted)
            row = {"enrollment_id": enrollment_id, "person_id": member.person_id, "id_number": member.id_number,
                   "product_code": plan.product.code, "policy_year": plan.year, "shares": judged.shares,
                   "added_on": plan.enrolled_on, "removed_on": None, "removal_reason": "",
                   "sums_insured": _sums_insured(sums_insured, judged_person.covers)}
            rows.insured(row_id, row, enrollment_bound)
            record("insured_person", row_id, "insert", row, 1, fields_text=texts.insured.text(row))
    # Core inserts (every row has the same keys): one executemany each, without the ORM's bookkeeping;
    # what the session holds goes first, as the ORM insert's autoflush did
    ctx.session.flush()
    if rows.enrollments:
        try:
            insert_processed(connection, Enrollment.__table__, list(ENROLLMENT_ROW_KEYS), rows.enrollments,
                             logged=True)
        except IntegrityError:  # another writer enrolled one of these households a moment ago
            plan = plans[0]
            raise DomainError("enrollment_exists", {"year": plan.year, "product": plan.product.name_zh}) from None
    if rows.insured_rows:
        insert_processed(connection, InsuredPerson.__table__, list(INSURED_ROW_KEYS), rows.insured_rows, logged=True)
    if rows.contributions:
        insert_processed(connection, Contribution.__table__, list(CONTRIBUTION_ROW_KEYS), rows.contributions,
                         logged=True)
    return ids


class _PlanTexts:
    """The change-log texts of the enrollments and insured persons ``write_plans`` writes, from
    templates of the values their rows repeat (storage/fields_text.py): a roster's plans share their
    product, year, dates, payer and covers, most of the text of these entries. (A contribution's
    entry is short, mostly its enrollment's id: encoded whole, it costs no more.)"""

    def __init__(self) -> None:
        self.enrollment = FieldsTexts(ENROLLMENT_VALUE_KEYS, varying=(
            "household_id", "renews_id", "form_values", "consent_by"))
        self.insured = FieldsTexts(INSURED_VALUE_KEYS, varying=("enrollment_id", "person_id", "id_number"), shared=("sums_insured",))


def _sums_insured(known: dict[int, list[dict]], covers: tuple) -> list[dict]:
    listed = known.get(id(covers))  # the plans keep every covers tuple alive while they are written
    if listed is None:
        listed = known[id(covers)] = [c.as_dict() for c in covers]
    return listed


@retry_conflicts
def enroll(workspace: Workspace, *, product: str, year: int, household_id: uuid.UUID | None = None,
           head_id_number: str | None = None, members: Sequence[str | uuid.UUID] | None = None,
           exclude: Sequence[str | uuid.UUID] = (), payer: str | PayerType | None = None, shares: int = 1,
           on: dt.date | None = None, today: dt.date | None = None, consent_by: str = "",
           consent_method: str = "signed_form", consent_on: dt.date | None = None,
           form_values: Mapping[str, Any] | None = None, unit_code: str | None = None,
           pay_fen: int | None = None, payer_name: str = "", collector: str | None = None) -> EnrollmentResult:
    """Enroll a household's members in ``product`` for policy ``year``; optionally take the premium at once.

    ``members`` names who is insured (person ids, ID numbers or names; default: every living member
    the product covers); ``exclude`` leaves members out on purpose. ``payer`` asks for a payer type
    (the engine refuses one the household's categories do not allow); ``unit_code`` enrolls through
    an agency unit (the 机关 channel). ``pay_fen`` records the payment in the same transaction.
    """
    from fpdesk.services.enrollment.status import take_payment

    today = today or dt.date.today()
    on = on or today
    chosen_product = office_product(workspace, product)
    requested = PayerType(payer) if payer else None
    require(workspace, "record.edit")
    with workspace.write() as ctx:
        result = ctx.recorder.result = EnrollmentResult()
        if household_id is None:
            if not head_id_number:
                raise DomainError("missing_field", {"field_zh": "户编号或户主身份证号码",
                                                    "field_en": "household id or head's ID number"})
            household_id = household_of_person(ctx.session, head_id_number)
        # one enrollment of a household at a time: a second clerk's waits here and then finds the first
        ctx.session.execute(select(Household.id).where(Household.id == household_id).with_for_update())
        snapshot = load_household(ctx.session, household_id)
        plan = plan_enrollment(
            ctx, product=chosen_product, year=year, snapshot=snapshot, members=members, exclude=exclude,
            payer=requested, shares=shares, on=on, today=today, form_values=form_values, unit_code=unit_code,
            consent=Consent(consent_by, consent_on or on, consent_method))
        if active_enrollment(ctx.session, household_id, chosen_product.code, year) is not None:
            raise DomainError("enrollment_exists", {"year": year, "product": chosen_product.name_zh})
        [enrollment_id] = write_plans(ctx, [plan])
        describe(result, plan, enrollment_id)
        if pay_fen is not None:
            ctx.session.flush()
            result.receipt_no = take_payment(ctx, enrollment_id, amount_fen=pay_fen, paid_on=on,
                                             payer_name=payer_name, collector=collector)
            row = ctx.session.get(Enrollment, enrollment_id)
            result.period = (row.period_start, row.period_end) if row.period_start else None
    return result


def active_enrollment(session, household_id: uuid.UUID, product_code: str, year: int) -> uuid.UUID | None:
    """The household's enrollment in force for this product and year, if any (the database allows one)."""
    return session.scalar(select(Enrollment.id).where(
        Enrollment.household_id == household_id, Enrollment.product_code == product_code,
        Enrollment.policy_year == year, Enrollment.status.in_(ACTIVE_STATUSES)).limit(1))


def describe(result: EnrollmentResult, plan: EnrollmentPlan, enrollment_id: uuid.UUID) -> None:
    judged = plan.judged
    result.primary_id = result.enrollment_id = enrollment_id
    result.product_code, result.policy_year = plan.product.code, plan.year
    result.premium_fen, result.payer = judged.premium_fen, judged.payer.value
    dated = not plan.product.period.dated_on_payment or judged.premium_fen == 0
    result.period = (judged.period.start, judged.period.end) if dated else None
    result.warnings = list(judged.warnings)
    result.insured = [InsuredSummary(m.person_id, m.name, m.id_number, [c.as_dict() for c in p.covers])
                      for m, p in plan.insured]
