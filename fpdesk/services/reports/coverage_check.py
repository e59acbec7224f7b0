"""“一个不多，一个不漏” (docs/rules.md#no-one-extra-no-one-missed): no one extra, no one missed, for a policy year.

No one extra:
- ``duplicate_id_in_year``: one ID number insured twice in a product-year, anywhere (villages and
  the 机关 unit channel alike);
- ``insured_ineligible``: an insured person the rules engine refuses (age, category, documents …);
- ``government_paid_outside_category``: government-paid although no category of the household is one
  the government pays for;
- ``insured_deceased`` / ``insured_moved_out``: still insured (no dated removal) after death or moving out;
- ``person_in_two_households``: one ID number registered in two households.

No one missed:
- ``eligible_list_not_enrolled`` / ``eligible_list_not_registered``: on the imported eligible list
  but not insured (or not even registered here);
- ``full_coverage_not_enrolled``: a household of a government-paid category (docs/rules.md#full-coverage) without an enrollment;
- ``not_renewed``: insured last policy year, alive, not insured this year;
- ``renewal_gap``: a renewal whose cover does not follow on from last year's (days without cover).

Where a product insures the people on an eligible list (S3 "领取北京市独生子女死亡特别扶助金人员",
the yearly export of the Beijing system), the list is the truth: who is missed and who is extra is
said by the list alone — ``eligible_list_not_enrolled`` / ``_not_registered`` and
``insured_not_on_list`` — not by categories, renewals or the other eligibility rules.

Everything is read with a handful of set-based queries (no ORM objects, no query per person).
Eligibility is still decided by the rules engine — over plain rows, once per enrollment — so the
check can never disagree with what enrollment accepts. Which categories are government-paid is
also asked of the engine (``payer_for``), not restated here.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, select

from fpdesk.core import enrollment_states as states
from fpdesk.core import idnumber
from fpdesk.core.errors import DomainError
from fpdesk.core.products import Product, find_product
from fpdesk.core.rules import (
    EnrollmentFacts,
    HouseholdFacts,
    PersonFacts,
    expand_categories,
    judge,
    payer_for,
)
from fpdesk.core.vocabulary import DivisionKind, HouseholdCategory, PayerType, PersonStatus, Relation, Sex
from fpdesk.services.enrollment.product_catalog import office_catalog
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Person
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, EligibleListEntry, Enrollment, InsuredPerson

EXTRA, MISSED = "extra", "missed"
# code -> the side of the check a finding is on, in the report's order (texts: the services' messages)
FINDINGS: dict[str, str] = {
    "duplicate_id_in_year": EXTRA, "insured_ineligible": EXTRA, "government_paid_outside_category": EXTRA,
    "insured_deceased": EXTRA, "insured_moved_out": EXTRA, "person_in_two_households": EXTRA,
    "insured_not_on_list": EXTRA, "eligible_list_not_enrolled": MISSED,
    "eligible_list_not_registered": MISSED, "full_coverage_not_enrolled": MISSED, "not_renewed": MISSED,
    "renewal_gap": MISSED,
}

# Reasons the check reports elsewhere (or that concern entering, not being insured).
_NOT_ELIGIBILITY = frozenset({"outside_enrollment_window", "already_insured_this_period", "max_shares_exceeded",
                              "payer_not_allowed", "no_insured_member", "person_not_alive"})
_CHILDREN = (Relation.SON.value, Relation.DAUGHTER.value)


@dataclass(frozen=True)
class Finding:
    code: str
    side: str  # extra | missed
    product: str | None
    year: int
    message_zh: str
    message_en: str
    name: str = ""
    id_number: str | None = None  # masked
    person_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    village_code: str = ""
    village: str = ""
    township: str = ""
    enrollment_ids: tuple[uuid.UUID, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "side": self.side, "product": self.product, "year": self.year,
                "message": self.message_zh, "message_en": self.message_en, "name": self.name,
                "id_number": self.id_number, "person_id": str(self.person_id) if self.person_id else None,
                "household_id": str(self.household_id) if self.household_id else None,
                "village_code": self.village_code, "village": self.village, "township": self.township,
                "enrollment_ids": [str(e) for e in self.enrollment_ids], "details": self.details}


@dataclass
class CheckReport:
    year: int
    products: list[str]
    findings: list[Finding]
    seconds: float = 0.0
    insured: dict[str, int] = field(default_factory=dict)  # active insured persons per product

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    @property
    def extra(self) -> int:
        return sum(1 for f in self.findings if f.side == EXTRA)

    @property
    def missed(self) -> int:
        return sum(1 for f in self.findings if f.side == MISSED)

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "products": self.products, "insured": self.insured,
                "extra": self.extra, "missed": self.missed, "counts": self.counts(),
                "seconds": round(self.seconds, 3), "findings": [f.as_dict() for f in self.findings]}


def government_categories(product: Product) -> frozenset[HouseholdCategory]:
    """The categories the product covers and for which the engine makes the government pay
    (sub-types included; a category outside the product is not made government-paid by its default)."""
    result = set()
    for category in HouseholdCategory:
        facts = HouseholdFacts(categories=frozenset({category}))
        if expand_categories(facts) & product.eligibility.categories \
                and payer_for(product, facts) is PayerType.GOVERNMENT:
            result.add(category)
    return frozenset(result)


def _active(product_code: str, year: int):
    return and_(InsuredPerson.product_code == product_code, InsuredPerson.policy_year == year,
                InsuredPerson.removed_on.is_(None), Enrollment.status.in_(ACTIVE_STATUSES))


class _Places:
    """Village and township of households, read once for the households that have findings."""

    def __init__(self, session) -> None:
        self.session = session
        self.divisions = {code: (name, parent) for code, name, parent in
                          session.execute(select(Division.code, Division.name, Division.parent_code))}
        self.households: dict[uuid.UUID, tuple[str, uuid.UUID]] = {}

    def load(self, household_ids) -> None:
        wanted = [h for h in set(household_ids) if h is not None and h not in self.households]
        for start in range(0, len(wanted), 900):
            for household_id, code in self.session.execute(
                    select(Household.id, Division.code).join(Division, Household.division_id == Division.id)
                    .where(Household.id.in_(wanted[start:start + 900]))):
                self.households[household_id] = code

    def of(self, household_id: uuid.UUID | None) -> dict[str, str]:
        code = self.households.get(household_id, "")
        name, parent = self.divisions.get(code, ("", None))
        return {"village_code": code, "village": name, "township": self.divisions.get(parent, ("", None))[0]}


class _Check:
    def __init__(self, session, year: int, today: dt.date) -> None:
        self.session, self.year, self.today = session, year, today
        self.places = _Places(session)
        self.pending: list[dict[str, Any]] = []

    def add(self, code: str, product: Product | None, *, name: str = "", id_number: str | None = None,
            person_id=None, household_id=None, enrollment_ids=(), **params: Any) -> None:
        self.pending.append({"code": code, "product": product, "name": name, "id_number": id_number,
                             "person_id": person_id, "household_id": household_id,
                             "enrollment_ids": tuple(enrollment_ids), "params": params})

    def findings(self) -> list[Finding]:
        self.places.load(p["household_id"] for p in self.pending)
        result = []
        for p in self.pending:
            product: Product | None = p["product"]
            masked = idnumber.mask(p["id_number"]) if p["id_number"] else ""
            who = f"{p['name']}（{masked}）" if masked else p["name"]
            params = {"who": who, "who_en": f"{p['name']} ({masked})" if masked else p["name"], "year": self.year,
                      "masked": masked, "product": product.code if product else "",
                      "product_zh": product.name_zh if product else "", **p["params"]}
            text = DomainError(p["code"], params)
            result.append(Finding(
                p["code"], FINDINGS[p["code"]], product.code if product else None, self.year, text.message_zh,
                text.message_en, p["name"], masked or None, p["person_id"], p["household_id"],
                enrollment_ids=p["enrollment_ids"], details={k: v for k, v in p["params"].items()
                                                             if k in ("reasons", "count", "on", "categories")},
                **self.places.of(p["household_id"])))
        order = {code: index for index, code in enumerate(FINDINGS)}
        result.sort(key=lambda f: (order[f.code], f.product or "", f.township, f.village, f.name))
        return result


def run_check(workspace: Workspace, *, year: int, product: str | None = None,
              today: dt.date | None = None) -> CheckReport:
    """The "一个不多，一个不漏" report of ``year`` for ``product`` (default: every product with
    enrollments in this or last year, or an eligible list this year)."""
    started = time.perf_counter()
    with workspace.read() as session:
        catalog = office_catalog(workspace, session)  # once: a catalog read is several queries
        if product:
            codes = [find_product(catalog.products, product).code]
        else:
            codes = sorted(set(session.scalars(select(Enrollment.product_code).where(
                Enrollment.policy_year.in_((year, year - 1))).distinct())) | set(session.scalars(
                select(EligibleListEntry.product_code).where(EligibleListEntry.policy_year == year).distinct())))
        check = _Check(session, year, today or dt.date.today())
        insured = {}
        for code in codes:
            chosen = find_product(catalog.products, code)
            insured[code] = _duplicates_and_status(check, chosen)
            if chosen.eligibility.requires_eligible_list:  # the list is the truth: it alone says who
                _not_on_list(check, chosen)
                _eligible_list(check, chosen)
            else:
                _ineligible(check, chosen)
                _government_outside(check, chosen)
                _eligible_list(check, chosen)
                _full_coverage(check, chosen)
                _not_renewed(check, chosen)
            _cover_gaps(check, chosen)
        _two_households(check)
        findings = check.findings()
    return CheckReport(year, codes, findings, time.perf_counter() - started, insured)


def _duplicates_and_status(check: _Check, product: Product) -> int:
    """Same ID twice in the product-year; deceased or moved-out people still insured. Returns the
    number of people insured."""
    rows = check.session.execute(
        select(InsuredPerson.id_number, InsuredPerson.person_id, InsuredPerson.enrollment_id, Enrollment.household_id,
               Enrollment.channel, Person.name, Person.status, Person.status_date)
        .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .join(Person, InsuredPerson.person_id == Person.id)
        .where(_active(product.code, check.year))).all()
    by_number: dict[str, list] = defaultdict(list)
    for row in rows:
        if row.id_number:
            by_number[row.id_number].append(row)
        if row.status in (PersonStatus.DECEASED.value, PersonStatus.MOVED_OUT.value):
            code = "insured_deceased" if row.status == PersonStatus.DECEASED.value else "insured_moved_out"
            check.add(code, product, name=row.name, id_number=row.id_number, person_id=row.person_id,
                      household_id=row.household_id, enrollment_ids=[row.enrollment_id],
                      on=row.status_date.isoformat() if row.status_date else "?")
    check.places.load(r.household_id for rows_ in by_number.values() if len(rows_) > 1 for r in rows_)
    for number, hits in by_number.items():
        if len(hits) < 2:
            continue
        where = "、".join(f"{'单位' if h.channel == 'unit' else '村'}:{check.places.of(h.household_id)['village']}"
                         for h in hits)
        first = hits[0]
        check.add("duplicate_id_in_year", product, name=first.name, id_number=number, person_id=first.person_id,
                  household_id=first.household_id, enrollment_ids=[h.enrollment_id for h in hits], count=len(hits),
                  where=where)
    return len(rows)


def _ineligible(check: _Check, product: Product) -> None:
    """Re-judge every insured person with the engine, at the date they were added."""
    session, year = check.session, check.year
    enrollments_now = select(Enrollment.household_id).where(
        Enrollment.product_code == product.code, Enrollment.policy_year == year,
        Enrollment.status.in_(ACTIVE_STATUSES))
    rows = session.execute(
        select(InsuredPerson.enrollment_id, InsuredPerson.added_on, InsuredPerson.person_id, Person.name,
               Person.id_number, Person.birth_date, Person.sex, Person.relation, Enrollment.household_id,
               Enrollment.channel, Enrollment.shares)
        .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .join(Person, InsuredPerson.person_id == Person.id)
        .where(_active(product.code, year))).all()
    if not rows:
        return
    households = {h.id: h for h in session.execute(
        select(Household.id, Household.certificate_no, Household.is_rural, Household.reward_recipient)
        .where(Household.id.in_(enrollments_now)))}
    categories: dict[uuid.UUID, set[HouseholdCategory]] = defaultdict(set)
    for household_id, category in session.execute(select(HouseholdCategoryLink.household_id,
                                                         HouseholdCategoryLink.category)
                                                  .where(HouseholdCategoryLink.household_id.in_(enrollments_now))):
        categories[household_id].add(HouseholdCategory(category))
    children: dict[uuid.UUID, list[dt.date]] = defaultdict(list)
    for household_id, birth in session.execute(select(Person.household_id, Person.birth_date).where(
            Person.household_id.in_(enrollments_now), Person.relation.in_(_CHILDREN),
            Person.status != PersonStatus.DECEASED.value)):
        children[household_id].append(birth)
    last_year = set(session.scalars(select(InsuredPerson.person_id).join(
        Enrollment, InsuredPerson.enrollment_id == Enrollment.id).where(
        InsuredPerson.product_code == product.code, InsuredPerson.policy_year == year - 1,
        Enrollment.status.in_(ACTIVE_STATUSES))))
    listed = set()
    if product.eligibility.requires_eligible_list:
        listed = set(session.scalars(select(EligibleListEntry.id_number).where(
            EligibleListEntry.product_code == product.code, EligibleListEntry.policy_year == year)))
    groups: dict[tuple, list] = defaultdict(list)
    for row in rows:
        groups[(row.enrollment_id, row.added_on)].append(row)
    facts_cache: dict[tuple[uuid.UUID, str], HouseholdFacts] = {}
    for (enrollment_id, added_on), members in groups.items():
        first = members[0]
        key = (first.household_id, first.channel)
        household = facts_cache.get(key)
        if household is None:
            h = households[first.household_id]
            kids = children.get(first.household_id, [])
            household = facts_cache[key] = HouseholdFacts(
                categories=frozenset(categories.get(first.household_id, ())), certificate_no=h.certificate_no,
                is_rural=h.is_rural, reward_recipient=h.reward_recipient, via_unit_channel=first.channel == "unit",
                only_child_birth_date=kids[0] if len(kids) == 1 else None)
        facts = [PersonFacts(birth_date=m.birth_date, sex=Sex(m.sex), id_number=m.id_number, relation=Relation(m.relation),
                             name=m.name, on_eligible_list=m.id_number in listed, renewal=m.person_id in last_year)
                 for m in members]
        judged = judge(product, household, facts,
                       EnrollmentFacts(enrollment_date=added_on, shares=first.shares, recorded_on=check.today))
        shared = [r for r in judged.reasons if r.person_index is None and r.code not in _NOT_ELIGIBILITY]
        for person in judged.persons:
            reasons = shared + [r for r in person.reasons if r.code not in _NOT_ELIGIBILITY]
            if reasons:
                m = members[person.index]
                check.add("insured_ineligible", product, name=m.name, id_number=m.id_number, person_id=m.person_id,
                          household_id=m.household_id, enrollment_ids=[enrollment_id],
                          reasons=[r.code for r in reasons], reasons_zh="；".join(r.message_zh for r in reasons),
                          reasons_en="; ".join(r.message_en for r in reasons))


def _government_outside(check: _Check, product: Product) -> None:
    allowed = [c.value for c in government_categories(product)]
    in_category = exists().where(HouseholdCategoryLink.household_id == Enrollment.household_id,
                                 HouseholdCategoryLink.category.in_(allowed or ["-"]))
    head = select(Person.name).where(Person.household_id == Enrollment.household_id,
                                     Person.relation == Relation.HEAD.value).limit(1).scalar_subquery()
    rows = check.session.execute(
        select(Enrollment.id, Enrollment.household_id, head.label("head"))
        .where(Enrollment.product_code == product.code, Enrollment.policy_year == check.year,
               Enrollment.status.in_(ACTIVE_STATUSES), Enrollment.payer_type == PayerType.GOVERNMENT.value,
               ~in_category)).all()
    have = _categories_of(check.session, [r.household_id for r in rows])
    for row in rows:
        cats = sorted(have.get(row.household_id, ()), key=list(HouseholdCategory).index)
        check.add("government_paid_outside_category", product, name=row.head or "", household_id=row.household_id,
                  enrollment_ids=[row.id], categories=[c.value for c in cats],
                  have_zh="、".join(c.label_zh for c in cats) or "未填写", have_en=", ".join(cats) or "none")


def _categories_of(session, household_ids) -> dict[uuid.UUID, set[HouseholdCategory]]:
    result: dict[uuid.UUID, set[HouseholdCategory]] = defaultdict(set)
    ids = list(set(household_ids))
    for start in range(0, len(ids), 900):
        for household_id, category in session.execute(select(
                HouseholdCategoryLink.household_id, HouseholdCategoryLink.category)
                .where(HouseholdCategoryLink.household_id.in_(ids[start:start + 900]))):
            result[household_id].add(HouseholdCategory(category))
    return result


def _insured_number(product: Product, year: int, number_column):
    return exists().where(InsuredPerson.enrollment_id == Enrollment.id, InsuredPerson.id_number == number_column,
                          _active(product.code, year))


def _eligible_list(check: _Check, product: Product) -> None:
    listed = select(EligibleListEntry.id_number, func.max(EligibleListEntry.name).label("name")).where(
        EligibleListEntry.product_code == product.code, EligibleListEntry.policy_year == check.year,
    ).group_by(EligibleListEntry.id_number).subquery()
    rows = check.session.execute(
        select(listed.c.id_number, listed.c.name, Person.id, Person.name.label("registered_name"),
               Person.household_id, Person.status)
        .outerjoin(Person, Person.id_number == listed.c.id_number)
        .where(~_insured_number(product, check.year, listed.c.id_number))).all()
    by_number: dict[str, list] = defaultdict(list)
    for row in rows:
        by_number[row.id_number].append(row)
    for number, hits in by_number.items():
        living = [h for h in hits if h.status == PersonStatus.ALIVE.value]
        if living:
            h = living[0]
            check.add("eligible_list_not_enrolled", product, name=h.registered_name, id_number=number,
                      person_id=h.id, household_id=h.household_id)
        elif all(h.id is None for h in hits):
            check.add("eligible_list_not_registered", product, name=hits[0].name or "", id_number=number)
        # registered but deceased or moved out: nobody to enrol, nothing missed


def _full_coverage(check: _Check, product: Product) -> None:
    allowed = [c.value for c in government_categories(product)]
    if not allowed:
        return
    enrolled = exists().where(Enrollment.household_id == Household.id, Enrollment.product_code == product.code,
                              Enrollment.policy_year == check.year, Enrollment.status.in_(ACTIVE_STATUSES))
    living = exists().where(Person.household_id == Household.id, Person.status == PersonStatus.ALIVE.value)
    head = select(Person.name).where(Person.household_id == Household.id,
                                     Person.relation == Relation.HEAD.value).limit(1).scalar_subquery()
    in_category = select(HouseholdCategoryLink.household_id).where(HouseholdCategoryLink.category.in_(allowed))
    rows = check.session.execute(
        select(Household.id, head.label("head")).join(Division, Household.division_id == Division.id)
        .where(Household.id.in_(in_category), Household.status == "active", living, ~enrolled,
               Division.kind != DivisionKind.AGENCY_UNIT.value)).all()
    have = _categories_of(check.session, [r.id for r in rows])
    government = set(government_categories(product))
    for row in rows:
        cats = sorted(have.get(row.id, set()) & government, key=list(HouseholdCategory).index)
        check.add("full_coverage_not_enrolled", product, name=row.head or "", household_id=row.id,
                  categories=[c.value for c in cats], have_zh="、".join(c.label_zh for c in cats),
                  have_en=", ".join(cats))


def _not_renewed(check: _Check, product: Product) -> None:
    last = check.year - 1
    now_by_person = exists().where(InsuredPerson.enrollment_id == Enrollment.id,
                                   InsuredPerson.person_id == Person.id, _active(product.code, check.year))
    last_rows = select(InsuredPerson.person_id).join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id).where(
        InsuredPerson.product_code == product.code, InsuredPerson.policy_year == last,
        InsuredPerson.removed_on.is_(None), Enrollment.status.in_(sorted(states.IN_FORCE)))
    rows = check.session.execute(
        select(Person.id, Person.name, Person.id_number, Person.household_id)
        .where(Person.id.in_(last_rows), Person.status == PersonStatus.ALIVE.value, ~now_by_person)).all()
    numbers_now = set(check.session.scalars(
        select(InsuredPerson.id_number).join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .where(_active(product.code, check.year), InsuredPerson.id_number.is_not(None))))
    for row in rows:
        if row.id_number and row.id_number in numbers_now:
            continue  # insured this year under another record of the same ID (reported as a duplicate if twice)
        check.add("not_renewed", product, name=row.name, id_number=row.id_number, person_id=row.id,
                  household_id=row.household_id, last_year=last)


def _not_on_list(check: _Check, product: Product) -> None:
    """Insured under a list product but not on this year's list."""
    listed = select(EligibleListEntry.id_number).where(EligibleListEntry.product_code == product.code,
                                                       EligibleListEntry.policy_year == check.year)
    rows = check.session.execute(
        select(InsuredPerson.id_number, InsuredPerson.person_id, InsuredPerson.enrollment_id, Enrollment.household_id,
               Person.name)
        .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .join(Person, InsuredPerson.person_id == Person.id)
        .where(_active(product.code, check.year), ~func.coalesce(InsuredPerson.id_number, "").in_(listed))).all()
    for row in rows:
        check.add("insured_not_on_list", product, name=row.name, id_number=row.id_number, person_id=row.person_id,
                  household_id=row.household_id, enrollment_ids=[row.enrollment_id])


