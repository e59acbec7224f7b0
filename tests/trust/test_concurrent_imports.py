"""Several processes importing at once into one database: on PostgreSQL eight townships' rosters at a
county server, on SQLite a second (and third) instance on the same file. No update lost, no deadlock,
and the audit chain stays one unbroken chain in commit order."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from roster_builders import person, write_roster
from sqlalchemy import func, select

from fpdesk.core.idnumber import make_number
from fpdesk.services.opening import open_workspace
from fpdesk.services.trust import audit
from fpdesk.services.workspace import add_division, init_office
from fpdesk.storage.schema import ChangeEntry, DeviceCounter, Household, Person

TOWNSHIPS = [(f"350421{200 + i:03d}", f"第{i + 1}乡") for i in range(8)]


def _county(location: str, townships: int) -> None:
    ws = open_workspace(location)
    init_office(ws, code="350421", level="county", name="明溪县计生协")
    for code, name in TOWNSHIPS[:townships]:
        add_division(ws, code=code, name=name, code_year=2024)
        add_division(ws, code=code + "201", name="中心村", code_year=2024)
    ws.close()


def _roster(folder: Path, index: int, households: int) -> Path:
    township = TOWNSHIPS[index][1]
    rows, seq = [], 1
    for h in range(households):
        head = f"户主{index}-{h}"
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=index * 600 + h * 3)
        rows.append(person(seq, head, make_number("350421", birth, 101 + index * 2), "户主", head=head,
                           village="中心村"))
        rows[-1][1] = township
        rows.append(person(seq + 1, f"配偶{index}-{h}", make_number("350421", birth, 100 + index * 2), "配偶",
                           head=head, village="中心村"))
        rows[-1][1] = township
        seq += 2
    return write_roster(folder / f"township{index}.xlsx", rows)


def _import_all(location: str, files: list[Path]) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    started = [subprocess.Popen([sys.executable, "-m", "fpdesk", "roster", "import", str(path), "--db", location,
                                 "--year", "2024", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env) for path in files]
    results = []
    for process in started:
        out, err = process.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _check(location: str, processes: int, households: int) -> None:
    ws = open_workspace(location)
    try:
        with ws.read() as session:
            assert session.scalar(select(func.count()).select_from(Household)) == processes * households
            assert session.scalar(select(func.count()).select_from(Person)) == processes * households * 2
            logged = session.scalar(select(func.count()).select_from(ChangeEntry))
            counter = session.scalar(select(DeviceCounter.last_seq))
            assert counter == logged  # every change took its own sequence number: none lost, none twice
        verification = audit.verify(ws)
        assert verification.ok and verification.entries == logged, verification
    finally:
        ws.close()


@pytest.mark.postgresql
def test_eight_townships_import_at_once_into_postgresql(tmp_path):
    from sqlalchemy import create_engine, text

    PG_URL = os.environ.get("FPDESK_TEST_PG_URL")
    if not PG_URL:
        if os.environ.get("FPDESK_REQUIRE_PG") == "1":
            pytest.fail("FPDESK_REQUIRE_PG=1 but FPDESK_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL server (set FPDESK_TEST_PG_URL)")
    engine = create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    households = 40
    _county(PG_URL, 8)
    results = _import_all(PG_URL, [_roster(tmp_path, i, households) for i in range(8)])
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
        assert "deadlock" not in result.stderr.lower()
    _check(PG_URL, 8, households)


def test_a_second_and_third_instance_on_one_sqlite_file_work_safely(tmp_path):
    location = str(tmp_path / "shared.sqlite3")
    households = 25
    _county(location, 3)
    results = _import_all(location, [_roster(tmp_path, i, households) for i in range(3)])
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
    _check(location, 3, households)
