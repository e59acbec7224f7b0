"""Targets set the way county implementation plans set them: households, persons, or a share of the
census households ("参保总户数达60%，力争覆盖率达80%"), on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft, check_members
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.allocations import allocate
from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
from fpdesk.services.registry.register_many import register_households_bulk
from fpdesk.services.reports.target_progress import progress, week_end
from fpdesk.services.reports.targets import (
    import_population,
    import_targets,
    list_targets,
    set_population,
    set_target,
)
from fpdesk.storage.schema import Household
from fpdesk.storage.schema_claims import Population
from fpdesk.storage.schema_enrollment import Enrollment
from tests.progress_builders import PRODUCT, open_county

D = dt.date
FORM = {"health_declaration": "是", "beneficiary_type": "法定"}
CHENGGUAN, LUOCUI, PINGBU = "350421200", "350421200201", "350421200202"
XUEFENG, DONGMEN = "350421100", "350421100201"
ENROLLED_ON, PAID_ON = D(2026, 3, 2), D(2026, 3, 5)  # week 10 of 2026 ends on Sunday 8 March


@pytest.fixture
def county(db_url):
    ws = open_county(db_url)
    yield ws
    ws.close()


def households(ws, village: str, count: int, *, members: int = 1, start: int = 0) -> list:
    """``count`` hardship households (government-paid) of ``members`` persons, registered in bulk."""
    items = []
    for n in range(start, start + count):
        people = [PersonDraft(f"户主{n}", make_number("350421", D(1970, 1, 1) + dt.timedelta(days=n), 11),
                              Relation.HEAD),
                  PersonDraft(f"配偶{n}", make_number("350421", D(1972, 1, 1) + dt.timedelta(days=n), 12),
                              Relation.SPOUSE),
                  PersonDraft(f"子女{n}", make_number("350421", D(2005, 1, 1) + dt.timedelta(days=n), 13),
                              Relation.SON)][:members]
        draft = HouseholdDraft(division_code=village, address=f"{n}号",
                               categories=frozenset({HouseholdCategory.HARDSHIP}))
        items.append((draft, check_members(people, today=D(2026, 1, 1))))
    register_households_bulk(ws, items)
    with ws.read() as session:
        return list(session.scalars(select(Household.id).where(Household.address.in_(
            [f"{n}号" for n in range(start, start + count)])).order_by(Household.address)))


def enrol(ws, household_ids, *, pay: bool = True) -> None:
    enroll_households_bulk(ws, product=PRODUCT, year=2026, household_ids=household_ids, on=ENROLLED_ON,
                           today=ENROLLED_ON, form_values=dict(FORM))
    if pay:
        with ws.read() as session:
            ids = list(session.scalars(select(Enrollment.id).where(Enrollment.household_id.in_(household_ids))))
        allocate(ws, payer="government", voucher_no=f"城财{len(ids)}-{ids[0]}"[:30], on=PAID_ON, today=PAID_ON,
                 enrollment_ids=ids)


def test_a_share_of_the_census_households_a_households_and_a_persons_target(county):
    """城关乡 has 1,000 census households and the target "参保总户数达60%，力争80%": 600 households, 800
    at the stretch. 432 households of 罗翠村 and 3 of 坪埠村 are insured (premium allocated), a fourth of
    坪埠村 is registered but unpaid and does not count: 435 households → rate 435 / 1,000 = 43.5 %,
    completion 43.5 / 60 = 72.5 % (435 / 600), of the stretch 435 / 800 = 54.375 → 54.4 %.
    坪埠村 itself has a target of 4 households: 3 / 4 = 75 %.
    雪峰镇's target is 10 persons; 2 households of 3 persons are insured: 6 / 10 = 60 %.
    The county total mixes a rate and a persons target: no common unit, so its completion is the
    mean of the townships' own, (72.5 + 60) / 2 = 66.25 %, and 雪峰镇 (60 %) is the laggard."""
    set_population(county, division_code=CHENGGUAN, year=2026, residents=3100, households=1000)
    set_target(county, year=2026, product=PRODUCT, division_code=CHENGGUAN, measure="household_rate",
               rate_bp=6000, stretch_bp=8000)
    set_target(county, year=2026, product=PRODUCT, division_code=PINGBU, measure="households", quantity=4)
    set_target(county, year=2026, product=PRODUCT, division_code=XUEFENG, measure="persons", quantity=10)
    enrol(county, households(county, LUOCUI, 432))
    pingbu = households(county, PINGBU, 4, start=1000)
    enrol(county, pingbu[:3])
    enrol(county, pingbu[3:], pay=False)
    enrol(county, households(county, DONGMEN, 2, members=3, start=2000))

    report = progress(county, year=2026, product=PRODUCT, as_of=week_end(2026, 10))
    lines = {t.code: t for t in report.townships}
    chengguan, xuefeng = lines[CHENGGUAN], lines[XUEFENG]
    assert chengguan.households == 435 and chengguan.enrolled.total == 435  # one share each
    assert str(chengguan.achieved_rate) == "0.435" and str(chengguan.completion) == "0.725"
    assert chengguan.target_value == 600
    assert chengguan.target_text() == "参保率 43.5%，目标 60%，力争 80%"
    assert chengguan.target_text(english=True) == "household rate 43.5%, target 60%, stretch 80%"
    data = chengguan.as_dict()
    assert data | {"measure": "household_rate", "unit": "households", "target_value": 600, "achieved": 435,
                   "previous_achieved": 0, "achieved_change": 435, "census_base": 1000,
                   "achieved_rate_pct": 43.5, "target_rate_pct": 60.0, "stretch_rate_pct": 80.0,
                   "completion_pct": 72.5, "stretch_completion_pct": 54.4} == data
    pingbu_line = {v.code: v for v in chengguan.villages}[PINGBU]
    assert (pingbu_line.achieved_at(), pingbu_line.target_value, str(pingbu_line.completion)) == (3, 4, "0.75")
    assert pingbu_line.target_text() == "4户"
    assert (xuefeng.persons, xuefeng.target_value, str(xuefeng.completion)) == (6, 10, "0.6")
    assert xuefeng.target_text() == "10人" and xuefeng.as_dict()["unit"] == "persons"
    assert report.total.measure == "mixed" and str(report.total.completion) == "0.6625"
    assert [t.name for t in report.laggards] == ["雪峰镇"]
    assert sorted((t.rank, t.name) for t in report.townships if t.rank) == [(1, "城关乡"), (2, "雪峰镇")]


