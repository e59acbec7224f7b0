"""The rules engine: may these people be enrolled in this product, for what premium, who pays, when.

Pure functions over plain facts (no database): services collect the facts, call ``judge`` and
store what it says. Every refusal is a ``Reason`` with a stable code (fpdesk.core.rules_reasons).

Conventions, all from docs/rules.md:
- Ages are judged on the first day of cover (docs/rules.md#age), in
  completed years (周岁) and in days, with fpdesk.core.dates (Feb 29 birthdays count on 1 March).
- Age limits are inclusive: "至65周岁（含65周岁）" admits a 65-year-old up to the day before the
  66th birthday. "14周岁以内" likewise includes 14 (Civil Code art. 1259: 以内 includes the number).
- The payer follows the household's categories (docs/rules.md#government-paid): government if any category is in the
  product's government list, else employer, else self, else the product's default; enrollment
  through an agency unit (the 机关 channel) is paid by the employer (docs/rules.md#employer-channel).
- The enrollment deadline (docs/rules.md#deadline) is a campaign's deadline: after it, an entry is accepted, accepted
  with a warning or refused as the product's ``late`` says, and the refusal names the day sign-up opens
  next. Entries of a past season (history copied from old rosters, ``recorded_on`` later) are judged at
  their own date instead.
- A form answer the product insures only with (S1 "身体健康者": health 是) is a rule: another answer
  refuses the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fpdesk.core.dates import age_in_days, completed_years
from fpdesk.core.language import pick
from fpdesk.core.memo import DefinitionMemo
from fpdesk.core.products import INSURED_ROLES, Product, in_vocabulary_order
from fpdesk.core.rules_benefits import Cover, covers_for_insured, part_year_premium
from fpdesk.core.rules_calendar import (
    CLOSED,
    CLOSING_SOON,
    PolicyPeriod,
    WindowStatus,
    campaign_over,
    is_historical,
    policy_period,
    window_status,
)
from fpdesk.core.rules_reasons import Reason, make_reason
from fpdesk.core.vocabulary import HouseholdCategory, PayerType, PersonStatus, Relation, Sex

# Relations that make a person the household's child or one of its parents when the caller does not
# say so explicitly. This holds when the head is a parent; where a grandparent heads the household,
# services must pass PersonFacts.role.
_CHILD_RELATIONS = frozenset({Relation.SON, Relation.DAUGHTER})
_PARENT_RELATIONS = frozenset({Relation.HEAD, Relation.SPOUSE})
_SPECIAL_SUBTYPES = frozenset({HouseholdCategory.SPECIAL_BEREAVED, HouseholdCategory.SPECIAL_DISABLED})
# When several categories point at different payers, the one that pays most generously wins:
# the priority groups must be fully covered by the government (S1 "全覆盖").
_PAYER_PRECEDENCE = (PayerType.GOVERNMENT, PayerType.EMPLOYER, PayerType.SELF)
# What depends only on the product and the dates (period, window, its reasons and warnings) is the
# same for every household of a roster or a renewal run: worked out once per product and day.
_MEMO = DefinitionMemo()


@dataclass(frozen=True)
class PersonFacts:
    birth_date: dt.date
    sex: Sex | None = None
    status: PersonStatus = PersonStatus.ALIVE
    id_number: str | None = None
    on_eligible_list: bool = False
    relation: Relation = Relation.OTHER
    role: str | None = None  # "only_child" | "parent"; None = derived from relation
    name: str = ""
    renewal: bool = False  # insured under this product in the previous period
    shares_held: int = 0  # shares already covering this person in the period being enrolled
    already_insured_this_period: bool = False
    answers: Mapping[str, Any] | None = None  # the person's own form answers (a roster row's), if any


@dataclass(frozen=True)
class HouseholdFacts:
    categories: frozenset[HouseholdCategory] = frozenset()
    certificate_no: str | None = None
    is_rural: bool = False
    reward_recipient: bool = False
    only_child_birth_date: dt.date | None = None
    via_unit_channel: bool = False  # enrolled by an agency unit for its staff (机关 channel)
    # every member of the household, for conditions on a named member (女方满49周岁); empty = the
    # people being insured are all there is to look at
    members: tuple[PersonFacts, ...] = ()


@dataclass(frozen=True)
class EnrollmentFacts:
    enrollment_date: dt.date  # the day the premium is paid and the entry made
    shares: int = 1  # shares asked for now
    family_shares_held: int = 0  # shares the household already holds this period
    recorded_on: dt.date | None = None  # when the entry is typed in; None = on enrollment_date
    requested_payer: PayerType | None = None
    policy_year: int | None = None  # the cover year asked for; None = the one the date belongs to
    previous_cover_end: dt.date | None = None  # a renewal: the day the household's previous cover ends
    answers: Mapping[str, Any] | None = None  # the enrollment form's answers (for every insured person)


@dataclass(frozen=True)
class PersonEligibility:
    index: int
    eligible: bool
    reasons: tuple[Reason, ...]
    age_years: int
    age_days: int
    covers: tuple[Cover, ...] = ()  # empty unless eligible


@dataclass(frozen=True)
class Eligibility:
    product_code: str
    eligible: bool  # the enrollment may go ahead for at least one person
    reasons: tuple[Reason, ...]  # household reasons, then every excluded person's reasons
    warnings: tuple[Reason, ...]
    premium_fen: int  # to collect for the eligible people; 0 when not eligible
    payer: PayerType
    period: PolicyPeriod
    persons: tuple[PersonEligibility, ...]
    window: WindowStatus
    historical: bool = False
    shares: int = 1
    # who pays what of ``premium_fen`` by payer level (product_terms.CONTRIBUTION_PAYERS), the family
    # last; a single-payer product's one payer is the whole premium
    contributions: tuple[tuple[str, int], ...] = ()

    @property
    def family_fen(self) -> int:
        """What the family itself pays (the receipt's amount)."""
        return dict(self.contributions).get("family", 0)

    @property
    def period_start(self) -> dt.date:
        return self.period.start

    @property
    def period_end(self) -> dt.date:
        return self.period.end

    @property
    def reason_codes(self) -> list[str]:
        return list(dict.fromkeys(r.code for r in self.reasons))

    @property
    def sums_insured(self) -> dict[int, tuple[Cover, ...]]:
        """Covers of each insured person, by their index in the judged list."""
        return {p.index: p.covers for p in self.persons if p.eligible}


def expand_categories(household: HouseholdFacts) -> frozenset[HouseholdCategory]:
    """Categories including the implied ones: a bereaved or disabled family is a special family;
    a person enrolled through the unit channel is unit staff."""
    return _expanded(household.categories, household.via_unit_channel)


@lru_cache(maxsize=1024)
def _expanded(categories: frozenset[HouseholdCategory], via_unit_channel: bool) -> frozenset[HouseholdCategory]:
    result = set(categories)
    if result & _SPECIAL_SUBTYPES:
        result.add(HouseholdCategory.SPECIAL_FAMILY)
    if via_unit_channel:
        result.add(HouseholdCategory.UNIT_EMPLOYEE)
    return frozenset(result)


def payer_for(product: Product, household: HouseholdFacts) -> PayerType:
    """Who pays by default for this household (docs/rules.md#government-paid)."""
    if household.via_unit_channel:
        return product.unit_channel_payer
    categories = expand_categories(household)
    for payer in _PAYER_PRECEDENCE:
        if product.payer_by_category.get(payer, frozenset()) & categories:
            return payer
    return product.default_payer


def role_of(person: PersonFacts) -> str:
    if person.role:
        return person.role
    if person.relation in _CHILD_RELATIONS:
        return "only_child"
    if person.relation in _PARENT_RELATIONS:
        return "parent"
    return "other"


def judge_person(product: Product, person: PersonFacts, household: HouseholdFacts,
                 enrollment: EnrollmentFacts) -> Eligibility:
    """``judge`` for one insured person."""
    return judge(product, household, [person], enrollment)


def judge(product: Product, household: HouseholdFacts, members: Sequence[PersonFacts],
          enrollment: EnrollmentFacts) -> Eligibility:
    """Judge the enrollment of ``members`` (the people to insure, head first) of one household.

    For a family or share product all eligible members are insured under the same share(s) and a
    split sum is divided among them; for a per-person product each eligible member is insured
    (and pays) separately. A member who fails a person rule is left out with their reasons; the
    household rules (category, documents, window, family shares) stop the whole enrollment.
    """
    key = (enrollment.enrollment_date, enrollment.recorded_on, enrollment.policy_year, enrollment.previous_cover_end)
    period, window, historical, calendar_reasons, calendar_warnings = _MEMO.get(
        product, key, lambda: _calendar(product, enrollment))
    warnings = list(calendar_warnings)
    household_reasons = list(calendar_reasons)
    household_reasons += _household_reasons(product, household, members, enrollment, period)
    payer = _chosen_payer(product, household, enrollment, household_reasons)
    if not members:
        household_reasons.append(make_reason("no_insured_member"))

    judged = [_judge_member(product, index, person, enrollment, period) for index, person in enumerate(members)]
    insured = sorted((p for p in judged if p.eligible), key=lambda p: members[p.index].relation is not Relation.HEAD)
    eligible = not household_reasons and bool(insured)
    if eligible:
        # Per-person products insure each person alone; otherwise the insured share one cover.
        alone = product.unit == "person"
        group = covers_for_insured(product, 1 if alone else len(insured), enrollment.shares)
        by_index = {person.index: group[0 if alone else position] for position, person in enumerate(insured)}
        judged = [PersonEligibility(p.index, p.eligible, p.reasons, p.age_years, p.age_days, by_index.get(p.index, ()))
                  for p in judged]
    if product.assumed:
        warnings.append(_MEMO.get(product, "assumed", lambda: make_reason(
            "assumed_terms", fields=", ".join(product.assumed), count=len(product.assumed))))

    people_priced = len(insured) if product.unit == "person" else 1
    categories = expand_categories(household)
    unit_price = part_year_premium(product, period, product.price_for(categories))
    premium = unit_price * enrollment.shares * people_priced if eligible else 0
    contributions = _contributions(product, categories, enrollment, period, people_priced, payer) if eligible else ()
    if product.contributions and eligible:
        payer = _payer_of_record(contributions)
    reasons = household_reasons + [r for p in judged for r in p.reasons]
    return Eligibility(product.code, eligible, tuple(reasons), tuple(warnings), premium, payer, period,
                       tuple(judged), window, historical, enrollment.shares, contributions)


_LEVEL_OF_PAYER = {PayerType.GOVERNMENT: "government", PayerType.EMPLOYER: "employer", PayerType.SELF: "family"}


def _contributions(product: Product, categories: frozenset[HouseholdCategory], enrollment: EnrollmentFacts,
                   period: PolicyPeriod, people: int, payer: PayerType) -> tuple[tuple[str, int], ...]:
    """Who pays what: the product's shares of the premium for the household's next shares (a subsidy
    "每户限一份" stops after the first), each part scaled like the premium for part of a year."""
    price = product.price_for(categories)
    if not product.contributions:
        return ((_LEVEL_OF_PAYER[payer], part_year_premium(product, period, price) * enrollment.shares * people),)
    parts = product.contributions_for(categories, enrollment.family_shares_held + 1, enrollment.shares, price, people)
    total = part_year_premium(product, period, price) * enrollment.shares * people
    scaled = [(level, part_year_premium(product, period, amount)) for level, amount in parts.items()
              if level != "family" and amount]
    return (*scaled, ("family", total - sum(amount for _level, amount in scaled)))


def _payer_of_record(contributions: tuple[tuple[str, int], ...]) -> PayerType:
    """The enrollment's one payer for the screens and lists that name one: the family while it pays
    a part, else an employer that pays, else the government."""
    paid = {level for level, amount in contributions if amount}
    if "family" in paid:
        return PayerType.SELF
    return PayerType.EMPLOYER if paid == {"employer"} else PayerType.GOVERNMENT


def _calendar(product: Product, enrollment: EnrollmentFacts) -> tuple[
        PolicyPeriod, WindowStatus, bool, tuple[Reason, ...], tuple[Reason, ...]]:
    on, year = enrollment.enrollment_date, enrollment.policy_year
    period = policy_period(product, on, year, enrollment.previous_cover_end)
    window = window_status(product, on, year)
    historical = is_historical(product, on, enrollment.recorded_on)
    warnings: list[Reason] = []
    reasons = window_reasons(window, historical, warnings)
    if campaign_over(product, on):
        reasons.append(make_reason("campaign_over", end=period.end.isoformat(), on=on.isoformat()))
    gap = cover_gap_reason(enrollment.previous_cover_end, period)
    if gap is not None:
        warnings.append(gap)
    return period, window, historical, tuple(reasons), tuple(warnings)


def window_reasons(window: WindowStatus, historical: bool, warnings: list[Reason], *,
                   on: dt.date | None = None) -> list[Reason]:
    """What the window says of an entry (made ``on``, default the window's date): nothing while open,
    a warning or a refusal after the deadline as the product's ``late`` says, a refusal before the
    season opens; each naming the day sign-up opens next."""
    if historical:
        warnings.append(make_reason("historical_record", season=window.season, on=window.on.isoformat()))
        return []
    day = (on or window.on).isoformat()
    if window.accepting:
        if window.state == CLOSING_SOON:
            warnings.append(make_reason("enrollment_closing_soon", deadline=window.deadline.isoformat(),
                                        days=window.days_left))
        return []
    next_opens = window.next_opens.isoformat() if window.next_opens else ""
    nxt = {"next_zh": f"；下次登记期{next_opens}起" if next_opens else "",
           "next_en": f"; sign-up opens next on {next_opens}" if next_opens else ""}
    if window.state == CLOSED and window.late != "refused":
        if window.late == "warn":
            warnings.append(make_reason("enrollment_late", on=day, deadline=window.deadline.isoformat(),
                                        cover_year=window.cover_year, **nxt))
        return []
    state_zh, state_en = ("已截止", "deadline passed") if window.state == CLOSED else ("尚未开始", "not open yet")
    return [make_reason("outside_enrollment_window", on=day, opens=window.opens.isoformat(),
                        deadline=window.deadline.isoformat(), state_zh=state_zh, state_en=state_en, **nxt)]


def cover_gap_reason(previous_end: dt.date | None, period: PolicyPeriod) -> Reason | None:
    """A warning when this cover does not follow on from the previous one."""
    from fpdesk.core.rules_calendar import cover_gap

    gap = cover_gap(previous_end, period.start)
    if gap is None:
        return None
    return make_reason("cover_gap", previous_end=previous_end.isoformat(), start=period.start.isoformat(),
                       first=gap[0].isoformat(), last=gap[1].isoformat(), days=(gap[1] - gap[0]).days + 1)


def _household_reasons(product: Product, household: HouseholdFacts, members: Sequence[PersonFacts],
                       enrollment: EnrollmentFacts, period: PolicyPeriod) -> list[Reason]:
    rules = product.eligibility
    reasons: list[Reason] = []
    categories = expand_categories(household)
    if not rules.open_to_all and not categories & rules.categories:
        reasons.append(make_reason(
            "category_not_eligible",
            have_zh="、".join(c.label_zh for c in in_vocabulary_order(household.categories)) or "未填写",
            have_en=", ".join(c.value for c in in_vocabulary_order(household.categories)) or "none",
            allowed_zh="、".join(c.label_zh for c in in_vocabulary_order(rules.categories)),
            allowed_en=", ".join(c.value for c in in_vocabulary_order(rules.categories))))
    if "one_child_cert" in rules.required_documents and not (household.certificate_no or "").strip():
        reasons.append(make_reason("missing_certificate"))
    if rules.requires_rural and not household.is_rural:
        reasons.append(make_reason("not_rural"))
    if rules.requires_reward_recipient and not household.reward_recipient:
        reasons.append(make_reason("not_reward_recipient"))
    if rules.only_child_max_age is not None:
        reasons += _only_child_age(rules.only_child_max_age, household, members, period)
    for condition in rules.member_ages:
        reasons += _member_age(condition, household, members, period)
    limit = product.max_shares_per_family
    if product.unit != "person" and limit is not None and enrollment.family_shares_held + enrollment.shares > limit:
        reasons.append(make_reason("max_shares_exceeded", subject_zh="本户", subject_en="The household",
                                   held=enrollment.family_shares_held, wanted=enrollment.shares, limit=limit,
                                   per_zh="户", per_en="household"))
    return reasons


def _only_child_age(limit: int, household: HouseholdFacts, members: Sequence[PersonFacts],
                    period: PolicyPeriod) -> list[Reason]:
    birth = household.only_child_birth_date
    if birth is None:
        birth = next((m.birth_date for m in members if role_of(m) == "only_child"), None)
    if birth is None:
        return [make_reason("only_child_birth_date_missing", limit=limit)]
    years = completed_years(birth, period.start)
    if years > limit:
        return [make_reason("only_child_too_old", on=period.start.isoformat(), years=years, limit=limit)]
    return []


def named_member(member: str, people: Sequence[PersonFacts]) -> PersonFacts | None:
    """The household's wife, husband, only child or head among ``people`` (by role, relation and sex)."""
    for person in people:
        role = role_of(person)
        if member == "head" and person.relation is Relation.HEAD:
            return person
        if member == "only_child" and role == "only_child":
            return person
        if member in ("wife", "husband") and role == "parent" \
                and person.sex is (Sex.FEMALE if member == "wife" else Sex.MALE):
            return person
    return None


def _member_age(condition, household: HouseholdFacts, members: Sequence[PersonFacts],
                period: PolicyPeriod) -> list[Reason]:
    person = named_member(condition.member, household.members or members)
    wanted = condition.ages.describe_zh()
    if person is None:
        return [make_reason("member_for_age_missing", member_zh=condition.member_zh, condition_zh=wanted,
                            member=condition.member)]
    years, days = completed_years(person.birth_date, period.start), age_in_days(person.birth_date, period.start)
    if condition.ages.admits(years, days):
        return []
    return [make_reason("member_age_not_met", member_zh=condition.member_zh, member=condition.member,
                        on=period.start.isoformat(), years=years, condition_zh=wanted)]


def _chosen_payer(product: Product, household: HouseholdFacts, enrollment: EnrollmentFacts,
                  reasons: list[Reason]) -> PayerType:
    """The requested payer if it may pay for this household, else the default (with a reason).

    A form answer that names the payer (S2: who pays the reward) decides the default. A family may
    pay for itself, the government for its categories, an employer through the unit channel or for
    unit staff — each only where the product lets that payer fund it (S3: the government alone).
    """
    default = payer_for(product, household)
    by_answer = product.payer_by_answer
    if by_answer is not None and enrollment.answers:
        default = by_answer.payer_for(enrollment.answers.get(by_answer.field)) or default
    requested = enrollment.requested_payer
    if requested is None:
        return default
    categories = expand_categories(household)
    allowed = {default, PayerType.SELF}
    if product.payer_by_category.get(PayerType.GOVERNMENT, frozenset()) & categories:
        allowed.add(PayerType.GOVERNMENT)
    if household.via_unit_channel or HouseholdCategory.UNIT_EMPLOYEE in categories:
        allowed.add(PayerType.EMPLOYER)
    if requested in allowed & product.allowed_payers:
        return requested
    if requested not in product.allowed_payers:
        funders = [p for p in (PayerType.GOVERNMENT, PayerType.EMPLOYER, PayerType.SELF) if p in product.allowed_payers]
        reasons.append(make_reason("payer_not_funding", requested_zh=requested.label_zh, requested_en=requested.value,
                                   allowed_zh="、".join(p.label_zh for p in funders),
                                   allowed_en=", ".join(p.value for p in funders)))
        return default
    reasons.append(make_reason("payer_not_allowed", requested_zh=requested.label_zh, requested_en=requested.value,
                               expected_zh=default.label_zh, expected_en=default.value))
    return default


def _judge_member(product: Product, index: int, person: PersonFacts, enrollment: EnrollmentFacts,
                  period: PolicyPeriod) -> PersonEligibility:
    rules = product.eligibility
    who = {"who": person.name or "被保险人", "who_en": person.name or "The insured person"}
    on = period.start
    years, days = completed_years(person.birth_date, on), age_in_days(person.birth_date, on)
    reasons: list[Reason] = []

    def add(code: str, **params) -> None:
        reasons.append(make_reason(code, index, **who, **params))

    if person.status is not PersonStatus.ALIVE:
        add("person_not_alive", status_zh=person.status.label_zh, status_en=person.status.label_en)
    if rules.insured_roles and role_of(person) not in rules.insured_roles:
        add("insured_role_not_covered", roles_zh="、".join(INSURED_ROLES[r][0] for r in sorted(rules.insured_roles)),
            roles_en=", ".join(INSURED_ROLES[r][1] for r in sorted(rules.insured_roles)))
        # The product's age limits are the insured role's (a child's 14); applying them to the
        # parents would only add noise.
        return PersonEligibility(index, False, tuple(reasons), years, days)
    if rules.requires_eligible_list and not person.on_eligible_list:
        add("not_on_eligible_list")
    if rules.min_age_days is not None and days < rules.min_age_days:
        add("age_below_min", on=on.isoformat(), days=days, years=max(years, 0),
            limit_zh=f"出生满{rules.min_age_days}天", limit_en=f"{rules.min_age_days} days")
    elif rules.min_age_years is not None and years < rules.min_age_years:
        add("age_below_min", on=on.isoformat(), days=days, years=max(years, 0),
            limit_zh=f"{rules.min_age_years}周岁", limit_en=f"{rules.min_age_years} years")
    if person.renewal and rules.max_age_renewal is not None:
        if years > rules.max_age_renewal:
            add("age_above_renewal_max", on=on.isoformat(), years=years, limit=rules.max_age_renewal)
    elif rules.max_age_new is not None and years > rules.max_age_new:
        add("age_above_max", on=on.isoformat(), years=years, limit=rules.max_age_new)
    for required in rules.required_answers:
        answer = _answer(person, enrollment, required.field)
        if answer is not None and answer != required.value:
            add("declaration_not_met", answer_zh=_answer_text(answer), answer_en=_answer_text(answer, "en"),
                field=required.field, condition_zh=required.condition_zh, condition_en=required.condition_en)
    if person.already_insured_this_period:
        add("already_insured_this_period")
    limit = product.max_shares_per_person
    if limit is not None and person.shares_held + enrollment.shares > limit:
        add("max_shares_exceeded", subject_zh=who["who"], subject_en=who["who_en"], held=person.shares_held,
            wanted=enrollment.shares, limit=limit, per_zh="人", per_en="person")
    return PersonEligibility(index, not reasons, tuple(reasons), years, days)


def _answer(person: PersonFacts, enrollment: EnrollmentFacts, key: str) -> Any:
    """The person's own answer (a roster row's), else the enrollment form's; None when unanswered."""
    for answers in (person.answers, enrollment.answers):
        if answers and answers.get(key) is not None:
            return answers[key]
    return None


def _answer_text(answer: Any, language: str = "zh") -> str:
    if isinstance(answer, bool):
        return pick("是" if answer else "否", "yes" if answer else "no", language)
    return str(answer)


__all__ = [
    "Cover",
    "Eligibility",
    "EnrollmentFacts",
    "HouseholdFacts",
    "PersonEligibility",
    "PersonFacts",
    "Reason",
    "expand_categories",
    "judge",
    "judge_person",
    "payer_for",
    "role_of",
]
