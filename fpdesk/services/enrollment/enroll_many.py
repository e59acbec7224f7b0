"""Enrolling many households in one transaction (renewals, imports, demo and benchmark set-up).

The same engine and the same writes as ``enroll``; only the fact gathering differs: instead of a
few queries per household, the product-year's insured rows, last year's insured, the eligible
list and the households with their members and categories are each read with one query, and the
rows go in as executemany batches, each with its change entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.products import Product
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.core.rules import PersonFacts, Reason
from fpdesk.core.vocabulary import HouseholdCategory, PersonStatus, Relation, Sex
from fpdesk.services.enrollment.enrolling import (
    Consent,
    EnrollmentPlan,
    default_members,
    judge_plan,
    write_plans,
)
from fpdesk.services.enrollment.facts import (
    HouseholdSnapshot,
    Member,
    active_insured,
    latest_covers,
    previous_covers,
)
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.permissions import require
from fpdesk.services.trust.backups import automatic_backup
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Person
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, EligibleListEntry, Enrollment, InsuredPerson

_CHUNK = 900  # ids per IN (...) list: under SQLite's bound-parameter limit with room to spare


def chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class YearIndex:
    """Everything the engine's person facts need about one product-year, read in a few queries."""

    def __init__(self, session, product: Product, year: int) -> None:
        self.product, self.year = product, year
        self.held_by_person: dict[uuid.UUID, int] = defaultdict(int)
        self.held_by_number: dict[str, int] = defaultdict(int)
        for person_id, id_number, shares, _ in session.execute(active_insured(product.code, year)):
            self.held_by_person[person_id] += shares
            if id_number:
                self.held_by_number[id_number] += shares
        last = session.execute(
            select(InsuredPerson.person_id, InsuredPerson.id_number)
            .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
            .where(InsuredPerson.product_code == product.code, InsuredPerson.policy_year == year - 1,
                   Enrollment.status.in_(ACTIVE_STATUSES))).all()
        self.last_year_persons = {r.person_id for r in last}
        self.last_year_numbers = {r.id_number for r in last if r.id_number}
        self.listed: set[str] = set()
        if product.eligibility.requires_eligible_list:
            self.listed = set(session.scalars(select(EligibleListEntry.id_number).where(
                EligibleListEntry.product_code == product.code, EligibleListEntry.policy_year == year)))
        self.previous = latest_covers(session.execute(previous_covers(product.code, year)))
        self.family_shares: dict[uuid.UUID, int] = defaultdict(int)
        for household_id, shares in session.execute(
                select(Enrollment.household_id, Enrollment.shares).where(
                    Enrollment.product_code == product.code, Enrollment.policy_year == year,
                    Enrollment.status.in_(ACTIVE_STATUSES))):
            self.family_shares[household_id] += shares

    def facts(self, m: Member) -> PersonFacts:
        """As ``enrollment_facts.person_facts`` says them, from the preloaded sets."""
        listed, renewal, shares_held, already = self._held(m)
        return PersonFacts(
            birth_date=m.birth_date, sex=m.sex, status=m.status, id_number=m.id_number,
            on_eligible_list=listed, relation=m.relation, name=m.name,
            renewal=renewal, shares_held=shares_held, already_insured_this_period=already)

    def standing(self, m: Member, *, minted_now: bool = False) -> tuple:
        """``judge_memo.standing_of(self.facts(m))`` without making the facts (a roster asks it for
        every member; the facts are made only for the households the engine is asked about).
        ``minted_now``: the member's id was made by this job, so no stored row holds it."""
        listed, renewal, shares_held, already = self._held(m, minted_now)
        return (m.relation, None, m.status, listed, renewal, shares_held, already, None, m.birth_date)

    def _held(self, m: Member, minted_now: bool = False) -> tuple[bool, bool, int, bool]:
        number = m.id_number
        by_person = 0 if minted_now else self.held_by_person.get(m.person_id, 0)
        held = max(by_person, self.held_by_number.get(number, 0) if number else 0)
        single_share = self.product.max_shares_per_person == 1
        return (number in self.listed, (not minted_now and m.person_id in self.last_year_persons)
                or number in self.last_year_numbers,
                0 if single_share else held, single_share and held > 0)


def load_households(session, household_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, HouseholdSnapshot]:
    """Snapshots of many households (members head first), in three queries per chunk."""
    result: dict[uuid.UUID, HouseholdSnapshot] = {}
    for ids in chunks(list(dict.fromkeys(household_ids))):
        categories: dict[uuid.UUID, set[HouseholdCategory]] = defaultdict(set)
        for household_id, category in session.execute(select(
                HouseholdCategoryLink.household_id, HouseholdCategoryLink.category)
                .where(HouseholdCategoryLink.household_id.in_(ids))):
            categories[household_id].add(HouseholdCategory(category))
        members: dict[uuid.UUID, list] = defaultdict(list)
        for p in session.execute(select(
                Person.household_id, Person.id, Person.name, Person.id_number, Person.relation, Person.sex,
                Person.birth_date, Person.status, Person.created_at).where(Person.household_id.in_(ids))):
            members[p.household_id].append(p)
        for h, d in session.execute(select(Household, Division).join(Division, Household.division_id == Division.id)
                                    .where(Household.id.in_(ids))):
            people = sorted(members[h.id], key=lambda p: (p.relation != Relation.HEAD.value, p.created_at, p.id))
            result[h.id] = HouseholdSnapshot(
                h.id, d.id, d.code, d.name, d.kind, h.status, frozenset(categories[h.id]), h.certificate_no,
                h.is_rural, h.reward_recipient,
                tuple(Member(p.id, p.name, p.id_number, Relation(p.relation), Sex(p.sex), p.birth_date,
                             PersonStatus(p.status)) for p in people))
    return result


