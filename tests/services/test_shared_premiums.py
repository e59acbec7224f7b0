"""A premium shared between levels, on SQLite and PostgreSQL: a county working from its own programme
(tests/data/programmes) enrolls a household, the enrollment owes one contribution per level, the family's
receipt is its own part only, and each level's allocation settles that level alone; the cover is the
programme's fixed one (3月1日起) once all of it is in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fpdesk.core.errors import DomainError
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.allocations import allocate
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.product_catalog import set_forms_folder
from fpdesk.services.opening import open_workspace
from fpdesk.services.workspace import add_division, init_office
from tests.walks.walk_helpers import couple

D = dt.date
PROGRAMMES = Path(__file__).parents[1] / "data" / "programmes"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
VILLAGE = "350421200201"


@pytest.fixture
def county(db_url):
    ws = open_workspace(db_url, author="县计生协")
    init_office(ws, code="350421", level="county", name="明溪县计划生育协会")
    add_division(ws, code="350421200", name="城关乡", code_year=2024)
    add_division(ws, code=VILLAGE, name="罗翠村", code_year=2024)
    set_forms_folder(ws, PROGRAMMES)
    yield ws
    ws.close()


def test_each_level_owes_its_part_and_the_family_pays_its_own(county):
    """Two shares of five_level_accident, entered 2025-02-10: province 5, county 5, township 10, village 10
    for the first share, the family 30 + 60 = ¥90. The family's receipt is ¥90 (not ¥120); the county's
    allocation settles ¥5 and nothing of the province's; once all four levels have allocated, the
    premium is received and the cover is 2025-03-01 … 2026-02-28."""
    household, _ = couple(county, VILLAGE, child=None)
    result = enroll(county, product="five_level_accident", year=2025, household_id=household, shares=2,
                    on=D(2025, 2, 10), today=D(2025, 2, 10), consent_by="户主", form_values=FORM)
    details = status.enrollment_details(county, result.enrollment_id)
    owed = {c["payer_level"]: (c["payer"], c["amount_fen"]) for c in details["contributions"]}
    assert owed == {"province": ("government", 500), "county": ("government", 500),
                    "township": ("government", 1000), "village": ("government", 1000), "self": ("self", 9000)}
    assert details["premium_fen"] == 12000 and details["payer"] == "self"
    assert details["period"] == [D(2025, 3, 1), D(2026, 2, 28)]
    receipt = status.record_payment(county, result.enrollment_id, amount_fen=9000, paid_on=D(2025, 2, 11),
                                    today=D(2025, 2, 11))
    assert receipt.receipt_no
    with pytest.raises(DomainError):  # the family owes nothing more
        status.record_payment(county, result.enrollment_id, amount_fen=100, paid_on=D(2025, 2, 11),
                              today=D(2025, 2, 11))
    county_money = allocate(county, payer="government", level="county", voucher_no="县财1号", on=D(2025, 2, 12),
                            today=D(2025, 2, 12), product="five_level_accident", year=2025)
    assert (county_money.allocated_fen, county_money.received) == (500, 0)
    assert status.enrollment_details(county, result.enrollment_id)["owed_fen"] == 2500
    with pytest.raises(DomainError) as caught:
        allocate(county, payer="government", level="county", voucher_no="县财2号", on=D(2025, 2, 12),
                 today=D(2025, 2, 12), product="five_level_accident", year=2025)
    assert caught.value.code == "nothing_to_allocate" and "县级财政" in caught.value.message_zh
    for number, level in enumerate(("province", "township", "village")):
        last = allocate(county, payer="government", level=level, voucher_no=f"拨{number}", on=D(2025, 2, 20),
                        today=D(2025, 2, 20), product="five_level_accident", year=2025)
    assert last.received == 1
    details = status.enrollment_details(county, result.enrollment_id)
    assert details["status"] == "paid" and details["owed_fen"] == 0 and details["received_on"] == D(2025, 2, 20)


def test_a_seed_product_still_owes_one_contribution(county):
    """The seed-style category_price_family (one payer): a poverty household's ¥100 is one government row."""
    household, _ = couple(county, VILLAGE, ("poverty_targeted",), child=None)
    result = enroll(county, product="category_price_family", year=2024, household_id=household,
                    on=D(2024, 6, 5), today=D(2024, 6, 5), consent_by="户主", form_values=FORM)
    details = status.enrollment_details(county, result.enrollment_id)
    assert [(c["payer"], c["payer_level"], c["amount_fen"]) for c in details["contributions"]] == [
        ("government", "government", 10000)]


def test_the_wifes_age_is_read_from_the_household_and_a_parent_added_later_brings_each_levels_part(county):
    """couple_elder_care, per person ¥50 (city 20, county 20, person 10). The husband alone is enrolled
    2021-01-05: the wife (born 1965-06-01, 55 on 2021-01-20) is in the household though not insured, so
    the condition 女方满49周岁且不超过65周岁 holds: ¥50 = city 20 + county 20 + family 10, cover
    2021-01-20 … 2022-01-19. The wife added 2021-03-01: each level's part grows by hers — city 40,
    county 40, family 20, premium ¥100. A household whose wife is 38 is refused."""
    from fpdesk.core.vocabulary import Relation
    from fpdesk.services.enrollment.members import add_insured
    from tests.walks.walk_helpers import family

    household, numbers = family(county, VILLAGE, ("only_child",), [("王建国", D(1960, 3, 1), Relation.HEAD),
                                                                   ("李秀兰", D(1965, 6, 1), Relation.SPOUSE)])
    result = enroll(county, product="couple_elder_care", year=2021, household_id=household,
                    members=[numbers["王建国"]], on=D(2021, 1, 5), today=D(2021, 1, 5), consent_by="户主",
                    form_values=FORM)
    details = status.enrollment_details(county, result.enrollment_id)
    assert {c["payer_level"]: c["amount_fen"] for c in details["contributions"]} == {
        "prefecture": 2000, "county": 2000, "self": 1000}
    assert details["period"] == [D(2021, 1, 20), D(2022, 1, 19)]
    add_insured(county, result.enrollment_id, numbers["李秀兰"], on=D(2021, 3, 1), today=D(2021, 3, 1))
    details = status.enrollment_details(county, result.enrollment_id)
    assert {c["payer_level"]: c["amount_fen"] for c in details["contributions"]} == {
        "prefecture": 4000, "county": 4000, "self": 2000}
    assert details["premium_fen"] == 10000
    young, _ = family(county, VILLAGE, ("only_child",), [("赵强", D(1980, 3, 1), Relation.HEAD),
                                                         ("钱芳", D(1982, 6, 1), Relation.SPOUSE)])
    with pytest.raises(DomainError) as caught:
        enroll(county, product="couple_elder_care", year=2021, household_id=young, on=D(2021, 1, 5),
               today=D(2021, 1, 5), consent_by="户主", form_values=FORM)
    assert "女方" in caught.value.message_zh


