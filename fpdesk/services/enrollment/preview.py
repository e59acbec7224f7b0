"""What an enrollment would be, before it is saved: the enrollment screen shows it live.

The same facts and the same engine as ``enroll``; nothing is written, and an ineligible member is
reported with their reasons instead of refusing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from fpdesk.core.products import Product
from fpdesk.core.rules import Eligibility, EnrollmentFacts, PersonFacts, Reason, judge
from fpdesk.core.rules_reasons import make_reason
from fpdesk.core.vocabulary import PayerType
from fpdesk.services.enrollment.enrolling import (
    _closed_today,
    channel_of,
    default_members,
    is_past_record,
    rule_answers,
)
from fpdesk.services.enrollment.facts import (
    HouseholdSnapshot,
    Member,
    family_shares_held,
    load_household,
    person_facts,
    previous_cover,
)
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.workspace import Workspace


@dataclass(frozen=True)
class MemberPreview:
    member: Member
    chosen: bool  # asked to be insured (by default: everyone the product covers)
    eligible: bool
    reasons: tuple[Reason, ...]
    covers: tuple = ()


@dataclass(frozen=True)
class EnrollmentPreview:
    product: Product
    year: int
    snapshot: HouseholdSnapshot
    judged: Eligibility | None  # None when nobody is chosen
    members: tuple[MemberPreview, ...]

    @property
    def household_reasons(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.judged.reasons if r.person_index is None) if self.judged else ()

    @property
    def can_enroll(self) -> bool:
        chosen = [m for m in self.members if m.chosen]
        return bool(chosen) and self.judged is not None and self.judged.eligible and not self.judged.reasons


def preview_enrollment(workspace: Workspace, *, product: str, year: int, household_id: uuid.UUID,
                       chosen: Sequence[uuid.UUID] | None = None, payer: PayerType | None = None,
                       on: dt.date | None = None, today: dt.date | None = None,
                       form_values: dict | None = None) -> EnrollmentPreview:
    today = today or dt.date.today()
    on = on or today
    chosen_product = office_product(workspace, product)
    with workspace.read() as session:
        snapshot = load_household(session, household_id)
        default = default_members(chosen_product, snapshot, lambda m: PersonFacts(m.birth_date, relation=m.relation))
        wanted = set(chosen) if chosen is not None else {m.person_id for m in default}
        candidates = [m for m in snapshot.members if m.status.value == "alive"]
        asked = [m for m in candidates if m.person_id in wanted]
        judged = None
        by_person: dict[uuid.UUID, tuple[bool, tuple[Reason, ...], tuple]] = {}
        if asked:
            facts = person_facts(session, chosen_product, year, asked)
            channel, _unit = channel_of(session, snapshot, None)
            previous = previous_cover(session, chosen_product, year, household_id)
            enrollment = EnrollmentFacts(enrollment_date=on, recorded_on=today, requested_payer=payer,
                                         family_shares_held=family_shares_held(session, chosen_product, year,
                                                                               household_id),
                                         policy_year=year, previous_cover_end=previous[1] if previous else None,
                                         answers=rule_answers(chosen_product, form_values))
            judged = _closed_today(chosen_product, judge(chosen_product, snapshot.facts(
                via_unit_channel=channel == "unit"), facts, enrollment), today)
            # said before the clerk fills the form
            if chosen_product.withdrawn and not is_past_record(chosen_product, judged, on, today):
                withdrawn = make_reason("product_withdrawn", product=chosen_product.code,
                                        name=chosen_product.name_zh)
                judged = replace(judged, eligible=False, reasons=(withdrawn, *judged.reasons))
            for person in judged.persons:
                by_person[asked[person.index].person_id] = (person.eligible, person.reasons, person.covers)
        # members not asked for are judged alone, so the screen can say whether ticking them would work
        others = [m for m in candidates if m.person_id not in wanted]
        if others:
            alone = judge(chosen_product, snapshot.facts(via_unit_channel=snapshot.is_unit),
                          person_facts(session, chosen_product, year, others),
                          EnrollmentFacts(enrollment_date=on, recorded_on=today, policy_year=year,
                                          answers=rule_answers(chosen_product, form_values)))
            for person in alone.persons:
                by_person[others[person.index].person_id] = (person.eligible, person.reasons, ())
    previews = tuple(
        MemberPreview(m, m.person_id in wanted, *by_person.get(m.person_id, (False, (), ())))
        for m in candidates)
    return EnrollmentPreview(chosen_product, year, snapshot, shown_at_this_office(workspace, judged), previews)


COUNTY_ONLY_WARNINGS = frozenset({"assumed_terms"})


def shown_at_this_office(workspace: Workspace, judged: Eligibility | None) -> Eligibility | None:
    """Which terms of a product are provisional (``assumed:`` in its file) is the county's to check
    with the insurer, who publishes the definitions; a village clerk can do nothing about it and
    read "本产品有4项条款是暂定值" on every household as something wrong with the household."""
    if judged is None or workspace.office is None or workspace.office.level == "county":
        return judged
    return replace(judged, warnings=tuple(w for w in judged.warnings if w.code not in COUNTY_ONLY_WARNINGS))
