"""Progress against the targets (docs/rules.md#targets, docs/rules.md#weekly-bulletin): shares enrolled by payer per township and village,
completion, change since the previous count, ranking and the laggards.

Counted purely from the tables (enrollments, insured persons, targets) with GROUP BY, so a county
that has received its townships' packages computes the same figures as the townships themselves.
An enrollment stands on a day if it was entered on or before it and was not yet cancelled or
refunded then (a cancelled enrollment's ``status_on`` is the day it was withdrawn): the count as
of last week is therefore reproducible without snapshots. A standing enrollment counts as insured
only once its premium was received (paid in cash or allocated, ``received_on``); one registered but
not yet paid is counted beside, as 已登记未缴费 (``unpaid``), never inside.

A target set in households or persons, or as a share of the census households or persons
(fpdesk.core.target_measures), is met by the insured households (those with an insured enrollment,
counted once) or insured persons, counted the same way; its completion is against the target as
set, and a rate target also has the rate achieved (insured households ÷ census households).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from fpdesk.core import target_measures as tm
from fpdesk.core.catalog import Catalog
from fpdesk.core.language import pick
from fpdesk.core.products import find_product
from fpdesk.core.statistics import percent, percent_value, ratio
from fpdesk.services.enrollment.product_catalog import office_catalog
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household
from fpdesk.storage.schema_claims import Population, Target
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, Enrollment, InsuredPerson

PAYERS = ("government", "self", "employer")
LAGGARDS_NAMED = 3


@dataclass
class Shares:
    government: int = 0
    self: int = 0
    employer: int = 0

    @property
    def total(self) -> int:
        return self.government + self.self + self.employer

    def add(self, payer: str, count: int) -> None:
        setattr(self, payer, getattr(self, payer) + count)

    def add_all(self, other: Shares) -> None:
        for payer in PAYERS:
            self.add(payer, getattr(other, payer))

    def as_dict(self) -> dict[str, int]:
        return {"government": self.government, "self": self.self, "employer": self.employer, "total": self.total}


@dataclass
class ProgressLine:
    code: str
    name: str
    target: Shares = field(default_factory=Shares)
    enrolled: Shares = field(default_factory=Shares)  # insured: premium received
    previous: Shares = field(default_factory=Shares)
    rank: int | None = None
    villages: list[ProgressLine] = field(default_factory=list)
    unpaid: Shares = field(default_factory=Shares)  # registered, premium not yet received (已登记未缴费)
    # the target's form; a target in households or persons, or a rate of a census base, is ``goal``
    # in that unit (a rate: census × rate, kept exact), with ``stretch_goal`` for a stretch rate
    measure: str = tm.SHARES
    target_set: bool = False
    goal: Decimal = Decimal(0)
    stretch_goal: Decimal | None = None
    census: int | None = None
    census_missing: bool = False  # a rate target without its census base
    households: int = 0  # insured households and persons now and at the previous count
    households_previous: int = 0
    persons: int = 0
    persons_previous: int = 0
    mean_of: list[ProgressLine] = field(default_factory=list)  # a total over lines in different forms

    @property
    def completion(self) -> Decimal | None:
        return self._completion(previous=False)

    @property
    def previous_completion(self) -> Decimal | None:
        return self._completion(previous=True)

    def _completion(self, *, previous: bool) -> Decimal | None:
        if self.measure == tm.MIXED:  # no common unit: the plain mean of the lines' own completions
            parts = [p._completion(previous=previous) for p in self.mean_of]
            known = [p for p in parts if p is not None]
            return sum(known, Decimal(0)) / len(known) if known else None
        if self.measure == tm.SHARES:
            return ratio((self.previous if previous else self.enrolled).total, self.target.total)
        return ratio(self.achieved_at(previous=previous), self.goal)

    @property
    def unit(self) -> str:
        return tm.UNIT.get(self.measure, tm.SHARES)

    def achieved_at(self, *, previous: bool = False) -> int:
        """What counts toward the target, in its unit: insured shares, households or persons."""
        if self.unit == tm.HOUSEHOLDS:
            return self.households_previous if previous else self.households
        if self.unit == tm.PERSONS:
            return self.persons_previous if previous else self.persons
        return (self.previous if previous else self.enrolled).total

    @property
    def has_target(self) -> bool:
        return bool(self.target.total) if self.measure == tm.SHARES else bool(self.goal) or bool(self.mean_of)

    @property
    def target_value(self) -> int:
        """The target in its unit, a rate's rounded up to a whole household or person (a total over
        lines of different forms counts shares in its figures; its completion is their mean)."""
        if self.measure in (tm.SHARES, tm.MIXED):
            return self.target.total
        return int(self.goal.to_integral_value(rounding=ROUND_CEILING))

    @property
    def achieved_rate(self) -> Decimal | None:
        return ratio(self.achieved_at(), self.census) if self.measure in tm.RATES and self.census else None

    def _rate_bp(self, goal: Decimal | None) -> Decimal | None:
        return None if goal is None or not self.census else goal * tm.FULL / self.census

    def absorb_target(self, other: ProgressLine) -> None:
        """Add another line's target to this one's (villages into their township, townships into the total)."""
        if not other.target_set:
            return
        self.measure = other.measure if not self.target_set or self.measure == other.measure else tm.MIXED
        self.target_set = True
        self.target.add_all(other.target)
        self.goal += other.goal
        if other.stretch_goal is not None:
            self.stretch_goal = (self.stretch_goal or Decimal(0)) + other.stretch_goal
        if other.census:
            self.census = (self.census or 0) + other.census
        self.census_missing = self.census_missing or other.census_missing

    def add_target(self, measure: str, shares: Shares, quantity: int, rate_bp: int | None,
                   stretch_bp: int | None, census: int | None) -> None:
        one = ProgressLine(self.code, self.name, target=shares, measure=measure, target_set=True)
        if measure in (tm.HOUSEHOLDS, tm.PERSONS):
            one.goal = Decimal(quantity)
        elif measure in tm.RATES:
            one.census, one.census_missing = census, not census
            one.goal = Decimal((census or 0) * (rate_bp or 0)) / tm.FULL
            if stretch_bp is not None and census:
                one.stretch_goal = Decimal(census * stretch_bp) / tm.FULL
        self.absorb_target(one)

    def target_text(self, english: bool = False) -> str:
        """The target the way it was set, with the rate achieved for a rate target:
        '参保率 43.5%，目标 60%，力争 80%'."""
        if self.measure == tm.MIXED:
            return pick("口径不一，完成率取各乡镇平均", "forms differ: mean completion", english)
        if self.measure not in tm.RATES:
            return tm.describe(self.measure, quantity=self.target_value, shares=self.target.total, english=english)
        name = pick(tm.RATE_ZH, tm.RATE_EN, english)[self.measure]
        if self.census_missing and not self.census:
            return pick(f"{name}：缺{tm.BASE_ZH[self.measure]}", f"{name}: no census base", english)
        achieved = tm.rate_text(None if self.achieved_rate is None else self.achieved_rate * tm.FULL)
        goal = tm.rate_text(self._rate_bp(self.goal))
        parts = [f"{name} {achieved}", pick(f"目标 {goal}", f"target {goal}", english)]
        if self.stretch_goal is not None:
            stretch = tm.rate_text(self._rate_bp(self.stretch_goal))
            parts.append(pick(f"力争 {stretch}", f"stretch {stretch}", english))
        return pick("，", ", ", english).join(parts)

    @property
    def change(self) -> int:
        return self.enrolled.total - self.previous.total

    def payer_completion(self, payer: str) -> Decimal | None:
        return ratio(getattr(self.enrolled, payer), getattr(self.target, payer))

    def completion_text(self) -> str:
        return percent(self.completion, 1)

    def as_dict(self) -> dict:
        data = {"code": self.code, "name": self.name, "target": self.target.as_dict(),
                "enrolled": self.enrolled.as_dict(), "previous": self.previous.as_dict(),
                "change": self.change, "completion_pct": percent_value(self.completion, 1),
                "previous_completion_pct": percent_value(self.previous_completion, 1),
                "completion_by_payer_pct": {p: percent_value(self.payer_completion(p), 1) for p in PAYERS},
                "rank": self.rank, "unpaid": self.unpaid.as_dict(),
                "measure": self.measure, "unit": self.unit, "target_value": self.target_value,
                "achieved": self.achieved_at(), "previous_achieved": self.achieved_at(previous=True),
                "achieved_change": self.achieved_at() - self.achieved_at(previous=True),
                "households": self.households, "persons": self.persons, "census_base": self.census,
                "achieved_rate_pct": percent_value(self.achieved_rate, 1),
                "target_rate_pct": _pct(self._rate_bp(self.goal) if self.measure in tm.RATES else None),
                "stretch_rate_pct": _pct(self._rate_bp(self.stretch_goal)),
                "stretch_completion_pct": percent_value(ratio(self.achieved_at(), self.stretch_goal or 0), 1),
                "target_text": self.target_text()}
        if self.villages:
            data["villages"] = [v.as_dict() for v in self.villages]
        return data


@dataclass
class ProgressReport:
    year: int
    product: str | None
    as_of: dt.date
    previous_as_of: dt.date
    townships: list[ProgressLine]
    total: ProgressLine

    @property
    def laggards(self) -> list[ProgressLine]:
        """The townships at the bottom of the ranking that are below the county's completion."""
        overall = self.total.completion or Decimal(0)
        ranked = sorted((t for t in self.townships if t.rank is not None), key=lambda t: t.rank or 0, reverse=True)
        return [t for t in ranked if (t.completion or Decimal(0)) < overall][:LAGGARDS_NAMED]

    def as_dict(self) -> dict:
        return {"year": self.year, "product": self.product, "as_of": self.as_of.isoformat(),
                "previous_as_of": self.previous_as_of.isoformat(),
                "townships": [t.as_dict() for t in self.townships], "total": self.total.as_dict(),
                "laggards": [t.name for t in self.laggards]}


