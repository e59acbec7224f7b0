"""The rosters townships already keep, taken in in one pass (real files built here with openpyxl).

A county imports its division list and passes it down by packages; a township that joined by
invitation imports a roster of the common layout (子女, title rows, numbers as text, a column nobody
planned for, footer rows, no form columns) after answering the missing form question once;
grandparents past the product's ages are registered and listed as not insured; errors in several
rows of one household are all said in the same dry run; an identical line is merged with a note; a
village the township does not know is said with the nearest names and can be added; a closed
enrollment window is said once; the 机关 units enroll through the unit channel and count against
the 机关 target row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook
from roster_builders import (
    ACCIDENT_NAME,
    COMMON_HEADER,
    Families,
    common_rows,
    write_common_roster,
    write_division_list,
)
from sqlalchemy import func, select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.services.registry.divisions import add_division, import_divisions, list_divisions
from fpdesk.services.rosters.importing import import_roster
from fpdesk.services.sync.conflicts import list_conflicts
from fpdesk.storage.schema import Division, Household, Person
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

D = dt.date
TODAY = D(2026, 3, 10)  # the 2026 season is open (1 January to 30 April)
HEALTH = {"被保险人身体健康": "是"}
VILLAGES = ("罗翠村", "城东村", "坪埠村", "旦上村", "下坊村")


def counts(ws):
    with ws.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in
                     (Household, Person, Enrollment, InsuredPerson))


@pytest.fixture
def township(offices, tmp_path):
    """A county with the statistics bureau's list, and 城关乡 joined by invitation, the list passed down."""
    county = offices.county()
    import_divisions(county, write_division_list(tmp_path / "区划.xlsx"))
    joined = offices.pair(county, "350421200", "township", "城关乡卫生计生办")
    return joined


def roster(tmp_path, families, name="花名册.xlsx", **kwargs):
    return write_common_roster(tmp_path / name, common_rows(families, **kwargs))


def run(ws, path, **kwargs):
    return import_roster(ws, path, year=2026, today=TODAY, **kwargs)


def test_the_common_layout_in_one_dry_run_and_one_import_after_one_answer(township, tmp_path):
    made = Families(seed=3)
    families = [made.family(VILLAGES[i % 5], grandparent=i % 4 == 0,
                            category="其他计生家庭" if i % 3 == 0 else "二女结扎户") for i in range(24)]
    families.append(three_generations(made))
    path = roster(tmp_path, families)
    people = sum(len(f) for f in families)
    grandparents = sum(1 for f in families for m in f if m["relation"] == "母亲")

    unanswered = run(township, path, dry_run=True)
    # the form's two questions are not 2 × N row errors: 身故受益人 left out is 法定, and the health
    # declaration is one question for the whole file, naming the --set that answers it
    assert unanswered.rejected == [] and [i.code for i in unanswered.file_issues] == ["form_columns_missing"]
    message = unanswered.file_issues[0].message
    assert "被保险人身体健康" in message and "--set 被保险人身体健康=是" in message and "身故受益人" not in message
    assert unanswered.new == people and unanswered.enrollments_new == 0  # registered, enrollment waits

    dry = run(township, path, dry_run=True, answers=HEALTH)
    assert (dry.rows, dry.new, dry.rejected, dry.file_issues) == (people, people, [], [])
    assert dry.enrollments_new == len(families) and len(dry.not_insured) == grandparents
    assert {n.code for n in dry.not_insured} == {"age_above_max"}
    assert counts(township) == (0, 0, 0, 0)

    done = run(township, path, answers=HEALTH)
    assert (done.new, done.enrollments_new, done.rejected) == (people, len(families), [])
    assert counts(township) == (len(families), people, len(families), people - grandparents)
    with township.read() as session:
        relations = dict(session.execute(select(Person.id_number, Person.relation)).all())
        forms = session.scalars(select(Enrollment.form_values)).all()
    for family in families:
        for member in family[2:]:
            if member["relation"] == "子女":  # a word for both sexes, resolved by the ID number
                assert relations[member["number"]] == ("son" if member["male"] else "daughter")
    assert {(f["health_declaration"], f["beneficiary_type"]) for f in forms} == {(True, "statutory")}
    elder = families[-1]
    assert [relations[m["number"]] for m in elder] == ["head", "son", "daughter_in_law", "granddaughter", "grandson"]
    again = run(township, path, answers=HEALTH)  # nothing is asked or done twice
    assert (again.new, again.unchanged, again.enrollments_new, again.file_issues) == (0, people, 0, [])
    # a village without an office of its own is printed and exported by its township
    from fpdesk.cli.main import main
    from tests.printing.pdf_checks import pdf_text

    pdf, sheet = tmp_path / "坪埠村.pdf", tmp_path / "坪埠村.xlsx"
    db = str(township.db.file_path)
    assert main(["print", "roster", "--year", "2026", "--scope", "350421200203", "--out", str(pdf), "--db", db]) == 0
    assert "坪埠村委会" in pdf_text(pdf)
    assert main(["roster", "export", "--year", "2026", "--for", "insurer", "--scope", "350421200203",
                 "--out", str(sheet), "--db", db]) == 0
    assert load_workbook(sheet).active.max_row > 5


