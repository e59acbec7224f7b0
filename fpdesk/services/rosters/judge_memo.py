"""The rules engine asked once per distinct household of a roster, not once per household.

A roster of 33,000 households asks the engine the same question a few hundred times: one product,
one date, the same payer, shares, categories and form answers, members with the same relations
and ages. ``JudgeMemo.judge_plan`` takes ``enrollment.judge_plan``'s arguments and answers from the
first household judged with the same key.

What the key holds, and why that is everything the answer depends on (read off ``judge_plan`` in
fpdesk/services/enrollment/enrolling.py and ``judge`` in fpdesk/core/rules.py; ``tests/services/
test_judge_memo.py`` checks with generated households that both answers agree):

- ``judge_plan`` itself reads the household's status (household_not_active), ``on`` against
  ``today`` (date_in_future; both also date the window and the late entry), ``shares``
  (bad_argument), the product (withdrawn or not, its window), ``year`` (policy_year_mismatch),
  ``payer``, ``family_held``, the end of the cover this one continues (``previous[1]``), the
  household's ``form_values`` (the answers the rules read, and the form's own check of them),
  ``channel``, the consent's date and method (checked), and, per member, the member's own answers
  (``person_answers``): all in the key. The consent's name is checked for each household.
- The household's facts (``snapshot.facts``): categories, the certificate number (read only as
  blank or not), rural, reward recipient, the unit channel, and the only child's birth date, which
  the engine reads only as completed years at the cover's start: all in the key, the birth date as
  those years.
- Each member's facts: relation (also the member record's: the insured are sorted head first by
  it), role, status, eligible list, renewal, shares held, insured this period, answers; the birth
  date is read as completed years at the cover's start (every age limit) and as days against
  ``min_age_days`` (below or not): all in the key. The name, the sex and the ID number are not read.
- A condition on a named member (``eligibility.member_ages``: 女方满49周岁) reads that member among
  all the household's living members, asked for or not, found by relation and sex: her age at the
  cover's start, in years and days, is in the key (or that there is none).

Two households with one key differ in what the engine says only in a person's own reasons (they
name the person and may give an age in days) and in each person's age in days. So only answers
in which no person has a reason are remembered (a refusal for the household alone, or a plan
insuring everyone asked for), and a remembered plan is made the household's own with its id,
division, members, ages in days, the head's consent and the cover it continues. Any other answer
is the engine's own, every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fpdesk.core.dates import age_in_days, completed_years
from fpdesk.core.errors import DomainError
from fpdesk.core.products import Product
from fpdesk.core.rules import PersonFacts, named_member
from fpdesk.core.rules_calendar import policy_period
from fpdesk.core.vocabulary import PersonStatus
from fpdesk.services.enrollment.enrolling import Consent, EnrollmentPlan, judge_plan, rule_answers
from fpdesk.services.enrollment.facts import CHILD_RELATIONS, HouseholdSnapshot, Member
from fpdesk.services.rosters.decisions import default_enrollment_date


class JudgeMemo:
    """``judge_plan`` remembered by household key, for the households of one job (one catalog)."""

    def __init__(self, *, own_plans: bool = True) -> None:
        # ``own_plans=False``: the plans are only counted, never written or kept (a dry run that
        # does not keep its plan), so a remembered plan is handed back as it is, not copied with
        # this household's ids and members (an eighth of the planning time)
        self.own_plans = own_plans
        self._answers: dict[tuple, EnrollmentPlan | DomainError] = {}
        self._starts: dict[tuple, dt.date] = {}
        self._rule_answers: dict[tuple, Any] = {}
        self._default_dates: dict[tuple, dt.date] = {}
        self._ages: dict[tuple, AgesAt] = {}
        self._products: dict[int, Product] = {}  # keeps the products keyed by id() alive
        self.engine_calls = 0
        # a new household's shape (plan_new.household_shapes) -> the answer remembered for its key
        self.shapes: dict[tuple, EnrollmentPlan | DomainError] = {}
        self.last_key: tuple | None = None  # the key of the last question asked (None: not keyable)

    def judge_plan(self, product: Product, year: int, snapshot: HouseholdSnapshot, chosen: Sequence[Member],
                   facts: Sequence[PersonFacts], *, family_held: int, channel: str, unit_division_id,
                   payer, shares: int, on: dt.date, today: dt.date, form_values: Mapping[str, Any] | None,
                   consent: Consent, drop_ineligible: bool = False, previous=None,
                   person_answers: Mapping[Any, Mapping[str, Any]] | None = None) -> EnrollmentPlan:
        arguments = dict(family_held=family_held, channel=channel, unit_division_id=unit_division_id, payer=payer,
                         shares=shares, on=on, today=today, form_values=form_values, consent=consent,
                         drop_ineligible=drop_ineligible, previous=previous, person_answers=person_answers)
        return self._judge(product, year, snapshot, chosen, [standing_of(f) for f in facts], lambda: facts,
                           arguments)

    def judge_members(self, product: Product, year: int, snapshot: HouseholdSnapshot, chosen: Sequence[Member],
                      index: Any, *, minted_now: bool = False, **arguments: Any) -> EnrollmentPlan:
        """``judge_plan`` with each member's facts as ``index.facts(member)`` says them (a YearIndex),
        made only when the engine is asked: the key reads ``index.standing(member)``, the same
        values (``standing_of`` of those facts; tests/services/test_judge_memo.py checks both agree).
        ``minted_now``: every member's id was made by this job (a new household's)."""
        arguments.setdefault("drop_ineligible", False)
        arguments.setdefault("previous", None)
        arguments.setdefault("person_answers", None)
        return self._judge(product, year, snapshot, chosen, [index.standing(m, minted_now=minted_now) for m in chosen],
                           lambda: [index.facts(m) for m in chosen], arguments)

    def _judge(self, product: Product, year: int, snapshot: HouseholdSnapshot, chosen: Sequence[Member],
               standing: list[tuple], facts_of: Callable[[], Sequence[PersonFacts]], arguments: dict) -> EnrollmentPlan:
        key = self._key(product, year, snapshot, chosen, standing, facts_of, arguments)
        try:
            found = self._answers.get(key)
        except TypeError:  # an answer the key cannot hold (a list): the engine is asked
            key = found = None
        self.last_key = key
        if found is None:
            self.engine_calls += 1
            try:
                plan = judge_plan(product, year, snapshot, chosen, facts_of(), **arguments)
            except DomainError as error:
                if key is not None and _for_the_household(error):
                    self._answers[key] = error
                raise
            if key is not None and not plan.excluded and not any(p.reasons for p in plan.judged.persons):
                self._answers[key] = plan
            return plan
        if isinstance(found, DomainError):
            raise DomainError(found.code, found.params)  # a new one: a raised instance keeps its frames
        if not self.own_plans:
            return found
        return self._made_own(found, snapshot, chosen, standing, arguments["unit_division_id"],
                              arguments["consent"], arguments["previous"])

    def _key(self, product: Product, year: int, snapshot: HouseholdSnapshot, chosen: Sequence[Member],
             standing: Sequence[tuple], facts_of: Callable[[], Sequence[PersonFacts]],
             arguments: dict) -> tuple:
        self._products[id(product)] = product
        on, today, previous = arguments["on"], arguments["today"], arguments["previous"]
        previous_end = previous[1] if previous else None
        start = self.start_of(product, on, year, previous_end)
        only_child = _only_child_birth_date(snapshot)
        min_days = product.eligibility.min_age_days
        person_answers = arguments["person_answers"]
        members = []
        for member, (relation, role, status, listed, renewal, held, already, answers, birth) in zip(
                chosen, standing, strict=True):
            answers = (self._rule_answers_of(product, person_answers.get(member.person_id)) if person_answers
                       else _items(answers))
            members.append((member.relation, relation, role, status, listed, renewal, held, already, answers,
                            completed_years(birth, start),
                            min_days is not None and age_in_days(birth, start) < min_days))
        named = ()
        if product.eligibility.member_ages:  # 女方满49周岁: a member who need not be asked for herself
            everyone = snapshot.facts(via_unit_channel=arguments["channel"] == "unit").members or tuple(facts_of())
            for condition in product.eligibility.member_ages:
                person = named_member(condition.member, everyone)
                named += ((condition.member, None) if person is None else
                          (condition.member, completed_years(person.birth_date, start),
                           age_in_days(person.birth_date, start)),)
        key = (id(product), year, on, today, arguments["shares"], arguments["payer"], arguments["family_held"],
               arguments["channel"], previous_end, _items(arguments["form_values"]), arguments["drop_ineligible"],
               arguments["consent"].on, arguments["consent"].method,
               snapshot.status, snapshot.categories, bool((snapshot.certificate_no or "").strip()),
               snapshot.is_rural, snapshot.reward_recipient, arguments["channel"] == "unit",
               None if only_child is None else completed_years(only_child, start), tuple(members), named)
        return key

    def start_of(self, product: Product, on: dt.date, year: int, previous_end: dt.date | None) -> dt.date:
        """The start of the cover the engine judges ages at (``policy_period``), once per date."""
        starts = (id(product), on, year, previous_end)
        start = self._starts.get(starts)
        if start is None:
            self._products[id(product)] = product
            start = self._starts[starts] = policy_period(product, on, year, previous_end).start
        return start

    def default_date(self, product: Product, year: int, today: dt.date) -> dt.date:
        """``default_enrollment_date`` (decisions.py), once per product."""
        key = (id(product), year, today)
        found = self._default_dates.get(key)
        if found is None:
            self._products[id(product)] = product
            found = self._default_dates[key] = default_enrollment_date(product, year, today)
        return found

    def ages_at(self, product: Product, on: dt.date, year: int) -> AgesAt:
        """What the key reads of a birth date for a cover taken out on ``on`` with no cover before
        it (completed years at its start, days below ``min_age_days`` or not), once per birth date."""
        key = (id(product), on, year)
        found = self._ages.get(key)
        if found is None:
            found = self._ages[key] = AgesAt(self.start_of(product, on, year, None), product.eligibility.min_age_days)
        return found

    def remembered(self, key: tuple | None) -> EnrollmentPlan | DomainError | None:
        """The answer remembered under ``key`` (a plan, or a refusal of the household), or None."""
        return None if key is None else self._answers.get(key)

    def _rule_answers_of(self, product: Product, values: Mapping[str, Any] | None) -> Any:
        if not values:
            return None
        key = (id(product), tuple(values.items()))
        found = self._rule_answers.get(key, self)
        if found is self:
            found = self._rule_answers[key] = _items(rule_answers(product, values))
        return found

    rule_answers_of = _rule_answers_of  # what the rules read of a row's answers (plan_new.household_shapes)

    @staticmethod
    def _made_own(plan: EnrollmentPlan, snapshot: HouseholdSnapshot, chosen: Sequence[Member],
                  standing: Sequence[tuple], unit_division_id, consent: Consent, previous) -> EnrollmentPlan:
        judged = plan.judged
        start = judged.period.start
        persons = tuple(_replaced(p, age_days=age_in_days(standing[p.index][8], start)) for p in judged.persons)
        return _replaced(
            plan, household_id=snapshot.household_id, unit_division_id=unit_division_id,
            judged=_replaced(judged, persons=persons),
            insured=[(chosen[p.index], persons[p.index]) for _member, p in plan.insured],
            form_values=dict(plan.form_values), consent=consent.checked(), excluded=[], previous=previous)


class AgesAt(dict):
    """Birth date -> (completed years at ``start``, days below ``min_days`` or not), as ``_key``
    reads a member's birth date; ``get`` first, ``of`` the first time."""

    def __init__(self, start: dt.date, min_days: int | None) -> None:
        super().__init__()
        self.start, self.min_days = start, min_days

    def of(self, birth: dt.date) -> tuple[int, bool]:
        start, min_days = self.start, self.min_days
        found = self[birth] = (completed_years(birth, start),
                               min_days is not None and age_in_days(birth, start) < min_days)
        return found


