import subprocess
import sys

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from fpdesk.gui.main_window import SCREENS, MainWindow
from fpdesk.gui.setup import install_font, install_qt_translations
from fpdesk.services.workspace import init_office, open_workspace


def test_main_window_shows_office_and_navigation(qtbot, tmp_path, screenshot):
    family = install_font(QApplication.instance())
    assert family in QFontDatabase.families()
    assert "WenQuanYi" in family
    install_qt_translations(QApplication.instance(), "zh_CN")
    workspace = open_workspace(str(tmp_path / "w.sqlite3"))
    init_office(workspace, code="350421200", level="township", name="城关乡计生协")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.navigation.count() == len(SCREENS)
    assert "城关乡计生协" in window.office_label.text()
    window.navigation.setCurrentRow(2)
    assert window.pages.currentIndex() == 2
    screenshot(window, "main_window_zh")
    workspace.close()


def test_smoke_mode_opens_and_closes_the_window(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "fpdesk", "--demo"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "fpdesk: main window up in" in result.stdout
