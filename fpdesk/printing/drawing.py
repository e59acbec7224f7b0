"""Small drawing helpers shared by the layouts: millimetres, text in cells, dates and amounts in Chinese."""

from __future__ import annotations

import datetime as dt
import functools

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import PATH_OPS

from fpdesk.core.dates import chinese_date
from fpdesk.core.money import format_fen
from fpdesk.printing.fonts import REPLACEMENTS, draw_runs, fit_text, register_fonts, text_width, wrap_text

__all__ = ["cell_text", "chinese_date", "draw_text", "mm", "money", "period_text", "rect", "stamp_circle"]


def clean(text: str) -> str:
    for missing, stand_in in REPLACEMENTS.items():
        text = text.replace(missing, stand_in)
    return text


def draw_text(canvas, x: float, y: float, text: str, size: float, *, align: str = "left",
              max_width: float | None = None) -> None:
    """One line at baseline ``y``; shrunk to ``max_width`` rather than running over a border. Every
    character is drawn in the first face of the chain that has it (printing/fonts.py)."""
    text = clean(text)
    if max_width is not None:
        size = fit_text(text, size, max_width)
    width = text_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    draw_runs(canvas, x, y, text, size)


def cell_text(canvas, left: float, bottom: float, width: float, height: float, text: str, size: float,
              *, align: str = "left", padding: float = 1.2 * mm) -> None:
    """Text vertically centred in a cell. Too long for one line even shrunk, it wraps onto as many
    lines as the cell holds at a smaller size; what still does not fit is cut at the cell's border
    (never drawn over the next cell or row)."""
    inner = width - 2 * padding
    text = clean(text)
    if text_width(text, MIN_SIZE) <= inner:  # one line, shrunk at most to MIN_SIZE
        _one_line(canvas, left, bottom, width, height, text, size, align, padding)
        return
    lines, line_size = _wrapped(text, size, inner, height)
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(left, bottom, width, height)
    canvas.clipPath(path, stroke=0, fill=0)
    top = bottom + (height + len(lines) * line_size * LEADING) / 2 - line_size
    for number, line in enumerate(lines):
        baseline = top - number * line_size * LEADING + line_size * 0.14
        anchor = {"center": left + width / 2, "right": left + width - padding}.get(align, left + padding)
        draw_text(canvas, anchor, baseline, line, line_size, align=align)
    canvas.restoreState()


MIN_SIZE = 5.0
LEADING = 1.15


def _one_line(canvas, left, bottom, width, height, text, size, align, padding) -> None:
    baseline = bottom + (height - size * 0.72) / 2
    inner = width - 2 * padding
    if align == "center":
        draw_text(canvas, left + width / 2, baseline, text, size, align="center", max_width=inner)
    elif align == "right":
        draw_text(canvas, left + width - padding, baseline, text, size, align="right", max_width=inner)
    else:
        draw_text(canvas, left + padding, baseline, text, size, max_width=inner)


def _wrapped(text: str, size: float, width: float, height: float) -> tuple[list[str], float]:
    """The lines and size at which ``text`` fits a cell: the largest size down to 3 pt whose lines fit
    its height; at 3 pt, whatever lines there are (the cell's border cuts the rest)."""
    line_size = min(size, MIN_SIZE)
    while True:
        lines = wrap_text(text, line_size, width)
        if len(lines) * line_size * LEADING <= height or line_size <= 3.0:
            return lines, line_size
        line_size = max(3.0, line_size - 0.5)


def rect(canvas, x: float, y: float, width: float, height: float, *, stroke: int = 1, fill: int = 0) -> None:
    """canvas.rect, writing the same operators, with their text remembered: a batch draws the same
    cells on every page, and reportlab formats each number in pure Python."""
    canvas.addLiteral(_rect_operators(x, y, width, height, PATH_OPS[stroke, fill, canvas._fillMode]))


@functools.lru_cache(maxsize=4096)
def _rect_operators(x: float, y: float, width: float, height: float, paint: str) -> str:
    return f"n {fp_str(x, y, width, height)} re {paint}"  # as reportlab's Canvas.rect writes it


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
    canvas = Canvas(os.fspath(out) if isinstance(out, os.PathLike) else out, pagesize=pagesize, pageCompression=1,
                    initialFontName=register_fonts())  # reportlab's default Helvetica is never embedded
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
