"""Pinyin search keys for names: initials ('zs' for 张三) and the full spelling ('zhangsan').

pypinyin is pure Python; we cache per character because names draw on a few thousand characters
and the demo and roster imports convert hundreds of thousands of names.
"""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=20000)
def _char_pinyin(char: str) -> str:
    # We convert one character at a time, where pypinyin's phrase dictionary never applies:
    # skipping it saves 0.1 s of import and 2.5 MB in the bundle (which leaves the file out).
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import Style, lazy_pinyin

    if not ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"):
        return char.lower() if char.isalnum() else ""
    # surname readings differ from common readings (单 shan, 曾 zeng); heteronym-aware style not needed
    # for search: both initials match what most people type.
    return lazy_pinyin(char, style=Style.NORMAL, errors="ignore")[0] if char else ""


# The search columns' lengths: a name of 50 characters has more syllables than they hold, and a
# search key that starts like the name finds it all the same.
INITIALS_LENGTH, PINYIN_LENGTH = 20, 80


class _ByCharacter(dict):
    """A str.translate table of every character met so far, each looked up once (``__missing__``):
    the characters of a name are mapped in one C call instead of a Python call each (100,000 names:
    0.16-0.22 s of CPU, against 0.38-0.49 s that way). ``first``: the first letter of the syllable only."""

    def __init__(self, *, first: bool) -> None:
        super().__init__()
        self.first = first

    def __missing__(self, code: int) -> str:
        syllable = _char_pinyin(chr(code))
        found = syllable[:1] if self.first else syllable
        if len(self) < _MAX_CHARACTERS:  # a file of every character there is would fill it for nothing
            self[code] = found
        return found


_MAX_CHARACTERS = 30_000  # names draw on a few thousand
_INITIALS, _SPELLING = _ByCharacter(first=True), _ByCharacter(first=False)


def name_keys(name: str) -> tuple[str, str]:
    """(initials, full) for a Chinese name; Latin letters pass through lower-cased. Each character
    gives its syllable (a character with none, such as punctuation, gives nothing), so the initials
    are the first letters of the syllables in order."""
    name = name.strip()
    return name.translate(_INITIALS)[:INITIALS_LENGTH], name.translate(_SPELLING)[:PINYIN_LENGTH]
