"""What a target counts (its measure) and how a percentage written in a target file is read.

County implementation plans set targets in several forms: shares of the product (the S1 annex), a
number of households or persons to enrol, or a share of the division's census base — "参保总户数达
60%，力争覆盖率达80%" is households enrolled as a share of the census households, with a stretch
("力争") rate beside it. A target keeps the form it was set in, and progress and the bulletin show it
that way (docs/products.md, "Target forms").

Rates are kept in basis points (60 % = 6000) so that they are exact integers in the database and in
sync packages.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from fpdesk.core.language import pick

SHARES, HOUSEHOLDS, PERSONS = "shares", "households", "persons"
HOUSEHOLD_RATE, PERSON_RATE = "household_rate", "person_rate"
MEASURES = (SHARES, HOUSEHOLDS, PERSONS, HOUSEHOLD_RATE, PERSON_RATE)
RATES = (HOUSEHOLD_RATE, PERSON_RATE)
MIXED = "mixed"  # a total over lines set in different forms

# the unit each measure counts achievement in
UNIT = {SHARES: SHARES, HOUSEHOLDS: HOUSEHOLDS, PERSONS: PERSONS, HOUSEHOLD_RATE: HOUSEHOLDS,
        PERSON_RATE: PERSONS}
UNIT_ZH = {SHARES: "份", HOUSEHOLDS: "户", PERSONS: "人"}
UNIT_EN = {SHARES: "shares", HOUSEHOLDS: "households", PERSONS: "persons"}
RATE_ZH = {HOUSEHOLD_RATE: "参保率", PERSON_RATE: "人口参保率"}
RATE_EN = {HOUSEHOLD_RATE: "household rate", PERSON_RATE: "person rate"}
BASE_ZH = {HOUSEHOLD_RATE: "普查户数", PERSON_RATE: "常住人口"}
FULL = 10_000  # 100 % in basis points


class BadPercent(ValueError):
    """A percentage that cannot be read (``kind`` 'bad'), is negative or is over 100 %."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def parse_percent(value) -> int | None:
    """A percentage as a file writes it -> basis points; None for an empty cell.

    "60%", "60", 60 and 0.6 (a cell formatted as a percentage arrives as a fraction) are all 6000.
    A number of 1 or less is taken as a fraction (a 1 % coverage target is not a target anyone sets).
    """
    if value is None:
        return None
    text = str(value).strip().replace("％", "%").replace(",", "")
    if not text:
        return None
    written_percent = text.endswith("%")
    try:
        number = Decimal(text[:-1].strip() if written_percent else text)
    except InvalidOperation:
        raise BadPercent("bad") from None
    if not number.is_finite():
        raise BadPercent("bad")
    if number < 0:
        raise BadPercent("negative")
    if not written_percent and number <= 1:
        number *= 100
    if number > 100:
        raise BadPercent("over_100")
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rate_text(basis_points: int | Decimal | None) -> str:
    """6000 -> '60%', 6250 -> '62.5%', 4350.4 -> '43.5%' (one decimal at most)."""
    if basis_points is None:
        return "—"
    value = (Decimal(basis_points) / 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value.normalize():f}%" if value == value.to_integral() else f"{value}%"


def describe(measure: str, *, quantity: int = 0, rate_bp: int | None = None, stretch_bp: int | None = None,
             shares: int = 0, english: bool = False) -> str:
    """A target as it was set: '475份', '600户', '户数 60%（力争 80%）'."""
    if measure in RATES:
        name = pick(RATE_ZH, RATE_EN, english)[measure]
        text = f"{name} {rate_text(rate_bp)}"
        if stretch_bp is not None:
            text += pick(f"（力争 {rate_text(stretch_bp)}）", f" (stretch {rate_text(stretch_bp)})", english)
        return text
    count = shares if measure == SHARES else quantity
    return pick(f"{count:,}{UNIT_ZH[measure]}", f"{count:,} {UNIT_EN[measure]}", english)
