"""What the seed walks share: families registered through the real services, the money recorded the
ways the programmes move it, and what the reports, the insurer's list and the certificates say."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment import status
from fpdesk.services.enrollment.allocations import allocate
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.printouts.data import Selection
from fpdesk.services.printouts.jobs import print_certificates
from fpdesk.services.registry import households as hh
from fpdesk.services.reports.statistics import statistics
from fpdesk.services.reports.target_progress import progress
from fpdesk.services.rosters.export import export_roster

D = dt.date
_serial = itertools.count(1)
_vouchers = itertools.count(1)
REGISTERED_ON = D(2012, 1, 1)
CHILD_BORN = D(2010, 5, 20)
MALE = {Relation.HEAD, Relation.SON, Relation.FATHER, Relation.GRANDSON}


def family(ws, village: str, categories, people, *, rural: bool = True, reward: bool = False,
           certificate: str | None = None, today: dt.date = REGISTERED_ON, region: str = "350421"):
    """Register a household: ``people`` are (name, birth date, relation); returns (household id,
    {name: ID number})."""
    numbers, drafts = {}, []
    for name, birth, relation in people:
        n = next(_serial) % 450 + 10
        number = make_number(region, birth, 2 * n + (1 if relation in MALE else 0))
        numbers[name] = number
        drafts.append(PersonDraft(name, number, relation))
    draft = HouseholdDraft(division_code=village, address=f"{next(_serial)}号",
                           categories=frozenset(HouseholdCategory(c) for c in categories), is_rural=rural,
                           reward_recipient=reward, certificate_no=certificate)
    return hh.register_household(ws, draft, drafts, today=today).primary_id, numbers


def couple(ws, village, categories=("other_fp",), *, child: dt.date | None = CHILD_BORN, **kwargs):
    people = [("林国华", D(1980, 1, 1), Relation.HEAD), ("陈秀英", D(1982, 3, 15), Relation.SPOUSE)]
    if child:
        people.append(("林小明", child, Relation.SON))
    return family(ws, village, categories, people, **kwargs)


def enrolled(ws, product, year, household, on, *, today=None, form=None, **kwargs):
    return enroll(ws, product=product, year=year, household_id=household, on=on, today=today or on,
                  consent_by="户主", form_values=form, **kwargs)


def pay(ws, enrollment_id, on, *, today=None):
    """The family's cash, what it still owes, against a receipt; returns the receipt number."""
    owed = status.enrollment_details(ws, enrollment_id)["owed_fen"]
    return status.record_payment(ws, enrollment_id, amount_fen=owed, paid_on=on, today=today or on).receipt_no


def allocated(ws, on, *, payer="government", today=None, **selection):
    return allocate(ws, payer=payer, voucher_no=f"财拨{next(_vouchers)}号", on=on, today=today or on,
                    payer_name="乡镇财政所", **selection)


def details(ws, enrollment_id):
    return status.enrollment_details(ws, enrollment_id)


def period(ws, enrollment_id):
    return tuple(details(ws, enrollment_id)["period"])


def counts(ws, year, product, as_of, *, start_month=1, stats_year=None):
    """(insured shares, unpaid shares) by progress; (shares, persons, unpaid shares) by statistics."""
    report = progress(ws, year=year, product=product, as_of=as_of)
    stats = statistics(ws, year=stats_year or year, start_month=start_month, product=product, with_previous=False)
    return ((report.total.enrolled.total, report.total.unpaid.total),
            (stats.total.shares, stats.total.persons, stats.total.unpaid_shares))


def insurer_rows(ws, year, product, out: Path, today):
    """The insurer's list as it reads back: (rows of persons, header, the note under the total)."""
    result = export_roster(ws, year=year, audience="insurer", product=product, out=out, today=today)
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    header = rows[2]
    people = rows[3:3 + result.rows]
    notes = [r[0] for r in rows[3 + result.rows:] if r and isinstance(r[0], str) and r[0].startswith("另有")]
    return people, header, notes


def certificate_text(ws, out: Path, today, **selection) -> str:
    print_certificates(ws, out=out, selection=Selection(**selection), today=today)
    return "\n".join(page.extract_text() for page in PdfReader(out).pages)
