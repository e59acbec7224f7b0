"""GUI benchmarks: start-up to a usable main window beside a bare PySide6 window, search-as-you-type
through the households screen's own model, and memory with a database scrolled end to end.

    python -m tests.benchmarks.gui [--db EXISTING.sqlite3] [--persons 500000] [--start-only]

Start-up is timed from the moment the process is spawned to the line the program prints once the
main window is shown and the households list's first screenful is painted (FPDESK_SMOKE_TEST); the
bare baseline is a process that shows a QMainWindow holding an empty QTableView of the same columns,
spawned and timed the same way in the same run. A window painted before its database layer was
imported (gui/first_paint.py) opens its database after that line and says so ("database opened"):
that moment is reported too, for context. Exit is timed from the program's last line to the
process's end. The start-up lines report through tests/benchmarks/standing.py (goal: ratio <= 4).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            key, amount = line.split(":")
            values[key] = int(amount.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def ensure_database(path: str | None, persons: int) -> str:
    if path:
        return path
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.opening import open_workspace
    target = str(Path(tempfile.mkdtemp(prefix="fpdesk-gui-bench-")) / "large.sqlite3")
    workspace = open_workspace(target)
    load_demo(workspace, persons=persons, seed=7)
    workspace.close()
    return target


BARE_WINDOW = """
import sys
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
model = QStandardItemModel(0, 9)
model.setHorizontalHeaderLabels(["姓名", "性别", "出生日期", "周岁", "身份证号", "与户主关系", "村（社区）", "电话", "状态"])
table = QTableView()
table.setModel(model)
window.setCentralWidget(table)
window.resize(1366, 768)
window.show()
app.processEvents()
table.viewport().repaint()
print("bare window shown", flush=True)
"""

READY = {"bare": "bare window shown", "fpdesk": "first screenful painted"}
OPENED = "database opened"  # a window painted before its database layer was imported, then opened


def spawn_until(command: list[str], ready: str, env: dict) -> tuple[float, float, float | None]:
    """(seconds from spawn to the line holding ``ready``, seconds from the last line to the process's
    end, seconds from spawn to the OPENED line or None without one)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    shown = opened = None
    for line in process.stdout:
        if ready in line:
            shown = time.perf_counter()
        elif OPENED in line and shown is not None:
            opened = time.perf_counter()
    code = process.wait()
    ended = time.perf_counter()
    if shown is None or code != 0:
        raise RuntimeError(f"{command[-1]}: no '{ready}' line (exit {code})")
    return shown - started, ended - (opened or shown), None if opened is None else opened - started


def start_standings(path: str, runs: int = 5) -> list:
    """Start-up and exit of the program on ``path`` beside the bare window, alternated run by run."""
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import count_persons
    from tests.benchmarks.standing import Standing

    workspace = open_workspace(path)
    persons = count_persons(workspace)
    workspace.close()
    settings = tempfile.mkdtemp(prefix="fpdesk-gui-bench-settings-")  # fresh settings: households shown
    env = dict(os.environ, FPDESK_SMOKE_TEST="1", XDG_CONFIG_HOME=settings, QT_QPA_PLATFORM="offscreen")
    # An installed program starts from compiled bytecode (pip compiles on install, the PyInstaller bundle
    # ships .pyc), so both programs get a bytecode cache that the warm-up run fills; without it a machine
    # that sets PYTHONDONTWRITEBYTECODE compiles ~90 modules on every measured start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="fpdesk-gui-bench-pycache-")
    program = [sys.executable, "-m", "fpdesk", "--db", path]
    bare = [sys.executable, "-c", BARE_WINDOW]
    spawn_until(program, READY["fpdesk"], env)  # warm the file and bytecode caches: every run starts alike
    spawn_until(bare, READY["bare"], env)
    starts, exits, opens, bare_starts, bare_exits = [], [], [], [], []
    for _ in range(runs):
        start, end, _opened = spawn_until(bare, READY["bare"], env)
        bare_starts.append(start)
        bare_exits.append(end)
        start, end, opened = spawn_until(program, READY["fpdesk"], env)
        starts.append(start)
        exits.append(end)
        if opened is not None:
            opens.append(opened)
    start, bare_start = statistics.median(starts), statistics.median(bare_starts)
    label = "bare PySide6 window: QMainWindow + empty QTableView of the same columns, shown"
    lines = [
        Standing("gui", f"start to main window + first screenful painted, {persons:,} persons (median of {runs})",
                 start, "s", bare_start, label, "ratio <= 4", start / bare_start <= 4),
    ]
    if len(opens) == runs:
        lines.append(Standing("gui", f"start to its database opened after the first paint, {persons:,} persons",
                              statistics.median(opens), "s", bare_start, "the bare window's start", "-", None))
    lines.append(Standing("gui", f"exit after the window was shown, {persons:,} persons (median of {runs})",
                          statistics.median(exits), "s", statistics.median(bare_exits), "the bare window's exit",
                          "-", None))
    return lines


