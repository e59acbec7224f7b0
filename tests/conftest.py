"""Test fixtures: a real SQLite file and a real PostgreSQL server, fresh for every test.

PostgreSQL comes from FPDESK_TEST_PG_URL (.ci/run starts a server and sets it). Without it the
PostgreSQL variants are skipped locally, but CI sets FPDESK_REQUIRE_PG=1 so a missing server fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The program logs to a file in the user data folder (services/logbook.py); the tests, and the programs
# they start, log to a folder of their own run instead.
_LOG_FOLDER = None if "FPDESK_LOG_DIR" in os.environ else tempfile.mkdtemp(prefix="fpdesk-test-log-")
if _LOG_FOLDER:
    os.environ["FPDESK_LOG_DIR"] = _LOG_FOLDER
# The CLI speaks the language of the machine (cli/language.py); the tests read its Chinese unless a
# test says otherwise, whatever the locale or the GUI setting of the machine running them.
os.environ.setdefault("FPDESK_LANG", "zh")


@pytest.fixture(autouse=True)
def _chinese_again_after_each_test():
    """A test that runs the CLI in English in-process leaves the process-wide language Chinese again."""
    yield
    from fpdesk.core.language import set_language

    set_language("zh")


def pytest_sessionfinish(session, exitstatus):
    if _LOG_FOLDER:
        from fpdesk.services.logbook import stop_logging

        stop_logging()
        shutil.rmtree(_LOG_FOLDER, ignore_errors=True)

# The Windows bundle's smoke tests run under wine after `bash build/windows/build.sh` (CI's Windows stage),
# never in the ordinary run: FPDESK_WINDOWS_BUILD names the build they test.
collect_ignore_glob = [] if os.environ.get("FPDESK_WINDOWS_BUILD") else ["windows/*"]

PG_URL = os.environ.get("FPDESK_TEST_PG_URL")
REQUIRE_PG = os.environ.get("FPDESK_REQUIRE_PG") == "1"


def pytest_collection_modifyitems(items):
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request, tmp_path):
    """A location for a fresh, empty database on each engine."""
    if request.param == "sqlite":
        return str(tmp_path / "fpdesk.sqlite3")
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("FPDESK_REQUIRE_PG=1 but FPDESK_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL server (set FPDESK_TEST_PG_URL)")
    _reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "fpdesk.sqlite3")


@pytest.fixture
def workspace(db_url):
    """An open workspace set up as the Chengguan township office with two villages."""
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import add_division, init_office
    ws = open_workspace(db_url, author="tester")
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    add_division(ws, code="350421200202", name="城东村", code_year=2024)
    yield ws
    ws.close()
