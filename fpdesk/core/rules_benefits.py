"""Sums insured per insured person, and the hospital-care day counter.

Money is integer fen throughout. A sum "split equally among the insured" (S1: ¥200,000 ÷ n) is
divided with ``fpdesk.core.money.split_fen`` under the product's rounding rule; a shared pool
(S1: ¥14,000 medical) is one family-wide cap, reported to every insured person as the pool itself
together with the number of people sharing it — never divided.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdesk.core.memo import DefinitionMemo
from fpdesk.core.money import format_fen, split_fen
from fpdesk.core.products import SPLITS, Liability, LiabilityLabels, Product

_MEMO = DefinitionMemo()  # covers by insured count: every household of a roster asks again


@dataclass(frozen=True)
class Cover(LiabilityLabels):
    """One liability as it applies to one insured person."""

    kind: str
    split: str
    # equal_among_insured: this person's share; per_person: the person's own sum;
    # shared_pool: the whole family pool (shared with ``shared_by`` people); per_day: None.
    amount_fen: int | None
    shared_by: int = 1
    amount_per_day_fen: int | None = None
    max_days_per_year: int | None = None

    def describe_zh(self) -> str:
        if self.split == "per_day":
            return f"{self.label_zh}：{format_fen(self.amount_per_day_fen or 0)}/天，每年最多{self.max_days_per_year}天"
        amount = format_fen(self.amount_fen or 0)
        if self.split == "shared_pool":
            return f"{self.label_zh}：{amount}（{self.shared_by}人{SPLITS['shared_pool'][0]}）"
        return f"{self.label_zh}：{amount}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "split": self.split, "amount_fen": self.amount_fen, "shared_by": self.shared_by,
                "amount_per_day_fen": self.amount_per_day_fen, "max_days_per_year": self.max_days_per_year}


def covers_for_insured(product: Product, insured_count: int, shares: int = 1) -> list[tuple[Cover, ...]]:
    """The covers of each of ``insured_count`` people insured under ``shares`` shares, in their order.

    Each share buys the product's sums once more (S4 sells several shares to one family). For a
    per-person product call it with 1. Where a split leaves odd fen (``floor_remainder_first``)
    they go to the first people listed, so list the head first.
    """
    return list(_MEMO.get(product, ("covers", insured_count, shares),
                          lambda: _covers_for_insured(product, insured_count, shares)))


def _covers_for_insured(product: Product, insured_count: int, shares: int) -> list[tuple[Cover, ...]]:
    if insured_count <= 0:
        return []
    per_person: list[list[Cover]] = [[] for _ in range(insured_count)]
    for liability in product.liabilities:
        for person, cover in zip(per_person, _split(liability, insured_count, product.rounding, shares), strict=True):
            person.append(cover)
    return [tuple(covers) for covers in per_person]


def _split(liability: Liability, count: int, rounding: str, shares: int) -> list[Cover]:
    if liability.split == "equal_among_insured":
        return [Cover(liability.kind, liability.split, share)
                for share in split_fen((liability.amount_fen or 0) * shares, count, rounding=rounding)]
    if liability.split == "shared_pool":
        return [Cover(liability.kind, liability.split, (liability.amount_fen or 0) * shares, shared_by=count)] * count
    if liability.split == "per_day":
        return [Cover(liability.kind, liability.split, None,
                      amount_per_day_fen=(liability.amount_per_day_fen or 0) * shares,
                      max_days_per_year=liability.max_days_per_year)] * count
    return [Cover(liability.kind, liability.split, (liability.amount_fen or 0) * shares)] * count


def part_year_premium(product: Product, period, premium_fen: int | None = None) -> int:
    """The premium of one share (or one person) for ``period``: the whole premium, or where the product
    prices cover shorter than its cycle by the days covered (S3 "按实际人数"), that part of it, rounded
    as the product says. ``period`` is a PolicyPeriod; ``premium_fen`` defaults to the product's."""
    from fpdesk.core.money import pro_rata_fen
    from fpdesk.core.rules_calendar import cycle_of

    premium = product.premium_fen if premium_fen is None else premium_fen
    if product.part_year.premium != "pro_rata_days":
        return premium
    cycle = cycle_of(product, period)
    days = (period.end - period.start).days + 1
    return pro_rata_fen(premium, days, (cycle.end - cycle.start).days + 1, rounding=product.part_year.rounding)


@dataclass(frozen=True)
class DaysPayable:
    days_payable: int
    amount_fen: int
    days_left_after: int  # what remains of the yearly cap once these days are paid


def remaining_days(liability: Liability, days_already_claimed: int) -> int:
    """Days still payable in this policy year under a per-day liability (S3: 90 a year)."""
    if liability.split != "per_day" or liability.max_days_per_year is None:
        raise ValueError(f"liability {liability.kind!r} is not paid per day")
    if days_already_claimed < 0:
        raise ValueError("days_already_claimed must not be negative")
    return max(liability.max_days_per_year - days_already_claimed, 0)


def hospital_days_payable(liability: Liability, days_already_claimed: int, days_in_hospital: int) -> DaysPayable:
    """How many of ``days_in_hospital`` are payable given the days already paid this policy year.

    S3: at least ¥300 a day, at most 90 claimed days a year: with 80 days paid, a 15-day stay
    pays 10 days (¥3,000) and leaves 0.
    """
    if days_in_hospital < 0:
        raise ValueError("days_in_hospital must not be negative")
    left = remaining_days(liability, days_already_claimed)
    payable = min(days_in_hospital, left)
    return DaysPayable(payable, payable * (liability.amount_per_day_fen or 0), left - payable)
