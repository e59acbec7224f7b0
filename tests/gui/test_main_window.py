import re
import subprocess
import sys

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QWidget,
)

from fpdesk.gui.dialogs.household_editor import HouseholdEditor, empty_household
from fpdesk.gui.main_window import MainWindow
from fpdesk.gui.setup import install_font
from fpdesk.services.workspace import list_divisions

# Latin words allowed in the Chinese interface: the program name, key names in shortcuts, U盘,
# and product names such as 孝心保保险A款.
ALLOWED_LATIN = {"fpdesk", "Ctrl", "Shift", "N", "S", "F", "Esc", "Enter", "English", "ID", "X", "U", "A",
                 "PDF"}  # 存为 PDF: the word Chinese offices use for the file kind


def visible_texts(widget: QWidget) -> list[str]:
    texts = [widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisibleTo(widget) and child is not widget:
            continue
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
        if isinstance(child, QLineEdit):
            texts += [child.text(), child.placeholderText()]
        if isinstance(child, QComboBox):
            texts += [child.itemText(i) for i in range(child.count())]
        if isinstance(child, QListWidget):
            texts += [child.item(i).text() for i in range(child.count())]
        if isinstance(child, QTableView) and child.model() is not None:
            model = child.model()
            texts += [str(model.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal))
                      for c in range(model.columnCount())]
        texts.append(child.toolTip())
    return [t for t in texts if t]


def english_words(texts: list[str]) -> set[str]:
    words = set()
    for text in texts:
        if "/" in text or "\\" in text or text.endswith(".sqlite3"):  # the database file in the status bar
            continue
        words |= {w for w in re.findall(r"[A-Za-z]+", text) if w not in ALLOWED_LATIN}
    return words


def test_main_window_screens_in_chinese(qtbot, chinese_app, village_workspace, user_settings, screenshot):
    assert "WenQuanYi" in install_font(QApplication.instance())
    assert any("WenQuanYi" in family for family in QFontDatabase.families())
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.navigation.count() == 7
    assert "罗翠村" not in window.office_label.text() and "明溪县" in window.office_label.text()
    leaks = set()
    for index in range(window.navigation.count()):
        window.navigation.setCurrentRow(index)
        qtbot.wait(20)
        if index == 0:
            qtbot.waitUntil(lambda: window.households.model.rowCount() > 100)
        leaks |= english_words(visible_texts(window))
        screenshot(window, f"screen_{index}_zh")
    editor = HouseholdEditor(village_workspace, empty_household("350421200201"), list_divisions(village_workspace))
    qtbot.addWidget(editor)
    leaks |= english_words(visible_texts(editor))
    assert not leaks, f"English in the Chinese interface: {sorted(leaks)}"


def test_window_remembers_its_last_screen(qtbot, chinese_app, village_workspace, user_settings):
    window = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(window)
    window.navigation.setCurrentRow(6)
    window.close()
    again = MainWindow(village_workspace, user_settings)
    qtbot.addWidget(again)
    assert again.navigation.currentRow() == 6


def test_smoke_mode_opens_and_closes_the_window(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "FPDESK_SMOKE_TEST": "1", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    result = subprocess.run([sys.executable, "-m", "fpdesk", "--demo"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "fpdesk: main window up in" in result.stdout


def test_every_screen_fits_a_1366_pixel_laptop_in_english_at_the_largest_text(qtbot, qapp, village_workspace,
                                                                              user_settings):
    """The stacked screens give the window their widest minimum: a row of filters or buttons that
    does not wrap made the English window wider than the most common laptop screen."""
    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.settings import TEXT_SIZES
    from fpdesk.gui.setup import install_font

    install_language(qapp, "en")
    install_font(qapp, TEXT_SIZES["larger"])
    try:
        window = MainWindow(village_workspace, user_settings)
        qtbot.addWidget(window)
        window.show()
        for index in range(window.navigation.count()):  # the screens are built when first shown
            window.navigation.setCurrentRow(index)
            qtbot.wait(20)
        assert window.minimumSizeHint().width() <= 1366
    finally:
        install_font(qapp)
        install_language(qapp, "zh_CN")


def test_the_text_size_reaches_widgets_a_platform_theme_gives_fonts_of_their_own(qapp, qtbot):
    """Windows's theme sets item views', menus' and the status bar's fonts from system metrics; under
    wine the tables came out in a 9-point serif beside the 14-point window (Windows stage screenshot)."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QMenu, QStatusBar, QTableView

    from fpdesk.gui.settings import TEXT_SIZES

    family = install_font(qapp, TEXT_SIZES["larger"])
    for class_name in ("QAbstractItemView", "QMenu", "QStatusBar"):
        qapp.setFont(QFont("Serif", 9), class_name)  # what a theme change does on Windows, after start
    try:
        for widget in (QTableView(), QMenu(), QStatusBar()):
            qtbot.addWidget(widget)
            widget.ensurePolished()
            assert widget.font().family() == family and widget.font().pointSize() == TEXT_SIZES["larger"]
    finally:
        install_font(qapp)
