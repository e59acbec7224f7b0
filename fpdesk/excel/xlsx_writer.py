"""A small streaming .xlsx writer for large rosters.

openpyxl's write-only mode managed about 7,000 rows/s and XlsxWriter about 14,000 on a
100,000-row roster here; this writer emits the sheet XML directly (inline strings, a fixed set of
styles) at several times that, with the layout rosters need: title rows, frozen header, column
widths, merged cells, landscape fit-to-width print setup with repeated title rows and page numbers.
Sheets are written one after another; each sheet's rows stream straight into the zip file.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FORMAT_VERSION = 1
EXCEL_EPOCH = dt.date(1899, 12, 30)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Style ids (cellXfs positions in STYLES_XML)
DEFAULT, TITLE, HEADER, BODY, TEXT, SUBTOTAL, BAD, ERROR_NOTE, MONEY, DATE, SUBTOTAL_MONEY, NOTE = range(12)

STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="4">
<font><sz val="11"/><name val="宋体"/><family val="2"/></font>
<font><b/><sz val="16"/><name val="宋体"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="宋体"/><family val="2"/></font>
<font><sz val="11"/><color rgb="FF9C0006"/><name val="宋体"/><family val="2"/></font>
</fonts>
<fills count="5">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>
</fills>
<borders count="2">
<border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>\
<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>
</borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="12">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment horizontal="center" vertical="center"/></xf>
<xf numFmtId="0" fontId="2" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>
<xf numFmtId="0" fontId="2" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>
<xf numFmtId="49" fontId="0" fillId="4" borderId="1" xfId="0" applyNumberFormat="1" applyFill="1" applyBorder="1"/>
<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1">\
<alignment wrapText="1" vertical="top"/></xf>
<xf numFmtId="4" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>
<xf numFmtId="4" fontId="2" fillId="3" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" \
applyBorder="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# A text cell starting with one of these is read as a formula by a spreadsheet once the sheet is saved
# as CSV and opened again (=HYPERLINK(…) in a name, a command in an address).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """The text with an apostrophe in front when it could be read as a formula (shown as typed)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _text(value: str) -> str:
    if not value.isprintable():
        value = _CONTROL.sub("", value)
    return escape(value)


_TEXT_CACHE = 20_000  # distinct texts remembered per sheet
_LAYOUT_CACHE = 1_000
_ROWS_PER_WRITE = 500
_EPOCH_ORDINAL = EXCEL_EPOCH.toordinal()


def _other_cell(value: Any, opening: str, style: str, date_style: str, empty: str) -> str:
    """A cell of a type ``row`` has no fast path for (a str or int subclass, a bool, a datetime…)."""
    if value == "":
        return f"{opening}{empty}" if empty else ""
    if isinstance(value, str):
        value = formula_safe(value)
        space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
        return f'{opening}{style} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'{opening}{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"{opening}{style}><v>{value!r}</v></c>"
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return f"{opening}{date_style}><v>{(day - EXCEL_EPOCH).days}</v></c>"
    return (f'{opening}{style} t="inlineStr"><is><t xml:space="preserve">'
            f"{_text(str(value))}</t></is></c>")


class SheetWriter:
    """Rows of one sheet; ``row(values, styles)`` appends the next row (styles: one id, or one per cell)."""

    def __init__(self, stream, name: str, widths: Sequence[float], freeze_rows: int) -> None:
        self.name, self._stream = name, stream
        self._next = 1
        self.merges: list[str] = []
        self.data_validations: list[str] = []
        self._letters = [column_letter(i) for i in range(max(len(widths), 1) + 64)]
        # A roster writes the same few layouts and the same few words (village, product, relation…)
        # a hundred thousand times: each layout's cell openings and each text's cell body are made once.
        self._layouts: dict[tuple, list[tuple[str, str, str, str]]] = {}
        self._text_cells: dict[str, str] = {}
        self._pending: list[str] = []  # rows not yet handed to the zip stream (one write per batch)
        head = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0">']
        if freeze_rows:
            head.append(f'<pane ySplit="{freeze_rows}" topLeftCell="A{freeze_rows + 1}" activePane="bottomLeft" '
                        'state="frozen"/><selection pane="bottomLeft"/>')
        head.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if widths:
            head.append("<cols>" + "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
                                           for i, w in enumerate(widths)) + "</cols>")
        head.append("<sheetData>")
        self._write("".join(head))

    @property
    def rows_written(self) -> int:
        return self._next - 1

    def _write(self, text: str) -> None:
        self._stream.write(text.encode("utf-8"))

    def _flush(self) -> None:
        if self._pending:
            self._write("".join(self._pending))
            self._pending.clear()

    def _letter(self, index: int) -> str:
        while index >= len(self._letters):
            self._letters.append(column_letter(len(self._letters)))
        return self._letters[index]

    def _layout(self, styles: int | Sequence[int], width: int) -> list[tuple[str, str, str, str]]:
        """Per cell of a row of ``width`` cells: its opening up to the row number, its style attribute,
        the style attribute a date takes there, and what an empty cell is (nothing where unstyled)."""
        key = (styles, width) if isinstance(styles, int) else (tuple(styles), width)
        layout = self._layouts.get(key)
        if layout is None:
            layout = []
            for index in range(width):
                style = styles if isinstance(styles, int) else (styles[index] if index < len(styles) else BODY)
                date_style = DATE if style == BODY else style
                layout.append((f'<c r="{self._letter(index)}', f'" s="{style}"', f'" s="{date_style}"',
                               f'" s="{style}"/>' if style else ""))
            if len(self._layouts) >= _LAYOUT_CACHE:  # a report that marks cells row by row has many
                self._layouts.clear()
            self._layouts[key] = layout
        return layout

    def _text_cell(self, value: str) -> str:
        """What follows a text cell's style attribute: the type and the escaped text."""
        cell = self._text_cells.get(value)
        if cell is None:
            shown = formula_safe(value)
            space = ' xml:space="preserve"' if shown[:1].isspace() or shown[-1:].isspace() else ""
            cell = f' t="inlineStr"><is><t{space}>{_text(shown)}</t></is></c>'
            if len(self._text_cells) >= _TEXT_CACHE:  # names and ID numbers rarely repeat: keep it bounded
                self._text_cells.clear()
            self._text_cells[value] = cell
        return cell

    def row(self, values: Sequence[Any], styles: int | Sequence[int] = BODY, height: float | None = None) -> int:
        """Append a row; returns its Excel row number."""
        if not isinstance(values, list | tuple):
            values = list(values)
        number = self._next
        self._next += 1
        r = str(number)
        parts = [f'<row r="{r}"' + (f' ht="{height}" customHeight="1">' if height else ">")]
        append = parts.append
        text_cells = self._text_cells
        for value, (opening, style, date_style, empty) in zip(values, self._layout(styles, len(values)), strict=True):
            kind = type(value)
            if kind is str:
                if value:
                    append(f"{opening}{r}{style}{text_cells.get(value) or self._text_cell(value)}")
                elif empty:
                    append(f"{opening}{r}{empty}")
            elif value is None:
                if empty:
                    append(f"{opening}{r}{empty}")
            elif kind is int or kind is float:
                append(f"{opening}{r}{style}><v>{value!r}</v></c>")
            elif kind is dt.date:
                append(f"{opening}{r}{date_style}><v>{value.toordinal() - _EPOCH_ORDINAL}</v></c>")
            else:
                append(_other_cell(value, f"{opening}{r}", style, date_style, empty))
        append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= _ROWS_PER_WRITE:
            self._flush()
        return number

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merges.append(f"{self._letter(first_col)}{first_row}:{self._letter(last_col)}{last_row}")

    def list_validation(self, column: int, first_row: int, last_row: int, choices: Sequence[str]) -> None:
        formula = ",".join(choices).replace('"', "")
        ref = f"{self._letter(column)}{first_row}:{self._letter(column)}{last_row}"
        self.data_validations.append(f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
                                     f'sqref="{ref}"><formula1>"{escape(formula)}"</formula1></dataValidation>')

    def finish(self) -> None:
        self._flush()
        tail = ["</sheetData>"]
        if self.merges:
            tail.append(f'<mergeCells count="{len(self.merges)}">'
                        + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges) + "</mergeCells>")
        if self.data_validations:
            tail.append(f'<dataValidations count="{len(self.data_validations)}">'
                        + "".join(self.data_validations) + "</dataValidations>")
        tail.append('<printOptions horizontalCentered="1"/>'
                    '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                    "<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>"
                    "</worksheet>")
        self._write("".join(tail))
        self._stream.close()


