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

    ``season`` is the year of the deadline the date belongs to (the season just closed, when the
    date is past it); ``cover_year`` is the year the season's enrollments are for; ``next_opens``
    is when sign-up opens next (the coming season's first day) while the window is not open.
    """

    state: str
    on: dt.date
    opens: dt.date | None = None
    deadline: dt.date | None = None
    season: int | None = None
    cover_year: int | None = None
    days_left: int | None = None  # days from ``on`` to the deadline, while open
    next_opens: dt.date | None = None
    late: str = "allowed"  # what the product does with entries after the deadline (LATE_ENTRIES)

    @property
    def accepting(self) -> bool:
        """Open for entries without a word: open, closing soon, or a product without a window."""
        return self.state in ACCEPTING

    @property
    def is_late(self) -> bool:
        """After this season's deadline, before the next season opens."""
        return self.state == CLOSED


def window_status(product: Product, on: dt.date, cover_year: int | None = None) -> WindowStatus:
    """Open / closing soon (within the product's warning days) / closed (late) / not yet open, for
    ``on``; for the season of ``cover_year`` when given (an entry for next year's cover made before
    its sign-up opens is not yet open, not late for this year)."""
    return _MEMO.get(product, ("window", on, cover_year), lambda: _window_status(product, on, cover_year))


def _window_status(product: Product, on: dt.date, cover_year: int | None) -> WindowStatus:
    window = product.enrollment_window
    if window is None:
        return WindowStatus(YEAR_ROUND, on)
    offset = 1 if window.covers == "next_year" else 0
    found = _default_status(window, on, offset)
    if cover_year is None or found.cover_year == cover_year:
        return found
    season = cover_year - offset
    opens, deadline = _bounds(window, season)
    if on < opens:  # asked for a coming season: it has not opened yet
        return WindowStatus(NOT_YET_OPEN, on, opens, deadline, season, cover_year, next_opens=opens,
                            late=window.late)
    return found  # a season long past or not the date's: the caller says the year does not match


def _bounds(window: EnrollmentWindow, season: int) -> tuple[dt.date, dt.date]:
    """(opening day, deadline) of a season; a window such as 09-01 … 08-31 runs over New Year and
    its season is named by the deadline's year."""
    opens_year = season - 1 if window.wraps_new_year else season
    return window.opens.in_year(opens_year), window.deadline.in_year(season)


def _default_status(window: EnrollmentWindow, on: dt.date, offset: int) -> WindowStatus:
    """The season ``on`` is open in; else the season whose deadline has passed while the year it
    covers still runs (a late entry, S2: January–November is late for the running year); else the
    coming season, not yet open."""
    for season in (on.year - 1, on.year, on.year + 1):
        opens, deadline = _bounds(window, season)
        if opens <= on <= deadline:
            days_left = (deadline - on).days
            state = CLOSING_SOON if days_left <= window.warn_days_before_deadline else OPEN
            return WindowStatus(state, on, opens, deadline, season, season + offset, days_left, late=window.late)
    closed = max(s for s in (on.year - 2, on.year - 1, on.year) if _bounds(window, s)[1] < on)
    following = _bounds(window, closed + 1)[0]
    if on.year <= closed + offset:
        opens, deadline = _bounds(window, closed)
        return WindowStatus(CLOSED, on, opens, deadline, closed, closed + offset, next_opens=following,
                            late=window.late)
    opens, deadline = _bounds(window, closed + 1)
    return WindowStatus(NOT_YET_OPEN, on, opens, deadline, closed + 1, closed + 1 + offset, next_opens=opens,
                        late=window.late)


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


def policy_period(product: Product, enrollment_date: dt.date, cover_year: int | None = None,
                  continues_after: dt.date | None = None) -> PolicyPeriod:
    """The cover bought by an entry whose premium is received on ``enrollment_date`` (for an entry
    not yet paid: the cover it would have if paid that day).

    ``day_after_payment`` (docs/rules.md#policy-period): from 00:00 the next day to 24:00 on the day before the
    anniversary — paid 2020-04-15 → 2020-04-16 … 2021-04-15. A start on 29 February ends on
    28 February (the anniversary falls on 1 March, as for ages in fpdesk.core.dates). A renewal
    (``continues_after``: the day the previous cover ends) starts the day after that, however early
    it is paid, so two covers never overlap; paid after it, a gap is left (see ``cover_gap``).

    ``fixed_cycle``: the yearly cycle from ``cycle_start`` (of ``cover_year`` when given). Enrollment
    during an open window that covers the next year buys the whole next cycle; otherwise the cycle
    containing the date, from the day after enrollment (a mid-term addition, covered "按实际人数",
    docs/rules.md#mid-term-changes).
    """
    return _MEMO.get(product, ("period", enrollment_date, cover_year, continues_after),
                     lambda: _policy_period(product, enrollment_date, cover_year, continues_after))


def _policy_period(product: Product, enrollment_date: dt.date, cover_year: int | None,
                   continues_after: dt.date | None) -> PolicyPeriod:
    rule = product.period
    if rule.rule == "campaign":
        assert rule.campaign_start is not None and rule.campaign_end is not None
        return PolicyPeriod(max(rule.campaign_start, enrollment_date + ONE_DAY), rule.campaign_end)
    if rule.rule == "fixed_date":
        return _fixed_date_period(product, enrollment_date, cover_year)
    if rule.rule == "day_after_payment":
        start = enrollment_date + ONE_DAY
        if continues_after is not None and continues_after + ONE_DAY > start:
            start = continues_after + ONE_DAY
        return PolicyPeriod(start, birthday_in_year(start, start.year + rule.years) - ONE_DAY)
    assert rule.cycle_start is not None  # the loader requires it for fixed_cycle
    if cover_year is not None:
        cycle = _cycle_starting(rule.cycle_start, cover_year)
        if enrollment_date < cycle.end:
            return PolicyPeriod(max(cycle.start, enrollment_date + ONE_DAY), cycle.end)
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


def _fixed_date_period(product: Product, enrollment_date: dt.date, cover_year: int | None) -> PolicyPeriod:
    """Every policy of a year takes effect on the fixed day ("统一于3月1日零时起生效，保险期一年"):
    paid before it, cover runs from that day; paid later, from the next day to the same end. The
    year is the one asked for, else the one the enrollment season is for; a product without a season
    covers an entry from the next day within the year then running."""
    fixed = product.period.cycle_start
    assert fixed is not None  # the loader requires ``starts``
    year = cover_year
    if year is None and product.enrollment_window is not None:
        year = window_status(product, enrollment_date).cover_year
    if year is None:
        year = _cycle_containing(fixed, enrollment_date + ONE_DAY).start.year
    cycle = _cycle_starting(fixed, year)
    start = max(cycle.start, enrollment_date + ONE_DAY)
    if start > cycle.end:  # that year's cover is over: the next one
        return _cycle_starting(fixed, year + 1)
    return PolicyPeriod(start, cycle.end)


def campaign_over(product: Product, enrollment_date: dt.date) -> bool:
    """Whether an entry paid on this day comes after the campaign's cover has ended."""
    rule = product.period
    return rule.rule == "campaign" and rule.campaign_end is not None and enrollment_date >= rule.campaign_end


def cycle_of(product: Product, period: PolicyPeriod) -> PolicyPeriod:
    """The whole cycle a period is part of: the fixed cycle it falls in, or for cover that runs a
    year from its own first day, the period itself."""
    rule = product.period
    if rule.rule == "campaign" and rule.campaign_start is not None and rule.campaign_end is not None:
        return PolicyPeriod(rule.campaign_start, rule.campaign_end)
    if rule.rule not in ("fixed_cycle", "fixed_date") or rule.cycle_start is None:
        return period
    return _cycle_containing(rule.cycle_start, period.start)


def cover_gap(previous_end: dt.date | None, start: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The days without cover between a previous cover ending ``previous_end`` and the next starting
    ``start`` (first and last day), or None when they meet."""
    if previous_end is None or start is None or start <= previous_end + ONE_DAY:
        return None
    return previous_end + ONE_DAY, start - ONE_DAY


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
