"""`fpdesk backup --out` never overwrites a file without --force, and never (even with --force) the
database itself, another office's fpdesk database or a database in use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def fpdesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def office(path, code: str, name: str) -> str:
    location = str(path)
    done = fpdesk("init", "--db", location, "--office-code", code, "--office-level", "township", "--office-name", name)
    assert done.returncode == 0, done.stderr
    return location


@pytest.fixture
def ours(tmp_path):
    return office(tmp_path / "ours.sqlite3", "350421200", "城关乡计生协")


def test_an_existing_file_is_kept_unless_forced(ours, tmp_path):
    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"last week's notes")
    done = fpdesk("backup", "--db", ours, "--out", str(target), "--json")
    assert done.returncode == 1 and "--force" in done.stderr
    assert target.read_bytes() == b"last week's notes"
    assert fpdesk("backup", "--db", ours, "--out", str(target)).returncode == 1
    done = fpdesk("backup", "--db", ours, "--out", str(target), "--force", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] and target.read_bytes()[:16] == b"SQLite format 3\x00"
    # an older backup of this office is ours to replace
    assert fpdesk("backup", "--db", ours, "--out", str(target), "--force").returncode == 0


def test_another_offices_database_is_never_overwritten(ours, tmp_path):
    theirs = office(tmp_path / "theirs.sqlite3", "350421201", "瀚仙镇计生协")
    before = (tmp_path / "theirs.sqlite3").read_bytes()
    for extra in ((), ("--force",)):
        done = fpdesk("backup", "--db", ours, "--out", theirs, *extra)
        assert done.returncode == 1 and "350421201" in done.stderr, done.stderr
    assert (tmp_path / "theirs.sqlite3").read_bytes() == before
    done = fpdesk("backup", "--db", ours, "--out", ours, "--force")
    assert done.returncode == 1
    assert fpdesk("stats", "--db", ours).returncode == 0
