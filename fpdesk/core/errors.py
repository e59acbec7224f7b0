"""Domain errors with stable English codes and Chinese-first messages.

A code never changes once released: the CLI's ``--json`` output, roster reports and acceptance
checks outside this repository match on it. The Chinese text is what users read; the English
text is for the English UI and for logs.

Every code is declared with both texts in one table per top-level package (``TABLES``), never in
the module that raises it, so that a code is known before any of its users is imported.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from fpdesk.core.language import pick

# The tables, by module name. Core is the bottom layer: the layers contract of import-linter
# (pyproject.toml) forbids it to import storage, excel or services, yet a refusal raised by any of
# them must find its texts whichever modules a program happened to import (a test or a script that
# imports one service alone). So the tables are loaded by name with importlib, all of them, the
# first time a code is looked up that is not known yet. A table is data only and imports nothing,
# so loading it brings no upper layer's code into core. (packaging.spec bundles every fpdesk
# module, so the bundle has them although no import statement names them.)
TABLES = ("fpdesk.core.messages", "fpdesk.storage.messages", "fpdesk.excel.messages",
          "fpdesk.services.messages")

_loading = threading.Lock()  # a background operation may meet the first code while the GUI does
_loaded = False


def _load_tables() -> None:
    global _loaded
    if _loaded:
        return
    with _loading:
        if _loaded:
            return
        found: dict[str, str] = {}
        for name in TABLES:
            table = importlib.import_module(name)
            for code, texts in table.MESSAGES.items():
                if code in found:
                    raise ValueError(f"error code {code!r} is declared twice: in {found[code]} and in {name}")
                found[code] = name
                dict.__setitem__(MESSAGES, code, texts)
            MESSAGE_DEFAULTS.update(getattr(table, "MESSAGE_DEFAULTS", {}))
        _loaded = True


class _Messages(dict[str, tuple[str, str]]):
    """code -> (Chinese template, English template), str.format fields; every table is loaded
    before a code is found missing or the whole mapping is read."""

    def __missing__(self, code: str) -> tuple[str, str]:
        _load_tables()
        if dict.__contains__(self, code):
            return dict.__getitem__(self, code)
        raise KeyError(code)

    def __contains__(self, code: object) -> bool:
        if not dict.__contains__(self, code):
            _load_tables()
        return dict.__contains__(self, code)

    def get(self, code: str, default: Any = None) -> Any:
        if code not in self:
            return default
        return dict.__getitem__(self, code)

    def __iter__(self):
        _load_tables()
        return dict.__iter__(self)

    def __len__(self) -> int:
        _load_tables()
        return dict.__len__(self)

    def keys(self):
        _load_tables()
        return dict.keys(self)

    def values(self):
        _load_tables()
        return dict.values(self)

    def items(self):
        _load_tables()
        return dict.items(self)


MESSAGES: dict[str, tuple[str, str]] = _Messages()

# Params a message may go without (declared beside their codes in the tables): a refusal raised in
# many places says more where it knows more.
MESSAGE_DEFAULTS: dict[str, dict[str, str]] = {}


class DomainError(Exception):
    """A refusal the user can act on.

    Attributes:
        code: stable English identifier (see MESSAGES).
        params: values substituted into the message templates.
    """

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        if code not in MESSAGES:  # loads every table first: a miss here is a code nobody declared
            raise KeyError(f"unknown error code {code!r}: declare it with its Chinese and English texts "
                           "in the messages table of its package (see fpdesk.core.errors.TABLES)")
        super().__init__(code)
        self.code = code
        self.params = {**MESSAGE_DEFAULTS.get(code, {}), **(params or {})}

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"

    @property
    def message_zh(self) -> str:
        return _render(MESSAGES[self.code][0], self.params)

    @property
    def message_en(self) -> str:
        return _render(MESSAGES[self.code][1], self.params)

    def message(self, language: str = "zh") -> str:
        return pick(self.message_zh, self.message_en, language)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message_zh, "message_en": self.message_en}

    def __str__(self) -> str:
        return f"{self.code}: {self.message_zh}"


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        if key.endswith("_en") and key[:-3] in self:  # a detail given in one language only: that one
            return self[key[:-3]]
        return "{" + key + "}"


def _render(template: str, params: dict[str, Any]) -> str:
    return template.format_map(_Lenient(params))


# what a clerk can act on instead of "[Errno 2] No such file or directory: '…'", by errno name
_OS_REASONS = {"ENOENT": ("找不到这个文件或文件夹，请检查名称和所在位置", "no such file or folder; check the name and where it is"),
               "EACCES": ("没有权限（文件可能正在 Excel/WPS 中打开）", "permission denied (the file may be open in Excel or WPS)"),
               "EISDIR": ("这是一个文件夹，不是文件", "it is a folder, not a file"),
               "ENOTDIR": ("路径中有一段不是文件夹", "part of the path is not a folder"),
               "ENOSPC": ("磁盘已满", "the disk is full"), "EROFS": ("位置只读", "the location is read-only")}
_OS_REASONS["EPERM"] = _OS_REASONS["EACCES"]


def os_error_reason(error: OSError) -> tuple[str, str]:
    """(Chinese, English) words for why a file could not be read or written."""
    import errno

    fallback = error.strerror or str(error)
    return _OS_REASONS.get(errno.errorcode.get(error.errno or 0, ""), (fallback, fallback))