def three_generations(made: Families) -> list[dict]:
    """A grandmother heads it: her son (子女), his wife (儿媳) and their children (孙子女, by sex)."""
    family = made.family("坪埠村", children=0)
    head, _wife = family
    head.update(male=False, birth=D(1963, 5, 1), number=made.number(D(1963, 5, 1), False))
    son = {**head, "name": head["name"][0] + "建国", "male": True, "birth": D(1988, 2, 2),
           "number": made.number(D(1988, 2, 2), True), "relation": "子女"}
    wife = {**head, "name": "吴丽", "male": False, "birth": D(1990, 7, 7), "number": made.number(D(1990, 7, 7), False),
            "relation": "儿媳"}
    girl = {**head, "name": head["name"][0] + "小雨", "male": False, "birth": D(2015, 3, 3),
            "number": made.number(D(2015, 3, 3), False), "relation": "孙子女"}
    boy = {**girl, "name": head["name"][0] + "小龙", "male": True, "birth": D(2018, 8, 8),
           "number": made.number(D(2018, 8, 8), True)}
    members = [head, son, wife, girl, boy]
    for member in members:
        member["head"] = head
    return members


def test_an_over_age_grandparent_is_registered_and_the_others_insured(workspace, tmp_path):
    made = Families(seed=5)
    family = made.family("罗翠村", grandparent=True, children=1)
    result = run(workspace, roster(tmp_path, [family]), answers=HEALTH)
    assert result.rejected == [] and result.enrollments_new == 1
    [left_out] = result.not_insured
    grandmother = family[-1]
    assert left_out.row == 4 + len(family) - 1 and left_out.code == "age_above_max"
    assert grandmother["name"] in left_out.message and "新参保最高65周岁" in left_out.message
    with workspace.read() as session:
        insured = set(session.scalars(select(InsuredPerson.id_number)))
        registered = set(session.scalars(select(Person.id_number)))
    assert registered == {m["number"] for m in family}
    assert insured == {m["number"] for m in family[:-1]}


def test_errors_in_several_rows_of_one_household_are_all_said_in_one_dry_run(workspace, tmp_path):
    made = Families(seed=9)
    other = made.family("城东村", children=1)
    run(workspace, roster(tmp_path, [other], name="已登记.xlsx"), answers=HEALTH)  # 城东村 family registered
    family, good = made.family("罗翠村", children=2), made.family("罗翠村", children=1)
    rows = common_rows([family, good])
    rows[1][6] = rows[1][6][:-1]  # the wife's ID number lost a digit
    rows[2][10] = "12345"  # a child's phone is no phone
    neighbour = other[0]  # the other child typed as a neighbour registered in 城东村
    rows[3][5:9] = [neighbour["name"], neighbour["number"], "男", neighbour["birth"].isoformat()]
    result = run(workspace, write_common_roster(tmp_path / "名册.xlsx", rows), dry_run=True, answers=HEALTH)
    by_row = {}
    for issue in result.rejected:
        by_row.setdefault(issue.row, []).append(issue.code)
    # every row's own problem in one pass, the rows of the held-back household included
    assert by_row == {4: ["household_held_back"], 5: ["id_format"], 6: ["bad_phone"],
                      7: ["person_in_other_household"]}
    assert "5、6、7" in next(i.message for i in result.rejected if i.row == 4)
    assert (result.new, result.enrollments_new) == (len(good), 1)  # the other household goes in


