"""Printing benchmark: 2,000 certificates with signed QR codes in one PDF, against bare reportlab.

    python -m tests.benchmarks.printing [--count 2000] [--job-households 2000] [--out DIR]

Each case runs in a fresh process (so its peak memory is its own) and prints one row:

- ``certificates``: our layout — tables, stamp area, an Ed25519-signed payload and a QR code drawn
  module by module — for ``--count`` families of 2–5 insured, into one PDF;
- ``bare reportlab``: the same strings in the same embedded font with drawString only (no lines,
  no QR, no signature), the floor any certificate layout could reach;
- ``reportlab QR widget``: our layout but with reportlab's own QrCodeWidget for the QR code
  (a tenth of the pages), to show what drawing the modules directly saves;
- ``service job``: ``print_certificates`` on a SQLite demo with ``--job-households`` enrolled
  households: reading, numbering, signing, the print log and the PDF, in one transaction.

Bars (docs/benchmarks.md): certificates ≤ 15 s for 2,000 and ≤ 300 MB. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import resource
import tempfile
import time
from pathlib import Path

from tests.benchmarks.standing import Standing, report

BAR_SECONDS, BAR_MB = 15.0, 300
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑"
GIVEN = "建国秀英小明丽华志强桂兰海燕春梅国庆玉兰家豪欣怡子涵宇轩"
RELATIONS = ("户主", "配偶", "子", "女", "父亲")


def _families(count: int, private_key: bytes):
    from fpdesk.core import signed_payload
    from fpdesk.core.idnumber import make_number, mask
    from fpdesk.printing.documents import CertificateDoc, InsuredLine, SumInsured

    rng = random.Random(7)
    for index in range(count):
        size = rng.randint(2, 5)
        people = []
        for member in range(size):
            number = make_number("350421", dt.date(1960 + rng.randint(0, 55), rng.randint(1, 12), rng.randint(1, 28)),
                                 rng.randint(0, 999))
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            sums = (SumInsured("意外伤害身故/残疾", 20000000 // size, "equal_among_insured"),
                    SumInsured("意外伤害医疗", 1400000, "shared_pool", size))
            people.append(InsuredLine(name, RELATIONS[min(member, 4)], mask(number), sums))
        certificate_no = f"350421200-2025-{index + 1:06d}"
        head_number = people[0].masked_id
        claims = signed_payload.certificate_claims(
            office_code="350421200", key_number=1, number=certificate_no, product="fp_family_accident_100",
            period_start=dt.date(2025, 3, 2), period_end=dt.date(2026, 3, 1), holder_id_number=head_number)
        yield CertificateDoc(
            number=certificate_no, office_name="城关乡计生协", product_name="生育关怀—计划生育家庭意外伤害保险（100元版）",
            insurer="中国人寿保险股份有限公司明溪县支公司", policy_number=None, period_start=dt.date(2025, 3, 2),
            period_end=dt.date(2026, 3, 1), head_name=people[0].name, address=f"明溪县城关乡罗翠村{index % 9 + 1}组{index}号",
            village="罗翠村", insured=tuple(people), premium_fen=10000, payer_label="自主投保",
            issued_on=dt.date(2025, 3, 5), qr_payload=signed_payload.encode(claims, private_key))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def case_certificates(count: int, folder: str) -> dict:
    from fpdesk.core import signed_payload
    from fpdesk.printing.certificate import write_certificates
    from fpdesk.printing.fonts import register_fonts

    register_fonts()
    private, _ = signed_payload.new_private_key()
    started = time.perf_counter()
    pages = write_certificates(_families(count, private), Path(folder) / "certificates.pdf")
    return {"pages": pages, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
            "size_mb": (Path(folder) / "certificates.pdf").stat().st_size / 1e6}


def case_bare(count: int, folder: str) -> dict:
    """The same strings, font and page count: text only."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from fpdesk.core import signed_payload
    from fpdesk.printing.certificate import describe_sum, field_values
    from fpdesk.printing.fonts import register_fonts
    from fpdesk.printing.templates import certificate_template

    font = register_fonts()
    template = certificate_template()
    private, _ = signed_payload.new_private_key()
    docs = list(_families(count, private))  # built before the clock: only the drawing is compared
    started = time.perf_counter()
    canvas = Canvas(str(Path(folder) / "bare.pdf"), pagesize=A4, pageCompression=1)
    for doc in docs:
        y = 800
        canvas.setFont(font, 11)
        strings = [template.title, template.subtitle, doc.number]
        strings += [f"{label} {field_values(doc)[key]}" for label, key in template.fields]
        for person in doc.insured:
            strings.append(f"{person.name} {person.relation} {person.masked_id} "
                           + " ".join(describe_sum(s) for s in person.sums))
        strings += [*list(template.notes), doc.office_name, doc.issued_on.isoformat()]
        for text in strings:
            canvas.drawString(40, y, text)
            y -= 16
        canvas.showPage()
    canvas.save()
    return {"pages": count, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
            "size_mb": (Path(folder) / "bare.pdf").stat().st_size / 1e6}


