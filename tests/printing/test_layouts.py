"""The layouts on their own: what the pages say, that their QR codes scan, that they look the same
without any Chinese font installed, and that a broken template is refused."""

import datetime as dt
import subprocess

import pytest
from PIL import Image, ImageChops

from fpdesk.core import signed_payload as sp
from fpdesk.printing.certificate import write_certificates
from fpdesk.printing.documents import (
    CertificateDoc,
    InsuredLine,
    ReceiptDoc,
    RosterRow,
    RosterSection,
    SumInsured,
)
from fpdesk.printing.receipt import write_receipts
from fpdesk.printing.roster import paginate, rows_per_page, write_roster
from fpdesk.printing.templates import TemplateError, parse_certificate_template
from tests.printing.pdf_checks import (
    FULL_ID,
    decode_qr,
    needs,
    no_system_fonts_env,
    page_count,
    pdf_text,
    render,
)

D = dt.date
HEAD_ID = "350421198001010017"


@pytest.fixture(scope="module")
def keys():
    return sp.new_private_key()


def family_sums(n):
    return (SumInsured("意外伤害身故/残疾", 20000000 // n, "equal_among_insured"),
            SumInsured("意外伤害医疗", 1400000, "shared_pool", n))


def certificate_doc(private, **changes):
    payload = sp.encode(sp.certificate_claims(
        office_code="350421200", key_number=1, number="350421200-2025-000017", product="fp_family_accident_100",
        period_start=D(2025, 3, 2), period_end=D(2026, 3, 1), holder_id_number=HEAD_ID), private)
    people = (InsuredLine("张建国", "户主", "350421********0017", family_sums(3)),
              InsuredLine("李秀英", "配偶", "350421********0026", family_sums(3)),
              InsuredLine("张小明", "子", "350421********0031", family_sums(3)))
    values = dict(number="350421200-2025-000017", office_name="城关乡计生协",
                  product_name="生育关怀—计划生育家庭意外伤害保险（100元版）", insurer="中国人寿保险股份有限公司明溪县支公司",
                  policy_number="PA2025-0001", period_start=D(2025, 3, 2), period_end=D(2026, 3, 1),
                  head_name="张建国", address="明溪县城关乡罗翠村12号", village="罗翠村", insured=people,
                  premium_fen=10000, payer_label="自主投保", issued_on=D(2025, 3, 5), qr_payload=payload)
    return CertificateDoc(**{**values, **changes})


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_certificate_pages_state_the_cover_with_masked_numbers(tmp_path, keys, paper):
    pdf = tmp_path / "certificate.pdf"
    assert write_certificates([certificate_doc(keys[0])], pdf, paper=paper) == 1
    text = pdf_text(pdf)
    for expected in ("参保凭证", "350421200-2025-000017", "张建国", "李秀英", "350421********0026", "PA2025-0001",
                     "2025年03月02日零时起至2026年03月01日二十四时止", "¥100.00", "壹佰元整",
                     "¥66,666.66（均分）", "¥14,000.00（3人共享）", "出具日期：2025年03月05日"):
        assert expected in text, expected
    assert not FULL_ID.search(text)


@needs("pdftoppm", "zbarimg")
def test_the_certificate_qr_scans_and_verifies(tmp_path, keys):
    pdf = tmp_path / "certificate.pdf"
    doc = certificate_doc(keys[0])
    write_certificates([doc], pdf, paper="A5")
    [scanned] = decode_qr(render(pdf, tmp_path / "page", dpi=150))
    assert scanned == doc.qr_payload
    assert sp.decode(scanned).verify(keys[1])


@needs("pdftoppm")
def test_pages_look_the_same_on_a_pc_without_chinese_fonts(tmp_path, keys):
    """The font is embedded: a renderer that knows no font draws the same pixels. As a control, a PDF
    with reportlab's non-embedded STSong-Light does change when the machine has a CJK font to lose."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "certificate.pdf"
    write_certificates([certificate_doc(keys[0])], pdf)
    receipt = tmp_path / "receipt.pdf"
    write_receipts([ReceiptDoc("350421200-2025-000003", "城关乡计生协", "张建国", "家庭意外伤害保险", ("张建国",), 10000,
                               "录入员", D(2025, 3, 1))], receipt, paper="continuous")
    env = no_system_fonts_env(tmp_path / "no-fonts")
    for source in (pdf, receipt):
        normal = Image.open(render(source, tmp_path / f"{source.stem}-normal", dpi=100)).convert("L")
        bare = Image.open(render(source, tmp_path / f"{source.stem}-bare", dpi=100, env=env)).convert("L")
        assert ImageChops.difference(normal, bare).getbbox() is None, source.name
        assert normal.getextrema()[0] < 50  # something dark was drawn at all

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    control = tmp_path / "stsong.pdf"
    canvas = Canvas(str(control))
    canvas.setFont("STSong-Light", 30)
    canvas.drawString(60, 700, "参保凭证 壹佰元整")
    canvas.save()
    has_cjk = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip()
    if has_cjk:
        normal = Image.open(render(control, tmp_path / "control-normal", dpi=100)).convert("L")
        bare = Image.open(render(control, tmp_path / "control-bare", dpi=100, env=env)).convert("L")
        assert ImageChops.difference(normal, bare).getbbox() is not None


def receipt_doc(**changes):
    values = dict(number="350421200-2025-000003", office_name="城关乡计生协", payer_name="张建国",
                  product_name="生育关怀—计划生育家庭意外伤害保险（100元版）", insured_names=("张建国", "李秀英"),
                  amount_fen=30550, collector="王会计", paid_on=D(2025, 3, 1))
    return ReceiptDoc(**{**values, **changes})


@pytest.mark.parametrize("paper", ["A5", "continuous"])
def test_receipts_in_figures_and_capitals_with_reprint_and_void_marks(tmp_path, paper):
    pdf = tmp_path / "receipts.pdf"
    docs = [receipt_doc(), receipt_doc(reprinted_on=D(2025, 4, 2)),
            receipt_doc(voided_on=D(2025, 3, 2), void_reason="金额写错")]
    assert write_receipts(docs, pdf, paper=paper) == 3
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == (210 if paper == "A5" else 241)
    first, reprint, void = (page.extract_text() for page in reader.pages)
    for text in (first, reprint, void):
        assert "No. 350421200-2025-000003" in text and "¥305.50" in text and "叁佰零伍元伍角" in text
        assert "开具日期：2025年03月01日" in text and "王会计" in text and "张建国、李秀英" in text
    assert "补打" not in first and "作" not in first.replace("工作", "")
    assert "补打" in reprint and "补打日期：2025年04月02日" in reprint
    assert "作" in void and "废" in void and "金额写错" in void


def roster_section(households=30):
    rows = []
    for h in range(households):
        for m, (name, relation) in enumerate((("户主甲", "户主"), ("配偶乙", "配偶"))):
            rows.append(RosterRow("城关乡", "罗翠村", "", f"户主{h}" if m == 0 else "",
                                  "350421********0017" if m == 0 else "", "其他计生家庭" if m == 0 else "", "",
                                  f"{name}{h}", "男", "1980-01", "350421********0017", relation, "138****5678",
                                  "计划生育家庭意外伤害保险", 1 if m == 0 else None, 10000 if m == 0 else None,
                                  "自费" if h % 3 else "政府", "村"))
    return RosterSection("罗翠村 2025年度 花名册", "350421200-2025-000001", "城关乡计生协", "罗翠村", "家庭意外伤害保险",
                         2025, tuple(rows), "", (("政府投保", 20, 100000), ("自主投保", 40, 200000)))


def test_roster_repeats_its_header_and_footer_and_totals_each_page(tmp_path):
    section = roster_section()
    pdf = tmp_path / "roster.pdf"
    pages = write_roster([section], pdf)
    assert pages == len(paginate(section.rows)) == page_count(pdf) >= 3
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(pdf).pages]
    for number, text in enumerate(texts, start=1):
        assert "户主身份证号" in text and "独生子女证号" in text and "缴费方式" in text  # the header
        assert "填报单位（盖章）" in text and "填报人" in text and "填报日期" in text  # the footer
        assert f"第 {number} 页 / 共 {pages} 页" in text and "本页小计" in text
    first_page_rows = rows_per_page()
    assert f"本页小计：{first_page_rows} 人" in texts[0]
    assert "合计：60 人，保费 ¥3,000.00" in texts[-1] and "政府投保：20 人" in texts[-1]
    assert not any(FULL_ID.search(t) for t in texts)


def test_a_template_with_a_typo_is_refused():
    import yaml

    from fpdesk.printing.templates import templates_dir

    data = yaml.safe_load((templates_dir() / "certificate.yaml").read_text(encoding="utf-8"))
    parse_certificate_template(data)
    data["fields"][0]["value"] = "ofice_name"
    with pytest.raises(TemplateError, match="fields\\[0\\]"):
        parse_certificate_template(data)
    del data["sizes"]["A5"]
    data["fields"][0]["value"] = "office_name"
    with pytest.raises(TemplateError, match="sizes"):
        parse_certificate_template(data)
