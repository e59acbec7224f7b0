"""Claims tracking on SQLite and PostgreSQL: the timeline with who did what, the document checklist,
the S3 90-day cap across claims and its reset in the next policy year, the S1 family pool shared by
two members, the split death sum, and claims for people without cover refused."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.services.enrollment import claims
from fpdesk.services.enrollment.eligible_list import import_eligible_list
from fpdesk.storage.schema import ChangeEntry
from tests.progress_builders import enroll_family, family, open_county

D = dt.date
CARE = "special_family_hospital_care"
TODAY = D(2027, 6, 30)


@pytest.fixture
def county(db_url):
    ws = open_county(db_url, author="王协保员")
    yield ws
    ws.close()


def bereaved_couple(ws, tmp_path):
    """A bereaved couple on the assistance list, insured for 2026 (from 6 Jan) and for 2027 (from 2 Jan)."""
    household, numbers = family(ws, "350421200201", ("special_bereaved",), members=2, elderly=True)
    for year in (2026, 2027):
        path = tmp_path / f"list{year}.csv"
        path.write_text("身份证号码,姓名\n" + "".join(f"{n},某\n" for n in numbers), encoding="utf-8")
        import_eligible_list(ws, path, product=CARE, year=year)
        enroll_family(ws, household, D(year, 1, 5) if year == 2026 else D(2027, 1, 1), product=CARE, year=year,
                      form_values={"on_eligible_list": True, "list_year": year})
    return numbers


def hospital(ws, number, incident, days):
    return claims.register_claim(ws, person=number, kind="hospital_care", incident_on=incident, hospital_days=days,
                                 product=CARE, today=TODAY)


def test_ninety_day_cap_across_claims_and_its_reset_next_policy_year(county, tmp_path):
    husband, wife = bereaved_couple(county, tmp_path)
    first = hospital(county, husband, D(2026, 2, 1), 50)
    second = hospital(county, husband, D(2026, 5, 1), 30)
    third = hospital(county, husband, D(2026, 9, 1), 20)
    days = {c.claim_no: claims.claim_detail(county, c.claim_no) for c in (first, second, third)}
    # S3: ¥300 a day, 90 days a year: 50 + 30 + (only 10 of 20)
    assert [(d["days_payable"], d["claimed_fen"]) for d in days.values()] == [
        (50, 1500000), (30, 900000), (10, 300000)]
    limit = days[third.claim_no]["limit"]
    assert (limit["cap_days"], limit["used_days"], limit["left_days"]) == (90, 90, 0)
    # the wife has her own 90 days
    assert claims.claim_detail(county, hospital(county, wife, D(2026, 3, 1), 20).claim_no)["days_payable"] == 20
    # a declined claim gives its days back
    claims.report_claim(county, second.claim_no, reported_on=D(2026, 5, 3), report_number="R-2", today=TODAY)
    claims.decline(county, second.claim_no, reason="不属于保险责任", on=D(2026, 6, 1), today=TODAY)
    assert hospital(county, husband, D(2026, 11, 1), 40).claim_no
    assert claims.claim_detail(county, claims.list_claims(county, year=2026, text="户主")[0]["claim_no"])[
        "days_payable"] == 30
    # the next policy year starts again at 90
    next_year = hospital(county, husband, D(2027, 2, 1), 40)
    detail = claims.claim_detail(county, next_year.claim_no)
    assert (detail["policy_year"], detail["days_payable"], detail["limit"]["left_days"]) == (2027, 40, 50)
    # paid at most days payable × rate
    claims.report_claim(county, first.claim_no, reported_on=D(2026, 2, 3), report_number="R-1", today=TODAY)
    claims.set_documents(county, first.claim_no, ["claim_form", "id_proof", "bank_account", "admission_discharge",
                                                  "medical_records"], on=D(2026, 2, 10))
    claims.advance(county, first.claim_no, "documents_complete", on=D(2026, 2, 10), today=TODAY)
    claims.advance(county, first.claim_no, "submitted", on=D(2026, 2, 11), today=TODAY)
    with pytest.raises(DomainError) as caught:
        claims.record_paid(county, first.claim_no, paid_fen=1500100, paid_on=D(2026, 3, 1), today=TODAY)
    assert caught.value.code == "claim_over_limit"
    claims.record_paid(county, first.claim_no, paid_fen=1500000, paid_on=D(2026, 3, 1), today=TODAY)


def test_family_pool_shared_by_two_members_and_split_death_sum(county):
    household, (head, spouse, _) = family(county, "350421200202")
    enroll_family(county, household, D(2026, 3, 1))
    first = claims.register_claim(county, person=head, kind="accidental_medical", incident_on=D(2026, 4, 2),
                                  claimed_fen=900000, reported_on=D(2026, 4, 3), report_number="PICC-1", today=TODAY)
    second = claims.register_claim(county, person=spouse, kind="accidental_medical", incident_on=D(2026, 6, 2),
                                   claimed_fen=800000, today=TODAY)
    pool = claims.claim_detail(county, second.claim_no)["limit"]
    # S1: one ¥14,000 pool for the family: nothing paid yet, 9,000 + 8,000 asked → 3,000 more than the pool
    assert (pool["basis"], pool["cap_fen"], pool["used_fen"], pool["pending_fen"], pool["left_fen"],
            pool["left_after_pending_fen"]) == ("shared_pool", 1400000, 0, 1700000, 1400000, 0)
    everything = ["claim_form", "id_proof", "bank_account", "accident_proof", "medical_records", "medical_invoices",
                  "expense_list"]
    for claim, reported in ((first, None), (second, D(2026, 6, 3))):
        if reported:
            claims.report_claim(county, claim.claim_no, reported_on=reported, report_number="PICC-2", today=TODAY)
        claims.set_documents(county, claim.claim_no, everything, on=D(2026, 6, 10))
        claims.advance(county, claim.claim_no, "documents_complete", on=D(2026, 6, 10), today=TODAY)
        claims.advance(county, claim.claim_no, "submitted", on=D(2026, 6, 11), today=TODAY)
    claims.record_paid(county, first.claim_no, paid_fen=900000, paid_on=D(2026, 6, 20), today=TODAY)
    with pytest.raises(DomainError) as caught:
        claims.record_paid(county, second.claim_no, paid_fen=800000, paid_on=D(2026, 6, 25), today=TODAY)
    assert caught.value.code == "claim_over_limit" and "¥5,000.00" in caught.value.message_zh
    claims.record_paid(county, second.claim_no, paid_fen=500000, paid_on=D(2026, 6, 25), today=TODAY)
    pool = claims.claim_detail(county, second.claim_no)["limit"]
    assert (pool["used_fen"], pool["left_fen"]) == (1400000, 0)
    # death and disability: the head's split sum, ¥200,000 ÷ 3 with the odd fen to the head
    death = claims.register_claim(county, person=head, kind="disability", incident_on=D(2026, 7, 1), today=TODAY)
    limit = claims.claim_detail(county, death.claim_no)["limit"]
    assert (limit["basis"], limit["cap_fen"]) == ("equal_among_insured", 6666667)


def test_dates_out_of_order_are_refused_with_the_words_the_right_way_round(county):
    household, (head, *_) = family(county, "350421200202")
    enroll_family(county, household, D(2026, 3, 1))
    with pytest.raises(DomainError) as future:
        claims.register_claim(county, person=head, kind="accidental_medical", incident_on=TODAY + dt.timedelta(days=1),
                              today=TODAY)
    assert future.value.code == "claim_date_order"
    assert (future.value.message_zh, future.value.message_en) == ("出险日期不能晚于今天。",
                                                                  "The incident date cannot be after today.")
    claim = claims.register_claim(county, person=head, kind="accidental_medical", incident_on=D(2026, 5, 2),
                                  today=TODAY)
    with pytest.raises(DomainError) as early:
        claims.report_claim(county, claim.claim_no, reported_on=D(2026, 5, 1), report_number="PICC-3", today=TODAY)
    assert early.value.message_zh == "出险日期不能晚于报案日期。"


def test_timeline_checklist_flags_list_and_change_log(county):
    household, (head, *_rest) = family(county, "350421100201")
    enroll_family(county, household, D(2026, 3, 1))
    with pytest.raises(DomainError) as caught:
        claims.register_claim(county, person=head, kind="accidental_medical", incident_on=D(2026, 3, 1), today=TODAY)
    assert caught.value.code == "claim_not_insured"  # cover starts the day after payment
    result = claims.register_claim(county, person=head, kind="accidental_death", incident_on=D(2026, 8, 8),
                                   description="车祸", green_channel=True, today=TODAY)
    assert result.claim_no == "350421-2026-00001"
    ref = result.claim_no
    with pytest.raises(DomainError) as caught:
        claims.advance(county, ref, "documents_complete", today=TODAY)
    assert caught.value.code == "claim_status_transition"
    claims.report_claim(county, ref, reported_on=D(2026, 8, 9), report_number="BA2026-88", today=TODAY)
    claims.set_documents(county, ref, ["claim_form", "death_certificate"], on=D(2026, 8, 12))
    with pytest.raises(DomainError) as caught:
        claims.advance(county, ref, "documents_complete", on=D(2026, 8, 12), today=TODAY)
    assert caught.value.code == "claim_documents_missing" and "户籍注销证明" in caught.value.message_zh
    with pytest.raises(DomainError):
        claims.set_documents(county, ref, ["medical_invoices"])
    claims.set_documents(county, ref, claims.rules.checklist("accidental_death"), on=D(2026, 8, 20))
    claims.set_flags(county, ref, home_visit=True, on=D(2026, 8, 20))
    claims.advance(county, ref, "documents_complete", on=D(2026, 8, 20), today=TODAY)
    claims.advance(county, ref, "submitted", on=D(2026, 8, 21), today=TODAY)
    claims.record_paid(county, ref, paid_fen=6666667, paid_on=D(2026, 9, 30), today=TODAY)
    claims.advance(county, ref, "closed", on=D(2026, 10, 8), today=TODAY)
    detail = claims.claim_detail(county, ref)
    assert [e["action"] for e in detail["timeline"]] == [
        "registered", "reported", "documents", "documents", "flags", "documents_complete", "submitted", "paid",
        "closed"]
    assert {e["author"] for e in detail["timeline"]} == {"王协保员"}
    assert detail["status"] == "closed" and detail["closed_on"] == "2026-10-08"
    assert all(item["received"] for item in detail["checklist"])
    assert detail["green_channel"] and detail["home_visit"] and detail["id_number"].count("*") == 8
    assert [c["claim_no"] for c in claims.list_claims(county, green_channel=True)] == [ref]
    assert claims.list_claims(county, open_only=True) == []
    assert [c["division"] for c in claims.list_claims(county, division="350421100")] == ["东门村"]
    with county.read() as session:
        entries = session.scalars(select(ChangeEntry).where(ChangeEntry.entity.in_(("claim", "claim_event")))).all()
    inserted = next(e for e in entries if e.entity == "claim" and e.operation == "insert")
    assert inserted.fields["incident_on"] == "2026-08-08" and inserted.fields["kind"] == "accidental_death"
    paid = next(e for e in entries if e.entity == "claim" and e.fields.get("status") == "paid")
    assert paid.old_values["status"] == "submitted" and paid.fields["paid_fen"] == 6666667
    assert sum(1 for e in entries if e.entity == "claim_event") == 9


def _view_logs(ws, claim_id) -> int:
    with ws.read() as session:
        return len(session.scalars(select(ChangeEntry).where(
            ChangeEntry.entity == "access", ChangeEntry.operation == "view_pi", ChangeEntry.record_id == claim_id)).all())


def test_medical_text_only_to_reviewers_administrators_and_whoever_typed_it(county):
    """PIPL art. 28: a claim's description, a refusal's reason and typed notes are sensitive; numbers stay."""
    from fpdesk.services.trust import accounts
    from fpdesk.services.trust.pi_masking import MEDICAL_HIDDEN

    hidden = MEDICAL_HIDDEN[0]
    household, (head, spouse, _) = family(county, "350421200201")
    enroll_family(county, household, D(2026, 3, 1))
    first = claims.register_claim(county, person=head, kind="accidental_medical", incident_on=D(2026, 4, 2),
                                  description="骑车摔倒，左腿胫骨骨折", claimed_fen=500000, reported_on=D(2026, 4, 3),
                                  report_number="PICC-9", today=TODAY)
    # a database without accounts shows everything, as before accounts, and logs no view
    before = claims.claim_detail(county, first.claim_no)
    assert before["description"] == "骑车摔倒，左腿胫骨骨折" and before["timeline"][0]["note"] == before["description"]
    assert _view_logs(county, first.claim_id) == 0

    accounts.add_user(county, name="boss", password="boss-password", role="admin")  # logs in as boss
    for name, role in (("rev", "reviewer"), ("clerk", "data_entry"), ("clerk2", "data_entry"), ("look", "viewer")):
        accounts.add_user(county, name=name, password=f"{name}-password", role=role)
    claims.decline(county, first.claim_no, reason="既往病史：糖尿病", on=D(2026, 4, 20), today=TODAY)
    accounts.log_in(county, "clerk", "clerk-password")
    second = claims.register_claim(county, person=spouse, kind="accidental_medical", incident_on=D(2026, 5, 2),
                                   description="烫伤住院", claimed_fen=300000, today=TODAY)  # writing is not affected

    def as_user(name):
        accounts.log_in(county, name, f"{name}-password")
        return claims.claim_detail(county, first.claim_no), claims.claim_detail(county, second.claim_no)

    for name in ("look", "clerk2"):
        one, two = as_user(name)
        assert (one["description"], one["decline_reason"], two["description"]) == (hidden, hidden, hidden), name
        assert [e["note"] for e in one["timeline"]] == [hidden, "报案号 PICC-9", hidden]
        # what the work needs stays: amounts, dates, status, the checklist, the person's masked ID number
        assert (one["claimed_fen"], one["status"], one["incident_on"], one["id_number"].count("*")) == (
            500000, "declined", "2026-04-02", 8)
        assert len(one["checklist"]) == 7
        listed = claims.list_claims(county)
        assert len(listed) == 2 and not any(hidden in str(row) or "骨折" in str(row) for row in listed)
    assert _view_logs(county, first.claim_id) == 0  # nothing was shown in full
    # the clerk reads back the claim they registered, not the one registered before them
    one, two = as_user("clerk")
    assert (one["description"], two["description"], two["timeline"][0]["note"]) == (hidden, "烫伤住院", "烫伤住院")
    assert _view_logs(county, second.claim_id) == 0  # their own text: no view of anyone else's
    # reviewers and administrators see it in full, and each view of someone else's text is logged
    for name, count in (("rev", 1), ("boss", 2)):
        one, two = as_user(name)
        assert (one["description"], one["decline_reason"], two["description"]) == (
            "骑车摔倒，左腿胫骨骨折", "既往病史：糖尿病", "烫伤住院")
        assert _view_logs(county, first.claim_id) == count and _view_logs(county, second.claim_id) == count
    claims.claim_detail(county, first.claim_no, log_view=False)  # the screen's reload after a step
    assert _view_logs(county, first.claim_id) == 2
