"""Renewals (续保): last policy year's insured who are not yet insured this year, re-judged and renewed.

A person insured under a product last year (enrollment paid, handed up or confirmed; not removed)
and not insured under it in the target year is a renewal candidate. Candidates are grouped by the
household they live in now; the rules engine judges each household with the renewal age limits
(S1: 65 for new entrants, 70 on renewal — ``renewal`` comes from last year's rows), leaves out
members it refuses (listed with its reasons: too old, deceased, …) and prices the rest. ``renew``
writes every renewable household in one transaction (one confirmation for the whole list);
``dry_run`` only reports. Last year's form answers and channel are carried over; consent is
recorded as the head's renewal confirmation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from fpdesk.core import enrollment_states as states
from fpdesk.core import idnumber
from fpdesk.core.catalog import Catalog
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.products import Product, find_product
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.services.enrollment.enroll_many import (
    HouseholdOutcome,
    YearIndex,
    chunks,
    load_households,
    plan_household,
)
from fpdesk.services.enrollment.enrolling import Consent, write_plans
from fpdesk.services.enrollment.product_catalog import check_offered, office_catalog
from fpdesk.services.permissions import require
from fpdesk.services.trust.backups import automatic_backup
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Person
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, Enrollment, InsuredPerson


@dataclass
class RenewalItem:
    product_code: str
    household_id: uuid.UUID
    village: str
    head: str
    outcome: HouseholdOutcome
    last_enrollment_id: uuid.UUID
    skipped: str | None = None  # "already_enrolled": the household has this year's enrollment already

    @property
    def renewable(self) -> bool:
        return self.skipped is None and self.outcome.plan is not None

    def as_dict(self) -> dict[str, Any]:
        plan = self.outcome.plan
        return {
            "product": self.product_code, "household_id": str(self.household_id), "village": self.village,
            "head": self.head, "last_enrollment_id": str(self.last_enrollment_id),
            "renewable": self.renewable, "skipped": self.skipped,
            "enrollment_id": str(self.outcome.enrollment_id) if self.outcome.enrollment_id else None,
            "premium_fen": plan.judged.premium_fen if plan else 0,
            "payer": plan.judged.payer.value if plan else None,
            "period": [plan.judged.period.start, plan.judged.period.end] if plan else None,
            "persons": [{"person_id": str(m.person_id), "name": m.name,
                         "id_number": idnumber.mask(m.id_number) if m.id_number else None} for m, _ in plan.insured]
            if plan else [],
            "excluded": [{"person_id": str(m.person_id), "name": m.name, "reasons": [r.code for r in reasons],
                          "messages": [r.message_zh for r in reasons]} for m, reasons in plan.excluded] if plan else [],
            "refused": [r.as_dict() for r in self.outcome.refused],
            "error": self.outcome.error,
        }


@dataclass
class RenewalResult(ChangeSet):
    from_year: int = 0
    to_year: int = 0
    dry_run: bool = True
    items: list[RenewalItem] = field(default_factory=list)

    @property
    def renewed_households(self) -> int:
        return sum(1 for i in self.items if i.renewable)

    @property
    def renewed_persons(self) -> int:
        return sum(len(i.outcome.plan.insured) for i in self.items if i.renewable)

    def counts(self) -> dict[str, int]:
        refused = Counter(r.code for i in self.items for r in i.outcome.refused)
        excluded = Counter(r.code for i in self.items if i.outcome.plan
                           for _, reasons in i.outcome.plan.excluded for r in reasons)
        return {"households": len(self.items), "renewable_households": self.renewed_households,
                "renewable_persons": self.renewed_persons,
                "skipped_households": sum(1 for i in self.items if i.skipped),
                "refused_households": sum(1 for i in self.items if not i.renewable and not i.skipped),
                **{f"refused:{k}": v for k, v in refused.items()}, **{f"excluded:{k}": v for k, v in excluded.items()}}


def _products(session, from_year: int, product: str | None, catalog: Catalog) -> list[str]:
    if product:
        chosen = find_product(catalog.products, product)
        check_offered(chosen)
        return [chosen.code]
    enrolled = set(session.scalars(select(Enrollment.product_code).where(Enrollment.policy_year == from_year)))
    # a product the county withdrew is not renewed (its enrollments end with their year)
    return sorted(code for code in enrolled if code not in catalog.products or not catalog.products[code].withdrawn)


def renew(workspace: Workspace, *, from_year: int, to_year: int, product: str | None = None,
          on: dt.date | None = None, today: dt.date | None = None, dry_run: bool = False,
          progress: Progress = NO_PROGRESS) -> RenewalResult:
    """Judge (and unless ``dry_run`` write) the renewal of last year's insured not yet renewed."""
    if to_year <= from_year:
        raise DomainError("bad_argument", {"detail": "续保年度应晚于上一年度"})
    today = today or dt.date.today()
    on = on or today
    require(workspace, "bulk")
    if not dry_run:
        automatic_backup(workspace, "before-bulk")  # a rotating copy before the job
    with workspace.write() as ctx:
        result = ctx.recorder.result = RenewalResult(from_year=from_year, to_year=to_year, dry_run=dry_run)
        catalog = office_catalog(workspace, ctx.session)
        for code in _products(ctx.session, from_year, product, catalog):
            result.items += _plan_product(ctx.session, find_product(catalog.products, code), from_year, to_year, on,
                                          today, progress)
        _refuse_if_all_alike(result.items)
        if not dry_run:
            todo = [i for i in result.items if i.renewable]
            ctx.recorder.summary_only = len(todo) > 1000  # a county's renewal keeps only a count of its changes
            for batch in chunks(todo, 2000):
                for item, enrollment_id in zip(batch, write_plans(ctx, [i.outcome.plan for i in batch]), strict=True):
                    item.outcome.enrollment_id = enrollment_id
                ctx.recorder.flush()
    return result


