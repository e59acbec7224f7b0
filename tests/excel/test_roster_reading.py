"""Reading roster files: formats by content, header rows, merged headers, file-level refusals, big sheets."""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import pytest
from roster_builders import ZHANG, good_rows, write_roster

from fpdesk.core.errors import DomainError
from fpdesk.excel.columns import find_header, layout_signature, roster_fields
from fpdesk.excel.reader import open_roster, stream_xlsx_rows
from fpdesk.excel.rows import id_number_text
from fpdesk.excel.xlsx_writer import XlsxWriter

DATA = Path(__file__).resolve().parents[1] / "data" / "rosters"


def header_of(path):
    book = open_roster(path)
    try:
        head = book.head()
        return book, head, find_header(head, roster_fields())
    finally:
        book.close()


@pytest.mark.parametrize("name", ["township_2024.xlsx", "township_2024.xls", "township_2024.ods"])
def test_every_format_reads_the_same_rows(name):
    _book, head, guess = header_of(DATA / name)
    assert guess.header_row == 2  # below the merged title and the 填报单位 row
    assert guess.mapping[5] == "id_number" and guess.mapping[4] == "name"
    first = head[guess.data_start]
    assert first[4] == "张三" and first[5] == ZHANG  # the ID stays text in every format


@pytest.mark.parametrize("name", ["merged_header.xlsx", "merged_header.xls"])
def test_a_two_row_header_under_merged_group_cells(name):
    _book, _head, guess = header_of(DATA / name)
    assert guess.header_row == 2
    assert guess.labels[:5] == ("序号", "户主姓名", "姓名", "公民身份号码", "与户主关系")
    assert {2: "name", 3: "id_number", 4: "relation", 10: "village"}.items() <= guess.mapping.items()


def test_same_layout_same_signature_whatever_the_spacing():
    assert layout_signature(["姓名", "身份证号码"]) == layout_signature([" 姓 名", "身份证号码\n"])
    assert layout_signature(["姓名", "身份证号码"]) != layout_signature(["身份证号码", "姓名"])


def test_a_csv_renamed_xlsx_is_read_as_csv(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(f"姓名,身份证号码,村\n张三,{ZHANG},罗翠村\n".encode("gb18030"))
    book, head, guess = header_of(path)
    assert book.kind == "csv" and guess.mapping == {0: "name", 1: "id_number", 2: "village"}
    assert head[1][1] == ZHANG


def test_encrypted_workbook_is_refused():
    with pytest.raises(DomainError) as caught:
        open_roster(DATA / "encrypted.xlsx")
    assert caught.value.code == "encrypted_file"


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty_file"),
    (b"\x00\x01\x02garbage\x00" * 10, "unreadable_file"),
    (b"PK\x03\x04 not really a zip", "unreadable_file"),
])
def test_files_that_are_not_rosters(tmp_path, content, code):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(DomainError) as caught:
        open_roster(path)
    assert caught.value.code == code


def test_a_zip_that_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DomainError) as caught:
        open_roster(path)
    assert caught.value.code == "unreadable_file"


def test_the_numeric_id_trap():
    with pytest.raises(DomainError) as caught:
        id_number_text(3.50421198001010e17)
    assert caught.value.code == "id_lost_precision" and "3.50421198001010E+17" in caught.value.message_zh
    with pytest.raises(DomainError):
        id_number_text("3.50421198001010E+17")
    assert id_number_text(350421800101001) == "350421800101001"  # 15 digits survive as a number


def test_streaming_reader_agrees_with_calamine(tmp_path):
    path = write_roster(tmp_path / "r.xlsx", good_rows())
    book = open_roster(path)
    expected = [[v for v in row] for row in book.rows()]
    book.close()
    streamed = list(stream_xlsx_rows(path, 0))
    assert len(streamed) == len(expected)
    assert [r[4:6] for r in streamed[3:8]] == [r[4:6] for r in expected[3:8]]


def test_a_sheet_without_its_size_is_counted_while_its_limits_are_checked(tmp_path, monkeypatch):
    """A streaming writer leaves <dimension> out: the rows are counted in the limits' pass over the
    sheet (several decompressed chunks here), not by decompressing it once more."""
    from fpdesk.excel import reader

    path = tmp_path / "undimensioned.xlsx"
    with XlsxWriter(path) as writer:
        sheet = writer.add_sheet("花名册")
        sheet.row(["姓名", "身份证号码", "村"])
        for number in range(70_000):
            sheet.row([f"人{number}", ZHANG, "罗翠村"])
    with zipfile.ZipFile(path) as archive:
        part = archive.read("xl/worksheets/sheet1.xml")
        assert b"<dimension" not in part and len(part) > 3 * (1 << 22)
        expected = reader._count_rows(archive, "xl/worksheets/sheet1.xml")
    assert expected == 70_001

    def not_again(*_args):
        raise AssertionError("the sheet was decompressed again to count its rows")

    monkeypatch.setattr(reader, "_count_rows", not_again)
    book = open_roster(path)
    assert book.row_count("花名册") == expected
    book.close()


