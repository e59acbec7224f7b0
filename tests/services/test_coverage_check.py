"""“一个不多，一个不漏”: the check finds what is planted in a demo village, and nothing else extra."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.idnumber import make_number, mask
from fpdesk.core.ids import new_id
from fpdesk.core.people import PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.demo.database import load_demo
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.eligible_list import import_eligible_list
from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.facts import product_by_code
from fpdesk.services.registry import households as hh
from fpdesk.services.reports.coverage_check import government_categories, run_check
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import Household, HouseholdCategoryLink, Person
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

D = dt.date
PRODUCT = "fp_family_accident_100"
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
SPRING = D(2026, 3, 1)


def households_by_category(workspace):
    government = {c.value for c in government_categories(product_by_code(PRODUCT))}
    with workspace.read() as session:
        rows = session.execute(select(Household.id, HouseholdCategoryLink.category).outerjoin(
            HouseholdCategoryLink, HouseholdCategoryLink.household_id == Household.id)).all()
    gov = sorted({h for h, c in rows if c in government})
    other = sorted({h for h, c in rows if h not in set(gov)})
    return gov, other


def members_of(workspace, household_id):
    with workspace.read() as session:
        return session.execute(select(Person.id.label("person_id"), Person.id_number, Person.name).where(
            Person.household_id == household_id, Person.status == "alive")
            .order_by(Person.relation != "head", Person.id)).all()


def insured_of(workspace, enrollment_id):
    with workspace.read() as session:
        return session.execute(select(InsuredPerson.person_id, InsuredPerson.id_number).where(
            InsuredPerson.enrollment_id == enrollment_id)).all()


@pytest.fixture
def planted(workspace, tmp_path):
    """A demo village, most of it enrolled for 2026, with one of each problem planted."""
    load_demo(workspace, scale="village", seed=3)
    add_division(workspace, code="350421900", name="机关", code_year=2024)
    add_division(workspace, code="350421900001", name="县卫生健康局", code_year=2024)
    gov, other = households_by_category(workspace)
    missed_gov, not_renewed = gov[0], other[0]
    plants = {"missed_gov": missed_gov, "not_renewed": not_renewed}
    # Last year: the household that will not renew (a past season's record, paid).
    last = enroll(workspace, product=PRODUCT, year=2025, household_id=not_renewed, on=D(2025, 3, 1), today=SPRING,
                  consent_by="户主", consent_method="imported_roster", form_values=FORM, pay_fen=10000)
    plants["not_renewed_people"] = {i.person_id for i in last.insured}
    todo = [h for h in gov + other if h not in (missed_gov, not_renewed)]
    bulk = enroll_households_bulk(workspace, product=PRODUCT, year=2026, household_ids=todo, on=SPRING, today=SPRING,
                                  form_values=FORM)
    enrolled = {o.household_id: o.enrollment_id for o in bulk.outcomes if o.enrollment_id}
    assert len(enrolled) > 0.8 * len(todo)
    # 1. The same person enrolled again through the 机关 channel. The service refuses it ...
    dup_household = next(h for h in other if h in enrolled)
    dup_person = insured_of(workspace, enrolled[dup_household])[0]
    with pytest.raises(Exception) as caught:
        enroll(workspace, product=PRODUCT, year=2026, household_id=dup_household, members=[str(dup_person.person_id)],
               unit_code="350421900001", on=SPRING, today=SPRING, consent_by="本人", form_values=FORM | {
                   "employer_unit": "县卫生健康局"})
    assert "already_insured_this_period" in caught.value.params["reason_codes"]
    # ... so plant it as rows merged from the unit's roster (what a sync import of two offices gives).
    _plant_unit_enrollment(workspace, dup_household, dup_person)
    plants["duplicate"] = dup_person.person_id
    # 2. An insured person who died in June.
    dead_household = next(h for h in other[5:] if h in enrolled)
    dead = insured_of(workspace, enrolled[dead_household])[0]
    hh.record_death(workspace, dead.person_id, on=D(2026, 6, 1))
    plants["deceased"] = dead.person_id
    # 3. A government-paid household whose category is corrected to other_fp afterwards.
    gov_paid = next(h for h in gov[1:] if h in enrolled)
    hh.update_household(workspace, gov_paid, categories=["other_fp"])
    plants["government_outside"] = gov_paid
    # 4. The dead person's ID number registered again, alive, in another household.
    other_household = next(h for h in other[10:] if h != dead_household)
    hh.add_person(workspace, other_household, PersonDraft("同号人", dead.id_number, Relation.OTHER))
    plants["two_households"] = dead.id_number
    # 5. An eligible list: a member of the missed household, a stranger, an insured person, a bad number.
    listed = members_of(workspace, missed_gov)[0]
    stranger = make_number("350421", D(1970, 7, 7), 99)
    insured_one = insured_of(workspace, enrolled[gov_paid])[0]
    csv_file = tmp_path / "2026名单.csv"
    csv_file.write_text(f"序号,姓名,身份证号码\n1,{listed.name},{listed.id_number}\n2,外来人,{stranger}\n"
                        f"3,参保人,{insured_one.id_number}\n4,错号,350421198001010018\n", encoding="utf-8-sig")
    imported = import_eligible_list(workspace, csv_file, product=PRODUCT, year=2026)
    assert (imported.added, len(imported.rejected)) == (3, 1) and imported.rejected[0].row == 5
    plants.update(listed=listed.person_id, stranger=stranger)
    return plants


def _plant_unit_enrollment(workspace, household_id, person):
    with workspace.write() as ctx:
        unit = ctx.session.scalar(select(Household.division_id).where(Household.id == household_id))
        enrollment_id = new_id()
        ctx.session.add(Enrollment(
            id=enrollment_id, product_code=PRODUCT, product_version=1, policy_year=2026, household_id=household_id,
            channel="unit", unit_division_id=unit, payer_type="employer", status="registered", premium_fen=10000,
            enrolled_on=SPRING, period_start=D(2026, 3, 2), period_end=D(2027, 3, 1), form_values={},
            consent_by="本人", consent_on=SPRING, consent_method="signed_form", shares=1, revision=1,
            duplicate_rank=1))  # beside the village's own enrollment, as sync keeps a second office's
        ctx.session.flush()
        row_id = new_id()
        ctx.session.add(InsuredPerson(id=row_id, enrollment_id=enrollment_id, person_id=person.person_id,
                                      id_number=person.id_number, product_code=PRODUCT, policy_year=2026, shares=1,
                                      added_on=SPRING, sums_insured=[], revision=1))
        ctx.recorder.record("enrollment", enrollment_id, "insert", {"channel": "unit"}, 1)
        ctx.recorder.record("insured_person", row_id, "insert", {"person_id": person.person_id}, 1)


def test_the_check_finds_every_planted_extra_and_miss(workspace, planted):
    report = run_check(workspace, year=2026, product=PRODUCT, today=D(2026, 11, 22))
    by_code = {}
    for finding in report.findings:
        by_code.setdefault(finding.code, []).append(finding)
    # no one extra: exactly what was planted
    [duplicate] = by_code["duplicate_id_in_year"]
    assert duplicate.person_id == planted["duplicate"] and len(duplicate.enrollment_ids) == 2
    assert "单位" in duplicate.message_zh and "村" in duplicate.message_zh and duplicate.village == "罗翠村"
    assert [f.person_id for f in by_code["insured_deceased"]] == [planted["deceased"]]
    assert "2026-06-01" in by_code["insured_deceased"][0].message_zh
    assert [f.household_id for f in by_code["government_paid_outside_category"]] == [planted["government_outside"]]
    assert [f.details["count"] for f in by_code["person_in_two_households"]] == [2]
    assert "insured_ineligible" not in by_code  # the engine accepted every bulk enrollment
    # no one missed
    assert planted["missed_gov"] in {f.household_id for f in by_code["full_coverage_not_enrolled"]}
    assert [f.person_id for f in by_code["eligible_list_not_enrolled"]] == [planted["listed"]]
    assert [f.id_number for f in by_code["eligible_list_not_registered"]] == [mask(planted["stranger"])]
    assert {f.person_id for f in by_code["not_renewed"]} == planted["not_renewed_people"]
    assert all(f.township == "城关乡" for f in report.findings if f.household_id)
    assert report.extra == 4 and report.insured[PRODUCT] > 100


def test_ineligible_insured_persons_are_found_by_the_engine(workspace, planted):
    # Plant an 80-year-old on a 2026 enrollment (as an old roster merged without checks would).
    with workspace.read() as session:
        enrollment = session.scalars(select(Enrollment).where(Enrollment.policy_year == 2026,
                                                              Enrollment.channel == "village")).first()
    old = make_number("350421", D(1946, 1, 1), 77)
    hh.add_person(workspace, enrollment.household_id, PersonDraft("老寿星", old, Relation.OTHER))
    with workspace.write() as ctx:
        person_id = ctx.session.scalar(select(Person.id).where(Person.id_number == old))
        ctx.session.add(InsuredPerson(id=new_id(), enrollment_id=enrollment.id, person_id=person_id, id_number=old,
                                      product_code=PRODUCT, policy_year=2026, shares=1, added_on=SPRING,
                                      sums_insured=[], revision=1))
    report = run_check(workspace, year=2026, product=PRODUCT, today=D(2026, 11, 22))
    [finding] = [f for f in report.findings if f.code == "insured_ineligible"]
    assert finding.person_id == person_id and finding.details["reasons"] == ["age_above_max"]
    assert "80周岁" in finding.message_zh


def test_cancelled_enrollments_do_not_count_and_renewing_clears_the_not_renewed(workspace, planted):
    report = run_check(workspace, year=2026, today=D(2026, 11, 22))
    assert report.products == [PRODUCT]
    with workspace.read() as session:
        unit_id = session.scalar(select(Enrollment.id).where(Enrollment.channel == "unit"))
    status.cancel(workspace, unit_id, reason="与村里重复", today=D(2026, 11, 22))
    after = run_check(workspace, year=2026, today=D(2026, 11, 22))
    assert "duplicate_id_in_year" not in after.counts()
    assert after.counts()["not_renewed"] == len(planted["not_renewed_people"])


def test_an_xlsx_list_is_read_with_its_header_and_ids_are_normalised(tmp_path):
    from openpyxl import Workbook

    from fpdesk.services.enrollment.eligible_list import read_list_file

    book = Workbook()
    sheet = book.active
    sheet.append(["2026年特扶对象名单"])
    sheet.append(["序号", "姓名", "公民身份号码"])
    sheet.append([1, "张 三", "350421 19800101 001x".replace("001x", make_number("350421", D(1980, 1, 1), 1)[14:])])
    sheet.append([2, "李四", "350421800101001"])  # an old 15-digit number
    path = tmp_path / "list.xlsx"
    book.save(path)
    rows = read_list_file(path)
    assert [(r.row, r.name) for r in rows] == [(3, "张 三"), (4, "李四")]
    from fpdesk.core.idnumber import validate

    assert validate(rows[1].id_number, allow_legacy=True).number == "350421198001010017"
