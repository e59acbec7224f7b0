import threading

from PySide6.QtWidgets import QApplication, QPushButton

from fpdesk.core.progress import Cancelled
from fpdesk.gui.dialogs.setup_wizard import DEMO, OFFICE, SetupWizard
from fpdesk.gui.main_window import app_icon
from fpdesk.gui.ops import BackgroundOp, shutdown_workers
from fpdesk.gui.settings import TEXT_SIZES
from fpdesk.gui.setup import install_font
from fpdesk.services.opening import open_workspace


def test_a_quick_job_reports_without_a_dialog(qtbot):
    results = []
    op = BackgroundOp(None, lambda progress: 6 * 7, label="x").success(results.append).run()
    qtbot.waitUntil(lambda: results == [42])
    assert op.dialog is None


def test_a_slow_job_shows_progress_after_the_delay_and_cancels(qtbot):
    release = threading.Event()
    outcome = []

    def job(progress):
        for step in range(1000):
            progress.update(step, 1000, f"第{step}步")
            release.wait(0.01)
        return "finished"

    op = BackgroundOp(None, job, label="正在处理", delay_ms=50)
    op.success(outcome.append).failure(outcome.append).run()
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.isVisible(), timeout=3000)
    assert op.dialog.maximum() == 1000 and "正在处理" in op.dialog.labelText()
    cancel_button = op.dialog.findChild(QPushButton)
    cancel_button.click()  # what the user does
    qtbot.waitUntil(lambda: op not in BackgroundOp.running, timeout=3000)
    assert outcome == []  # cancelled: neither success nor failure is reported
    release.set()
    shutdown_workers()


def test_a_failing_job_reaches_the_failure_callback_on_the_gui_thread(qtbot):
    seen = []

    def job(progress):
        raise ValueError("bad row")

    BackgroundOp(None, job).failure(lambda e: seen.append((e, threading.current_thread()))).run()
    qtbot.waitUntil(lambda: bool(seen))
    assert isinstance(seen[0][0], ValueError) and seen[0][1] is threading.main_thread()
    assert not isinstance(seen[0][0], Cancelled)


def test_setup_wizard_sets_up_an_office_and_explains_a_bad_code(qtbot, chinese_app, tmp_path):
    workspace = open_workspace(str(tmp_path / "new.sqlite3"))
    wizard = SetupWizard(workspace)
    qtbot.addWidget(wizard)
    wizard.code.setText("3504212")
    assert "12位" in wizard.message.text()
    wizard.code.setText("350421200201")
    wizard.name.setText("罗翠村计生协")
    assert wizard.message.text() == ""
    wizard._set_up()
    assert wizard.choice == OFFICE and workspace.office.code == "350421200201"
    demo = SetupWizard(open_workspace(str(tmp_path / "other.sqlite3")))
    qtbot.addWidget(demo)
    demo.demo_button.click()
    assert demo.choice == DEMO
    workspace.close()


def test_larger_text_setting_and_the_app_icon(qapp):
    install_font(qapp, TEXT_SIZES["larger"])
    assert QApplication.font().pointSize() == TEXT_SIZES["larger"]
    install_font(qapp, TEXT_SIZES["normal"])
    assert not app_icon().isNull()
