"""Hostile roster files are refused before a reader allocates what they declare (excel/bounds.py), and a
hypothesis-driven fuzz run over the roster reader and the package reader (time-boxed: together well
under a minute) finds every input read or refused with a DomainError, never a traceback or a crash.

The three files the campaign used run in a child process: on the old code the first one aborted the
whole process (a 512 GB allocation), so a crash shows as a failed exit, not as a dead test run."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roster_builders import good_rows, write_roster

from fpdesk.core.errors import DomainError
from fpdesk.excel.reader import open_roster
from fpdesk.services.sync.importer import import_package
from tests.services.sync_helpers import Offices, dump
from tests.trust.test_hostile_packages import forge

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _with_sheet(base: Path, target: Path, mutate) -> Path:
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info.filename, mutate(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return target


def _extra_cell(ref: str, row: str) -> callable:
    return lambda data: data.replace(b"</sheetData>", f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t>'
                                     f"</is></c></row></sheetData>".encode())


@pytest.mark.parametrize(("name", "mutate", "limit"), [
    ("cell-at-XFD1048576", _extra_cell("XFD1048576", "1048576"), "列"),
    ("row-2000000000", _extra_cell("A2000000000", "2000000000"), "行"),
    ("zip-bomb", lambda data: data.replace(b"</sheetData>", b'<row r="900"><c r="A900" t="inlineStr"><is><t>'
                                           + b"x" * (1100 * 1024 * 1024) + b"</t></is></c></row></sheetData>"),
     "MB"),
])
def test_hostile_rosters_are_refused_saying_which_limit(tmp_path, name, mutate, limit):
    path = _with_sheet(write_roster(tmp_path / "good.xlsx", good_rows()), tmp_path / f"{name}.xlsx", mutate)
    location = str(tmp_path / "office.sqlite3")
    init = [sys.executable, "-m", "fpdesk", "init", "--db", location, "--office-code", "350421200",
            "--office-level", "township", "--office-name", "城关乡计生协"]
    assert subprocess.run(init, capture_output=True, timeout=120).returncode == 0
    done = subprocess.run([sys.executable, "-m", "fpdesk", "roster", "import", str(path), "--db", location,
                           "--year", "2024", "--dry-run", "--json"], capture_output=True, text=True, timeout=240)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])  # a crash gives a negative code
    assert "file_too_large" in done.stderr and limit in done.stderr


@pytest.mark.parametrize("tag", ["row", "x:row", "row\t"])
def test_a_far_row_is_refused_however_its_tag_is_written(tmp_path, tag):
    """The bounds scan reads a chunk without a prefixed row tag with the plain pattern (excel/bounds.py):
    a row far down is refused written plainly, with a namespace prefix, or with a tab after the name."""
    far = f'<{tag} r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x</t></is></c></{tag.strip()}>'
    path = _with_sheet(write_roster(tmp_path / "good.xlsx", good_rows()), tmp_path / "far.xlsx",
                       lambda data: data.replace(b"</sheetData>", far.encode() + b"</sheetData>"))
    with pytest.raises(DomainError) as caught:
        open_roster(path)
    assert caught.value.code == "file_too_large" and "2000000000" in caught.value.message_zh


def test_a_zip_of_a_version_python_cannot_read_is_refused_as_damaged(tmp_path):
    """The fuzz run's find: a flipped 'version needed' byte made the zip reader raise
    NotImplementedError while the program sniffed the file's kind, a traceback instead of a refusal."""
    data = bytearray(write_roster(tmp_path / "good.xlsx", good_rows()).read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 245  # version needed to extract: 24.5
    path = tmp_path / "version.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(DomainError) as caught:
        book = open_roster(path)
        for _row in book.rows(book.sheet_names[0]):
            pass
    assert caught.value.code == "unreadable_file"


# ---- fuzzing the roster reader ------------------------------------------------------------------------

_cell_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_cell = st.one_of(_cell_text, st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.none())
_ref = st.tuples(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4), st.integers(0, 3 * 10**9))


