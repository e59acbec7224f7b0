"""The one font every printout uses: WenQuanYi Micro Hei from resources/fonts, embedded as a subset.

reportlab's built-in CID fonts (STSong-Light) are not embedded, so a PC without a Chinese font
prints them blank; Noto CJK's CFF outlines are refused by reportlab; Droid Sans Fallback lacks
digits. Micro Hei is TrueType with Latin, digits and CJK in one face. The file is a TrueType
collection: face 0 is the proportional Micro Hei (face 1 is the monospaced variant).
"""

from __future__ import annotations

import functools

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fpdesk.core.paths import font_path

FONT = "FpdeskMicroHei"
# A character the face lacks would print as an empty box; these stand in for symbols it lacks.
REPLACEMENTS = {"☐": "□"}


@functools.cache
def register_fonts() -> str:
    """Register the font with reportlab once per process (reading the 5 MB file takes ~0.1 s).

    Also turns off reportlab's ASCII85 wrapping of compressed streams: it only makes a PDF 7-bit
    clean (nobody mails PDFs through 7-bit gateways any more), costs a quarter of the time of a
    certificate batch in pure Python, and makes the file 25 % larger.
    """
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, register_fonts(), size)


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
        for char in paragraph:
            if line and text_width(line + char, size) > width and char not in "，。、；：）」』,.;:)":
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines
