"""Which language the CLI speaks, decided once before anything is printed.

First that says something wins:
1. ``--lang zh|en`` on the command line (before or after the sub-command);
2. the ``FPDESK_LANG`` environment variable (``zh``/``en``, or a locale name such as ``en_US``);
3. the language chosen in the GUI's settings (read from where Qt keeps them, without Qt);
4. the system locale, but only when it is clearly English (``en_US.UTF-8``, ``English_United States``).
Anything else is Chinese: a Chinese Windows, the ``C``/``POSIX`` locale of a scheduled task or a
server, a locale we have no texts for. The clerks are Chinese and Chinese is the seeds' language.

The language changes what people read (refusals, help, tables); ``--json`` keys, ``--json`` message
fields and exit codes never change with it.
"""

from __future__ import annotations

import configparser
import os
import sys
from pathlib import Path

from fpdesk.core.language import EN, ZH, english, normalise, pick

ENVIRONMENT = "FPDESK_LANG"
CHOICES = (ZH, EN)


def language_on_command_line(argv: list[str]) -> str | None:
    """The value of ``--lang`` wherever it stands (help texts are made before argparse runs)."""
    for at, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and at + 1 < len(argv):
            return argv[at + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


def gui_setting() -> str | None:
    """``ui/language`` as the GUI's QSettings("fpdesk", "fpdesk") stored it, or None."""
    try:
        if sys.platform == "win32":
            import winreg

            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\fpdesk\fpdesk\ui") as key:
                return str(winreg.QueryValueEx(key, "language")[0])
        if sys.platform == "darwin":
            import plistlib

            with open(Path.home() / "Library" / "Preferences" / "com.fpdesk.fpdesk.plist", "rb") as file:
                return str(plistlib.load(file).get("ui.language") or "") or None
        folder = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        parser = configparser.ConfigParser(interpolation=None)
        if not parser.read(folder / "fpdesk" / "fpdesk.conf", encoding="utf-8"):
            return None
        return parser.get("ui", "language", fallback=None)
    except (ImportError, OSError, ValueError, configparser.Error):  # none, or unreadable: not ours to fail on
        return None


def system_locale() -> str | None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # the POSIX order: the first one set decides
        if os.environ.get(name):
            return os.environ[name]
    try:
        import locale

        return locale.getlocale()[0]  # Windows: 'Chinese (Simplified)_China', 'English_United States'
    except (ValueError, TypeError):
        return None


def choose_language(argv: list[str]) -> str:
    """"zh" or "en" by the order above."""
    for said in (language_on_command_line(argv), os.environ.get(ENVIRONMENT), gui_setting()):
        chosen = normalise(said)
        if chosen:
            return chosen
    return pick(ZH, EN, english(system_locale() or ""))