def _pct(basis_points: Decimal | None) -> float | None:
    return None if basis_points is None else percent_value(basis_points / tm.FULL, 1)


def week_end(year: int, week: int) -> dt.date:
    """The Sunday that ends ISO week ``week`` of ``year`` (a bulletin counts up to that day)."""
    return dt.date.fromisocalendar(year, week, 7)


def payer_group(payer: str) -> str:
    """The payer a figure is counted under: an unknown payer type counts as self-paid."""
    return payer if payer in PAYERS else "self"


def split_by_unit(products: Iterable[str], catalog: Catalog) -> tuple[list[str], list[str]]:
    """(per-family products, per-person products): a per-person product's shares are its insured
    persons', counted person by person, while a family product's shares stand on the enrollment."""
    family, per_person = [], []
    for code in products:
        (per_person if find_product(catalog.products, code).unit == "person" else family).append(code)
    return family, per_person


def counted_enrollments(*columns, insured_persons: bool = False) -> Select:
    """SELECT ``columns`` from the enrollments, each joined to the division it counts under — the
    agency unit for the unit channel, the household's village (or group) otherwise — and, with
    ``insured_persons``, to its insured persons. Progress and statistics both count shares from here."""
    division_id = case((Enrollment.channel == "unit", Enrollment.unit_division_id), else_=Household.division_id)
    query = (select(*columns).select_from(Enrollment)
             .join(Household, Household.id == Enrollment.household_id)
             .join(Division, Division.id == division_id))
    if insured_persons:
        query = query.join(InsuredPerson, InsuredPerson.enrollment_id == Enrollment.id)
    return query


