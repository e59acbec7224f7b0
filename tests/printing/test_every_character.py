"""Every character of a name prints, every face a printout uses is embedded, and a long name stays in
its cell; exported cells that a spreadsheet would read as formulas are neutralised.

Names from the rolls offices keep: rare characters of CJK Extensions A–H (𠮷 is Extension B),
Vietnamese brides' names in Guangxi, pinyin with tone marks, Yi and Cyrillic."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.printing import drawing
from fpdesk.printing.fonts import missing_glyphs, runs
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.printouts import jobs as printouts
from fpdesk.services.printouts.data import Selection
from fpdesk.services.registry import households as hh

NAMES = {
    "Extension B": "𠮷野家",
    "Extension A": "林㐀㙟",
    "Extension C": "张\U0002A700\U0002A701",
    "Extension D": "王\U0002B740",
    "Extension E": "李\U0002B820",
    "Extension F": "陈\U0002CEB0",
    "Extension G": "刘\U00030000\U00030001",
    "Extension H": "黄\U00031350",
    "compatibility": "金\uF900",
    "Vietnamese": "Nguyễn Thị Hằng",
    "pinyin": "Lǚ Xiǎomíng Lǖ",
    "Yi": "ꀀꀁꀂ",
    "Cyrillic": "Иванов Пётр",
}


@pytest.mark.parametrize("script", sorted(NAMES))
def test_every_character_has_a_face(script):
    assert missing_glyphs(NAMES[script]) == []


def test_the_check_can_fail():
    assert missing_glyphs("林\uE000") == ["\uE000"]  # a private-use character no face has
    assert [chunk for _face, chunk in runs("林\uE000")] == ["林□"]  # drawn as a box, never left out


def _embedded(path) -> list[str]:
    """Names of fonts in the PDF that are not embedded."""
    bare = []
    for page in PdfReader(path).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else None
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bare.append(str(font.get("/BaseFont")))
    return bare


@pytest.fixture
def rare_household(workspace):
    members = [PersonDraft(NAMES["Extension B"], make_number("350421", dt.date(1980, 1, 1), 17), Relation.HEAD)]
    for index, script in enumerate(("Extension A", "Extension G", "Vietnamese", "Yi")):
        members.append(PersonDraft(NAMES[script], make_number("350421", dt.date(2001 + index, 2, 2), 30 + index * 2),
                                   Relation.SON if index % 2 else Relation.DAUGHTER))
    members.append(PersonDraft("长" * 50, make_number("350421", dt.date(1990, 5, 5), 91), Relation.OTHER))
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组17号",
                           categories=frozenset({HouseholdCategory("other_fp")}))
    household = hh.register_household(workspace, draft, members, today=dt.date(2026, 1, 1)).primary_id
    on = dt.date(2026, 3, 1)
    result = enroll(workspace, product="fp_family_accident_100", year=2026, household_id=household, on=on, today=on,
                    consent_by=NAMES["Extension B"], form_values={"health_declaration": "是", "beneficiary_type": "法定"})
    status.record_payment(workspace, result.enrollment_id, amount_fen=result.premium_fen, paid_on=on, today=on)
    return workspace


def test_printouts_print_rare_names_and_embed_every_face(rare_household, tmp_path):
    certificate, roster = tmp_path / "certificate.pdf", tmp_path / "roster.pdf"
    printouts.print_certificates(rare_household, out=certificate, selection=Selection(year=2026))
    printouts.print_roster(rare_household, out=roster, selection=Selection(year=2026))
    for path in (certificate, roster):
        assert _embedded(path) == [], path.name
    text = "".join(page.extract_text() for page in PdfReader(roster).pages)
    for script in ("Extension B", "Extension A", "Extension G", "Vietnamese", "Yi"):
        assert NAMES[script] in text.replace("\n", ""), script


class _Recording(Canvas):
    """A real canvas that also remembers where each string was drawn and whether a clip was set."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.drawn: list[tuple[float, float]] = []
        self.clipped = False

    def drawString(self, x, y, text, *args, **kwargs):
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.drawn.append((x, x + stringWidth(text, self._fontname, self._fontsize)))
        return super().drawString(x, y, text, *args, **kwargs)

    def clipPath(self, *args, **kwargs):
        self.clipped = True
        return super().clipPath(*args, **kwargs)


def test_a_300_character_name_wraps_inside_its_cell(tmp_path):
    canvas = _Recording(str(tmp_path / "cell.pdf"))
    left, width = 100.0, 60.0
    drawing.cell_text(canvas, left, 200, width, 20, "长" * 300, 9)
    assert len(canvas.drawn) > 1  # wrapped onto lines, not one line over the next cells
    assert all(left <= start and end <= left + width for start, end in canvas.drawn)
    assert canvas.clipped  # what the cell cannot hold is cut at its border, never drawn over the next row
    canvas = _Recording(str(tmp_path / "short.pdf"))
    drawing.cell_text(canvas, left, 200, width, 20, "林国华", 9)
    assert len(canvas.drawn) == 1 and not canvas.clipped
