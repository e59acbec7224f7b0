import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from fpdesk.core import idnumber
from fpdesk.core.errors import DomainError

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(("value", "birth", "sex"), [
    ("350421198001010017", dt.date(1980, 1, 1), "male"),
    ("450502201602290020", dt.date(2016, 2, 29), "female"),
    ("32068419650712016X", dt.date(1965, 7, 12), "female"),  # retired Haimen code stays valid
    ("11010519491231002X", dt.date(1949, 12, 31), "female"),  # the standard's own example
    ("440524188001010014", dt.date(1880, 1, 1), "male"),
])
def test_valid_numbers_give_birth_date_and_sex(value, birth, sex):
    facts = idnumber.validate(value, today=TODAY)
    assert (facts.number, facts.birth_date, facts.sex) == (value, birth, sex)


@pytest.mark.parametrize(("value", "code"), [
    ("350421198001010018", "id_checksum"),
    ("350421198102290046", "id_birthdate"),  # checksum fine, 1981-02-29 does not exist
    ("990421198001010032", "id_region"),
    ("35042119800101001", "id_format"),
    ("3504211980010100171", "id_format"),
    ("35042119800101001Y", "id_format"),
    ("", "id_empty"),
    ("350421800101001", "id_legacy_not_allowed"),
])
def test_invalid_numbers_are_refused_with_their_code(value, code):
    with pytest.raises(DomainError) as caught:
        idnumber.validate(value, today=TODAY)
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en


def test_future_birth_date_is_refused():
    number = idnumber.make_number("350421", dt.date(2026, 12, 1), 11)
    with pytest.raises(DomainError) as caught:
        idnumber.validate(number, today=TODAY)
    assert caught.value.code == "id_birthdate"


def test_normalises_full_width_spaces_and_lower_x():
    assert idnumber.validate("３２０６８４ 1965 0712 016x", today=TODAY).number == "32068419650712016X"


def test_legacy_15_digit_number_upgrades_on_import_only():
    assert idnumber.upgrade_legacy("350421800101001") == "350421198001010017"
    assert idnumber.validate("350421800101001", allow_legacy=True, today=TODAY).number == "350421198001010017"


def test_mask_hides_exactly_the_birth_date_and_sequence():
    assert idnumber.mask("350421198001010017") == "350421********0017"


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY), st.integers(0, 999),
       st.sampled_from(["350421", "110105", "450502", "320614", "440524"]))
def test_agrees_with_python_stdnum_on_generated_numbers(birth, sequence, region):
    """python-stdnum is the cross-check for the check digit and birth date.

    Its full ``is_valid`` is not used: it rejects numbers whose county code was not in its table
    for the birth year (Mingxi 350421 in 1982 among them), which is exactly what we must accept.
    """
    number = idnumber.make_number(region, birth, sequence)
    assert idnumber.is_valid(number, today=TODAY)
    assert ric.calc_check_digit(number) == number[17]  # it takes the whole number
    assert ric.get_birth_date(number) == birth
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert not idnumber.is_valid(wrong, today=TODAY)
