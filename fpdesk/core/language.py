"""The one place that chooses between a Chinese and an English text.

Every text the program shows in two languages is held as a pair (Chinese, English): message tuples,
``label_zh``/``label_en`` fields, ``message_zh``/``message_en``. Which of the two is shown is decided
here and only here, from one process-wide language set once at start: by the GUI when it installs its
translators (``gui/i18n.py``), by the CLI from ``--lang`` / ``FPDESK_LANG`` / the GUI's setting / the
locale (``cli/language.py``). Chinese is the default: it is the language of the seeds and of the clerks.
Nothing else compares a language code (a test walks the source and fails if something does).

Qt's ``tr()`` stays the GUI's path for its own widget texts; this module chooses among the texts that
services and the core hand over in both languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

ZH, EN = "zh", "en"
LANGUAGES = (ZH, EN)

_current = ZH

T = TypeVar("T")


def normalise(value: str | None) -> str | None:
    """"zh", "en" for any spelling of them ("zh_CN", "zh-Hans", "en_US.UTF-8", "English"…), else None."""
    if not value:
        return None
    head = value.strip().lower().replace("-", "_")
    if head.startswith(("zh", "chinese")):
        return ZH
    if head.startswith(("en", "english")):
        return EN
    return None


def set_language(value: str | None) -> str:
    """Set the process-wide language; anything not recognisably English or Chinese means Chinese."""
    global _current
    _current = normalise(value) or ZH
    return _current


def current() -> str:
    """"zh" or "en": the language texts are shown in."""
    return _current


def english(language: str | bool | None = None) -> bool:
    """Whether ``language`` is English: a code, a flag some callers carry (True for English), or,
    without one, the process-wide language."""
    if isinstance(language, bool):
        return language
    return (normalise(language) if language is not None else _current) == EN


def on_its_own(label: str, language: str | bool | None = None) -> str:
    """A label shown on its own (a table cell, a list entry) starts with a capital in English, as the
    relation and sex labels beside it do; the same label inside a sentence keeps its lower case
    ("… cannot be changed: the person is moved out")."""
    return label[:1].upper() + label[1:] if english(language) else label


def pick(zh: T, en: T, language: str | bool | None = None) -> T:
    """The Chinese or the English of a pair, for ``language`` (as ``english`` takes it) or the
    process-wide language."""
    return en if english(language) else zh


def text(message: Iterable[T], language: str | bool | None = None) -> T:
    """One text of a (Chinese, English) message tuple."""
    zh, en = tuple(message)[:2]
    return pick(zh, en, language)
