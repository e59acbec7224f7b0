"""The plan of a household the roster brings in whole and new, without the general planner's detours.

Most households of a season's first roster are new: none of its people is registered, and one row
is the head. For them ``_Planner.decide`` (fpdesk/services/rosters/import_plan.py) finds no
registered household to join, no member of another household, nothing to change, exactly one
living head, no enrollment of the household already made and no cover it continues (its id was
minted now); what is left is minting the ids, the household's snapshot and its enrollments. This
is that, step for step, with the same objects: the general planner stays the reference (tests/
services/test_roster_by_columns.py compares both, decision by decision, on rosters full of
mistakes). Any other household is the general planner's.
"""

from __future__ import annotations

import uuid

from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_ids
from fpdesk.core.vocabulary import DivisionKind, PersonStatus, Relation
from fpdesk.excel.households import RowHousehold
from fpdesk.excel.rows import RosterRow
from fpdesk.services.enrollment.enrolling import Consent
from fpdesk.services.enrollment.facts import HouseholdSnapshot, Member
from fpdesk.services.rosters.decisions import NEW, HouseholdDecision, default_enrollment_date

_HEAD = Relation.HEAD
_ALIVE = PersonStatus.ALIVE
_UNIT = DivisionKind.AGENCY_UNIT.value
_NO_DIVISION = uuid.UUID(int=0)


def decide_new(planner, group: RowHousehold) -> HouseholdDecision | None:
    """``planner.decide(group)`` for a household of new people with one head row; None for any other."""
    rows = group.rows
    registered = planner.registered
    head = None
    for row in rows:
        person = row.person
        if person.relation is _HEAD:
            if head is not None:  # two heads: said as an issue, by the general planner
                return None
            head = row
        if person.id_number in registered:
            return None
    if head is None:
        return None
    household_id, *person_ids = new_ids(len(rows) + 1)
    # the group's first row is its head: the household's village is the head's
    division = planner.divisions.get(head.division_code)
    decision = HouseholdDecision(group, household_id, True, division[0] if division else _NO_DIVISION)
    ids = decision.person_ids
    for row, person_id in zip(rows, person_ids, strict=True):
        ids[row.row] = person_id
    decision.status = dict.fromkeys(ids, NEW)
    decision.new_rows = list(rows)
    ordered = sorted(rows, key=_head_first)
    members = tuple(Member(ids[r.row], r.person.name, r.person.id_number, r.person.relation, r.person.sex,
                           r.person.birth_date, _ALIVE) for r in ordered)
    # _household_changes of a new household: the first value the head's row, then the others, give
    categories = next((r.categories for r in [head, *rows] if r.categories is not None), None)
    certificate = next((r.certificate_no for r in [head, *rows] if r.certificate_no), None)
    flags: dict = {}
    for row in reversed(rows):
        flags.update(row.household_values)
    division = planner.divisions[head.division_code]
    decision.snapshot = HouseholdSnapshot(
        household_id, division[0], head.division_code, division[1], division[2], "active",
        categories or frozenset(), certificate, flags.get("is_rural", True), flags.get("reward_recipient", False),
        members)
    # one head among new, living members: _check_heads finds nothing to say
    member_of = dict(zip([r.row for r in ordered], members, strict=True))
    for code in dict.fromkeys(r.product_code for r in rows if r.product_code and not r.enrollment_withheld):
        _enrollment(planner, decision, code, member_of, ordered)
    return decision


def _enrollment(planner, decision: HouseholdDecision, code: str, member_of: dict[int, Member],
                ordered: list[RosterRow]) -> None:
    """``planner._enrollment`` of a new household: none is made for it yet, and it continues none
    (its members' ids were minted now, so no stored enrollment or insured row holds them either)."""
    product = planner.products[code]
    rows = [r for r in decision.group.rows if r.product_code == code and not r.enrollment_withheld]
    index = planner.indexes[code]
    snapshot = decision.snapshot
    chosen = [member_of[r.row] for r in (ordered if len(rows) == len(ordered) else sorted(rows, key=_head_first))]
    head_row = next((r for r in rows if r.person.relation is _HEAD), rows[0])
    on = min((r.enrolled_on for r in rows if r.enrolled_on), default=None) or default_enrollment_date(
        product, planner.year, planner.today)
    is_unit = snapshot.division_kind == _UNIT
    ids = decision.person_ids
    try:
        plan = planner.memo.judge_members(
            product, planner.year, snapshot, chosen, index, minted_now=True, family_held=0,
            channel="unit" if is_unit else "village", unit_division_id=snapshot.division_id if is_unit else None,
            payer=head_row.payer, shares=head_row.shares or 1, on=on, today=planner.today,
            form_values=head_row.form_values, consent=Consent(snapshot.members[0].name, on, "imported_roster"),
            drop_ineligible=True, previous=None, person_answers={ids[r.row]: r.form_values for r in rows})
    except DomainError as error:
        planner._refused(decision, error, rows, chosen, head_row, product)
        return
    planner._judged(decision, plan, rows, head_row, product)


def _head_first(row: RosterRow) -> tuple[bool, int]:
    return (row.person.relation is not _HEAD, row.row)
