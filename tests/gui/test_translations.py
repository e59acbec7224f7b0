import re
import subprocess
import sys
from pathlib import Path

import pytest

from fpdesk.gui.i18n import install_language
from fpdesk.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff]")


def test_every_interface_string_has_an_english_translation():
    result = subprocess.run([sys.executable, str(ROOT / "build" / "i18n.py"), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def english_app(qapp):
    install_language(qapp, "en")
    yield qapp
    install_language(qapp, "zh_CN")


def test_the_english_interface_has_no_chinese_chrome(qtbot, english_app, village_workspace, user_settings,
                                                      screenshot):
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    window.show()
    window.navigation.setCurrentRow(0)
    qtbot.waitUntil(lambda: window.households.model.rowCount() > 0)
    chrome = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    chrome += [str(window.households.model.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal))
               for c in range(window.households.model.columnCount())]
    chrome += [window.households.search_box.placeholderText(), window.households.new_button.text(),
               window.year_label.text(), window.exchange_label.text()]
    assert not [text for text in chrome if CJK.search(text)], chrome
    assert window.navigation.item(0).text() == "Households"
    screenshot(window, "screen_0_en")