def standing_on(day: dt.date, *, insured_persons: bool = False) -> ColumnElement[bool]:
    """SQL condition: the enrollment stood on ``day`` (entered, not yet withdrawn) and, with
    ``insured_persons``, the insured person was on it that day (added, not yet removed)."""
    standing = and_(Enrollment.enrolled_on <= day,
                    or_(Enrollment.status.in_(ACTIVE_STATUSES), Enrollment.status_on > day))
    if not insured_persons:
        return standing
    return and_(standing, InsuredPerson.added_on <= day,
                or_(InsuredPerson.removed_on.is_(None), InsuredPerson.removed_on >= day))


def received_by(day: dt.date) -> ColumnElement[bool]:
    """SQL condition: the premium had been received (paid or allocated) by ``day``."""
    return and_(Enrollment.received_on.is_not(None), Enrollment.received_on <= day)


def insured_on(day: dt.date, *, insured_persons: bool = False) -> ColumnElement[bool]:
    """Standing on ``day`` with the premium received: what counts as insured."""
    return and_(standing_on(day, insured_persons=insured_persons), received_by(day))


def unpaid_on(day: dt.date, *, insured_persons: bool = False) -> ColumnElement[bool]:
    """Standing on ``day`` but the premium not received by then: 已登记未缴费."""
    return and_(standing_on(day, insured_persons=insured_persons), ~received_by(day))


