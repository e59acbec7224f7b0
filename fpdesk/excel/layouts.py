"""The three roster layouts fpdesk hands out, written with the streaming writer.

- finance office (财政所): the government-paid people with the premium the budget pays — allocated
  (已拨款, with the voucher) in one column, still to be allocated (待拨款) in another, never added
  together — a subtotal per village and a total (docs/rules.md#finance-allocation); where premiums are shared between
  levels, a column per level that occurs (what each level owes; the family's is its receipt) and,
  beside the 待拨款 total, what each level settled by allocation still owes;
- insurer (承保公司): the list of insured persons whose premium was received, with full ID numbers,
  sums insured per person and the period of cover (each person's own where they joined later; the
  被保险人名单 of the contract); those registered but unpaid are counted below it, not listed;
- full roster: every insured person with the household's details, in the import layout, so it can
  be read back in.
Each sheet: a title row, an office/date row, the header (repeated on every printed page), frozen
below the header, landscape and fit to the page width, signature lines at the foot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fpdesk.excel.xlsx_writer import (
    BODY,
    HEADER,
    MONEY,
    NOTE,
    SUBTOTAL,
    SUBTOTAL_MONEY,
    TEXT,
    TITLE,
    SheetWriter,
    XlsxWriter,
)

FORMAT_VERSION = 1
AUDIENCES = ("finance", "insurer", "full")
AUDIENCE_TITLES = {"finance": "财政核拨花名册", "insurer": "被保险人名单", "full": "参保花名册"}


@dataclass
class ExportRow:
    """One insured person of one enrollment, as the layouts need it."""

    township: str
    village: str
    head_name: str
    head_id_number: str
    categories: str  # Chinese labels joined with 、
    certificate_no: str
    name: str
    sex: str
    birth_date: dt.date | int  # the age in completed years where the ID number is masked
    id_number: str
    relation: str
    phone: str
    product_name: str
    shares: int
    premium_fen: int | None  # on the first insured row of an enrollment, None on the others
    payer: str
    enrolled_on: dt.date
    period_start: dt.date | None  # None while cover from the day after payment is not dated yet
    period_end: dt.date | None
    sums: dict[str, int | None] = field(default_factory=dict)  # liability kind -> fen for this person
    form_values: dict[str, Any] = field(default_factory=dict)
    enrollment_key: object = None
    received: bool = True  # the premium was received (paid or allocated)
    vouchers: str = ""  # the allocations' voucher numbers (finance office)
    levels: dict[str, int] = field(default_factory=dict)  # fen by stored payer level, on the first row
    awaiting: dict[str, int] = field(default_factory=dict)  # fen each level still has to allocate, first row
    waiting: bool = False  # some level has still to allocate (on every row of the enrollment)


@dataclass(frozen=True)
class SheetHeading:
    title: str  # e.g. "2026年 城关乡 生育关怀…（100元版） 财政核拨花名册"
    office: str
    product_name: str
    liabilities: tuple[tuple[str, str], ...] = ()  # (kind, Chinese label) for the insurer's sum columns
    form_columns: tuple[tuple[str, str], ...] = ()  # (form key, column name) for the full roster
    unpaid_note: str = ""  # what was left out of the insurer's list: registered, premium not received
    masked: bool = False  # ID numbers masked: the birth-date column holds the age (周岁) instead
    levels: tuple[tuple[str, str], ...] = ()  # (stored payer level, header) of the finance list's level columns
    awaiting_levels: tuple[tuple[str, str], ...] = ()  # (stored level, header): what each still has to allocate


def _yuan(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


def _columns(audience: str, heading: SheetHeading) -> list[tuple[str, float, int]]:
    """(header, width, style) of each column."""
    if audience == "finance":
        return [("序号", 6, BODY), ("乡镇", 10, BODY), ("村（社区）", 12, BODY), ("户主姓名", 10, BODY),
                ("家庭类别", 16, BODY), ("姓名", 10, BODY), ("身份证号码", 21, TEXT), ("与户主关系", 10, BODY),
                ("险种", 30, BODY), ("份数", 6, BODY), ("保费（元）", 11, MONEY), ("缴费方式", 9, BODY),
                *((header, max(11, 2 * len(header.split("\n")[0]) + 1), MONEY) for _, header in heading.levels),
                ("待拨款（元）", 11, MONEY),
                *((header, max(11, 2 * len(header.split("\n")[0]) + 1), MONEY) for _, header in heading.awaiting_levels),
                ("拨款凭证号", 16, BODY)]
    if audience == "insurer":
        columns = [("序号", 6, BODY), ("乡镇", 10, BODY), ("村（社区）", 12, BODY), ("户主姓名", 10, BODY),
                   ("姓名", 10, BODY), ("性别", 5, BODY), ("出生日期", 11, BODY), ("身份证号码", 21, TEXT),
                   ("与户主关系", 10, BODY), ("险种", 30, BODY), ("份数", 6, BODY), ("保费（元）", 11, MONEY),
                   ("缴费方式", 9, BODY), ("保险起期", 11, BODY), ("保险止期", 11, BODY)]
        return columns + [(f"{label}保额（元）", 14, MONEY) for _, label in heading.liabilities]
    columns = [("序号", 6, BODY), ("乡镇", 10, BODY), ("村（社区）", 12, BODY), ("户主姓名", 10, BODY),
               ("户主身份证号码", 21, TEXT), ("家庭类别", 16, BODY), ("独生子女证号", 14, TEXT), ("姓名", 10, BODY),
               ("性别", 5, BODY), ("周岁" if heading.masked else "出生日期", 11, BODY), ("身份证号码", 21, TEXT),
               ("与户主关系", 10, BODY), ("联系电话", 13, TEXT), ("险种", 30, BODY), ("份数", 6, BODY), ("保费（元）", 11, MONEY),
               ("缴费方式", 9, BODY), ("投保日期", 11, BODY), ("保险起期", 11, BODY), ("保险止期", 11, BODY)]
    return columns + [(name, 12, BODY) for _, name in heading.form_columns]


def _values(audience: str, seq: int, r: ExportRow, heading: SheetHeading) -> list:
    if audience == "finance":
        return [seq, r.township, r.village, r.head_name, r.categories, r.name, r.id_number, r.relation,
                r.product_name, r.shares, _yuan(r.premium_fen) if r.received else None, r.payer,
                *(_yuan(r.levels.get(level)) for level, _ in heading.levels),
                _yuan(sum(r.awaiting.values())) if r.awaiting else None,
                *(_yuan(r.awaiting.get(level)) for level, _ in heading.awaiting_levels), r.vouchers]
    if audience == "insurer":
        return [seq, r.township, r.village, r.head_name, r.name, r.sex, r.birth_date, r.id_number, r.relation,
                r.product_name, r.shares, _yuan(r.premium_fen), r.payer, r.period_start, r.period_end,
                *(_yuan(r.sums.get(kind)) for kind, _ in heading.liabilities)]
    return [seq, r.township, r.village, r.head_name, r.head_id_number, r.categories, r.certificate_no, r.name,
            r.sex, r.birth_date, r.id_number, r.relation, r.phone, r.product_name, r.shares, _yuan(r.premium_fen),
            r.payer, r.enrolled_on, r.period_start, r.period_end,
            *(_form_text(r.form_values.get(key)) for key, _ in heading.form_columns)]


def _form_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def write_roster_sheet(book: XlsxWriter, sheet_name: str, audience: str, heading: SheetHeading,
                       rows: Iterable[ExportRow], *, exported_on: dt.date) -> int:
    """One product's sheet; returns the number of person rows written."""
    columns = _columns(audience, heading)
    width = len(columns)
    sheet = book.add_sheet(sheet_name, widths=[c[1] for c in columns], freeze_rows=3, print_title_rows=3)
    sheet.row([heading.title], TITLE, height=28)
    sheet.merge(1, 0, 1, width - 1)
    sheet.row([f"填报单位：{heading.office}    险种：{heading.product_name}    导出日期：{exported_on.isoformat()}"], NOTE)
    sheet.merge(2, 0, 2, width - 1)
    sheet.row([c[0] for c in columns], HEADER, height=30)
    styles = [c[2] for c in columns]
    money_column = next(i for i, c in enumerate(columns) if c[0] == "保费（元）")
    waiting_column = next((i for i, c in enumerate(columns) if c[0] == "待拨款（元）"), None)
    headers = [c[0] for c in columns]
    level_columns = {level: headers.index(header) for level, header in heading.levels}
    awaiting_columns = {level: headers.index(header) for level, header in heading.awaiting_levels}
    count = 0
    village_key, village, total = None, _Tally(), _Tally()
    for row in rows:
        key = (row.township, row.village)
        if audience == "finance" and village_key is not None and key != village_key:
            _subtotal(sheet, width, money_column, waiting_column, f"{village_key[1]} 小计：", village, level_columns,
                      awaiting_columns)
            village = _Tally()
        village_key = key
        count += 1
        village.add(row)
        total.add(row)
        sheet.row(_values(audience, count, row, heading), styles)
    if audience == "finance" and village_key is not None:
        _subtotal(sheet, width, money_column, waiting_column, f"{village_key[1]} 小计：", village, level_columns,
                  awaiting_columns)
    _subtotal(sheet, width, money_column, waiting_column, "合计：", total, level_columns, awaiting_columns)
    if heading.unpaid_note:
        sheet.row([heading.unpaid_note], NOTE)
    sheet.row([])
    sheet.row(["填报单位（盖章）：", None, None, None, "填报人：", None, None, "审核人：", None, None, "填报日期："], NOTE)
    return count


