"""The proof of cover (参保凭证), A4 or A5, laid out from resources/templates/certificate.yaml.

The page is drawn in one pass straight onto a reportlab canvas (no flowables: thousands of pages
in a batch). Top to bottom: title, certificate number, the fields table, the insured members with
each person's sums insured, the notes; anchored at the bottom: issue date, the stamp area and the
signed QR code.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, A5
from reportlab.pdfgen.canvas import Canvas

from fpdesk.core.money import amount_in_words
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.printing.documents import CertificateDoc, InsuredLine, SumInsured
from fpdesk.printing.drawing import (
    cell_text,
    chinese_date,
    draw_text,
    mm,
    money,
    period_text,
    rect,
    stamp_circle,
    write_pages,
)
from fpdesk.printing.fonts import register_fonts, wrap_text
from fpdesk.printing.qr import draw_qr
from fpdesk.printing.templates import CertificateTemplate, certificate_template

PAPERS = {"A4": A4, "A5": A5}
SPLIT_WORDS = {"equal_among_insured": "均分", "shared_pool": "共享", "per_person": "每人"}


def describe_sum(item: SumInsured) -> str:
    """How the certificate states one liability for one person: split and shared amounts named as such."""
    if item.split == "per_day":
        return f"{item.label} {money(item.amount_per_day_fen)}/天，每年最多{item.max_days_per_year}天"
    if item.split == "shared_pool":
        return f"{item.label} {money(item.amount_fen)}（{item.shared_by}人共享）"
    if item.split == "equal_among_insured":
        return f"{item.label} {money(item.amount_fen)}（均分）"
    return f"{item.label} {money(item.amount_fen)}"


def yuan_text(fen: int) -> str:
    """60元-style amounts of the premium's split: whole yuan without decimals, else two places."""
    return f"{fen // 100}元" if fen % 100 == 0 else f"{fen / 100:.2f}元"


def premium_text(doc: CertificateDoc) -> str:
    """The premium in figures and words; a shared one as its split on one line (60元：省5元、…、个人30元)."""
    if doc.premium_split:
        parts = "、".join(f"{label}{yuan_text(fen)}" for label, fen in doc.premium_split)
        return f"{yuan_text(doc.premium_fen)}：{parts}"
    return f"{money(doc.premium_fen)}（人民币{amount_in_words(doc.premium_fen)}）"


def field_values(doc: CertificateDoc) -> dict[str, str]:
    return {
        "office_name": doc.office_name, "product_name": doc.product_name, "insurer": doc.insurer,
        "policy_number": doc.policy_number or "（保险公司出具保险单后填写）",
        "period": period_text(doc.period_start, doc.period_end), "head_name": doc.head_name,
        "address": doc.address or doc.village, "village": doc.village,
        "premium": premium_text(doc),
        "payer": doc.payer_label,
    }


def member_cells(seq: int, person: InsuredLine) -> dict[str, list[str]]:
    sums = [describe_sum(s) for s in person.sums] or ["—"]
    if person.own_period:
        sums.append(f"本人保障期间 {person.own_period}")
    return {"seq": [str(seq)], "name": [person.name], "relation": [person.relation],
            "masked_id": [person.masked_id], "sums": sums}