def test_an_identical_line_is_merged_with_a_note_and_a_changed_one_is_refused(workspace, tmp_path):
    made = Families(seed=11)
    family = made.family("罗翠村", children=1)
    rows = common_rows([family])
    rows.append([len(rows) + 1, *rows[2][1:]])  # the child's line pasted again under a new 序号
    rows.append([len(rows) + 1, *rows[1][1:5], "别名", *rows[1][6:]])  # the wife again, another name
    result = run(workspace, write_common_roster(tmp_path / "名册.xlsx", rows), dry_run=True, answers=HEALTH)
    assert [(n.row, n.code) for n in result.notes] == [(7, "duplicate_line_merged")]
    assert "第6行" in result.notes[0].message
    assert [(i.row, i.code) for i in result.rejected if i.row == 8] == [(8, "id_duplicate_in_file")]


def test_a_village_not_yet_known_is_said_with_the_nearest_and_can_be_added(township, tmp_path):
    made = Families(seed=13)
    families = [made.family("罗萃村", children=1), made.family("新建村", children=1)]
    result = run(township, roster(tmp_path, families), dry_run=True, answers=HEALTH)
    messages = {i.row: i.message for i in result.rejected if i.code == "unknown_division"}
    assert "相近的有：罗翠村委会" in messages[4]  # a typo: the township's own village is offered
    assert set(result.unknown_divisions) == {("城关乡", "罗萃村"), ("城关乡", "新建村")}
    added = add_division(township, name="新建村", under="350421200")
    assert added.code == "350421200599" and added.parent_code == "350421200"
    result = run(township, roster(tmp_path, families, name="b.xlsx"), dry_run=True, answers=HEALTH)
    assert set(result.unknown_divisions) == {("城关乡", "罗萃村")}
    with pytest.raises(DomainError) as caught:  # another township's village is the county's to add
        add_division(township, name="外村", under="350421101")
    assert caught.value.code == "division_not_under_office"


def test_a_late_roster_is_said_once_for_the_file(workspace, tmp_path):
    """S1's 「每年4月30日前完成」 is a campaign deadline (late: warn): a roster entered on 1 June enrolls,
    and the lateness is said once for the file, not once per household."""
    made = Families(seed=17)
    families = [made.family(VILLAGES[i % 2]) for i in range(12)]
    path = roster(tmp_path, families)
    result = import_roster(workspace, path, year=2026, today=D(2026, 6, 1), answers=HEALTH)
    assert result.rejected == [] and result.not_insured == [] and result.file_issues == []
    [late] = [note for note in result.notes if note.code == "enrollment_late"]
    assert "本文件12户" in late.message and "逾期登记" in late.message and "2027-01-01" in late.message
    assert counts(workspace)[:3] == (12, sum(len(f) for f in families), 12)  # registered and enrolled


def test_the_rejected_copy_keeps_whole_numbers_and_cells_read_as_typed(workspace, tmp_path):
    made = Families(seed=19)
    family = made.family("罗翠村", children=1)
    rows = common_rows([family])
    rows[1][6] = "35042119800101001"  # a lost digit
    rows[0][13] = "１"  # 份数 typed with a Chinese input method
    report = tmp_path / "需改正.xlsx"
    result = run(workspace, write_common_roster(tmp_path / "名册.xlsx", rows), answers=HEALTH, report=report)
    assert {i.code for i in result.rejected} == {"id_format", "household_held_back"}
    sheet = load_workbook(report).active
    assert [sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1)] == [1, 2, 3]  # 序号 1, not 1.0


