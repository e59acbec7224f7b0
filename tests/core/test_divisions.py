import pytest

from fpdesk.core import divisions
from fpdesk.core.errors import DomainError
from fpdesk.core.vocabulary import DivisionKind, OfficeLevel


@pytest.mark.parametrize(("code", "kind", "parent"), [
    ("350421", DivisionKind.COUNTY, None),
    ("350421200", DivisionKind.TOWNSHIP, "350421"),
    ("350421101", DivisionKind.TOWN, "350421"),
    ("350421001", DivisionKind.SUBDISTRICT, "350421"),
    ("350421200000", DivisionKind.TOWNSHIP, "350421"),  # NBS pads township codes to 12 digits
    ("350421200201", DivisionKind.VILLAGE, "350421200"),
    ("350421001003", DivisionKind.COMMUNITY, "350421001"),
    ("350421200201-03", DivisionKind.VILLAGER_GROUP, "350421200201"),
    ("350421900", DivisionKind.AGENCY_CHANNEL, "350421"),
    ("350421900004", DivisionKind.AGENCY_UNIT, "350421900"),
])
def test_codes_are_classified(code, kind, parent):
    parsed = divisions.parse_code(code)
    assert (parsed.kind, parsed.parent) == (kind, parent)


@pytest.mark.parametrize("code", ["35042", "3504212001", "350421700", "350421200801", "350421200201-00", "abc"])
def test_bad_codes_are_refused(code):
    with pytest.raises(DomainError) as caught:
        divisions.parse_code(code)
    assert caught.value.code == "division_code_format"


def test_office_code_must_fit_level():
    assert divisions.check_office_code("350421200", OfficeLevel.TOWNSHIP).code == "350421200"
    with pytest.raises(DomainError):
        divisions.check_office_code("350421200", OfficeLevel.VILLAGE)
    with pytest.raises(DomainError):
        divisions.check_office_code("350421200201", OfficeLevel.COUNTY)
