"""A roster checked a column at a time (fpdesk/excel/column_checks.py) and planned with the engine
asked once per household key (fpdesk/services/rosters/judge_memo.py) says exactly what the row checker and
the engine asked for every household say: every issue by row, column, code and words, every checked
row, every note and file-wide finding, and every household's plan. The rosters are real .xlsx files
as offices keep them: title rows above the header, 子女 for sons and daughters, ID numbers typed as
text or as numbers, dates in the Chinese forms, a 合计 and a 填表人 row, and mistakes of every kind."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
from roster_builders import (
    MISTAKES_HEADER,
    Families,
    MistakenRoster,
    common_rows,
    write_common_roster,
)

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.registry import households as hh
from fpdesk.services.rosters import importing as roster_import
from fpdesk.services.rosters import plan_new
from fpdesk.services.rosters.importing import import_roster

TODAY = dt.date(2026, 1, 5)


def write_mistakes(path, rows):
    """The rows below a merged title and an office line, as openpyxl stores them (floats stay numbers,
    dates stay dates), with a 合计 and a 填表人 line at the foot."""
    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    ws.append(["2026年城关乡计划生育家庭意外伤害保险花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MISTAKES_HEADER))
    ws.append(["填报单位：城关乡计生协", None, None, None, None, None, "填报日期：2026年1月"])
    ws.append(MISTAKES_HEADER)
    for row in rows:
        ws.append(row)
    ws.append(["合计", None, None, None, None, f"{len(rows)}人"])
    ws.append(["填表人：张三", None, None, "审核人："])
    book.save(path)
    return path


def checked_both_ways(workspace, path, monkeypatch, today=TODAY, **kwargs):
    """The dry run's result and the checked sheet, by columns and by rows."""
    seen = {}
    for name in ("check_columns", "check_rows"):
        original = getattr(roster_import, name)

        def spy(*args, _original=original, _name=name, **kw):
            seen[_name] = _original(*args, **kw)
            return seen[_name]

        monkeypatch.setattr(roster_import, name, spy)
    short = []  # households the column path planned the short way (fpdesk/services/rosters/plan_new.py)

    def short_way(planner, group, _original=plan_new.decide_new):
        decision = _original(planner, group)
        short.extend([decision] if decision is not None else [])
        return decision

    monkeypatch.setattr(plan_new, "decide_new", short_way)
    fast = import_roster(workspace, path, today=today, dry_run=True, keep_plan=True, **kwargs)
    assert short  # the short way was taken
    slow = import_roster(workspace, path, today=today, dry_run=True, keep_plan=True, by_columns=False,
                         **kwargs)
    assert set(seen) == {"check_columns", "check_rows"}  # each way really ran
    return fast, slow, seen["check_columns"], seen["check_rows"]


def plan_facts(prepared):
    """Everything a plan writes, without the ids made up for new households and people."""
    found = []
    for part in prepared.parts:
        for decision in part.decisions:
            plans = [(plan.product.code, plan.year, plan.channel, plan.judged, plan.form_values, plan.consent,
                      plan.enrolled_on, [(member.name, member.birth_date, member.relation, judged)
                                         for member, judged in plan.insured])
                     for plan in decision.plans]
            snapshot = decision.snapshot
            household = None if snapshot is None else (
                snapshot.division_id, snapshot.division_code, snapshot.division_name, snapshot.division_kind,
                snapshot.status, snapshot.categories, snapshot.certificate_no, snapshot.is_rural,
                snapshot.reward_recipient, [(m.name, m.id_number, m.relation, m.sex, m.birth_date, m.status)
                                            for m in snapshot.members])
            found.append((decision.is_new, [r.row for r in decision.group.rows], decision.status, decision.issues,
                          sorted(decision.person_ids), decision.household_changes, decision.registry_changes,
                          plans, decision.not_insured, decision.enrollment_issues, decision.division_id, household,
                          None if decision.is_new else decision.household_id, [r.row for r in decision.new_rows],
                          [(r.row, changes) for r, _, changes in decision.person_updates]))
        found.append(("issues", part.issues))
    return found