def test_shares_targets_count_as_before(county):
    """A shares target beside a households target of another township: 胡坊镇 has no enrollment, so
    0 of 50 shares; the JSON of a shares line says so in the old keys and in the new ones alike."""
    set_target(county, year=2026, product=PRODUCT, division_code="350421102", government=40, self_paid=10)
    report = progress(county, year=2026, product=PRODUCT, as_of=week_end(2026, 10))
    [line] = report.townships
    assert (line.measure, line.target_value, line.target_text()) == ("shares", 50, "50份")
    assert line.as_dict()["target"]["total"] == 50 and line.as_dict()["completion_pct"] == 0.0
    assert report.total.measure == "shares" and report.total.target.total == 50


def test_a_rate_target_needs_the_census_base_and_sane_rates(county):
    with pytest.raises(DomainError) as error:
        set_target(county, year=2026, product=PRODUCT, division_code=CHENGGUAN, measure="household_rate",
                   rate_bp=6000)
    assert error.value.code == "target_census_missing" and "普查户数" in error.value.message("zh")
    set_population(county, division_code=CHENGGUAN, year=2026, residents=3100, households=1000)
    for rate, stretch, code in ((12000, None, "target_rate_over_100"), (6000, 5000, "target_stretch_below")):
        with pytest.raises(DomainError) as error:
            set_target(county, year=2026, product=PRODUCT, division_code=CHENGGUAN, measure="household_rate",
                       rate_bp=rate, stretch_bp=stretch)
        assert error.value.code == code
    with pytest.raises(DomainError) as error:
        set_target(county, year=2026, product=PRODUCT, division_code=CHENGGUAN, government=5, stretch_bp=8000)
    assert error.value.code == "target_stretch_alone"


