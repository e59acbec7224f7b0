"""The faces every printout uses, embedded as subsets: WenQuanYi Micro Hei, then a fallback chain so
that every character of a name prints.

reportlab's built-in CID fonts (STSong-Light) are not embedded, so a PC without a Chinese font
prints them blank; Noto CJK's CFF outlines are refused by reportlab; Droid Sans Fallback lacks
digits. Micro Hei is TrueType with Latin, digits and CJK in one face (face 0 of the collection is the
proportional Micro Hei). It lacks what a rare name holds: CJK Extension A and B–H (𠮷野家 printed as
野家), Yi, and Latin letters of Vietnamese or of pinyin with tone marks. ``FALLBACKS`` lists, in order,
faces made by build/make_fallback_fonts.py from Debian's packages (licences beside them): each
character is drawn with the first face that has it, and each face is read only when a text needs it
(HanaMinB, Extensions B–F, is 30 MB). A character no face has is drawn as □, never left out.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from fpdesk.core.paths import font_path, resources_dir

FONT = "FpdeskMicroHei"
# A character the face lacks would print as an empty box; these stand in for symbols it lacks.
REPLACEMENTS = {"☐": "□"}
MISSING = "□"
# Latin Extended-A/B with combining marks, and Latin Extended Additional (Vietnamese)
_ACCENTED_LATIN = (0x0100, 0x036F, 0x1E00, 0x1EFF)
# (registered name, file in resources/fonts), tried in this order after Micro Hei.
FALLBACKS = (
    ("FpdeskNotoSans", "NotoSans-fallback.ttf"),  # Latin, Greek, Cyrillic letters Micro Hei lacks
    ("FpdeskHanaMinA", "HanaMinA-fallback.ttf"),  # CJK Extension A, compatibility ideographs, radicals
    ("FpdeskHanaMinB", "HanaMinB.ttf"),  # CJK Extensions B–F
    ("FpdeskBabelStone", "BabelStoneHan-fallback.ttf"),  # CJK Extensions G, H
    ("FpdeskNotoSansYi", "NotoSansYi-fallback.ttf"),  # Yi
)


@functools.cache
def register_fonts() -> str:
    """Register the primary face with reportlab once per process (reading the 5 MB file takes ~0.1 s).

    Also turns off reportlab's ASCII85 wrapping of compressed streams: it only makes a PDF 7-bit
    clean (nobody mails PDFs through 7-bit gateways any more), costs a quarter of the time of a
    certificate batch in pure Python, and makes the file 25 % larger. And a canvas starts every page
    in this face instead of reportlab's Helvetica, which is never embedded.
    """
    rl_config.useA85 = 0
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    rl_config.canvas_basefontname = FONT
    return FONT


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode map, with characters beyond U+FFFF written as UTF-16 (reportlab writes
    <20BB7>, which readers reject: 𠮷 could not be searched for or copied out of a printout)."""
    pairs = [f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar", *pairs, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end"])


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    """The characters a face can draw: in its character map and with an outline (Micro Hei maps ǚ and
    ǎ, pinyin's tone-marked vowels, to empty glyphs: they printed as nothing). Spaces have none."""
    face = pdfmetrics.getFont(name).face
    position = face.glyphPos
    return frozenset(code for code, glyph in face.charToGlyph.items()
                     if (glyph + 1 < len(position) and position[glyph + 1] > position[glyph]) or chr(code).isspace())


