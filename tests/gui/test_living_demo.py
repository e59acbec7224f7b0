"""``fpdesk --demo`` on the real screens: the village office's season in progress shows on every screen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel

from fpdesk.gui.main_window import MainWindow
from fpdesk.services.demo.season import load_living_demo
from fpdesk.services.opening import open_workspace


@pytest.fixture
def living_demo(tmp_path):
    workspace = open_workspace(str(tmp_path / "demo.sqlite3"), author="罗秀梅")
    summary = load_living_demo(workspace, today=dt.date(2026, 12, 5))
    yield workspace, summary
    workspace.close()


def test_every_screen_of_the_demo_has_something_on_it(qtbot, chinese_app, living_demo, user_settings, screenshot):
    workspace, summary = living_demo
    window = MainWindow(workspace, user_settings, today=summary.day)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    assert any("罗翠村计划生育协会" in label.text() for label in window.statusBar().findChildren(QLabel))
    qtbot.waitUntil(lambda: window.households.model.rowCount() > 100)
    screenshot(window, "demo_households_zh")
    window.go_to_screen(1)
    assert window.enrollment.product.count() > 0  # a village is offered its province's products
    screenshot(window, "demo_enrollment_zh")
    window.go_to_screen(3)
    assert window.claims.table.rowCount() == summary.claims == 3
    screenshot(window, "demo_claims_zh")
    window.go_to_screen(4)
    window.progress.refresh()
    report = window.progress.report
    assert report.total.enrolled.total > report.total.previous.total > 0 and report.total.target.total > 0
    assert window.progress.tree.topLevelItemCount() > 0
    screenshot(window, "demo_progress_zh")
