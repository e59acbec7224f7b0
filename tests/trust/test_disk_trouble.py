"""A full disk and a read-only stick give clear messages and lose nothing (real tmpfs mounts when the
machine allows them — CI runs as root — and SQLite's own page limit otherwise)."""

import subprocess
import sys

import pytest
from sqlalchemy import event, func, select

from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.workspace import add_division, init_office
from fpdesk.storage.schema import Person


def _mount(folder, options):
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    _mount(folder, "size=3m")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def _setup(location):
    ws = open_workspace(location)
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    return ws


def _fill(ws, start, count):
    import datetime as dt

    for i in range(start, start + count):
        number = make_number("350421", dt.date(1970, 1, 1) + dt.timedelta(days=i), 11)
        hh.register_household(ws, HouseholdDraft(division_code="350421200201", address="罗翠村" + "号" * 150),
                              [PersonDraft(f"张{i}", number, Relation.HEAD)])


def _persons(ws):
    with ws.read() as session:
        return session.scalar(select(func.count()).select_from(Person))


def test_a_full_disk_refuses_the_write_clearly_and_keeps_what_was_saved(small_disk):
    ws = _setup(str(small_disk / "fpdesk.sqlite3"))
    saved = 0
    with pytest.raises(DomainError) as caught:
        for i in range(0, 18000, 10):
            _fill(ws, i, 10)
            saved = _persons(ws)
    assert caught.value.code == "disk_full" and "磁盘已满" in caught.value.message_zh
    assert _persons(ws) >= saved > 0
    ws.close()
    subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)
    ws = open_workspace(str(small_disk / "fpdesk.sqlite3"))  # with room again it works on
    assert _persons(ws) >= saved
    _fill(ws, 19000, 1)
    from fpdesk.services.trust import audit

    assert audit.verify(ws).ok
    ws.close()


def test_sqlite_page_limit_stands_in_for_a_full_disk(sqlite_url):
    ws = _setup(sqlite_url)
    _fill(ws, 0, 2)
    ws.db.engine.dispose()
    event.listen(ws.db.engine, "connect",
                 lambda connection, _record: connection.execute("PRAGMA max_page_count = 30"))
    with pytest.raises(DomainError) as caught:
        _fill(ws, 10, 500)
    assert caught.value.code == "disk_full"
    assert _persons(ws) >= 2
    ws.close()


def test_a_read_only_stick_is_named_as_such(small_disk):
    location = small_disk / "fpdesk.sqlite3"
    ws = _setup(str(location))
    _fill(ws, 0, 3)
    ws.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(DomainError) as caught:
        open_workspace(str(location))
    assert caught.value.code == "db_read_only" and "只读" in caught.value.message_zh
    with pytest.raises(DomainError) as caught:
        open_workspace(str(small_disk / "new" / "fpdesk.sqlite3"))
    assert caught.value.code == "db_read_only"
    done = subprocess.run([sys.executable, "-m", "fpdesk", "stats", "--db", str(location)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "db_read_only" in done.stderr and "Traceback" not in done.stderr
