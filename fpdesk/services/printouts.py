"""Printing jobs: certificates, receipts and rosters as one PDF each, recorded in the print log.

Each job is one transaction: read what it prints, give new certificates and rosters their
gap-free numbers (office + year + sequence), sign the QR payloads with the office key, draw the
PDF to a temporary file beside the target, append one print-log row per document (kind, number,
who, when, reprint or not) and only then, after the commit, move the file into place. A failed or
cancelled job leaves no file, no numbers used and no log.

A certificate keeps the number of its first print; printing it again is a reprint (补打) that
keeps the first issue date. A receipt printed again is marked 补打 with its original date; a
voided receipt prints 作废 under its own number.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select  # noqa: TID251 (bulk path: records its own entries)

from fpdesk.core import signed_payload
from fpdesk.core.errors import DomainError, register_messages
from fpdesk.core.ids import new_id
from fpdesk.core.product_terms import SHARED_PAYER_ZH
from fpdesk.core.products import Product, find_product
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.core.vocabulary import PayerType
from fpdesk.printing.certificate import write_certificates
from fpdesk.printing.documents import CertificateDoc, ReceiptDoc, RosterRow, RosterSection
from fpdesk.printing.receipt import write_receipts
from fpdesk.printing.roster import write_roster
from fpdesk.services import printouts_data as data
from fpdesk.services.enrollment_bulk import chunks
from fpdesk.services.office_keys import SigningKey, signing_key
from fpdesk.services.permissions import require
from fpdesk.services.pi_masking import shown_person
from fpdesk.services.product_catalog import office_catalog
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Division
from fpdesk.storage.schema_printing import PrintLog
from fpdesk.storage.sequences import format_number, next_number

CERTIFICATE, RECEIPT, ROSTER = "certificate", "receipt", "roster"

register_messages({
    "nothing_to_print": ("没有符合条件的{what}可以打印。", "There are no {what_en} to print for this selection."),
    "bad_paper": ("纸张“{value}”不可用，可选：{choices}。", "Paper '{value}' is not available; choose {choices}."),
})


@dataclass
class PrintResult:
    """What a job printed. ``path`` is the PDF; ``numbers`` the document numbers in page order."""

    kind: str
    path: str
    pages: int
    numbers: list[str] = field(default_factory=list)
    reprints: int = 0
    voided: int = 0
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return len(self.numbers)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "pages": self.pages, "documents": self.documents,
                "numbers": self.numbers, "reprints": self.reprints, "voided": self.voided,
                "seconds": round(self.seconds, 3)}


# -- shared plumbing -----------------------------------------------------------------------------------


def _run_job(workspace: Workspace, out: str | Path, job: Callable[[WriteContext, Path], PrintResult]) -> PrintResult:
    """Run ``job`` in one write transaction, drawing to a temporary file moved into place after commit."""
    started = time.perf_counter()
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        require(workspace, "print")
        with workspace.write() as ctx:
            ctx.recorder.summary_only = True  # thousands of log rows: the result object says what happened
            result = job(ctx, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    result.path = str(target)
    result.seconds = time.perf_counter() - started
    return result


class _PrintLog:
    """Collects the print-log rows of a job and writes them (and their change entries) in batches."""

    def __init__(self, ctx: WriteContext, kind: str, output: str) -> None:
        self.ctx, self.kind, self.output = ctx, kind, output
        self.now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.rows: list[dict[str, Any]] = []

    def add(self, number: str, subject_id: uuid.UUID | None, *, reprint: bool, details: dict[str, Any]) -> None:
        row = {"id": new_id(), "kind": self.kind, "number": number, "subject_id": subject_id,
               "office_code": self.ctx.office.code, "reprint": reprint, "printed_at": self.now,
               "printed_by": self.ctx.recorder.author, "output": self.output[:200], "details": details,
               "revision": 1, "created_at": self.now, "updated_at": self.now}
        self.rows.append(row)
        self.ctx.recorder.record("print_log", row["id"], "insert", {
            k: row[k] for k in ("kind", "number", "subject_id", "office_code", "reprint", "printed_at",
                                "printed_by", "details")}, 1)

    def write(self) -> None:
        for batch in chunks(self.rows, 1000):
            self.ctx.session.execute(insert(PrintLog).execution_options(fpdesk_logged=True), list(batch))
        self.ctx.recorder.flush()


def _first_prints(ctx: WriteContext, kind: str, subject_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple]:
    """(number, issue date) of documents printed before, by subject: the first print's."""
    found: dict[uuid.UUID, tuple] = {}
    for ids in chunks(list(subject_ids)):
        for subject_id, number, printed_at, details in ctx.session.execute(
                select(PrintLog.subject_id, PrintLog.number, PrintLog.printed_at, PrintLog.details)
                .where(PrintLog.kind == kind, PrintLog.subject_id.in_(ids), PrintLog.reprint.is_(False))
                .order_by(PrintLog.printed_at)):
            issued = (details or {}).get("issued_on")
            found.setdefault(subject_id, (number, dt.date.fromisoformat(issued) if issued else printed_at.date()))
    return found