def refunds_by_level(ws, enrollment_id) -> dict[str, int]:
    from sqlalchemy import select

    from fpdesk.storage.schema_money import Contribution, Refund

    with ws.read() as session:
        return {level: fen for level, fen in session.execute(
            select(Contribution.payer_level, Refund.amount_fen).join(Contribution, Contribution.id == Refund.contribution_id)
            .where(Refund.enrollment_id == enrollment_id))}


def test_a_part_refunded_goes_back_to_each_payer_by_what_it_paid(county):
    """five_level_accident, two shares, all of it in: province 5, county 5, township 10, village 10,
    family 90 = ¥120. Half of it (¥60) given back: each payer gets half of what it paid —
    60 × 5/120 = 2.50 to the province and to the county, 60 × 10/120 = 5 to the township and to the
    village, 60 × 90/120 = 45 to the family; 2.5 + 2.5 + 5 + 5 + 45 = 60. Each refund is in the change
    log; what each level has left settled is its other half."""
    from sqlalchemy import func, select

    from fpdesk.storage.schema import ChangeEntry

    household, _ = couple(county, VILLAGE, child=None)
    result = enroll(county, product="five_level_accident", year=2025, household_id=household, shares=2,
                    on=D(2025, 2, 10), today=D(2025, 2, 10), consent_by="户主", form_values=FORM)
    status.record_payment(county, result.enrollment_id, amount_fen=9000, paid_on=D(2025, 2, 11), today=D(2025, 2, 11))
    for number, level in enumerate(("province", "county", "township", "village")):
        allocate(county, payer="government", level=level, voucher_no=f"拨{number}", on=D(2025, 2, 20),
                 today=D(2025, 2, 20), product="five_level_accident", year=2025)
    status.refund(county, result.enrollment_id, reason="户主去世，退一半", amount_fen=6000, on=D(2025, 3, 5),
                  today=D(2025, 3, 5))
    assert refunds_by_level(county, result.enrollment_id) == {
        "province": 250, "county": 250, "township": 500, "village": 500, "self": 4500}
    details = status.enrollment_details(county, result.enrollment_id)
    assert {c["payer_level"]: c["settled_fen"] for c in details["contributions"]} == {
        "province": 250, "county": 250, "township": 500, "village": 500, "self": 4500}
    assert details["refunded_fen"] == 6000
    with county.read() as session:
        assert session.scalar(select(func.count()).select_from(ChangeEntry).where(ChangeEntry.entity == "refund")) == 5


def test_a_parent_removed_before_the_cover_starts_takes_each_levels_part_off(county):
    """couple_elder_care, both parents enrolled 2021-01-05 (cover from 2021-01-20): city 40, county 40,
    family 20 = ¥100, all of it in. The wife removed on 2021-01-10, before her first day of cover: her
    ¥50 is owed by nobody — city 40 − 20 = 20, county 40 − 20 = 20, family 20 − 10 = 10 — and what each
    paid beyond that goes back to it: ¥20 to the city, ¥20 to the county, ¥10 to the family."""
    from fpdesk.core.vocabulary import Relation
    from fpdesk.services.enrollment.members import remove_insured
    from tests.walks.walk_helpers import family

    household, numbers = family(county, VILLAGE, ("only_child",), [("王建国", D(1960, 3, 1), Relation.HEAD),
                                                                   ("李秀兰", D(1965, 6, 1), Relation.SPOUSE)])
    result = enroll(county, product="couple_elder_care", year=2021, household_id=household, on=D(2021, 1, 5),
                    today=D(2021, 1, 5), consent_by="户主", form_values=FORM)
    status.record_payment(county, result.enrollment_id, amount_fen=2000, paid_on=D(2021, 1, 6), today=D(2021, 1, 6))
    for number, level in enumerate(("prefecture", "county")):
        allocate(county, payer="government", level=level, voucher_no=f"市县{number}", on=D(2021, 1, 8),
                 today=D(2021, 1, 8), product="couple_elder_care", year=2021)
    remove_insured(county, result.enrollment_id, numbers["李秀兰"], on=D(2021, 1, 10), reason="迁出",
                   today=D(2021, 1, 10))
    details = status.enrollment_details(county, result.enrollment_id)
    assert details["premium_fen"] == 5000
    assert {c["payer_level"]: (c["amount_fen"], c["settled_fen"]) for c in details["contributions"]} == {
        "prefecture": (2000, 2000), "county": (2000, 2000), "self": (1000, 1000)}
    assert refunds_by_level(county, result.enrollment_id) == {"prefecture": 2000, "county": 2000, "self": 1000}
