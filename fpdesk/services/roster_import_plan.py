"""Deciding what a checked roster means for the database, without writing anything.

For every household the file describes: which registered household it is (people are matched by
ID number), which members are new, which fields changed, and which enrollment the rules engine
accepts (enrollments are matched by household + product + policy year, so a file imported twice
adds nothing). The dry run shows exactly this plan; applying writes exactly this plan.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpdesk.core import idnumber, phone
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.products import Product
from fpdesk.core.vocabulary import DivisionKind, HouseholdCategory, PersonStatus, Relation
from fpdesk.excel.codes import RowIssue, row_issue
from fpdesk.excel.households import RowHousehold
from fpdesk.excel.rows import RosterRow
from fpdesk.services.enrollment import Consent, EnrollmentPlan, judge_plan
from fpdesk.services.enrollment_bulk import YearIndex, chunks, load_households
from fpdesk.services.enrollment_facts import HouseholdSnapshot, Member
from fpdesk.storage.schema import Division, Household, Person
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, Enrollment

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


@dataclass(frozen=True)
class RegisteredPerson:
    person_id: uuid.UUID
    household_id: uuid.UUID
    name: str
    relation: str
    phone: str | None
    phone2: str | None
    status: str


# what a roster changes in what is registered, in words (dry-run report, CLI): (zh, en) labels
_CHANGE_LABELS = {"name": ("姓名", "name"), "relation": ("与户主关系", "relation to head"),
                  "phone": ("联系电话", "phone"), "phone2": ("联系电话2", "second phone"),
                  "division_code": ("村（社区）", "village"), "categories": ("家庭类别", "household category"),
                  "certificate_no": ("证件号", "certificate number"), "address": ("住址", "address"),
                  "is_rural": ("农村户口", "rural household"), "reward_recipient": ("奖扶对象", "reward recipient")}


@dataclass(frozen=True)
class RegistryChange:
    """A registered value the roster will change (or changed): a renamed person, a household moved to
    another village. Values are as a clerk reads them (village names, masked phones)."""

    row: int
    subject: str  # the person, or the household as 林国华户
    field: str
    old: Any
    new: Any

    def describe(self, language: str = "zh") -> str:
        english = language.startswith("en")
        label = _CHANGE_LABELS.get(self.field, (self.field, self.field))[1 if english else 0]
        old, new = (_shown(value, english) for value in (self.old, self.new))
        if english:
            return f"row {self.row}, {self.subject}: {label} {old} → {new}"
        return f"第{self.row}行 {self.subject}：{label} {old} → {new}"


def _shown(value: Any, english: bool) -> str:
    if isinstance(value, bool):
        return ("yes" if value else "no") if english else ("是" if value else "否")
    if isinstance(value, Relation | HouseholdCategory):
        return value.label("en" if english else "zh")
    if isinstance(value, frozenset | list | tuple):
        return ("、" if not english else ", ").join(_shown(v, english) for v in value) or "—"
    return "—" if value in (None, "") else str(value)


@dataclass
class HouseholdDecision:
    group: RowHousehold
    household_id: uuid.UUID
    is_new: bool
    division_id: uuid.UUID
    snapshot: HouseholdSnapshot | None = None
    person_ids: dict[int, uuid.UUID] = field(default_factory=dict)  # sheet row -> person
    new_rows: list[RosterRow] = field(default_factory=list)
    person_updates: list[tuple[RosterRow, uuid.UUID, dict[str, Any]]] = field(default_factory=list)
    household_changes: dict[str, Any] = field(default_factory=dict)
    plans: list[EnrollmentPlan] = field(default_factory=list)
    status: dict[int, str] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)
    registry_changes: list[RegistryChange] = field(default_factory=list)


@dataclass
class ImportPlan:
    decisions: list[HouseholdDecision]
    issues: list[RowIssue]  # of households held back

    @property
    def accepted(self) -> list[HouseholdDecision]:
        return [d for d in self.decisions if not d.issues and not any(r.rejected for r in d.group.rows)]


def default_enrollment_date(product: Product, year: int, today: dt.date) -> dt.date:
    """The date a roster without an enrollment-date column is recorded at: the season's deadline
    (a past year's roster is history, judged at its own date), or today for the running season."""
    window = product.enrollment_window
    if window is None:
        on = dt.date(year, 1, 1)
    else:
        season = year - (1 if window.covers == "next_year" else 0)
        on = window.deadline.in_year(season)
    return min(on, today)


class _Planner:
    def __init__(self, session: Session, groups: Sequence[RowHousehold], products: dict[str, Product], year: int,
                 today: dt.date, columns: dict[str, str]) -> None:
        self.session, self.products, self.year, self.today, self.columns = session, products, year, today, columns
        self.divisions = {code: (did, name, kind) for did, code, name, kind in session.execute(
            select(Division.id, Division.code, Division.name, Division.kind))}
        numbers = {r.person.id_number for g in groups for r in g.rows if r.person.id_number and not r.rejected}
        numbers |= {r.head_id_number for g in groups for r in g.rows if r.head_id_number}
        self.registered: dict[str, RegisteredPerson] = {}
        for chunk in chunks(sorted(numbers)):
            for row in session.execute(select(
                    Person.id_number, Person.id, Person.household_id, Person.name, Person.relation, Person.phone,
                    Person.phone2, Person.status).where(Person.id_number.in_(chunk), Person.status != "deceased")):
                self.registered[row.id_number] = RegisteredPerson(*row[1:])
        household_ids = {p.household_id for p in self.registered.values()}
        self.snapshots = load_households(session, list(household_ids))
        self.addresses: dict[uuid.UUID, str] = {}
        for chunk in chunks(sorted(household_ids)):
            self.addresses.update(session.execute(select(Household.id, Household.address).where(
                Household.id.in_(chunk))).all())
        wanted = {r.product_code for g in groups for r in g.rows if r.product_code}
        self.indexes = {code: YearIndex(session, products[code], year) for code in wanted}
        self.enrolled: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        for code in wanted:
            for chunk in chunks(sorted(household_ids)):
                for household_id, enrollment_id in session.execute(select(Enrollment.household_id, Enrollment.id).where(
                        Enrollment.product_code == code, Enrollment.policy_year == year,
                        Enrollment.status.in_(ACTIVE_STATUSES), Enrollment.household_id.in_(chunk))):
                    self.enrolled[(household_id, code)] = enrollment_id

    def column(self, key: str) -> str:
        return self.columns.get(key, key)

    def issue(self, decision: HouseholdDecision, row: RosterRow, key: str, code: str, **params) -> None:
        decision.issues.append(row_issue(row.row, self.column(key), DomainError(code, params)))

    # -- households ---------------------------------------------------------------------------------

    def decide(self, group: RowHousehold) -> HouseholdDecision:
        heads = group.head_rows
        target = None
        if heads and heads[0].person.id_number in self.registered:
            target = self.registered[heads[0].person.id_number].household_id
        elif not heads:
            if group.head_id_number in self.registered:
                target = self.registered[group.head_id_number].household_id
            else:
                hits = Counter(self.registered[r.person.id_number].household_id for r in group.rows
                               if r.person.id_number in self.registered)
                target = hits.most_common(1)[0][0] if hits else None
        first = group.first
        division = self.divisions.get(first.division_code)
        if target is None:
            decision = HouseholdDecision(group, new_id(), True, division[0] if division else uuid.UUID(int=0))
        else:
            snapshot = self.snapshots[target]
            decision = HouseholdDecision(group, target, False, snapshot.division_id, snapshot)
        if not heads and target is None:
            self.issue(decision, first, "relation", "household_needs_head")
        for extra in heads[1:]:
            self.issue(decision, extra, "relation", "household_needs_head")
        for row in group.rows:
            self._member(decision, row)
        if not decision.issues:
            self._household_changes(decision)
            self._check_heads(decision)
        if not decision.issues:
            for code in dict.fromkeys(r.product_code for r in group.rows if r.product_code):
                self._enrollment(decision, code)
        return decision

    def _member(self, decision: HouseholdDecision, row: RosterRow) -> None:
        number = row.person.id_number
        known = self.registered.get(number) if number else None
        if known is None:
            decision.person_ids[row.row] = new_id()
            decision.new_rows.append(row)
            decision.status[row.row] = NEW
            return
        if known.household_id != decision.household_id:
            other = self.snapshots.get(known.household_id)
            head = other.head.name if other and other.head else known.name
            self.issue(decision, row, "id_number", "person_in_other_household", masked=idnumber.mask(number),
                       village=other.division_name if other else "", head=head)
            return
        decision.person_ids[row.row] = known.person_id
        changes: dict[str, Any] = {}
        if known.status == PersonStatus.ALIVE.value:
            if row.person.name != known.name:
                changes["name"] = row.person.name
            if row.relation_given and row.person.relation.value != known.relation:
                changes["relation"] = row.person.relation
            for key in ("phone", "phone2"):
                value = getattr(row.person, key)
                if value and value != getattr(known, key):
                    changes[key] = value
        if changes:
            decision.person_updates.append((row, known.person_id, changes))
            for key, value in changes.items():
                before = getattr(known, key)
                if key == "relation":
                    before = Relation(before)
                elif key in ("phone", "phone2"):
                    before, value = phone.mask(before) if before else None, phone.mask(value)
                decision.registry_changes.append(RegistryChange(row.row, known.name, key, before, value))
        decision.status[row.row] = UPDATED if changes else UNCHANGED

    def _household_changes(self, decision: HouseholdDecision) -> None:
        rows = decision.group.rows
        first = decision.group.first
        categories = next((r.categories for r in [first, *rows] if r.categories is not None), None)
        certificate = next((r.certificate_no for r in [first, *rows] if r.certificate_no), None)
        address = next((r.address for r in [first, *rows] if r.address), None)
        flags: dict[str, Any] = {}
        for row in reversed(rows):
            flags.update(row.household_values)
        if decision.is_new:
            division = self.divisions[first.division_code]
            members = tuple(self._new_member(decision, r) for r in sorted(rows, key=_head_first))
            decision.snapshot = HouseholdSnapshot(
                decision.household_id, division[0], first.division_code, division[1], division[2], "active",
                categories or frozenset(), certificate, flags.get("is_rural", True),
                flags.get("reward_recipient", False), members)
            return
        snapshot = decision.snapshot
        changes: dict[str, Any] = {}
        if first.division_code and first.division_code != snapshot.division_code:
            changes["division_code"] = first.division_code
        if categories is not None and categories != snapshot.categories:
            changes["categories"] = sorted(c.value for c in categories)
        if certificate and certificate != snapshot.certificate_no:
            changes["certificate_no"] = certificate
        if address and address != self.addresses.get(snapshot.household_id, ""):
            changes["address"] = address
        for key in ("is_rural", "reward_recipient"):
            if key in flags and flags[key] != getattr(snapshot, key):
                changes[key] = flags[key]
        decision.household_changes = changes
        if changes:
            self._list_household_changes(decision, changes, categories)
        updated = {pid: c for _, pid, c in decision.person_updates}
        members = [replace(m, name=updated.get(m.person_id, {}).get("name", m.name),
                           relation=updated.get(m.person_id, {}).get("relation", m.relation))
                   for m in snapshot.members]
        members += [self._new_member(decision, r) for r in decision.new_rows]
        members.sort(key=lambda m: m.relation is not Relation.HEAD)
        division = self.divisions.get(changes.get("division_code", snapshot.division_code))
        decision.snapshot = replace(
            snapshot, members=tuple(members), categories=categories if categories is not None else snapshot.categories,
            certificate_no=certificate or snapshot.certificate_no,
            is_rural=flags.get("is_rural", snapshot.is_rural),
            reward_recipient=flags.get("reward_recipient", snapshot.reward_recipient),
            division_id=division[0], division_code=changes.get("division_code", snapshot.division_code),
            division_name=division[1], division_kind=division[2])
        if changes:
            status = decision.status.get(decision.group.first.row)
            if status == UNCHANGED:
                decision.status[decision.group.first.row] = UPDATED

    def _list_household_changes(self, decision: HouseholdDecision, changes: dict[str, Any], categories) -> None:
        snapshot = decision.snapshot
        household = f"{snapshot.head.name}户" if snapshot.head else "家庭户"
        before = {"division_code": snapshot.division_name, "categories": sorted(snapshot.categories),
                  "certificate_no": snapshot.certificate_no, "address": self.addresses.get(snapshot.household_id, ""),
                  "is_rural": snapshot.is_rural, "reward_recipient": snapshot.reward_recipient}
        for key, value in changes.items():
            if key == "division_code":
                value = self.divisions[value][1]
            elif key == "categories":
                value = sorted(categories)
            decision.registry_changes.append(
                RegistryChange(decision.group.first.row, household, key, before.get(key), value))

    def _new_member(self, decision: HouseholdDecision, row: RosterRow) -> Member:
        p = row.person
        return Member(decision.person_ids[row.row], p.name, p.id_number, p.relation, p.sex, p.birth_date,
                      PersonStatus.ALIVE)

    def _check_heads(self, decision: HouseholdDecision) -> None:
        heads = [m for m in decision.snapshot.members if m.relation is Relation.HEAD
                 and m.status is PersonStatus.ALIVE]
        if len(heads) != 1:
            self.issue(decision, decision.group.first, "relation", "household_needs_head")

    # -- enrollments --------------------------------------------------------------------------------

    def _enrollment(self, decision: HouseholdDecision, code: str) -> None:
        product = self.products[code]
        rows = [r for r in decision.group.rows if r.product_code == code]
        index = self.indexes[code]
        existing = self.enrolled.get((decision.household_id, code))
        if existing is not None:
            missing = [r for r in rows if decision.person_ids[r.row] not in index.held_by_person]
            for row in missing:
                self.issue(decision, row, "product", "ineligible", name=row.person.name,
                           codes="enrollment_exists",
                           reasons_zh=f"本户已有{self.year}年度“{product.name_zh}”参保记录，增加被保险人请在参保界面办理。",
                           reasons_en=f"the household already has a {self.year} enrollment in {code}; "
                                      "add insured persons on the enrollment screen.")
            return
        snapshot = decision.snapshot
        by_id = {m.person_id: m for m in snapshot.members}
        chosen = [by_id[decision.person_ids[r.row]] for r in sorted(rows, key=_head_first)]
        head_row = next((r for r in rows if r.person.relation is Relation.HEAD), rows[0])
        on = min((r.enrolled_on for r in rows if r.enrolled_on), default=None) or default_enrollment_date(
            product, self.year, self.today)
        is_unit = snapshot.division_kind == DivisionKind.AGENCY_UNIT.value
        head = snapshot.head.name if snapshot.head else head_row.person.name
        try:
            plan = judge_plan(
                product, self.year, snapshot, chosen, [index.facts(m) for m in chosen],
                family_held=index.family_shares.get(decision.household_id, 0),
                channel="unit" if is_unit else "village", unit_division_id=snapshot.division_id if is_unit else None,
                payer=head_row.payer, shares=head_row.shares or 1, on=on, today=self.today,
                form_values=head_row.form_values, consent=Consent(head, on, "imported_roster"))
        except DomainError as error:
            self._refused(decision, error, rows, chosen, head_row)
            return
        decision.plans.append(plan)
        for row in rows:
            if decision.status.get(row.row) == UNCHANGED:
                decision.status[row.row] = UPDATED

    def _refused(self, decision: HouseholdDecision, error: DomainError, rows: list[RosterRow],
                 chosen: list[Member], head_row: RosterRow) -> None:
        if error.code != "enrollment_refused":
            column = error.params.get("field_zh") or error.params.get("label_zh") or self.column("product")
            decision.issues.append(row_issue(head_row.row, column, error))
            return
        row_of = {decision.person_ids[r.row]: r for r in rows}
        for reason in error.params["reasons"]:
            person = reason.get("person")
            row = row_of.get(chosen[person].person_id, head_row) if person is not None else head_row
            code = "over_max_shares" if reason["code"] == "max_shares_exceeded" else "ineligible"
            key = "shares" if code == "over_max_shares" else ("id_number" if person is not None else "category")
            if code == "over_max_shares":
                self.issue(decision, row, key, code, detail_zh=reason["message"], detail_en=reason["message_en"])
            else:
                self.issue(decision, row, key, code, name=row.person.name, codes=reason["code"],
                           reasons_zh=reason["message"], reasons_en=reason["message_en"])


def _head_first(row: RosterRow) -> tuple[bool, int]:
    return (row.person.relation is not Relation.HEAD, row.row)


def plan_import(session: Session, groups: Sequence[RowHousehold], products: dict[str, Product], *, year: int,
                today: dt.date, columns: dict[str, str], progress=None) -> ImportPlan:
    decisions: list[HouseholdDecision] = []
    held: list[RowIssue] = []
    for part in plan_in_parts(session, groups, products, year=year, today=today, columns=columns, progress=progress):
        decisions += part.decisions
        held += part.issues
    return ImportPlan(decisions, held)


def plan_in_parts(session: Session, groups: Sequence[RowHousehold], products: dict[str, Product], *, year: int,
                  today: dt.date, columns: dict[str, str], progress=None, size: int = 2000) -> Iterator[ImportPlan]:
    """The plan of ``size`` households at a time, in file order: a caller that writes each part and
    lets it go holds one part, not the whole roster's plan. Every fact the planner judges by is read
    before the first part, so the parts are what ``plan_import`` would decide, writes or no writes."""
    planner = _Planner(session, groups, products, year, today, columns)
    for start in range(0, len(groups), size):
        decisions: list[HouseholdDecision] = []
        held: list[RowIssue] = []
        for group in groups[start:start + size]:
            decisions.append(_decide(planner, group, held))
        yield ImportPlan(decisions, held)
        if progress is not None and start + size <= len(groups):
            progress(start + size, len(groups))


def _decide(planner: _Planner, group: RowHousehold, held: list[RowIssue]) -> HouseholdDecision:
    rejected = [r.row for r in group.rows if r.rejected]
    if rejected:  # a row of this household failed its checks: the household waits for the fix
        decision = HouseholdDecision(group, uuid.UUID(int=0), False, uuid.UUID(int=0))
        decision.issues = [row_issue(r.row, planner.column("name"), DomainError(
            "household_held_back", {"rows": "、".join(map(str, rejected))})) for r in group.rows if not r.rejected]
        held.extend(decision.issues)
        return decision
    decision = planner.decide(group)
    if decision.issues:
        bad = sorted({i.row for i in decision.issues})
        shown = "、".join(str(r) for r in bad)
        for row in group.rows:
            if row.row not in bad:
                decision.issues.append(row_issue(row.row, planner.column("name"), DomainError(
                    "household_held_back", {"rows": shown})))
        held.extend(decision.issues)
    return decision