class XlsxWriter:
    """``with XlsxWriter(path, title=...) as book: sheet = book.add_sheet(...); sheet.row(...)``."""

    def __init__(self, path: str | Path, *, title: str = "", keywords: str = "") -> None:
        self.path = Path(path)
        self.title, self.keywords = title, keywords
        self.path.parent.mkdir(parents=True, exist_ok=True)  # as printouts do: a new folder is made, not refused
        self._zip = zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3)
        self._sheets: list[tuple[str, int | None]] = []  # (name, print title rows)
        self._current: SheetWriter | None = None

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is None:
            self.close()
        else:
            self._zip.close()
            self.path.unlink(missing_ok=True)

    def add_sheet(self, name: str, *, widths: Sequence[float] = (), freeze_rows: int = 0,
                  print_title_rows: int | None = None) -> SheetWriter:
        if self._current is not None:
            self._current.finish()
        name = _sheet_name(name, {n for n, _ in self._sheets})
        self._sheets.append((name, print_title_rows))
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w", force_zip64=True)
        self._current = SheetWriter(stream, name, widths, freeze_rows)
        return self._current

    def close(self) -> None:
        if self._current is not None:
            self._current.finish()
            self._current = None
        if not self._sheets:
            self.add_sheet("Sheet1").finish()
            self._current = None
        count = len(self._sheets)
        self._zip.writestr("[Content_Types].xml", _content_types(count))
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("docProps/core.xml", _core(self.title, self.keywords))
        self._zip.writestr("xl/workbook.xml", self._workbook_xml())
        self._zip.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(count))
        self._zip.writestr("xl/styles.xml", STYLES_XML)
        self._zip.close()

    def _workbook_xml(self) -> str:
        sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                         for i, (name, _) in enumerate(self._sheets))
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">\'{escape(name.replace(chr(39), chr(39) * 2))}\''
            f"!$1:${rows}</definedName>"
            for i, (name, rows) in enumerate(self._sheets) if rows)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
                'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>"
                + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>")


def _sheet_name(name: str, taken: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31] or "Sheet"
    candidate, number = clean, 2
    while candidate in taken:
        suffix = f"({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    return candidate


_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
              'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
              'core-properties" Target="docProps/core.xml"/></Relationships>')


def _content_types(count: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(count))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/>' + sheets + "</Types>")


def _workbook_rels(count: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(count))
    rels += (f'<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/styles" Target="styles.xml"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')


def _core(title: str, keywords: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>fpdesk</dc:creator>"
            f"<cp:keywords>{escape(keywords)}</cp:keywords>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>')


def write_rows(sheet: SheetWriter, rows: Iterable[Sequence[Any]], styles: int | Sequence[int] = BODY) -> None:
    for values in rows:
        sheet.row(values, styles)
