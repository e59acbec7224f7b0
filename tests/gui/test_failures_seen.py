"""Failures nobody planned for are logged with their traceback and said with the log file's place;
a background job without a failure callback never raises into Qt's event loop."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from fpdesk.core.errors import DomainError
from fpdesk.gui import failures
from fpdesk.gui.ops import BackgroundOp
from fpdesk.services import logbook


@pytest.fixture
def log_file(tmp_path):
    logbook.stop_logging()
    path = logbook.configure_logging(tmp_path / "logs")
    yield path
    logbook.stop_logging()


@pytest.fixture
def hooks(chinese_app, log_file):
    failures.install_failure_hooks()
    yield
    failures.uninstall_failure_hooks()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, (failures.ErrorDialog, QMessageBox)) and widget.isVisible():
            widget.done(0)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_a_dialog_names_the_log(qtbot, hooks, log_file, screenshot):
    button = QPushButton("统计")
    qtbot.addWidget(button)

    def count_again():
        raise ZeroDivisionError("no households for 35042119810305005X")

    button.clicked.connect(count_again)
    button.click()  # PySide6 hands the exception to sys.excepthook; without the hook it went to stderr only
    dialog = failures.shown_error_dialog()
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "程序出错" and str(log_file) in dialog.where.text()
    assert "ZeroDivisionError" in dialog.details.toPlainText()
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "in count_again" in text and "ZeroDivisionError" in text
    assert "35042119810305005X" not in text and "35042119810305005X" not in dialog.details.toPlainText()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert str(log_file) in copied and "count_again" in copied
    screenshot(dialog, "error_dialog")
    button.click()  # a second failure while the dialog is open: added to it, not a second dialog
    assert failures.shown_error_dialog() is dialog and dialog.details.toPlainText().count("ZeroDivisionError") >= 2


@pytest.mark.qt_no_exception_capture
def test_a_thread_failure_and_a_qt_warning_reach_the_log(qtbot, hooks, log_file):
    worker = threading.Thread(target=lambda: {}["missing"], name="printer-check")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: failures.shown_error_dialog() is not None)  # shown on the GUI thread
    qWarning("QPainter::begin: Paint device returned engine == 0")
    text = log_file.read_text(encoding="utf-8")
    assert "in thread printer-check" in text and "KeyError" in text
    assert "WARNING fpdesk.qt" in text and "Paint device returned engine" in text


def test_a_background_job_without_a_failure_callback_says_a_refusal(qtbot, hooks, log_file):
    def job(_progress):
        raise DomainError("not_permitted", {"who": "录入员", "action": "导出"})

    op = BackgroundOp(None, job).run()
    qtbot.waitUntil(lambda: op not in BackgroundOp.running)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1 and boxes[0].windowTitle() == "不能执行"
    assert boxes[0].text() == DomainError("not_permitted", {"who": "录入员", "action": "导出"}).message_zh
    assert failures.shown_error_dialog() is None
    text = log_file.read_text(encoding="utf-8")
    assert "refused: not_permitted" in text and "录入员" not in text  # the code, never the message


def test_a_background_job_without_a_failure_callback_reports_a_bug_and_goes_on(qtbot, hooks, log_file):
    """The exception was raised again inside the Qt slot: lost in the windowed program (pytest-qt
    fails the test on it)."""

    def job(_progress):
        return 1 / 0

    op = BackgroundOp(None, job).run()
    qtbot.waitUntil(lambda: op not in BackgroundOp.running)
    dialog = failures.shown_error_dialog()
    assert dialog is not None and dialog.isVisible() and str(log_file) in dialog.where.text()
    text = log_file.read_text(encoding="utf-8")
    assert "unexpected failure in test_a_background_job" in text and "ZeroDivisionError" in text
    results = []
    BackgroundOp(None, lambda _progress: 42).success(results.append).run()  # the worker still works
    qtbot.waitUntil(lambda: results == [42])


def test_a_failure_callback_that_raises_again_is_reported_once(qtbot, hooks, log_file):
    """The renewal screen's callback raises what it does not expect."""

    def job(_progress):
        raise OSError(28, "No space left on device")

    def failed(error):
        raise error

    op = BackgroundOp(None, job).failure(failed).run()
    qtbot.waitUntil(lambda: op not in BackgroundOp.running)
    assert failures.shown_error_dialog() is not None
    text = log_file.read_text(encoding="utf-8")
    assert "job failed" in text and text.count("Traceback") == 1


def test_a_recount_nobody_asked_for_is_logged_when_it_fails(qtbot, hooks, log_file):
    def job(_progress):
        raise RuntimeError("figures could not be counted")

    op = BackgroundOp(None, job).success(lambda _report: None).failure_logged().run()
    qtbot.waitUntil(lambda: op not in BackgroundOp.running)
    assert failures.shown_error_dialog() is None
    text = log_file.read_text(encoding="utf-8")
    assert "ERROR fpdesk.gui.ops" in text and "figures could not be counted" in text and "Traceback" in text


def test_the_error_dialog_in_english(qtbot, qapp, log_file):
    from fpdesk.gui.i18n import install_language

    install_language(qapp, "en")
    try:
        dialog = failures.ErrorDialog("Traceback …", log_file)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Something went wrong" and "Log file:" in dialog.where.text()
        assert "did not finish" in dialog.said.text()
    finally:
        install_language(qapp, "zh_CN")


def test_a_failure_while_the_window_starts_is_logged_not_lost(tmp_path):
    """Before the event loop runs, an opened dialog would never be seen: run_gui logs the failure,
    says it, and returns 1 (here in a process of its own, as the program starts)."""
    import os
    import subprocess
    import sys

    code = ("import sys, fpdesk.gui.main_window as m\n"
            "def broken(*args, **kwargs):\n    raise RuntimeError('window could not be built')\n"
            "m.MainWindow = broken\n"
            "from fpdesk.gui.app import run_gui\n"
            f"sys.exit(run_gui(db={str(tmp_path / 'office.sqlite3')!r}))\n")
    env = dict(os.environ, FPDESK_LOG_DIR=str(tmp_path / "logs"), FPDESK_SMOKE_TEST="1", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "window could not be built" in result.stderr and str(tmp_path / "logs" / "fpdesk.log") in result.stderr
    text = (tmp_path / "logs" / "fpdesk.log").read_text(encoding="utf-8")
    assert "gui started" in text and "failed outside its event loop" in text and "Traceback" in text