def test_integer_form_fields_take_what_spreadsheets_hold(workspace, tmp_path):
    from fpdesk.core.enrollment_forms import check_value
    from fpdesk.services.enrollment.product_catalog import shipped_catalog

    form = shipped_catalog().forms["special_family_assistance_list"]
    item = form.field("list_year")
    assert [check_value(item, v) for v in (2022.0, "2022.0", "２０２２", " 2022 ")] == [2022] * 4
    with pytest.raises(DomainError):
        check_value(item, "2022.5")


def test_relations_as_rosters_and_the_national_standard_write_them():
    from fpdesk.core.relations import relation_from_text
    from fpdesk.core.vocabulary import Relation as R

    cases = [("子女", "male", R.SON), ("子女", "female", R.DAUGHTER), ("孙子女", "female", R.GRANDDAUGHTER),
             ("外孙子女", "male", R.GRANDSON), ("父母", "female", R.MOTHER), ("公婆", "male", R.FATHER_IN_LAW),
             ("岳父母", "female", R.MOTHER_IN_LAW), ("兄弟姐妹", "female", R.SISTER), ("儿媳", None, R.DAUGHTER_IN_LAW),
             ("女婿", None, R.SON_IN_LAW), ("儿子", None, R.SON), ("其他", None, R.OTHER), ("02", None, R.HEAD),
             ("20", None, R.SON), ("3", None, R.DAUGHTER), ("61", None, R.GRANDFATHER), ("99", None, R.OTHER),
             ("长女", None, R.DAUGHTER), ("之子", None, R.SON)]
    assert [(text, relation_from_text(text, sex)) for text, sex, _ in cases] == [(t, r) for t, _, r in cases]
    with pytest.raises(ValueError):
        relation_from_text("子女", None)  # both sexes, and nothing says which


def test_the_division_list_travels_down_to_a_township_and_a_village(offices, tmp_path):
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡卫生计生办")
    village = offices.pair(township, "350421200201", "village", "罗翠村计生协")
    assert [d.name for d in list_divisions(township, under="350421200")] == ["城关乡", "罗翠村"]  # never 城关乡卫生
    result = import_divisions(county, write_division_list(tmp_path / "区划.xlsx"))
    assert (result.new, result.unchanged, result.rejected) == (11, 2, [])  # 明溪县 and 城关乡 were there
    offices.send(county, township)
    offices.send(township, village)
    for office in (township, village):
        listed = {d.code: d for d in list_divisions(office)}
        assert listed["350421200203"].name == "坪埠村委会" and listed["350421900001"].name == "县教育局"
        # the township made 罗翠村 when it invited the village; the county's list names it, no conflict
        assert listed["350421200201"].name == "罗翠村委会" and listed["350421200201"].office
        assert list_conflicts(office) == []
    # a township's own village travels up; the county's later list of the same code meets it as one record
    added = add_division(township, name="新村", under="350421200", code="350421200206")
    offices.send(township, county)
    with county.read() as session:
        ids = session.execute(select(Division.id).where(Division.code == "350421200206")).scalars().all()
    assert ids == [added_id(township, added.code)]


def added_id(ws, code):
    with ws.read() as session:
        return session.scalar(select(Division.id).where(Division.code == code))


