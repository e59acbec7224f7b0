"""Roster benchmark: a 100,000-row roster checked (dry run), applied and exported.

    python -m tests.benchmarks.rosters [--rows 100000] [--keep DIR]

Each phase runs in its own process so its peak memory is its own. The dry run is set beside the
bare python-calamine reader on the same file (the ratio says what checking costs over reading).
"apply" is the one-shot import the CLI does (read, check, plan, write); "apply after the check" is
the wizard's: the dry run keeps its plan and the import writes it (its own time is the import's; the
process's peak memory holds both). The dry run and the check before the apply are timed from the call
of import_roster, as the wizard runs them in the open program (opening the database and importing the
modules, about 1.5 s, is reported as setup_seconds); the one-shot apply from the start of its process.
"floor" copies the rows the apply after the check wrote into the empty office by SQLite alone
(INSERT ... SELECT, every index kept up): a figure without a bar, what writing those rows costs
with no Python making them (9.3-10.2 s for 100,000 rows here, against the apply's 10 s bar).
Bars: the dry run >= 0.40 of the bare reader's rows/s in the same run (about 30,000 rows/s on a quiet
machine), apply >= 10,000 rows/s, export >= 10,000 rows/s, peak memory <= 500 MB. Figures, not
assertions; the dry run's exactness is tests/services/test_roster_by_columns.py's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.standing import Standing, report

BARS = {"dry_run": 30_000, "apply": 10_000, "apply_checked": 10_000, "export": 10_000}
DRY_RUN_RATIO = 0.40  # of the bare python-calamine read's rows/s
MEMORY_BAR_MB = 500
YEAR = 2024
TODAY = dt.date(2026, 1, 5)
VILLAGES = 10
HEADER = ["序号", "乡镇", "村", "户主姓名", "姓名", "身份证号码", "与户主关系", "联系电话", "家庭类别", "险种", "份数",
          "身体健康", "受益人"]


def make_roster(path: Path, rows: int) -> None:
    from fpdesk.core.idnumber import make_number
    from fpdesk.excel.xlsx_writer import HEADER as HEADER_STYLE
    from fpdesk.excel.xlsx_writer import TITLE, XlsxWriter

    start = dt.date(1965, 1, 1)
    with XlsxWriter(path) as book:
        sheet = book.add_sheet("花名册")
        sheet.row([f"{YEAR}年城关乡计划生育家庭意外伤害保险花名册"], TITLE)
        sheet.row(HEADER, HEADER_STYLE)
        written, household = 0, 0
        while written < rows:
            h = household
            village = f"村{h % VILLAGES}"
            category = "困难计生家庭" if h % 3 == 0 else "其他计生家庭"
            head = f"户主{h}"
            members = [
                (head, make_number("350421", start + dt.timedelta(days=h % 9000), (h // 9000) * 2 + 1), "户主",
                 f"138{h:08d}"),
                (f"配偶{h}", make_number("350421", dt.date(1967, 1, 1) + dt.timedelta(days=h % 9000),
                                       (h // 9000) * 2 + 2), "配偶", ""),
                (f"子女{h}", make_number("350421", dt.date(2000, 1, 1) + dt.timedelta(days=h % 7000),
                                       (h // 7000) + 500), "子", ""),
            ]
            for name, number, relation, phone in members[: rows - written]:
                written += 1
                sheet.row([written, "城关乡", village, head, name, number, relation, phone, category,
                           "fp_family_accident_100", 1, "是", "法定"])
            household += 1


def prepare_database(path: Path) -> None:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import add_division, init_office
    workspace = open_workspace(str(path))
    init_office(workspace, code="350421200", level="township", name="城关乡计生协")
    for number in range(VILLAGES):
        add_division(workspace, code=f"350421200{201 + number}", name=f"村{number}", code_year=2024)
    workspace.close()


def phase(name: str, db: Path, roster: Path, out: Path) -> dict:
    """Runs in a child process; prints its figures as JSON."""
    started = time.perf_counter()
    figures: dict = {}
    if name == "read":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(roster))
        figures["rows"] = sum(1 for _ in book.get_sheet_by_index(0).iter_rows()) - 2
    elif name == "floor":
        figures.update(copy_by_sqlite(db, db.with_name("floor.sqlite3")))
    else:
        from fpdesk.services.opening import open_workspace
        workspace = open_workspace(str(db))
        if name in ("dry_run", "apply"):
            from fpdesk.services.rosters.importing import import_roster

            if name == "dry_run":  # the wizard's check runs in the open program: its modules and file are open
                figures["setup_seconds"] = time.perf_counter() - started
                started = time.perf_counter()
            result = import_roster(workspace, roster, year=YEAR, today=TODAY, dry_run=name == "dry_run")
            figures.update(rows=result.rows, new=result.new, rejected=len(result.rejected),
                           enrollments=result.enrollments_new)
        elif name == "apply_checked":
            from fpdesk.services.rosters.importing import import_roster

            figures["setup_seconds"] = time.perf_counter() - started
            started = time.perf_counter()
            checked = import_roster(workspace, roster, year=YEAR, today=TODAY, dry_run=True, keep_plan=True)
            figures["check_seconds"] = time.perf_counter() - started
            started, cpu = time.perf_counter(), time.thread_time()
            result = import_roster(workspace, roster, year=YEAR, today=TODAY, prepared=checked.prepared)
            # the calling thread's CPU: the rows made in Python, apart from the statements the
            # writer thread runs beside it (storage/pipelined_writes.py) and from waiting for the disk
            figures["cpu_seconds"] = time.thread_time() - cpu
            figures.update(rows=result.rows, new=result.new, rejected=len(result.rejected),
                           enrollments=result.enrollments_new)
        else:
            from fpdesk.services.rosters.export import export_roster
            from tests.benchmarks.received import mark_received

            mark_received(workspace)  # the insurer's list holds people whose premium was received
            started = time.perf_counter()  # the set-up is not what is measured

            result = export_roster(workspace, year=YEAR, audience="insurer", out=out, today=TODAY)
            figures["rows"] = result.rows
        workspace.close()
    figures["seconds"] = time.perf_counter() - started
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


# what a roster's writing adds, in the order the apply inserts it (parents first)
WRITTEN = ("household", "household_category", "person", "enrollment", "insured_person", "contribution", "change_log")


def copy_by_sqlite(applied: Path, target: Path) -> dict:
    """The rows the apply after the check wrote, copied into the empty office by SQLite alone
    (INSERT … SELECT table by table, every index and trigger kept up, one transaction, the program's
    journal and sync settings): what writing these rows costs with no Python making them, the floor
    under the apply's figure on this machine."""
    import sqlite3

    shutil.copy(applied.with_name("empty.sqlite3"), target)
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("ATTACH ? AS applied", (str(applied),))
        connection.execute("BEGIN")
        for table in WRITTEN:
            columns = ", ".join(row[1] for row in connection.execute(f"PRAGMA main.table_info({table})"))
            # the empty office's own entries (its set-up) are in both logs
            only_new = (" WHERE local_seq > (SELECT coalesce(max(local_seq), 0) FROM main.change_log)"
                        if table == "change_log" else "")
            connection.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM applied.{table}{only_new}")
        connection.execute("COMMIT")
        rows = connection.execute("SELECT count(*) FROM main.person").fetchone()[0]
    finally:
        connection.close()
    return {"rows": rows}


