"""The rules engine judged once per household key (services/rosters/judge_memo.py) answers exactly what it
answers for each household: generated households of every shipped product, with ages around every
limit, categories, certificates, payers, shares, answers, statuses and renewals, compared field by
field (the plan, or the refusal's code and words)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fpdesk.core.dates import completed_years
from fpdesk.core.errors import DomainError
from fpdesk.core.rules import PersonFacts
from fpdesk.core.vocabulary import HouseholdCategory, PayerType, PersonStatus, Relation, Sex
from fpdesk.services.enrollment.enrolling import Consent, judge_plan
from fpdesk.services.enrollment.facts import HouseholdSnapshot, Member, catalog
from fpdesk.services.rosters.judge_memo import JudgeMemo

PRODUCTS = sorted(catalog().products.values(), key=lambda p: p.code)
RELATIONS = [Relation.SPOUSE, Relation.SON, Relation.DAUGHTER, Relation.OTHER, Relation.HEAD]
LIMIT_AGES = [14, 15, 60, 61, 65, 66, 70, 71]  # around every age limit of the shipped products


def birth_near(draw, on: dt.date) -> dt.date:
    """A birth date near a limit at the cover's start: days old around 28, or a birthday around it."""
    if draw(st.booleans()):
        return on - dt.timedelta(days=draw(st.integers(0, 60)))
    age = draw(st.sampled_from(LIMIT_AGES))
    return dt.date(on.year - age, on.month, min(on.day, 28)) + dt.timedelta(days=draw(st.integers(-4, 4)))


def mostly(good, *others):
    """``good`` four times in five: a household the engine accepts whole is the one remembered."""
    return st.sampled_from([good] * 4 * max(len(others), 1) + list(others))


@st.composite
def household(draw, on: dt.date, product):
    """A household (snapshot, the members asked for with their facts, judge_plan's options)."""
    chosen = []
    for index in range(draw(st.integers(1, 4))):
        relation = Relation.HEAD if index == 0 else draw(st.sampled_from(RELATIONS))
        status = draw(mostly(PersonStatus.ALIVE, *PersonStatus))
        member = Member(uuid.uuid4(), draw(st.sampled_from(["林国华", "张秀英", "王", "李明"])), None, relation,
                        draw(st.sampled_from(list(Sex))), birth_near(draw, on), status)
        chosen.append((member, dict(
            on_eligible_list=draw(mostly(True, False)), renewal=draw(st.booleans()),
            shares_held=draw(mostly(0, 1)), already=draw(mostly(False, True)),
            answers=draw(mostly(None, {"health_declaration": "是"}, {"health_declaration": "否"})))))
    others = tuple(Member(uuid.uuid4(), "独生子", None, Relation.SON, Sex.MALE, birth_near(draw, on), PersonStatus.ALIVE)
                   for _ in range(draw(st.integers(0, 1))))  # a member not asked for (the only child, say)
    snapshot = HouseholdSnapshot(
        uuid.uuid4(), uuid.uuid4(), "350421200201", "罗翠村", draw(st.sampled_from(["village", "agency_unit"])),
        draw(mostly("active", "retired")),
        frozenset(draw(st.sets(st.sampled_from(sorted(product.eligibility.categories) * 4 + list(HouseholdCategory)),
                               max_size=2))),
        draw(mostly("闽独字001", None, "", " ")), draw(mostly(True, False)), draw(mostly(True, False)),
        tuple(m for m, _ in chosen) + others)
    return snapshot, chosen, dict(
        family_held=draw(mostly(0, 1)), payer=draw(mostly(None, *PayerType)), shares=draw(mostly(1, 2, 0)),
        channel=draw(mostly("village", "unit")),
        form_values=draw(mostly({}, {"health_declaration": "是"}, {"health_declaration": "否"}, {"reward_paid_by": "单位"},
                                {"no_such_field": 1})),
        previous=draw(mostly(None, (uuid.uuid4(), dt.date(on.year - 1, 12, 31)))), head=draw(mostly("林国华", " ")))


