"""Exporting rosters for the finance office, the insurer and the office itself, and the import template.

Full ID numbers go only where the recipient needs them: the finance office and the insurer (they
verify and insure by ID number). The full roster masks them (first 6 + last 4) unless asked for
full numbers explicitly — a copy to be imported elsewhere needs them, a copy to be read does not.

Counts are honest: the insurer's list holds only people whose premium was received (paid or
allocated) and says below it how many were left out as registered-unpaid; the finance office's list
holds every government-paid person, the allocated premium and the premium still to allocate in
columns of their own. Where premiums are shared between levels (province, county, township …, the
family), it holds every enrollment some level of government pays part of, with a column per level
that occurs — the family's column is what its receipt shows — summed per village and in total.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import String, Text, func, or_, select, type_coerce

from fpdesk.core import idnumber
from fpdesk.core.enrollment_forms import EnrollmentForm
from fpdesk.core.errors import DomainError
from fpdesk.core.product_terms import level_label, level_order
from fpdesk.core.products import Product, find_product
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.core.vocabulary import HouseholdCategory, PayerType, Relation, Sex
from fpdesk.excel.layouts import AUDIENCE_TITLES, AUDIENCES, ExportRow, SheetHeading, write_roster_sheet
from fpdesk.excel.template import write_template
from fpdesk.excel.xlsx_writer import XlsxWriter
from fpdesk.services.enrollment import premium_levels
from fpdesk.services.enrollment.facts import catalog as shipped_catalog
from fpdesk.services.enrollment.product_catalog import office_catalog
from fpdesk.services.permissions import require
from fpdesk.services.trust.audit import log_access
from fpdesk.services.trust.pi_masking import shown_person
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Person
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, Enrollment, InsuredPerson
from fpdesk.storage.schema_money import Allocation, AllocationItem, Contribution


@dataclass
class RosterExportResult:
    path: Path
    audience: str
    year: int
    rows: int = 0
    sheets: list[str] = field(default_factory=list)
    masked: bool = False

    def as_dict(self) -> dict:
        return {"path": str(self.path), "for": self.audience, "year": self.year, "rows": self.rows,
                "sheets": self.sheets, "id_numbers_masked": self.masked}


def export_roster(workspace: Workspace, *, year: int, audience: str, out: str | Path, product: str | None = None,
                  scope: str | None = None, full_id_numbers: bool = False, today: dt.date | None = None,
                  progress: Progress = NO_PROGRESS) -> RosterExportResult:
    """Write the roster of ``year`` for ``audience`` (finance | insurer | full) to ``out`` (.xlsx).

    ``scope`` limits it to a division code prefix (a township or village); one sheet per product.
    """
    if audience not in AUDIENCES:
        raise DomainError("bad_argument", {"detail": f"--for 应为 {' / '.join(AUDIENCES)}"})
    office = workspace.require_office()
    scope = (scope or "").strip() or None
    masked = audience == "full" and not full_id_numbers
    require(workspace, "export")
    if not masked:  # the finance office and the insurer need full ID numbers: a role that may see them
        require(workspace, "pi.full")
    result = RosterExportResult(Path(out), audience, year, masked=masked)
    with workspace.read() as session:
        query = select(Enrollment.product_code).where(Enrollment.policy_year == year,
                                                      Enrollment.status.in_(ACTIVE_STATUSES)).distinct()
        codes = sorted(session.scalars(query))
        catalog = office_catalog(workspace, session)
        if product is not None:
            find_product(catalog.products, product)  # refuses an unknown code
            codes = [product]  # an empty sheet still tells the recipient there is nobody
        names = _division_names(session)
        if scope is not None and scope not in names and scope != office.code:
            raise DomainError("unknown_division", {"value": scope})  # a mistyped code wrote an empty list
        scope_name = names.get(scope, scope) if scope else office.name
        total = _count(session, year, codes, scope, audience)
        with XlsxWriter(result.path, title=f"{year}年{AUDIENCE_TITLES[audience]}",
                        keywords=f"fpdesk roster export v1 for={audience} year={year}") as book:
            for code in codes:
                chosen = find_product(catalog.products, code)
                form = catalog.form_of(chosen)
                split = _split(session, year, code, scope, audience)
                heading = replace(_heading(chosen, form, audience, year, scope_name, office.name,
                                   _unpaid_note(session, year, code, scope) if audience == "insurer" else ""),
                                  masked=masked, levels=_level_columns(split.levels),
                                  awaiting_levels=_awaiting_columns(split.levels))
                rows = _rows(session, chosen, form, year, scope, audience, names, masked, today, split)
                counted = _progressing(rows, progress, result.rows, total)
                result.rows += write_roster_sheet(book, chosen.name_zh[:31], audience, heading, counted,
                                                  exported_on=today or dt.date.today())
                result.sheets.append(chosen.name_zh[:31])
    progress.update(result.rows, max(total, result.rows), "完成")
    # Every export is logged; one with full ID numbers is also a full view of each person in it.
    log_access(workspace, "export" if masked else "export_pi",
               {"kind": "roster", "for": audience, "year": year, "product": product, "scope": scope,
                "rows": result.rows, "file": result.path.name, "id_numbers_masked": masked})
    return result


def _progressing(rows: Iterator[ExportRow], progress: Progress, start: int, total: int) -> Iterator[ExportRow]:
    for count, row in enumerate(rows, start=start + 1):
        if count % 5000 == 0:
            progress.update(count, total, "写入花名册")
        yield row


def _unpaid_note(session, year: int, code: str, scope: str | None) -> str:
    """What the insurer's list leaves out: households and persons registered whose premium is not in."""
    query = (select(func.count(func.distinct(Enrollment.id)), func.count())
             .select_from(InsuredPerson).join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
             .join(Household, Enrollment.household_id == Household.id)
             .join(Division, Household.division_id == Division.id)
             .where(InsuredPerson.policy_year == year, InsuredPerson.product_code == code,
                    InsuredPerson.removed_on.is_(None), Enrollment.status.in_(ACTIVE_STATUSES),
                    Enrollment.received_on.is_(None)))
    if scope:
        query = query.where(Division.code.startswith(scope))
    households, persons = session.execute(query).one()
    if not households:
        return ""
    return f"另有已登记未缴费{households}户{persons}人，保费未收到，未列入本名单。"


