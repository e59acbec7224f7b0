"""The demo county's enrollments: what a season looks like by the end of its campaign.

Deterministic from a seed, and written through the same services as real work: the priority groups
enrolled by their township and paid for by allocation (most of it, one voucher per township; the
rest still waiting), the agency units' staff by their unit, other families who chose to buy the
cover themselves — most of them paid against a receipt, some registered and not yet paid — and
half the villages' rosters handed up. Progress, statistics and the insurer's list have paid,
unpaid and government-paid enrollments to count (S1's product, 明溪县 2020's own programme).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.rules import HouseholdFacts, payer_for
from fpdesk.core.rules_calendar import window_status
from fpdesk.core.vocabulary import DivisionKind, HouseholdCategory, PayerType
from fpdesk.services.enrollment.allocations import allocate
from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
from fpdesk.services.enrollment.hand_up import hand_up_roster
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.enrollment.status import record_payments
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink
from fpdesk.storage.schema_enrollment import Enrollment

DEMO_PRODUCT = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
# Who takes up the cover: nearly all the priority groups (S1 "重点人群全覆盖") and unit staff, fewer of
# the families who pay for themselves; of those, most pay at once.
TAKE_UP = {PayerType.GOVERNMENT: 0.95, PayerType.EMPLOYER: 0.95, PayerType.SELF: 0.45}
PAID_AT_ONCE = 0.75
ALLOCATED = 0.85  # of a township's government-paid enrollments, by its voucher
DATES = 6  # registration days spread over the season so far


@dataclass
class DemoEnrollments:
    year: int
    enrollments: int = 0
    paid: int = 0
    allocated: int = 0
    unpaid: int = 0
    rosters: int = 0
    by_payer: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"year": self.year, "enrollments": self.enrollments, "paid": self.paid, "allocated": self.allocated,
                "unpaid": self.unpaid, "rosters": self.rosters, "by_payer": self.by_payer}


def enroll_demo(workspace: Workspace, *, today: dt.date, seed: int = 1) -> DemoEnrollments:
    """Enroll the demo county's households in this season of the demo product (as of ``today``)."""
    rng = random.Random(seed * 7919 + 18)
    product = office_product(workspace, DEMO_PRODUCT)
    window = window_status(product, today)
    year = window.cover_year or today.year
    opens = window.opens or dt.date(year, 1, 1)
    last = min(window.deadline or today, today)
    span = max((last - opens).days, 0)
    days = sorted({opens + dt.timedelta(days=round(span * i / max(DATES - 1, 1))) for i in range(DATES)})
    summary = DemoEnrollments(year)
    with workspace.read() as session:
        households = session.execute(select(Household.id, Division.code, Division.kind)
                                     .join(Division, Division.id == Household.division_id)
                                     .order_by(Household.id)).all()
        categories: dict = defaultdict(set)
        for household_id, category in session.execute(select(HouseholdCategoryLink.household_id,
                                                              HouseholdCategoryLink.category)):
            categories[household_id].add(HouseholdCategory(category))
    by_day: dict[dt.date, list] = defaultdict(list)
    for household_id, _code, kind in households:
        unit = kind == DivisionKind.AGENCY_UNIT.value
        payer = payer_for(product, HouseholdFacts(frozenset(categories[household_id]), via_unit_channel=unit))
        if rng.random() < TAKE_UP[payer]:
            by_day[rng.choice(days)].append(household_id)

    def form(snapshot):
        return {**FORM, "employer_unit": snapshot.division_name} if snapshot.is_unit else FORM

    for day in sorted(by_day):
        result = enroll_households_bulk(workspace, product=DEMO_PRODUCT, year=year, household_ids=by_day[day],
                                        on=day, today=today, form_values=form)
        summary.enrollments += result.written
    _money(workspace, rng, year, today, summary)
    return summary


def _money(workspace: Workspace, rng: random.Random, year: int, today: dt.date, summary: DemoEnrollments) -> None:
    with workspace.read() as session:
        rows = session.execute(select(Enrollment.id, Enrollment.payer_type, Enrollment.premium_fen,
                                      Enrollment.enrolled_on, Enrollment.channel, Enrollment.unit_division_id,
                                      Household.division_id)
                               .join(Household, Household.id == Enrollment.household_id)
                               .where(Enrollment.product_code == DEMO_PRODUCT, Enrollment.policy_year == year)
                               .order_by(Enrollment.id)).all()
        codes = dict(session.execute(select(Division.id, Division.code)).all())
    payments, groups = [], defaultdict(list)
    for row in rows:
        summary.by_payer[row.payer_type] = summary.by_payer.get(row.payer_type, 0) + 1
        if row.payer_type == PayerType.SELF.value:
            if rng.random() < PAID_AT_ONCE:
                payments.append((row.id, row.premium_fen, min(row.enrolled_on + dt.timedelta(days=rng.randint(0, 3)),
                                                              today)))
            continue
        division = codes[row.unit_division_id if row.channel == "unit" else row.division_id]
        # a township pays for its own priority groups; each agency unit for its staff
        groups[(row.payer_type, division if row.payer_type == PayerType.EMPLOYER.value else division[:9])].append(row)
    if payments:
        record_payments(workspace, payments, collector="村计生协会长", today=today)
    summary.paid = len(payments)
    for number, ((payer, _place), members) in enumerate(sorted(groups.items()), start=1):
        chosen = members if payer == PayerType.EMPLOYER.value else [r for r in members if rng.random() < ALLOCATED]
        if not chosen:
            continue
        on = min(max(r.enrolled_on for r in chosen) + dt.timedelta(days=5), today)
        allocate(workspace, payer=payer, voucher_no=f"明财〔{year}〕{number}号", on=on, today=today,
                 payer_name="乡镇财政所" if payer == PayerType.GOVERNMENT.value else "单位",
                 enrollment_ids=[r.id for r in chosen])
        summary.allocated += len(chosen)
    summary.unpaid = len(rows) - summary.paid - summary.allocated
    villages = sorted({codes[r.division_id] for r in rows if r.channel != "unit"})
    for code in villages[::2]:  # half the villages have handed their roster up
        try:
            hand_up_roster(workspace, product=DEMO_PRODUCT, year=year, scope=code, on=today, today=today)
            summary.rosters += 1
        except DomainError as error:  # a village with nothing ready yet is no failure here
            if error.code != "nothing_to_hand_up":
                raise