def test_a_target_file_of_mixed_forms(county, tmp_path):
    """One file, four forms: 城关 60 % of its 1,000 census households (stretch 80 %, written "80%"),
    雪峰 "0.55" of its 800 (55 %), 胡坊 300 households, 瀚仙 900 persons, 沙溪 120 shares (100 + 20).
    Totals: 120 shares, 300 households, 900 persons, 2 rate targets."""
    population = tmp_path / "人口.csv"
    population.write_text("乡镇,常住人口,总户数\n城关,3100,1000\n雪峰,2500,800\n", encoding="utf-8")
    assert import_population(county, population, year=2026).totals == {"residents": 5600, "households": 1800}
    plan = tmp_path / "实施方案任务.csv"
    plan.write_text("乡镇,政府投保,自主投保,目标户数,目标人数,户数覆盖率（%）,力争覆盖率\n"
                    "城关,,,,,60,80%\n雪峰,,,,,0.55,\n胡坊,,,300,,,\n瀚仙,,,,900,,\n沙溪,100,20,,,,\n",
                    encoding="utf-8")
    result = import_targets(county, plan, year=2026, product=PRODUCT)
    assert result.as_dict()["ok"], result.rejected
    assert result.totals == {"government": 100, "self": 20, "employer": 0, "total": 120, "households": 300,
                             "persons": 900, "rate_targets": 2}
    rows = {r["division_name"]: r for r in list_targets(county, year=2026, product=PRODUCT)}
    assert {name: r["text"] for name, r in rows.items()} == {
        "城关乡": "参保率 60%（力争 80%）", "雪峰镇": "参保率 55%", "胡坊镇": "300户", "瀚仙镇": "900人",
        "沙溪乡": "120份"}
    assert (rows["城关乡"]["measure"], rows["城关乡"]["rate_pct"], rows["城关乡"]["stretch_pct"]) == \
        ("household_rate", 60.0, 80.0)
    with county.read() as session:
        assert session.scalar(select(Population.households).where(Population.division_code == CHENGGUAN)) == 1000


def test_bad_values_in_a_target_file_are_said_with_their_codes(county, tmp_path):
    """Row by row: a rate over 100, a rate that is not a number, a stretch below the target, two forms
    in one row. The missing census base is one problem of the whole file, said once for both rows."""
    bad = tmp_path / "bad.csv"
    bad.write_text("乡镇,目标户数,户数覆盖率%,力争覆盖率\n城关,,120%,\n雪峰,,六成,\n胡坊,,60,50\n"
                   "瀚仙,300,60,\n", encoding="utf-8")
    result = import_targets(county, bad, year=2026, product=PRODUCT)
    assert [(r["row"], r["code"]) for r in result.rejected] == [
        (2, "target_rate_over_100"), (3, "target_rate_bad"), (4, "target_stretch_below"),
        (5, "target_forms_conflict")]
    assert "不能超过100%" in result.rejected[0]["message"] and "目标户数、户数覆盖率" in result.rejected[3]["message"]
    unbased = tmp_path / "unbased.csv"
    unbased.write_text("乡镇,参保率,力争覆盖率\n城关,60%,80%\n雪峰,60%,\n胡坊,60%,\n", encoding="utf-8")
    set_population(county, division_code="350421102", year=2026, residents=2000, households=700)
    result = import_targets(county, unbased, year=2026, product=PRODUCT)
    [problem] = result.rejected
    assert problem["row"] is None and problem["code"] == "target_census_missing"
    assert problem["message"].startswith("2个区划没有2026年的普查户数：城关乡、雪峰镇。")
    assert list_targets(county, year=2026, product=PRODUCT) == []


