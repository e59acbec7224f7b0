"""A batch of certificates draws what repeats from page to page (labels, titles, notes, cells) once
per PDF and writes the remembered operators again: the same file as drawing every page afresh."""

import dataclasses
import datetime as dt

import pytest
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from fpdesk.core import signed_payload as sp
from fpdesk.printing import certificate, fonts
from fpdesk.printing.certificate import write_certificates
from fpdesk.printing.documents import InsuredLine
from tests.printing.test_layouts import certificate_doc, family_sums


@pytest.fixture(scope="module")
def private():
    return sp.new_private_key()[0]


def batch(private, count):
    """Certificates that differ as a village's do: number, head, members, a reprint, a cancelled one,
    a household too large for the table, an address too long for its cell."""
    first = certificate_doc(private)
    docs = []
    for index in range(count):
        doc = dataclasses.replace(first, number=f"350421200-2025-{index + 1:06d}", head_name=f"张{'建国明华'[index % 4]}")
        if index % 5 == 1:
            doc = dataclasses.replace(doc, reprinted_on=dt.date(2025, 6, 1), status_note="已退保")
        if index % 5 == 2:
            doc = dataclasses.replace(doc, insured=doc.insured + tuple(
                InsuredLine(f"王{n}", "子", "350421********0031", family_sums(9)) for n in range(6)))
        if index % 5 == 3:
            doc = dataclasses.replace(doc, address="明溪县城关乡罗翠村" * 8)
        docs.append(doc)
    return docs


def test_a_batch_draws_the_texts_its_pages_share_once(tmp_path, private, monkeypatch):
    calls = []
    original = Canvas.drawString
    monkeypatch.setattr(Canvas, "drawString", lambda canvas, *a, **k: calls.append(a[2]) or original(canvas, *a, **k))
    same = dataclasses.replace(certificate_doc(private), head_name="张建国")
    write_certificates([same], tmp_path / "one.pdf")
    one_page = len(calls)
    calls.clear()
    # ten pages that differ only in their number: the rest of each page was drawn on the first
    write_certificates([dataclasses.replace(same, number=f"350421200-2025-{n:06d}") for n in range(10)],
                       tmp_path / "ten.pdf")
    assert one_page > 30
    assert len(calls) <= one_page + 9 * 2, calls[one_page:]


def test_remembered_drawing_writes_the_same_file_as_drawing_afresh(tmp_path, private, monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation date or random file ID
    docs = batch(private, 12)
    for paper in ("A4", "A5"):
        write_certificates(docs, tmp_path / f"remembered-{paper}.pdf", paper=paper)
    with monkeypatch.context() as afresh:
        afresh.setattr(fonts, "_DRAWN_PER_CANVAS", 0)
        afresh.setattr(certificate, "rect", lambda canvas, *a, **k: canvas.rect(*a, **k))
        for paper in ("A4", "A5"):
            write_certificates(docs, tmp_path / f"afresh-{paper}.pdf", paper=paper)
    for paper in ("A4", "A5"):
        assert (tmp_path / f"remembered-{paper}.pdf").read_bytes() == (tmp_path / f"afresh-{paper}.pdf").read_bytes()


def test_a_text_remembered_at_one_size_is_drawn_afresh_at_another(tmp_path):
    face = fonts.register_fonts()
    canvas = Canvas(str(tmp_path / "sizes.pdf"))
    for size in (10, 20, 10):
        fonts.draw_runs(canvas, 50, 700, "参保凭证 No.1", size)
    sizes = [code.split(" Tf")[0].rsplit(" ", 1)[-1] for code in canvas._code if " Tf" in code]
    assert sizes == ["10", "20", "10"]
    assert canvas._code[-1] is canvas._code[-3]  # remembered, not formatted again
    assert canvas._code[-1] != canvas._code[-2]
    assert canvas._fontname == face and canvas._fontsize == 10
