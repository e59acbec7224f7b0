"""The figures of the provincial report (docs/rules.md#provincial-figures, docs/rules.md#statistical-year) from aggregated inputs.

Pure arithmetic over totals the services count with SQL: shares, premium (承保金额 in S4 means the
premium, not the sum insured), claims reported and paid, the loss ratio *paid ÷ premium* with that
basis written next to it, the government-paid and self-paid shares of the premium, the coverage rate
*shares ÷ resident population*, and the change on the previous year. Ratios are kept as exact
fractions until they are shown, so 1,405,800 ÷ 4,273,200 reads 32.90 % and not a float artefact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from fpdesk.core.rules_calendar import StatisticalYear, statistical_year

LOSS_RATIO_BASIS = ("已付赔款 ÷ 保费（同一统计年度）", "claims paid ÷ premium (same statistical year)")
COVERAGE_BASIS = ("份数 ÷ 常住人口", "shares ÷ resident population")
COUNT_BASIS = ("保单按保险起期所在年度统计；份数与被保险人数分列；只计已收保费（已缴费或已拨款）的参保，"
               "已登记未缴费的另列（按登记日期所在年度）",
               "a policy counts in the year its cover starts; shares and insured persons are counted apart; only "
               "enrollments whose premium was received (paid or allocated) count, those registered but unpaid "
               "are listed beside them (in the year they were registered)")
# docs/rules.md#provincial-figures: flag a computed ratio that differs from a reported one by more than half a point.
FLAG_DIFFERENCE_PP = Decimal("0.5")


def statistical_year_labelled(start_month: int, label: int) -> StatisticalYear:
    """The statistical year named ``label`` (the year it ends in): S4's 2021 with start month 9 is
    1 September 2020 – 31 August 2021; with start month 1 it is the calendar year."""
    last_month_day = dt.date(label, 12, 31) if start_month == 1 else dt.date(label, start_month - 1, 1)
    return statistical_year(start_month, last_month_day)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator as an exact Decimal (None when there is nothing to divide by)."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def percent(value: Decimal | None, places: int = 2) -> str:
    """0.32898... -> '32.90%'; None -> '—'."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    return f"{(value * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"


def percent_value(value: Decimal | None, places: int = 2) -> float | None:
    """For JSON: 32.9 (percent points, rounded half up to ``places``)."""
    if value is None:
        return None
    return float((value * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def differs(computed: Decimal | None, reported: Decimal | None) -> bool:
    """Whether a computed ratio and a reported one differ by more than 0.5 percentage points."""
    if computed is None or reported is None:
        return False
    return abs(computed - reported) * 100 > FLAG_DIFFERENCE_PP


@dataclass
class Figures:
    """The report's figures for one group (a township, a product, a payer or the whole)."""

    shares: int = 0  # 份数: a family product's share covers the whole family, a per-person product's one person
    premium_fen: int = 0
    persons: int = 0  # 被保险人数: the people those shares insure, counted separately
    unpaid_shares: int = 0  # registered, premium not received: beside the insured (已登记未缴费), never inside
    unpaid_persons: int = 0
    government_premium_fen: int = 0
    self_premium_fen: int = 0
    employer_premium_fen: int = 0
    claims_reported: int = 0
    claims_paid: int = 0
    paid_fen: int = 0
    population: int | None = None
    previous: Figures | None = field(default=None, repr=False)

    def add(self, other: Figures) -> None:
        for name in ("shares", "premium_fen", "government_premium_fen", "self_premium_fen", "employer_premium_fen",
                     "claims_reported", "claims_paid", "paid_fen", "persons", "unpaid_shares", "unpaid_persons"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def loss_ratio(self) -> Decimal | None:
        return ratio(self.paid_fen, self.premium_fen)

    @property
    def fiscal_share(self) -> Decimal | None:
        """Government-paid ÷ total premium (S4: 17 %)."""
        return ratio(self.government_premium_fen, self.premium_fen)

    @property
    def self_paid_share(self) -> Decimal | None:
        return ratio(self.self_premium_fen, self.premium_fen)

    @property
    def coverage_rate(self) -> Decimal | None:
        return ratio(self.shares, self.population or 0) if self.population else None

    @property
    def premium_per_share_fen(self) -> int | None:
        if not self.shares:
            return None
        return int((Decimal(self.premium_fen) / self.shares).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def as_dict(self) -> dict:
        data = {
            "shares": self.shares, "persons": self.persons, "premium_fen": self.premium_fen,
            "unpaid_shares": self.unpaid_shares, "unpaid_persons": self.unpaid_persons,
            "government_premium_fen": self.government_premium_fen, "self_premium_fen": self.self_premium_fen,
            "employer_premium_fen": self.employer_premium_fen,
            "claims_reported": self.claims_reported, "claims_paid": self.claims_paid, "paid_fen": self.paid_fen,
            "loss_ratio_pct": percent_value(self.loss_ratio), "loss_ratio_basis": LOSS_RATIO_BASIS[0],
            "fiscal_share_pct": percent_value(self.fiscal_share),
            "self_paid_share_pct": percent_value(self.self_paid_share),
            "population": self.population, "coverage_rate_pct": percent_value(self.coverage_rate),
            "coverage_basis": COVERAGE_BASIS[0],
        }
        if self.previous is not None:
            data["previous"] = {"shares": self.previous.shares, "premium_fen": self.previous.premium_fen,
                                "paid_fen": self.previous.paid_fen, "persons": self.previous.persons}
            data["change"] = {"shares": self.shares - self.previous.shares,
                              "premium_fen": self.premium_fen - self.previous.premium_fen,
                              "shares_pct": percent_value(ratio(self.shares - self.previous.shares,
                                                                self.previous.shares))}
        return data
