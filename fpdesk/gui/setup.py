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


def install_font(app: QApplication, point_size: int = 11) -> str:
    """Register the bundled WenQuanYi Micro Hei so no screen depends on the machine's fonts."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else FONT_FAMILY
    font = QFont(family, point_size)
    app.setFont(font)
    return family