def _new_number(ctx: WriteContext, series: str, year: int) -> str:
    office = ctx.office.code
    return format_number(office, year, next_number(ctx.session, office_code=office, series=series, year=year))


def _check_paper(paper: str, choices: Sequence[str]) -> None:
    if paper not in choices:
        raise DomainError("bad_paper", {"value": paper, "choices": "、".join(choices)})


# -- certificates --------------------------------------------------------------------------------------


def print_certificates(workspace: Workspace, *, out: str | Path, selection: data.Selection, paper: str = "A4",
                       unprinted_only: bool = False, today: dt.date | None = None,
                       progress: Progress = NO_PROGRESS) -> PrintResult:
    """The proof of cover of every enrollment in ``selection`` (``unprinted_only``: those never printed)."""
    _check_paper(paper, ("A4", "A5"))
    today = today or dt.date.today()

    def job(ctx: WriteContext, partial: Path) -> PrintResult:
        rows = data.certificate_enrollments(ctx.session, selection, unprinted_only=unprinted_only)
        if not rows:
            _check_selection(workspace, ctx.session, selection)
            raise DomainError("nothing_to_print", {"what": "参保凭证", "what_en": "certificates"})
        key = signing_key(ctx)
        products = office_catalog(workspace, ctx.session).products
        enrollment_ids = [r.Enrollment.id for r in rows]
        insured = data.insured_by_enrollment(ctx.session, enrollment_ids)
        splits = data.premium_splits(ctx.session, enrollment_ids)
        heads = data.heads_by_household(ctx.session, [r.Enrollment.household_id for r in rows])
        earlier = _first_prints(ctx, CERTIFICATE, enrollment_ids)
        names = data.DivisionNames(ctx.session)
        office_name = data.local_office_name(ctx.session, ctx.office.code)
        log = _PrintLog(ctx, CERTIFICATE, Path(out).name)
        result = PrintResult(CERTIFICATE, str(out), 0)

        def documents() -> Iterator[CertificateDoc]:
            for count, row in enumerate(rows, start=1):
                progress.check()
                enrollment = row.Enrollment
                first = earlier.get(enrollment.id)
                number = first[0] if first else _new_number(ctx, CERTIFICATE, enrollment.policy_year)
                head_name, head_number, _ = heads.get(enrollment.household_id, ("", None, None))
                doc = _certificate(enrollment, row, number, key, products, office_name, head_name, head_number,
                                   insured.get(enrollment.id, []), names, issued_on=first[1] if first else today,
                                   reprinted_on=today if first else None, split=splits.get(enrollment.id, ()))
                log.add(number, enrollment.id, reprint=first is not None,
                        details={"paper": paper, "policy_year": enrollment.policy_year,
                                 "issued_on": doc.issued_on.isoformat()})
                result.numbers.append(number)
                result.reprints += first is not None
                if count % 100 == 0:
                    progress.update(count, len(rows), "参保凭证")
                yield doc

        result.pages = write_certificates(documents(), partial, paper=paper, total=len(rows))
        log.write()
        return result

    return _run_job(workspace, out, job)


def household_certificate_year(workspace: Workspace, household_id: uuid.UUID) -> int | None:
    """The latest policy year whose certificates the household can have printed again (None: none)."""
    with workspace.read() as session:
        return data.household_certificate_year(session, household_id)


def print_household_certificates(workspace: Workspace, *, household_id: uuid.UUID, out: str | Path,
                                 paper: str = "A4", today: dt.date | None = None) -> PrintResult:
    """One household's certificates of its latest insured year, from its own page: a lost or spoiled
    paper printed again under its first number (补打)."""
    year = household_certificate_year(workspace, household_id)
    if year is None:
        raise DomainError("nothing_to_print", {"what": "参保凭证", "what_en": "certificates"})
    return print_certificates(workspace, out=out, selection=data.Selection(year=year, household_id=household_id),
                              paper=paper, today=today)


