"""Property-based tests (hypothesis): ID numbers, dates, amounts in words, phone numbers.

Every input either gives a well-formed answer or a DomainError with a registered code — never
another exception — and the answers keep their invariants.
"""

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fpdesk.core import dates, idnumber, money, phone
from fpdesk.core.errors import MESSAGES, DomainError

TODAY = dt.date(2026, 11, 22)
REGIONS = st.sampled_from(["350421", "110105", "450502", "320614", "440524", "654324"])
BIRTHS = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
FAST = settings(max_examples=300, deadline=None)


def refused_cleanly(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except DomainError as error:
        assert error.code in MESSAGES and error.message_zh
        return None


@FAST
@given(st.text(max_size=30))
def test_any_text_as_id_number_is_read_or_refused_cleanly(raw):
    facts = refused_cleanly(idnumber.validate, raw, today=TODAY, allow_legacy=True)
    if facts is not None:
        assert len(facts.number) == 18 and idnumber.check_char(facts.number[:17]) == facts.number[17]


@FAST
@given(REGIONS, BIRTHS, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_in_an_id_number_is_caught(region, birth, sequence, position, delta):
    number = idnumber.make_number(region, birth, sequence)
    facts = idnumber.validate(number, today=TODAY)
    assert facts.birth_date == birth and (facts.sex == "male") == (sequence % 2 == 1)
    wrong = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert refused_cleanly(idnumber.validate, wrong, today=TODAY) is None  # MOD 11-2 catches every one
    masked = idnumber.mask(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:] and f"{birth:%Y%m%d}" not in masked


@FAST
@given(REGIONS, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), st.integers(0, 999))
def test_a_legacy_15_digit_number_upgrades_to_the_same_person(region, birth, sequence):
    full = idnumber.make_number(region, birth, sequence)
    legacy = full[:6] + full[8:17]
    assert idnumber.validate(legacy, today=TODAY, allow_legacy=True).number == full


@FAST
@given(st.one_of(st.text(max_size=20), st.integers(-10, 3_000_000), st.floats(allow_nan=True)))
def test_any_cell_as_a_date_is_read_or_refused_cleanly(value):
    day = refused_cleanly(dates.parse_date, value)
    assert day is None or isinstance(day, dt.date)


@FAST
@given(BIRTHS, st.sampled_from(["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y.%m.%d}", "{:%Y年%m月%d日}", "{:%Y%m%d}"]))
def test_every_written_form_of_a_date_reads_back(day, form):
    assert dates.parse_date(form.format(day)) == day


@FAST
@given(BIRTHS, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_completed_years_count_birthdays_and_never_run_early(birth, on):
    age = dates.completed_years(birth, on)
    if on < birth:
        assert age == -1
        return
    assert birth + dt.timedelta(days=365 * age + age // 4 - 1) <= on or age == 0
    assert dates.birthday_in_year(birth, birth.year + age) <= on < dates.birthday_in_year(birth, birth.year + age + 1)


_DIGITS = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10), strict=True))
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read_capital(text: str) -> int:
    """Chinese capital numerals back to fen (the test's own, independent reading)."""
    negative = text.startswith("负")
    text = text.removeprefix("负").removesuffix("整")
    yuan_part, _, cents_part = text.partition("元") if "元" in text else ("", "", text)
    total = 0
    for big, factor in (("亿", 10**8), ("万", 10**4)):
        if big in yuan_part:
            head, yuan_part = yuan_part.split(big, 1)
            total += _read_group(head) * factor
    total += _read_group(yuan_part)
    fen = total * 100
    m = re.fullmatch(r"零?(?:(.)角)?零?(?:(.)分)?", cents_part)
    assert m, cents_part
    fen += _DIGITS[m[1]] * 10 if m[1] else 0
    fen += _DIGITS[m[2]] if m[2] else 0
    return -fen if negative else fen


def _read_group(text: str) -> int:
    if "亿" in text or "万" in text:
        return _read_capital(text + "元整") // 100
    value, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            value += digit * _UNITS[char]
            digit = 0
    return value + digit


@FAST
@given(st.integers(-10**12, 10**12))
def test_amount_in_words_reads_back_to_the_same_amount(fen):
    words = money.amount_in_words(fen)
    assert _read_capital(words) == fen, words
    assert "零零" not in words and ("拾" not in words or "壹拾" in words or re.search("[零壹贰叁肆伍陆柒捌玖]拾", words))
    assert words.endswith("整") == (fen % 100 == 0)


@FAST
@given(st.text(max_size=25))
def test_any_text_as_a_phone_number_is_read_or_refused_cleanly(raw):
    number = refused_cleanly(phone.validate, raw)
    if number is not None:
        assert phone.is_mobile(number) or re.fullmatch(r"0\d{2,3}-\d{7,8}", number)


@FAST
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       st.sampled_from(["{}", "+86 {}", "0086{}", "{} {} {}", "{}-{}-{}", "86{}"]),
       st.booleans())
def test_every_written_form_of_a_mobile_normalises_to_it(mobile, form, fullwidth):
    text = form.format(mobile[:3], mobile[3:7], mobile[7:]) if form.count("{}") == 3 else form.format(mobile)
    if fullwidth:
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert phone.validate(text) == mobile
    assert phone.mask(mobile) == mobile[:3] + "****" + mobile[7:]


@FAST
@given(st.text(alphabet=st.sampled_from("0123456789¹²³٣X-"), min_size=5, max_size=20))
def test_odd_digits_in_codes_are_refused_cleanly(raw):
    from fpdesk.core import divisions

    refused_cleanly(idnumber.validate, raw, today=TODAY, allow_legacy=True)
    refused_cleanly(divisions.parse_code, raw)


def test_superscript_digits_found_by_hypothesis_are_refused():
    from fpdesk.core import divisions

    for call, value in ((idnumber.validate, "¹" * 15), (idnumber.validate, "¹" * 17 + "1"),
                        (divisions.parse_code, "³" * 12), (dates.parse_date, "¹")):
        assert refused_cleanly(call, value) is None
