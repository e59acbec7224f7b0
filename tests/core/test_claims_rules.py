"""The claims rules alone: statuses, checklists and the limits taken from the product definitions."""

import pytest

from fpdesk.core import claims as rules
from fpdesk.core.errors import DomainError
from fpdesk.core.products import load_products

PRODUCTS = load_products()


def test_the_timeline_allows_only_the_next_steps():
    rules.check_transition("registered", "reported")
    rules.check_transition("submitted", "paid")
    rules.check_transition("declined", "closed")
    for current, wanted in (("registered", "paid"), ("paid", "declined"), ("closed", "reported")):
        with pytest.raises(DomainError) as caught:
            rules.check_transition(current, wanted)
        assert caught.value.code == "claim_status_transition"


def test_checklists_per_kind():
    assert rules.missing_documents("hospital_care", ["claim_form", "id_proof"]) == [
        "bank_account", "admission_discharge", "medical_records"]
    assert rules.check_documents("other", ["bank_account", "claim_form"]) == ["claim_form", "bank_account"]
    with pytest.raises(DomainError):
        rules.check_documents("other", ["death_certificate"])
    with pytest.raises(DomainError):
        rules.checklist("flood")


def test_limits_come_from_the_products():
    care = rules.liability_for(PRODUCTS["special_family_hospital_care"], "hospital_care")
    assert (care.amount_per_day_fen, care.max_days_per_year) == (30000, 90)  # S3: ¥300 a day, 90 days
    assert rules.hospital_claim(care, 80, 15) == (10, 300000)
    assert rules.hospital_claim(care, 95, 5) == (0, 0)
    assert rules.day_limit(care, 75).left_days == 15
    medical = rules.liability_for(PRODUCTS["fp_family_accident_100"], "accidental_medical")
    assert (medical.split, medical.amount_fen) == ("shared_pool", 1400000)  # S1: one ¥14,000 pool
    pool = rules.sum_limit(medical, None, 900000, pending_fen=800000)
    assert (pool.left_fen, pool.left_after_pending_fen) == (500000, 0)
    with pytest.raises(DomainError) as caught:
        rules.check_paid_within(pool, 500001)
    assert caught.value.code == "claim_over_limit"
    assert rules.liability_for(PRODUCTS["special_family_hospital_care"], "accidental_death") is None
    assert rules.liability_for(PRODUCTS["fp_family_accident_100"], "other") is None
