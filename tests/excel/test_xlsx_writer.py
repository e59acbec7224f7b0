"""The streaming writer's cells as a spreadsheet reads them back: each kind of value under each kind
of style, text remembered between rows (the same cell every time, also once the memory of texts is
full and starts again), rows handed to the zip in batches (all of them, in order)."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from fpdesk.excel import xlsx_writer
from fpdesk.excel.xlsx_writer import BODY, DEFAULT, MONEY, TEXT, XlsxWriter


class _Word(str):
    pass


VALUES = ["村", "", None, " 前后 ", "=1+1", "a&b<c>", "控\x01制", 7, -2.5, True, dt.date(2024, 3, 1),
          dt.datetime(2024, 3, 1, 8, 30), _Word("子类"), _Word("")]


def test_each_kind_of_value_under_each_kind_of_style(tmp_path):
    path = tmp_path / "kinds.xlsx"
    styles = [BODY, TEXT, DEFAULT, BODY, BODY, BODY, BODY, MONEY, BODY, BODY, BODY, BODY]  # the last two: BODY
    with XlsxWriter(path) as book:
        sheet = book.add_sheet("s", widths=[8] * len(VALUES))
        sheet.row(VALUES, styles)
        sheet.row(VALUES, DEFAULT)
        sheet.row(iter(["一", 2]))
    rows = list(load_workbook(path).worksheets[0].iter_rows())
    styled = [cell.value for cell in rows[0]]
    assert styled[:10] == ["村", None, None, " 前后 ", "'=1+1", "a&b<c>", "控制", 7, -2.5, True]
    assert styled[10] == dt.datetime(2024, 3, 1) and rows[0][10].number_format == "yyyy\\-mm\\-dd"  # BODY: a date
    assert styled[11] == dt.datetime(2024, 3, 1)  # a date and time keeps its day
    assert styled[12:] == ["子类", None]
    assert rows[0][7].number_format == "#,##0.00" and rows[0][0].border.left.style == "thin"
    assert rows[0][1].number_format == "@"  # an empty cell keeps a style that draws something
    assert rows[0][2].value is None and not rows[0][2].has_style  # and is left out where it has none
    unstyled = [cell.value for cell in rows[1]]
    assert unstyled[:3] == ["村", None, None] and not rows[1][1].has_style
    assert rows[1][10].number_format == "General"  # only a BODY date takes the date format
    assert [cell.value for cell in rows[2]][:2] == ["一", 2]


def test_remembered_texts_and_batched_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_writer, "_TEXT_CACHE", 5)  # forgets every few texts
    monkeypatch.setattr(xlsx_writer, "_ROWS_PER_WRITE", 7)
    path = tmp_path / "many.xlsx"
    expected = [[n, f"名{n % 13}", "=x" if n % 2 else "同", dt.date(2024, 1, 1) + dt.timedelta(days=n % 3)]
                for n in range(1, 101)]
    with XlsxWriter(path) as book:
        sheet = book.add_sheet("s", widths=[5, 5, 5, 5])
        for values in expected:
            sheet.row(values, [BODY, TEXT, BODY, BODY])
        assert sheet.rows_written == 100
    read = [[cell for cell in row] for row in load_workbook(path).worksheets[0].iter_rows(values_only=True)]
    assert read == [[n, name, "'=x" if word == "=x" else word, dt.datetime.combine(day, dt.time())]
                    for n, name, word, day in expected]