def _certificate(enrollment, row, number: str, key: SigningKey, products: Mapping[str, Product], office_name: str,
                 head_name: str, head_number: str | None, insured_rows, names: data.DivisionNames, *,
                 issued_on: dt.date, reprinted_on: dt.date | None, split: tuple = ()) -> CertificateDoc:
    product = products.get(enrollment.product_code)
    claims = signed_payload.certificate_claims(
        office_code=key.office_code, key_number=key.key_number, number=number, product=enrollment.product_code,
        period_start=enrollment.period_start, period_end=enrollment.period_end, holder_id_number=head_number)
    return CertificateDoc(
        number=number, office_name=office_name, product_name=data.product_name(products, enrollment.product_code),
        insurer=product.insurer if product else "", policy_number=enrollment.policy_number,
        period_start=enrollment.period_start, period_end=enrollment.period_end, head_name=head_name,
        address=row.address, village=names.name(row.division_code),
        insured=data.insured_lines(insured_rows, enrollment.period_start, enrollment.period_end),
        premium_fen=enrollment.premium_fen,
        payer_label=SHARED_PAYER_ZH if split else data.funding_label(enrollment.payer_type,
                                                                             enrollment.funding_source),
        issued_on=issued_on, qr_payload=signed_payload.encode(claims, key.private_key), reprinted_on=reprinted_on,
        premium_split=split)


# -- receipts ------------------------------------------------------------------------------------------


def print_receipts(workspace: Workspace, *, out: str | Path, selection: data.Selection,
                   receipt_numbers: Sequence[str] | None = None, paid_on: dt.date | None = None,
                   paper: str = "A5", today: dt.date | None = None, progress: Progress = NO_PROGRESS) -> PrintResult:
    """Receipts of the selection (or of ``receipt_numbers``, or paid on ``paid_on``: "today's receipts")."""
    _check_paper(paper, ("A5", "continuous"))
    today = today or dt.date.today()

    def job(ctx: WriteContext, partial: Path) -> PrintResult:
        rows = data.receipt_payments(ctx.session, selection, receipt_numbers=receipt_numbers, paid_on=paid_on)
        if not rows:
            _check_selection(workspace, ctx.session, selection)
            raise DomainError("nothing_to_print", {"what": "收据", "what_en": "receipts"})
        insured = data.insured_by_enrollment(ctx.session, [r.enrollment_id for r in rows])
        heads = data.heads_by_household(ctx.session, [r.household_id for r in rows])
        printed_before = _first_prints(ctx, RECEIPT, [r.Payment.id for r in rows])
        products = office_catalog(workspace, ctx.session).products
        office_name = data.local_office_name(ctx.session, ctx.office.code)
        collectors = data.real_names(ctx.session, [r.Payment.collector for r in rows])
        log = _PrintLog(ctx, RECEIPT, Path(out).name)
        result = PrintResult(RECEIPT, str(out), 0)
        docs = []
        for row in rows:
            progress.check()
            payment = row.Payment
            reprint = payment.id in printed_before
            docs.append(ReceiptDoc(
                number=payment.receipt_no, office_name=office_name,
                payer_name=payment.payer_name or heads.get(row.household_id, ("",))[0],
                product_name=data.product_name(products, row.product_code),
                insured_names=tuple(r.name for r in insured.get(row.enrollment_id, [])),
                amount_fen=payment.amount_fen, collector=collectors.get(payment.collector, payment.collector),
                paid_on=payment.paid_on,
                reprinted_on=today if reprint else None, voided_on=payment.voided_on if payment.voided else None,
                void_reason=payment.void_reason))
            log.add(payment.receipt_no, payment.id, reprint=reprint, details={"paper": paper, "voided": payment.voided})
            result.numbers.append(payment.receipt_no)
            result.reprints += reprint
            result.voided += payment.voided
        result.pages = write_receipts(docs, partial, paper=paper, total=len(docs), progress=progress)
        log.write()
        return result

    return _run_job(workspace, out, job)


# -- rosters -------------------------------------------------------------------------------------------


def _check_selection(workspace: Workspace, session, selection: data.Selection | None) -> None:
    """Why a selection found nothing, when it names what does not exist: a mistyped product or
    division code is said as such, not as "nothing to print"."""
    if selection is None:
        return
    if selection.product:
        find_product(office_catalog(workspace, session).products, selection.product)  # unknown_product
    scope = (selection.scope or "").strip()
    if scope and session.scalar(select(Division.code).where(
            Division.code.startswith(scope, autoescape=True)).limit(1)) is None:
        raise DomainError("unknown_division", {"value": scope})