def draw_certificate(canvas: Canvas, doc: CertificateDoc, *, paper: str = "A4",
                     template: CertificateTemplate | None = None) -> None:
    template = template or certificate_template()
    size = template.size(paper)
    width, height = PAPERS[paper]
    margin = size["margin_mm"] * mm
    left, right, content = margin, width - margin, width - 2 * margin
    register_fonts()

    canvas.setLineWidth(1.2)
    rect(canvas, margin * 0.55, margin * 0.55, width - margin * 1.1, height - margin * 1.1)
    canvas.setLineWidth(0.4)
    rect(canvas, margin * 0.55 + 1.5 * mm, margin * 0.55 + 1.5 * mm, width - margin * 1.1 - 3 * mm,
                height - margin * 1.1 - 3 * mm)

    y = height - margin - size["title_pt"]
    draw_text(canvas, width / 2, y, template.title, size["title_pt"], align="center", max_width=content)
    y -= size["subtitle_pt"] * 1.9
    canvas.setFillGray(0.3)
    draw_text(canvas, width / 2, y, template.subtitle, size["subtitle_pt"], align="center", max_width=content)
    canvas.setFillGray(0)
    y -= size["number_pt"] * 2.2
    draw_text(canvas, right, y, f"{template.number_label}：{doc.number}", size["number_pt"], align="right")
    if doc.reprinted_on:
        draw_text(canvas, left, y, f"补打（{chinese_date(doc.reprinted_on)}）", size["number_pt"])
    y -= size["number_pt"] * 0.9

    # fields: label | value, one row each
    row = size["row_mm"] * mm
    label_width = content * 0.17
    values = field_values(doc)
    canvas.setLineWidth(0.6)
    for label, key in template.fields:
        rect(canvas, left, y - row, label_width, row)
        rect(canvas, left + label_width, y - row, content - label_width, row)
        cell_text(canvas, left, y - row, label_width, row, label, size["body_pt"], align="center")
        cell_text(canvas, left + label_width, y - row, content - label_width, row, values[key], size["body_pt"])
        y -= row

    # bottom block first, so the members table knows how far it may go
    qr_size = size["qr_mm"] * mm
    bottom = margin + 2 * mm
    notes_size = size["note_pt"]
    note_lines = [line for note in template.notes for line in wrap_text(note, notes_size, content)]
    notes_top = bottom + qr_size + 3 * mm + len(note_lines) * notes_size * 1.45
    y = _members(canvas, doc, template, size, left, content, y - size["body_pt"] * 0.9, notes_top)

    note_y = notes_top - notes_size
    canvas.setFillGray(0.25)
    for line in note_lines:
        draw_text(canvas, left, note_y, line, notes_size)
        note_y -= notes_size * 1.45
    canvas.setFillGray(0)

    draw_qr(canvas, doc.qr_payload, right - qr_size, bottom + size["note_pt"] * 1.2, qr_size)
    draw_text(canvas, right - qr_size / 2, bottom, template.qr_label, size["note_pt"], align="center")
    stamp = size["stamp_mm"] * mm
    stamp_x = left + content * 0.45
    stamp_circle(canvas, stamp_x, bottom + qr_size / 2 + 2 * mm, stamp, template.stamp_label, size["note_pt"] * 1.2)
    draw_text(canvas, left, bottom + qr_size * 0.75, doc.office_name, size["body_pt"], max_width=content * 0.4)
    draw_text(canvas, left, bottom + qr_size * 0.75 - size["body_pt"] * 1.8,
              f"{template.issued_label}：{chinese_date(doc.issued_on)}", size["body_pt"])
    if doc.status_note:
        canvas.setFillColorRGB(0.75, 0, 0)
        draw_text(canvas, left, bottom + qr_size * 0.75 - size["body_pt"] * 3.6, doc.status_note, size["body_pt"])
        canvas.setFillGray(0)


def _members(canvas: Canvas, doc: CertificateDoc, template: CertificateTemplate, size: dict[str, float],
             left: float, content: float, top: float, lowest: float) -> float:
    """The insured-members table; rows shrink together when a large household would overflow."""
    draw_text(canvas, left, top - size["body_pt"], template.members_title, size["body_pt"])
    top -= size["body_pt"] * 1.6
    total_width = sum(c.width for c in template.columns)
    widths = [content * c.width / total_width for c in template.columns]
    rows = [member_cells(i, person) for i, person in enumerate(doc.insured, start=1)]
    line_counts = [max(len(cells[c.value]) for c in template.columns) for cells in rows]
    line_height = size["table_row_mm"] * mm * 0.62
    padding = size["table_row_mm"] * mm * 0.38
    header = size["table_row_mm"] * mm
    needed = header + sum(n * line_height + padding for n in line_counts)
    scale = min(1.0, (top - lowest) / needed) if needed else 1.0
    font = size["table_pt"] * max(scale, 0.6)

    canvas.setLineWidth(0.6)
    x = left
    canvas.setFillGray(0.92)
    rect(canvas, left, top - header * scale, content, header * scale, stroke=0, fill=1)
    canvas.setFillGray(0)
    for column, width in zip(template.columns, widths, strict=True):
        rect(canvas, x, top - header * scale, width, header * scale)
        cell_text(canvas, x, top - header * scale, width, header * scale, column.title, font, align="center")
        x += width
    y = top - header * scale
    for cells, count in zip(rows, line_counts, strict=True):
        row_height = (count * line_height + padding) * scale
        x = left
        for column, width in zip(template.columns, widths, strict=True):
            rect(canvas, x, y - row_height, width, row_height)
            lines = cells[column.value]
            first = y - (row_height - len(lines) * line_height * scale) / 2
            for index, text in enumerate(lines):
                cell_text(canvas, x, first - (index + 1) * line_height * scale, width, line_height * scale, text,
                          font, align="left" if column.value == "sums" else "center")
            x += width
        y -= row_height
    return y


def write_certificates(docs: Iterable[CertificateDoc], out: str | os.PathLike | BinaryIO, *, paper: str = "A4",
                       total: int = 0, progress: Progress = NO_PROGRESS) -> int:
    """All certificates into one PDF, a page each; returns the number of pages."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {sorted(PAPERS)}")
    template = certificate_template()
    return write_pages(docs, out, pagesize=PAPERS[paper], title="参保凭证", total=total, progress=progress,
                       draw=lambda canvas, doc: draw_certificate(canvas, doc, paper=paper, template=template))
