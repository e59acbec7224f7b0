"""The living demo that ``fpdesk --demo`` opens: a village office of the demo county (罗翠村 of Mingxi)
in the middle of its sign-up season, so that every screen has something on it for a newcomer.

Everything is written through the same services as real work, on the days it would have happened:
households enrolled week by week since the sign-up opened (the last ones this week, so progress has
last week's figures beside this week's), most self-paid premiums taken with their receipts and some
still owed, the government's share registered and awaiting its money, the village's target, and
three claims at different steps. The demo plays on a day inside the sign-up window: today while the
window is open, otherwise 20 March of this year (S1: "每年1月1日至4月30日").
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select

from fpdesk.core.vocabulary import OfficeLevel, PayerType
from fpdesk.services.demo.database import DEMO_CODE_YEAR, load_demo
from fpdesk.services.enrollment.claims import advance, record_paid, register_claim, set_documents, set_flags
from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
from fpdesk.services.enrollment.status import record_payment
from fpdesk.services.reports.targets import set_population, set_target
from fpdesk.services.workspace import Workspace, init_office
from fpdesk.storage.schema import Household, Person
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

DEMO_VILLAGE = "350421200201"  # 罗翠村, 城关乡, 明溪县
DEMO_OFFICE_NAME = "罗翠村计划生育协会"
DEMO_PRODUCT = "fp_family_accident_100"
WINDOW_OPENS, WINDOW_CLOSES = (1, 1), (4, 30)
ANSWERS = {"health_declaration": True, "beneficiary_type": "statutory"}


@dataclass
class SeasonSummary:
    day: dt.date
    households: int
    enrollments: int
    paid: int
    unpaid: int
    claims: int


def demo_day(today: dt.date) -> dt.date:
    """The day the demo plays on: today while a season's sign-up is open (and a few weeks old), else
    20 March of this year."""
    opened = dt.date(today.year, *WINDOW_OPENS) + dt.timedelta(days=21)
    if opened <= today <= dt.date(today.year, *WINDOW_CLOSES):
        return today
    return dt.date(today.year, 3, 20)


def load_living_demo(workspace: Workspace, *, today: dt.date | None = None, seed: int = 1) -> SeasonSummary:
    """A new database made into the demo village office, its season in progress up to ``demo_day``."""
    day = demo_day(today or dt.date.today())
    rng = random.Random(seed)
    init_office(workspace, code=DEMO_VILLAGE, level=OfficeLevel.VILLAGE, name=DEMO_OFFICE_NAME,
                code_year=DEMO_CODE_YEAR)
    load_demo(workspace, scale="village", seed=seed)
    with workspace.read() as session:
        households = list(session.scalars(select(Household.id).order_by(Household.address, Household.id)))
    rng.shuffle(households)
    coming = households[: len(households) * 3 // 4]  # a quarter has not come yet: the laggards
    opens = dt.date(day.year, *WINDOW_OPENS)
    weeks = [max(opens + dt.timedelta(days=2), day - dt.timedelta(days=7 * n + 1)) for n in range(5, -1, -1)]
    shares = [0.30, 0.22, 0.16, 0.12, 0.11, 0.09]  # most families come in the first weeks
    start = 0
    for when, share in zip(weeks, shares, strict=True):
        batch = coming[start:start + max(1, round(len(coming) * share))]
        start += len(batch)
        if batch:
            enroll_households_bulk(workspace, product=DEMO_PRODUCT, year=day.year, household_ids=batch, on=when,
                                   today=when, form_values=ANSWERS)
    paid, unpaid = _take_premiums(workspace, rng, day)
    _set_target(workspace, day.year)
    claims = _claims(workspace, day)
    with workspace.read() as session:
        enrollments = len(session.scalars(select(Enrollment.id)).all())
    return SeasonSummary(day, len(households), enrollments, paid, unpaid, claims)


def _take_premiums(workspace: Workspace, rng: random.Random, day: dt.date) -> tuple[int, int]:
    """Most self-paid families paid at the door within a few days; some still owe (已登记未缴费)."""
    with workspace.read() as session:
        rows = session.execute(select(Enrollment.id, Enrollment.premium_fen, Enrollment.enrolled_on)
                               .where(Enrollment.payer_type == PayerType.SELF.value)
                               .order_by(Enrollment.enrolled_on, Enrollment.id)).all()
    paid = 0
    for enrollment_id, premium, enrolled_on in rows:
        if rng.random() < 0.2:
            continue
        paid_on = min(day, enrolled_on + dt.timedelta(days=rng.choice((0, 0, 0, 1, 3))))
        record_payment(workspace, enrollment_id, amount_fen=premium, paid_on=paid_on, today=paid_on)
        paid += 1
    return paid, len(rows) - paid


def _set_target(workspace: Workspace, year: int) -> None:
    """The village's target, a little above what it has: the progress screen shows work left to do."""
    with workspace.read() as session:
        by_payer = {payer: 0 for payer in PayerType}
        for (payer,) in session.execute(select(Enrollment.payer_type)):
            by_payer[PayerType(payer)] += 1
        residents = len(session.scalars(select(Person.id)).all())
    set_target(workspace, year=year, product=DEMO_PRODUCT, division_code=DEMO_VILLAGE,
               government=by_payer[PayerType.GOVERNMENT] + 3, self_paid=round(by_payer[PayerType.SELF] * 1.25) + 1,
               employer=by_payer[PayerType.EMPLOYER])
    set_population(workspace, division_code=DEMO_VILLAGE, year=year, residents=residents)


