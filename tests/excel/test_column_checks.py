"""The column checks' own short cuts (fpdesk/excel/column_checks.py) give what the functions they
stand for give; the whole path is compared with the row checker in tests/services/
test_roster_by_columns.py."""

from __future__ import annotations

import random

import pytest

from fpdesk.core import phone
from fpdesk.core.errors import DomainError
from fpdesk.excel import column_checks


def _said(check, value):
    try:
        return check(value)
    except DomainError as error:
        return error.code, error.params


TRICKY_PHONES = [
    "13800000000", "19912345678", "12800000000", "1380000000", "138000000001", "13800000000\n", " 13800000000",
    "+8613800000000", "008613800000000", "8613800000000", "138-0000-0000", "138 0000 0000", "１３８００００００００",
    "13８00000000", "\u0661\u0663\u0668" + "\u0660" * 8, "0591-87654321", "059187654321", "(0591)87654321",
]


@pytest.mark.parametrize("value", TRICKY_PHONES)
def test_a_plainly_written_mobile_is_taken_as_phone_validate_takes_it(value):
    assert _said(column_checks._phone, value) == _said(phone.validate, value)


def test_generated_phone_cells_are_taken_as_phone_validate_takes_them():
    rng = random.Random(22)
    alphabet = "0123456789１３８ +-()（）\n\t\u3000"
    for _ in range(20_000):
        value = "1" + rng.choice("3456789") + "".join(rng.choice(alphabet) for _ in range(rng.randint(7, 11)))
        assert _said(column_checks._phone, value) == _said(phone.validate, value), value


def test_a_column_of_texts_is_judged_once_per_value_in_the_order_first_seen():
    asked = []

    def check(value):
        asked.append(value)
        if value == "坏":
            raise DomainError("bad_phone", {"value": value})
        return value * 2

    values = ["乙", None, "甲", "乙", "坏", None, "甲"]
    assert column_checks._memo_column(values, check, none="空") == [
        "乙乙", "空", "甲甲", "乙乙", column_checks._FAIL, "空", "甲甲"]
    assert asked == ["乙", "甲", "坏"]


def test_a_column_holding_numbers_keeps_each_type_apart():
    """1, 1.0 and True are one dict key: such a column is judged cell by cell, each type on its own."""
    assert column_checks._memo_column([1, 1.0, True, "1", None], repr) == ["1", "1.0", "True", "'1'", None]


def test_a_text_column_is_made_in_one_pass_as_in_two():
    import datetime as dt

    rng = random.Random(7)
    pieces = ["", " ", "\u3000", "\t", "\n", "林", "国 华", "a\x00b", "户主", "1", "\u200b"]
    cells = [None, 0, 1, 1.0, 2.5, True, False, 13800000000, 1e20, float("nan"), dt.date(2024, 1, 2),
             dt.datetime(2024, 1, 2, 3, 4)]
    cells += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(3000)]
    expected = column_checks._texts(column_checks._cleaned(cells))
    made = column_checks._texts_of(cells)
    assert [repr(v) for v in made] == [repr(v) for v in expected]
