"""GUI benchmarks: search-as-you-type through the households screen's own model, memory with a
500,000-person database scrolled end to end, and start-up to a usable main window.

    python -m tests.benchmarks.gui [--db EXISTING.sqlite3] [--persons 500000]
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


def typing_sequences(workspace, count: int = 60) -> list[list[str]]:
    """What people type, a character at a time: names, pinyin initials, ID fragments."""
    from sqlalchemy import select, text

    from fpdesk.storage.schema import Person

    rng = random.Random(3)
    with workspace.read() as session:
        people = session.execute(select(Person.name, Person.name_initials, Person.id_number)
                                 .where(text("person.rowid % 211 = 0"))).all()
    sequences = []
    for person in rng.sample(people, count):
        sequences.append([person.name[:i] for i in range(1, len(person.name) + 1)])
        sequences.append([person.name_initials[:i] for i in range(1, len(person.name_initials) + 1)])
        sequences.append([person.id_number[-i:] for i in range(3, 7)])
    return sequences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    parser.add_argument("--persons", type=int, default=500_000)
    args = parser.parse_args()
    path = ensure_database(args.db, args.persons)

    env = dict(os.environ, FPDESK_SMOKE_TEST="1")
    starts = []
    for _ in range(5):
        result = subprocess.run([sys.executable, "-m", "fpdesk", "--db", path], env=env, capture_output=True,
                                text=True, check=True)
        starts.append(float(result.stdout.split("main window up in")[1].split()[0]))

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
        time.sleep(0.01)
    browse_all_s = time.perf_counter() - started
    scrollbar = screen.table.verticalScrollBar()
    started = time.perf_counter()
    step = max(1, scrollbar.pageStep())
    position = 0
    while position <= scrollbar.maximum():
        scrollbar.setValue(position)
        app.processEvents()
        position += step * 25  # a fast drag of the scroll bar, every 25th page painted
    scrollbar.setValue(scrollbar.maximum())
    app.processEvents()
    scroll_s = time.perf_counter() - started
    current, peak = rss_mb()

    rows = [
        ("persons in database", f"{screen.model.rowCount():,}", ""),
        ("start to usable main window (median of 5)", f"{statistics.median(starts):.2f} s", "bar <= 1.0 s"),
        ("search-as-you-type through the model, p50", f"{statistics.median(times):.1f} ms", f"{len(times)} keystrokes"),
        ("search-as-you-type through the model, p95", f"{times[int(len(times) * 0.95) - 1]:.1f} ms", "bar <= 50 ms"),
        ("list everyone (ids only, background)", f"{browse_all_s:.2f} s", ""),
        ("scroll end to end", f"{scroll_s:.2f} s", f"cache holds {len(screen.model.cache):,} rows"),
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
