"""Opening roster files: .xlsx, .xls, .ods (python-calamine) and CSV, whatever their name says.

The format is decided by the file's first bytes, not its extension: offices rename CSV files to
.xlsx, and an encrypted .xlsx is an OLE2 container like an .xls. python-calamine reads about ten
times faster than openpyxl (tests/benchmarks/rosters.py), but it loads a whole sheet into memory;
an .xlsx sheet of more than ``STREAM_ABOVE_ROWS`` rows is therefore read by a streaming XML parser
whose memory does not grow with the row count.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fpdesk.core.errors import DomainError, os_error_reason
from fpdesk.excel.bounds import check_bounds
from fpdesk.excel.codes import file_error

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted .xlsx is an OLE2 file holding these streams (MS-OFFCRYPTO); names are UTF-16LE.
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
STREAM_ABOVE_ROWS = 200_000
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class RosterWorkbook:
    """An opened roster file. ``rows(sheet)`` yields each row as a list of cell values
    (str, int, float, bool, datetime/date or None)."""

    path: Path
    kind: str  # xlsx | xls | ods | csv
    sheet_names: list[str]
    _calamine: object | None = None
    _csv_rows: list[list[str]] | None = None
    _row_counts: dict[str, int] = field(default_factory=dict)
    _loaded: tuple[str, list[list]] | None = None  # (sheet, its rows) kept between head and rows

    def sheet(self, name: str | None) -> str:
        if name is None:
            return self.sheet_names[0]
        if name not in self.sheet_names:
            raise file_error("sheet_not_found", sheet=name, known="、".join(self.sheet_names))
        return name

    def row_count(self, sheet: str) -> int | None:
        return self._row_counts.get(sheet)

    def streams(self, sheet: str | None = None) -> bool:
        """Whether ``rows`` reads this sheet as a stream (memory flat, one row at a time)."""
        return self.kind == "xlsx" and (self._row_counts.get(self.sheet(sheet)) or 0) > STREAM_ABOVE_ROWS

    def rows(self, sheet: str | None = None) -> Iterator[list]:
        sheet = self.sheet(sheet)
        if self._csv_rows is not None:
            yield from (list(r) for r in self._csv_rows)
            return
        if self.kind == "xlsx" and (self._row_counts.get(sheet) or 0) > STREAM_ABOVE_ROWS:
            try:
                yield from stream_xlsx_rows(self.path, self.sheet_names.index(sheet))
            except DomainError:
                raise
            except Exception as exc:  # damaged XML inside the file
                raise _damaged(self.path, exc) from None
            return
        yield from _blank_as_none(self._grid(sheet, keep=False))

    def table(self, sheet: str | None = None) -> list[list]:
        """Every row at once, for the column checks (fpdesk/excel/column_checks.py): the rows of
        ``rows``, except that a blank cell of a spreadsheet may be "" (those checks read "" as blank,
        as they read a cell of spaces), so a 100,000-row sheet is not copied cell by cell to say it."""
        sheet = self.sheet(sheet)
        if self._csv_rows is not None or self.streams(sheet):
            return list(self.rows(sheet))
        return self._grid(sheet, keep=False)

    def _grid(self, sheet: str, *, keep: bool) -> list[list]:
        """The sheet's rows from A1 as calamine gives them (a blank cell is ""). ``head`` keeps them
        for the ``rows`` or ``table`` that follows (loading a sheet is most of the reading time);
        those take them back, so they are not held afterwards.

        From A1 on both axes, whatever the sheet's first used cell (``skip_empty_area=False``), so a
        row's index is its Excel row number less one: python-calamine's ``iter_rows`` starts at the
        first used column but at row 1, which the padding once added to (a sheet with an empty first
        row was read a row too low)."""
        cached, self._loaded = self._loaded, None
        if cached is not None and cached[0] == sheet:
            grid = cached[1]
        else:
            try:
                grid = self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except _NOT_OURS:
                raise
            except BaseException as exc:
                raise _damaged(self.path, exc) from None
        if keep:
            self._loaded = (sheet, grid)
        return grid

    def head(self, sheet: str | None = None, count: int = 40) -> list[list]:
        sheet = self.sheet(sheet)
        if self._csv_rows is None and not self.streams(sheet):
            rows = _blank_as_none(self._grid(sheet, keep=True))
        else:
            rows = self.rows(sheet)
        return list(itertools.islice(rows, count))

    def merged_ranges(self, sheet: str | None = None) -> list[tuple[int, int, int, int]]:
        """(first row, first column, last row, last column), 0-based; empty where unknown."""
        if self._calamine is None:
            return []
        try:
            ranges = self._calamine.get_sheet_by_name(self.sheet(sheet)).merged_cell_ranges or []
        except Exception:  # merged ranges are a help for header detection, never a reason to fail
            return []
        return [(a[0], a[1], b[0], b[1]) for a, b in ranges]

    def close(self) -> None:
        self._loaded = None
        if self._calamine is not None:
            self._calamine.close()


def _blank_as_none(grid: list[list]) -> Iterator[list]:
    for row in grid:
        yield [None if v == "" else v for v in row]


_NOT_OURS = (KeyboardInterrupt, SystemExit, GeneratorExit)


def _damaged(path: Path, exc: BaseException):
    text = str(exc)[:200]
    return file_error("unreadable_file", file=path.name, detail_zh=f"文件已损坏（{text}）",
                      detail_en=f"the file is damaged ({text})")


def open_roster(path: str | Path) -> RosterWorkbook:
    """Open a roster file, or raise DomainError unreadable_file / encrypted_file / empty_file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError as exc:
        zh, en = os_error_reason(exc)
        raise file_error("unreadable_file", file=path.name, detail_zh=zh, detail_en=en) from None
    if not start:
        raise file_error("empty_file", file=path.name, sheet="")
    # a hostile file is refused here, before a reader allocates what it declares (excel/bounds.py)
    counted = check_bounds(path, "xls" if start.startswith(OLE2_MAGIC) else "xlsx" if _is_xlsx(path, start) else
                           "ods" if start.startswith(ZIP_MAGIC) else "csv", count_rows_unless=_DIMENSION)
    if start.startswith(OLE2_MAGIC):
        if _is_encrypted_ooxml(path):
            raise file_error("encrypted_file", file=path.name)
        return _open_calamine(path, "xls")
    if start.startswith(ZIP_MAGIC):
        return _open_zip(path, counted)
    return _open_text(path)