def test_units_enroll_through_the_unit_channel_and_count_against_the_agency_target(offices, tmp_path):
    from fpdesk.services.reports.target_progress import progress
    from fpdesk.services.reports.targets import import_targets

    county = offices.county()
    import_divisions(county, write_division_list(tmp_path / "区划.xlsx"))
    annex = tmp_path / "任务.xlsx"
    book = Workbook()
    sheet = book.active
    for row in (["乡镇", "指导任务数", "政府投保任务数", "自主投保任务数"], ["城关", 475, 375, 100], ["机关", 3000, 3000, 0]):
        sheet.append(row)
    book.save(annex)
    assert import_targets(county, annex, year=2026, product="fp_family_accident_100").rejected == []
    made = Families(seed=23)
    staff = [made.family(unit, children=1, category="在岗干部职工") for unit in ("县教育局", "县卫健局", "县教育局")]
    rows = common_rows(staff, township="机关")
    header = [*COMMON_HEADER[:2], "村/单位", *COMMON_HEADER[3:]]
    for row in rows:
        row[14] = "单位" if row[14] else None
    result = import_roster(county, write_common_roster(tmp_path / "单位.xlsx", rows, header=header), year=2026,
                           today=TODAY, answers=HEALTH)
    assert (result.rejected, result.file_issues, result.enrollments_new) == ([], [], 3)
    with county.read() as session:
        enrollments = session.execute(select(Enrollment.channel, Enrollment.payer_type, Enrollment.form_values)).all()
    assert {(c, p) for c, p, _ in enrollments} == {("unit", "employer")}
    assert sorted(f["employer_unit"] for _, _, f in enrollments) == ["县卫健局", "县教育局", "县教育局"]
    report = progress(county, year=2026, product="fp_family_accident_100", as_of=TODAY)
    agency = next(t for t in report.townships if t.code == "350421900")
    # registered, the units' money not yet in: counted beside the insured, never inside
    assert (agency.target.total, agency.enrolled.total, agency.unpaid.total) == (3000, 0, 3)
    from fpdesk.services.enrollment.allocations import allocate

    allocate(county, payer="employer", voucher_no="县直单位2026-1", on=TODAY, today=TODAY,
             product="fp_family_accident_100", year=2026)
    report = progress(county, year=2026, product="fp_family_accident_100", as_of=TODAY)
    agency = next(t for t in report.townships if t.code == "350421900")
    assert (agency.target.total, agency.enrolled.total, agency.enrolled.employer) == (3000, 3, 3)


def test_a_township_imports_its_own_villages_and_skips_the_rest(township, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["代码", "名称", "类别"])
    for row in (("350421200207", "上坪村", "村"), ("350421101202", "雪峰外村", "村"), (None, "县外单位", "单位"),
                ("350421200208", "  高 地 村 ", "村"), ("350421200209", None, "村"), ("35042120020X", "坏村", "村")):
        sheet.append(list(row))
    path = tmp_path / "本乡镇.xlsx"
    book.save(path)
    result = import_divisions(township, path)
    assert (result.new, result.skipped) == (2, 2)
    assert [r["code"] for r in result.rejected] == ["missing_field", "division_code_format"]
    assert {d.name for d in list_divisions(township, under="350421200")} >= {"上坪村", "高地村"}


def test_a_roster_with_a_product_nobody_knows_says_it_once(workspace, tmp_path):
    made = Families(seed=29)
    families = [made.family("罗翠村") for _ in range(5)]
    result = run(workspace, roster(tmp_path, families, product="火星保险"), answers=HEALTH)
    assert result.rejected == [] and [i.code for i in result.file_issues] == ["unknown_product"]
    assert "火星保险" in result.file_issues[0].message and result.new == sum(len(f) for f in families)
    assert result.enrollments_new == 0


def test_an_answer_that_is_no_value_refuses_the_file(workspace, tmp_path):
    path = roster(tmp_path, [Families(seed=31).family("罗翠村")])
    with pytest.raises(DomainError) as caught:
        run(workspace, path, answers={"被保险人身体健康": "也许"})
    assert caught.value.code == "form_value_invalid"
    with pytest.raises(DomainError) as caught:
        run(workspace, path, answers={"鞋码": "42"})
    assert caught.value.code == "roster_unknown_answer" and "被保险人身体健康" in caught.value.message_zh
    assert counts(workspace) == (0, 0, 0, 0)


def test_a_household_whose_payer_is_wrong_is_registered_and_its_enrollment_waits(workspace, tmp_path):
    made = Families(seed=37)
    family = made.family("罗翠村", category="其他计生家庭", children=1)
    rows = common_rows([family])
    rows[0][14] = "政府"  # a self-paying category typed as government-paid
    result = run(workspace, write_common_roster(tmp_path / "名册.xlsx", rows), answers=HEALTH)
    assert [(i.row, i.code, i.column) for i in result.rejected] == [
        (4, "enrollment_refused", "缴费方式"), (5, "enrollment_held_back", "姓名"), (6, "enrollment_held_back", "姓名")]
    assert counts(workspace) == (1, 3, 0, 0)
    rows[0][14] = "自费"
    fixed = run(workspace, write_common_roster(tmp_path / "改正.xlsx", rows), answers=HEALTH)
    assert fixed.rejected == [] and counts(workspace) == (1, 3, 1, 3)