@pytest.mark.slow
def test_a_million_rows_are_read_in_bounded_memory(tmp_path):
    path = tmp_path / "big.xlsx"
    with XlsxWriter(path) as writer:
        sheet = writer.add_sheet("花名册")
        sheet.row(["姓名", "身份证号码", "村"])
        for number in range(1_000_000):
            sheet.row([f"人{number}", ZHANG, "罗翠村"])
    book = open_roster(path)
    assert book.row_count("花名册") > 200_000  # estimated: read as a stream
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count = sum(1 for _ in book.rows("花名册"))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert count == 1_000_001
    assert grown_mb < 100, f"reading grew the process by {grown_mb:.0f} MB"


@pytest.mark.parametrize("words", ["填表人：林小红", "填报人：", "制表人：王芳", "审核人：", "单位（盖章）："])
def test_a_signature_row_under_the_roster_is_a_footer_in_whichever_column_it_starts(words):
    from fpdesk.excel.columns import is_footer

    assert is_footer(["", "", "", words, "", "", "", "审核人：", ""])  # under the name column, not the first
    assert not is_footer([12.0, "城关乡", "下洋村", "黄海", "350421198503030157"])


def test_a_person_the_column_checks_pass_is_made_as_its_class_makes_it():
    """The column checks make a passed row's CheckedPerson without its ``__init__`` (fpdesk/excel/
    column_checks.py): the same fields, in the same order, with the same values, as frozen; a field
    added to the class fails here until the column checks set it too."""
    import dataclasses
    import datetime as dt

    from fpdesk.core.people import CheckedPerson
    from fpdesk.core.vocabulary import Relation, Sex
    from fpdesk.excel import column_checks

    values = ("林国华", "350421197001011234", Sex.MALE, dt.date(1970, 1, 1), Relation.HEAD, "13800000000", None)
    made, expected = column_checks._person(*values), CheckedPerson(*values)
    assert list(vars(made)) == [f.name for f in dataclasses.fields(CheckedPerson)]
    assert made == expected and vars(made) == vars(expected) and hash(made) == hash(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "改"


def test_a_sheet_that_starts_below_and_right_of_a1_keeps_excel_row_and_column_numbers(tmp_path):
    """A row's index is its Excel row number less one, a cell's its column's, however far down and
    right the first used cell is (python-calamine's ``iter_rows`` pads the empty rows above it but not
    the columns before it: the reader once padded the rows again, reading every row one too low)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["C3"], sheet["D4"], sheet["E6"] = "姓名", ZHANG, 1.5
    path = tmp_path / "名册.xlsx"
    book.save(path)
    roster = open_roster(path)
    try:
        expected = [[None] * 5 for _ in range(6)]
        expected[2][2], expected[3][3], expected[5][4] = "姓名", ZHANG, 1.5
        assert roster.head(roster.sheet(None)) == expected
        assert list(roster.rows()) == expected
        assert [[None if v == "" else v for v in row] for row in roster.table()] == expected
    finally:
        roster.close()


@pytest.mark.parametrize("chunk", [97, 1 << 22])
def test_row_tags_of_every_form_are_counted_and_bounded_in_chunks_of_any_size(tmp_path, monkeypatch, chunk):
    """The bounds scan counts a chunk's rows by one count of "<row" where each is written with its number
    first (excel/bounds.py), and reads any other chunk the general way: the count is the rows' count
    and a far row is found whichever way its tag is written, wherever a chunk ends."""
    from fpdesk.excel import bounds, reader

    monkeypatch.setattr(bounds, "_CHUNK", chunk)
    forms = ['<row r="{n}">', '<row r="{n}" spans="1:1">', '<row spans="1:1" r="{n}">', "<row>", '<row\tr="{n}">']
    body = "".join(forms[n % 7 // 2 if n % 3 else 0].format(n=n) + f'<c r="A{n}"><v>{n}</v></c></row>'
                   for n in range(1, 400))
    for far, refused in (("", False), ('<row spans="1:1" r="2000000000"></row>', True)):
        path = tmp_path / f"rows{len(far)}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{body}{far}</sheetData></worksheet>")
        if refused:
            with pytest.raises(DomainError) as caught:
                bounds.check_bounds(path, "xlsx", count_rows_unless=reader._DIMENSION)
            assert caught.value.code == "file_too_large" and "2000000000" in caught.value.message_zh
        else:
            counted = bounds.check_bounds(path, "xlsx", count_rows_unless=reader._DIMENSION)
            with zipfile.ZipFile(path) as archive:
                assert counted == {"xl/worksheets/sheet1.xml": reader._count_rows(archive, "xl/worksheets/sheet1.xml")}
