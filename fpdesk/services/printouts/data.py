"""Reading what the printouts show, in a few set-based queries per batch (thousands of pages per job).

Everything personal is masked here, before it reaches a layout: ID numbers first 6 + last 4,
phones 138****5678 (docs/rules.md#masking). Labels are the Chinese ones the printouts use.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select, true
from sqlalchemy.orm import Session

from fpdesk.core import enrollment_states as states
from fpdesk.core import idnumber, phone
from fpdesk.core.product_terms import level_label
from fpdesk.core.products import Product
from fpdesk.core.vocabulary import DivisionKind, HouseholdCategory, PayerType, Relation, Sex
from fpdesk.printing.documents import InsuredLine, SumInsured
from fpdesk.services.enrollment import premium_levels
from fpdesk.services.enrollment.enroll_many import chunks
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Office, Person
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, Enrollment, InsuredPerson, Payment
from fpdesk.storage.schema_trust import UserAccount

PAYER_DOCUMENT_LABELS = {payer.value: payer.label_zh for payer in PayerType}  # the same words as on screen
# The funding a certificate names where the product says where the money comes from (S2: the only-child
# parents' reward "直接转为…保险"); an employer bearing the reward is named beside it.
FUNDING_DOCUMENT_LABELS = {"reward_conversion": "奖励金转型"}
# Statuses whose certificate may be printed; the premium must also have been received (paid in cash,
# or allocated by the government or an employer): a certificate is proof of cover.
CERTIFICATE_STATUSES = tuple(sorted(states.ACTIVE))


def funding_label(payer: str, funding_source: str | None) -> str:
    """政府投保 / 单位投保 / 自主投保, or the product's funding (奖励金转型, （单位承担） for an employer)."""
    if funding_source in FUNDING_DOCUMENT_LABELS:
        label = FUNDING_DOCUMENT_LABELS[funding_source]
        return label + ("（单位承担）" if payer == PayerType.EMPLOYER.value else "")
    return PAYER_DOCUMENT_LABELS.get(payer, payer)


@dataclass(frozen=True)
class Selection:
    """Which enrollments a job prints: policy year, optionally one product and a division code
    prefix (a county, township, village or villager-group code)."""

    year: int | None = None
    product: str | None = None
    scope: str | None = None
    enrollment_ids: tuple[uuid.UUID, ...] | None = None
    household_id: uuid.UUID | None = None

    def where(self):
        clauses = []
        if self.year is not None:
            clauses.append(Enrollment.policy_year == self.year)
        if self.product:
            clauses.append(Enrollment.product_code == self.product)
        if self.scope:
            clauses.append(Division.code.startswith(self.scope.strip(), autoescape=True))
        if self.enrollment_ids is not None:
            clauses.append(Enrollment.id.in_(self.enrollment_ids))
        if self.household_id is not None:
            clauses.append(Enrollment.household_id == self.household_id)
        return and_(true(), *clauses)


def local_office_name(session: Session, code: str) -> str:
    return session.scalar(select(Office.name).where(Office.code == code)) or code


def product_name(products: Mapping[str, Product], code: str) -> str:
    """The product's Chinese name in the office's catalog (its code when the catalog lacks it)."""
    product = products.get(code)
    return product.name_zh if product else code


def short_product_name(products: Mapping[str, Product], code: str) -> str:
    """The roster's narrow column: 生育关怀—计划生育家庭意外伤害保险（100元版） -> 计划生育家庭意外伤害保险."""
    name = product_name(products, code).rsplit("—", 1)[-1]
    return name.split("（", 1)[0] or name


class DivisionNames:
    """Township / village / villager-group names of a household's division, from one query."""

    def __init__(self, session: Session) -> None:
        self.rows = {code: (name, kind, parent) for code, name, kind, parent in session.execute(
            select(Division.code, Division.name, Division.kind, Division.parent_code))}

    def name(self, code: str | None) -> str:
        return self.rows[code][0] if code in self.rows else ""

    def parts(self, code: str) -> tuple[str, str, str, str]:
        """(township, village, group, village code) for a village, unit or villager-group code."""
        name, kind, parent = self.rows.get(code, ("", "", None))
        if kind == DivisionKind.VILLAGER_GROUP.value and parent:
            village_code, group = parent, name
        else:
            village_code, group = code, ""
        village_parent = self.rows.get(village_code, ("", "", None))[2]
        return self.name(village_parent), self.name(village_code), group, village_code


def premium_splits(session: Session, enrollment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple]:
    """(short level name, fen) of each enrollment whose premium more than one level pays, province
    first and the family last; a premium one payer owes is absent (its 缴费方式 says who)."""
    return {key: tuple((level_label(level, short=True), fen) for level, fen in levels.items())
            for key, levels in premium_levels.levels_by_enrollment(session, list(enrollment_ids)).items()
            if premium_levels.is_shared(levels)}


def insured_by_enrollment(session: Session, enrollment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list]:
    """The people currently insured under each enrollment (no dated removal), head first."""
    found: dict[uuid.UUID, list] = defaultdict(list)
    for ids in chunks(list(enrollment_ids)):
        for row in session.execute(
                select(InsuredPerson.enrollment_id, InsuredPerson.id_number, InsuredPerson.sums_insured,
                       InsuredPerson.added_on, InsuredPerson.shares, Person.id.label("person_id"), Person.name,
                       Person.relation,
                       Person.sex, Person.birth_date, Person.phone, Person.created_at)
                .join(Person, InsuredPerson.person_id == Person.id)
                .where(InsuredPerson.enrollment_id.in_(ids), InsuredPerson.removed_on.is_(None))):
            found[row.enrollment_id].append(row)
    for rows in found.values():
        rows.sort(key=lambda r: (r.relation != Relation.HEAD.value, r.created_at, r.person_id))
    return found