def _heading(product: Product, form: EnrollmentForm, audience: str, year: int, scope_name: str,
             office: str, unpaid_note: str = "") -> SheetHeading:
    form_columns = tuple((f.key, f.roster_columns[0] if f.roster_columns else f.label_zh)
                         for f in form.fields if not f.maps_to)
    # a family-wide pool is the same amount on every member's row: say it is shared, not per person
    liabilities = tuple((item.kind, item.label_zh + ("（家庭共享）" if item.split == "shared_pool" else ""))
                        for item in product.liabilities)
    return SheetHeading(
        title=f"{year}年 {scope_name} {product.name_zh} {AUDIENCE_TITLES[audience]}", office=office,
        product_name=product.name_zh, liabilities=liabilities, form_columns=form_columns, unpaid_note=unpaid_note)


def _form_labels(form: EnrollmentForm):
    """Stored form answers as the roster shows them (法定, not statutory), so they read back in."""
    choices = {f.key: {c.value: c.label_zh for c in f.validation.choices} for f in form.fields}

    def shown(values: dict) -> dict:
        return {key: choices.get(key, {}).get(value, value) if isinstance(value, str) else value
                for key, value in values.items()}

    return shown


def _division_names(session) -> dict[str, str]:
    return dict(session.execute(select(Division.code, Division.name)).all())


def _filters(query, year: int, codes: list[str], scope: str | None, audience: str):
    query = query.where(InsuredPerson.policy_year == year, InsuredPerson.product_code.in_(codes),
                        InsuredPerson.removed_on.is_(None), Enrollment.status.in_(ACTIVE_STATUSES))
    if scope:
        query = query.where(Division.code.startswith(scope))
    if audience == "finance":
        query = query.where(_finance_enrollments())
    if audience == "insurer":  # insured only once the premium is received; the rest is counted, not listed
        query = query.where(Enrollment.received_on.is_not(None))
    return query


def _count(session, year: int, codes: list[str], scope: str | None, audience: str) -> int:
    from sqlalchemy import func

    query = (select(func.count()).select_from(InsuredPerson)
             .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
             .join(Household, Enrollment.household_id == Household.id)
             .join(Division, Household.division_id == Division.id))
    return int(session.scalar(_filters(query, year, codes, scope, audience)) or 0)


def _finance_enrollments():
    """SQL condition: government-paid, or a premium some level of government pays part of."""
    public = select(Contribution.enrollment_id).where(Contribution.payer_type == PayerType.GOVERNMENT.value)
    return or_(Enrollment.payer_type == PayerType.GOVERNMENT.value, Enrollment.id.in_(public))


@dataclass
class _Split:
    """How a sheet's premiums are shared between levels (services/premium_levels)."""

    levels: dict = field(default_factory=dict)  # finance: {enrollment: {stored level: fen}}
    awaiting: dict = field(default_factory=dict)  # finance: {enrollment: {stored level: fen still to allocate}}
    shared: set = field(default_factory=set)  # the enrollments more than one level pays for