def test_a_new_born_without_a_number_and_子女_is_asked_its_sex(workspace, tmp_path):
    made = Families(seed=41)
    family = made.family("罗翠村", children=1)
    rows = common_rows([family])
    rows.append([4, "城关乡", "罗翠村", family[0]["name"], family[0]["number"], "小宝", None, None, "2025-12-01", "子女",
                 None, None, ACCIDENT_NAME, None, None, None])
    result = run(workspace, write_common_roster(tmp_path / "名册.xlsx", rows), dry_run=True, answers=HEALTH)
    assert [(i.row, i.code, i.column) for i in result.rejected if i.row == 7] == [(7, "missing_field", "性别")]


def test_a_division_list_without_a_header_is_refused(workspace, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        import_divisions(workspace, path)
    assert caught.value.code == "divisions_no_header"


def test_numbers_typed_as_text_in_an_integer_column(workspace, tmp_path):
    """名单年度 as a number cell (2022.0 to the reader) and with full-width digits."""
    from fpdesk.services.rosters.importing import import_roster as importer

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号码", "村", "特扶对象", "名单年度"])
    sheet.append(["甲", make_number("350421", D(1960, 1, 1), 11), "罗翠村", "是", 2022])
    sheet.append(["乙", make_number("350421", D(1961, 1, 1), 13), "罗翠村", "是", "２０２２"])
    path = tmp_path / "特扶.xlsx"
    book.save(path)
    result = importer(workspace, path, year=2026, today=TODAY, product="special_family_hospital_care", dry_run=True)
    assert not [i for i in result.rejected if "名单年度" in i.column]


def test_the_template_asks_every_form_question_per_row_product_and_the_unit(township, tmp_path):
    from fpdesk.services.enrollment.product_catalog import shipped_catalog
    from fpdesk.services.rosters.export import write_import_template

    path = write_import_template(township, product="fp_family_accident_100", out=tmp_path / "模板.xlsx")
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[3]]
    form = shipped_catalog().forms["family_accident"]
    assert {f.roster_columns[0] for f in form.fields} <= set(header)  # the unit channel's 投保单位 too
    assert {"险种", "投保单位", "村（社区）"} <= set(header) and header.index("投保单位") == header.index("村（社区）") + 1
    lists = {next(iter(v.sqref.ranges)).min_col: v.formula1 for v in sheet.data_validations.dataValidation}
    assert ACCIDENT_NAME in lists[header.index("险种") + 1] and "子女" in lists[header.index("与户主关系") + 1]
    assert "“受益人”不填即为法定" in sheet["A2"].value
    made = Families(seed=43)
    village, staff = made.family("罗翠村", children=0), made.family("县教育局", children=0)
    values = [{"村（社区）": "罗翠村", "家庭类别": "二女结扎户", "缴费方式": "政府", "member": village[0], "relation": "户主"},
              {"村（社区）": "罗翠村", "member": village[1], "relation": "配偶"},
              {"投保单位": "县教育局", "家庭类别": "在岗干部职工", "member": staff[0], "relation": "户主"}]
    for offset, row in enumerate(values):
        member = row.pop("member")
        row.update({"户主姓名": (village if offset < 2 else staff)[0]["name"], "姓名": member["name"],
                    "身份证号码": member["number"], "与户主关系": row.pop("relation"), "身体健康": "是"})
        for name, value in row.items():
            sheet.cell(4 + offset, header.index(name) + 1, value)
    sheet.parent.save(path)
    result = import_roster(township, path, year=2026, today=TODAY)
    assert (result.rejected, result.file_issues, result.enrollments_new) == ([], [], 2)
    with township.read() as session:
        channels = sorted(session.execute(select(Enrollment.channel, Enrollment.payer_type)).all())
    assert channels == [("unit", "employer"), ("village", "government")]
