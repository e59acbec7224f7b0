"""The premium receipt (收据): A5 landscape, or the 241 × 93 mm continuous form of dot-matrix printers.

One layout scaled to the box of either paper. The amount is printed in figures and in capital
numerals (大写). A reprint says 补打 beside the number and keeps the original date; a voided
receipt keeps its number and is crossed with 作废 and the reason. The receipt states that it is
for the premium only (no fees riding on the premium: docs/rules.md#voluntary).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from fpdesk.core.money import amount_in_words
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.printing.documents import ReceiptDoc
from fpdesk.printing.drawing import cell_text, chinese_date, draw_text, mm, money, write_pages

# name -> (page size, margin, type scale); the continuous form has no room to spare.
RECEIPT_PAPERS = {
    "A5": ((210 * mm, 148 * mm), 12 * mm, 1.0),
    "continuous": ((241 * mm, 93 * mm), 6 * mm, 0.8),
}
PREMIUM_ONLY = "缴纳保险费（只收保费，不收取其他任何费用）"


def draw_receipt(canvas: Canvas, doc: ReceiptDoc, *, paper: str = "A5") -> None:
    (width, height), margin, scale = RECEIPT_PAPERS[paper]
    left, right, content = margin, width - margin, width - 2 * margin
    title_pt, body_pt, small_pt = 20 * scale, 10.5 * scale, 8 * scale
    top = height - margin

    draw_text(canvas, width / 2, top - title_pt, "收　　据", title_pt, align="center")
    canvas.setLineWidth(0.8)
    underline = 30 * mm * scale
    canvas.line(width / 2 - underline, top - title_pt - 2.2 * mm, width / 2 + underline, top - title_pt - 2.2 * mm)
    draw_text(canvas, right, top - title_pt * 0.6, f"No. {doc.number}", body_pt, align="right")
    draw_text(canvas, left, top - title_pt * 0.6, "计生家庭保险保费", small_pt * 1.1)
    date_y = top - title_pt - 7.5 * mm * scale
    draw_text(canvas, width / 2, date_y, f"开具日期：{chinese_date(doc.paid_on)}", body_pt, align="center")
    if doc.reprinted_on:
        _reprint_mark(canvas, width / 2, top, date_y, doc, title_pt, body_pt, right)

    rows = [
        (("交款人", doc.payer_name, 0.45), ("险　种", doc.product_name, 0.55)),
        (("被保险人", "、".join(doc.insured_names) or "—", 1.0),),
        (("金额（大写）", f"人民币{amount_in_words(doc.amount_fen)}", 0.65), ("小写", money(doc.amount_fen), 0.35)),
        (("收款事由", PREMIUM_ONLY, 1.0),),
    ]
    row_height = (date_y - 4 * mm * scale - (margin + 11 * mm * scale)) / len(rows)
    y = date_y - 3 * mm * scale
    canvas.setLineWidth(0.6)
    label_width = 25 * mm * scale
    for row in rows:
        x = left
        for label, value, share in row:
            cell = content * share
            canvas.rect(x, y - row_height, label_width, row_height)
            canvas.rect(x + label_width, y - row_height, cell - label_width, row_height)
            cell_text(canvas, x, y - row_height, label_width, row_height, label, body_pt, align="center")
            cell_text(canvas, x + label_width, y - row_height, cell - label_width, row_height, value, body_pt)
            x += cell
        y -= row_height
    footer = margin + 3 * mm * scale
    draw_text(canvas, left, footer, f"收款单位（盖章）：{doc.office_name}", body_pt, max_width=content * 0.55)
    draw_text(canvas, left + content * 0.62, footer, f"收款人：{doc.collector}", body_pt, max_width=content * 0.38)
    if doc.voided_on:
        _void_mark(canvas, width, height, doc, title_pt, small_pt, left, date_y)


def _reprint_mark(canvas: Canvas, centre: float, top: float, date_y: float, doc: ReceiptDoc, title_pt: float,
                  body_pt: float, right: float) -> None:
    """A boxed 补打 beside the title; the original date stays the receipt's date, the reprint's is added."""
    canvas.saveState()
    canvas.setFillColorRGB(0.7, 0, 0)
    canvas.setStrokeColorRGB(0.7, 0, 0)
    x = centre + title_pt * 2.6
    canvas.rect(x, top - title_pt * 1.05, body_pt * 2.9, body_pt * 1.6)
    draw_text(canvas, x + body_pt * 1.45, top - title_pt * 1.05 + body_pt * 0.45, "补打", body_pt * 1.1,
              align="center")
    draw_text(canvas, right, date_y, f"补打日期：{chinese_date(doc.reprinted_on)}", body_pt * 0.85, align="right")
    canvas.restoreState()


def _void_mark(canvas: Canvas, width: float, height: float, doc: ReceiptDoc, title_pt: float,
               small_pt: float, left: float, date_y: float) -> None:
    """作废 across the middle; the text underneath stays readable (the number must be checkable)."""
    canvas.saveState()
    canvas.setFillColorRGB(0.8, 0, 0, alpha=0.55)
    canvas.setStrokeColorRGB(0.8, 0, 0, alpha=0.55)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(18)
    draw_text(canvas, 0, -title_pt, "作　废", title_pt * 3, align="center")
    canvas.restoreState()
    canvas.setFillColorRGB(0.75, 0, 0)
    reason = f"作废日期 {doc.voided_on:%Y-%m-%d}　原因：{doc.void_reason}"
    draw_text(canvas, left, date_y, reason, small_pt * 1.1, max_width=width * 0.3)
    canvas.setFillGray(0)


def write_receipts(docs: Iterable[ReceiptDoc], out: str | os.PathLike | BinaryIO, *, paper: str = "A5", total: int = 0,
                   progress: Progress = NO_PROGRESS) -> int:
    if paper not in RECEIPT_PAPERS:
        raise ValueError(f"paper must be one of {sorted(RECEIPT_PAPERS)}")
    return write_pages(docs, out, pagesize=RECEIPT_PAPERS[paper][0], title="收据", total=total, progress=progress,
                       draw=lambda canvas, doc: draw_receipt(canvas, doc, paper=paper))
