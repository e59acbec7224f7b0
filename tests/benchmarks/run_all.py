"""Run the benchmarks that have a bar and write one markdown table of where each stands.

    python -m tests.benchmarks.run_all [--out docs/benchmarks.md] [--rows 100000] [--persons 500000]
                                       [--trust-persons 100000] [--sync-persons 0] [--db DEMO.sqlite3]
                                       [--no-gui] [--gui-small-persons 10000] [--gui-small-db SMALL.sqlite3]

Each benchmark runs as its own process and reports its lines through tests/benchmarks/standing.py
(figure, the bare baseline measured in the same run, ratio, goal). The table says when it was run
and the load average before and after: absolute times move with the machine and its load, the
ratios much less. ``--sync-persons 0`` (the default) leaves the sync benchmark out: at a county's
500,000 persons it takes several minutes and most of a gigabyte of disk. ``--gui`` (on unless
``--no-gui``) times the program's start-up beside a bare PySide6 window on a small demo (10,000
persons) and on the search benchmark's large one: the bar is the same ratio for both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE_ORDER = ("rosters", "foundation", "trust", "printing", "gui", "sync")


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def _settle(limit: float = 60.0) -> float:
    """Waits until what the last phase wrote is on the disk (Linux: until /proc/meminfo's Dirty and
    Writeback are below 16 MB, at most ``limit`` seconds); the seconds it waited. The search of the
    table of 2026-12-07 17:29, run straight after the rosters' phase, read its index up to twice as
    slowly as a search-only run on the same file a quarter of an hour later."""
    started = time.perf_counter()
    if hasattr(os, "sync"):  # not on Windows, where a phase's writes are not waited for
        os.sync()
    meminfo = Path("/proc/meminfo")
    while meminfo.exists() and time.perf_counter() - started < limit:
        fields = dict(line.split(":", 1) for line in meminfo.read_text().splitlines() if ":" in line)
        pending_kb = sum(int(fields.get(name, "0 kB").split()[0]) for name in ("Dirty", "Writeback"))
        if pending_kb < 16 * 1024:
            break
        time.sleep(0.5)
    return time.perf_counter() - started


def _demo(path: Path, persons: int) -> None:
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(str(path))
    load_demo(workspace, persons=persons, seed=7)
    workspace.close()


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def table(lines: list[dict], *, started: str, load_before: str, load_after: str, seconds: float) -> str:
    out = [
        "# Benchmarks: where each bar stands",
        "",
        f"Run by `python -m tests.benchmarks.run_all` on {started} UTC, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}; load average (1 / 5 / 15 min) {load_before} before and {load_after} after; "
        f"{seconds / 60:.1f} minutes in all. Each figure is set beside the bare work measured in the same run "
        "(the ratio is figure / baseline); figures, not assertions.",
        "",
        "| benchmark | measure | figure | bare baseline | ratio | goal | met |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    # in the order of the bars, whatever order the phases ran in
    ordered = sorted(lines, key=lambda line: TABLE_ORDER.index(line["benchmark"]) if line["benchmark"] in TABLE_ORDER
                     else len(TABLE_ORDER))
    for line in ordered:
        baseline = "–" if line["baseline"] is None else f"{_number(line['baseline'])} {line['unit']}"
        ratio = "–" if line["ratio"] is None else f"{line['ratio']:.2f}"
        met = {True: "yes", False: "**no**", None: "–"}[line["met"]]
        label = f"{line['measure']}" + (f" (baseline: {line['baseline_label']})" if line["baseline_label"] else "")
        out.append(f"| {line['benchmark']} | {label} | {_number(line['figure'])} {line['unit']} | {baseline} | "
                   f"{ratio} | {line['goal']} | {met} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the roster benchmark")
    parser.add_argument("--persons", type=int, default=500_000, help="persons of the search benchmark's demo")
    parser.add_argument("--db", type=Path, help="an existing demo database for the search benchmark")
    parser.add_argument("--trust-persons", type=int, default=100_000)
    parser.add_argument("--certificates", type=int, default=2000)
    parser.add_argument("--sync-persons", type=int, default=0)
    parser.add_argument("--gui", action=argparse.BooleanOptionalAction, default=True,
                        help="start-up of the main window beside a bare PySide6 window, small and large demo")
    parser.add_argument("--gui-small-persons", type=int, default=10_000)
    parser.add_argument("--gui-small-db", type=Path, help="an existing small demo database for --gui")
    args = parser.parse_args(argv)
    started, load_before, clock = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"), _load(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fpdesk-bench-all-") as temp:
        folder = Path(temp)
        demo = args.db
        if demo is None:
            demo = folder / "demo.sqlite3"
            print(f"building a {args.persons:,}-person demo for the search …", flush=True)
            _demo(demo, args.persons)
        lines_file = folder / "lines.jsonl"
        # the search first: its bar is milliseconds, and a phase that writes a database of a few
        # hundred MB (the rosters') leaves the disk writing it back while the next one runs
        runs = [["tests.benchmarks.foundation", "--search-only", str(demo)]]
        if args.gui:
            small = args.gui_small_db
            if small is None:
                small = folder / "demo-small.sqlite3"
                print(f"building a {args.gui_small_persons:,}-person demo for the start-up …", flush=True)
                _demo(small, args.gui_small_persons)
            runs += [["tests.benchmarks.gui", "--start-only", "--db", str(small)],
                     ["tests.benchmarks.gui", "--start-only", "--db", str(demo)]]
        runs += [["tests.benchmarks.rosters", "--rows", str(args.rows)],
                 ["tests.benchmarks.trust", "--persons", str(args.trust_persons)],
                 ["tests.benchmarks.printing", "--count", str(args.certificates), "--job-households", "0"]]
        if args.sync_persons:
            runs.append(["tests.benchmarks.sync", "--persons", str(args.sync_persons)])
        env = dict(os.environ, FPDESK_BENCH_LINES=str(lines_file))
        for command in runs:
            settled = _settle()
            print(f"running {' '.join(command)} (the disk settled in {settled:.1f} s) …", flush=True)
            subprocess.run([sys.executable, "-m", *command], env=env, cwd=ROOT, check=True)
        lines = [json.loads(line) for line in lines_file.read_text(encoding="utf-8").splitlines()]
    text = table(lines, started=started, load_before=load_before, load_after=_load(),
                 seconds=time.perf_counter() - clock)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"\n{text}\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