def _split(session, year: int, code: str, scope: str | None, audience: str) -> _Split:
    query = (select(Enrollment.id, Enrollment.payer_type, Enrollment.premium_fen)
             .join(Household, Enrollment.household_id == Household.id)
             .join(Division, Household.division_id == Division.id)
             .where(Enrollment.policy_year == year, Enrollment.product_code == code,
                    Enrollment.status.in_(ACTIVE_STATUSES)))
    if scope:
        query = query.where(Division.code.startswith(scope))
    if audience != "finance":  # the 缴费方式 word is all these lists say of the split
        return _Split(shared=premium_levels.shared_enrollments(session, query.with_only_columns(Enrollment.id)))
    query = query.where(_finance_enrollments())
    levels = premium_levels.levels_by_enrollment(session, query.with_only_columns(Enrollment.id))
    return _Split(levels, premium_levels.awaiting_allocation(session, session.execute(query).all()),
                  {key for key, found in levels.items() if premium_levels.is_shared(found)})


def _level_columns(shares: dict) -> tuple[tuple[str, str], ...]:
    """(stored level, header) per level that occurs where a premium is shared between levels; none
    where every premium is one payer's (the 保费 column already says it all)."""
    if not any(len(levels) > 1 for levels in shares.values()):
        return ()
    occurring = {level for levels in shares.values() for level, fen in levels.items() if fen}
    # the unit on a line of its own: 保险公司让利 and 村（社区）集体 fit a money column's width that way
    return tuple((level, f"{level_label(level)}\n（元）") for level in sorted(occurring, key=level_order))


def _awaiting_columns(shares: dict) -> tuple[tuple[str, str], ...]:
    """(stored level, header) of what each level settled by allocation still owes, beside the
    待拨款 total, where premiums are shared: each level's finance office pays its own part."""
    return tuple((level, f"{level_label(level)}待拨款\n（元）") for level, _ in _level_columns(shares)
                 if premium_levels.settled_by_allocation(level))


