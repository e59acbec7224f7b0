"""Roster import on SQLite and PostgreSQL: every row code, dry run, the same file twice, a corrected
re-import through the rejected-rows report, remembered column mappings, file-level refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from roster_builders import LI, WANG, ZHANG, ZHANG_GIRL, good_rows, person, write_roster
from sqlalchemy import func, select

from fpdesk.core.errors import MESSAGES, DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.excel.codes import FILE_CODES, ROW_CODES
from fpdesk.services.registry import households as hh
from fpdesk.services.rosters.importing import import_roster, inspect_roster
from fpdesk.storage.schema import ChangeEntry, Household, Person
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

D = dt.date
TODAY = D(2026, 1, 5)  # the 2024 roster is history: its deadline does not block it


def counts(workspace):
    with workspace.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in
                     (Household, Person, Enrollment, InsuredPerson))


def run(workspace, path, **kwargs):
    return import_roster(workspace, path, year=2024, today=TODAY, **kwargs)


def test_dry_run_then_apply_then_the_same_file_again(workspace, tmp_path):
    path = write_roster(tmp_path / "名册.xlsx", good_rows())
    dry = run(workspace, path, dry_run=True)
    assert (dry.rows, dry.new, dry.updated, dry.unchanged, dry.rejected) == (5, 5, 0, 0, [])
    assert counts(workspace) == (0, 0, 0, 0)
    applied = run(workspace, path)
    assert (applied.new, applied.households_new, applied.enrollments_new) == (5, 2, 2)
    assert counts(workspace) == (2, 5, 2, 5)
    with workspace.read() as session:
        logged = session.scalar(select(func.count()).select_from(ChangeEntry).where(ChangeEntry.entity == "person"))
        payers = dict(session.execute(select(Enrollment.payer_type, Enrollment.premium_fen)).all())
    assert logged == 5 and payers == {"government": 10000, "self": 10000}
    again = run(workspace, path)
    assert (again.new, again.updated, again.unchanged, again.rejected) == (0, 0, 5, [])
    assert counts(workspace) == (2, 5, 2, 5)


def test_every_row_code(workspace, tmp_path):
    hh.register_household(workspace, HouseholdDraft("350421200202", categories=frozenset({HouseholdCategory.OTHER_FP})),
                          [PersonDraft("刘已登", make_number("350421", D(1970, 2, 2), 71), Relation.HEAD)],
                          today=D(2024, 1, 1))
    n = lambda birth, seq: make_number("350421", birth, seq)  # noqa: E731
    rows = [
        person(1, "甲", "35042119800101001", "户主", head="甲"),                      # id_format
        person(2, "乙", ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"), "户主", head="乙"),  # id_checksum
        person(3, "丙", _with_check("35042119810229004"), "户主", head="丙"),       # id_birthdate
        person(4, "丁", _with_check("99042119800101003"), "户主", head="丁"),       # id_region
        person(5, "戊", 3.50421198001010e17, "户主", head="戊"),                    # id_lost_precision
        person(6, "己", n(D(1985, 1, 1), 61), "户主", head="己"),
        person(7, "己二", n(D(1985, 1, 1), 61), "户主", head="己二"),               # id_duplicate_in_file
        person(8, "刘已登", make_number("350421", D(1970, 2, 2), 71), "配偶", head="己"),  # other household
        person(9, None, n(D(1986, 1, 1), 81), "户主", head="庚"),                    # missing_field
        person(10, "辛", n(D(1987, 1, 1), 91), "户主", head="辛", phone="12345"),    # bad_phone
        person(11, "壬", n(D(1988, 1, 1), 13), "户主", head="壬", village="火星村"),  # unknown_division
        person(12, "癸", n(D(1989, 1, 1), 15), "户主", head="癸", product="火星保险"),  # unknown_product
        person(13, "老汉", n(D(1950, 1, 1), 17), "户主", head="老汉"),              # ineligible (74, new)
        person(14, "多份", n(D(1990, 1, 1), 19), "户主", head="多份", shares=2),    # over_max_shares
    ]
    header = [*__import__("roster_builders").HEADER, "投保日期"]
    rows = [[*r, None] for r in rows]
    rows.append([*person(15, "日期", n(D(1991, 1, 1), 21), "户主", head="日期"), "2024年13月1日"])  # bad_date
    path = write_roster(tmp_path / "bad.xlsx", rows, header=header)
    result = run(workspace, path, report=tmp_path / "report.xlsx")
    codes = {i.code for i in result.rejected}
    assert set(ROW_CODES) <= codes, set(ROW_CODES) - codes
    for issue in result.rejected:
        assert issue.message.startswith(f"第{issue.row}行“{issue.column}”列：")
    by_row = {i.row: i for i in result.rejected}
    assert by_row[8].code == "id_lost_precision" and by_row[8].column == "身份证号码"
    assert "城东村" in by_row[11].message and "刘已登" in by_row[11].message  # person_in_other_household
    # past the product's ages is not a rejection: 老汉 is registered and listed as not insured
    assert 16 not in by_row and [(n.row, n.code) for n in result.not_insured] == [(16, "age_above_max")]
    assert "74周岁" in result.not_insured[0].message and "老汉" in result.not_insured[0].message
    # a product nobody knows is the file's problem, said once: 癸 is registered, not enrolled
    [unknown] = [i for i in result.file_issues if i.code == "unknown_product"]
    assert "火星保险" in unknown.message and "15" in unknown.message and 15 not in by_row
    # 己's own row is fine, but his household would take in 刘已登 from another one: it waits whole
    assert by_row[9].code == "household_held_back" and "11" in by_row[9].message
    assert result.new == 2 and counts(workspace)[:2] == (3, 3)  # 老汉 and 癸: the rest had a problem
    assert set(FILE_CODES) <= set(MESSAGES)


def _with_check(first17: str) -> str:
    from fpdesk.core.idnumber import check_char

    return first17 + check_char(first17)


def test_a_corrected_reimport_through_the_report(workspace, tmp_path):
    rows = good_rows()
    rows[1][5] = "35042119820501002"  # 李梅's number lost a digit: the 张三 household waits whole
    path = write_roster(tmp_path / "名册.xlsx", rows)
    report = tmp_path / "需改正.xlsx"
    first = run(workspace, path, report=report)
    assert [(i.row, i.code) for i in first.rejected] == [(4, "household_held_back"), (5, "id_format"),
                                                         (6, "household_held_back")]
    assert (first.new, counts(workspace)[:2]) == (2, (1, 2))  # 王五's household went in
    book = load_workbook(report)
    sheet = book.active
    assert sheet.cell(3, 15).value == "错误说明" and sheet.max_row == 6  # title rows + header + 3 rows
    bad = sheet.cell(5, 6)
    assert bad.fill.fgColor.rgb.endswith("FFC7CE") and sheet.cell(4, 6).fill.fgColor.rgb != bad.fill.fgColor.rgb
    bad.value = LI
    book.save(report)
    second = run(workspace, report)
    assert (second.new, second.rejected) == (3, [])
    assert counts(workspace) == (2, 5, 2, 5)
    third = run(workspace, path.with_name("名册.xlsx"))  # the original, still wrong, changes nothing more
    assert third.new == 0 and counts(workspace) == (2, 5, 2, 5)


def test_changed_details_update_the_registered_people(workspace, tmp_path):
    run(workspace, write_roster(tmp_path / "a.xlsx", good_rows()))
    rows = good_rows()
    rows[0][7] = "13912345678"  # a new phone for 张三
    rows[2][4] = "张小梅"  # the daughter's name corrected
    result = run(workspace, write_roster(tmp_path / "b.xlsx", rows))
    assert (result.new, result.updated, result.unchanged) == (0, 2, 3)
    with workspace.read() as session:
        names = dict(session.execute(select(Person.id_number, Person.name)).all())
        phone = session.scalar(select(Person.phone).where(Person.id_number == ZHANG))
    assert names[ZHANG_GIRL] == "张小梅" and phone == "13912345678"


def test_column_mapping_is_remembered_per_layout(workspace, tmp_path):
    rows = [[r[4], r[5], r[6], r[2], r[8], r[12], r[13]] for r in good_rows()]
    header = ["名字", "证件号", "与户主关系", "村", "家庭类别", "身体健康", "受益人"]
    path = write_roster(tmp_path / "odd.xlsx", rows, header=header, title=False)
    seen = inspect_roster(workspace, path)
    assert seen.header_row is None  # 名字 / 证件号 are not column names fpdesk knows
    mapping = {0: "name", 1: "id_number", 2: "relation", 3: "village", 4: "category",
               5: "form:health_declaration", 6: "form:beneficiary_type"}
    result = import_roster(workspace, path, year=2024, today=TODAY, product="fp_family_accident_100",
                           mapping=mapping, header_row=0)
    assert result.new == 5 and not result.rejected
    again = inspect_roster(workspace, path, header_row=0)
    assert again.remembered and again.mapping == mapping


@pytest.mark.parametrize(("content", "code"), [("empty", "empty_file"), ("noheader", "no_header")])
def test_file_level_refusals_write_nothing(workspace, tmp_path, content, code):
    path = tmp_path / "x.xlsx"
    if content == "empty":
        write_roster(path, [], header=[None], title=False)
        from openpyxl import Workbook

        Workbook().save(path)
    else:
        write_roster(path, [["a", "b", "c"]], header=["甲", "乙", "丙"])
    with pytest.raises(DomainError) as caught:
        run(workspace, path)
    assert caught.value.code == code
    assert counts(workspace) == (0, 0, 0, 0)


def test_a_roster_without_relations_is_one_household_per_row(workspace, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"姓名,身份证号码,村\n张三,{ZHANG},罗翠村\n王五,{WANG},城东村\n", encoding="utf-8-sig")
    result = run(workspace, path)
    assert (result.new, result.households_new, result.enrollments_new) == (2, 2, 0)


def test_a_kept_plan_is_written_as_checked_and_refused_once_the_file_or_the_data_changed(workspace, tmp_path):
    import os

    from fpdesk.services.reports.statistics import set_start_month
    from tests.services.sync_helpers import dump

    path = write_roster(tmp_path / "名册.xlsx", good_rows())
    dry = run(workspace, path, dry_run=True, keep_plan=True)
    assert dry.prepared is not None and counts(workspace) == (0, 0, 0, 0)
    # the file saved again after the check, same size and time (a FAT stick): not what was checked
    stat = path.stat()
    write_roster(path, good_rows()[:-1])
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    before = dump(workspace)
    with pytest.raises(DomainError) as refused:
        run(workspace, path, prepared=dry.prepared)
    assert refused.value.code == "roster_changed_since_check" and "名册.xlsx" in refused.value.message_zh
    assert dump(workspace) == before
    write_roster(path, good_rows())
    # the data changed after the check (another job wrote): refused as well, nothing written
    dry = run(workspace, path, dry_run=True, keep_plan=True)
    hh.register_household(workspace, HouseholdDraft("350421200202", categories=frozenset({HouseholdCategory.OTHER_FP})),
                          [PersonDraft("刘已登", make_number("350421", D(1970, 2, 2), 71), Relation.HEAD)],
                          today=D(2024, 1, 1))
    before = dump(workspace)
    with pytest.raises(DomainError) as refused:
        run(workspace, path, prepared=dry.prepared)
    assert refused.value.code == "data_changed_since_check" and dump(workspace) == before
    with pytest.raises(DomainError) as refused:  # other settings than the check's
        run(workspace, path, prepared=dry.prepared, product="only_child_safety")
    assert refused.value.code == "import_settings_changed_since_check"

    dry = run(workspace, path, dry_run=True, keep_plan=True)
    set_start_month(workspace, 3)  # a setting (like a log-in or a viewed record) leaves the plan valid
    applied = run(workspace, path, prepared=dry.prepared)
    assert (applied.dry_run, applied.new, applied.households_new, applied.enrollments_new) == (False, 5, 2, 2)
    assert counts(workspace) == (3, 6, 2, 5)
    keys = ("rows", "new", "updated", "unchanged", "rejected")
    assert [applied.as_dict()[k] for k in keys] == [dry.as_dict()[k] for k in keys]  # exactly what was shown
    with workspace.read() as session:
        assert session.scalar(select(func.count()).select_from(ChangeEntry).where(ChangeEntry.entity == "person")) == 6
    again = run(workspace, path)  # written once: the same file again changes nothing
    assert (again.new, again.unchanged) == (0, 5)
