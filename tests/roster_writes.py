"""What the two roster-write comparisons share (tests/services/test_roster_bound_rows.py,
test_roster_pipelined.py): the office a roster is written into, the same ids and clock for both
writes, and every row of the database as text. Imported by name: tests/ is on sys.path via conftest."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import types
from pathlib import Path

import pytest
from roster_builders import register_known_family

from fpdesk.core import ids
from fpdesk.services.opening import open_workspace
from fpdesk.services.workspace import add_division, init_office
from fpdesk.storage import schema

TODAY = dt.date(2026, 1, 5)
CLOCK = dt.datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=dt.UTC)


def office_with_known_family(folder: Path) -> Path:
    """A township office with two villages and the known family registered."""
    office = folder / "office.sqlite3"
    ws = open_workspace(str(office), author="tester")
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    add_division(ws, code="350421200202", name="城东村", code_year=2024)
    register_known_family(ws)
    ws.close()
    return office


class _Clock(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return CLOCK.astimezone(tz)


def same_ids_and_clock(patch: pytest.MonkeyPatch) -> None:
    """Ids minted from one seed at one millisecond (the counter, then the next milliseconds, as
    new_ids goes on), and every utc_now the same moment."""
    draw = random.Random(22)
    patch.setattr(ids, "os", types.SimpleNamespace(urandom=draw.randbytes))
    patch.setattr(ids, "time", types.SimpleNamespace(time_ns=lambda: 1_767_605_400_000_000_000))
    patch.setattr(ids, "_last_ms", 0)
    patch.setattr(ids, "_counter", 0)
    patch.setattr(schema, "dt", types.SimpleNamespace(datetime=_Clock, UTC=dt.UTC))


def dump_tables(path: Path, *, with_schema: bool = False) -> dict[str, list[str]]:
    """Every row of every table (the change log in its order, the others sorted), as text; with
    ``with_schema`` the tables', indexes' and triggers' SQL too."""
    connection = sqlite3.connect(path)
    try:
        names = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        found = {}
        for name in names:
            order = " ORDER BY local_seq" if name == "change_log" else ""
            rows = [repr(tuple(row)) for row in connection.execute(f'SELECT * FROM "{name}"{order}')]
            found[name] = rows if order else sorted(rows)
        if with_schema:
            found["(schema)"] = sorted(repr(row) for row in connection.execute("SELECT type, name, sql FROM sqlite_master"))
        return found
    finally:
        connection.close()
