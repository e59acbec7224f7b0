"""Building roster spreadsheets for the tests (imported by name: tests/ is on sys.path via conftest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from fpdesk.core.idnumber import make_number

D = dt.date
PRODUCT = "fp_family_accident_100"
HEADER = ["序号", "乡镇", "村", "户主姓名", "姓名", "身份证号码", "与户主关系", "联系电话", "家庭类别", "险种", "份数",
          "缴费方式", "身体健康", "受益人"]

ZHANG = make_number("350421", D(1980, 1, 1), 17)
LI = make_number("350421", D(1982, 5, 1), 24)
ZHANG_GIRL = make_number("350421", D(2010, 3, 3), 32)
WANG = make_number("350421", D(1975, 7, 7), 55)
WANG_WIFE = make_number("350421", D(1976, 8, 8), 66)


def person(seq, name, number, relation, *, head="张三", village="罗翠村", category="二女结扎户", phone="",
           payer="政府", shares=1, product=PRODUCT):
    return [seq, "城关乡", village, head, name, number, relation, phone, category, product, shares, payer, "是", "法定"]


def good_rows() -> list[list]:
    """Two households: 张三's (government-paid, three people) and 王五's (self-paid, two)."""
    return [
        person(1, "张三", ZHANG, "户主", phone="13800138000"),
        person(2, "李梅", LI, "配偶"),
        person(3, "张小妹", ZHANG_GIRL, "女"),
        person(4, "王五", WANG, "户主", head="王五", village="城东村", category="其他计生家庭", payer="自费"),
        person(5, "赵兰", WANG_WIFE, "妻", head="王五", village="城东村", category="其他计生家庭", payer="自费"),
    ]


def write_roster(path: Path, rows: list[list], *, header: list[str] | None = None, title: bool = True,
                 sheet: str = "花名册") -> Path:
    """An ugly-but-real roster: a merged title row, an office row, the header, the rows, a total row."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    header = header or HEADER
    if title:
        ws.append(["2024年城关乡计划生育家庭意外伤害保险花名册"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(["填报单位：城关乡计生协", None, None, None, None, None, "填报日期：2024年4月20日"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["合计", None, None, None, f"{len(rows)}人"])
    book.save(path)
    return path


def first_data_row(title: bool = True) -> int:
    return 4 if title else 2
