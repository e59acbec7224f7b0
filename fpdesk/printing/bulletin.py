"""The weekly progress bulletin (周通报, docs/rules.md#weekly-bulletin) as one A4 page: title, the table of townships with the
previous bulletin's figures beside this week's, a bar chart of completion by township (last week and
this week, with the 100 % line), and the laggards named.

The chart is drawn with reportlab.graphics (vector, the same embedded Chinese font as every printout),
so the PDF needs nothing from Qt and prints the same on any PC.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from fpdesk.core.bulletin import COLUMNS, BulletinDoc, BulletinLine
from fpdesk.printing.drawing import cell_text, chinese_date, draw_text, mm, write_pages
from fpdesk.printing.fonts import register_fonts, wrap_text

PAGE = A4
MARGIN = 14 * mm
PREVIOUS_COLOUR = colors.HexColor("#9DB4D8")
CURRENT_COLOUR = colors.HexColor("#1F4E9A")
TARGET_COLOUR = colors.HexColor("#C0392B")


COLUMN_MM = (10, 24, 16, 18, 18, 16, 19, 19, 14, 14, 14, 22)  # widths of core.bulletin.COLUMNS


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _cells(line: BulletinLine) -> list[str]:
    return [str(line.rank or ""), line.name, f"{line.target:,}", f"{line.previous:,}", f"{line.current:,}",
            f"{line.current - line.previous:+,}", _pct(line.previous_pct), _pct(line.current_pct),
            f"{line.government:,}", f"{line.self_paid:,}", f"{line.employer:,}", f"{line.unpaid:,}"]


def _table(canvas: Canvas, doc: BulletinDoc, top: float) -> float:
    row = 6.2 * mm
    widths = [w * mm for w in COLUMN_MM]
    scale = (PAGE[0] - 2 * MARGIN) / sum(widths)
    widths = [w * scale for w in widths]
    lines: list[tuple[list[str], bool]] = [(list(COLUMNS), True)]
    lines += [(_cells(line), False) for line in doc.lines]
    lines.append((_cells(doc.total), True))
    y = top
    canvas.setLineWidth(0.5)
    for cells, bold in lines:
        y -= row
        x = MARGIN
        if bold:
            canvas.setFillColor(colors.HexColor("#E8EEF8"))
            canvas.rect(MARGIN, y, sum(widths), row, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
        for text, width in zip(cells, widths, strict=True):
            canvas.rect(x, y, width, row, stroke=1, fill=0)
            cell_text(canvas, x, y, width, row, text, 8.5, align="center")
            x += width
    return y


def bar_chart(doc: BulletinDoc, width: float, height: float) -> Drawing:
    """Completion by township, last bulletin beside this one, with the 100 % target line."""
    font = register_fonts()
    drawing = Drawing(width, height)
    charted = [line for line in doc.lines if line.current_pct is not None]
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 16 * mm
    chart.width, chart.height = width - 20 * mm, height - 26 * mm
    chart.data = [[line.previous_pct or 0 for line in charted] or [0], [line.current_pct or 0 for line in charted]
                  or [0]]
    chart.categoryAxis.categoryNames = [line.name for line in charted] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.angle = 30 if len(charted) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(charted) > 8 else "n"
    top = max([100.0] + [line.current_pct or 0 for line in charted] + [line.previous_pct or 0 for line in charted])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = (int(top // 20) + 1) * 20
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = PREVIOUS_COLOUR
    chart.bars[1].fillColor = CURRENT_COLOUR
    chart.bars.strokeColor = None
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabelFormat = "%.0f"
    chart.barLabels.nudge = 5
    chart.groupSpacing = 6
    drawing.add(chart)
    target_y = chart.y + chart.height * 100 / chart.valueAxis.valueMax
    drawing.add(Line(chart.x, target_y, chart.x + chart.width, target_y, strokeColor=TARGET_COLOUR,
                     strokeWidth=1, strokeDashArray=[4, 2]))
    drawing.add(String(chart.x + chart.width - 2, target_y + 2, "任务线 100%", fontName=font, fontSize=7,
                       fillColor=TARGET_COLOUR, textAnchor="end"))
    legend = Legend()
    legend.fontName = font
    legend.fontSize = 8
    legend.x, legend.y = chart.x, height - 3 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 40 * mm
    legend.colorNamePairs = [
        (PREVIOUS_COLOUR, f"上期（截至{chinese_date(doc.previous_as_of, with_year=False)}）"),
        (CURRENT_COLOUR, f"本期（截至{chinese_date(doc.as_of, with_year=False)}）"),
    ]
    drawing.add(legend)
    return drawing


def draw_bulletin(canvas: Canvas, doc: BulletinDoc) -> None:
    width, height = PAGE
    y = height - MARGIN - 8 * mm
    draw_text(canvas, width / 2, y, doc.title, 16, align="center", max_width=width - 2 * MARGIN)
    y -= 8 * mm
    draw_text(canvas, width / 2, y, doc.subtitle, 10, align="center", max_width=width - 2 * MARGIN)
    y -= 4 * mm
    y = _table(canvas, doc, y)
    y -= 6 * mm
    draw_text(canvas, MARGIN, y, "各乡镇完成率（%）", 11)
    chart_height = 78 * mm
    renderPDF.draw(bar_chart(doc, width - 2 * MARGIN, chart_height), canvas, MARGIN, y - chart_height - 2 * mm)
    y -= chart_height + 10 * mm
    text = doc.laggard_sentence()
    for line in wrap_text(text + ("\n" + doc.remarks if doc.remarks else ""), 10.5, width - 2 * MARGIN):
        draw_text(canvas, MARGIN, y, line, 10.5)
        y -= 6 * mm
    draw_text(canvas, width - MARGIN, MARGIN + 8 * mm, doc.issuer, 10.5, align="right")
    draw_text(canvas, width - MARGIN, MARGIN + 2 * mm, chinese_date(doc.as_of), 10.5, align="right")


def write_bulletin(doc: BulletinDoc, out: str | os.PathLike | BinaryIO) -> None:
    register_fonts()

    def draw(canvas, page: BulletinDoc) -> None:
        canvas.setAuthor(page.issuer)
        draw_bulletin(canvas, page)

    write_pages([doc], out, pagesize=PAGE, title=doc.title, draw=draw)
