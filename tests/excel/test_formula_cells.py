"""Exported text that a spreadsheet would read as a formula after a CSV save starts with an apostrophe:
a name or an address typed as =HYPERLINK(…), +, - or @ stays text in every sheet fpdesk writes."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.enrolling import enroll
from fpdesk.services.registry import households as hh
from fpdesk.services.rosters.export import export_roster

HOSTILE = '=HYPERLINK("http://example.invalid","点此")'


def test_formula_like_text_is_neutralised_in_the_roster_export(workspace, tmp_path):
    draft = HouseholdDraft(division_code="350421200201", address="@SUM(1+1)*cmd|' /C calc'!A0",
                           categories=frozenset({HouseholdCategory("other_fp")}))
    household = hh.register_household(workspace, draft, [
        PersonDraft(HOSTILE, make_number("350421", dt.date(1980, 1, 1), 17), Relation.HEAD, phone=None),
        PersonDraft("-2+3", make_number("350421", dt.date(1982, 2, 2), 24), Relation.SPOUSE)],
        today=dt.date(2026, 1, 1)).primary_id
    on = dt.date(2026, 3, 1)
    enroll(workspace, product="fp_family_accident_100", year=2026, household_id=household, on=on, today=on,
           consent_by="户主", form_values={"health_declaration": "是", "beneficiary_type": "法定"})
    path = export_roster(workspace, year=2026, audience="full", out=tmp_path / "全册.xlsx", full_id_numbers=True,
                         today=on).path
    values = [v for sheet in load_workbook(path).worksheets for row in sheet.iter_rows(values_only=True)
              for v in row if isinstance(v, str)]
    assert "'" + HOSTILE in values and "'-2+3" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
