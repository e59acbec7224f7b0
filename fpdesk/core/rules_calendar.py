"""The calendar side of the rules: policy periods, enrollment windows and statistical years.

Dates are ``datetime.date``; a period's ``start`` is covered from 00:00 and its ``end`` until
24:00, so both days are inside the cover.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdesk.core.dates import birthday_in_year
from fpdesk.core.definition_reader import MonthDay
from fpdesk.core.memo import DefinitionMemo
from fpdesk.core.products import EnrollmentWindow, Product

ONE_DAY = dt.timedelta(days=1)

# Window states
YEAR_ROUND = "year_round"  # the product has no enrollment window
OPEN = "open"
CLOSING_SOON = "closing_soon"
CLOSED = "closed"  # the deadline of this season has passed
NOT_YET_OPEN = "not_yet_open"
ACCEPTING = frozenset({YEAR_ROUND, OPEN, CLOSING_SOON})
# window_status, is_historical and policy_period are asked once per household by roster imports and
# renewals, nearly always for the same product and day
_MEMO = DefinitionMemo()


@dataclass(frozen=True)
class PolicyPeriod:
    start: dt.date  # cover begins 00:00 on this day
    end: dt.date  # cover ends 24:00 on this day

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def as_pair(self) -> list[str]:
        return [self.start.isoformat(), self.end.isoformat()]


@dataclass(frozen=True)
class WindowStatus:
    """Where a date falls in a product's enrollment calendar.

    ``season`` is the year of the deadline the date belongs to (the season just closed, when
    the date is past it); ``cover_year`` is the year the season's enrollments are for.
    """

    state: str
    on: dt.date
    opens: dt.date | None = None
    deadline: dt.date | None = None
    season: int | None = None
    cover_year: int | None = None
    days_left: int | None = None  # days from ``on`` to the deadline, while open

    @property
    def accepting(self) -> bool:
        return self.state in ACCEPTING


def window_status(product: Product, on: dt.date) -> WindowStatus:
    """Open / closing soon (within the product's warning days) / closed / not yet open, for ``on``."""
    return _MEMO.get(product, ("window", on), lambda: _window_status(product, on))


def _window_status(product: Product, on: dt.date) -> WindowStatus:
    window = product.enrollment_window
    if window is None:
        return WindowStatus(YEAR_ROUND, on)
    opens, deadline, season = _season_bounds(window, on)
    cover_year = season + (1 if window.covers == "next_year" else 0)
    if on < opens:
        return WindowStatus(NOT_YET_OPEN, on, opens, deadline, season, cover_year)
    if on > deadline:
        return WindowStatus(CLOSED, on, opens, deadline, season, cover_year)
    days_left = (deadline - on).days
    state = CLOSING_SOON if days_left <= window.warn_days_before_deadline else OPEN
    return WindowStatus(state, on, opens, deadline, season, cover_year, days_left)


def _season_bounds(window: EnrollmentWindow, on: dt.date) -> tuple[dt.date, dt.date, int]:
    """(opening day, deadline, season year) of the season ``on`` belongs to or has just left."""
    if not window.wraps_new_year:
        return window.opens.in_year(on.year), window.deadline.in_year(on.year), on.year
    # A window such as 09-01 … 08-31 runs over New Year; its season is named by the deadline's year.
    if on <= window.deadline.in_year(on.year):
        return window.opens.in_year(on.year - 1), window.deadline.in_year(on.year), on.year
    if on >= window.opens.in_year(on.year):
        return window.opens.in_year(on.year), window.deadline.in_year(on.year + 1), on.year + 1
    return window.opens.in_year(on.year - 1), window.deadline.in_year(on.year), on.year


def is_historical(product: Product, enrollment_date: dt.date, recorded_on: dt.date | None) -> bool:
    """Whether an enrollment belongs to a season before the one of ``recorded_on``.

    Such records are history copied from old rosters: they are judged at their own date and the
    (long past) deadline does not block them.
    """
    if recorded_on is None or product.enrollment_window is None:
        return False
    return _MEMO.get(product, ("historical", enrollment_date, recorded_on),
                     lambda: _is_historical(product, enrollment_date, recorded_on))


def _is_historical(product: Product, enrollment_date: dt.date, recorded_on: dt.date) -> bool:
    return window_status(product, enrollment_date).season < window_status(product, recorded_on).season


def policy_period(product: Product, enrollment_date: dt.date) -> PolicyPeriod:
    """The cover bought on ``enrollment_date`` (the day the premium is paid and the entry made).

    ``day_after_payment`` (S1 rule 3): from 00:00 the next day to 24:00 on the day before the
    anniversary — paid 2020-04-15 → 2020-04-16 … 2021-04-15. A start on 29 February ends on
    28 February (the anniversary falls on 1 March, as for ages in fpdesk.core.dates).

    ``fixed_cycle``: the yearly cycle from ``cycle_start``. Enrollment during an open window that
    covers the next year buys the whole next cycle; otherwise the cycle containing the date,
    from the day after enrollment (a mid-term addition, covered "按实际人数", S3 rule 22).
    """
    return _MEMO.get(product, ("period", enrollment_date), lambda: _policy_period(product, enrollment_date))


def _policy_period(product: Product, enrollment_date: dt.date) -> PolicyPeriod:
    rule = product.period
    if rule.rule == "day_after_payment":
        start = enrollment_date + ONE_DAY
        return PolicyPeriod(start, birthday_in_year(start, start.year + rule.years) - ONE_DAY)
    assert rule.cycle_start is not None  # the loader requires it for fixed_cycle
    window = window_status(product, enrollment_date)
    if product.enrollment_window is not None and product.enrollment_window.covers == "next_year" \
            and window.accepting:
        cycle = _cycle_starting(rule.cycle_start, window.cover_year)
        if enrollment_date < cycle.start:
            return cycle
    cycle = _cycle_containing(rule.cycle_start, enrollment_date)
    start = max(cycle.start, enrollment_date + ONE_DAY)
    if start > cycle.end:  # entered on the cycle's last day: cover is the next cycle
        return _cycle_starting(rule.cycle_start, cycle.start.year + 1)
    return PolicyPeriod(start, cycle.end)


def _cycle_starting(cycle_start: MonthDay, year: int) -> PolicyPeriod:
    start = cycle_start.in_year(year)
    return PolicyPeriod(start, cycle_start.in_year(year + 1) - ONE_DAY)


def _cycle_containing(cycle_start: MonthDay, day: dt.date) -> PolicyPeriod:
    start = cycle_start.in_year(day.year)
    return _cycle_starting(cycle_start, day.year if day >= start else day.year - 1)


@dataclass(frozen=True)
class StatisticalYear:
    start: dt.date
    end: dt.date
    label: int  # named by the year it ends in: Guangxi's "2021" is Sep 2020 – Aug 2021

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def statistical_year(start_month: int, on: dt.date) -> StatisticalYear:
    """The reporting year containing ``on`` for a year that starts on day 1 of ``start_month``."""
    first_year = on.year if on.month >= start_month else on.year - 1
    start = dt.date(first_year, start_month, 1)
    end = dt.date(first_year + 1, start_month, 1) - ONE_DAY
    return StatisticalYear(start, end, end.year)