@st.composite
def accepted_household(draw, on: dt.date, product):
    """A household the engine accepts whole, its members' ages just inside the product's limits: an
    adult at the oldest age taken, a renewal past it, a child at the only-child limit, a baby just
    old enough."""
    rules = product.eligibility
    start = on + dt.timedelta(days=1)

    def member(relation: Relation, years: int, days: int, **facts) -> tuple[Member, dict]:
        birth = dt.date(start.year - years, start.month, min(start.day, 28)) - dt.timedelta(days=days)
        if years == 0:
            birth = start - dt.timedelta(days=days)
        return (Member(uuid.uuid4(), "林国华", None, relation, Sex.MALE, birth, PersonStatus.ALIVE),
                dict(on_eligible_list=True, renewal=False, shares_held=0, already=False, answers=None) | facts)

    oldest = rules.max_age_new if rules.max_age_new is not None else 40
    everyone = [member(Relation.HEAD, draw(st.sampled_from([30, oldest])), draw(st.integers(1, 20)))]
    if rules.max_age_renewal is not None and rules.max_age_new is not None and rules.max_age_renewal > rules.max_age_new:
        everyone.append(member(Relation.SPOUSE, rules.max_age_renewal, draw(st.integers(1, 20)), renewal=True))
    if rules.only_child_max_age is not None or "only_child" in rules.insured_roles:
        everyone.append(member(Relation.SON, draw(st.sampled_from([13, 14])), draw(st.integers(1, 20))))
    if rules.min_age_days is not None:
        everyone.append(member(Relation.DAUGHTER, 0, rules.min_age_days + draw(st.integers(0, 2))))
    chosen = [c for c in everyone if not rules.insured_roles or (
        ("only_child" in rules.insured_roles) == (c[0].relation in (Relation.SON, Relation.DAUGHTER)))]
    snapshot = HouseholdSnapshot(uuid.uuid4(), uuid.uuid4(), "350421200201", "罗翠村", "village", "active",
                                 frozenset({min(rules.categories)}), "闽独字001", True, True,
                                 tuple(m for m, _ in everyone))
    answers = {"health_declaration": "是"} if rules.required_answers else {}
    if product.payer_by_answer is not None:
        answers[product.payer_by_answer.field] = product.payer_by_answer.payers[0][0]
    return snapshot, chosen, dict(family_held=0, payer=None, shares=1, channel="village", form_values=answers,
                                  previous=None, head="林国华")


FLIPS = {  # another value of each option the engine reads
    "family_held": lambda v: 1 - v, "shares": lambda v: {1: 2, 2: 0, 0: 1}[v], "channel": lambda v: (
        "unit" if v == "village" else "village"),
    "payer": lambda v: {None: PayerType.GOVERNMENT, PayerType.GOVERNMENT: PayerType.SELF, PayerType.SELF: None,
                        PayerType.EMPLOYER: None}[v],
    "form_values": lambda v: {"health_declaration": "否"} if v != {"health_declaration": "否"} else {},
    "previous": lambda v: None if v else (uuid.uuid4(), dt.date(2023, 6, 30)),
    "head": lambda v: " " if v.strip() else "林国华",
}
HOUSEHOLD_FLIPS = {
    "categories": lambda v: frozenset() if v else frozenset({HouseholdCategory.ONLY_CHILD}),
    "certificate_no": lambda v: None if v and v.strip() else "闽独字002", "is_rural": lambda v: not v,
    "reward_recipient": lambda v: not v, "status": lambda v: "retired" if v == "active" else "active",
    "division_kind": lambda v: "agency_unit" if v == "village" else "village",
}


