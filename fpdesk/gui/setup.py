"""Application-wide Qt set-up: the shipped CJK font and Qt's own translations for stock dialogs."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fpdesk.core.paths import font_path

FONT_FAMILY = "WenQuanYi Micro Hei"
# Headings and calm colours; sizes follow the user's text-size setting through the app font.
STYLE_SHEET = """
QLabel#heading { font-size: 150%; font-weight: bold; padding: 4px 0 8px 0; }
QLabel#subheading { font-weight: bold; padding-top: 6px; }
QListWidget#navigation { font-size: 115%; }
QListWidget#navigation::item { padding-left: 10px; }
QListWidget#navigation::item:selected { background: #1d5fa8; color: white; }
"""


# Widget classes that a platform theme gives fonts of their own. Windows sets the item views', menus',
# status bar's and message boxes' from the system metrics, and sets them again at every theme change
# (after ``app.setFont`` has run), so they ignored the text-size setting: under wine the tables came
# out in a 9-point serif beside the rest of the window at 14. A style sheet outranks the theme.
THEMED_FONT_CLASSES = ("QAbstractItemView", "QHeaderView", "QMenu", "QMenuBar", "QMessageBox", "QStatusBar",
                       "QToolTip")


def install_font(app: QApplication, point_size: int = 11) -> str:
    """Register the bundled WenQuanYi Micro Hei so no screen depends on the machine's fonts, and apply
    the text size everywhere (the application's style sheet included)."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else FONT_FAMILY
    app.setFont(QFont(family, point_size))
    themed = ", ".join(THEMED_FONT_CLASSES)
    app.setStyleSheet(f'{STYLE_SHEET}{themed} {{ font-family: "{family}"; font-size: {point_size}pt; }}\n')
    return family