def test_rate_targets_of_two_products_overlap_when_all_products_are_counted(county):
    """城关乡 (1,000 census households) has 60 % for one product and 50 % for another; 2 households are
    insured under the first. Each product alone: 2 / 600 and 0 / 500. All products together: a
    household insured under both would count once, so the targets overlap — the larger, 600, stands:
    2 / 600 = 0.3 %, not 2 / 1,100."""
    set_population(county, division_code=CHENGGUAN, year=2026, residents=3100, households=1000)
    set_target(county, year=2026, product=PRODUCT, division_code=CHENGGUAN, measure="household_rate", rate_bp=6000)
    set_target(county, year=2026, product="only_child_safety", division_code=CHENGGUAN, measure="household_rate",
               rate_bp=5000)
    enrol(county, households(county, LUOCUI, 2))
    alone = progress(county, year=2026, product="only_child_safety", as_of=week_end(2026, 10)).townships[0]
    assert (alone.target_value, alone.households) == (500, 0)
    [together] = progress(county, year=2026, as_of=week_end(2026, 10)).townships
    assert (together.target_value, together.households, together.target_text()) == (
        600, 2, "参保率 0.2%，目标 60%")


def test_a_plan_table_that_lists_the_census_households_beside_the_rate(county, tmp_path):
    """The plan's table itself gives each township's 总户数: no population import is needed first, and
    the census households it gives are kept (城关 1,000 → 600 at 60 %; 雪峰 800 → 440 at 55 %)."""
    plan = tmp_path / "方案.csv"
    plan.write_text("乡镇,总户数,户数覆盖率（%）,力争覆盖率\n城关,\"1,000\",60%,80%\n雪峰,800,55,\n", encoding="utf-8")
    result = import_targets(county, plan, year=2026, product=PRODUCT)
    assert result.as_dict()["ok"], result.rejected
    with county.read() as session:
        assert dict(session.execute(select(Population.division_code, Population.households)).all()) == {
            CHENGGUAN: 1000, XUEFENG: 800}
    report = progress(county, year=2026, product=PRODUCT, as_of=week_end(2026, 10))
    assert [(t.code, t.target_value) for t in report.townships] == [(XUEFENG, 440), (CHENGGUAN, 600)]
    plan.write_text("乡镇,总户数,户数覆盖率（%）\n城关,一千,60%\n", encoding="utf-8")
    assert [r["code"] for r in import_targets(county, plan, year=2026, product=PRODUCT).rejected] == [
        "target_count_bad"]


def test_a_workbook_with_percent_formatted_cells(county, tmp_path):
    """Excel keeps a cell shown as 60% as 0.6, and a number typed as text as text: both read as 60 %;
    the stretch typed "80%" is 80 %, 300 written "300" is 300 households."""
    from openpyxl import Workbook

    set_population(county, division_code=CHENGGUAN, year=2026, residents=3100, households=1000)
    book = Workbook()
    sheet = book.active
    sheet.append(["明溪县2026年计生家庭保险参保任务"])
    sheet.append(["乡镇", "目标户数", "参保率（%）", "力争覆盖率"])
    sheet.append(["城关乡", None, 0.6, "80%"])
    sheet["C3"].number_format = "0%"
    sheet.append(["雪峰镇", "300", None, None])
    book.save(tmp_path / "任务.xlsx")
    result = import_targets(county, tmp_path / "任务.xlsx", year=2026, product=PRODUCT)
    assert result.as_dict()["ok"], result.rejected
    assert [(r["division_name"], r["text"]) for r in list_targets(county, year=2026, product=PRODUCT)] == [
        ("雪峰镇", "300户"), ("城关乡", "参保率 60%（力争 80%）")]