def bytecode_env() -> dict[str, str]:
    """The phases' environment: an installed program runs from compiled bytecode (pip compiles on
    install, the PyInstaller bundle ships .pyc), so the program's modules are compiled once, before
    any phase, into a cache of their own; a machine that sets PYTHONDONTWRITEBYTECODE would otherwise
    compile them again in every measured phase (as tests/benchmarks/gui.py does for the start)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="fpdesk-rosters-bench-pycache-")
    here = Path(__file__).resolve()
    # the benchmark's own modules too: the bare read's phase compiles nothing either
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(here.parents[2] / "fpdesk"), str(here.parent)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def run_phase(name: str, db: Path, roster: Path, out: Path, env: dict[str, str] | None = None) -> dict:
    completed = subprocess.run([sys.executable, "-m", "tests.benchmarks.rosters", "--phase", name, "--db", str(db),
                                "--roster", str(roster), "--out", str(out)], capture_output=True, text=True, check=True,
                               env=env)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--roster", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.db, args.roster, args.out)))
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fpdesk-rosters-"))
    folder.mkdir(parents=True, exist_ok=True)
    roster, db, out = folder / "roster.xlsx", folder / "bench.sqlite3", folder / "insurer.xlsx"
    started = time.perf_counter()
    make_roster(roster, args.rows)
    print(f"roster of {args.rows:,} rows written in {time.perf_counter() - started:.1f} s "
          f"({roster.stat().st_size / 1e6:.1f} MB)")
    db.unlink(missing_ok=True)  # a folder kept from an earlier run: its office is set up already
    prepare_database(db)
    empty = folder / "empty.sqlite3"
    shutil.copy(db, empty)
    results = {}
    env = bytecode_env()
    for name in ("read", "dry_run", "apply", "apply_checked", "floor", "export"):
        if name == "apply_checked":  # both imports start from the empty office
            shutil.copy(empty, db)
        results[name] = run_phase(name, db, roster, out, env)
    read_rate = results["read"]["rows"] / results["read"]["seconds"]
    print(f"\n{'phase':<26}{'rows':>9}{'seconds':>9}{'rows/s':>10}{'bar':>9}{'peak MB':>9}  ok")
    for name, label in (("read", "bare python-calamine read"), ("dry_run", "dry run (check + plan)"),
                        ("apply", "apply, one shot (CLI)"), ("apply_checked", "apply after the check"),
                        ("floor", "its rows by SQLite alone"), ("export", "export (insurer list)")):
        figures = results[name]
        rate = figures["rows"] / figures["seconds"]
        bar = BARS.get(name)
        ok = "" if bar is None else ("yes" if rate >= bar and figures["peak_mb"] <= MEMORY_BAR_MB else "NO")
        print(f"{label:<26}{figures['rows']:>9,}{figures['seconds']:>9.2f}{rate:>10,.0f}"
              f"{(f'{bar:,}' if bar else '-'):>9}{figures['peak_mb']:>9.0f}  {ok}")
    dry_rate = results["dry_run"]["rows"] / results["dry_run"]["seconds"]
    print(f"\ndry run / bare read = {dry_rate / read_rate:.2f} "
          f"(the dry run reads the file with the same reader, then checks, groups and judges every row)")
    print(f"applied: {results['apply'].get('new', 0):,} people, {results['apply'].get('enrollments', 0):,} "
          f"enrollments, {results['apply'].get('rejected', 0)} rejected; memory bar {MEMORY_BAR_MB} MB")
    report(standings(results, args.rows))
    return 0


def standings(results: dict, rows: int) -> list[Standing]:
    def rate(name: str) -> float:
        return results[name]["rows"] / results[name]["seconds"]

    read = rate("read")
    bare = "python-calamine read of the file"
    lines = [Standing("rosters", f"dry run, {rows:,} rows", rate("dry_run"), "rows/s", read, bare,
                      f"ratio >= {DRY_RUN_RATIO:.2f}", rate("dry_run") / read >= DRY_RUN_RATIO)]
    for name, label in (("apply", "apply, one shot (CLI)"), ("apply_checked", "apply after the check"),
                        ("export", "export (insurer list)")):
        lines.append(Standing("rosters", label, rate(name), "rows/s", read, bare, f">= {BARS[name]:,} rows/s",
                              rate(name) >= BARS[name]))
    if "cpu_seconds" in results["apply_checked"]:
        lines.append(Standing("rosters", "apply after the check: CPU of its calling thread",
                              results["apply_checked"]["cpu_seconds"], "s", results["apply_checked"]["seconds"],
                              "the apply's own time", "figure (no bar)", None))
    if "floor" in results:  # context, no bar: how near the apply's bar is to what SQLite alone needs
        lines.append(Standing("rosters", "the apply's rows written by SQLite alone (INSERT ... SELECT)",
                              rate("floor"), "rows/s", None, "", "figure (no bar)", None))
    peak = max(figures["peak_mb"] for name, figures in results.items() if name not in ("read", "floor"))
    lines.append(Standing("rosters", "peak memory of a phase", peak, "MB", results["read"]["peak_mb"],
                          "the bare read's peak", f"<= {MEMORY_BAR_MB} MB", peak <= MEMORY_BAR_MB))
    return lines


if __name__ == "__main__":
    sys.exit(main())
