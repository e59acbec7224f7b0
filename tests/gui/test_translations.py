import re
import subprocess
import sys
from pathlib import Path

import pytest

from fpdesk.gui.i18n import install_language
from fpdesk.gui.main_window import MainWindow
from fpdesk.services.registry.search import find_person_ids, load_person_rows

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
    from fpdesk.gui.models.people_table import COLUMNS

    model = window.households.model
    status = model.index(0, [key for key, _title in COLUMNS].index("status")).data()
    assert status == "Registered"  # a cell starts with a capital, as "Male" and "Wife" beside it do
    screenshot(window, "screen_0_en")


def test_english_editor_and_enrollment_screens(qtbot, english_app, village_workspace, user_settings, screenshot):
    import datetime as dt

    from fpdesk.gui.dialogs.household_editor import HouseholdEditor, empty_household
    from fpdesk.services.workspace import list_divisions

    editor = HouseholdEditor(village_workspace, empty_household("350421200201"), list_divisions(village_workspace))
    qtbot.addWidget(editor)
    editor.rows[0].id_number.setText("350421198103050052")
    assert editor.windowTitle() == "New household"
    assert editor.save_button.text() == "Save (Ctrl+S)" and "Fill in 'name'" in editor.rows[0].message.text()
    screenshot(editor, "household_editor_en")
    window = MainWindow(village_workspace, user_settings, today=dt.date(2026, 3, 2))
    qtbot.addWidget(window)
    window.show()
    window.navigation.setCurrentRow(1)
    ids = find_person_ids(village_workspace, "lin", limit=1)  # any household of the demo village
    row = load_person_rows(village_workspace, ids)[ids[0]]
    window.enrollment.choose_household(row.household_id)
    assert window.enrollment.enroll_button.text() == "Enroll, collect and print (Ctrl+Enter)"
    assert "Premium" in window.enrollment.summary.text()
    screenshot(window, "screen_enrollment_en")