def print_roster(workspace: Workspace, *, out: str | Path, selection: data.Selection, today: dt.date | None = None,
                 progress: Progress = NO_PROGRESS) -> PrintResult:
    """The roster for signing: one section per village (or unit) and product, each with its own number."""

    def job(ctx: WriteContext, partial: Path) -> PrintResult:
        rows = data.roster_enrollments(ctx.session, selection)
        if not rows:
            _check_selection(workspace, ctx.session, selection)
            raise DomainError("nothing_to_print", {"what": "花名册", "what_en": "rosters"})
        key = signing_key(ctx)
        insured = data.insured_by_enrollment(ctx.session, [r.Enrollment.id for r in rows])
        household_ids = [r.Enrollment.household_id for r in rows]
        heads = data.heads_by_household(ctx.session, household_ids)
        categories = data.categories_by_household(ctx.session, household_ids)
        products = office_catalog(workspace, ctx.session).products
        names = data.DivisionNames(ctx.session)
        office_name = data.local_office_name(ctx.session, ctx.office.code)
        grouped: dict[tuple[str, str, int], list[RosterRow]] = defaultdict(list)
        for row in rows:
            enrollment = row.Enrollment
            township, village, group, village_code = names.parts(row.division_code)
            head = heads.get(enrollment.household_id, ("", None, None))
            grouped[(village_code, enrollment.product_code, enrollment.policy_year)] += _roster_rows(
                row, insured.get(enrollment.id, []), head, categories.get(enrollment.household_id, ""),
                (township, village, group), products, today or dt.date.today())
        log = _PrintLog(ctx, ROSTER, Path(out).name)
        result = PrintResult(ROSTER, str(out), 0)
        sections = []
        for (village_code, product, year), section_rows in grouped.items():
            number = _new_number(ctx, ROSTER, year)
            totals = _totals_by_payer([r for r in section_rows if not r.remarks])
            unpaid = [r for r in section_rows if r.remarks]
            persons, premium = sum(t[1] for t in totals), sum(t[2] for t in totals)
            claims = signed_payload.roster_claims(
                office_code=key.office_code, key_number=key.key_number, number=number, product=product, year=year,
                scope=village_code, persons=persons, premium_fen=premium)
            division = names.name(village_code)
            sections.append(RosterSection(
                title=f"{division} {year}年度 {data.short_product_name(products, product)} 花名册", number=number,
                office_name=office_name, division_name=division, product_name=data.product_name(products, product),
                year=year,
                rows=tuple(section_rows), qr_payload=signed_payload.encode(claims, key.private_key),
                totals_by_payer=totals, unpaid=(len(unpaid), sum(r.premium_fen or 0 for r in unpaid))))
            log.add(number, None, reprint=False, details={"scope": village_code, "product": product, "year": year,
                                                         "persons": persons, "premium_fen": premium})
            result.numbers.append(number)
        result.pages = write_roster(sections, partial, total=len(sections), progress=progress)
        log.write()
        return result

    return _run_job(workspace, out, job)


def _roster_rows(row, insured_rows, head: tuple, categories: str, place: tuple[str, str, str],
                 products: Mapping[str, Product], today: dt.date) -> list[RosterRow]:
    """A printed roster masks every ID number, so it shows ages, not birth dates (services/pi_masking)."""
    enrollment = row.Enrollment
    township, village, group = place
    payer = PayerType(enrollment.payer_type).label_zh
    # not yet received: marked on every row (the totals leave them out and count them beside)
    remarks = "" if enrollment.received_on is not None else (
        "待缴费" if enrollment.payer_type == PayerType.SELF.value else "待拨款")
    result = []
    for index, person in enumerate(insured_rows):
        first = index == 0
        result.append(RosterRow(
            township=township, village=village, group=group, head_name=head[0] if first else "",
            head_masked_id=data.masked(head[1]) if first else "", category=categories if first else "",
            certificate_no=(row.certificate_no or "") if first else "", name=person.name,
            sex=data.sex_label(person.sex),
            birth_month=shown_person(None, person.birth_date, None, masked=True, today=today).age_text(),
            masked_id=data.masked(person.id_number),
            relation=data.relation_label(person.relation), phone=data.masked_phone(person.phone),
            product=data.short_product_name(products, enrollment.product_code), shares=enrollment.shares if first else None,
            premium_fen=enrollment.premium_fen if first else None, payer=payer,
            channel="单位" if enrollment.channel == "unit" else "村", remarks=remarks))
    return result


def _totals_by_payer(rows: Sequence[RosterRow]) -> tuple[tuple[str, int, int], ...]:
    """(payer label, persons, premium fen) in the order government, self, employer."""
    persons: dict[str, int] = defaultdict(int)
    premium: dict[str, int] = defaultdict(int)
    for row in rows:
        persons[row.payer] += 1
        premium[row.payer] += row.premium_fen or 0
    order = [PayerType(p).label_zh for p in ("government", "self", "employer")]
    return tuple((p, persons[p], premium[p]) for p in order if p in persons)


# -- history -------------------------------------------------------------------------------------------


def print_history(workspace: Workspace, *, kind: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The newest print-log rows: what was printed, when and by whom."""
    with workspace.read() as session:
        query = select(PrintLog).order_by(PrintLog.printed_at.desc(), PrintLog.number.desc()).limit(limit)
        if kind:
            query = query.where(PrintLog.kind == kind)
        return [{"kind": r.kind, "number": r.number, "reprint": r.reprint, "printed_at": r.printed_at,
                 "printed_by": r.printed_by, "output": r.output, "details": r.details}
                for r in session.scalars(query)]
