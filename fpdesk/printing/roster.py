"""The roster for signing (花名册), landscape A4: the columns of docs/rules.md#roster-columns, one row per insured person.

Each section (a village or unit, one product, one year) starts on a new page and numbers its own
pages. Every page repeats the title block and the column header, ends with its subtotal (persons
and premium on that page) and the footer 填报单位（盖章）/ 填报人 / 填报日期; the section's last
page adds the grand total by payer and the signed QR code of the totals. ID numbers and phones
are masked: the paper roster is signed, stamped and carried between offices (PIPL art. 6, 51);
the insurer's full list travels as the electronic export.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.printing.documents import RosterRow, RosterSection
from fpdesk.printing.drawing import cell_text, draw_text, mm, money
from fpdesk.printing.fonts import register_fonts
from fpdesk.printing.qr import draw_qr

PAGE = landscape(A4)
MARGIN = 10 * mm
# (title, row attribute, width in mm, alignment): the columns of docs/rules.md#roster-columns in its order.
COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("序号", "seq", 8, "center"), ("乡镇", "township", 12, "center"), ("村（社区）", "village", 14, "center"),
    ("村民小组", "group", 11, "center"), ("户主姓名", "head_name", 12, "center"),
    ("户主身份证号", "head_masked_id", 25, "center"), ("家庭类别", "category", 16, "center"),
    ("独生子女证号", "certificate_no", 16, "center"), ("姓名", "name", 12, "center"), ("性别", "sex", 6, "center"),
    ("周岁", "birth_month", 12, "center"), ("身份证号码", "masked_id", 25, "center"),
    ("与户主关系", "relation", 11, "center"), ("联系电话", "phone", 18, "center"), ("险种", "product", 26, "center"),
    ("份数", "shares", 7, "right"), ("保费（元）", "premium", 14, "right"), ("缴费方式", "payer", 10, "center"),
    ("村/单位", "channel", 9, "center"), ("备注", "remarks", 13, "left"),
)
BODY_PT, HEADER_PT, TITLE_PT = 6.6, 6.8, 14
ROW = 5.6 * mm
HEADER_ROW = 8 * mm
TITLE_BLOCK = 20 * mm
FOOTER_BLOCK = 12 * mm
SUBTOTAL_ROW = 6 * mm
TOTALS_BLOCK = 30 * mm  # grand total lines and the QR code on the section's last page
QR_SIZE = 26 * mm


def rows_per_page() -> int:
    usable = PAGE[1] - 2 * MARGIN - TITLE_BLOCK - HEADER_ROW - SUBTOTAL_ROW - FOOTER_BLOCK
    return int(usable // ROW)


def paginate(rows: Sequence[RosterRow]) -> list[tuple[int, Sequence[RosterRow]]]:
    """(index of the first row, rows) per page; the last page keeps room for the totals block."""
    per_page = rows_per_page()
    last_page_rows = per_page - int(TOTALS_BLOCK // ROW) - 1
    pages, start = [], 0
    while len(rows) - start > last_page_rows:
        # A page that takes the last rows leaves an empty last page for the totals block.
        take = min(per_page, len(rows) - start)
        pages.append((start, rows[start:start + take]))
        start += take
    pages.append((start, rows[start:]))
    return pages


def _cell(row: RosterRow, seq: int, key: str) -> str:
    if key == "seq":
        return str(seq)
    if key == "premium":
        return money(row.premium_fen).removeprefix("¥")
    if key == "shares":
        return "" if row.shares is None else str(row.shares)
    return str(getattr(row, key))


def _title_block(canvas: Canvas, section: RosterSection, page: int, pages: int) -> float:
    width = PAGE[0]
    top = PAGE[1] - MARGIN
    draw_text(canvas, width / 2, top - TITLE_PT, section.title, TITLE_PT, align="center",
              max_width=width - 2 * MARGIN)
    line = top - TITLE_PT - 7 * mm
    draw_text(canvas, MARGIN, line, f"填报单位：{section.office_name}　　区划：{section.division_name}　　"
              f"险种：{section.product_name}　　年度：{section.year}", 8.5, max_width=(width - 2 * MARGIN) * 0.72)
    draw_text(canvas, width - MARGIN, line, f"名册编号：{section.number}　　第 {page} 页 / 共 {pages} 页", 8.5,
              align="right")
    return top - TITLE_BLOCK


def _column_header(canvas: Canvas, top: float) -> float:
    x = MARGIN
    canvas.setFillGray(0.9)
    canvas.rect(MARGIN, top - HEADER_ROW, sum(c[2] for c in COLUMNS) * mm, HEADER_ROW, stroke=0, fill=1)
    canvas.setFillGray(0)
    for title, _, width, _ in COLUMNS:
        canvas.rect(x, top - HEADER_ROW, width * mm, HEADER_ROW)
        cell_text(canvas, x, top - HEADER_ROW, width * mm, HEADER_ROW, title, HEADER_PT, align="center",
                  padding=0.6 * mm)
        x += width * mm
    return top - HEADER_ROW


def _footer(canvas: Canvas, section: RosterSection) -> None:
    y = MARGIN + 3 * mm
    width = PAGE[0] - 2 * MARGIN
    draw_text(canvas, MARGIN, y, f"填报单位（盖章）：{section.office_name}", 9.5)
    draw_text(canvas, MARGIN + width * 0.45, y, "填报人：", 9.5)
    canvas.line(MARGIN + width * 0.45 + 14 * mm, y - 1 * mm, MARGIN + width * 0.45 + 50 * mm, y - 1 * mm)
    draw_text(canvas, MARGIN + width * 0.72, y, "填报日期：", 9.5)
    canvas.line(MARGIN + width * 0.72 + 17 * mm, y - 1 * mm, MARGIN + width, y - 1 * mm)


def _persons_and_premium(rows: Iterable[RosterRow]) -> tuple[int, int]:
    persons = premium = 0
    for row in rows:
        persons += 1
        premium += row.premium_fen or 0
    return persons, premium


def draw_section(canvas: Canvas, section: RosterSection) -> int:
    """All pages of one section; returns how many."""
    pages = paginate(section.rows)
    for number, (first, rows) in enumerate(pages, start=1):
        canvas.setLineWidth(0.4)
        y = _column_header(canvas, _title_block(canvas, section, number, len(pages)))
        for offset, row in enumerate(rows):
            x = MARGIN
            for _, key, width, align in COLUMNS:
                canvas.rect(x, y - ROW, width * mm, ROW)
                cell_text(canvas, x, y - ROW, width * mm, ROW, _cell(row, first + offset + 1, key), BODY_PT,
                          align=align, padding=0.7 * mm)
                x += width * mm
            y -= ROW
        persons, premium = _persons_and_premium(rows)
        draw_text(canvas, MARGIN, y - SUBTOTAL_ROW + 2 * mm,
                  f"本页小计：{persons} 人，保费 {money(premium)}", 8.5)
        if number == len(pages):
            _totals(canvas, section, y - SUBTOTAL_ROW)
        _footer(canvas, section)
        canvas.showPage()  # nothing may be drawn after this: save() would add a blank page
    return len(pages)


def _totals(canvas: Canvas, section: RosterSection, top: float) -> None:
    lines = [f"{payer}：{persons} 人，保费 {money(fen)}" for payer, persons, fen in section.totals_by_payer]
    persons = sum(p for _, p, _ in section.totals_by_payer)
    premium = sum(f for _, _, f in section.totals_by_payer)
    y = top - 4.5 * mm
    waiting = (f"；另有已登记未缴费 {section.unpaid[0]} 人，保费 {money(section.unpaid[1])}，未计入合计"
               if section.unpaid[0] else "")
    draw_text(canvas, MARGIN, y, f"合计：{persons} 人，保费 {money(premium)}（按缴费方式：{'；'.join(lines)}）{waiting}", 9.5,
              max_width=PAGE[0] - 2 * MARGIN - QR_SIZE - 8 * mm)
    if section.qr_payload:
        draw_qr(canvas, section.qr_payload, PAGE[0] - MARGIN - QR_SIZE, top - QR_SIZE - 1 * mm, QR_SIZE)
        draw_text(canvas, PAGE[0] - MARGIN - QR_SIZE - 2 * mm, top - QR_SIZE / 2, "扫码核验名册合计", 7, align="right")


def write_roster(sections: Iterable[RosterSection], out: str | os.PathLike | BinaryIO, *, total: int = 0,
                 progress: Progress = NO_PROGRESS) -> int:
    """Every section into one PDF; returns the number of pages."""
    # reportlab takes a file name as str only
    canvas = Canvas(os.fspath(out) if isinstance(out, os.PathLike) else out, pagesize=PAGE, pageCompression=1,
                    initialFontName=register_fonts())  # reportlab's default Helvetica is never embedded
    canvas.setTitle("花名册")
    canvas.setCreator("fpdesk")
    pages = count = 0
    for count, section in enumerate(sections, start=1):
        pages += draw_section(canvas, section)
        progress.update(count, total, section.division_name)
    if count == 0:
        raise ValueError("no roster sections to print")
    canvas.save()
    return pages
