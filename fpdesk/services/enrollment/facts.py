"""What the rules engine needs to know about a household and its people, read from the database.

The engine (fpdesk.core.rules) is pure: it judges plain facts. This module gathers those facts for
the enrollment services: the household's categories and documents, each member's birth date,
status and relation, whether they were insured under the product last policy year (renewal
limits), the shares they already hold this policy year, and whether they are on an imported
eligible list. It holds no rule itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from fpdesk.core.catalog import Catalog, load_catalog
from fpdesk.core.errors import DomainError
from fpdesk.core.paths import forms_dir
from fpdesk.core.products import Product, find_product
from fpdesk.core.rules import HouseholdFacts, PersonFacts
from fpdesk.core.vocabulary import DivisionKind, HouseholdCategory, PersonStatus, Relation, Sex
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Person
from fpdesk.storage.schema_enrollment import (
    ACTIVE_STATUSES,
    EligibleListEntry,
    Enrollment,
    InsuredPerson,
)

# the relations that make a member the household's child (its only child where there is one), as stored
CHILD_RELATIONS = (Relation.SON.value, Relation.DAUGHTER.value)


@functools.lru_cache(maxsize=4)
def _catalog(root: str | None) -> Catalog:
    return load_catalog(root)


def catalog(root: str | Path | None = None) -> Catalog:
    """The products and enrollment forms under ``root`` (default: the program's forms folder), read once."""
    return _catalog(str(root if root is not None else forms_dir()))


def product_by_code(code: str, root: str | Path | None = None) -> Product:
    return find_product(catalog(root).products, code)


@dataclass(frozen=True)
class Member:
    person_id: uuid.UUID
    name: str
    id_number: str | None
    relation: Relation
    sex: Sex
    birth_date: dt.date
    status: PersonStatus

    def matches(self, ref: str) -> bool:
        return ref in (str(self.person_id), self.id_number, self.name)


@dataclass(frozen=True)
class HouseholdSnapshot:
    household_id: uuid.UUID
    division_id: uuid.UUID
    division_code: str
    division_name: str
    division_kind: str
    status: str
    categories: frozenset[HouseholdCategory]
    certificate_no: str | None
    is_rural: bool
    reward_recipient: bool
    members: tuple[Member, ...]  # head first, then in registration order

    @property
    def is_unit(self) -> bool:
        """Registered under an agency unit: the 机关 channel."""
        return self.division_kind == DivisionKind.AGENCY_UNIT.value

    @property
    def head(self) -> Member | None:
        return next((m for m in self.members if m.relation is Relation.HEAD), None)

    def facts(self, *, via_unit_channel: bool) -> HouseholdFacts:
        children = [m for m in self.members if m.relation.value in CHILD_RELATIONS
                    and m.status is not PersonStatus.DECEASED]
        return HouseholdFacts(
            categories=self.categories, certificate_no=self.certificate_no, is_rural=self.is_rural,
            reward_recipient=self.reward_recipient, via_unit_channel=via_unit_channel,
            # The only child of an only-child household; with several children the engine asks for it.
            only_child_birth_date=children[0].birth_date if len(children) == 1 else None,
            # for a condition on a named member (女方满49周岁) who need not be insured herself
            members=tuple(PersonFacts(m.birth_date, m.sex, m.status, relation=m.relation, name=m.name)
                          for m in self.members if m.status is PersonStatus.ALIVE))

    def member(self, ref: str | uuid.UUID) -> Member:
        text = str(ref).strip()
        hits = [m for m in self.members if m.matches(text) or (m.id_number and m.id_number == text.upper())]
        if not hits:
            raise DomainError("member_not_in_household", {"value": text})
        if len(hits) > 1:
            raise DomainError("member_ambiguous", {"value": text})
        return hits[0]


def load_household(session: Session, household_id: uuid.UUID) -> HouseholdSnapshot:
    row = session.execute(
        select(Household, Division).join(Division, Household.division_id == Division.id)
        .where(Household.id == household_id)
    ).first()
    if row is None:
        raise DomainError("household_not_found")
    household, division = row
    categories = frozenset(HouseholdCategory(c) for c in session.scalars(
        select(HouseholdCategoryLink.category).where(HouseholdCategoryLink.household_id == household_id)))
    people = session.execute(
        select(Person.id, Person.name, Person.id_number, Person.relation, Person.sex, Person.birth_date,
               Person.status, Person.created_at)
        .where(Person.household_id == household_id)
    ).all()
    people.sort(key=lambda p: (p.relation != Relation.HEAD.value, p.created_at, p.id))
    members = tuple(Member(p.id, p.name, p.id_number, Relation(p.relation), Sex(p.sex), p.birth_date,
                           PersonStatus(p.status)) for p in people)
    return HouseholdSnapshot(household.id, division.id, division.code, division.name, division.kind,
                             household.status, categories, household.certificate_no, household.is_rural,
                             household.reward_recipient, members)


def household_of_person(session: Session, id_number: str) -> uuid.UUID:
    """The household of the living (or moved-out) person with this ID number."""
    from fpdesk.core import idnumber

    number = idnumber.normalise(id_number)
    household_id = session.scalar(
        select(Person.household_id).where(Person.id_number == number, Person.status != "deceased"))
    if household_id is None:
        from fpdesk.services.records import person_not_found

        raise person_not_found(number)
    return household_id


def active_insured(product_code: str, year: int):
    """A select of the insured rows (id, person, id number, shares) covering someone in a product-year:
    enrollment not cancelled or refunded, person not removed."""
    return (
        select(InsuredPerson.person_id, InsuredPerson.id_number, InsuredPerson.shares,
               InsuredPerson.enrollment_id)
        .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .where(InsuredPerson.product_code == product_code, InsuredPerson.policy_year == year,
               InsuredPerson.removed_on.is_(None), Enrollment.status.in_(ACTIVE_STATUSES))
    )


def _by_person_or_number(rows: Iterable, members: Sequence[Member]) -> dict[uuid.UUID, int]:
    by_id: dict[uuid.UUID, int] = {}
    numbers = {m.id_number: m.person_id for m in members if m.id_number}
    for person_id, id_number, shares, *_ in rows:
        owner = person_id if any(m.person_id == person_id for m in members) else numbers.get(id_number)
        if owner is not None:
            by_id[owner] = by_id.get(owner, 0) + shares
    return by_id


def _matching(members: Sequence[Member]):
    conditions = [InsuredPerson.person_id.in_([m.person_id for m in members])]
    numbers = [m.id_number for m in members if m.id_number]
    if numbers:
        conditions.append(InsuredPerson.id_number.in_(numbers))
    return or_(*conditions)


def person_facts(session: Session, product: Product, year: int, members: Sequence[Member], *,
                 exclude_enrollment: uuid.UUID | None = None) -> list[PersonFacts]:
    """Engine facts for ``members`` enrolling in ``product`` for policy ``year``.

    Shares already held count every active insured row with the same person or the same ID
    number (the same person may be on a village roster and a unit roster). With a limit of one
    share per person the engine is told "already insured" rather than "too many shares".
    """
    if not members:
        return []
    held_query = active_insured(product.code, year).where(_matching(members))
    if exclude_enrollment is not None:
        held_query = held_query.where(InsuredPerson.enrollment_id != exclude_enrollment)
    held = _by_person_or_number(session.execute(held_query).all(), members)
    last_year = _by_person_or_number(session.execute(
        select(InsuredPerson.person_id, InsuredPerson.id_number, InsuredPerson.shares)
        .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .where(InsuredPerson.product_code == product.code, InsuredPerson.policy_year == year - 1,
               Enrollment.status.in_(ACTIVE_STATUSES), _matching(members))).all(), members)
    listed = set()
    numbers = [m.id_number for m in members if m.id_number]
    if product.eligibility.requires_eligible_list and numbers:
        listed = set(session.scalars(select(EligibleListEntry.id_number).where(
            EligibleListEntry.product_code == product.code, EligibleListEntry.policy_year == year,
            EligibleListEntry.id_number.in_(numbers))))
    single_share = product.max_shares_per_person == 1
    facts = []
    for m in members:
        shares = held.get(m.person_id, 0)
        facts.append(PersonFacts(
            birth_date=m.birth_date, sex=m.sex, status=m.status, id_number=m.id_number,
            on_eligible_list=m.id_number in listed, relation=m.relation, name=m.name,
            renewal=m.person_id in last_year,
            shares_held=0 if single_share else shares,
            already_insured_this_period=single_share and shares > 0))
    return facts


def previous_covers(product_code: str, year: int):
    """A select of (household, enrollment, last day of cover) of the product's covers of ``year - 1``
    whose premium was received and that still stand: what a renewal for ``year`` continues."""
    return (select(Enrollment.household_id, Enrollment.id, Enrollment.period_end)
            .where(Enrollment.product_code == product_code, Enrollment.policy_year == year - 1,
                   Enrollment.status.in_(ACTIVE_STATUSES), Enrollment.received_on.is_not(None),
                   Enrollment.period_end.is_not(None)))


def latest_covers(rows) -> dict[uuid.UUID, tuple[uuid.UUID, dt.date]]:
    """(enrollment, last day) of each household's latest-ending cover among ``rows``."""
    found: dict[uuid.UUID, tuple[uuid.UUID, dt.date]] = {}
    for household_id, enrollment_id, end in rows:
        if household_id not in found or end > found[household_id][1]:
            found[household_id] = (enrollment_id, end)
    return found


def previous_cover(session: Session, product: Product, year: int,
                   household_id: uuid.UUID) -> tuple[uuid.UUID, dt.date] | None:
    """The household's cover of last policy year this enrollment would continue, or None."""
    rows = session.execute(previous_covers(product.code, year).where(Enrollment.household_id == household_id))
    return latest_covers(rows).get(household_id)


def family_shares_held(session: Session, product: Product, year: int, household_id: uuid.UUID, *,
                       exclude_enrollment: uuid.UUID | None = None) -> int:
    query = select(func.coalesce(func.sum(Enrollment.shares), 0)).where(
        and_(Enrollment.household_id == household_id, Enrollment.product_code == product.code,
             Enrollment.policy_year == year, Enrollment.status.in_(ACTIVE_STATUSES)))
    if exclude_enrollment is not None:
        query = query.where(Enrollment.id != exclude_enrollment)
    return int(session.scalar(query) or 0)
