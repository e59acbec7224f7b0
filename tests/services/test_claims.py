"""Claims tracking on SQLite and PostgreSQL: the timeline with who did what, the document checklist,
the S3 90-day cap across claims and its reset in the next policy year, the S1 family pool shared by
two members, the split death sum, and claims for people without cover refused."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.services import claims
from fpdesk.services.eligible_list import import_eligible_list
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