@functools.cache
def _fallback(index: int) -> str | None:
    """Register fallback face ``index`` on first need; None when its file is missing."""
    name, file = FALLBACKS[index]
    path = resources_dir() / "fonts" / file
    if not path.exists():
        return None
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@functools.cache  # the faces and their character maps are read once per process (above)
def face_for(char: str) -> str | None:
    """The first face of the chain that has ``char`` (None: no face has it)."""
    primary = register_fonts()
    code = ord(char)
    if _ACCENTED_LATIN[0] <= code <= _ACCENTED_LATIN[1] or _ACCENTED_LATIN[2] <= code <= _ACCENTED_LATIN[3]:
        latin = _fallback(0)  # Micro Hei's accented letters beyond Latin-1 are partly broken (ǖ: a bare macron)
        if latin is not None and code in _cmap(latin):
            return latin
    if code in _cmap(primary) or char in "\n\r\t":
        return primary
    for index in range(len(FALLBACKS)):
        name = _fallback(index)
        if name is not None and code in _cmap(name):
            return name
    return None


# A batch of certificates measures and draws the same labels, products and offices on every page,
# a character at a time through the face chain and reportlab's pure-Python width sum: remembered
# by text, the widths and runs cost a dict look-up (a third of a certificate's time). Bounded, as
# names and addresses differ on every page.
_REMEMBERED = 16_384


def runs(text: str) -> Iterator[tuple[str, str]]:
    """(face, text) runs of ``text``: each character in the first face that has it, □ for the rest."""
    return iter(_runs(text))


@functools.lru_cache(maxsize=_REMEMBERED)
def _runs(text: str) -> tuple[tuple[str, str], ...]:
    found = []
    current, chunk = None, []
    for char in text:
        face = face_for(char)
        if face is None:
            face, char = register_fonts(), MISSING
        if face != current and chunk:
            found.append((current, "".join(chunk)))
            chunk = []
        current = face
        chunk.append(char)
    if chunk:
        found.append((current, "".join(chunk)))
    return tuple(found)


@functools.lru_cache(maxsize=_REMEMBERED)
def _width(chunk: str, face: str, size: float) -> float:
    return pdfmetrics.stringWidth(chunk, face, size)


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` that no face of the chain has."""
    return [char for char in dict.fromkeys(text) if face_for(char) is None]


@functools.lru_cache(maxsize=_REMEMBERED)
def text_width(text: str, size: float) -> float:
    register_fonts()
    return sum(_width(chunk, face, size) for face, chunk in _runs(text))


# A batch prints the same labels, titles and notes at the same places on every page; reportlab
# formats each drawString in pure Python (a third of a certificate's time). The operators one draws
# depend only on the face, size, place and text, and on the glyph codes the document's font subsets
# gave its characters on first use, which stay for the document: so a canvas remembers what each
# (face, size, x, y, text) wrote and writes it again. Bounded: names differ on every page.
_DRAWN_PER_CANVAS = 8_192


def draw_runs(canvas, x: float, y: float, text: str, size: float) -> None:
    """Draw ``text`` from ``x`` at baseline ``y``, switching faces between runs."""
    drawn = canvas.__dict__.setdefault("_fpdesk_drawn", {})
    for face, chunk in _runs(text):
        canvas.setFont(face, size)
        key = (face, size, x, y, chunk)
        code = drawn.get(key)
        if code is None:
            canvas.drawString(x, y, chunk)
            if len(drawn) < _DRAWN_PER_CANVAS:
                drawn[key] = canvas._code[-1]  # drawString appends its text object as one string
        else:
            canvas._code.append(code)
        x += _width(chunk, face, size)


def fit_text(text: str, size: float, width: float, *, min_size: float = 5.0) -> float:
    """The largest font size ≤ ``size`` (down to ``min_size``) at which ``text`` fits ``width``."""
    needed = text_width(text, size)
    if needed <= width or needed == 0:
        return size
    return max(min_size, size * width / needed)


def wrap_text(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text into lines that fit ``width`` (any character may end a line, except
    that closing punctuation stays with the character before it)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        line_width = 0.0
        for char in paragraph:
            char_width = text_width(char, size)
            if line and line_width + char_width > width and char not in "，。、；：）」』,.;:)":
                lines.append(line)
                line, line_width = char, char_width
            else:
                line += char
                line_width += char_width
        lines.append(line)
    return lines