def _sheet_xml(rows: list[list], refs: list[tuple[str, int]]) -> bytes:
    from xml.sax.saxutils import escape

    parts = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>']
    for number, row in enumerate(rows, start=1):
        parts.append(f'<row r="{number}">')
        for column, value in enumerate(row):
            ref = f"{chr(65 + column)}{number}"
            if isinstance(value, str):
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            elif value is not None:
                parts.append(f'<c r="{ref}"><v>{value}</v></c>')
        parts.append("</row>")
    for letters, number in refs:
        parts.append(f'<row r="{number}"><c r="{letters}{number}"><v>1</v></c></row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def roster_bytes(tmp_path_factory) -> bytes:
    return write_roster(tmp_path_factory.mktemp("base") / "base.xlsx", good_rows()).read_bytes()


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="each case runs in a forked child")
@FUZZ
@given(rows=st.lists(st.lists(_cell, max_size=8), max_size=12), refs=st.lists(_ref, max_size=2),
       flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=3))
def test_fuzzed_rosters_are_read_or_refused(tmp_path, roster_bytes, rows, refs, flips):
    source = zipfile.ZipFile(io.BytesIO(roster_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info.filename, _sheet_xml(rows, refs) if info.filename == "xl/worksheets/sheet1.xml" else data)
    data = bytearray(buffer.getvalue())
    for position, value in flips:
        data[position % len(data)] = value
    path = tmp_path / "fuzzed.xlsx"
    path.write_bytes(bytes(data))
    outcome = _in_child(path)  # a native abort must fail this example, not end the test run
    if outcome != "ok":
        kept = Path(tempfile.gettempdir()) / f"fpdesk-fuzz-{outcome}.xlsx"  # to reproduce it by hand
        kept.write_bytes(bytes(data))
    assert outcome == "ok", f"{outcome}: kept as {kept}"


def _in_child(path: Path) -> str:
    """Read the roster in a forked child: ok (read or refused with a DomainError), error, or crash."""
    import os

    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            book = open_roster(path)
            for _row in book.rows(book.sheet_names[0]):
                pass
        except DomainError:
            code = 0
        except BaseException:
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return "crash"
    return "ok" if os.WEXITSTATUS(status) == 0 else "error"


# ---- fuzzing the package reader -----------------------------------------------------------------------

_json = st.recursive(st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=12)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("offices")
    offices = Offices(folder)
    county = offices.county()
    township = offices.pair(county, "350421200", "township", "城关乡计生协")
    yield offices, county, township, folder
    offices.close()


@FUZZ
@given(header=st.dictionaries(st.sampled_from(["sender", "recipient", "channel_seq", "join", "package_id"]), _json,
                              max_size=2),
       manifest=st.one_of(st.none(), _json), lines=st.lists(st.one_of(_json.map(json.dumps).map(str.encode),
                                                                      st.binary(max_size=40)), max_size=3))
def test_fuzzed_packages_signed_by_a_paired_office_are_refused_cleanly(pair, header, manifest, lines):
    _offices, county, township, folder = pair
    before = dump(county)
    try:
        path = forge(township, county, folder, header=header, manifest=manifest, lines=lines or None)
    except (TypeError, ValueError, KeyError, AttributeError):
        return  # the forger itself cannot build it: nothing to import
    try:
        import_package(county, path)
    except DomainError:
        assert dump(county) == before
        return
    # accepted: only an untouched genuine package gets here, and it changed only what it carried


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=4),
       cut=st.integers(0, 10**7))
def test_damaged_packages_are_refused_cleanly(pair, flips, cut):
    _offices, county, township, folder = pair
    data = bytearray(forge(township, county, folder, name="genuine.fpsync").read_bytes())
    for position, value in flips:
        data[position % len(data)] ^= value or 1
    if cut % 3 == 0:
        data = data[: cut % len(data)]
    path = folder / "damaged.fpsync"
    path.write_bytes(bytes(data))
    before = dump(county)
    with pytest.raises(DomainError) as caught:
        import_package(county, path)
    assert caught.value.code.startswith(("package_", "not_a_package"))
    assert dump(county) == before
