"""A township that joined by invitation takes in its 3,000-household roster of the common layout.

    python -m tests.benchmarks.township_roster [--households 3000] [--keep DIR]

The county imports the statistics bureau's division list and invites the township; the township
joins with the invitation and pairing code, and the list comes down in the county's package. The
roster is the layout townships keep (序号, 乡镇, 村, 户主姓名, 户主身份证号, 姓名, 身份证号码, 性别,
出生日期, 与户主关系 with 子女, 联系电话, 家庭类别, 险种, 份数, 缴费方式, and a column nobody planned
for), with title rows, numbers as text and footer rows, and no column of the product's form; one
household in seven has a grandmother past the product's 65 years. It is last season's roster (2025):
history, judged at its own dates.

Two ways in, each on its own copy of the township's database:
- the wizard's: the mapping page's questions (every missing form column at once), one answer, one
  dry run that keeps its plan, one import that writes it;
- the command line's: ``roster import FILE --dry-run --set 被保险人身体健康=是``, then the same
  without --dry-run (each its own process, start-up included).
Beside them, the bare python-calamine read of the same file. Figures, not assertions: the rows, the
dry runs needed, the times, and what the import left out (it must be nothing but the not insured).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YEAR = 2025
TODAY = dt.date(2026, 12, 5)
VILLAGES = ("罗翠村", "城东村", "坪埠村", "旦上村", "下坊村")
ANSWER = "被保险人身体健康=是"


def build(folder: Path, households: int) -> tuple[Path, Path, dict]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from roster_builders import Families, common_rows, write_common_roster, write_division_list

    from tests.services.sync_helpers import Offices

    offices = Offices(folder)
    county = offices.county()
    from fpdesk.services.registry.divisions import import_divisions

    import_divisions(county, write_division_list(folder / "区划.xlsx"))
    offices.pair(county, "350421200", "township", "城关乡卫生计生办")  # the list comes down
    offices.close()
    made = Families(seed=2025)
    families = [made.family(VILLAGES[i % len(VILLAGES)], grandparent=i % 7 == 0, children=1 + i % 2,
                            category="其他计生家庭" if i % 3 == 0 else "二女结扎户", today=dt.date(YEAR, 3, 10))
                for i in range(households)]
    roster = write_common_roster(folder / "城关乡2025年花名册.xlsx", common_rows(families))
    expected = {"households": households, "persons": sum(len(f) for f in families),
                "over_age": sum(1 for f in families for m in f if m["relation"] == "母亲")}
    return folder / "350421200.sqlite3", roster, expected


def wizard_path(db: Path, roster: Path) -> dict:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.rosters.importing import import_roster
    from fpdesk.services.rosters.lookups import inspect_roster, inspection_questions
    workspace = open_workspace(str(db))
    try:
        started = time.perf_counter()
        inspection = inspect_roster(workspace, roster)
        questions = inspection_questions(workspace, inspection, inspection.mapping, None)
        inspect_s = time.perf_counter() - started
        answers = {q.key: "是" for q in questions if q.needs_answer}
        started = time.perf_counter()
        dry = import_roster(workspace, roster, year=YEAR, today=TODAY, dry_run=True, keep_plan=True,
                            mapping=inspection.mapping, answers=answers)
        dry_s = time.perf_counter() - started
        started = time.perf_counter()
        done = import_roster(workspace, roster, year=YEAR, today=TODAY, mapping=inspection.mapping, answers=answers,
                             prepared=dry.prepared)
        apply_s = time.perf_counter() - started
        return {"questions": [q.label_zh + ("（不填即为法定）" if not q.needs_answer else "") for q in questions],
                "asked": [q.label_zh for q in questions if q.needs_answer], "dry_runs": 1,
                "inspect_s": round(inspect_s, 2), "dry_run_s": round(dry_s, 2), "apply_s": round(apply_s, 2),
                **_outcome(workspace, done)}
    finally:
        workspace.close()


def _outcome(workspace, result) -> dict:
    from sqlalchemy import func, select

    from fpdesk.storage.schema import Household, Person
    from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

    with workspace.read() as session:
        households, persons, enrollments, insured = (session.scalar(select(func.count()).select_from(t))
                                                     for t in (Household, Person, Enrollment, InsuredPerson))
    return {"rows": result.rows, "rejected": len(result.rejected), "file_issues": len(result.file_issues),
            "not_insured": len(result.not_insured), "households": households, "persons": persons,
            "enrollments": enrollments, "insured": insured}


def cli_path(db: Path, roster: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    figures = {}
    for name, extra in (("cli_dry_run_s", ["--dry-run"]), ("cli_import_s", [])):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "fpdesk", "roster", "import", str(roster), "--year", str(YEAR),
                               "--set", ANSWER, "--db", str(db), "--json", *extra], capture_output=True, env=env)
        figures[name] = round(time.perf_counter() - started, 2)
        result = json.loads(done.stdout)
        figures[name.replace("_s", "_exit")] = done.returncode
        figures[name.replace("_s", "_not_insured")] = len(result["not_insured"])
        figures[name.replace("_s", "_rejected")] = len(result["rejected"])
    return figures


def bare_read(roster: Path) -> float:
    import python_calamine

    started = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(str(roster))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows
    return round(time.perf_counter() - started, 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fpdesk-township-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        db, roster, expected = build(folder, args.households)
        setup_s = round(time.perf_counter() - started, 1)
        cli_db = folder / "cli.sqlite3"
        shutil.copy(db, cli_db)
        figures = {"households_in_file": expected["households"], "persons_in_file": expected["persons"],
                   "over_age_in_file": expected["over_age"], "setup_s": setup_s, "bare_read_s": bare_read(roster)}
        figures.update(wizard_path(db, roster))
        figures.update(cli_path(cli_db, roster))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    rate = figures["rows"] / figures["dry_run_s"] if figures["dry_run_s"] else 0
    print(f"{figures['rows']} rows, {figures['households_in_file']} households, {figures['persons_in_file']} persons "
          f"({figures['over_age_in_file']} past 65)")
    print(f"mapping page asks: {'、'.join(figures['questions'])}; answered once: {'、'.join(figures['asked'])}")
    print(f"dry runs needed: {figures['dry_runs']}; inspect {figures['inspect_s']} s, dry run {figures['dry_run_s']} s "
          f"({rate:,.0f} rows/s; bare read {figures['bare_read_s']} s), import {figures['apply_s']} s")
    print(f"registered {figures['households']} households / {figures['persons']} persons; enrolled "
          f"{figures['enrollments']} households / {figures['insured']} persons; not insured {figures['not_insured']}; "
          f"rejected {figures['rejected']}; file problems {figures['file_issues']}")
    print(f"command line: dry run {figures['cli_dry_run_s']} s (exit {figures['cli_dry_run_exit']}), import "
          f"{figures['cli_import_s']} s (exit {figures['cli_import_exit']}), not insured "
          f"{figures['cli_import_not_insured']}, rejected {figures['cli_import_rejected']}")
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    (out / "township_roster.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
