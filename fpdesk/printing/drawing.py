"""Small drawing helpers shared by the layouts: millimetres, text in cells, dates and amounts in Chinese."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm

from fpdesk.core.dates import chinese_date
from fpdesk.core.money import format_fen
from fpdesk.printing.fonts import REPLACEMENTS, fit_text, register_fonts

__all__ = ["cell_text", "chinese_date", "draw_text", "mm", "money", "period_text", "stamp_circle"]


def clean(text: str) -> str:
    for missing, stand_in in REPLACEMENTS.items():
        text = text.replace(missing, stand_in)
    return text


def draw_text(canvas, x: float, y: float, text: str, size: float, *, align: str = "left",
              max_width: float | None = None) -> None:
    """One line at baseline ``y``; shrunk to ``max_width`` rather than running over a border."""
    text = clean(text)
    if max_width is not None:
        size = fit_text(text, size, max_width)
    canvas.setFont(register_fonts(), size)
    if align == "center":
        canvas.drawCentredString(x, y, text)
    elif align == "right":
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def cell_text(canvas, left: float, bottom: float, width: float, height: float, text: str, size: float,
              *, align: str = "left", padding: float = 1.2 * mm) -> None:
    """Text vertically centred in a cell."""
    baseline = bottom + (height - size * 0.72) / 2
    inner = width - 2 * padding
    if align == "center":
        draw_text(canvas, left + width / 2, baseline, text, size, align="center", max_width=inner)
    elif align == "right":
        draw_text(canvas, left + width - padding, baseline, text, size, align="right", max_width=inner)
    else:
        draw_text(canvas, left + padding, baseline, text, size, max_width=inner)


def period_text(start: dt.date, end: dt.date) -> str:
    """The policy period as contracts state it: from 00:00 on the first day to 24:00 on the last."""
    return f"{chinese_date(start)}零时起至{chinese_date(end)}二十四时止"


def money(fen: int | None) -> str:
    return "" if fen is None else format_fen(fen)


def stamp_circle(canvas, x: float, y: float, diameter: float, label: str, size: float) -> None:
    """A dashed circle where the office's seal goes, with its label in the middle."""
    canvas.saveState()
    canvas.setDash(2, 2)
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.55)
    canvas.circle(x, y, diameter / 2, stroke=1, fill=0)
    canvas.restoreState()
    canvas.setFillGray(0.45)
    draw_text(canvas, x, y - size / 3, label, size, align="center")
    canvas.setFillGray(0)


def write_pages(docs, out, *, pagesize, title: str, draw, total: int = 0, progress=None) -> int:
    """One document per page into one PDF (``out``: a path or a binary file); returns the pages.

    ``draw(canvas, doc)`` lays out one page; progress is reported every 50 pages, and a Cancel
    raised there leaves the file unsaved.
    """
    import os

    from reportlab.pdfgen.canvas import Canvas

    # reportlab takes a file name as str only
    canvas = Canvas(os.fspath(out) if isinstance(out, os.PathLike) else out, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("fpdesk")
    pages = 0
    for pages, doc in enumerate(docs, start=1):
        draw(canvas, doc)
        canvas.showPage()
        if progress is not None and pages % 50 == 0:
            progress.update(pages, total, title)
    if pages == 0:
        raise ValueError(f"nothing to print: no {title}")
    canvas.save()
    return pages