def _plan_product(session, product: Product, from_year: int, to_year: int, on: dt.date, today: dt.date,
                  progress: Progress) -> list[RenewalItem]:
    code = product.code
    last = session.execute(
        select(InsuredPerson.person_id, InsuredPerson.id_number, InsuredPerson.enrollment_id, Person.household_id,
               Enrollment.form_values, Enrollment.channel, Enrollment.unit_division_id, Enrollment.enrolled_on)
        .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .join(Person, InsuredPerson.person_id == Person.id)
        .where(InsuredPerson.product_code == code, InsuredPerson.policy_year == from_year,
               InsuredPerson.removed_on.is_(None), Enrollment.status.in_(sorted(states.IN_FORCE)))
    ).all()
    index = YearIndex(session, product, to_year)
    pending = [r for r in last if r.person_id not in index.held_by_person
               and not (r.id_number and r.id_number in index.held_by_number)]
    by_household: dict[uuid.UUID, list] = defaultdict(list)
    for row in pending:
        by_household[row.household_id].append(row)
    snapshots = load_households(session, list(by_household))
    enrolled_now = set(session.scalars(select(Enrollment.household_id).where(
        Enrollment.product_code == code, Enrollment.policy_year == to_year, Enrollment.status.in_(ACTIVE_STATUSES))))
    items = []
    for count, (household_id, rows) in enumerate(by_household.items(), start=1):
        snapshot = snapshots[household_id]
        latest = max(rows, key=lambda r: r.enrolled_on)
        wanted = {r.person_id for r in rows}
        chosen = [m for m in snapshot.members if m.person_id in wanted]
        head = snapshot.head.name if snapshot.head else chosen[0].name
        is_unit = snapshot.is_unit or latest.channel == "unit"
        unit_id = snapshot.division_id if snapshot.is_unit else latest.unit_division_id
        if household_id in enrolled_now:
            outcome = HouseholdOutcome(household_id, snapshot)
            items.append(RenewalItem(code, household_id, snapshot.division_name, head, outcome, latest.enrollment_id,
                                     skipped="already_enrolled"))
            continue
        outcome = plan_household(
            product, to_year, snapshot, chosen, index, channel="unit" if is_unit else "village",
            unit_division_id=unit_id if is_unit else None, on=on, today=today, form_values=latest.form_values,
            consent=Consent(head, on, "renewal_confirmation"))
        items.append(RenewalItem(code, household_id, snapshot.division_name, head, outcome, latest.enrollment_id))
        if count % 2000 == 0:
            progress.update(count, len(by_household), "判断续保资格")
    return items


def _refuse_if_all_alike(items: list[RenewalItem]) -> None:
    """When every household fails for the same household reason (the window closed, the wrong year),
    say so once as a refusal instead of listing it for each household."""
    failing = [i for i in items if not i.renewable and not i.skipped]
    if not items or len(failing) != len(items):
        return
    errors = {i.outcome.failure.code if i.outcome.failure else None for i in failing}
    if len(errors) == 1 and None not in errors:
        raise failing[0].outcome.failure
    household_codes = {tuple(r.code for r in i.outcome.refused if r.person_index is None) for i in failing}
    if len(household_codes) == 1 and next(iter(household_codes)):
        from fpdesk.services.enrollment.enrolling import refusal

        raise refusal([r for r in failing[0].outcome.refused if r.person_index is None])
