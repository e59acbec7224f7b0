"""Printing jobs on SQLite and PostgreSQL: numbers, signed QR codes, the print log, reprints and voids.

A family of three enrolled and paid in a past season (dates in 2025, so the window is not in the way).
"""

import datetime as dt

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from fpdesk.core import signed_payload
from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.progress import Cancelled, Progress
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.enrollment.status import void_payment
from fpdesk.services.printouts import jobs as printouts
from fpdesk.services.printouts.data import Selection
from fpdesk.services.registry import households as hh
from fpdesk.services.trust.office_keys import ALTERED, GENUINE, MALFORMED, UNKNOWN_OFFICE, verify_payload
from fpdesk.storage.schema_printing import OfficeKey, PrintLog
from tests.printing.pdf_checks import FULL_ID, decode_qr, needs, pdf_text, render

D = dt.date
HEAD = make_number("350421", D(1980, 1, 1), 13)
SPOUSE = make_number("350421", D(1982, 3, 15), 12)
CHILD = make_number("350421", D(2010, 6, 1), 21)
FIELDS = {"health_declaration": True, "beneficiary_type": "statutory"}
SEASON = Selection(year=2025)


@pytest.fixture
def family(workspace):
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组8号",
                           categories=frozenset({HouseholdCategory.OTHER_FP}))
    hh.register_household(workspace, draft, [
        PersonDraft("林国华", HEAD, Relation.HEAD, phone="13812345678"),
        PersonDraft("陈秀英", SPOUSE, Relation.SPOUSE),
        PersonDraft("林小明", CHILD, Relation.SON)], today=D(2025, 1, 1))
    result = enroll(workspace, product="fp_family_accident_100", year=2025, head_id_number=HEAD, on=D(2025, 3, 1),
                    today=D(2025, 3, 1), consent_by="林国华", form_values=FIELDS, pay_fen=10000, collector="王会计")
    return result


def log_rows(workspace, kind):
    with workspace.read() as session:
        return session.scalars(select(PrintLog).where(PrintLog.kind == kind).order_by(PrintLog.printed_at,
                                                                                       PrintLog.reprint)).all()


@needs("pdftoppm", "zbarimg")
def test_a_certificate_states_the_family_and_its_qr_verifies(workspace, family, tmp_path):
    out = tmp_path / "certificates.pdf"
    result = printouts.print_certificates(workspace, out=out, selection=SEASON, today=D(2025, 3, 5))
    assert (result.pages, result.numbers, result.reprints) == (1, ["350421200-2025-000001"], 0)
    text = pdf_text(out)
    for expected in ("林国华", "陈秀英", "林小明", HEAD[:6] + "********" + HEAD[14:], "罗翠村3组8号",
                     "2025年03月02日零时起至2026年03月01日二十四时止", "¥100.00", "壹佰元整", "自主投保",
                     "¥66,666.67（均分）", "¥66,666.66（均分）", "¥14,000.00（3人共享）", "城关乡计生协"):
        assert expected in text, expected
    assert not FULL_ID.search(text)
    [payload] = decode_qr(render(out, tmp_path / "page"))
    verdict = verify_payload(workspace, payload)
    assert verdict.verdict == GENUINE, verdict.as_dict()
    assert verdict.claims["number"] == "350421200-2025-000001"
    assert verdict.claims["holder"] == HEAD[:6] + "********" + HEAD[14:]
    assert verdict.record["status"] == "paid"
    changed = payload.replace("20260301", "20270301")
    assert verify_payload(workspace, changed).verdict == ALTERED
    assert verify_payload(workspace, payload[:40]).verdict == MALFORMED
    assert verify_payload(workspace, payload.replace("FP1.C.350421200.1.", "FP1.C.350421201.1.")).verdict == UNKNOWN_OFFICE
    [row] = log_rows(workspace, "certificate")
    assert (row.number, row.printed_by, row.reprint, row.subject_id) == (
        "350421200-2025-000001", "tester", False, family.enrollment_id)


def test_a_second_print_is_a_reprint_with_the_same_number_and_first_date(workspace, family, tmp_path):
    first = printouts.print_certificates(workspace, out=tmp_path / "a.pdf", selection=SEASON, today=D(2025, 3, 5))
    again = printouts.print_certificates(workspace, out=tmp_path / "b.pdf", selection=SEASON, paper="A5",
                                         today=D(2025, 6, 1))
    assert again.numbers == first.numbers and again.reprints == 1
    text = pdf_text(tmp_path / "b.pdf")
    assert "补打（2025年06月01日）" in text and "出具日期：2025年03月05日" in text
    assert [r.reprint for r in log_rows(workspace, "certificate")] == [False, True]
    with pytest.raises(DomainError) as refused:
        printouts.print_certificates(workspace, out=tmp_path / "c.pdf", selection=SEASON, unprinted_only=True)
    assert refused.value.code == "nothing_to_print"
    assert not (tmp_path / "c.pdf").exists()
    with workspace.read() as session:  # one key, created on first need, private half kept here only
        assert session.scalar(select(func.count()).select_from(OfficeKey)) == 1