def _claims(workspace: Workspace, day: dt.date) -> int:
    """Three claims at different steps: paid, waiting for documents, just registered (green channel)."""
    with workspace.read() as session:
        people = session.execute(
            select(Person.id, Enrollment.period_start)
            .join(InsuredPerson, InsuredPerson.person_id == Person.id)
            .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
            .where(Enrollment.status == "paid", Enrollment.period_start <= day - dt.timedelta(days=20))
            .order_by(Enrollment.period_start, Person.id)).all()
    if len(people) < 3:
        return 0
    chosen = [people[0], people[len(people) // 2], people[-1]]
    medical = "accidental_medical"
    documents = ["claim_form", "id_proof", "bank_account", "accident_proof", "medical_records",
                 "medical_invoices", "expense_list"]

    first = register_claim(workspace, person=chosen[0][0], kind=medical, incident_on=chosen[0][1] + dt.timedelta(days=3),
                           product=DEMO_PRODUCT, description="骑电动车摔伤右腿，县医院门诊治疗",
                           claimed_fen=186_000, reported_on=chosen[0][1] + dt.timedelta(days=4),
                           report_number="RMX2026000118", today=day)
    filed = chosen[0][1] + dt.timedelta(days=10)
    set_documents(workspace, first.claim_id, documents, on=filed)
    advance(workspace, first.claim_id, "documents_complete", on=filed, today=day)
    advance(workspace, first.claim_id, "submitted", on=filed, today=day)
    record_paid(workspace, first.claim_id, paid_fen=186_000, paid_on=min(day, filed + dt.timedelta(days=9)),
                today=day)

    incident = max(chosen[1][1], day - dt.timedelta(days=12))
    second = register_claim(workspace, person=chosen[1][0], kind=medical, incident_on=incident,
                            product=DEMO_PRODUCT, description="干农活被镰刀割伤左手，乡卫生院缝合",
                            claimed_fen=42_000, reported_on=incident + dt.timedelta(days=1),
                            report_number="RMX2026000231", today=day)
    set_documents(workspace, second.claim_id, documents[:4], on=incident + dt.timedelta(days=2))

    third = register_claim(workspace, person=chosen[2][0], kind=medical, incident_on=day - dt.timedelta(days=1),
                           product=DEMO_PRODUCT, description="摔倒致腕部骨折，住院治疗中", today=day)
    set_flags(workspace, third.claim_id, green_channel=True, home_visit=True, on=day)
    return 3
