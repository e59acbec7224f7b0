"""Interface language: Chinese is the source language of every string; English comes from
resources/i18n/fpdesk_en.qm (made from fpdesk_en.ts with pyside6-lrelease, see build/i18n.py).

Qt's own stock dialogs are translated by qtbase_<lang>.qm. Nothing is installed at import time.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from fpdesk.core.paths import resources_dir


def install_language(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language`` ("zh_CN" or "en"); returns them (kept on the app)."""
    for old in getattr(app, "_fpdesk_translators", []):
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    QLocale.setDefault(QLocale(language))
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_folder):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    if language != "zh_CN":
        ours = QTranslator(app)
        if ours.load(f"fpdesk_{language}", str(resources_dir() / "i18n")):
            app.installTranslator(ours)
            installed.append(ours)
    app._fpdesk_translators = installed
    return installed


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def current_language() -> str:
    return "en" if QLocale().language() == QLocale.Language.English else "zh_CN"
