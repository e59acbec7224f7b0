"""Pinyin search keys: a name's keys made a character at a time by translate tables are those of
each character's syllable joined (core/pinyin.py)."""

from __future__ import annotations

import random

from fpdesk.core import pinyin


def _by_syllables(name: str) -> tuple[str, str]:
    """The keys as they were made before the translate tables: a Python call per character."""
    syllables = [s for s in (pinyin._char_pinyin(ch) for ch in name.strip()) if s]
    return ("".join(s[0] for s in syllables)[:pinyin.INITIALS_LENGTH],
            "".join(syllables)[:pinyin.PINYIN_LENGTH])


def test_keys_of_common_names():
    assert pinyin.name_keys("张三") == ("zs", "zhangsan")
    assert pinyin.name_keys(" 林 国华 ") == ("lgh", "linguohua")
    assert pinyin.name_keys("Wang 小明") == ("wangxm", "wangxiaoming")
    assert pinyin.name_keys("") == ("", "")


def test_keys_are_the_syllables_joined_for_any_text():
    rng = random.Random(5)
    pieces = ["张", "三", "林", "国", "华", "曾", "单", "㐀", "䶵", "Ａ", "a", "Z", "9", " ", "\u3000", "·", "-",
              "(", "İ", "ß", "é", "\u200b", "😀", "\x00", "\t"]
    names = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    names.append("张" * 60)  # longer than the columns hold: cut as before
    for name in names:
        assert pinyin.name_keys(name) == _by_syllables(name), repr(name)
