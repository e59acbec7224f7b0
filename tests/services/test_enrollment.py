"""Enrollment services on SQLite and PostgreSQL: enroll, pay, hand up, confirm, cancel, refund,
receipts, the change log, refusals with the engine's reasons, and the enrollment window."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment import members, status
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.registry import households as hh
from fpdesk.storage.schema import ChangeEntry
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson, Payment

D = dt.date
PRODUCT = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
SPRING = D(2026, 3, 1)  # inside the 1 Jan – 30 Apr window


def grandfather_id():
    return make_number("350421", D(1950, 1, 1), 11)


def family(workspace, categories=("other_fp",), *, with_grandfather=False, division="350421200201", seq=1):
    draft = HouseholdDraft(division_code=division, address="罗翠村3组17号",
                           categories=frozenset(HouseholdCategory(c) for c in categories))
    people = [
        PersonDraft("林国华", make_number("350421", D(1980, 1, 1), 10 + seq * 2 + 1), Relation.HEAD),
        PersonDraft("陈秀英", make_number("350421", D(1982, 3, 15), 10 + seq * 2), Relation.SPOUSE),
        PersonDraft("林小明", make_number("350421", D(2010, 5, 20), 11 + seq * 2), Relation.SON),
    ]
    if with_grandfather:
        people.append(PersonDraft("林老汉", grandfather_id(), Relation.FATHER))
    return hh.register_household(workspace, draft, people, today=D(2026, 1, 1)).primary_id


def do_enroll(workspace, household_id, **kwargs):
    options = {"product": PRODUCT, "year": 2026, "household_id": household_id, "on": SPRING, "today": SPRING,
               "consent_by": "林国华", "form_values": FORM, **kwargs}
    return enroll(workspace, **options)


def log(workspace, entity=None):
    with workspace.read() as session:
        query = select(ChangeEntry).order_by(ChangeEntry.local_seq)
        if entity:
            query = query.where(ChangeEntry.entity == entity)
        return session.scalars(query).all()


def test_enroll_pay_hand_up_confirm_refund_with_change_log(workspace):
    household_id = family(workspace)
    before = len(log(workspace))
    result = do_enroll(workspace, household_id, pay_fen=10000)
    assert (result.premium_fen, result.payer, result.policy_year) == (10000, "self", 2026)
    assert result.period == (D(2026, 3, 2), D(2027, 3, 1))  # docs/rules.md#policy-period: from 00:00 the next day, one year
    assert result.receipt_no == "350421200-2026-000001"
    # ¥200,000 split equally among 3 (the head gets the odd fen); the ¥14,000 pool shared by 3
    assert [i.sums_insured[0]["amount_fen"] for i in result.insured] == [6666667, 6666667, 6666666]
    assert {i.sums_insured[1]["shared_by"] for i in result.insured} == {3}
    entries = log(workspace)[before:]
    assert [e.entity for e in entries] == ["enrollment", "contribution"] + ["insured_person"] * 3 + [
        "payment", "enrollment"]
    # the premium received: the enrollment is paid and its cover dated from the next day
    assert entries[-1].fields == {"status": "paid", "received_on": "2026-03-01", "period_start": "2026-03-02",
                                  "period_end": "2027-03-01"}
    assert entries[-1].old_values == {"status": "registered", "received_on": None, "period_start": None,
                                      "period_end": None}
    assert all(e.author == "tester" for e in entries)
    seqs = [e.origin_seq for e in entries]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    eid = result.enrollment_id

    status.hand_up(workspace, eid, on=D(2026, 3, 5), today=D(2026, 3, 5))
    status.confirm(workspace, eid, policy_number="PMX2026-0001", on=D(2026, 3, 10), today=D(2026, 3, 10))
    with pytest.raises(DomainError) as caught:
        status.cancel(workspace, eid, reason="家庭不愿参保", today=D(2026, 5, 1))
    assert caught.value.code == "enrollment_has_payment"
    status.refund(workspace, eid, reason="家庭申请退保", on=D(2026, 5, 1), today=D(2026, 5, 1))
    details = status.enrollment_details(workspace, eid)
    assert (details["status"], details["refunded_fen"], details["policy_number"]) == ("refunded", 10000, "PMX2026-0001")
    updates = [e.fields.get("status") for e in log(workspace, "enrollment") if e.operation == "update"]
    assert updates == ["paid", "handed_up", "confirmed", "refunded"]
    assert log(workspace, "enrollment")[-1].fields["status_reason"] == "家庭申请退保"
    with pytest.raises(DomainError) as caught:
        status.hand_up(workspace, eid, today=D(2026, 6, 1))
    assert caught.value.code == "status_transition_not_allowed"


def test_invalid_transitions_are_refused(workspace):
    eid = do_enroll(workspace, family(workspace)).enrollment_id
    for call in (lambda: status.hand_up(workspace, eid, today=SPRING),
                 lambda: status.confirm(workspace, eid, policy_number="P1", today=SPRING),
                 lambda: status.refund(workspace, eid, reason="x", today=SPRING)):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code in ("status_transition_not_allowed", "nothing_to_refund", "hand_up_unpaid")
    with pytest.raises(DomainError) as caught:
        status.cancel(workspace, eid, reason="  ", today=SPRING)
    assert caught.value.code == "reason_missing"
    status.cancel(workspace, eid, reason="重复登记", on=SPRING, today=SPRING)
    with pytest.raises(DomainError) as caught:
        status.record_payment(workspace, eid, amount_fen=10000, today=SPRING)
    assert caught.value.code == "status_transition_not_allowed"


def test_receipts_are_gap_free_a_failed_payment_gives_its_number_back_and_void_keeps_it(workspace):
    first = do_enroll(workspace, family(workspace, seq=1)).enrollment_id
    second = do_enroll(workspace, family(workspace, seq=2)).enrollment_id
    third = do_enroll(workspace, family(workspace, seq=3)).enrollment_id
    assert status.record_payment(workspace, first, amount_fen=10000, today=SPRING).receipt_no.endswith("-000001")
    with pytest.raises(DomainError) as caught:  # "搭车收费": a receipt is for the premium only
        status.record_payment(workspace, second, amount_fen=12000, today=SPRING)
    assert caught.value.code == "payment_amount_mismatch"
    receipt = status.record_payment(workspace, second, amount_fen=10000, today=SPRING).receipt_no
    assert receipt == "350421200-2026-000002"  # the refused payment did not use a number
    status.void_payment(workspace, receipt, reason="收错户", today=SPRING)
    assert status.enrollment_details(workspace, second)["status"] == "registered"
    assert status.record_payment(workspace, third, amount_fen=10000, today=SPRING).receipt_no.endswith("-000003")
    again = status.record_payment(workspace, second, amount_fen=10000, today=SPRING).receipt_no
    assert again.endswith("-000004")
    with workspace.read() as session:
        rows = session.execute(select(Payment.receipt_no, Payment.voided).order_by(Payment.receipt_no)).all()
    assert [(r.receipt_no[-6:], r.voided) for r in rows] == [
        ("000001", False), ("000002", True), ("000003", False), ("000004", False)]


def test_an_ineligible_member_is_refused_with_the_engine_reason_unless_excluded(workspace):
    household_id = family(workspace, with_grandfather=True)
    before = len(log(workspace))
    with pytest.raises(DomainError) as caught:
        do_enroll(workspace, household_id)
    assert caught.value.code == "enrollment_refused"
    assert caught.value.params["reason_codes"] == ["age_above_max"]
    assert "林老汉" in caught.value.message_zh and "76周岁" in caught.value.message_zh
    assert len(log(workspace)) == before  # nothing written
    result = do_enroll(workspace, household_id, exclude=[grandfather_id()])
    assert [i.name for i in result.insured] == ["林国华", "陈秀英", "林小明"]


def test_payer_and_category_rules_come_from_the_engine(workspace):
    hardship = family(workspace, ("hardship",), seq=1)
    assert do_enroll(workspace, hardship).payer == "government"
    with pytest.raises(DomainError) as caught:
        do_enroll(workspace, family(workspace, ("other_fp",), seq=2), payer="government")
    assert caught.value.params["reason_codes"] == ["payer_not_allowed"]
    with pytest.raises(DomainError) as caught:  # the same people cannot be insured twice in a product-year
        do_enroll(workspace, hardship)
    assert {"already_insured_this_period", "max_shares_exceeded"} <= set(caught.value.params["reason_codes"])


def test_an_entry_after_the_deadline_is_late_not_refused_and_a_past_year_record_is_history(workspace):
    """S1 "投保完成截止时间：每年 4月30日前完成" is the townships' target date for a voluntary product:
    an entry on 2026-05-03 is accepted as late, with the day sign-up opens next (2027-01-01); so is
    one dated inside the window but typed after it; an old roster's record is history."""
    household_id = family(workspace)
    late = do_enroll(workspace, household_id, on=D(2026, 5, 3), today=D(2026, 5, 3))
    [warning] = [w for w in late.warnings if w.code == "enrollment_late"]
    assert warning.message_zh == "登记期已于2026-04-30截止，2026-05-03登记为逾期登记（2026年度）；下次登记期2027-01-01起。"
    assert late.policy_year == 2026
    backdated = do_enroll(workspace, family(workspace, seq=4), on=D(2026, 4, 20), today=D(2026, 5, 3))
    assert [w.code for w in backdated.warnings if w.code == "enrollment_late"] == ["enrollment_late"]
    past = do_enroll(workspace, family(workspace, seq=5), year=2025, on=D(2025, 4, 20), today=D(2026, 5, 3),
                     consent_method="imported_roster")
    assert past.policy_year == 2025 and "historical_record" in [w.code for w in past.warnings]
    closing = do_enroll(workspace, family(workspace, seq=2), on=D(2026, 4, 25), today=D(2026, 4, 25))
    assert "enrollment_closing_soon" in [w.code for w in closing.warnings]
    with pytest.raises(DomainError) as caught:
        do_enroll(workspace, family(workspace, seq=3), year=2025)
    assert caught.value.code == "policy_year_mismatch"


