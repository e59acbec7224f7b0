"""Interface language: Chinese is the source language of every string; English comes from
resources/i18n/fpdesk_en.qm (made from fpdesk_en.ts with pyside6-lrelease, see build/i18n.py).

Qt's own stock dialogs are translated by qtbase_<lang>.qm. Qt 6's Chinese file lacks the texts whose
shortcut letter moved (it has "Look in:", Qt asks for "&Look in:"), so the file chooser said "Look in"
and "Files of type" in a Chinese window: ``QtShortcutTexts`` answers those from the texts without the
letter, the Chinese way ("查找范围(&L)："), and a few that have no Chinese at all from QT_EXTRA_ZH.
Nothing is installed at import time.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from fpdesk.core.language import english, pick, set_language
from fpdesk.core.paths import resources_dir

# Texts of Qt's own dialogs that qtbase_zh_CN.qm does not translate in any form (Qt 6).
QT_EXTRA_ZH = {
    ("QPrintSettingsOutput", "All Pages"): "全部页面",
    ("QPrintSettingsOutput", "Odd Pages"): "奇数页",
    ("QPrintSettingsOutput", "Even Pages"): "偶数页",
    ("QFileDialog", "Computer"): "计算机",
}


class QtShortcutTexts(QTranslator):
    """Qt's texts with a shortcut letter, translated from the same text without it."""

    def __init__(self, parent, base: QTranslator, extra: dict[tuple[str, str], str]) -> None:
        super().__init__(parent)
        self.base, self.extra = base, extra

    def isEmpty(self) -> bool:
        return False

    def translate(self, context, source_text, disambiguation=None, n=-1):
        # None, not "": an empty text would count as found and blank every untranslated text
        if not context or not context.startswith("Q"):  # only Qt's own classes
            return None
        known = self.extra.get((context, source_text))
        if known:
            return known
        at = source_text.find("&")
        if at < 0 or at + 1 >= len(source_text) or source_text[at + 1] == "&":
            return None
        plain = source_text[:at] + source_text[at + 1:]
        translated = self.base.translate(context, plain, disambiguation, n)
        if not translated or translated == plain:
            return None
        mark = f"(&{source_text[at + 1].upper()})"
        if translated[-1] in "：:":
            return translated[:-1] + mark + translated[-1]
        return translated + mark


def install_language(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language`` ("zh_CN" or "en"); returns them (kept on the app).

    The same call sets the program's language (``fpdesk.core.language``), so the texts that services
    hand over in both languages follow the interface."""
    set_language(language)
    for old in getattr(app, "_fpdesk_translators", []):
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    QLocale.setDefault(QLocale(language))
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_folder):
        if not english(language):  # asked last: installed first
            shortcut_texts = QtShortcutTexts(app, qt_translator, QT_EXTRA_ZH)
            app.installTranslator(shortcut_texts)
            installed.append(shortcut_texts)
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    if english(language):
        ours = QTranslator(app)
        if ours.load(f"fpdesk_{language}", str(resources_dir() / "i18n")):
            app.installTranslator(ours)
            installed.append(ours)
    app._fpdesk_translators = installed
    return installed


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def current_language() -> str:
    """The interface language as Qt spells it; which text to show is ``fpdesk.core.language``'s to say."""
    return pick("zh_CN", "en")
