"""The supported Windows versions, decided in one place (fpdesk/core/windows_support.py): the window
refuses older ones with a sentence instead of Qt's "DLL load failed"; the command line warns and goes on.
The Windows stage of CI runs the real bundle with wine set to Windows 8.1 (tests/windows)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from fpdesk.core import windows_support


def _pretend_windows(monkeypatch, major: int, minor: int, build: int) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "getwindowsversion", lambda: SimpleNamespace(major=major, minor=minor, build=build),
                        raising=False)


@pytest.mark.parametrize(("major", "minor", "build", "served"), [
    (10, 0, 22631, True),   # Windows 11 23H2
    (10, 0, 17763, True),   # Windows 10 1809
    (10, 0, 14393, False),  # Windows 10 1607 (LTSB 2016): no system icuuc.dll for PySide6 6.10+
    (6, 3, 9600, False),    # Windows 8.1
])
def test_windows_versions_served(monkeypatch, major, minor, build, served):
    _pretend_windows(monkeypatch, major, minor, build)
    reason = windows_support.unsupported_windows()
    assert (reason is None) is served
    if not served:
        assert "1809" in reason[0] and f"{major}.{minor}" in reason[0] and str(build) in reason[1]


def test_other_systems_are_not_judged():
    assert sys.platform != "win32" and windows_support.unsupported_windows() is None


def test_the_window_refuses_before_qt_loads(monkeypatch, capsys):
    from fpdesk.gui import app

    _pretend_windows(monkeypatch, 6, 3, 9600)
    monkeypatch.setenv(app.SMOKE_ENV, "1")
    assert app.run_gui(db=None) == 1
    assert "Windows 10" in capsys.readouterr().err


def test_the_command_line_warns_and_goes_on(monkeypatch, capsys):
    from fpdesk import launcher

    _pretend_windows(monkeypatch, 6, 3, 9600)
    assert launcher.main(["--version"]) == 0
    captured = capsys.readouterr()
    assert "fpdesk" in captured.out and "Windows 6.3" in captured.err