@dataclass
class HouseholdOutcome:
    """What became (or would become) of one household in a bulk job."""

    household_id: uuid.UUID
    snapshot: HouseholdSnapshot | None
    plan: EnrollmentPlan | None = None
    refused: list[Reason] = field(default_factory=list)
    failure: DomainError | None = None  # a refusal that is not the engine's (form values, policy year …)
    enrollment_id: uuid.UUID | None = None

    @property
    def error(self) -> dict[str, Any] | None:
        return self.failure.as_dict() if self.failure else None

    @property
    def done(self) -> bool:
        return self.plan is not None


@dataclass
class BulkEnrollmentResult:
    outcomes: list[HouseholdOutcome]
    written: int = 0
    changes: int = 0


def plan_household(product: Product, year: int, snapshot: HouseholdSnapshot, chosen: Sequence[Member],
                   index: YearIndex, *, channel: str, unit_division_id: uuid.UUID | None, on: dt.date,
                   today: dt.date, form_values: dict[str, Any] | None, consent: Consent) -> HouseholdOutcome:
    """Judge one household of a bulk job; a refusal is recorded on the outcome, never raised."""
    outcome = HouseholdOutcome(snapshot.household_id, snapshot)
    try:
        outcome.plan = judge_plan(
            product, year, snapshot, chosen, [index.facts(m) for m in chosen],
            family_held=index.family_shares.get(snapshot.household_id, 0), channel=channel,
            unit_division_id=unit_division_id, payer=None, shares=1, on=on, today=today,
            form_values=form_values, consent=consent, drop_ineligible=True,
            previous=index.previous.get(snapshot.household_id))
    except DomainError as error:
        if error.code == "enrollment_refused":
            outcome.refused = [Reason(r["code"], r["message"], r["message_en"], r["person"])
                               for r in error.params["reasons"]]
        else:
            outcome.failure = error
    return outcome


def enroll_households_bulk(workspace: Workspace, *, product: str, year: int, household_ids: Sequence[uuid.UUID],
                           on: dt.date, today: dt.date | None = None,
                           form_values: dict[str, Any] | Callable[[HouseholdSnapshot], dict[str, Any]] | None = None,
                           consent_method: str = "signed_form", progress: Progress = NO_PROGRESS,
                           dry_run: bool = False) -> BulkEnrollmentResult:
    """Enroll every living member each product covers, of many households, in one transaction.

    Members the engine refuses are left out (listed on the outcome); a household with a
    household-level reason is not enrolled. Consent is recorded as given by the household head.
    """
    today = today or dt.date.today()
    chosen_product = office_product(workspace, product)
    require(workspace, "bulk")
    if not dry_run:
        automatic_backup(workspace, "before-bulk")  # a rotating copy before the job
    with workspace.write() as ctx:
        ctx.recorder.summary_only = True
        index = YearIndex(ctx.session, chosen_product, year)
        snapshots = load_households(ctx.session, household_ids)
        outcomes = []
        for count, household_id in enumerate(household_ids, start=1):
            snapshot = snapshots.get(household_id)
            if snapshot is None:
                outcomes.append(HouseholdOutcome(household_id, None, failure=DomainError("household_not_found")))
                continue
            chosen = default_members(chosen_product, snapshot, index.facts)
            values = form_values(snapshot) if callable(form_values) else form_values
            head = snapshot.head.name if snapshot.head else "户主"
            outcomes.append(plan_household(
                chosen_product, year, snapshot, chosen, index, channel="unit" if snapshot.is_unit else "village",
                unit_division_id=snapshot.division_id if snapshot.is_unit else None, on=on, today=today,
                form_values=values, consent=Consent(head, on, consent_method)))
            if count % 2000 == 0:
                progress.update(count, len(household_ids), "判断参保资格")
        result = BulkEnrollmentResult(outcomes)
        if not dry_run:
            done = [o for o in outcomes if o.plan is not None]
            for batch in chunks(done, 2000):
                for outcome, enrollment_id in zip(batch, write_plans(ctx, [o.plan for o in batch]), strict=True):
                    outcome.enrollment_id = enrollment_id
                ctx.recorder.flush()
            result.written = len(done)
        result.changes = ctx.recorder.recorded  # a dry run wrote nothing, so its transaction commits nothing
    return result
