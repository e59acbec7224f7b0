"""Limits a roster file is checked against before any reader opens it, so a hostile file is refused
with a sentence instead of taking the program down.

A 2 KB .xlsx with one cell at XFD1048576 made the spreadsheet reader allocate a grid of 16,384 columns
by 1,048,576 rows (512 GB) and abort the process; ``<row r="2000000000">`` kept it busy for minutes; a
1.5 MB zip bomb took 1.6 GB. So an .xlsx's sheets are read once as a stream, with the bytes they
decompress to counted (declared sizes are not trusted), and refused when

- the file is larger than ``MAX_FILE_BYTES`` or decompresses to more than ``MAX_XML_BYTES``;
- a row number passes ``MAX_ROWS`` (Excel's own limit), a column passes ``MAX_COLUMNS``;
- rows × columns of a sheet (what the reader allocates) pass ``MAX_CELLS``: a 100,000-row roster
  of 40 columns is 4,000,000 cells; a sheet narrower than 27 columns is counted as 26 wide.

An .ods is held to the same decompressed size; an .xls is read first in a child process (reader.py),
and a CSV is held to the file size.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from fpdesk.excel.codes import file_error

MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_XML_BYTES = 1024 * 1024 * 1024
MAX_ROWS = 1_048_576
MAX_COLUMNS = 1_000
MAX_CELLS = 28_000_000  # every row Excel allows, 26 columns wide
_CHUNK = 1 << 22
# The lookahead only says what the rest of the pattern requires anyway ("row" after the "<" and an
# optional prefix): it stops the search at the other tags sooner, a third of this scan's time.
_ROW = re.compile(rb'<(?=[\w:]*row\b)(?:\w+:)?row\b[^>]*?\sr="([0-9]+)"')
# The same pattern without the prefix: a chunk without ":row" holds no prefixed row tag, so both find
# the same numbers there, and this one, starting with a plain "<row", is searched for as that text
# (two and a half times faster on a 100,000-row roster).
_PLAIN_ROW = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"')
# A row tag written as every writer we know writes it, its number first. Where each "<row" of a chunk
# begins one of these, _PLAIN_ROW finds the same numbers (from there its lazy part is empty and it
# can start nowhere else) and the row elements ``_row_tags`` counts are these: one count of "<row"
# tells, where two counts and the general pattern's search took a pass over the chunk each.
_ROW_NUMBER_FIRST = re.compile(rb'<row r="([0-9]+)"')
_WIDE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{2,})[0-9]')  # columns past Z
# Every _WIDE_CELL match holds this text: a chunk without it (a roster narrower than 27 columns)
# has no wide cell, found by a plain search ten times faster than the tag pattern's.
_WIDE_REFERENCE = re.compile(rb'r="[A-Z][A-Z]+[0-9]')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref="[A-Z]*[0-9]*:?([A-Z]*)([0-9]*)"')


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_bounds(path: Path, kind: str, *, count_rows_unless: re.Pattern | None = None) -> dict[str, int]:
    """Refuse (DomainError file_too_large, saying which limit) a file past the limits; ``kind`` is the
    format its first bytes show: xlsx | ods | xls | csv.

    With ``count_rows_unless``, the row elements (``<row `` or ``<row>``) of each worksheet whose first
    2,048 bytes do not match it are counted on the way and returned by part name: the reader needs that
    count where a sheet states no size, and would otherwise decompress the sheet once more for it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        _refuse(path, f"文件有 {size // 1048576} MB（最多 {MAX_FILE_BYTES // 1048576} MB）",
                f"it has {size // 1048576} MB (at most {MAX_FILE_BYTES // 1048576} MB)")
    counted: dict[str, int] = {}
    if kind not in ("xlsx", "ods"):
        return counted
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                if info.is_dir():
                    continue
                scan = kind == "xlsx" and info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                total, rows = _read_member(path, archive, info, total, scan, count_rows_unless)
                if rows is not None:
                    counted[info.filename] = rows
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError, ValueError) as exc:
        # A part that does not read here is not checked either: the spreadsheet reader, more lenient,
        # would open it unchecked (fuzzing found one that aborted the process). Refused as damaged.
        raise file_error("unreadable_file", file=path.name, detail_zh=f"文件已损坏（{exc}）",
                         detail_en=f"the file is damaged ({exc})") from None
    return counted


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, scan: bool,
                 count_rows_unless: re.Pattern | None) -> tuple[int, int | None]:
    """Decompress one member in chunks, counting what it really gives; a sheet is also scanned (and
    its row elements counted, unless its start matches ``count_rows_unless``)."""
    sheet = info.filename.rsplit("/", 1)[-1]
    max_row = max_column = 0
    tail = b""
    first = True
    row_tags: int | None = None
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > MAX_XML_BYTES:
                _refuse(path, f"解压后超过 {MAX_XML_BYTES // 1048576} MB（可能是“压缩炸弹”）",
                        f"it decompresses to more than {MAX_XML_BYTES // 1048576} MB (a zip bomb?)")
            if not scan:
                continue
            data = tail + chunk
            if first:
                first = False
                if count_rows_unless is not None and not count_rows_unless.search(data[:2048]):
                    row_tags = 0
                found = _DIMENSION.search(data[:4096])
                if found:  # what the reader may allocate from before it reads a cell
                    max_column = column_number(found[1]) if found[1] else 0
                    max_row = int(found[2]) if found[2] else 0
                    _check(path, sheet, max_row, max_column)
            tags = None  # the chunk's row elements, where known without counting them
            if b":row" in data:
                rows = _ROW.findall(data)
            elif row_tags is None:  # a sheet that states its size: its rows are not counted
                rows = _PLAIN_ROW.findall(data)
            else:
                rows = _ROW_NUMBER_FIRST.findall(data)
                tags = data.count(b"<row")
                if len(rows) != tags:  # some row tag written otherwise (or cut at the chunk's end)
                    rows, tags = _PLAIN_ROW.findall(data), None
            if rows:
                max_row = max(max_row, max(map(int, rows)))
            wide = _WIDE_CELL.findall(data) if _WIDE_REFERENCE.search(data) else None
            if wide:
                max_column = max(max_column, max(map(column_number, set(wide))))
            _check(path, sheet, max_row, max_column)
            if row_tags is not None:  # a tag inside the tail was counted with the chunk before
                row_tags += (_row_tags(data) if tags is None else tags) - _row_tags(tail)
            tail = data[-256:]
    return total, row_tags


def _row_tags(data: bytes) -> int:
    return data.count(b"<row ") + data.count(b"<row>")


def _check(path: Path, sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        _refuse(path, f"工作表 {sheet} 有第 {rows} 行（最多 {MAX_ROWS} 行）",
                f"sheet {sheet} has a row {rows} (at most {MAX_ROWS})")
    if columns > MAX_COLUMNS:
        _refuse(path, f"工作表 {sheet} 有第 {columns} 列（最多 {MAX_COLUMNS} 列）",
                f"sheet {sheet} has a column {columns} (at most {MAX_COLUMNS})")
    if rows * max(columns, 26) > MAX_CELLS:
        _refuse(path, f"工作表 {sheet} 有 {rows} 行 × {columns} 列（最多 {MAX_CELLS} 个单元格）",
                f"sheet {sheet} spans {rows} rows × {columns} columns (at most {MAX_CELLS} cells)")


def _refuse(path: Path, detail_zh: str, detail_en: str):
    raise file_error("file_too_large", file=path.name, detail_zh=detail_zh, detail_en=detail_en)