@st.composite
def variants(draw, on: dt.date, product, base):
    """A household, and copies of it each changed in one thing the engine may read (a member's birth
    date by days, a fact, an option): a key that missed it would answer the copy with the original's."""
    snapshot, chosen, options = draw(base)
    found = [(snapshot, chosen, options)]
    for _ in range(draw(st.integers(2, 8))):
        what = draw(st.sampled_from(["birth", "birth", "fact", "option", "household", "member", "other", "renewal"]))
        copy_chosen, copy_options = [(m, dict(f)) for m, f in chosen], dict(options)
        index = draw(st.integers(0, len(chosen) - 1))
        member, facts = copy_chosen[index]
        changes = {}
        shift = dt.timedelta(days=draw(st.sampled_from([-366, -366, -30, -3, -1, 1, 2, 3, 30, 366])))
        if what == "birth":
            member = dataclasses.replace(member, birth_date=member.birth_date + shift)
        elif what == "other":  # the members not asked for: the only child the engine reads, say
            asked = {m.person_id for m, _ in chosen}
            changes["members"] = tuple(m if m.person_id in asked else dataclasses.replace(
                m, birth_date=m.birth_date + shift) for m in snapshot.members)
        elif what == "renewal":
            copy_chosen = [(m, f | {"renewal": not f["renewal"]}) for m, f in copy_chosen]
            member, facts = copy_chosen[index]
        elif what == "fact":
            key = draw(st.sampled_from(["on_eligible_list", "renewal", "shares_held", "already", "answers"]))
            facts[key] = {"on_eligible_list": not facts["on_eligible_list"], "renewal": not facts["renewal"],
                          "shares_held": 1 - facts["shares_held"], "already": not facts["already"],
                          "answers": {"health_declaration": "否"} if facts["answers"] is None else None}[key]
        elif what == "member":
            member = dataclasses.replace(member, status=PersonStatus.DECEASED if member.status is PersonStatus.ALIVE
                                         else PersonStatus.ALIVE,
                                         relation=draw(st.sampled_from(RELATIONS)) if index else member.relation)
        elif what == "option":
            key = draw(st.sampled_from(sorted(FLIPS)))
            copy_options[key] = FLIPS[key](copy_options[key])
        else:
            key = draw(st.sampled_from(sorted(HOUSEHOLD_FLIPS)))
            changes[key] = HOUSEHOLD_FLIPS[key](getattr(snapshot, key))
        copy_chosen[index] = (member, facts)
        if "members" in changes:  # the members asked for are the changed household's
            by_id = {m.person_id: m for m in changes["members"]}
            copy_chosen = [(by_id[m.person_id], f) for m, f in copy_chosen]
        else:
            changes["members"] = tuple(member if m.person_id == member.person_id else m for m in snapshot.members)
        found.append((dataclasses.replace(snapshot, household_id=uuid.uuid4(), **changes), copy_chosen, copy_options))
    return found


def outcome(judge, *args, **kwargs):
    try:
        return judge(*args, **kwargs)
    except DomainError as error:
        return ("refused", error.code, error.params)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), product=st.sampled_from(PRODUCTS), on=st.dates(dt.date(2024, 1, 1), dt.date(2025, 6, 30)),
       later=st.integers(0, 400), year_shift=st.sampled_from([0, 0, 1]), person_answers=st.booleans())
def test_judged_per_key_as_per_household(data, product, on, later, year_shift, person_answers):
    memo = JudgeMemo()
    today = on + dt.timedelta(days=later)
    for snapshot, chosen, options in data.draw(variants(on, product, household(on, product))) * 2:
        members_ = [m for m, _ in chosen]
        facts = [PersonFacts(m.birth_date, sex=m.sex, status=m.status, relation=m.relation, name=m.name,
                             on_eligible_list=f["on_eligible_list"], renewal=f["renewal"],
                             shares_held=f["shares_held"], already_insured_this_period=f["already"])
                 for m, f in chosen]
        answers = {m.person_id: f["answers"] for m, f in chosen if f["answers"]} if person_answers else None
        arguments = dict(family_held=options["family_held"], channel=options["channel"],
                         unit_division_id=snapshot.division_id if options["channel"] == "unit" else None,
                         payer=options["payer"], shares=options["shares"], on=on, today=today,
                         form_values=options["form_values"], consent=Consent(options["head"], on, "imported_roster"),
                         drop_ineligible=True, previous=options["previous"], person_answers=answers)
        year = on.year + year_shift
        expected = outcome(judge_plan, product, year, snapshot, members_, facts, **arguments)
        assert outcome(memo.judge_plan, product, year, snapshot, members_, facts, **arguments) == expected


