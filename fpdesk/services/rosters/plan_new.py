"""The plan of a household the roster brings in whole and new, without the general planner's detours.

Most households of a season's first roster are new: none of its people is registered, and one row
is the head. For them ``_Planner.decide`` (fpdesk/services/rosters/import_plan.py) finds no
registered household to join, no member of another household, nothing to change, exactly one
living head, no enrollment of the household already made and no cover it continues (its id was
minted now); what is left is minting the ids, the household's snapshot and its enrollments. This
is that, step for step, with the same objects: the general planner stays the reference (tests/
services/test_roster_by_columns.py compares both, decision by decision, on rosters full of
mistakes). Any other household is the general planner's.

A dry run that keeps no plan (``JudgeMemo.own_plans`` false) only counts what the plans hold, so a
new household whose every enrollment the memo has remembered is *counted*, not planned: no ids are
minted, no members, snapshot or plan made, and the memo's answer is looked up by the household's
shape (``household_shapes``) read straight off its rows. How the shape holds the memo's key is
written beside it; a shape is mapped to the answer remembered for the key its first household was
judged by, so a shape that holds more than the key costs a few more engine calls, never a different
answer (tests/services/test_roster_by_columns.py: one shape, one key).
"""

from __future__ import annotations

import contextlib
import uuid

from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_ids
from fpdesk.core.vocabulary import DivisionKind, PersonStatus, Relation
from fpdesk.excel.households import RowHousehold
from fpdesk.excel.rows import RosterRow
from fpdesk.services.enrollment.enrolling import Consent
from fpdesk.services.enrollment.facts import CHILD_RELATIONS, HouseholdSnapshot, Member
from fpdesk.services.rosters.decisions import NEW, HouseholdDecision, default_enrollment_date

_HEAD = Relation.HEAD
_SON, _DAUGHTER = Relation.SON, Relation.DAUGHTER
assert {_SON.value, _DAUGHTER.value} == set(CHILD_RELATIONS)
_ALIVE = PersonStatus.ALIVE
_UNIT = DivisionKind.AGENCY_UNIT.value
_NO_DIVISION = uuid.UUID(int=0)
_COUNTED = uuid.UUID(int=0)  # the household id of a counted decision: nothing is written or kept


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
    shapes = None
    if not planner.memo.own_plans:
        asked: dict[str, tuple] = {}
        try:
            shapes = household_shapes(planner, rows, head, asked)
        except TypeError:  # an answer no key can hold: the engine is asked, as the memo does
            shapes = None
        if shapes is not None:
            counted = _counted(planner, group, head, shapes, asked)
            if counted is not None:
                return counted
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
        _enrollment(planner, decision, code, member_of, ordered, shapes)
    return decision


def _enrollment(planner, decision: HouseholdDecision, code: str, member_of: dict[int, Member],
                ordered: list[RosterRow], shapes: dict[str, tuple] | None = None) -> None:
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
        _remember_shape(planner.memo, shapes, code)
        planner._refused(decision, error, rows, chosen, head_row, product)
        return
    _remember_shape(planner.memo, shapes, code)
    planner._judged(decision, plan, rows, head_row, product)


def _remember_shape(memo, shapes: dict[str, tuple] | None, code: str) -> None:
    """The shape of this household's enrollment in ``code`` leads to the answer of the key it was
    just judged by, once the memo remembers one there (an answer naming a person is the engine's every time)."""
    found = None if shapes is None else memo.remembered(memo.last_key)
    if found is not None:  # remembered once under its key, never replaced: kept by the shape too
        with contextlib.suppress(TypeError):  # an answer the shape cannot hold: this shape is always planned
            memo.shapes.setdefault(shapes[code], found)


