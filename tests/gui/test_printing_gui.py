"""The printing screen, its background batch job (progress, cancel), the preview with "save as",
the verify dialog fed like a USB scanner, and one real print job through CUPS to cups-pdf."""

import datetime as dt
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import select

from fpdesk.gui.dialogs.print_preview import PrintPreviewDialog
from fpdesk.gui.dialogs.verify_dialog import VerifyDialog
from fpdesk.gui.ops import BackgroundOp, shutdown_workers, worker_pool
from fpdesk.gui.screens.printing import CERTIFICATES, RECEIPTS, PrintingScreen
from fpdesk.services.printouts import jobs as printouts
from fpdesk.services.printouts.data import Selection
from tests.printing.pdf_checks import decode_qr, needs, render

D = dt.date
QUEUE = "FpdeskPDF"


@pytest.fixture
def enrolled_village(village_workspace):
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.services.enrollment.status import record_payment
    from fpdesk.storage.schema import Household
    from fpdesk.storage.schema_enrollment import Enrollment

    with village_workspace.read() as session:
        ids = list(session.scalars(select(Household.id)))
    enroll_households_bulk(village_workspace, product="fp_family_accident_100", year=2025, household_ids=ids,
                           on=D(2025, 3, 1), today=D(2025, 3, 1),
                           form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    with village_workspace.read() as session:
        self_paid = session.execute(select(Enrollment.id, Enrollment.premium_fen)
                                    .where(Enrollment.payer_type == "self").limit(2)).all()
    for enrollment_id, premium in self_paid:
        record_payment(village_workspace, enrollment_id, amount_fen=premium, paid_on=D(2025, 3, 5), today=D(2025, 3, 5))
    from fpdesk.services.enrollment.allocations import allocate

    # the government's households are covered once the township's allocation is in (proof of cover)
    allocate(village_workspace, payer="government", voucher_no="城财2025-1", on=D(2025, 3, 5), today=D(2025, 3, 5),
             product="fp_family_accident_100", year=2025)
    return village_workspace


def choose(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def test_a_batch_opens_in_the_preview_and_is_logged(qtbot, chinese_app, enrolled_village, tmp_path):
    screen = PrintingScreen(enrolled_village, today=D(2025, 3, 5))
    qtbot.addWidget(screen)
    screen.year.setValue(2025)
    choose(screen.kind, CERTIFICATES)
    choose(screen.scope, "350421200201")
    choose(screen.paper, "A5")
    qtbot.mouseClick(screen.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.preview is not None, timeout=30000)
    preview = screen.preview
    assert screen.result.documents > 5 and preview.document.pageCount() == screen.result.pages
    assert screen.history.rowCount() == screen.result.documents
    copy = preview.save_as(str(tmp_path / "copy"))
    assert copy == tmp_path / "copy.pdf" and copy.read_bytes() == Path(screen.result.path).read_bytes()
    preview.close()

    screen.preview = None
    screen.only_new.setChecked(True)  # everything was printed just now: nothing left
    screen.generate()
    qtbot.waitUntil(lambda: screen.generate_button.isEnabled(), timeout=30000)
    assert screen.preview is None and "没有符合条件的参保凭证" in screen.status.text()

    choose(screen.kind, RECEIPTS)
    screen.only_new.setChecked(True)  # today's receipts
    screen.generate()
    qtbot.waitUntil(lambda: screen.preview is not None, timeout=30000)
    assert screen.result.documents == 2 and screen.result.kind == "receipt"
    screen.preview.close()
    shutdown_workers()


def test_cancelling_a_batch_leaves_nothing(qtbot, chinese_app, enrolled_village):
    screen = PrintingScreen(enrolled_village, today=D(2025, 3, 5))
    qtbot.addWidget(screen)
    screen.year.setValue(2025)
    before = set(screen.output_dir.iterdir())  # the program's one folder for printouts (its lock file)
    gate = threading.Event()
    blocker = BackgroundOp(None, lambda progress: gate.wait(10)).run()  # the one worker is busy
    op = screen.generate()
    op.cancel()  # pressed before the job got the worker: its first progress check stops it
    gate.set()
    qtbot.waitUntil(lambda: op not in BackgroundOp.running and blocker not in BackgroundOp.running, timeout=30000)
    worker_pool().waitForDone()
    assert screen.result is None and set(screen.output_dir.iterdir()) == before
    assert printouts.print_history(enrolled_village) == []
    shutdown_workers()


@needs("pdftoppm", "zbarimg")
def test_the_verify_dialog_takes_a_scanned_code(qtbot, chinese_app, enrolled_village, tmp_path):
    result = printouts.print_certificates(enrolled_village, out=tmp_path / "c.pdf", selection=Selection(year=2025))
    [payload] = decode_qr(render(tmp_path / "c.pdf", tmp_path / "page"))
    dialog = VerifyDialog(enrolled_village)
    qtbot.addWidget(dialog)
    assert not dialog.field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)  # no pinyin in the way
    qtbot.keyClicks(dialog.field, payload)  # a keyboard-wedge scanner types, then presses Enter
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.last.verdict == "genuine" and dialog.verdict.text().startswith("真实")
    assert result.numbers[0] in dialog.details.text()
    dialog.field.setText(payload.replace(".2025-", ".2024-"))
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.last.verdict == "altered" and "已被改动" in dialog.verdict.text()


def cups_pdf_output() -> Path:
    """Where cups-pdf writes a job of this user (its Out setting; Debian: ${HOME}/PDF)."""
    out = "/var/spool/cups-pdf/${USER}"
    config = Path("/etc/cups/cups-pdf.conf")
    if config.exists():
        for line in config.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip().startswith("Out "):
                out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", str(Path.home())).replace("${USER}", os.environ.get("USER", "root")))


@pytest.fixture
def cups_pdf_queue():
    """A CUPS queue printing to cups-pdf; cupsd is started here if it is not running (CI starts it in
    .ci/run). Without CUPS the test is skipped locally; CI sets FPDESK_REQUIRE_CUPS=1 to fail instead."""
    def unavailable(reason):
        if os.environ.get("FPDESK_REQUIRE_CUPS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)

    if not shutil.which("lpstat") or not Path("/usr/lib/cups/backend/cups-pdf").exists():
        unavailable("CUPS with cups-pdf is not installed (Debian packages cups, cups-pdf)")
    if subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.strip() != "scheduler is running":
        if os.geteuid() != 0 or not shutil.which("cupsd"):
            unavailable("cupsd is not running and cannot be started by this user")
        subprocess.run(["cupsd"], capture_output=True)
        for _ in range(50):
            if "scheduler is running" in subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout:
                break
            time.sleep(0.2)
        else:
            unavailable("cupsd did not start in this sandbox")
    if subprocess.run(["lpstat", "-p", QUEUE], capture_output=True).returncode != 0:
        ppd = next(iter(sorted(Path("/usr/share/ppd/cups-pdf").glob("CUPS-PDF_opt.ppd"))), None)
        command = ["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/"] + (["-P", str(ppd)] if ppd else [])
        made = subprocess.run(command, capture_output=True, text=True)
        if made.returncode != 0:
            unavailable(f"cannot add the cups-pdf queue: {made.stderr.strip()}")
    return QUEUE, cups_pdf_output()


@needs("pdftoppm", "zbarimg")
def test_a_certificate_goes_through_cups_to_cups_pdf(qtbot, chinese_app, cups_pdf_queue, tmp_path):
    from fpdesk.core import signed_payload
    from fpdesk.printing.certificate import write_certificates
    from tests.printing.test_layouts import certificate_doc

    queue, output = cups_pdf_queue
    private, public = signed_payload.new_private_key()
    doc = certificate_doc(private)
    pdf = tmp_path / "certificate.pdf"
    write_certificates([doc], pdf, paper="A4")
    before = set(output.glob("*.pdf")) if output.exists() else set()
    preview = PrintPreviewDialog(pdf)
    qtbot.addWidget(preview)
    printer = preview.new_printer()
    printer.setPrinterName(queue)
    assert printer.isValid() and printer.printerName() == queue
    printer.setDocName(f"fpdesk-test-{os.getpid()}")
    assert preview.print_to(printer)

    def arrived():  # cups-pdf names the file after the job's title
        return output.exists() and [p for p in set(output.glob(f"fpdesk-test-{os.getpid()}*.pdf")) - before
                                    if p.stat().st_size > 0]

    deadline = time.monotonic() + 60
    while not arrived() and time.monotonic() < deadline:
        qtbot.wait(200)
    [printed] = arrived()
    qtbot.wait(500)  # cups-pdf writes, then renames: let it finish
    reader = PdfReader(printed)
    assert len(reader.pages) == 1
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert abs(width_mm - 210) < 3  # A4 from the document's own paper size
    [scanned] = decode_qr(render(printed, tmp_path / "printed", dpi=200))
    assert scanned == doc.qr_payload and signed_payload.decode(scanned).verify(public)
    printed.unlink()


def test_the_continuous_receipt_form_is_printed_241_mm_wide_not_turned(qtbot, chinese_app, cups_pdf_queue, tmp_path):
    from fpdesk.printing.receipt import write_receipts
    from tests.printing.test_layouts import receipt_doc

    queue, output = cups_pdf_queue
    pdf = tmp_path / "receipt.pdf"
    write_receipts([receipt_doc()], pdf, paper="continuous")
    before = set(output.glob("*.pdf")) if output.exists() else set()
    preview = PrintPreviewDialog(pdf)
    qtbot.addWidget(preview)
    printer = preview.new_printer()
    printer.setPrinterName(queue)
    printer.setDocName(f"fpdesk-receipt-{os.getpid()}")
    assert preview.print_to(printer)
    deadline = time.monotonic() + 60
    def arrived():
        return output.exists() and set(output.glob(f"fpdesk-receipt-{os.getpid()}*.pdf")) - before

    while time.monotonic() < deadline and not arrived():
        qtbot.wait(200)
    [printed] = arrived()
    qtbot.wait(500)
    box = PdfReader(printed).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (241, 93)
    printed.unlink()
