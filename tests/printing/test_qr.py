"""Our QR encoder (printing/qr.py: its own bit buffer and data placement) gives the modules of
reportlab's own encoder with the same mask, for texts of every size and kind of segment."""

from __future__ import annotations

import random
import string

import pytest
from reportlab.graphics.barcode import qrencoder

from fpdesk.printing.qr import ERROR_CORRECTION, FIXED_MASK, qr_matrix


def reportlab_matrix(text: str) -> list[list[bool]]:
    code = qrencoder.QRCode(None, ERROR_CORRECTION)
    code.addData(text)
    code.version = code.calculate_version()
    code.makeImpl(False, FIXED_MASK)
    return code.modules


ALPHABETS = (string.digits, string.ascii_uppercase + string.digits + " $%*+-./:", string.printable, "林国华张秀英abc123")


@pytest.mark.parametrize("alphabet", ALPHABETS)
def test_every_version_matches_reportlabs_encoder(alphabet):
    rng = random.Random(len(alphabet))
    versions = set()
    for length in [*range(1, 60), *range(60, 1300, 23)]:
        text = "".join(rng.choice(alphabet) for _ in range(length))
        try:
            expected = reportlab_matrix(text)
        except Exception:  # beyond version 40 at level M: both refuse
            with pytest.raises(ValueError):
                qr_matrix(text)
            continue
        assert qr_matrix(text) == expected, text
        versions.add(len(expected))
    assert len(versions) > 10


@pytest.mark.parametrize("length", [1, 40, 170, 400, 1200])
def test_the_drawn_rectangles_cover_exactly_reportlabs_dark_modules(length):
    """draw_qr's runs, read back from the operators it writes: no run crosses a row's end."""
    from reportlab.pdfgen.canvas import Canvas

    from fpdesk.printing.qr import draw_qr

    text = "".join(random.Random(length).choice(string.ascii_letters + string.digits) for _ in range(length))
    expected = reportlab_matrix(text)
    canvas = Canvas(None)
    draw_qr(canvas, text, 0, 0, 100)
    path = next(code for code in canvas._code if code.endswith(" f"))
    drawn = [[False] * len(expected) for _ in expected]
    numbers = [int(n) for n in path.replace("re", "").removesuffix(" f").split()]
    for column, top, width, height in zip(*[iter(numbers)] * 4, strict=True):
        assert height == 1 and column >= 0 and column + width <= len(expected)
        for offset in range(width):
            assert not drawn[-1 - top][column + offset]
            drawn[-1 - top][column + offset] = True
    assert drawn == expected