def household_shapes(planner, rows: list[RosterRow], head: RosterRow,
                     asked: dict[str, tuple] | None = None) -> dict[str, tuple] | None:
    """Per product the household enrolls in, what ``JudgeMemo._key`` reads of it, read off its rows;
    None where the memo's key is not held (a product naming a member by her age, an unhashable answer).

    Derivation, field by field of ``_key`` for the call ``_enrollment`` above makes (a new household:
    its members are all its rows, all living, their ids minted now; no cover continued):
    product, year, today, family_held (0), previous (none), drop_ineligible (true), the consent's
    method: the product's code and the planner's constants. ``on`` and the consent's date: ``on``.
    ``shares``, ``payer``, ``form_values``: the head row's (the first head among the product's rows,
    else its first row). ``channel`` and unit: the head's village's kind. Status: "active".
    Categories, certificate (blank or not), rural, reward recipient: the first given by the head's
    row then the others, the flags the last given, as ``decide_new`` makes the snapshot. The only
    child's completed years at the cover's start: from the household's rows of a child relation
    (all living). Per member asked for, head first then by row (``chosen``): the relation (the
    member's and the facts'), role (none), status (living), listed, renewal and shares held
    (``YearIndex._held`` of a minted id reads only the number: its listing, last year's numbers and
    the shares held by the number, kept whole here), answers (the row's form answers as the rules read
    them), completed years and days below ``min_age_days`` at the start (which is ``on``'s). Named
    members (``member_ages``): not held, so such a product has no shape. ``asked`` receives, per
    product, its rows in file order and the head row (what ``_counted`` hands the planner).
    ``tests/services/test_roster_by_columns.py`` counts both ways on rosters full of mistakes."""
    memo = planner.memo
    division = planner.divisions[head.division_code]
    categories = head.categories
    certificate = head.certificate_no
    flags: dict = {}
    only_child = None
    children = 0
    for row in rows:  # the first given by the head's row then the others; the flags the last given
        if categories is None:
            categories = row.categories
        if not certificate:
            certificate = row.certificate_no
        if row.household_values:
            flags.update(row.household_values)
        relation = row.person.relation
        if relation is _SON or relation is _DAUGHTER:  # CHILD_RELATIONS, without an enum value read a row
            children += 1
            only_child = row.person.birth_date
    if children != 1:
        only_child = None
    if flags:  # ``decide_new`` gives the first row's flags the last word
        flags = {}
        for row in reversed(rows):
            flags.update(row.household_values)
    household = (division[2] == _UNIT, categories, bool((certificate or "").strip()), flags.get("is_rural", True),
                 flags.get("reward_recipient", False))
    # the rows are in file order: head first, they are already ``_head_first``'s order
    ordered = rows if rows[0] is head else sorted(rows, key=_head_first)
    year, today = planner.year, planner.today
    shapes = {}
    for code in dict.fromkeys([r.product_code for r in rows if r.product_code and not r.enrollment_withheld]):
        product = planner.products[code]
        if product.eligibility.member_ages:
            return None
        mine = [r for r in ordered if r.product_code == code and not r.enrollment_withheld]
        # the head row: the first head among the product's rows, else its first row in the file
        head_row = mine[0] if mine[0].person.relation is _HEAD else min(mine, key=_row_number)
        on = min([r.enrolled_on for r in mine if r.enrolled_on], default=None) or memo.default_date(
            product, year, today)
        ages = memo.ages_at(product, on, year)
        index = planner.indexes[code]
        listed, last_year, held = index.listed, index.last_year_numbers, index.held_by_number
        answers_of = memo.rule_answers_of
        members = []
        if listed or last_year or held:
            for r in mine:
                person = r.person
                number, birth = person.id_number, person.birth_date
                members.append((person.relation, number in listed, number in last_year,
                                held.get(number, 0) if number else 0,
                                answers_of(product, r.form_values) if r.form_values else None,
                                *(ages.get(birth) or ages.of(birth))))
        else:  # nobody listed, insured last year or holding shares (a first roster): the same tuples
            for r in mine:
                person = r.person
                birth = person.birth_date
                members.append((person.relation, False, False, 0,
                                answers_of(product, r.form_values) if r.form_values else None,
                                *(ages.get(birth) or ages.of(birth))))
        form_values = head_row.form_values
        if asked is not None:
            asked[code] = (mine if ordered is rows else [
                r for r in rows if r.product_code == code and not r.enrollment_withheld], head_row)
        shapes[code] = (code, on, head_row.payer, head_row.shares or 1,
                        None if form_values is None else tuple(form_values.items()), household,
                        None if only_child is None else (ages.get(only_child) or ages.of(only_child))[0],
                        tuple(members))
    return shapes


def _counted(planner, group: RowHousehold, head: RosterRow, shapes: dict[str, tuple],
             asked: dict[str, tuple]) -> HouseholdDecision | None:
    """``decide_new``'s decision as a dry run that keeps no plan counts it, when the memo answers every
    enrollment by its shape; None for the planned way. No ids, members or snapshot: ``_count``
    (importing.py) reads the rows' status, the plans, who is not insured and the issues."""
    memo = planner.memo
    answers = []
    try:
        for code, shape in shapes.items():
            found = memo.shapes.get(shape)
            if found is None:
                return None
            answers.append((code, found))
    except TypeError:  # an answer the shape cannot hold: the planned way asks the memo
        return None
    rows = group.rows
    decision = HouseholdDecision(group, _COUNTED, True, planner.divisions[head.division_code][0])
    decision.status = dict.fromkeys([r.row for r in rows], NEW)
    decision.new_rows = list(rows)
    for code, found in answers:
        product = planner.products[code]
        mine, head_row = asked[code]
        if isinstance(found, DomainError):  # remembered refusals name no person: ``chosen`` is not read
            planner._refused(decision, DomainError(found.code, found.params), mine, [], head_row, product)
        else:  # a remembered plan insures everyone asked for: nobody is listed as not insured
            planner._judged(decision, found, mine, head_row, product)
    return decision


def _row_number(row: RosterRow) -> int:
    return row.row


def _head_first(row: RosterRow) -> tuple[bool, int]:
    return (row.person.relation is not _HEAD, row.row)
