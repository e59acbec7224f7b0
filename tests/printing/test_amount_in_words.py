"""Amounts in capital numerals (大写) as receipts and bank vouchers write them."""

import pytest

from fpdesk.core.money import amount_in_words, yuan_to_fen

TABLE = [
    ("0.01", "壹分"),
    ("0.10", "壹角"),
    ("0.15", "壹角伍分"),
    ("0", "零元整"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("20", "贰拾元整"),
    ("100", "壹佰元整"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("305.50", "叁佰零伍元伍角"),
    ("1005.50", "壹仟零伍元伍角"),
    ("1010", "壹仟零壹拾元整"),
    ("10000", "壹万元整"),
    ("10005", "壹万零伍元整"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("66666.67", "陆万陆仟陆佰陆拾陆元陆角柒分"),
    ("100000.07", "壹拾万元零柒分"),
    ("105000", "壹拾万伍仟元整"),
    ("100500", "壹拾万零伍佰元整"),
    ("200000", "贰拾万元整"),
    ("1000000", "壹佰万元整"),
    ("100000000", "壹亿元整"),
    ("100000005", "壹亿零伍元整"),
    ("1000001000", "壹拾亿零壹仟元整"),
]


@pytest.mark.parametrize(("yuan", "words"), TABLE)
def test_amount_in_words(yuan, words):
    assert amount_in_words(yuan_to_fen(yuan)) == words


def test_negative_amounts_say_so():
    assert amount_in_words(-10000) == "负壹佰元整"