def heads_by_household(session: Session, household_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple]:
    """(name, ID number, phone) of each household's head."""
    heads = {}
    for ids in chunks(list(dict.fromkeys(household_ids))):
        for household_id, name, number, mobile in session.execute(
                select(Person.household_id, Person.name, Person.id_number, Person.phone)
                .where(Person.household_id.in_(ids), Person.relation == Relation.HEAD.value)):
            heads[household_id] = (name, number, mobile)
    return heads


def categories_by_household(session: Session, household_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    for ids in chunks(list(dict.fromkeys(household_ids))):
        for household_id, category in session.execute(
                select(HouseholdCategoryLink.household_id, HouseholdCategoryLink.category)
                .where(HouseholdCategoryLink.household_id.in_(ids))):
            found[household_id].append(HouseholdCategory(category).label_zh)
    return {key: "、".join(sorted(values)) for key, values in found.items()}


def masked(number: str | None) -> str:
    return idnumber.mask(number) if number else "—"


def masked_phone(number: str | None) -> str:
    return phone.mask(number) if number else ""


def relation_label(value: str) -> str:
    return Relation(value).label_zh


def sex_label(value: str) -> str:
    return "男" if value == Sex.MALE.value else "女"


def sums_of(stored: list[dict]) -> tuple[SumInsured, ...]:
    from fpdesk.core.products import LIABILITY_KINDS

    return tuple(SumInsured(LIABILITY_KINDS.get(s["kind"], (s["kind"],))[0], s.get("amount_fen"), s["split"],
                            s.get("shared_by") or 1, s.get("amount_per_day_fen"), s.get("max_days_per_year"))
                 for s in stored)


def insured_lines(rows, period_start=None, period_end=None) -> tuple[InsuredLine, ...]:
    """The certificate's lines; a person who joined after the cover began gets their own period."""
    lines = []
    for r in rows:
        own = ""
        if period_start is not None and r.added_on + dt.timedelta(days=1) > period_start:
            own = f"{r.added_on + dt.timedelta(days=1):%Y-%m-%d} 至 {period_end:%Y-%m-%d}"
        lines.append(InsuredLine(r.name, relation_label(r.relation), masked(r.id_number), sums_of(r.sums_insured),
                                 own_period=own))
    return tuple(lines)


def certificate_enrollments(session: Session, selection: Selection, *, unprinted_only: bool = False):
    """Enrollments whose certificates the selection prints, ordered by division and household."""
    from fpdesk.storage.schema_printing import PrintLog

    query = (select(Enrollment, Household.address, Household.division_id, Division.code.label("division_code"))
             .join(Household, Enrollment.household_id == Household.id)
             .join(Division, Household.division_id == Division.id)
             .where(selection.where(), Enrollment.status.in_(CERTIFICATE_STATUSES),
                    Enrollment.received_on.is_not(None), Enrollment.period_start.is_not(None))
             .order_by(Division.code, Household.address, Enrollment.id))
    if unprinted_only:
        printed = select(PrintLog.subject_id).where(PrintLog.kind == "certificate")
        query = query.where(Enrollment.id.not_in(printed))
    return session.execute(query).all()


def household_certificate_year(session: Session, household_id: uuid.UUID) -> int | None:
    """The latest policy year in which the household has a certificate to print (None: none)."""
    return session.scalar(select(Enrollment.policy_year)
                          .where(Enrollment.household_id == household_id,
                                 Enrollment.status.in_(CERTIFICATE_STATUSES),
                                 Enrollment.received_on.is_not(None), Enrollment.period_start.is_not(None))
                          .order_by(Enrollment.policy_year.desc()).limit(1))


def receipt_payments(session: Session, selection: Selection, *, receipt_numbers: Sequence[str] | None = None,
                     paid_on=None):
    """Payments (voided ones too: they print 作废) with their enrollment and place, by receipt number."""
    query = (select(Payment, Enrollment.product_code, Enrollment.household_id, Enrollment.id.label("enrollment_id"))
             .join(Enrollment, Payment.enrollment_id == Enrollment.id)
             .join(Household, Enrollment.household_id == Household.id)
             .join(Division, Household.division_id == Division.id)
             .where(selection.where()).order_by(Payment.receipt_no))
    if receipt_numbers is not None:
        query = query.where(Payment.receipt_no.in_([n.strip() for n in receipt_numbers]))
    if paid_on is not None:
        query = query.where(Payment.paid_on == paid_on)
    return session.execute(query).all()


def roster_enrollments(session: Session, selection: Selection):
    """Every active enrollment of the selection with its household's place, for the roster."""
    return session.execute(
        select(Enrollment, Household.certificate_no, Division.code.label("division_code"))
        .join(Household, Enrollment.household_id == Household.id)
        .join(Division, Household.division_id == Division.id)
        .where(selection.where(), Enrollment.status.in_(ACTIVE_STATUSES))
        .order_by(Division.code, Enrollment.product_code, Household.address, Enrollment.id)).all()


def real_names(session: Session, user_names: Sequence[str]) -> dict[str, str]:
    """The 姓名 of each log-in name that has one: papers name people as people are called (罗秀梅),
    not by their log-in (luoxm). A name without an account here (a payment taken at another office,
    before accounts existed) is printed as it was recorded."""
    wanted = sorted({name for name in user_names if name})
    if not wanted:
        return {}
    rows = session.execute(select(UserAccount.name, UserAccount.display_name).where(UserAccount.name.in_(wanted)))
    return {name: display.strip() for name, display in rows if display and display.strip()}
