"""Percentages as county target files write them, and a target said the way it was set."""

from decimal import Decimal

import pytest

from fpdesk.core.target_measures import BadPercent, describe, parse_percent, rate_text


@pytest.mark.parametrize("written, basis_points", [
    ("60%", 6000), ("60", 6000), (60, 6000), (0.6, 6000), ("0.6", 6000), ("62.5％", 6250), (" 80 % ", 8000),
    ("100%", 10000), (1, 10000), ("0.435", 4350), ("", None), (None, None), ("1,00", 10000)])
def test_a_percentage_in_any_of_its_written_forms(written, basis_points):
    assert parse_percent(written) == basis_points


@pytest.mark.parametrize("written, kind", [("120%", "over_100"), ("101", "over_100"), ("-5%", "negative"),
                                           ("六成", "bad"), ("60%%", "bad"), ("nan", "bad")])
def test_a_percentage_that_cannot_be_a_target(written, kind):
    with pytest.raises(BadPercent) as error:
        parse_percent(written)
    assert error.value.kind == kind


def test_rates_and_targets_as_said():
    assert [rate_text(v) for v in (6000, 6250, Decimal("4350.4"), 0, None)] == ["60%", "62.5%", "43.5%", "0%", "—"]
    assert describe("household_rate", rate_bp=6000, stretch_bp=8000) == "参保率 60%（力争 80%）"
    assert describe("person_rate", rate_bp=9500, english=True) == "person rate 95%"
    assert (describe("households", quantity=1200), describe("persons", quantity=30, english=True),
            describe("shares", shares=475)) == ("1,200户", "30 persons", "475份")