@dataclass
class _Tally:
    """Persons and premium of a village or the whole sheet, received and not."""

    persons: int = 0  # premium received
    fen: int = 0
    unreceived_persons: int = 0
    waiting_persons: int = 0  # some level has still to allocate for them
    waiting_fen: int = 0  # what the levels still have to allocate
    levels: dict[str, int] = field(default_factory=dict)  # what each payer level owes, received or not
    awaiting: dict[str, int] = field(default_factory=dict)  # what each level still has to allocate

    def add(self, row: ExportRow) -> None:
        for level, fen in row.levels.items():
            self.levels[level] = self.levels.get(level, 0) + fen
        if row.awaiting:  # on the first row of an enrollment some level still owes for, nowhere else
            for level, fen in row.awaiting.items():
                self.awaiting[level] = self.awaiting.get(level, 0) + fen
            self.waiting_fen += sum(row.awaiting.values())
        self.waiting_persons += row.waiting
        if row.received:
            self.persons += 1
            self.fen += row.premium_fen or 0
        else:
            self.unreceived_persons += 1

    def label(self, lead: str, waiting_column: int | None) -> str:
        everyone = self.persons + self.unreceived_persons
        if not self.unreceived_persons:
            return f"{lead}{everyone}人"
        if waiting_column is None:
            return f"{lead}{everyone}人（其中已登记未缴费{self.unreceived_persons}人，保费未计入）"
        # the levels have allocated for some whose family has not paid its part yet
        unpaid = everyone - self.persons - self.waiting_persons
        family = f"；其中{unpaid}人家庭未缴费，保费未计入" if unpaid else ""
        return f"{lead}{everyone}人（已拨款{everyone - self.waiting_persons}人，待拨款{self.waiting_persons}人{family}）"


def _subtotal(sheet: SheetWriter, width: int, money_column: int, waiting_column: int | None, lead: str,
              tally: _Tally, level_columns: dict[str, int] | None = None,
              awaiting_columns: dict[str, int] | None = None) -> None:
    values: list = [tally.label(lead, waiting_column)] + [None] * (width - 1)
    values[money_column] = tally.fen / 100
    money_columns = {money_column}
    for level, column in (level_columns or {}).items():
        values[column] = tally.levels.get(level, 0) / 100
        money_columns.add(column)
    for level, column in (awaiting_columns or {}).items():
        values[column] = tally.awaiting.get(level, 0) / 100
        money_columns.add(column)
    if waiting_column is not None:
        values[waiting_column] = tally.waiting_fen / 100
        money_columns.add(waiting_column)
    number = sheet.row(values, [SUBTOTAL_MONEY if i in money_columns else SUBTOTAL for i in range(width)])
    sheet.merge(number, 0, number, min(money_column - 1, 4))


def sheet_names_for(products: Sequence[str]) -> list[str]:
    return [name[:31] for name in products]