def assert_same(fast, slow, by_columns, by_rows):
    assert by_columns.entries == by_rows.entries
    assert [(i.row, i.column, i.code, i.message, i.message_en) for i in by_columns.issues] == [
        (i.row, i.column, i.code, i.message, i.message_en) for i in by_rows.issues]
    assert by_columns.issues == by_rows.issues and by_columns.notes == by_rows.notes
    assert by_columns.data_rows == by_rows.data_rows
    assert by_columns.missing_columns == by_rows.missing_columns
    assert by_columns.unknown_products == by_rows.unknown_products
    assert by_columns.unknown_divisions == by_rows.unknown_divisions
    for name in ("rows", "new", "updated", "unchanged", "rejected", "households_new", "households_updated",
                 "enrollments_new", "households_only", "registry_changes", "registry_changes_total", "not_insured",
                 "file_issues", "notes", "unknown_divisions", "not_registered_rows"):
        assert getattr(fast, name) == getattr(slow, name), name
    assert plan_facts(fast.prepared) == plan_facts(slow.prepared)


@pytest.mark.parametrize("seed", [11, 29])
def test_a_roster_full_of_mistakes_is_judged_the_same_both_ways(workspace, tmp_path, monkeypatch, seed):
    # a family already registered: its rows are updates, its renamed head a registry change
    hh.register_household(workspace, HouseholdDraft("350421200202", categories=frozenset({HouseholdCategory.OTHER_FP})),
                          [PersonDraft("刘已登", make_number("350421", dt.date(1970, 2, 2), 71), Relation.HEAD)],
                          today=dt.date(2024, 1, 1))
    rows = MistakenRoster(seed=seed).build(2500)
    rows.append([9999.0, "城关乡", "城东村", "刘已登", None, "刘已登记", make_number("350421", dt.date(1970, 2, 2), 71),
                 "男", "1970-02-02", "户主", None, "其他计生家庭", None, 1.0, "自费", "是", "法定", None, None, None])
    path = write_mistakes(tmp_path / "名册.xlsx", rows)
    fast, slow, by_columns, by_rows = checked_both_ways(workspace, path, monkeypatch, year=2025)
    assert len(by_rows.issues) > 250 and by_rows.notes and fast.enrollments_new > 100  # mistakes, and plans
    assert {i.code for i in by_rows.issues} >= {"id_format", "id_checksum"}
    assert_same(fast, slow, by_columns, by_rows)


def test_the_common_layout_is_judged_the_same_both_ways(workspace, tmp_path, monkeypatch):
    """No form columns, an unplanned 是否低保, ID and phone cells typed as text, 子女, a grandmother past
    the product's ages: most rows pass the column checks, so the memo answers most households."""
    today = dt.date(2026, 3, 10)  # the 2026 season is open
    families = Families(seed=5)
    people = [families.family(village, grandparent=n % 7 == 0, children=n % 3,
                              category=("其他计生家庭", "二女结扎户")[n % 2], today=today)
              for n, village in enumerate(["罗翠村", "城东村"] * 300)]
    path = write_common_roster(tmp_path / "花名册.xlsx", common_rows(people))
    fast, slow, by_columns, by_rows = checked_both_ways(workspace, path, monkeypatch, today=today, year=2026,
                                                            answers={"被保险人身体健康": "是"})
    assert fast.rows > 1500 and fast.enrollments_new > 500 and fast.not_insured
    assert_same(fast, slow, by_columns, by_rows)


def test_registered_people_are_found_by_number_in_one_statement(workspace):
    """Both ways of checking find registered people with ``registered_people``: the living ones of
    the numbers asked, however many numbers (past SQLite's bound-parameter limit), the dead left out."""
    from fpdesk.services.rosters.import_plan import registered_people

    numbers = [make_number("350421", dt.date(1960 + n, 3, 4), 31 + n) for n in range(3)]
    hh.register_household(workspace, HouseholdDraft("350421200201"),
                          [PersonDraft("林国华", numbers[0], Relation.HEAD),
                           PersonDraft("张秀英", numbers[1], Relation.SPOUSE)], today=dt.date(2024, 1, 1))
    hh.register_household(workspace, HouseholdDraft("350421200202"),
                                  [PersonDraft("王已故", numbers[2], Relation.HEAD)], today=dt.date(2024, 1, 1))
    with workspace.read() as session:
        dead = registered_people(session, {numbers[2]})[numbers[2]]
    hh.record_death(workspace, dead.person_id, on=dt.date(2025, 6, 1))
    asked = {make_number("350421", dt.date(1990, 1, 1) + dt.timedelta(days=n), 500) for n in range(3000)}
    with workspace.read() as session:
        found = registered_people(session, asked | set(numbers))
        assert registered_people(session, set()) == {}
    assert sorted(found) == sorted(numbers[:2])
    assert (found[numbers[0]].name, found[numbers[0]].relation, found[numbers[1]].name) == ("林国华", "head", "张秀英")
    assert found[numbers[0]].household_id == found[numbers[1]].household_id != dead.household_id