def test_consent_and_form_values_are_required(workspace):
    household_id = family(workspace)
    with pytest.raises(DomainError) as caught:
        do_enroll(workspace, household_id, consent_by=" ")
    assert caught.value.code == "consent_missing"
    with pytest.raises(DomainError) as caught:  # the health declaration has no default
        do_enroll(workspace, household_id, form_values={"beneficiary_type": "法定"})
    assert caught.value.code == "missing_field"
    with pytest.raises(DomainError) as caught:
        do_enroll(workspace, household_id, form_values={**FORM, "shoe_size": "42"})
    assert caught.value.code == "unknown_form_field"
    # a death beneficiary nobody named is the statutory heirs (the form's blank_means)
    done = do_enroll(workspace, household_id, form_values={"health_declaration": "是"})
    with workspace.read() as session:
        assert session.get(Enrollment, done.enrollment_id).form_values["beneficiary_type"] == "statutory"


def test_dated_removal_and_addition_resplit_the_family_sum(workspace):
    result = do_enroll(workspace, family(workspace), pay_fen=10000)
    eid = result.enrollment_id
    members.remove_insured(workspace, eid, "林小明", on=D(2026, 6, 1), reason="迁出", today=D(2026, 6, 2))
    with workspace.read() as session:
        rows = session.scalars(select(InsuredPerson).where(InsuredPerson.enrollment_id == eid)
                               .order_by(InsuredPerson.added_on, InsuredPerson.id)).all()
        active = [r.sums_insured[0]["amount_fen"] for r in rows if r.removed_on is None]
        removed = [r for r in rows if r.removed_on is not None]
    assert active == [10000000, 10000000] and removed[0].removed_on == D(2026, 6, 1)
    added = members.add_insured(workspace, eid, "林小明", on=D(2026, 7, 1), today=D(2026, 7, 2))
    assert added.insured[0].sums_insured[0]["amount_fen"] == 6666666
    with pytest.raises(DomainError) as caught:
        members.add_insured(workspace, eid, "林小明", on=D(2026, 7, 3), today=D(2026, 7, 3))
    assert "already_insured_this_period" in caught.value.params["reason_codes"]
    with workspace.read() as session:
        assert session.get(Enrollment, eid).premium_fen == 10000  # a family share costs the same
    insured_log = log(workspace, "insured_person")
    assert [e.operation for e in insured_log].count("insert") == 4


def test_find_an_enrollment_by_receipt_or_id_number(workspace):
    result = do_enroll(workspace, family(workspace), pay_fen=10000)
    with workspace.read() as session:
        assert status.find_enrollment_id(session, result.receipt_no) == result.enrollment_id
        number = make_number("350421", D(1980, 1, 1), 13)
        assert status.find_enrollment_id(session, number, product=PRODUCT, year=2026) == result.enrollment_id
        with pytest.raises(DomainError) as caught:
            status.find_enrollment_id(session, number, year=2020)
        assert caught.value.code == "enrollment_not_found"
