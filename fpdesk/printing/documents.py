"""What a printout shows, as plain data: the services fill these from the database, the layouts draw them.

Every text here is already what the page prints (masked ID numbers, labels in Chinese); the
layouts decide only where it goes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SumInsured:
    """One liability for one insured person, stated as the certificate prints it."""

    label: str  # 意外伤害身故/残疾
    amount_fen: int | None
    split: str  # equal_among_insured | shared_pool | per_person | per_day
    shared_by: int = 1
    amount_per_day_fen: int | None = None
    max_days_per_year: int | None = None


@dataclass(frozen=True)
class InsuredLine:
    name: str
    relation: str  # 户主, 配偶 …
    masked_id: str
    sums: tuple[SumInsured, ...]
    own_period: str = ""  # "2022-07-02 至 2022-12-31" for a person who joined after the cover began


@dataclass(frozen=True)
class CertificateDoc:
    number: str
    office_name: str
    product_name: str
    insurer: str
    policy_number: str | None
    period_start: dt.date
    period_end: dt.date
    head_name: str
    address: str
    village: str
    insured: tuple[InsuredLine, ...]
    premium_fen: int
    payer_label: str  # 政府投保 / 自主投保 / 单位投保 / 奖励金转型
    issued_on: dt.date
    qr_payload: str
    reprinted_on: dt.date | None = None  # set on a reprint (补打)
    status_note: str = ""  # 已退保 … when the enrollment no longer covers
    # a premium shared between levels: (short level name, fen) each, province first, the family last
    premium_split: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ReceiptDoc:
    number: str
    office_name: str
    payer_name: str
    product_name: str
    insured_names: tuple[str, ...]
    amount_fen: int
    collector: str
    paid_on: dt.date
    reprinted_on: dt.date | None = None  # 补打: printed again on this date; paid_on stays the original
    voided_on: dt.date | None = None  # 作废
    void_reason: str = ""


@dataclass(frozen=True)
class RosterRow:
    """One insured person on a roster; household-level cells are filled on the first row of a household."""

    township: str
    village: str
    group: str
    head_name: str
    head_masked_id: str
    category: str
    certificate_no: str
    name: str
    sex: str
    birth_month: str  # 1980-01
    masked_id: str
    relation: str
    phone: str  # masked
    product: str
    shares: int | None  # on the household's first row
    premium_fen: int | None  # on the household's first row
    payer: str  # 政府投保 / 自主投保 / 单位投保
    channel: str  # 村 / 单位
    remarks: str = ""


@dataclass(frozen=True)
class RosterSection:
    """One village (or unit) and product: its rows, signed as one roster."""

    title: str  # 罗翠村 2025年度 …花名册
    number: str
    office_name: str
    division_name: str
    product_name: str
    year: int
    rows: tuple[RosterRow, ...]
    qr_payload: str = ""
    totals_by_payer: tuple[tuple[str, int, int], ...] = field(default_factory=tuple)  # (payer, persons, fen)
    unpaid: tuple[int, int] = (0, 0)  # (persons, fen) registered, premium not yet received: beside the totals
