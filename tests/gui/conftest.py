"""GUI fixtures: fresh settings in a temporary file, a demo village workspace, Chinese typing.

Screenshots go to FPDESK_SCREENSHOTS (a folder outside git) when it is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


@pytest.fixture
def screenshot():
    folder = os.environ.get("FPDESK_SCREENSHOTS")

    def grab(widget, name: str) -> Path | None:
        if not folder:
            return None
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()  # a row a layout took in is shown by a queued call: let it run first
        assert widget.grab().save(str(path))
        return path

    return grab


@pytest.fixture
def user_settings(tmp_path):
    from fpdesk.gui.settings import UserSettings

    return UserSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def chinese_app(qapp):
    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.setup import install_font

    install_font(qapp)  # the application's style sheet with it
    install_language(qapp, "zh_CN")
    return qapp


@pytest.fixture
def village_workspace(tmp_path):
    """A village office (罗翠村) with the demo village's 600 people in it."""
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(str(tmp_path / "village.sqlite3"), author="录入员")
    load_demo(workspace, scale="village", seed=2)
    yield workspace
    workspace.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """A household editor a test left open with typing in it would ask "放弃修改？" when pytest-qt
    closes it, and wait for an answer nobody gives: close such editors without asking first."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        from fpdesk.gui.dialogs.household_editor import HouseholdEditor

        for widget in app.topLevelWidgets():
            if isinstance(widget, HouseholdEditor) and widget.isVisible():
                widget.done(0)
    return (yield)
