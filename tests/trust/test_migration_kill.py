"""A migration killed at any moment leaves a database that opens: the migrations run as one transaction
(SQLite's transactional DDL), so a kill leaves the old revision whole, and the next start migrates again
from the one before-migration copy it made the first time (reused, not one more per attempt).

25 or more SIGKILL trials of a database migrated from revision 0004 (a demo village of 600 people, its change
log chained by the migration), and 10 of a new database being made (the first start of `fpdesk demo`).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, select

from fpdesk.services.demo.database import load_demo
from fpdesk.services.opening import open_workspace
from fpdesk.services.trust import audit
from fpdesk.services.workspace import add_division
from fpdesk.storage import database
from fpdesk.storage.schema import Person
from fpdesk.storage.sqlite_files import integrity_problem

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kill trials fork a child process")


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(database.__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    return config


def _base_at_0004(folder: Path) -> tuple[Path, int]:
    location = folder / "base.sqlite3"
    workspace = open_workspace(str(location))
    load_demo(workspace, scale="village", persons=600, seed=3)
    persons = workspace.db.read().scalar(select(func.count()).select_from(Person))
    with workspace.db.engine.begin() as connection:
        command.downgrade(_config(connection), "0004")
    workspace.close()
    connection = sqlite3.connect(location)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return location, persons


def _run(job, delay: float | None) -> bool:
    """Fork; the child runs ``job``. With a delay, SIGKILL it then. True when it finished on its own."""
    return _timed_run(job, delay)[0]


def _timed_run(job, delay: float | None) -> tuple[bool, float]:
    """``_run``, and the seconds from the fork to the child's end."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            job()
            code = 0
        finally:
            os._exit(code)
    if delay is not None:
        deadline = started + delay
        while time.perf_counter() < deadline:
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, time.perf_counter() - started
            time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, time.perf_counter() - started


def _copies(location: Path) -> list[Path]:
    return sorted(location.parent.glob(f"{location.stem}.before-migration-*"))


def _trial_folder(root: Path, base: Path) -> Path:
    folder = root / "trial"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    target = folder / "office.sqlite3"
    shutil.copyfile(base, target)
    return target


def test_a_copy_killed_half_written_is_removed_by_the_next_start(tmp_path):
    """The kill trials reach this only when the kill falls inside the copy; here it is made certain."""
    base, _ = _base_at_0004(tmp_path)
    location = _trial_folder(tmp_path, base)
    fragment = location.with_name(f"{location.stem}.before-migration-from-0004.20261205-193310.sqlite3.partial")
    fragment.write_bytes(b"SQLite format 3\x00" + b"\x00" * 1000)
    database.open_database(str(location)).close()
    copies = _copies(location)
    assert len(copies) == 1 and not copies[0].name.endswith(".partial")


def test_a_killed_migration_leaves_a_database_that_opens_with_one_copy_aside(tmp_path):
    base, persons = _base_at_0004(tmp_path)
    took = float("inf")
    for _ in range(3):  # the fastest of three: one slow start (cold cache, a busy machine) would put
        # most kill delays after the migration's end, and the trials would kill too few to prove anything
        measure = _trial_folder(tmp_path, base)
        started = time.perf_counter()
        assert _run(lambda measure=measure: database.open_database(str(measure)).close(), None)
        took = min(took, time.perf_counter() - started)
    rng = random.Random(int(os.environ.get("FPDESK_KILL_SEED", "20261123")))
    killed = 0
    problems = []
    for trial in range(40):
        if trial >= 25 and killed >= 10:  # trials past 25 only while too few kills have landed
            break
        location = _trial_folder(tmp_path, base)
        delay = rng.uniform(0.0, took * 1.1)
        completed, seconds = _timed_run(lambda location=location: database.open_database(str(location)).close(), delay)
        killed += not completed
        if completed:  # the machine got faster than when it was measured (CI runs other work beside the
            # suite): later delays follow the start just seen, or they would fall after the migration's end
            took = min(took, seconds)
        problem = integrity_problem(location)
        if problem:
            problems.append(f"trial {trial} ({delay:.3f} s): integrity {problem}")
            continue
        for attempt in range(2):  # the next start, and the one after it
            try:
                workspace = open_workspace(str(location))
            except Exception as exc:
                problems.append(f"trial {trial} ({delay:.3f} s): start {attempt + 1} fails: {exc!r}")
                break
            try:
                assert database.current_revision(workspace.db.engine) == database.SCHEMA_HEAD
                with workspace.read() as session:
                    found = session.scalar(select(func.count()).select_from(Person))
                if found != persons:
                    problems.append(f"trial {trial}: {found} persons, expected {persons}")
                if not audit.verify(workspace).ok:
                    problems.append(f"trial {trial}: audit chain broken")
                add_division(workspace, code=f"350421101{201 + trial * 2 + attempt:03d}", name="新村", code_year=2024)
            finally:
                workspace.close()
        copies = _copies(location)
        if len(copies) > 1:
            problems.append(f"trial {trial}: {len(copies)} before-migration copies: {[c.name for c in copies]}")
    assert problems == []
    assert killed >= 10  # most kills land inside the migration, not after it


def test_a_new_database_killed_while_it_is_made_opens_next_time(tmp_path):
    measure = tmp_path / "measure.sqlite3"
    started = time.perf_counter()
    assert _run(lambda: database.open_database(str(measure)).close(), None)
    took = time.perf_counter() - started
    rng = random.Random(7)
    problems = []
    for trial in range(10):
        location = tmp_path / f"new{trial}.sqlite3"
        _run(lambda location=location: database.open_database(str(location)).close(), rng.uniform(0.0, took))
        try:
            database.open_database(str(location)).close()
        except Exception as exc:
            problems.append(f"trial {trial}: {exc!r}")
    assert problems == []