def standing_of(fact: PersonFacts) -> tuple:
    """What the key reads of a person's facts, in ``_key``'s order; the birth date last."""
    return (fact.relation, fact.role, fact.status, fact.on_eligible_list, fact.renewal, fact.shares_held,
            fact.already_insured_this_period, fact.answers, fact.birth_date)


def _replaced(value: Any, **changes: Any) -> Any:
    """``dataclasses.replace`` of a dataclass whose ``__init__`` only sets its fields (no
    ``__post_init__``, no slots, frozen or not: EnrollmentPlan, Eligibility, PersonEligibility), at
    a fraction of its cost: it runs for every household and person a remembered answer is given to."""
    made = object.__new__(type(value))
    fields = made.__dict__
    fields.update(value.__dict__)
    fields.update(changes)
    return made


def _only_child_birth_date(snapshot: HouseholdSnapshot) -> dt.date | None:
    """``snapshot.facts(...).only_child_birth_date`` without building the members' facts the key
    does not read (a fifth of the key's time)."""
    found = None
    for m in snapshot.members:
        if m.relation.value in CHILD_RELATIONS and m.status is not PersonStatus.DECEASED:
            if found is not None:
                return None
            found = m
    return None if found is None else found.birth_date


def _for_the_household(error: DomainError) -> bool:
    """A refusal that names no person (the consent names the head: never remembered)."""
    if error.code == "consent_missing":
        return False
    if error.code == "enrollment_refused":
        return all(reason.get("person") is None for reason in error.params.get("reasons", ()))
    return True


def _items(values: Mapping[str, Any] | None) -> tuple | None:
    return None if values is None else tuple(values.items())
