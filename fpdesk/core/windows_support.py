"""Which Windows the program serves, decided once and said plainly on any other.

Supported: 64-bit Windows 10 version 1809 (build 17763) or later, and Windows 11. The reasons:
Qt 6 (the window) supports Windows 10 1809 and later only; PySide6 6.10 and later also load the
system's ``icuuc.dll``, which Windows 10 has only from 1703 on ("DLL load failed while importing
QtCore" on older builds); Python 3.11 itself needs Windows 8.1, so the command line still starts
on 8.1 and says it is unsupported, while Windows 7 cannot start the program at all.
"""

from __future__ import annotations

import sys

MINIMUM_BUILD = 17763  # Windows 10 version 1809
SUPPORTED_TEXT_ZH = "64 位 Windows 10（1809 版或更新）或 Windows 11"
SUPPORTED_TEXT_EN = "64-bit Windows 10 (version 1809 or later) or Windows 11"


def unsupported_windows() -> tuple[str, str] | None:
    """(Chinese, English) sentences saying why this Windows is not served; None where it is (and on
    every other system)."""
    if sys.platform != "win32":
        return None
    version = sys.getwindowsversion()
    if version.major > 10 or (version.major == 10 and version.build >= MINIMUM_BUILD):
        return None
    found = f"{version.major}.{version.minor}（内部版本 {version.build}）"
    return (f"fpdesk 需要{SUPPORTED_TEXT_ZH}；这台电脑是 Windows {found}，界面无法在它上面运行。"
            f"请升级 Windows，或换一台电脑。",
            f"fpdesk needs {SUPPORTED_TEXT_EN}; this computer runs Windows {version.major}.{version.minor} "
            f"(build {version.build}), where the window cannot run. Upgrade Windows or use another computer.")
