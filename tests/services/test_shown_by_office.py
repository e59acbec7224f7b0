"""What an office is shown depends on what it can act on: the county checks a product's provisional
terms with the insurer, a village or township clerk is not told "本产品有4项条款是暂定值" on every
household."""

import datetime as dt

from fpdesk.core.idnumber import make_number
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import HouseholdCategory, Relation
from fpdesk.services.enrollment.preview import preview_enrollment
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.workspace import add_division, init_office

D = dt.date
HEAD = make_number("350421", D(1980, 1, 1), 13)


def household(workspace):
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组8号",
                           categories=frozenset({HouseholdCategory.OTHER_FP}))
    return hh.register_household(workspace, draft, [PersonDraft("林国华", HEAD, Relation.HEAD)],
                                 today=D(2026, 1, 1)).primary_id


def warning_codes(workspace, household_id):
    preview = preview_enrollment(workspace, product="fp_family_accident_100", year=2026, household_id=household_id,
                                 today=D(2026, 3, 2))
    return [w.code for w in preview.judged.warnings]


def test_provisional_terms_are_said_to_the_county_not_to_the_township(workspace, tmp_path):
    assert workspace.office.level == "township"
    assert "assumed_terms" not in warning_codes(workspace, household(workspace))
    county = open_workspace(str(tmp_path / "county.sqlite3"))
    try:
        init_office(county, code="350421", level="county", name="明溪县计划生育协会")
        add_division(county, code="350421200201", name="罗翠村", code_year=2024)
        assert "assumed_terms" in warning_codes(county, household(county))
    finally:
        county.close()