def test_a_roster_of_like_households_asks_the_engine_a_few_times():
    product = catalog().products["fp_family_accident_100"]
    memo = JudgeMemo()
    on, today = dt.date(2024, 3, 1), dt.date(2024, 3, 1)
    ages = set()
    for number in range(300):
        head = Member(uuid.uuid4(), f"户主{number}", None, Relation.HEAD, Sex.MALE,
                      dt.date(1970 + number % 3, 1 + number % 12, 1 + number % 28), PersonStatus.ALIVE)
        child = Member(uuid.uuid4(), f"子{number}", None, Relation.SON, Sex.MALE,
                       dt.date(2005, 1 + number % 12, 1 + number % 28), PersonStatus.ALIVE)
        snapshot = HouseholdSnapshot(uuid.uuid4(), uuid.uuid4(), "350421200201", "罗翠村", "village", "active",
                                     frozenset({HouseholdCategory.OTHER_FP}), None, True, False, (head, child))
        facts = [PersonFacts(m.birth_date, sex=m.sex, relation=m.relation, name=m.name) for m in (head, child)]
        plan = memo.judge_plan(product, 2024, snapshot, [head, child], facts, family_held=0, channel="village",
                               unit_division_id=None, payer=None, shares=1, on=on, today=today,
                               form_values={"health_declaration": "是"}, consent=Consent(head.name, on, "imported_roster"))
        assert plan.household_id == snapshot.household_id and plan.consent.by == head.name
        ages.add(tuple(completed_years(m.birth_date, plan.judged.period.start) for m in (head, child)))
        assert [p.age_days for p in plan.judged.persons] == [(plan.judged.period.start - m.birth_date).days
                                                             for m in (head, child)]
    assert memo.engine_calls == len(ages) < 10  # once per pair of ages at the cover's start


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), product=st.sampled_from(PRODUCTS), day=st.integers(0, 60), year=st.sampled_from([2024, 2025]))
def test_an_accepted_household_and_its_changed_copies(data, product, day, year):
    """The remembered answers are the accepted ones: each copy changed in one thing must be judged anew."""
    window = product.enrollment_window
    on = (window.opens.in_year(year) if window else dt.date(year, 3, 1)) + dt.timedelta(days=day)
    memo = JudgeMemo()
    for snapshot, chosen, options in data.draw(variants(on, product, accepted_household(on, product))):
        members_ = [m for m, _ in chosen]
        facts = [PersonFacts(m.birth_date, sex=m.sex, status=m.status, relation=m.relation, name=m.name,
                             on_eligible_list=f["on_eligible_list"], renewal=f["renewal"],
                             shares_held=f["shares_held"], already_insured_this_period=f["already"])
                 for m, f in chosen]
        answers = {m.person_id: f["answers"] for m, f in chosen if f["answers"]}
        arguments = dict(family_held=options["family_held"], channel=options["channel"], unit_division_id=None,
                         payer=options["payer"], shares=options["shares"], on=on, today=on,
                         form_values=options["form_values"], consent=Consent(options["head"], on, "imported_roster"),
                         drop_ineligible=True, previous=options["previous"], person_answers=answers)
        policy_year = on.year + (1 if window and window.covers == "next_year" else 0)
        expected = outcome(judge_plan, product, policy_year, snapshot, members_, facts, **arguments)
        assert outcome(memo.judge_plan, product, policy_year, snapshot, members_, facts, **arguments) == expected


def test_a_remembered_plan_is_copied_with_every_field():
    """The memo copies plans through their ``__dict__`` (judge_memo._replaced): every field must be an
    ``__init__`` argument and nothing else may live there, or a copy would lose or gain a value."""
    from fpdesk.core.rules import Eligibility, PersonEligibility
    from fpdesk.services.enrollment.enrolling import EnrollmentPlan
    from fpdesk.services.rosters.judge_memo import _replaced

    for cls in (EnrollmentPlan, Eligibility, PersonEligibility):  # __init__ sets the fields, nothing else
        assert all(f.init for f in dataclasses.fields(cls)) and not hasattr(cls, "__slots__")
        assert not hasattr(cls, "__post_init__")
    product = PRODUCTS[0]
    judged = Eligibility(product.code, True, (), (), 100, PayerType.SELF, None, (), None, shares=2)
    assert _replaced(judged, premium_fen=200) == dataclasses.replace(judged, premium_fen=200)
    person = PersonEligibility(0, True, (), 40, 14700)
    copy = _replaced(person, age_days=14701)
    assert copy == dataclasses.replace(person, age_days=14701) and hash(copy) == hash(
        dataclasses.replace(person, age_days=14701))
    with pytest.raises(dataclasses.FrozenInstanceError):  # still frozen
        copy.age_days = 1


