"""Application-wide Qt set-up: the shipped CJK font and Qt's own translations for stock dialogs."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fpdesk.core.paths import font_path

FONT_FAMILY = "WenQuanYi Micro Hei"


def install_font(app: QApplication, point_size: int = 11) -> str:
    """Register the bundled WenQuanYi Micro Hei so no screen depends on the machine's fonts."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else FONT_FAMILY
    font = QFont(family, point_size)
    app.setFont(font)
    return family


def install_qt_translations(app: QApplication, locale_name: str) -> bool:
    """Load qtbase_<locale>.qm so Qt's stock buttons (OK, Cancel, Yes) read in Chinese."""
    QLocale.setDefault(QLocale(locale_name))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{locale_name}", folder):
        app.installTranslator(translator)
        app._fpdesk_qt_translator = translator  # keep it alive as long as the app
        return True
    return False
