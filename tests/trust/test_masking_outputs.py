"""The masking rule (services/trust/pi_masking.py) on every output that masks ID numbers: the CLI search (text
and --json), the GUI's people table, the full roster export, the printed roster PDF and the audit log
a clerk reads. None of them shows the birth date beside a masked number (it gives back the hidden
digits) or a mobile number in full; each shows the age instead."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.printouts.data import Selection
from fpdesk.services.printouts.jobs import print_roster
from fpdesk.services.registry import households as hh
from fpdesk.services.registry.search import find_person_ids, load_person_rows
from fpdesk.services.rosters.export import export_roster
from fpdesk.services.trust import accounts, audit

BIRTH = dt.date(1967, 3, 16)
NUMBER = make_number("350421", BIRTH, 601)
PHONE = "13912342222"
TODAY = dt.date(2026, 3, 1)
AGE = 58  # completed years on 1 March 2026
FORBIDDEN = ("1967-03-16", "1967-03", "19670316", "1967年3月", "1967/3/16", PHONE)


def _clean(text: str) -> None:
    for value in FORBIDDEN:
        assert value not in text, f"{value!r} shown beside a masked ID number"
    assert NUMBER not in text


@pytest.fixture
def enrolled(workspace):
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组17号",
                           categories=frozenset({HouseholdCategory("other_fp")}))
    hh.register_household(workspace, draft, [PersonDraft("林国华", NUMBER, Relation.HEAD, phone=PHONE)],
                          today=dt.date(2026, 1, 1))
    [person_id] = find_person_ids(workspace, "林国华")
    household_id = load_person_rows(workspace, [person_id])[person_id].household_id
    enroll(workspace, product="fp_family_accident_100", year=2026, household_id=household_id, on=TODAY, today=TODAY,
           consent_by="林国华", form_values={"health_declaration": "是", "beneficiary_type": "法定"})
    return workspace


def test_cli_search_shows_the_age_and_masked_numbers(enrolled):
    location = str(enrolled.db.file_path) if enrolled.db.file_path else enrolled.db.url
    run = [sys.executable, "-m", "fpdesk", "search", "林国华", "--db", location]
    text = subprocess.run(run, capture_output=True, text=True, timeout=120).stdout
    _clean(text)
    assert "350421********" in text and "139****2222" in text and f"{AGE}周岁" not in FORBIDDEN
    payload = json.loads(subprocess.run([*run, "--json"], capture_output=True, text=True, timeout=120).stdout)
    [hit] = payload["results"]
    assert hit["birth_date"] is None and hit["age"] is not None and hit["phone"] == "139****2222"
    _clean(json.dumps(payload, ensure_ascii=False))


def test_the_people_table_hides_the_birth_date_when_it_masks(enrolled, qtbot):
    from fpdesk.gui.models.people_table import COLUMNS, PeopleTableModel

    model = PeopleTableModel(lambda ids: load_person_rows(enrolled, ids), today=TODAY)
    model.set_ids(find_person_ids(enrolled, "林国华"))
    model.mask_ids = True
    shown = " ".join(str(model.data(model.index(0, c))) for c in range(len(COLUMNS)))
    _clean(shown)
    assert str(AGE) in shown and "139****2222" in shown
    model.mask_ids = False  # a role that may see numbers in full sees the date
    assert "1967-03-16" in " ".join(str(model.data(model.index(0, c))) for c in range(len(COLUMNS)))


def test_the_full_roster_export_masks_as_the_rule_says(enrolled, tmp_path):
    path = export_roster(enrolled, year=2026, audience="full", out=tmp_path / "全册.xlsx", today=TODAY).path
    cells = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += [v.isoformat() if isinstance(v, dt.date | dt.datetime) else str(v) for v in row if v is not None]
    _clean(" ".join(cells))
    assert "周岁" in cells and "139****2222" in cells and str(AGE) in cells


def test_the_printed_roster_shows_ages(enrolled, tmp_path):
    out = tmp_path / "roster.pdf"
    print_roster(enrolled, out=out, selection=Selection(year=2026), today=TODAY)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    _clean(text)
    assert f"{AGE}周岁" in text and "139****2222" in text


def test_logged_values_shown_masked_hide_the_birth_date(enrolled):
    """The audit log and the conflict review show a reader without full access the logged values through
    mask_values: the person's logged insert (ID number, birth date, phone) keeps none of them whole."""
    from fpdesk.services.trust.pi_masking import mask_values

    accounts.add_user(enrolled, name="admin", password="admin-pass-1", role="admin")
    [entry] = [e for e in audit.history(enrolled, entity="person") if e.operation == "insert"]
    assert entry.fields["birth_date"] == "1967-03-16"  # an administrator sees it in full
    shown = json.dumps(mask_values(entry.fields), ensure_ascii=False)
    _clean(shown)
    assert "周岁" in shown
