"""The log file: it rotates, a folder that cannot be written does not stop the program, and no ID or
mobile number reaches it."""

from __future__ import annotations

import logging
import os
import platform

import pytest

from fpdesk.services import logbook


@pytest.fixture
def fresh_log():
    """No log configured before or after (an earlier test, or the CLI in-process, may have set one up)."""
    logbook.stop_logging()
    yield
    logbook.stop_logging()


def test_the_log_rotates_and_keeps_five_old_files(fresh_log, tmp_path):
    path = logbook.configure_logging(tmp_path / "logs", max_bytes=2_000)
    assert path == tmp_path / "logs" / "fpdesk.log"
    log = logging.getLogger("fpdesk.services.test")
    for number in range(400):
        log.info("line %d of an ordinary day's work", number)
    logbook.stop_logging()
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["fpdesk.log", *(f"fpdesk.log.{n}" for n in range(1, logbook.BACKUPS + 1))]
    assert all(p.stat().st_size <= 2_000 for p in path.parent.iterdir())
    assert "line 399 " in path.read_text(encoding="utf-8")


def test_a_folder_that_cannot_be_written_leaves_the_program_without_a_log(fresh_log, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert logbook.configure_logging(blocked / "logs") is None
    assert logbook.current_log_file() is None
    logging.getLogger("fpdesk.services.test").warning("still running")  # says nothing, raises nothing


def test_a_rotation_that_fails_keeps_writing_to_the_current_file(fresh_log, tmp_path, monkeypatch):
    """On Windows a second fpdesk holding the file makes the rename fail; the lines must not be lost."""
    path = logbook.configure_logging(tmp_path / "logs", max_bytes=500)
    log = logging.getLogger("fpdesk.services.test")
    log.info("x" * 300)

    def refused(source, target):
        raise PermissionError(13, "The process cannot access the file", source)

    monkeypatch.setattr(os, "rename", refused)
    log.info("after the refused rotation %s", "y" * 150)
    logbook.stop_logging()
    assert "after the refused rotation" in path.read_text(encoding="utf-8")
    assert not (path.parent / "fpdesk.log.1").exists()


def test_id_and_mobile_numbers_are_masked_in_the_log(fresh_log, tmp_path):
    path = logbook.configure_logging(tmp_path / "logs")
    try:
        raise ValueError("no row for 35042119810305005X, phone 13912342222")
    except ValueError:
        logging.getLogger("fpdesk.services.test").exception("lookup failed")
    logbook.stop_logging()
    text = path.read_text(encoding="utf-8")
    assert "350421********005X" in text and "139****2222" in text and "Traceback" in text
    assert "35042119810305005X" not in text and "13912342222" not in text


def test_opening_a_database_and_a_backup_are_logged(fresh_log, tmp_path):
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.trust.backups import backup
    from fpdesk.services.workspace import init_office
    path = logbook.configure_logging(tmp_path / "logs")
    logbook.log_start("test")
    workspace = open_workspace(str(tmp_path / "office.sqlite3"))
    init_office(workspace, code="350421200", level="township", name="城关乡计生协")
    backup(workspace, tmp_path / "copy.sqlite3")
    workspace.close()
    logbook.stop_logging()
    text = path.read_text(encoding="utf-8")
    assert "fpdesk " in text and " test started" in text
    assert f": {logbook.system_line()}, Python " in text and logbook.system_line().startswith(platform.system())
    assert f"database opened: {tmp_path / 'office.sqlite3'} (sqlite)" in text
    assert f"backup made: {tmp_path / 'copy.sqlite3'}" in text
