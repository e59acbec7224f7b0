"""The weekly bulletin as a workbook: the same table as the PDF and a native Excel bar chart of
completion by township (last bulletin and this one), so the office can paste it into its WeChat
group or edit the wording; openpyxl writes the chart (the streaming roster writer has none).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fpdesk.core.bulletin import COLUMNS, BulletinDoc, BulletinLine

FORMAT_VERSION = 1
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_WIDTHS = (6, 12, 9, 10, 10, 10, 11, 11, 8, 8, 8, 13)


def _values(line: BulletinLine) -> list:
    def pct(value):
        return None if value is None else value / 100

    return [line.rank, line.name, line.target, line.previous, line.current, line.change, pct(line.previous_pct),
            pct(line.current_pct), line.government, line.self_paid, line.employer, line.unpaid]


def write_bulletin_xlsx(doc: BulletinDoc, path: str | Path) -> Path:
    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "周通报"
    sheet.append([doc.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=15)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([doc.subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.append(list(COLUMNS))
    header_row = 3
    for line in doc.lines:
        sheet.append(_values(line))
    sheet.append(_values(doc.total))
    last = sheet.max_row
    for row in sheet.iter_rows(min_row=header_row, max_row=last, max_col=len(COLUMNS)):
        for cell in row:
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if cell.row in (header_row, last):
                cell.font = Font(bold=True)
                cell.fill = _HEAD_FILL
            if cell.column in (7, 8) and cell.row != header_row:
                cell.number_format = "0.0%"
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.cell(row=last + 2, column=1, value=doc.laggard_sentence())
    if doc.remarks:
        sheet.cell(row=last + 3, column=1, value=doc.remarks)
    sheet.cell(row=last + 4, column=len(COLUMNS), value=doc.issuer).alignment = Alignment(horizontal="right")
    sheet.cell(row=last + 5, column=len(COLUMNS), value=doc.as_of).number_format = "yyyy-mm-dd"

    if doc.lines:
        chart = BarChart()
        chart.type = "col"
        chart.title = "各乡镇完成率"
        chart.y_axis.title = "完成率"
        chart.y_axis.numFmt = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        data = Reference(sheet, min_col=7, max_col=8, min_row=header_row, max_row=last - 1)
        categories = Reference(sheet, min_col=2, min_row=header_row + 1, max_row=last - 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        chart.series[0].graphicalProperties.solidFill = "9DB4D8"
        chart.series[1].graphicalProperties.solidFill = "1F4E9A"
        chart.series[1].dLbls = DataLabelList()
        chart.series[1].dLbls.showVal = True
        chart.height, chart.width = 9, 22
        sheet.add_chart(chart, sheet.cell(row=last + 7, column=1).coordinate)
    book.properties.title = doc.title
    book.properties.keywords = f"fpdesk-bulletin-v{FORMAT_VERSION}"
    book.save(path)
    return path
