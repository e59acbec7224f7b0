import datetime as dt

import pytest

from fpdesk.core import dates, money, phone
from fpdesk.core.errors import DomainError


@pytest.mark.parametrize(("raw", "stored"), [
    ("13812345678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("0598-2812345", "0598-2812345"),
    ("05982812345", "0598-2812345"),
    ("010-12345678", "010-12345678"),
])
def test_phone_numbers_normalise(raw, stored):
    assert phone.validate(raw) == stored


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "abc", "8888888"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(DomainError) as caught:
        phone.validate(raw)
    assert caught.value.code == "bad_phone"


def test_phone_mask():
    assert phone.mask("13812345678") == "138****5678"


def test_a_masked_phone_masked_again_is_unchanged():  # a screen masking what a service masked already
    assert phone.mask(phone.mask("13812345678")) == "138****5678"
    assert phone.mask(phone.mask("05981234567")) == "0598123****"


@pytest.mark.parametrize(("birth", "on", "years"), [
    (dt.date(1960, 5, 10), dt.date(2025, 5, 9), 64),
    (dt.date(1960, 5, 10), dt.date(2025, 5, 10), 65),  # the birthday itself completes the year
    (dt.date(1960, 5, 10), dt.date(2026, 5, 9), 65),
    (dt.date(1960, 5, 10), dt.date(2026, 5, 10), 66),
    # Feb 29: the year completes on 1 March in common years, on 29 February in leap years
    (dt.date(2016, 2, 29), dt.date(2017, 2, 28), 0),
    (dt.date(2016, 2, 29), dt.date(2017, 3, 1), 1),
    (dt.date(2016, 2, 29), dt.date(2020, 2, 29), 4),
])
def test_completed_years(birth, on, years):
    assert dates.completed_years(birth, on) == years


def test_age_in_days_and_feb29_birthday():
    assert dates.age_in_days(dt.date(2026, 1, 1), dt.date(2026, 1, 29)) == 28
    assert dates.birthday_in_year(dt.date(2016, 2, 29), 2017) == dt.date(2017, 3, 1)
    assert dates.birthday_in_year(dt.date(2016, 2, 29), 2020) == dt.date(2020, 2, 29)


@pytest.mark.parametrize("value", [
    "2020-03-17", "2020/3/17", "2020.3.17", "2020年3月17日", "20200317", 43907, "43907",
    dt.date(2020, 3, 17), dt.datetime(2020, 3, 17, 8, 30),
])
def test_parse_date_accepts_what_rosters_hold(value):
    assert dates.parse_date(value) == dt.date(2020, 3, 17)


@pytest.mark.parametrize("value", ["2020-02-30", "17/03/2020", "soon", 0])
def test_parse_date_refuses(value):
    with pytest.raises(DomainError) as caught:
        dates.parse_date(value)
    assert caught.value.code == "bad_date"


def test_money_in_fen():
    assert money.yuan_to_fen("100") == 10000
    assert money.yuan_to_fen("¥1,234.56") == 123456
    assert money.format_fen(30550) == "¥305.50"
    with pytest.raises(DomainError):
        money.yuan_to_fen("1.234")


@pytest.mark.parametrize(("total", "parts"), [(20_000_000, 3), (20_000_000, 7), (1, 3), (100, 1)])
def test_split_adds_up_exactly(total, parts):
    shares = money.split_fen(total, parts)
    assert sum(shares) == total
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)  # the leftover fen go to the first (the head)


def test_split_by_weights_adds_up_and_gives_odd_fen_to_the_largest_remainders():
    """¥60 back of 5 + 5 + 10 + 10 + 90 paid: 2.50, 2.50, 5, 5, 45. ¥1 in three equal parts: 34, 33, 33
    (the earlier first on a tie). 7 fen by 3 : 0 : 4 → 3, 0, 4; a payer that paid nothing gets nothing."""
    assert money.split_by_weights(6000, [500, 500, 1000, 1000, 9000]) == [250, 250, 500, 500, 4500]
    assert money.split_by_weights(100, [1, 1, 1]) == [34, 33, 33]
    assert money.split_by_weights(7, [3, 0, 4]) == [3, 0, 4]
    assert money.split_by_weights(10, [1, 2]) == [3, 7]  # 3.33 and 6.67: the odd fen to the larger remainder
    assert sum(money.split_by_weights(99_999, [7, 13, 29, 51])) == 99_999