def test_receipt_reprint_and_void_keep_the_number(workspace, family, tmp_path):
    receipt_no = family.receipt_no
    first = printouts.print_receipts(workspace, out=tmp_path / "r1.pdf", selection=SEASON, today=D(2025, 3, 1))
    assert first.numbers == [receipt_no] and first.reprints == 0
    text = pdf_text(tmp_path / "r1.pdf")
    assert "¥100.00" in text and "人民币壹佰元整" in text and "王会计" in text and "林国华、陈秀英、林小明" in text
    assert "补打" not in text
    void_payment(workspace, receipt_no, reason="收错户", on=D(2025, 3, 2), today=D(2025, 3, 2))
    again = printouts.print_receipts(workspace, out=tmp_path / "r2.pdf", selection=SEASON, paper="continuous",
                                     receipt_numbers=[receipt_no], today=D(2025, 3, 9))
    assert again.numbers == [receipt_no] and (again.reprints, again.voided) == (1, 1)
    text = pdf_text(tmp_path / "r2.pdf")
    assert receipt_no in text and "补打" in text and "开具日期：2025年03月01日" in text
    assert "收错户" in text and "作" in text and "废" in text
    assert [r.reprint for r in log_rows(workspace, "receipt")] == [False, True]
    todays = printouts.print_receipts(workspace, out=tmp_path / "r3.pdf", selection=Selection(), paid_on=D(2025, 3, 1))
    assert todays.numbers == [receipt_no]


def test_roster_lists_every_insured_person_with_totals_by_payer(workspace, family, tmp_path):
    out = tmp_path / "roster.pdf"
    result = printouts.print_roster(workspace, out=out, selection=Selection(year=2025, scope="350421200201"))
    assert result.numbers == ["350421200-2025-000001"] and result.pages == 1
    text = pdf_text(out)
    for expected in ("罗翠村 2025年度 计划生育家庭意外伤害保险 花名册", "林国华", "陈秀英", "林小明", "138****5678",
                     "其他计生家庭", "周岁", "本页小计：3 人，保费 ¥100.00", "合计：3 人，保费 ¥100.00",
                     "自主投保：3 人", "填报单位（盖章）：城关乡计生协"):
        assert expected in text, expected
    assert not FULL_ID.search(text) and "1980-01" not in text  # ages beside masked ID numbers, never birth dates
    [row] = log_rows(workspace, "roster")
    assert row.details["persons"] == 3 and row.details["premium_fen"] == 10000
    with pytest.raises(DomainError):
        printouts.print_roster(workspace, out=tmp_path / "none.pdf", selection=Selection(year=2025, scope="350421200202"))


def test_a_cancelled_job_leaves_no_file_no_number_and_no_log(workspace, family, tmp_path):
    cancel = Progress(cancel_requested=lambda: True)
    folder = tmp_path / "out"
    with pytest.raises(Cancelled):
        printouts.print_certificates(workspace, out=folder / "x.pdf", selection=SEASON, progress=cancel)
    assert list(folder.iterdir()) == []
    assert log_rows(workspace, "certificate") == []
    result = printouts.print_certificates(workspace, out=folder / "y.pdf", selection=SEASON)
    assert result.numbers == ["350421200-2025-000001"]  # the cancelled job gave its number back
    assert len(PdfReader(folder / "y.pdf").pages) == 1


def test_keys_of_other_offices_can_be_registered(workspace, family, tmp_path):
    from fpdesk.services.trust.office_keys import public_keys, register_public_key

    private, public = signed_payload.new_private_key()
    claims = signed_payload.certificate_claims(office_code="350421201", key_number=1, number="350421201-2025-000009",
                                               product="fp_family_accident_100", period_start=D(2025, 3, 2),
                                               period_end=D(2026, 3, 1), holder_id_number=None)
    payload = signed_payload.encode(claims, private)
    assert verify_payload(workspace, payload).verdict == UNKNOWN_OFFICE
    register_public_key(workspace, office_code="350421201", key_number=1, public_key=public)
    assert verify_payload(workspace, payload).verdict == GENUINE
    assert [k["source"] for k in public_keys(workspace)] == ["registered"]
    with pytest.raises(DomainError):
        register_public_key(workspace, office_code="350421201", key_number=1, public_key=b"\0" * 32)


def test_the_receipt_names_the_collector_by_her_real_name(workspace, tmp_path):
    """The receipt's 收款人 was the log-in name (luoxm), not the account's 姓名 (罗秀梅)."""
    from fpdesk.services.trust.accounts import add_user

    add_user(workspace, name="luoxm", password="mima-2026-08", role="admin", display_name="罗秀梅")
    assert workspace.author == "luoxm"  # the first administrator is logged in
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组9号",
                           categories=frozenset({HouseholdCategory.OTHER_FP}))
    hh.register_household(workspace, draft, [PersonDraft("林国华", HEAD, Relation.HEAD)], today=D(2025, 1, 1))
    result = enroll(workspace, product="fp_family_accident_100", year=2025, head_id_number=HEAD, on=D(2025, 3, 1),
                    today=D(2025, 3, 1), consent_by="林国华", form_values=FIELDS, pay_fen=10000,
                    collector=workspace.author)  # what the enrollment screen passes
    printouts.print_receipts(workspace, out=tmp_path / "r.pdf", selection=SEASON, receipt_numbers=[result.receipt_no],
                             today=D(2025, 3, 1))
    text = pdf_text(tmp_path / "r.pdf")
    assert "收款人：罗秀梅" in text and "luoxm" not in text
