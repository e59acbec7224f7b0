"""The program's log: one rotating file in the user data folder that every part writes to.

The windowed program has no console, so a failure nobody logged is a failure nobody can report.
Each module logs under its own name (``logging.getLogger(__name__)``: fpdesk.services.sync.importer,
fpdesk.gui.ops …), so a line says which part of the program wrote it; all of them end in this file.
FPDESK_LOG_DIR puts the file elsewhere (tests, a support session on a USB stick).

The log is sent to whoever helps, so it holds no personal information: modules log codes, counts and
paths, never names; and since an unexpected error's text may quote a value, every line passes the
masking rule of pi_masking.py first (ID numbers and mobile numbers shown by their ends only).
"""

from __future__ import annotations

import logging
import os
import platform
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "fpdesk.log"
MAX_BYTES = 1_000_000  # a few months of ordinary use; five old files kept beside it
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
# An 18-character (or old 15-digit) ID number and an 11-digit mobile, not inside a longer number.
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])|(?<![0-9])([0-9]{6})[0-9]{5}([0-9]{4})(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def log_folder() -> Path:
    """``logs`` in the user data folder, beside the database (FPDESK_LOG_DIR overrides)."""
    value = os.environ.get("FPDESK_LOG_DIR")
    if value:
        return Path(value)
    from platformdirs import user_data_dir

    return Path(user_data_dir("fpdesk", appauthor=False)) / "logs"


def mask_numbers(text: str) -> str:
    """ID and mobile numbers in ``text`` by their ends only (350421********6017, 139****2222)."""
    text = _ID_NUMBER.sub(lambda m: f"{m[1]}********{m[2]}" if m[1] else f"{m[3]}*****{m[4]}", text)
    return _MOBILE.sub(lambda m: f"{m[1]}****{m[2]}", text)


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_numbers(super().format(record))


class _TolerantRotatingFileHandler(RotatingFileHandler):
    """A rotation that fails (the folder became read-only; on Windows, another fpdesk has the file
    open) keeps writing to the current file: losing the line would be worse than a longer file."""

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except OSError:
            if self.stream is None:
                self.stream = self._open()


def configure_logging(folder: Path | None = None, *, level: int = logging.INFO,
                      max_bytes: int = MAX_BYTES) -> Path | None:
    """Send the ``fpdesk`` loggers to the rotating file; returns its path, or None when the folder
    cannot be written (a read-only profile): the program then runs without a log rather than not at all.
    Calling it again (a second window, a test) changes nothing."""
    root = logging.getLogger("fpdesk")
    existing = current_log_file()
    if existing is not None:
        return existing
    folder = folder or log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _TolerantRotatingFileHandler(folder / LOG_NAME, maxBytes=max_bytes, backupCount=BACKUPS,
                                               encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(_MaskingFormatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return Path(handler.baseFilename)


def current_log_file() -> Path | None:
    """The file the log is written to, if logging was configured."""
    for handler in logging.getLogger("fpdesk").handlers:
        if isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    return None


def log_start(front: str) -> None:
    """The first line of a run: which program, which version, on what (the database is logged when
    it opens)."""
    from fpdesk import __version__

    bundle = " (bundle)" if getattr(sys, "frozen", False) else ""
    logging.getLogger(__name__).info("fpdesk %s %s started%s: %s, Python %s", __version__, front, bundle,
                                     system_line(), platform.python_version())


def system_line() -> str:
    """The system, its release and the machine ("Windows-10-10.0.19045-AMD64"): what
    platform.platform() says without the processor, which it asks ``uname -p`` for on Linux (a
    process started on every start of the program, 7-13 ms on a laptop)."""
    system, release, version, machine = platform.system(), platform.release(), platform.version(), platform.machine()
    if system == "Windows":  # platform.platform()'s form: the version says the build
        return f"{system}-{release}-{version}-{machine}"
    return f"{system}-{release}-{machine}"


def stop_logging() -> None:
    """Close the file (tests remove their folder afterwards; Windows cannot delete an open file)."""
    root = logging.getLogger("fpdesk")
    for handler in list(root.handlers):
        if isinstance(handler, RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