def enrolled_shares(session, *, year: int, products: Iterable[str], days: Sequence[dt.date],
                    catalog: Catalog, unpaid: bool = False) -> list[dict[tuple[str, str], int]]:
    """Insured shares by (division code, payer) as they stood on each of ``days``, in one pass over
    the year's enrollments (a CASE sum per day); with ``unpaid``, one more dict: the shares registered
    but not yet paid on the first day. Per-person products count their insured persons."""
    wanted = [(day, insured_on) for day in days] + ([(days[0], unpaid_on)] if unpaid else [])
    counts: list[dict[tuple[str, str], int]] = [defaultdict(int) for _ in wanted]
    family, per_person = split_by_unit(products, catalog)
    for codes, persons in ((family, False), (per_person, True)):
        if not codes:
            continue
        shares = InsuredPerson.shares if persons else Enrollment.shares
        sums = [func.sum(case((condition(day, insured_persons=persons), shares), else_=0)) for day, condition in wanted]
        query = (counted_enrollments(Division.code, Enrollment.payer_type, *sums, insured_persons=persons)
                 .where(Enrollment.policy_year == year, Enrollment.product_code.in_(codes),
                        Enrollment.enrolled_on <= max(days)).group_by(Division.code, Enrollment.payer_type))
        for division_code, payer, *values in session.execute(query):
            for bucket, value in zip(counts, values, strict=True):
                if value:
                    bucket[(division_code, payer_group(payer))] += int(value)
    return counts


def insured_heads(session, *, year: int, products: Iterable[str], days: Sequence[dt.date], unit: str
                  ) -> list[dict[str, int]]:
    """Insured households (``unit`` households) or persons by division code on each of ``days``: a
    household or person is counted once however many enrollments or shares it has, standing and
    paid for as ``enrolled_shares`` counts an enrollment."""
    persons = unit == tm.PERSONS
    who = InsuredPerson.person_id if persons else Enrollment.household_id
    counts = [func.count(func.distinct(case((insured_on(day, insured_persons=persons), who))))
              for day in days]
    query = (counted_enrollments(Division.code, *counts, insured_persons=persons)
             .where(Enrollment.policy_year == year, Enrollment.product_code.in_(list(products)),
                    Enrollment.enrolled_on <= max(days)).group_by(Division.code))
    found: list[dict[str, int]] = [defaultdict(int) for _ in days]
    for division_code, *values in session.execute(query):
        for bucket, value in zip(found, values, strict=True):
            if value:
                bucket[division_code] += int(value)
    return found


def overlapping_once(targets: Sequence) -> list:
    """Targets of all products together: shares add up, but a household or person insured under two
    products is counted once, so two products' targets of one division in households, persons or a
    rate overlap rather than add: the larger stands for both."""
    kept: dict[tuple[str, str], Any] = {}
    shares = []
    for target in targets:
        if target.measure == tm.SHARES:
            shares.append(target)
            continue
        key = (target.division_code, target.measure)
        size = (target.quantity or 0, target.rate_bp or 0, target.stretch_bp or 0)
        if key not in kept or size > (kept[key].quantity or 0, kept[key].rate_bp or 0, kept[key].stretch_bp or 0):
            kept[key] = target
    return shares + list(kept.values())


def township_of(code: str) -> str:
    return code[:9]


def village_of(code: str) -> str | None:
    return code[:12] if len(code) >= 12 else None


