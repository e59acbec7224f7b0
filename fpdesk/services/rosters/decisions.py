"""What a roster plan decides for one household, shared by the planner (import_plan.py) and its
short way for a household of new people (plan_new.py), which both build these decisions."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core.language import pick, text
from fpdesk.core.products import Product
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.excel.codes import NotInsured, RowIssue
from fpdesk.excel.households import RowHousehold
from fpdesk.excel.rows import RosterRow
from fpdesk.services.enrollment.enrolling import EnrollmentPlan
from fpdesk.services.enrollment.facts import HouseholdSnapshot

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


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
        label = text(_CHANGE_LABELS.get(self.field, (self.field, self.field)), language)
        old, new = (_shown(value, language) for value in (self.old, self.new))
        return pick(f"第{self.row}行 {self.subject}：{label} {old} → {new}",
                    f"row {self.row}, {self.subject}: {label} {old} → {new}", language)


def _shown(value: Any, language: str) -> str:
    if isinstance(value, bool):
        return pick("是" if value else "否", "yes" if value else "no", language)
    if isinstance(value, Relation | HouseholdCategory):
        return value.label(language)
    if isinstance(value, frozenset | list | tuple):
        return pick("、", ", ", language).join(_shown(v, language) for v in value) or "—"
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
    issues: list[RowIssue] = field(default_factory=list)  # the household's: it waits, whole
    registry_changes: list[RegistryChange] = field(default_factory=list)
    # registered, but left out of an enrollment by the product's rules (not a rejection)
    not_insured: list[NotInsured] = field(default_factory=list)
    # an enrollment's own data errors (a payer the category does not allow): registered, not enrolled
    enrollment_issues: list[RowIssue] = field(default_factory=list)


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
