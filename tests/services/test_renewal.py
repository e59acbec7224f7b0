"""Renewals: last year's insured re-judged with the renewal limits (S1: 65 new, 70 on renewal)."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.renewal import renew
from fpdesk.services.registry import households as hh
from fpdesk.storage.schema_enrollment import Enrollment

D = dt.date
PRODUCT = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}


def elderly_couple(workspace):
    """Cover bought on 1 March starts on 2 March. The head turns 65 on 2 March 2021 (the start: still
    a new entrant, 65 inclusive) and 70 on 2 March 2026; his wife a day later."""
    draft = HouseholdDraft(division_code="350421200201", categories=frozenset({HouseholdCategory.OTHER_FP}))
    people = [PersonDraft("王德福", make_number("350421", D(1956, 3, 2), 31), Relation.HEAD),
              PersonDraft("李桂兰", make_number("350421", D(1956, 3, 3), 32), Relation.SPOUSE)]
    return hh.register_household(workspace, draft, people, today=D(2021, 1, 1)).primary_id


def young_couple(workspace):
    draft = HouseholdDraft(division_code="350421200202", categories=frozenset({HouseholdCategory.OTHER_FP}))
    people = [PersonDraft("王德福", make_number("350421", D(1980, 3, 2), 31), Relation.HEAD),
              PersonDraft("李桂兰", make_number("350421", D(1981, 3, 3), 32), Relation.SPOUSE)]
    return hh.register_household(workspace, draft, people, today=D(2021, 1, 1)).primary_id


def paid(workspace, enrollment_ids, on):
    for enrollment_id in enrollment_ids:
        details = status.enrollment_details(workspace, enrollment_id)
        status.record_payment(workspace, enrollment_id, amount_fen=details["premium_fen"], paid_on=on, today=on)


def test_renewal_admits_up_to_70_and_refuses_71(workspace):
    household_id = elderly_couple(workspace)
    first = enroll(workspace, product=PRODUCT, year=2021, household_id=household_id, on=D(2021, 3, 1),
                   today=D(2021, 3, 1), consent_by="王德福", form_values=FORM, pay_fen=10000)
    assert [p.name for p in first.insured] == ["王德福", "李桂兰"]  # 65 on the start date is still allowed
    for year in range(2022, 2027):
        on = D(year, 3, 1)
        result = renew(workspace, from_year=year - 1, to_year=year, on=on, today=on)
        assert result.renewed_households == 1 and result.renewed_persons == 2, (year, result.counts())
        paid(workspace, [i.outcome.enrollment_id for i in result.items], on)
    # 2027: he is 71 on the start date and is left out; she is 70 until 3 March and is renewed.
    on = D(2027, 3, 1)
    trial = renew(workspace, from_year=2026, to_year=2027, on=on, today=on, dry_run=True)
    [item] = trial.items
    assert [m.name for m, _ in item.outcome.plan.insured] == ["李桂兰"]
    [(left_out, reasons)] = item.outcome.plan.excluded
    assert left_out.name == "王德福" and [r.code for r in reasons] == ["age_above_renewal_max"]
    with workspace.read() as session:
        assert session.scalar(select(Enrollment.id).where(Enrollment.policy_year == 2027)) is None  # dry run
    done = renew(workspace, from_year=2026, to_year=2027, on=on, today=on)
    assert done.renewed_persons == 1
    assert [(c.entity, c.operation) for c in done.changes] == [("enrollment", "insert"), ("contribution", "insert"),
                                                               ("insured_person", "insert")]
    assert done.changes[0].fields["consent_method"] == "renewal_confirmation"
    again = renew(workspace, from_year=2026, to_year=2027, on=on, today=on, dry_run=True)
    assert [i.skipped for i in again.items] == ["already_enrolled"]  # he stays listed, she is renewed


def test_a_66_year_old_new_entrant_is_refused_but_a_renewal_is_not(workspace):
    draft = HouseholdDraft(division_code="350421200202", categories=frozenset({HouseholdCategory.OTHER_FP}))
    newcomer = hh.register_household(workspace, draft, [
        PersonDraft("张大山", make_number("350421", D(1960, 3, 1), 51), Relation.HEAD)], today=D(2026, 1, 1)).primary_id
    with pytest.raises(DomainError) as caught:
        enroll(workspace, product=PRODUCT, year=2026, household_id=newcomer, on=D(2026, 3, 1), today=D(2026, 3, 1),
               consent_by="张大山", form_values=FORM)
    assert caught.value.params["reason_codes"] == ["age_above_max"]


def test_a_renewal_after_the_deadline_is_late_and_leaves_a_gap_it_names(workspace):
    """Last year's cover, paid 2025-03-01, ran 2025-03-02 … 2026-03-01. Renewed on 2026-05-05, after
    the 30 April deadline: accepted as late (S1's deadline is the townships' target date). Paid the
    same day, the new cover starts 2026-05-06 and runs to 2027-05-05; 2026-03-02 … 2026-05-05, 65 days
    (30 of March + 30 of April + 5 of May), were without cover, and the renewal says so."""
    household_id = young_couple(workspace)
    enroll(workspace, product=PRODUCT, year=2025, household_id=household_id, on=D(2025, 3, 1), today=D(2025, 3, 1),
           consent_by="王德福", form_values=FORM, pay_fen=10000)
    result = renew(workspace, from_year=2025, to_year=2026, on=D(2026, 5, 5), today=D(2026, 5, 5))
    [item] = result.items
    warnings = {w.code: w for w in item.outcome.plan.judged.warnings}
    assert {"enrollment_late", "cover_gap"} <= set(warnings)
    assert "2026-03-02至2026-05-05共65天没有保障" in warnings["cover_gap"].message_zh
    paid(workspace, [item.outcome.enrollment_id], D(2026, 5, 5))
    details = status.enrollment_details(workspace, item.outcome.enrollment_id)
    assert details["period"] == [D(2026, 5, 6), D(2027, 5, 5)]
    assert details["cover_gap"] == {"first": D(2026, 3, 2), "last": D(2026, 5, 5), "days": 65}


def test_unpaid_enrollments_are_not_renewal_candidates(workspace):
    household_id = young_couple(workspace)
    registered = enroll(workspace, product=PRODUCT, year=2025, household_id=household_id, on=D(2025, 3, 1),
                        today=D(2025, 3, 1), consent_by="王德福", form_values=FORM)
    assert renew(workspace, from_year=2025, to_year=2026, on=D(2026, 3, 1), today=D(2026, 3, 1),
                 dry_run=True).items == []
    paid(workspace, [registered.enrollment_id], D(2025, 3, 2))
    result = renew(workspace, from_year=2025, to_year=2026, on=D(2026, 3, 1), today=D(2026, 3, 1))
    assert result.counts()["renewable_persons"] == 2
    assert result.items[0].as_dict()["premium_fen"] == 10000