def progress(workspace: Workspace, *, year: int, product: str | None = None, as_of: dt.date | None = None,
             previous_as_of: dt.date | None = None) -> ProgressReport:
    """Progress of ``year`` as of ``as_of`` (default today) beside ``previous_as_of`` (a week earlier)."""
    as_of = as_of or dt.date.today()
    previous_as_of = previous_as_of or as_of - dt.timedelta(days=7)
    with workspace.read() as session:
        target_query = select(Target.division_code, Target.division_name, Target.government, Target.self_paid,
                              Target.employer, Target.measure, Target.quantity, Target.rate_bp,
                              Target.stretch_bp).where(Target.year == year)
        products = {product} if product else set(session.scalars(
            select(Enrollment.product_code).where(Enrollment.policy_year == year).distinct()))
        catalog = office_catalog(workspace, session)
        if product:
            find_product(catalog.products, product)
            target_query = target_query.where(Target.product_code == product)
        targets = session.execute(target_query.order_by(Target.division_code, Target.product_code)).all()
        now, before, waiting = enrolled_shares(session, year=year, products=products,
                                               days=(as_of, previous_as_of), catalog=catalog, unpaid=True)
        units = {tm.UNIT[t.measure] for t in targets if t.measure in tm.UNIT} - {tm.SHARES}
        heads = {unit: insured_heads(session, year=year, products=products, days=(as_of, previous_as_of),
                                     unit=unit) for unit in sorted(units) if products}
        census = {code: (households, residents) for code, households, residents in session.execute(
            select(Population.division_code, Population.households, Population.residents).where(
                Population.year == year))}
        names = dict(session.execute(select(Division.code, Division.name).where(
            func.length(Division.code) <= 12)).all())
    townships: dict[str, ProgressLine] = {}
    villages: dict[str, ProgressLine] = {}

    def line(code: str) -> ProgressLine:
        township_code = township_of(code)
        township = townships.get(township_code)
        if township is None:
            township = townships[township_code] = ProgressLine(township_code, names.get(township_code, township_code))
        village_code = village_of(code)
        if village_code is None:
            return township
        village = villages.get(village_code)
        if village is None:
            village = villages[village_code] = ProgressLine(village_code, names.get(village_code, village_code))
            township.villages.append(village)
        return village

    for target in (targets if product else overlapping_once(targets)):
        target_line = line(target.division_code)
        if target.division_name and target.division_code not in names:
            target_line.name = target.division_name
        households, residents = census.get(target.division_code, (None, None))
        base = households if target.measure == tm.HOUSEHOLD_RATE else residents
        target_line.add_target(target.measure, Shares(int(target.government or 0), int(target.self_paid or 0),
                                                      int(target.employer or 0)),
                               int(target.quantity or 0), target.rate_bp, target.stretch_bp, base)
    for which, counts in (("enrolled", now), ("previous", before), ("unpaid", waiting)):
        for (code, payer), count in counts.items():
            getattr(line(code), which).add(payer, count)
            if village_of(code) is not None:  # villages roll up into their township
                getattr(townships[township_of(code)], which).add(payer, count)
    for unit, days in heads.items():
        for suffix, counts in zip(("", "_previous"), days, strict=True):
            for code, count in counts.items():
                counted = [line(code)] + ([townships[township_of(code)]] if village_of(code) else [])
                for one in counted:  # villages roll up into their township, as the shares do
                    setattr(one, unit + suffix, getattr(one, unit + suffix) + count)
    for township in townships.values():
        if township.villages and not township.has_target:
            for village in township.villages:  # targets given only per village add up to the township's
                township.absorb_target(village)
        township.villages.sort(key=lambda v: v.code)
    ordered = sorted(townships.values(), key=lambda t: t.code)
    ranked = sorted((t for t in ordered if t.has_target), key=lambda t: (-(t.completion or 0), t.code))
    for rank, township in enumerate(ranked, start=1):
        township.rank = rank
    total = ProgressLine("", "合计")
    for township in ordered:
        total.absorb_target(township)
        total.enrolled.add_all(township.enrolled)
        total.previous.add_all(township.previous)
        total.unpaid.add_all(township.unpaid)
        for unit in (tm.HOUSEHOLDS, tm.PERSONS):
            for suffix in ("", "_previous"):
                setattr(total, unit + suffix, getattr(total, unit + suffix) + getattr(township, unit + suffix))
    if total.measure == tm.MIXED:
        total.mean_of = [t for t in ordered if t.has_target]
    return ProgressReport(year, product, as_of, previous_as_of, ordered, total)