def _is_xlsx(path: Path, start: bytes) -> bool:
    if not start.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return False


def _is_encrypted_ooxml(path: Path) -> bool:
    data = path.read_bytes()
    return any(marker in data for marker in _ENCRYPTION_STREAMS)


def _open_zip(path: Path, counted: dict[str, int]) -> RosterWorkbook:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            kind = "xlsx" if "xl/workbook.xml" in names else "ods" if "content.xml" in names else None
            counts = _xlsx_row_counts(archive, counted) if kind == "xlsx" else {}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, NotImplementedError,
            RuntimeError) as exc:
        raise file_error("unreadable_file", file=path.name, detail_zh=f"文件已损坏（{exc}）",
                         detail_en=f"the file is damaged ({exc})") from None
    if kind is None:
        raise file_error("unreadable_file", file=path.name, detail_zh="这是压缩包，不是 Excel 或 WPS 表格",
                         detail_en="this is a zip archive, not an Excel or WPS spreadsheet")
    workbook = _open_calamine(path, kind)
    workbook._row_counts = {name: counts[i] for i, name in enumerate(workbook.sheet_names) if i in counts}
    return workbook


def _probe_xls(path: str) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def _survives_native_reader(path: Path) -> bool:
    """Read an .xls once in a child process first: fuzzing found damaged .xls files on which calamine
    aborts the whole process (a huge allocation), which no ``except`` can catch."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    child = context.Process(target=_probe_quietly, args=(str(path),), daemon=True)
    child.start()
    child.join(300)
    if child.is_alive():
        child.kill()
        child.join()
        return False
    return child.exitcode in (0, 3)  # 3: a Python-level error the reader below refuses cleanly


def _probe_quietly(path: str) -> None:
    import os
    import sys

    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # a panic message is not for the user's console
    try:
        _probe_xls(path)
    except BaseException:
        sys.exit(3)


def _open_calamine(path: Path, kind: str) -> RosterWorkbook:
    from python_calamine import CalamineWorkbook, PasswordError

    if kind == "xls" and not _survives_native_reader(path):
        raise _damaged(path, RuntimeError("the spreadsheet reader stopped on it"))
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except PasswordError:
        raise file_error("encrypted_file", file=path.name) from None
    except _NOT_OURS:
        raise
    except BaseException as exc:
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise file_error("encrypted_file", file=path.name) from None
        raise file_error("unreadable_file", file=path.name, detail_zh=f"文件格式有误（{text}）",
                         detail_en=f"the file is malformed ({text})") from None
    if not names:
        raise file_error("empty_file", file=path.name, sheet="")
    return RosterWorkbook(path, kind, names, _calamine=book)


def _open_text(path: Path) -> RosterWorkbook:
    """A CSV file (maybe renamed .xlsx): UTF-8 with or without BOM, else GB18030 (Excel's Chinese CSV)."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise file_error("unreadable_file", file=path.name, detail_zh="不是 Excel、WPS 或 CSV 表格",
                         detail_en="not an Excel, WPS or CSV spreadsheet")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise file_error("unreadable_file", file=path.name, detail_zh="无法识别文字编码", detail_en="unknown encoding")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        rows = [[cell if cell.strip() else None for cell in row]
                for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise _damaged(path, exc) from None
    if not any(any(c is not None for c in row) for row in rows):
        raise file_error("empty_file", file=path.name, sheet="CSV")
    return RosterWorkbook(path, "csv", ["CSV"], _csv_rows=rows)


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def _xlsx_sheet_paths(archive: zipfile.ZipFile) -> list[str]:
    """Worksheet part names in workbook order (read from workbook.xml and its relationships)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {rid: target for target, rid in
                re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    paths = []
    for rid in re.findall(r'<sheet [^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(rid, "")
        paths.append(target.lstrip("/") if target.startswith("/") else "xl/" + target)
    return paths




def _xlsx_row_counts(archive: zipfile.ZipFile, counted: dict[str, int]) -> dict[int, int]:
    """Rows per sheet index: from the sheet's <dimension>, else (streaming writers leave it out) the
    row elements counted while the limits were checked (``counted``, by part name), else counted in
    one pass over the decompressed XML, in fixed-size chunks."""
    counts = {}
    try:
        for index, part in enumerate(_xlsx_sheet_paths(archive)):
            with archive.open(part) as stream:
                found = _DIMENSION.search(stream.read(2048))
            counts[index] = int(found[1]) if found else counted[part] if part in counted else _count_rows(
                archive, part)
    except (KeyError, UnicodeDecodeError):
        return {}
    return counts


def _count_rows(archive: zipfile.ZipFile, part: str) -> int:
    count, tail = 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 22):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            tail = data[-5:]  # a tag cut in two at the chunk edge is counted in the next window...
            count -= tail.count(b"<row ") + tail.count(b"<row>")  # ...and not twice
    return count + tail.count(b"<row ") + tail.count(b"<row>")


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if char.isdigit():
            break
        index = index * 26 + (ord(char) - 64)
    return index - 1


def stream_xlsx_rows(path: Path, sheet_index: int) -> Iterator[list]:
    """Rows of one .xlsx sheet read as a stream: memory stays flat however many rows there are.

    Numbers come back as floats (dates as their Excel serial number, which parse_date accepts).
    """
    from xml.etree.ElementTree import XMLPullParser  # a sheet past STREAM_ABOVE_ROWS only

    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        part = _xlsx_sheet_paths(archive)[sheet_index]
        parser = XMLPullParser(events=("start", "end"))
        next_row = 1
        sheet_data = None
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 20):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "start":
                        if element.tag == _MAIN_NS + "sheetData":
                            sheet_data = element
                        continue
                    if element.tag != _MAIN_NS + "row":
                        continue
                    number = int(element.get("r") or next_row)
                    while next_row < number:  # rows the file leaves out are empty
                        yield []
                        next_row += 1
                    values = _row_values(element, strings)
                    if sheet_data is not None:
                        sheet_data.clear()  # cleared rows left in the tree would still cost memory
                    yield values
                    next_row += 1


def _row_values(element, strings: list[str]) -> list:
    values: list = []
    for cell in element:
        reference = cell.get("r")
        if reference:
            position = _column_index(reference)
            if position > len(values):
                values.extend([None] * (position - len(values)))
        kind = cell.get("t")
        if kind == "inlineStr":
            value = "".join(t.text or "" for t in cell.iter(_MAIN_NS + "t"))
        else:
            raw = cell.findtext(_MAIN_NS + "v")
            if raw is None:
                value = None
            elif kind == "s":
                value = strings[int(raw)]
            elif kind in ("str", "e"):
                value = raw if kind == "str" else None
            elif kind == "b":
                value = raw == "1"
            else:
                number = float(raw)
                value = int(number) if number.is_integer() and abs(number) < 1e15 else number
        values.append(None if value == "" else value)
    return values


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    from xml.etree.ElementTree import XMLPullParser

    strings: list[str] = []
    parser = XMLPullParser(events=("start", "end"))
    table = None
    with stream:
        while chunk := stream.read(1 << 20):
            parser.feed(chunk)
            for event, element in parser.read_events():
                if event == "start":
                    if element.tag == _MAIN_NS + "sst":
                        table = element
                elif element.tag == _MAIN_NS + "si":
                    strings.append("".join(t.text or "" for t in element.iter(_MAIN_NS + "t")))
                    if table is not None:
                        table.clear()
    return strings
