"""The rejected rows, handed back as an xlsx copy of the input: the same title and header rows,
only the rejected rows, the bad cells filled red and an error column at the end, so the clerk
fixes the cells and imports this very file again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from fpdesk.excel.codes import RowIssue
from fpdesk.excel.xlsx_writer import BAD, BODY, ERROR_NOTE, HEADER, NOTE, TEXT, XlsxWriter

_TEXT_FIELDS = {"id_number", "head_id_number", "phone", "phone2", "certificate_no", "household_ref"}
ERROR_COLUMN = "错误说明"


def write_rejected_report(path: str | Path, rows: Iterable[Sequence], data_start: int, issues: Sequence[RowIssue],
                          mapping: dict[int, str]) -> Path:
    """``rows`` are all rows of the sheet from the top; ``data_start`` is the 0-based first data row."""
    path = Path(path)
    by_row: dict[int, list[RowIssue]] = {}
    for issue in issues:
        by_row.setdefault(issue.row, []).append(issue)
    text_columns = {i for i, key in mapping.items() if key in _TEXT_FIELDS}
    header: list = []
    with XlsxWriter(path, title="导入错误报告", keywords="fpdesk roster rejected rows v1") as book:
        sheet = None
        for index, cells in enumerate(rows):
            number = index + 1
            cells = list(cells)
            if index < data_start:
                if sheet is None:
                    width = max(len(cells), max(mapping, default=0) + 1, 1)
                    sheet = book.add_sheet("需改正的行", widths=[14] * width + [60], freeze_rows=data_start,
                                           print_title_rows=data_start)
                if index == data_start - 1:
                    header = [str(c).strip() if c is not None else "" for c in cells]
                    sheet.row([*cells, *[None] * (len(header) - len(cells)), ERROR_COLUMN], HEADER)
                else:
                    sheet.row(cells, NOTE)
                continue
            found = by_row.get(number)
            if not found:
                continue
            bad = {i.column_index for i in found if i.column_index is not None}
            bad |= {header.index(i.column) for i in found if i.column_index is None and i.column in header}
            width = max(len(cells), len(header))
            cells += [None] * (width - len(cells))
            for c in range(width):
                value = cells[c]
                if not isinstance(value, float):
                    continue
                if c in text_columns and abs(value) >= 1e15:  # an ID Excel turned into a number: as Excel showed it
                    cells[c] = f"{value:.14E}"
                elif value.is_integer() and abs(value) < 1e15:
                    cells[c] = int(value)  # the reader gives every number as a float: 序号 1 stays 1, not 1.0
            styles = [BAD if c in bad else TEXT if c in text_columns else BODY for c in range(width)]
            sheet.row([*cells, "\n".join(i.message for i in found)], [*styles, ERROR_NOTE])
    return path
