"""The plan of a household the roster brings in whole and new, without the general planner's detours.

Most households of a season's first roster are new: none of its people is registered, and one row
is the head. For them ``_Planner.decide`` (fpdesk/services/rosters/import_plan.py) finds no
registered household to join, no member of another household, nothing to change, and exactly one
living head; what is left is minting the ids, the household's snapshot and its enrollments. This
is that, step for step, with the same objects: the row checker's twin, the per-household planner,
stays the reference (tests/services/test_roster_by_columns.py compares both on rosters full of
mistakes). Any other household is the general planner's.
"""

from __future__ import annotations

import uuid

from fpdesk.core.ids import new_id
from fpdesk.core.vocabulary import Relation
from fpdesk.excel.households import RowHousehold
from fpdesk.services.rosters.import_plan import NEW, HouseholdDecision

_HEAD = Relation.HEAD
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
    # the group's first row is its head: the household's village is the head's
    division = planner.divisions.get(head.division_code)
    decision = HouseholdDecision(group, new_id(), True, division[0] if division else _NO_DIVISION)
    ids, status = decision.person_ids, decision.status
    for row in rows:
        ids[row.row] = new_id()
        status[row.row] = NEW
    decision.new_rows = list(rows)
    planner._household_changes(decision)
    # one head among new, living members: _check_heads finds nothing to say
    for code in dict.fromkeys(r.product_code for r in rows if r.product_code and not r.enrollment_withheld):
        planner._enrollment(decision, code)
    return decision