def _cover_gaps(check: _Check, product: Product) -> None:
    """This year's covers that do not follow on from the one they renew."""
    from sqlalchemy.orm import aliased

    from fpdesk.core.rules_calendar import cover_gap

    previous = aliased(Enrollment)
    head = select(Person.name).where(Person.household_id == Enrollment.household_id,
                                     Person.relation == Relation.HEAD.value).limit(1).scalar_subquery()
    rows = check.session.execute(
        select(Enrollment.id, Enrollment.household_id, Enrollment.period_start, previous.period_end, head.label("head"))
        .join(previous, previous.id == Enrollment.renews_id)
        .where(Enrollment.product_code == product.code, Enrollment.policy_year == check.year,
               Enrollment.status.in_(ACTIVE_STATUSES), Enrollment.period_start.is_not(None))).all()
    for row in rows:
        gap = cover_gap(row.period_end, row.period_start)
        if gap is None:
            continue
        check.add("renewal_gap", product, name=row.head or "", household_id=row.household_id, enrollment_ids=[row.id],
                  previous_end=row.period_end.isoformat(), start=row.period_start.isoformat(),
                  first=gap[0].isoformat(), last=gap[1].isoformat(), days=(gap[1] - gap[0]).days + 1)


def _two_households(check: _Check) -> None:
    shared = select(Person.id_number).where(Person.id_number.is_not(None)).group_by(Person.id_number).having(
        func.count(func.distinct(Person.household_id)) > 1)
    rows = check.session.execute(select(Person.id_number, Person.id, Person.name, Person.household_id, Person.status)
                                 .where(Person.id_number.in_(shared))).all()
    by_number: dict[str, list] = defaultdict(list)
    for row in rows:
        by_number[row.id_number].append(row)
    check.places.load(r.household_id for r in rows)
    for number, hits in by_number.items():
        where = "、".join(f"{check.places.of(h.household_id)['village']}:{h.name}"
                         f"（{PersonStatus(h.status).label_zh}）" for h in hits)
        living = next((h for h in hits if h.status == PersonStatus.ALIVE.value), hits[0])
        check.add("person_in_two_households", None, name=living.name, id_number=number, person_id=living.id,
                  household_id=living.household_id, count=len({h.household_id for h in hits}), where=where)