def _rows(session, product: Product, form: EnrollmentForm, year: int, scope: str | None, audience: str, names: dict[str, str],
          masked: bool, today: dt.date | None = None, split: _Split | None = None) -> Iterator[ExportRow]:
    show = idnumber.mask if masked else (lambda number: number)
    heads: dict = {}
    categories: dict = defaultdict(list)
    base = (select(Household.id).join(Enrollment, Enrollment.household_id == Household.id)
            .where(Enrollment.product_code == product.code, Enrollment.policy_year == year)).subquery()
    # Households are keyed by their ids as the database hands them over (uuid.UUID objects for a
    # hundred thousand rows cost more than the rest of a row); SQL joins on that same form.
    for household_id, name, number in session.execute(
            select(type_coerce(Person.household_id, String), Person.name, Person.id_number).where(
                Person.relation == Relation.HEAD.value, Person.household_id.in_(select(base.c.id)))):
        heads[household_id] = (name, number or "")
    for household_id, category in session.execute(select(
            type_coerce(HouseholdCategoryLink.household_id, String), HouseholdCategoryLink.category).where(
            HouseholdCategoryLink.household_id.in_(select(base.c.id)))):
        categories[household_id].append(HouseholdCategory(category))
    labels = {c: "、".join(x.label_zh for x in sorted(v, key=list(HouseholdCategory).index))
              for c, v in categories.items()}
    # The JSON columns come as their stored text (a driver that parses JSON itself hands over the
    # value): a product-year's rows share a handful of texts, each parsed and shown once.
    query = _filters(
        select(type_coerce(InsuredPerson.sums_insured, Text), InsuredPerson.shares, type_coerce(Enrollment.id, String),
               Enrollment.premium_fen, Enrollment.payer_type, Enrollment.enrolled_on, Enrollment.period_start,
               Enrollment.period_end, type_coerce(Enrollment.form_values, Text), Person.name, Person.sex,
               Person.birth_date, Person.id_number, Person.relation, Person.phone, type_coerce(Household.id, String),
               Household.certificate_no, Division.code, Division.name, InsuredPerson.added_on, Enrollment.received_on)
        .join(Enrollment, InsuredPerson.enrollment_id == Enrollment.id)
        .join(Person, InsuredPerson.person_id == Person.id)
        .join(Household, Enrollment.household_id == Household.id)
        .join(Division, Household.division_id == Division.id), year, [product.code], scope, audience)
    query = query.order_by(Division.code, Household.id, Enrollment.id, Person.relation != Relation.HEAD.value,
                           Person.birth_date, Person.id)
    last_enrollment = None
    form_labels = _form_labels(form)
    sex_labels = {s.value: s.label_zh for s in Sex}
    relation_labels = {r.value: r.label_zh for r in Relation}
    vouchers = _vouchers(session, year, product.code) if audience == "finance" else {}
    split = split or _Split()
    shown_sums = _ParsedOnce(lambda stored: {item["kind"]: item.get("amount_fen") for item in (stored or [])})
    shown_forms = _ParsedOnce(lambda stored: form_labels(dict(stored or {})))
    payer_words: dict = {}
    one_day = dt.timedelta(days=1)
    result = session.connection().execute(query, execution_options={"stream_results": True, "yield_per": 5000})
    rows = (row for part in result.partitions() for row in part)
    for (sums_insured, shares, stored_enrollment, premium_fen, payer_type, enrolled_on, period_start, period_end,
         form_values, name, sex, birth_date, id_number, relation, phone, household_id, certificate_no,
         village_code, village_name, added_on, received_on) in rows:
        first_of_enrollment = stored_enrollment != last_enrollment
        if first_of_enrollment:  # what an enrollment's rows share, looked up once (its id made once)
            last_enrollment, enrollment_id = stored_enrollment, _as_uuid(stored_enrollment)
            levels = split.levels.get(enrollment_id) or {payer_type: premium_fen}
            awaiting = split.awaiting.get(enrollment_id, {})
            voucher = vouchers.get(enrollment_id, "")
            payer_key = (payer_type, enrollment_id in split.shared)
            payer = payer_words.get(payer_key)
            if payer is None:
                payer = payer_words[payer_key] = premium_levels.payer_word(*payer_key)
        head_name, head_number = heads.get(household_id, ("", ""))
        person = shown_person(id_number, birth_date, phone, masked=masked, today=today)
        yield ExportRow(
            township=names.get(village_code[:9], ""), village=village_name, head_name=head_name,
            head_id_number=show(head_number) if head_number else "", categories=labels.get(household_id, ""),
            certificate_no=certificate_no or "", name=name, sex=sex_labels.get(sex, sex),
            birth_date=person.birth_date or person.age, id_number=person.id_number or "",
            relation=relation_labels.get(relation, relation), phone=person.phone or "",
            product_name=product.name_zh, shares=shares, premium_fen=premium_fen if first_of_enrollment else None,
            payer=payer, enrolled_on=enrolled_on,
            # each person's own cover where they joined after the enrollment's start
            period_start=max(period_start, added_on + one_day) if period_start else None,
            period_end=period_end, sums=shown_sums(sums_insured), form_values=shown_forms(form_values),
            enrollment_key=enrollment_id, received=received_on is not None, vouchers=voucher,
            levels=levels if first_of_enrollment else {}, awaiting=awaiting if first_of_enrollment else {},
            waiting=bool(awaiting))


def _as_uuid(stored) -> uuid.UUID:
    return stored if isinstance(stored, uuid.UUID) else uuid.UUID(stored)


class _ParsedOnce:
    """``shown(stored)`` once per distinct stored JSON text; the shown values are shared between rows,
    which only read them. A value the driver already parsed (PostgreSQL) is shown each time."""

    def __init__(self, shown) -> None:
        self._shown = shown
        self._seen: dict[str, object] = {}

    def __call__(self, stored):
        if not isinstance(stored, str):
            return self._shown(json.loads(stored) if isinstance(stored, bytes | bytearray) else stored)
        found = self._seen.get(stored)
        if found is None:
            found = self._seen[stored] = self._shown(json.loads(stored))
        return found


def _vouchers(session, year: int, code: str) -> dict:
    """Voucher numbers of the allocations that settled each enrollment of the product-year."""
    found: dict = defaultdict(list)
    for enrollment_id, voucher in session.execute(
            select(AllocationItem.enrollment_id, Allocation.voucher_no)
            .join(Allocation, Allocation.id == AllocationItem.allocation_id)
            .where(Allocation.policy_year == year, Allocation.product_code == code, Allocation.voided.is_(False))
            .order_by(Allocation.allocated_on)):
        if voucher not in found[enrollment_id]:
            found[enrollment_id].append(voucher)
    return {key: "、".join(values) for key, values in found.items()}


def write_import_template(workspace: Workspace | None, *, product: str, out: str | Path) -> Path:
    catalog = office_catalog(workspace) if workspace is not None else shipped_catalog()
    chosen = find_product(catalog.products, product)
    office = workspace.office.name if workspace is not None and workspace.office else ""
    return write_template(out, chosen, catalog.form_of(chosen), office=office)
