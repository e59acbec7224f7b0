"""Targets (the S1 annex imported and totalled) and progress against them, on SQLite and PostgreSQL."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from fpdesk.core.errors import DomainError
from fpdesk.services.enrollment import status
from fpdesk.services.reports.target_progress import progress, week_end
from fpdesk.services.reports.targets import import_population, import_targets, list_targets, set_target
from fpdesk.storage.schema import ChangeEntry
from tests.progress_builders import PRODUCT, UNIT, enroll_family, family, open_county

D = dt.date
ANNEX_CSV = Path(__file__).parent.parent / "data" / "targets" / "mingxi_2020_targets.csv"


@pytest.fixture
def county(db_url):
    ws = open_county(db_url)
    yield ws
    ws.close()


def annex_xlsx(path: Path) -> Path:
    """The annex as the county's Word table pasted into Excel: title, two-line headers, column numbers,
    the total first."""
    book = Workbook()
    sheet = book.active
    sheet.append(["明溪县2020年计生家庭意外伤害保险指导性任务表"])
    sheet.append(["乡镇", "指导任务数", "政府投保\n任务数", "自主投保\n任务数"])
    sheet.append([None, 1, 2, 3])
    sheet.append(["合计", 7704, 6604, 1100])
    for name, total, gov, own in (("城关", 475, 375, 100), ("雪峰", 407, 307, 100), ("瀚仙", 605, 455, 150),
                                  ("沙溪", 287, 187, 100), ("夏阳", 654, 504, 150), ("胡坊", 474, 324, 150),
                                  ("盖洋", 973, 823, 150), ("枫溪", 317, 217, 100), ("夏坊", 512, 412, 100),
                                  ("机关", 3000, 3000, 0)):
        sheet.append([name, total, gov, own])
    book.save(path)
    return path


def test_s1_target_table_imported_and_totalled(county):
    result = import_targets(county, ANNEX_CSV, year=2020, product=PRODUCT)
    assert result.as_dict()["ok"] and (result.rows, result.new) == (10, 10)
    # docs/rules.md#employer-channel: 7704 = 6604 + 1100; 机关 sits in the government column but units pay (employer)
    assert result.totals == {"government": 3604, "self": 1100, "employer": 3000, "total": 7704}
    assert result.totals["government"] + result.totals["employer"] == 6604
    rows = {r["division_name"]: r for r in list_targets(county, year=2020, product=PRODUCT)}
    assert rows["城关乡"]["division_code"] == "350421200" and rows["城关乡"]["total"] == 475
    assert rows["机关"] == rows["机关"] | {"division_code": "350421900", "government": 0, "employer": 3000, "total": 3000}
    assert sum(r["total"] for name, r in rows.items() if name != "机关") == 4704  # townships only
    with county.read() as session:
        entries = session.scalars(select(ChangeEntry).where(ChangeEntry.entity == "target")).all()
    assert len(entries) == 10 and all(e.operation == "insert" and e.author == "county-clerk" for e in entries)
    assert {"year", "product_code", "division_code", "government", "self_paid", "employer"} <= set(entries[0].fields)
    # importing again changes nothing; a corrected file updates with old and new values
    assert import_targets(county, ANNEX_CSV, year=2020, product=PRODUCT).unchanged == 10


def test_annex_layout_in_xlsx_gives_the_same_totals(county, tmp_path):
    result = import_targets(county, annex_xlsx(tmp_path / "附件.xlsx"), year=2020, product=PRODUCT)
    assert result.totals == {"government": 3604, "self": 1100, "employer": 3000, "total": 7704}
    set_target(county, year=2020, product=PRODUCT, division_code="350421200", government=400, self_paid=100)
    with county.read() as session:
        update = session.scalars(select(ChangeEntry).where(ChangeEntry.entity == "target",
                                                           ChangeEntry.operation == "update")).one()
    assert update.fields == {"government": 400, "source": "手工录入"} and update.old_values["government"] == 375


def test_a_bad_target_file_is_refused_whole(county, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("乡镇,指导任务数,政府投保任务数,自主投保任务数\n城关,475,375,100\n雪峰,400,307,100\n"
                   "不存在乡,10,10,0\n合计,885,692,200\n", encoding="utf-8")
    result = import_targets(county, bad, year=2020, product=PRODUCT)
    assert not result.as_dict()["ok"]
    assert [(r["row"], r["code"]) for r in result.rejected] == [(3, "target_sum_mismatch"), (4, "unknown_division")]
    assert list_targets(county, year=2020) == []
    with pytest.raises(DomainError) as caught:
        import_targets(county, bad, year=2020, product="no_such_product")
    assert caught.value.code == "unknown_product"


def test_township_names_match_as_rosters_write_them(county, tmp_path):
    # the name forms the roster import uses (core.divisions.name_forms): with or without 乡/镇/街道(办事处)
    from fpdesk.services.workspace import add_division

    add_division(county, code="350421001", name="城南街道", code_year=2024)
    table = tmp_path / "t.csv"
    table.write_text("乡镇,政府投保,自主投保\n城关乡,1,0\n雪峰,2,0\n盖洋 镇,3,0\n城南街道办事处,4,0\n",
                     encoding="utf-8")
    result = import_targets(county, table, year=2026, product=PRODUCT)
    assert result.as_dict()["ok"], result.rejected
    codes = {r["division_code"]: r["total"] for r in list_targets(county, year=2026, product=PRODUCT)}
    assert codes == {"350421200": 1, "350421100": 2, "350421101": 3, "350421001": 4}


def test_progress_week_over_week_with_payers_ranking_and_laggards(county, tmp_path):
    target_file = tmp_path / "t.csv"
    target_file.write_text("乡镇,政府投保,自主投保,单位投保\n城关乡,2,2,0\n雪峰镇,2,2,0\n机关,0,0,2\n", encoding="utf-8")
    import_targets(county, target_file, year=2026, product=PRODUCT)
    week10, week11 = D(2026, 3, 3), D(2026, 3, 10)
    gov1, _ = family(county, "350421200201", ("two_daughters_sterilized",))
    gov2, _ = family(county, "350421200202", ("hardship",))
    own1, _ = family(county, "350421200201")
    own2, _ = family(county, "350421100201")
    unit, _ = family(county, "350421100201", ("unit_employee",), members=1)
    enroll_family(county, gov1, week10)
    enroll_family(county, own1, week10)
    enroll_family(county, own2, week10)
    enroll_family(county, gov2, week11)
    late = enroll_family(county, unit, week11, unit=True)
    refunded = enroll_family(county, family(county, "350421100201")[0], week10)
    status.refund(county, refunded.enrollment_id, reason="家庭不愿参保", on=D(2026, 3, 12), today=D(2026, 3, 12))
    unpaid = enroll_family(county, family(county, "350421100201")[0], week10, pay=False)
    cancelled = enroll_family(county, family(county, "350421100201")[0], week10, pay=False)
    status.cancel(county, cancelled.enrollment_id, reason="家庭不愿参保", on=D(2026, 3, 12), today=D(2026, 3, 12))

    report = progress(county, year=2026, product=PRODUCT, as_of=week_end(2026, 11))
    assert report.previous_as_of == week_end(2026, 10) == D(2026, 3, 8)
    lines = {t.name: t for t in report.townships}
    chengguan, xuefeng, jiguan = lines["城关乡"], lines["雪峰镇"], lines["机关"]
    assert chengguan.enrolled.as_dict() == {"government": 2, "self": 1, "employer": 0, "total": 3}
    assert chengguan.previous.total == 2 and chengguan.change == 1
    assert str(chengguan.completion) == "0.75"
    assert [v.name for v in chengguan.villages] == ["罗翠村", "坪埠村"]
    assert chengguan.villages[0].enrolled.total == 2
    # the refund on 12 March: counted last week (as of 8 March), no longer this week
    assert (xuefeng.previous.total, xuefeng.enrolled.total) == (2, 1)
    # registered, never paid: beside the insured (已登记未缴费), never inside; the one cancelled is gone
    assert xuefeng.unpaid.as_dict() == {"government": 0, "self": 1, "employer": 0, "total": 1}
    assert report.total.unpaid.total == 1 and unpaid.payer == "self"
    assert jiguan.enrolled.employer == 1 and jiguan.previous.total == 0 and late.payer == "employer"
    assert [(t.name, t.rank) for t in sorted(report.townships, key=lambda t: t.rank)] == [
        ("城关乡", 1), ("机关", 2), ("雪峰镇", 3)]
    assert report.total.target.total == 10 and report.total.enrolled.total == 5
    assert [t.name for t in report.laggards] == ["雪峰镇"]
    data = report.as_dict()
    assert data["total"]["completion_pct"] == 50.0 and data["laggards"] == ["雪峰镇"]
    assert UNIT.startswith(jiguan.code)


def test_population_import_for_the_coverage_rate(county, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("区划代码,乡镇,常住人口\n350421,明溪县,102000\n,城关,12000\n", encoding="utf-8")
    result = import_population(county, path, year=2026)
    assert (result.new, result.totals["residents"]) == (2, 114000)
    with county.read() as session:
        assert session.scalars(select(ChangeEntry.entity).where(ChangeEntry.entity == "population")).all() == [
            "population", "population"]


def test_per_person_products_count_insured_persons_with_dated_changes(county, tmp_path):
    from fpdesk.services.enrollment import members as enrollment_members
    from fpdesk.services.enrollment.eligible_list import import_eligible_list

    care = "special_family_hospital_care"
    household, numbers = family(county, "350421200201", ("special_bereaved",), members=2, elderly=True)
    path = tmp_path / "list.csv"
    path.write_text("身份证号码\n" + "\n".join(numbers) + "\n", encoding="utf-8")
    import_eligible_list(county, path, product=care, year=2026)
    result = enroll_family(county, household, D(2026, 1, 5), product=care,
                           form_values={"on_eligible_list": True, "list_year": 2026})
    # ¥300 a person a year, "按实际人数": covered 2026-01-06 … 12-31, 360 of 365 days,
    # 30000 × 360 / 365 = 29589.04 → 29589 fen a person
    assert result.premium_fen == 2 * 29589
    enrollment_members.remove_insured(county, result.enrollment_id, numbers[1], reason="去世",
                                     on=D(2026, 6, 30), today=D(2026, 7, 1))
    set_target(county, year=2026, product=care, division_code="350421200", government=4)
    spring = progress(county, year=2026, product=care, as_of=D(2026, 3, 1))
    summer = progress(county, year=2026, product=care, as_of=D(2026, 7, 5))
    assert (spring.total.enrolled.government, summer.total.enrolled.government) == (2, 1)
    assert str(spring.total.completion) == "0.5"


def test_a_township_office_loads_its_own_rows_of_the_county_table_and_splits_them(workspace):
    result = import_targets(workspace, ANNEX_CSV, year=2020, product=PRODUCT)
    assert result.as_dict()["ok"] and result.rows == 2 and len(result.skipped) == 8
    assert result.totals == {"government": 375, "self": 100, "employer": 3000, "total": 3475}
    set_target(workspace, year=2021, product=PRODUCT, division_code="350421200201", government=30, self_paid=10)
    set_target(workspace, year=2021, product=PRODUCT, division_code="350421200202", government=20, self_paid=5)
    report = progress(workspace, year=2021, product=PRODUCT, as_of=D(2021, 3, 1))
    [township] = report.townships
    assert township.target.total == 65 and [v.target.total for v in township.villages] == [40, 25]


def test_progress_on_the_demo_village_with_planted_enrollments(db_url):
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.services.opening import open_workspace
    from fpdesk.storage.schema import Household
    from fpdesk.storage.schema_enrollment import Enrollment

    ws = open_workspace(db_url)
    load_demo(ws, scale="village", seed=7)
    with ws.read() as session:
        households = list(session.scalars(select(Household.id).order_by(Household.id)))
    form = {"health_declaration": "是", "beneficiary_type": "法定"}
    first = enroll_households_bulk(ws, product=PRODUCT, year=2026, household_ids=households[:60],
                                   on=D(2026, 3, 2), today=D(2026, 3, 2), form_values=form)
    second = enroll_households_bulk(ws, product=PRODUCT, year=2026, household_ids=households[60:100],
                                    on=D(2026, 3, 9), today=D(2026, 3, 9), form_values=form)
    set_target(ws, year=2026, product=PRODUCT, division_code="350421200", government=40, self_paid=80)
    report = progress(ws, year=2026, product=PRODUCT, as_of=week_end(2026, 11))
    with ws.read() as session:
        by_payer = dict(session.execute(select(Enrollment.payer_type, func.sum(Enrollment.shares))
                                        .group_by(Enrollment.payer_type)).all())
    [township] = report.townships
    assert township.name == "城关乡" and [v.name for v in township.villages] == ["罗翠村"]
    # registered, no premium received yet: all of them beside the insured, none inside
    assert township.enrolled.total == 0
    assert township.unpaid.total == first.written + second.written == sum(by_payer.values())
    assert township.unpaid.government == by_payer.get("government", 0)
    # the first week's households paid or allocated on 2026-03-05: insured from then on (week 10
    # and week 11); the second week's stay registered and unpaid
    from fpdesk.services.enrollment.allocations import allocate
    from fpdesk.services.enrollment.status import record_payment

    with ws.read() as session:
        first_week = session.execute(select(Enrollment.id, Enrollment.payer_type, Enrollment.premium_fen).where(
            Enrollment.enrolled_on == D(2026, 3, 2))).all()
    allocate(ws, payer="government", voucher_no="城财2026-3", on=D(2026, 3, 5), today=D(2026, 3, 5),
             enrollment_ids=[r.id for r in first_week if r.payer_type == "government"])
    for row in first_week:
        if row.payer_type == "self":
            record_payment(ws, row.id, amount_fen=row.premium_fen, paid_on=D(2026, 3, 5), today=D(2026, 3, 5))
    report = progress(ws, year=2026, product=PRODUCT, as_of=week_end(2026, 11))
    [township] = report.townships
    assert township.enrolled.total == township.previous.total == first.written
    assert township.unpaid.total == second.written and township.change == 0
    assert township.rank == 1
    ws.close()
