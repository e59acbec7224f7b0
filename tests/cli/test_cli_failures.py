"""An unexpected error in a command: the traceback goes to the log file, the screen gets one line
naming it, and the exit code is the 1 Python gave before."""

from __future__ import annotations

import pytest

from fpdesk.cli.main import main
from fpdesk.services import logbook


@pytest.fixture
def broken_stats(monkeypatch):
    import fpdesk.cli.commands.stats_cmd as stats_cmd

    def run(_args):
        raise KeyError("townships")  # a bug, not a refusal

    monkeypatch.setattr(stats_cmd, "run", run)


@pytest.fixture
def log_folder(tmp_path, monkeypatch):
    logbook.stop_logging()
    monkeypatch.setenv("FPDESK_LOG_DIR", str(tmp_path / "logs"))
    yield tmp_path / "logs"
    logbook.stop_logging()


def test_an_internal_error_names_the_log_file_and_exits_1(broken_stats, log_folder, tmp_path, capsys):
    code = main(["stats", "--db", str(tmp_path / "v.sqlite3"), "--json"])
    out, err = capsys.readouterr()
    log_file = log_folder / "fpdesk.log"
    assert code == 1 and out == ""  # no JSON was printed before either
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "程序内部出错（KeyError）" in err and str(log_file) in err
    text = log_file.read_text(encoding="utf-8")
    assert "cli stats started" in text and "Traceback" in text and "KeyError: 'townships'" in text


def test_without_a_log_the_traceback_is_printed(broken_stats, tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    logbook.stop_logging()
    monkeypatch.setenv("FPDESK_LOG_DIR", str(blocked / "logs"))
    try:
        code = main(["stats", "--db", str(tmp_path / "v.sqlite3")])
    finally:
        logbook.stop_logging()
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" in err and "KeyError" in err and "程序内部出错" in err


def test_a_refusal_is_logged_by_its_code(log_folder, tmp_path, capsys):
    db = str(tmp_path / "v.sqlite3")
    arguments = ["init", "--db", db, "--office-code", "350421200", "--office-level", "township",
                 "--office-name", "城关乡计生协"]
    assert main(arguments) == 0
    assert main(arguments) == 1
    text = (log_folder / "fpdesk.log").read_text(encoding="utf-8")
    assert "refused: db_already_initialised" in text and "城关乡" not in text
