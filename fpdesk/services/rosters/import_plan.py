"""Deciding what a checked roster means for the database, without writing anything.

For every household the file describes: which registered household it is (people are matched by
ID number), which members are new, which fields changed, and which enrollment the rules engine
accepts (enrollments are matched by household + product + policy year, so a file imported twice
adds nothing). The dry run shows exactly this plan; applying writes exactly this plan.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from sqlalchemy import ARRAY, String, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from fpdesk.core import idnumber, phone
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.products import Product
from fpdesk.core.vocabulary import DivisionKind, PersonStatus, Relation
from fpdesk.excel.codes import NotInsured, RowIssue, row_issue
from fpdesk.excel.households import RowHousehold
from fpdesk.excel.rows import RosterRow
from fpdesk.services.enrollment.enroll_many import YearIndex, chunks, load_households
from fpdesk.services.enrollment.enrolling import Consent, EnrollmentPlan, judge_plan
from fpdesk.services.enrollment.facts import HouseholdSnapshot, Member
from fpdesk.services.rosters import plan_new  # decide_new read from the module: a test wraps it
from fpdesk.services.rosters.decisions import (
    NEW,
    UNCHANGED,
    UPDATED,
    HouseholdDecision,
    RegistryChange,
    default_enrollment_date,
)
from fpdesk.services.rosters.judge_memo import JudgeMemo
from fpdesk.storage.schema import Division, Household, Person
from fpdesk.storage.schema_enrollment import ACTIVE_STATUSES, Enrollment

# refusals that are the same for every household of a roster: said once, for the file
FILE_REFUSALS = frozenset({"outside_enrollment_window", "product_withdrawn"})
# warnings of the engine that every household of a roster shares (a late entry): said once, as a note
FILE_WARNINGS = frozenset({"enrollment_late"})
# the engine's household reasons that are a cell to correct, not a household the product excludes
ENROLLMENT_DATA_REASONS = frozenset({"payer_not_allowed", "max_shares_exceeded"})


@dataclass(frozen=True)
class RegisteredPerson:
    person_id: uuid.UUID
    household_id: uuid.UUID
    name: str
    relation: str
    phone: str | None
    phone2: str | None
    status: str


@dataclass
class EnrollmentRefusal:
    """A refusal that is the same for every household (a closed enrollment window, a withdrawn
    product): said once for the file, with how many households it kept from enrolling."""

    code: str
    product: str
    message_zh: str
    message_en: str
    households: int = 0
    first_row: int = 0


@dataclass
class ImportPlan:
    decisions: list[HouseholdDecision]
    issues: list[RowIssue]  # of households held back, and of enrollments held back

    @property
    def accepted(self) -> list[HouseholdDecision]:
        return [d for d in self.decisions if not d.issues and not any(r.rejected for r in d.group.rows)]




def registered_people(session: Session, numbers: set[str]) -> dict[str, RegisteredPerson]:
    """The living registered people of these ID numbers, in one statement whatever their count: the
    numbers go as one parameter (an array on PostgreSQL, a JSON list read by SQLite's json_each), not
    a bound parameter each in lists of 900 (a 100,000-row roster was 112 statements, each compiled)."""
    if not numbers:
        return {}
    if session.scalar(select(Person.id).limit(1)) is None:  # an office's first roster: nobody to look for
        return {}
    if session.get_bind().dialect.name == "postgresql":
        wanted = select(func.unnest(bindparam("numbers", type_=ARRAY(String))))
        value: Any = sorted(numbers)
    else:
        wanted = select(literal_column("value")).select_from(func.json_each(bindparam("numbers", type_=String)))
        value = json.dumps(sorted(numbers))
    found = session.execute(select(
        Person.id_number, Person.id, Person.household_id, Person.name, Person.relation, Person.phone, Person.phone2,
        Person.status).where(Person.id_number.in_(wanted), Person.status != "deceased"), {"numbers": value})
    return {row.id_number: RegisteredPerson(*row[1:]) for row in found}


class _Planner:
    def __init__(self, session: Session, groups: Sequence[RowHousehold], products: dict[str, Product], year: int,
                 today: dt.date, columns: dict[str, str], memo: JudgeMemo | None = None) -> None:
        self.session, self.products, self.year, self.today, self.columns = session, products, year, today, columns
        self.memo = memo
        self.file_refusals: dict[tuple[str, str], EnrollmentRefusal] = {}
        self.file_warnings: dict[tuple[str, str], EnrollmentRefusal] = {}
        self.divisions = {code: (did, name, kind) for did, code, name, kind in session.execute(
            select(Division.id, Division.code, Division.name, Division.kind))}
        numbers = {r.person.id_number for g in groups for r in g.rows if r.person.id_number and not r.rejected}
        numbers |= {r.head_id_number for g in groups for r in g.rows if r.head_id_number}
        self.registered = registered_people(session, numbers)
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

    def _target(self, rows: Sequence[RosterRow], heads: Sequence[RosterRow],
                head_id_number: str | None) -> uuid.UUID | None:
        """The registered household these rows are (by the head's ID number, else most members')."""
        if heads and heads[0].person.id_number in self.registered:
            return self.registered[heads[0].person.id_number].household_id
        if heads:
            return None
        if head_id_number in self.registered:
            return self.registered[head_id_number].household_id
        hits = Counter(self.registered[r.person.id_number].household_id for r in rows
                       if r.person.id_number in self.registered)
        return hits.most_common(1)[0][0] if hits else None

    def _start(self, group: RowHousehold, target: uuid.UUID | None) -> HouseholdDecision:
        if target is None:
            division = self.divisions.get(group.first.division_code)
            return HouseholdDecision(group, new_id(), True, division[0] if division else uuid.UUID(int=0))
        snapshot = self.snapshots[target]
        return HouseholdDecision(group, target, False, snapshot.division_id, snapshot)

    def decide(self, group: RowHousehold) -> HouseholdDecision:
        if self.memo is not None:  # the column path: a new household the short way
            decision = plan_new.decide_new(self, group)
            if decision is not None:
                return decision
        heads = group.head_rows
        target = self._target(group.rows, heads, group.head_id_number)
        first = group.first
        decision = self._start(group, target)
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
            for code in dict.fromkeys(r.product_code for r in group.rows
                                      if r.product_code and not r.enrollment_withheld):
                self._enrollment(decision, code)
        return decision

    def own_problems(self, group: RowHousehold) -> HouseholdDecision:
        """A household held back by a row's errors: the other rows' own problems all the same (a
        person registered in another household), so one dry run says everything to fix."""
        rows = [r for r in group.rows if not r.rejected]
        heads = [r for r in rows if r.person.relation is Relation.HEAD]
        decision = self._start(group, self._target(rows, heads, group.head_id_number))
        for row in rows:
            self._member(decision, row)
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
        rows = [r for r in decision.group.rows if r.product_code == code and not r.enrollment_withheld]
        index = self.indexes[code]
        existing = self.enrolled.get((decision.household_id, code))
        if existing is not None:
            missing = [r for r in rows if decision.person_ids[r.row] not in index.held_by_person]
            for row in missing:  # registered with the household; insured only by an addition
                self._not_insured(decision, row, "enrollment_exists",
                                  f"本户已有{self.year}年度“{product.name_zh}”参保记录，增加被保险人请在参保界面办理。",
                                  f"the household already has a {self.year} enrollment in {code}; "
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
            # members the product's rules leave out (past its ages, outside its categories) are
            # registered with the household and listed as not insured; they never stop the others
            judge = partial(judge_plan, facts=[index.facts(m) for m in chosen]) if self.memo is None else partial(
                self.memo.judge_members, index=index)
            plan = judge(
                product, self.year, snapshot, chosen,
                family_held=index.family_shares.get(decision.household_id, 0),
                channel="unit" if is_unit else "village", unit_division_id=snapshot.division_id if is_unit else None,
                payer=head_row.payer, shares=head_row.shares or 1, on=on, today=self.today,
                form_values=head_row.form_values, consent=Consent(head, on, "imported_roster"), drop_ineligible=True,
                previous=index.previous.get(decision.household_id),
                person_answers={decision.person_ids[r.row]: r.form_values for r in rows})
        except DomainError as error:
            self._refused(decision, error, rows, chosen, head_row, product)
            return
        self._judged(decision, plan, rows, head_row, product)
        for row in rows:
            if decision.status.get(row.row) == UNCHANGED:
                decision.status[row.row] = UPDATED

    def _judged(self, decision: HouseholdDecision, plan: EnrollmentPlan, rows: list[RosterRow], head_row: RosterRow,
                product: Product) -> None:
        """An enrollment the engine made: the household's, with what the file shares and who is left out."""
        decision.plans.append(plan)
        for warning in plan.judged.warnings:
            if warning.code in FILE_WARNINGS:
                found = self.file_warnings.setdefault((warning.code, product.code), EnrollmentRefusal(
                    warning.code, product.code, warning.message_zh, warning.message_en, first_row=head_row.row))
                found.households += 1
        row_of = {decision.person_ids[r.row]: r for r in rows} if plan.excluded else {}
        for member, reasons in plan.excluded:
            row = row_of.get(member.person_id, head_row)
            for reason in reasons:
                self._not_insured(decision, row, reason.code, reason.message_zh, reason.message_en)

    def _not_insured(self, decision: HouseholdDecision, row: RosterRow, code: str, zh: str, en: str) -> None:
        name = row.person.name
        zh = zh[len(name):].lstrip("：:，, ") if name and zh.startswith(name) else zh
        en = en[len(name):].lstrip(":, ") if name and en.startswith(name) else en
        error = DomainError("not_insured", {"row": row.row, "name": name, "reason_zh": zh, "reason_en": en})
        decision.not_insured.append(NotInsured(row.row, code, error.message_zh, error.message_en))

    def _refused(self, decision: HouseholdDecision, error: DomainError, rows: list[RosterRow],
                 chosen: list[Member], head_row: RosterRow, product: Product) -> None:
        """Why an enrollment is not made, told where it belongs: once for the file (a closed window, a
        withdrawn product), as not insured (the household's category, nobody of age), or as the
        cell to fix (a payer the category does not allow); the household is registered in every case."""
        if error.code in FILE_REFUSALS:
            self._refused_for_file(error.code, product, error.message_zh, error.message_en)
            return
        if error.code != "enrollment_refused":
            column = error.params.get("field_zh") or error.params.get("label_zh") or self.column(
                "enrolled_on" if error.code in ("policy_year_mismatch", "date_in_future") else "product")
            decision.enrollment_issues.append(row_issue(head_row.row, column, error))
            return
        reasons = error.params["reasons"]
        calendar = [r for r in reasons if r["code"] in FILE_REFUSALS]
        if calendar:  # the same for every household of the file: said once
            self._refused_for_file(calendar[0]["code"], product, calendar[0]["message"], calendar[0]["message_en"])
            return
        fixable = [r for r in reasons if r["code"] in ENROLLMENT_DATA_REASONS and r.get("person") is None]
        if fixable:
            for reason in fixable:
                key = "payer" if reason["code"] == "payer_not_allowed" else "shares"
                decision.enrollment_issues.append(row_issue(head_row.row, self.column(key), DomainError(
                    "over_max_shares" if key == "shares" else "enrollment_refused",
                    {"detail_zh": reason["message"], "detail_en": reason["message_en"], "hint_zh": "", "hint_en": "",
                     "reasons_zh": reason["message"], "reasons_en": reason["message_en"], "codes": reason["code"]})))
            return
        # only a reason naming a person reads the ids (a counted decision has none: plan_new.py)
        row_of = {decision.person_ids[r.row]: r for r in rows} if any(
            reason.get("person") is not None for reason in reasons) else {}
        for reason in reasons:
            person = reason.get("person")
            targets = [row_of.get(chosen[person].person_id, head_row)] if person is not None else rows
            for row in targets:
                self._not_insured(decision, row, reason["code"], reason["message"], reason["message_en"])

    def _refused_for_file(self, code: str, product: Product, zh: str, en: str) -> None:
        found = self.file_refusals.setdefault((code, product.code), EnrollmentRefusal(code, product.code, zh, en))
        found.households += 1


def _head_first(row: RosterRow) -> tuple[bool, int]:
    return (row.person.relation is not Relation.HEAD, row.row)


def plan_import(session: Session, groups: Sequence[RowHousehold], products: dict[str, Product], *, year: int,
                today: dt.date, columns: dict[str, str], progress=None, memo: JudgeMemo | None = None) -> ImportPlan:
    decisions: list[HouseholdDecision] = []
    held: list[RowIssue] = []
    for part in plan_in_parts(session, groups, products, year=year, today=today, columns=columns, progress=progress,
                              memo=memo):
        decisions += part.decisions
        held += part.issues
    return ImportPlan(decisions, held)


def plan_in_parts(session: Session, groups: Sequence[RowHousehold], products: dict[str, Product], *, year: int,
                  today: dt.date, columns: dict[str, str], progress=None, size: int = 2000,
                  refusals: dict[tuple[str, str], EnrollmentRefusal] | None = None,
                  warnings: dict[tuple[str, str], EnrollmentRefusal] | None = None,
                  memo: JudgeMemo | None = None) -> Iterator[ImportPlan]:
    """The plan of ``size`` households at a time, in file order: a caller that writes each part and
    lets it go holds one part, not the whole roster's plan. Every fact the planner judges by is read
    before the first part, so the parts are what ``plan_import`` would decide, writes or no writes.
    Refusals of the whole file (a closed window) are gathered in ``refusals``, and warnings every
    household shares (a late entry) in ``warnings``, once each. With a ``memo`` the engine is asked
    once per household key (fpdesk.services.rosters.judge_memo)."""
    planner = _Planner(session, groups, products, year, today, columns, memo)
    if refusals is not None:
        planner.file_refusals = refusals
    if warnings is not None:
        planner.file_warnings = warnings
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
        decision = planner.own_problems(group)
        bad = sorted(set(rejected) | {i.row for i in decision.issues})
        _wait(planner, decision, bad, "household_held_back", decision.issues)
        held.extend(decision.issues)
        return decision
    decision = planner.decide(group)
    if decision.issues:
        _wait(planner, decision, sorted({i.row for i in decision.issues}), "household_held_back", decision.issues)
        held.extend(decision.issues)
    elif decision.enrollment_issues:
        issues = decision.enrollment_issues
        _wait(planner, decision, sorted({i.row for i in issues}), "enrollment_held_back", issues)
        held.extend(issues)
    return decision


def _wait(planner: _Planner, decision: HouseholdDecision, bad: list[int], code: str, into: list[RowIssue]) -> None:
    """The household's other rows say why they wait (the marked-up copy carries the whole household)."""
    shown = "、".join(str(r) for r in bad)
    for row in decision.group.rows:
        if row.row not in bad:
            into.append(row_issue(row.row, planner.column("name"), DomainError(code, {"rows": shown})))
