"""Every window and dialog fits a 1366×768 laptop above Windows's taskbar, in Chinese and English, at
every text size; at the largest text ID numbers and dates are shown whole.

The windows are opened in a process of their own (tests/gui/window_census.py) on a 1366×768 screen:
Qt's offscreen platform reads the screen size from a file when it starts.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from gui_helpers import TODAY
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from fpdesk.gui.settings import TEXT_SIZES
from fpdesk.gui.window_fit import FRAME, LAPTOP, TASKBAR

HERE = Path(__file__).parent
# the largest client area on the laptop: its screen less the taskbar and a Windows 10 frame
MAX_WIDTH = LAPTOP.width() - FRAME.left() - FRAME.right()
MAX_HEIGHT = LAPTOP.height() - TASKBAR - FRAME.top() - FRAME.bottom()


@pytest.fixture(scope="module")
def census(tmp_path_factory):
    folder = tmp_path_factory.mktemp("census")
    config = folder / "laptop.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": LAPTOP.width(),
                                               "height": LAPTOP.height(), "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", HOME=str(folder),
               XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"),
               PYTHONPATH=os.pathsep.join([str(HERE.parents[1]), str(HERE), os.environ.get("PYTHONPATH", "")]))
    env.pop("FPDESK_SCREENSHOTS", None)
    result = subprocess.run([sys.executable, str(HERE / "window_census.py")], capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_every_window_and_dialog_fits_a_1366_by_768_laptop_in_both_languages_at_every_text_size(census):
    """The main window was 790 pixels tall with its title bar (its status bar cut off under wine at
    1366×768); the print preview 900×1000, its buttons below the screen."""
    seen = {(m["language"], m["text_size"]) for m in census}
    assert seen == {(language, size) for language in ("zh_CN", "en") for size in TEXT_SIZES}
    too_big = [f"{m['window']} {m['language']} {m['text_size']}: opens {m['width']}×{m['height']}, "
               f"needs at least {m['min_width']}×{m['min_height']}"
               for m in census if max(m["width"], m["min_width"]) > MAX_WIDTH
               or max(m["height"], m["min_height"]) > MAX_HEIGHT]
    assert not too_big, f"larger than {MAX_WIDTH}×{MAX_HEIGHT}:\n" + "\n".join(too_big)


def test_the_census_opens_every_dialog_the_program_has(census):
    import fpdesk.gui.dialogs as dialogs

    measured = {m["class"] for m in census}
    defined = set()
    for module_info in pkgutil.iter_modules(dialogs.__path__):
        module = importlib.import_module(f"fpdesk.gui.dialogs.{module_info.name}")
        defined |= {name for name, cls in inspect.getmembers(module, inspect.isclass)
                    if issubclass(cls, QDialog) and cls.__module__ == module.__name__
                    and not name.startswith("_")}  # a module's own base class is measured in its subclasses
    assert defined - measured <= {"ClaimForm"}, f"not measured: {sorted(defined - measured - {'ClaimForm'})}"
    assert {"MainWindow", "QFileDialog", "QPrintDialog", "QMessageBox"} <= measured


@pytest.fixture
def larger_text(qapp):
    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.setup import install_font

    install_font(qapp, TEXT_SIZES["larger"])
    install_language(qapp, "zh_CN")
    yield qapp
    install_font(qapp)


def test_id_numbers_and_dates_are_whole_in_the_list_at_the_largest_text(qtbot, larger_text, village_workspace):
    from fpdesk.gui.screens.households import HouseholdsScreen

    screen = HouseholdsScreen(village_workspace)
    qtbot.addWidget(screen)
    screen.resize(1300, 600)
    screen.show()
    screen.run_search()
    qtbot.waitUntil(lambda: screen.model.rowCount() > 50)
    metrics = screen.table.fontMetrics()
    for key in ("id_number", "birth_date"):
        column = [k for k, _ in __import__("fpdesk.gui.models.people_table", fromlist=["COLUMNS"]).COLUMNS].index(key)
        widest = max(metrics.horizontalAdvance(str(screen.model.index(row, column).data(Qt.ItemDataRole.DisplayRole)))
                     for row in range(50))
        assert screen.table.columnWidth(column) >= widest + 8, (key, screen.table.columnWidth(column), widest)


def test_id_numbers_and_dates_are_whole_in_the_editor_at_the_largest_text(qtbot, larger_text, village_workspace):
    from sqlalchemy import select

    from fpdesk.gui.dialogs.household_editor import HouseholdEditor
    from fpdesk.services.registry.household_form import load_household_form
    from fpdesk.services.workspace import list_divisions
    from fpdesk.storage.schema import Person

    with village_workspace.read() as session:
        household_id = session.scalar(select(Person.household_id).where(Person.relation == "grandson").limit(1))
    editor = HouseholdEditor(village_workspace, load_household_form(village_workspace, household_id),
                             list_divisions(village_workspace), today=TODAY)
    qtbot.addWidget(editor)
    editor.show()
    for row in editor.rows:
        for field in (row.id_number, row.birth):
            needed = field.fontMetrics().horizontalAdvance(field.text())
            assert field.width() >= needed + 8, (field.text(), field.width(), needed)
