"""Ages and dates as the rules state them: completed years (周岁) and days at a given date.

Feb 29 choice: a person born on 29 February completes a year on 1 March in common years (the
anniversary has not been reached on 28 February). This follows the civil-law reading
"周岁以公历生日为准" — a year is complete only when the full calendar year has passed — and it
never makes anyone older than they are, so an age ceiling (65, 70) is never hit a day early.
"""

from __future__ import annotations

import datetime as dt
import re

from fpdesk.core.errors import DomainError


def completed_years(birth: dt.date, on: dt.date) -> int:
    """Completed years (周岁) on ``on``: the count of birthdays reached, Feb 29 → Mar 1."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return max(years, 0) if on >= birth else -1


def age_in_days(birth: dt.date, on: dt.date) -> int:
    return (on - birth).days


def birthday_in_year(birth: dt.date, year: int) -> dt.date:
    """The date on which the age increases in ``year`` (1 March for a Feb 29 birth in a common year)."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


def chinese_date(day: dt.date, *, with_year: bool = True) -> str:
    """2025年03月10日 (or 03月10日), built from the numbers: ``strftime`` with Chinese in the format
    goes through the C runtime's code page on Windows and fails outside GBK (CPython gh-52551)."""
    month_day = f"{day.month:02d}月{day.day:02d}日"
    return f"{day.year}年{month_day}" if with_year else month_day


EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: object) -> dt.date:
    """Read the dates people type or spreadsheets hold.

    Accepts date/datetime objects, Excel serial numbers, 2020-03-17, 2020/3/17, 2020.3.17,
    2020年3月17日 and 20200317.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial range (to 9999-12-31)
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise DomainError("bad_date", {"value": value})
    text = str(value).strip().translate({ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"})
    text = text.split(" ")[0]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    if text.isdecimal() and len(text) <= 5 and 1 <= int(text) < 2958466:  # isdigit() would let "¹" through
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    raise DomainError("bad_date", {"value": value})
