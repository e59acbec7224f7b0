"""Progress against the targets (rules 10, 23): shares enrolled by payer per township and village,
completion, change since the previous count, ranking and the laggards.

Counted purely from the tables (enrollments, insured persons, targets) with GROUP BY, so a county
that has received its townships' packages computes the same figures as the townships themselves.
An enrollment stands on a day if it was entered on or before it and was not yet cancelled or
refunded then (a cancelled enrollment's ``status_on`` is the day it was withdrawn): the count as
of last week is therefore reproducible without snapshots. A standing enrollment counts as insured
only once its premium was received (paid in cash or allocated, ``received_on``); one registered but
not yet paid is counted beside, as 已登记未缴费 (``unpaid``), never inside.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from fpdesk.core.products import Catalog, find_product
from fpdesk.core.statistics import percent, percent_value, ratio
from fpdesk.services.product_catalog import office_catalog
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household
from fpdesk.storage.schema_claims import Target
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

    @property
    def completion(self) -> Decimal | None:
        return ratio(self.enrolled.total, self.target.total)

    @property
    def previous_completion(self) -> Decimal | None:
        return ratio(self.previous.total, self.target.total)

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
                "rank": self.rank, "unpaid": self.unpaid.as_dict()}
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
        target_query = select(Target.division_code, Target.division_name, func.sum(Target.government),
                              func.sum(Target.self_paid), func.sum(Target.employer)).where(Target.year == year)
        products = {product} if product else set(session.scalars(
            select(Enrollment.product_code).where(Enrollment.policy_year == year).distinct()))
        catalog = office_catalog(workspace, session)
        if product:
            find_product(catalog.products, product)
            target_query = target_query.where(Target.product_code == product)
        targets = session.execute(target_query.group_by(Target.division_code, Target.division_name)).all()
        now, before, waiting = enrolled_shares(session, year=year, products=products,
                                               days=(as_of, previous_as_of), catalog=catalog, unpaid=True)
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

    for code, name, government, self_paid, employer in targets:
        target_line = line(code)
        if name and code not in names:
            target_line.name = name
        target_line.target.add_all(Shares(int(government or 0), int(self_paid or 0), int(employer or 0)))
    for which, counts in (("enrolled", now), ("previous", before), ("unpaid", waiting)):
        for (code, payer), count in counts.items():
            getattr(line(code), which).add(payer, count)
            if village_of(code) is not None:  # villages roll up into their township
                getattr(townships[township_of(code)], which).add(payer, count)
    for township in townships.values():
        if township.villages and not township.target.total:
            for village in township.villages:  # targets given only per village add up to the township's
                township.target.add_all(village.target)
        township.villages.sort(key=lambda v: v.code)
    ordered = sorted(townships.values(), key=lambda t: t.code)
    ranked = sorted((t for t in ordered if t.target.total), key=lambda t: (-(t.completion or 0), t.code))
    for rank, township in enumerate(ranked, start=1):
        township.rank = rank
    total = ProgressLine("", "合计")
    for township in ordered:
        total.target.add_all(township.target)
        total.enrolled.add_all(township.enrolled)
        total.previous.add_all(township.previous)
        total.unpaid.add_all(township.unpaid)
    return ProgressReport(year, product, as_of, previous_as_of, ordered, total)