def typing_sequences(workspace, count: int = 60) -> list[list[str]]:
    """What people type, a character at a time: names, pinyin initials, ID fragments."""
    from sqlalchemy import select, text

    from fpdesk.storage.schema import Person

    rng = random.Random(3)
    with workspace.read() as session:
        people = session.execute(select(Person.name, Person.name_initials, Person.id_number)
                                 .where(text("person.rowid % 211 = 0"))).all()
    sequences = []
    for person in rng.sample(people, min(count, len(people))):  # a small demo has fewer
        sequences.append([person.name[:i] for i in range(1, len(person.name) + 1)])
        sequences.append([person.name_initials[:i] for i in range(1, len(person.name_initials) + 1)])
        sequences.append([person.id_number[-i:] for i in range(3, 7)])
    return sequences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--start-only", action="store_true", help="only start-up and exit beside the bare window")
    args = parser.parse_args()
    path = ensure_database(args.db, args.persons)
    from tests.benchmarks.standing import report

    report(start_standings(path))
    if args.start_only:
        return 0

    from PySide6.QtWidgets import QApplication

    from fpdesk.gui.screens.households import HouseholdsScreen
    from fpdesk.services.opening import open_workspace
    app = QApplication.instance() or QApplication([])
    workspace = open_workspace(path)
    baseline_rss = rss_mb()[0]
    screen = HouseholdsScreen(workspace)
    screen.resize(1100, 700)
    screen.show()
    app.processEvents()
    times = []
    for sequence in typing_sequences(workspace):
        for text in sequence:
            screen.search_box.setText(text)
            started = time.perf_counter()
            screen.run_search()
            for row in range(min(25, screen.model.rowCount())):  # the first screenful is painted
                screen.model.data(screen.model.index(row, 0))
            app.processEvents()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()

    screen.search_box.setText("")
    screen.model.set_ids([])
    started = time.perf_counter()
    screen.run_search()
    while screen.model.rowCount() == 0:
        app.processEvents()
        time.sleep(0.001)
    browse_all_s = time.perf_counter() - started
    scrollbar = screen.table.verticalScrollBar()
    started = time.perf_counter()
    step = max(1, scrollbar.pageStep())
    position = 0
    while True:  # the list grows a page at a time as the bar reaches its end: on until it stops
        scrollbar.setValue(min(position, scrollbar.maximum()))
        app.processEvents()
        if position >= scrollbar.maximum() and not screen.model.canFetchMore():
            break
        position += step * 25  # a fast drag of the scroll bar, every 25th page painted
    scroll_s = time.perf_counter() - started
    current, peak = rss_mb()

    rows = [
        ("persons in database", f"{screen.model.rowCount():,}", ""),
        ("search-as-you-type through the model, p50", f"{statistics.median(times):.1f} ms", f"{len(times)} keystrokes"),
        ("search-as-you-type through the model, p95", f"{times[int(len(times) * 0.95) - 1]:.1f} ms", "bar <= 50 ms"),
        ("list everyone: first page (ids only, background)", f"{browse_all_s:.2f} s", ""),
        ("scroll end to end (pages read as scrolled)", f"{scroll_s:.2f} s", f"cache holds {len(screen.model.cache):,} rows"),
        ("memory resident after scrolling", f"{current:.0f} MB", f"peak {peak:.0f} MB; bar <= 400 MB"),
        ("memory before the screen opened", f"{baseline_rss:.0f} MB", "Qt + SQLAlchemy + database open"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'figure':<16}  note")
    for name, figure, note in rows:
        print(f"{name:<{width}}  {figure:<16}  {note}")
    from fpdesk.gui.ops import shutdown_workers

    shutdown_workers()
    screen.deleteLater()
    app.processEvents()
    workspace.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