def test_a_dry_run_that_keeps_no_plan_counts_what_the_kept_plan_holds(workspace, tmp_path, monkeypatch):
    """A dry run that keeps no plan is handed the memo's plans uncopied (judge_memo.py, ``own_plans``)
    and counts most new households by their shape (plan_new.py, ``household_shapes``): its counts,
    rejections, notes and findings are those of the dry run that keeps its plan and of the row
    checker with the engine asked for every household, on a roster full of mistakes."""
    path = write_mistakes(tmp_path / "名册.xlsx", MistakenRoster(seed=7).build(1200))
    by_shape = []

    def counted_way(*args, _original=plan_new._counted):
        decision = _original(*args)
        by_shape.extend([decision] if decision is not None else [])
        return decision

    monkeypatch.setattr(plan_new, "_counted", counted_way)
    # 2025: most households enroll; 2027: its window is not open, every enrollment is refused for the file
    for year in (2025, 2027):
        by_shape.clear()
        counted = import_roster(workspace, path, today=TODAY, year=year, dry_run=True)
        assert len(by_shape) > 50 and all(bool(d.plans) == (year == 2025) for d in by_shape)
        kept = import_roster(workspace, path, today=TODAY, year=year, dry_run=True, keep_plan=True)
        by_rows = import_roster(workspace, path, today=TODAY, year=year, dry_run=True, by_columns=False)
        assert counted.prepared is None and counted.rejected
        assert counted.enrollments_new > 50 if year == 2025 else "outside_enrollment_window" in {
            issue.code for issue in counted.file_issues}
        for name in ("rows", "new", "updated", "unchanged", "rejected", "households_new", "households_updated",
                     "enrollments_new", "households_only", "registry_changes", "registry_changes_total",
                     "not_insured", "file_issues", "notes", "unknown_divisions", "not_registered_rows"):
            assert getattr(counted, name) == getattr(kept, name) == getattr(by_rows, name), name


@pytest.mark.parametrize("seed", [3, 17])
def test_a_household_shape_holds_the_memo_key(workspace, tmp_path, monkeypatch, seed):
    """What a counted household is answered by (plan_new.household_shapes) holds everything the memo's
    key holds: every household of a roster full of mistakes and of the common layout is planned the
    long way, and two households of one shape were always judged by one key (so the answer
    remembered for the first is the answer for the second)."""
    today = dt.date(2026, 3, 10)
    families = Families(seed=seed)
    people = [families.family(village, grandparent=n % 5 == 0, children=n % 4,
                              category=("其他计生家庭", "二女结扎户", "独生子女户")[n % 3], today=today)
              for n, village in enumerate(["罗翠村", "城东村"] * 150)]
    common = write_common_roster(tmp_path / "花名册.xlsx", common_rows(people))
    mistakes = write_mistakes(tmp_path / "名册.xlsx", MistakenRoster(seed=seed).build(1500))
    keys_of: dict[tuple, set] = {}

    def record(memo, shapes, code, _original=plan_new._remember_shape):
        if shapes is not None and memo.last_key is not None:
            keys_of.setdefault(shapes[code], set()).add(memo.last_key)
        _original(memo, shapes, code)

    monkeypatch.setattr(plan_new, "_counted", lambda *args: None)  # every household the long way
    monkeypatch.setattr(plan_new, "_remember_shape", record)
    import_roster(workspace, common, today=today, year=2026, dry_run=True, answers={"被保险人身体健康": "是"})
    import_roster(workspace, mistakes, today=TODAY, year=2025, dry_run=True)
    assert len(keys_of) > 20 and sum(len(keys) for keys in keys_of.values()) > 20
    assert all(len(keys) == 1 for keys in keys_of.values())