def case_widget(count: int, folder: str) -> dict:
    """Our layout with reportlab's QrCodeWidget in place of the direct drawing."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    from fpdesk.printing import certificate

    def widget_qr(canvas, text, x, y, size):
        widget = QrCodeWidget(text, barLevel="M")
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, x, y)

    certificate.draw_qr = widget_qr  # this process only
    return case_certificates(count, folder)


def case_service_job(households: int, folder: str) -> dict:
    from sqlalchemy import select

    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.printouts.data import Selection
    from fpdesk.services.printouts.jobs import print_certificates
    from fpdesk.storage.schema import Household

    workspace = open_workspace(str(Path(folder) / "job.sqlite3"))
    load_demo(workspace, persons=households * 7 // 2, seed=5)  # ~3.5 persons a household
    with workspace.read() as session:
        ids = list(session.scalars(select(Household.id).order_by(Household.id)))
    enroll_households_bulk(workspace, product="fp_family_accident_100", year=2025, household_ids=ids,
                           on=dt.date(2025, 3, 1), today=dt.date(2025, 3, 1),
                           form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    # A certificate is printed once the premium is in; the benchmark marks every premium received directly.
    from tests.benchmarks.received import mark_received

    mark_received(workspace)
    result = print_certificates(workspace, out=Path(folder) / "job.pdf", selection=Selection(year=2025))
    workspace.close()
    return {"pages": result.pages, "seconds": result.seconds, "peak_mb": _peak_mb(),
            "size_mb": (Path(folder) / "job.pdf").stat().st_size / 1e6}


def _child(case, argument, folder, queue) -> None:
    queue.put(case(argument, folder))


def run_case(case, argument: int) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    with tempfile.TemporaryDirectory() as folder:
        process = context.Process(target=_child, args=(case, argument, folder, queue))
        process.start()
        result = queue.get()
        process.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--job-households", type=int, default=2000)
    args = parser.parse_args(argv)

    rows = [("certificates (ours)", run_case(case_certificates, args.count)),
            ("bare reportlab, same text and font", run_case(case_bare, args.count)),
            ("certificates, reportlab QR widget", run_case(case_widget, max(args.count // 10, 1)))]
    if args.job_households:
        rows.append(("service job from SQLite", run_case(case_service_job, args.job_households)))
    print(f"{'case':<36} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'PDF MB':>7}")
    for name, row in rows:
        rate = row["pages"] / row["seconds"]
        print(f"{name:<36} {row['pages']:>6} {row['seconds']:>8.2f} {rate:>8.1f} {row['peak_mb']:>8.0f} "
              f"{row['size_mb']:>7.1f}")
    ours, bare = rows[0][1], rows[1][1]
    ratio = (ours["pages"] / ours["seconds"]) / (bare["pages"] / bare["seconds"])
    print(f"\nours / bare reportlab rate: {ratio:.2f} (bare is {1 / ratio:.1f}× faster)")
    verdict = "meets" if ours["seconds"] <= BAR_SECONDS * args.count / 2000 and ours["peak_mb"] <= BAR_MB else "MISSES"
    print(f"bar: {args.count} certificates ≤ {BAR_SECONDS * args.count / 2000:.0f} s and ≤ {BAR_MB} MB — {verdict}")
    report([Standing("printing", f"{args.count:,} certificates with QR", ours["seconds"], "s", bare["seconds"],
                     "bare reportlab drawString, same text and font (no QR)", "ratio <= 3",
                     ours["seconds"] <= 3 * bare["seconds"])])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