def test_a_condition_on_a_member_not_asked_for_is_judged_per_household():
    """女方满49周岁且不超过65周岁 (tests/data/programmes couple_elder_care): the husband alone is asked for,
    the wife's age decides; two such households with the husband alike are two answers, not one."""
    from pathlib import Path

    from fpdesk.core.products import load_products

    product = load_products(Path(__file__).parents[1] / "data" / "programmes")["couple_elder_care"]
    on = dt.date(2021, 1, 10)
    husband = Member(uuid.uuid4(), "林国华", None, Relation.HEAD, Sex.MALE, dt.date(1964, 5, 1), PersonStatus.ALIVE)
    son = Member(uuid.uuid4(), "林晓明", None, Relation.SON, Sex.MALE, dt.date(1995, 3, 1), PersonStatus.ALIVE)
    facts = [PersonFacts(husband.birth_date, sex=husband.sex, status=husband.status, relation=husband.relation,
                         name=husband.name)]
    memo, answers = JudgeMemo(), []
    for wife_born in (dt.date(1970, 5, 1), dt.date(1980, 5, 1)):  # 50 and 40 on 2021-01-20
        wife = Member(uuid.uuid4(), "张秀英", None, Relation.SPOUSE, Sex.FEMALE, wife_born, PersonStatus.ALIVE)
        snapshot = HouseholdSnapshot(uuid.uuid4(), uuid.uuid4(), "350421200201", "罗翠村", "village", "active",
                                     frozenset({HouseholdCategory.ONLY_CHILD}), "闽独字001", True, False,
                                     (husband, wife, son))
        arguments = dict(family_held=0, channel="village", unit_division_id=None, payer=None, shares=1, on=on,
                         today=on, form_values={}, consent=Consent("林国华", on, "imported_roster"),
                         drop_ineligible=True, previous=None, person_answers=None)
        expected = outcome(judge_plan, product, 2021, snapshot, [husband], facts, **arguments)
        assert outcome(memo.judge_plan, product, 2021, snapshot, [husband], facts, **arguments) == expected
        answers.append(expected)
    assert answers[0] != answers[1]  # the wife's age made the difference


def test_a_year_index_says_the_key_what_its_facts_say():
    """The roster asks the memo with ``YearIndex.standing`` (no facts made) what ``judge_plan``'s
    facts would say: the same values for held, listed, renewed and plain members of every product."""
    from fpdesk.services.enrollment.enroll_many import YearIndex
    from fpdesk.services.rosters.judge_memo import standing_of

    born = dt.date(1980, 5, 6)
    members = [Member(uuid.uuid4(), "林国华", number, relation, Sex.MALE, born, status)
               for number in (None, "350421198005060011", "350421198005060038", "350421198005060054")
               for relation in (Relation.HEAD, Relation.SON) for status in (PersonStatus.ALIVE, PersonStatus.DECEASED)]
    for product in PRODUCTS:
        index = YearIndex.__new__(YearIndex)
        index.product, index.year = product, 2025
        index.held_by_person = {members[2].person_id: 2}
        index.held_by_number = {"350421198005060038": 1}
        index.listed = {"350421198005060011"}
        index.last_year_persons = {members[5].person_id}
        index.last_year_numbers = {"350421198005060054"}
        for member in members:
            assert index.standing(member) == standing_of(index.facts(member)), (product.code, member)
            if member.person_id not in (members[2].person_id, members[5].person_id):  # none stored holds it
                assert index.standing(member, minted_now=True) == standing_of(index.facts(member))
