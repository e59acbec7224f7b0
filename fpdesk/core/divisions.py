"""Administrative divisions: county → township → village → villager group, plus the agency channel.

Codes are the NBS 12-digit statistical codes (docs/rules.md#division-codes): 6-digit county (GB/T 2260) + 3-digit
township (GB/T 10114: 001–099 subdistrict, 100–199 town, 200–399 township, 400–599 township-like)
+ 3-digit village (001–199 community, 200–399 village, 400–599 village-like). Codes change yearly,
so a division stores code, name and the year the code was read from.

Local codes, outside the national ranges so they can never collide with a real code:
- villager groups: the village's 12 digits + "-" + 2-digit group number (350421200201-03);
- the agency channel (机关): county + "900" + "000" (350421900000), its units 350421900001…
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fpdesk.core.errors import DomainError
from fpdesk.core.vocabulary import DivisionKind, OfficeLevel

AGENCY_TOWNSHIP_PART = "900"
# A division's record id is made from its code, so two offices that each add the same village (the
# county from the statistics bureau's list, the township by hand) make the same record, and their
# changes meet in sync as edits of one record instead of two records fighting over one code.
_RECORD_NAMESPACE = uuid.UUID("0c8f1d52-6b7e-4c1a-9f0e-3a2d5b6c7e81")
# What rosters and the county's target tables leave off a division's name (longest first, so that
# 街道办事处 goes before 街道).
NAME_SUFFIXES = ("村民委员会", "居民委员会", "街道办事处", "村委会", "居委会", "社区", "村", "街道", "乡", "镇")


@dataclass(frozen=True)
class DivisionCode:
    code: str
    kind: DivisionKind
    parent: str | None

    @property
    def county(self) -> str:
        return self.code[:6]

    @property
    def township(self) -> str | None:
        return self.code[:9] if len(self.code) >= 9 else None


def township_kind(part: str) -> DivisionKind:
    n = int(part)
    if part == AGENCY_TOWNSHIP_PART:
        return DivisionKind.AGENCY_CHANNEL
    if 1 <= n <= 99:
        return DivisionKind.SUBDISTRICT
    if 100 <= n <= 199:
        return DivisionKind.TOWN
    if 200 <= n <= 399:
        return DivisionKind.TOWNSHIP
    if 400 <= n <= 599:
        return DivisionKind.PARK
    raise DomainError("division_code_format", {"value": part})


def village_kind(part: str, *, agency: bool = False) -> DivisionKind:
    n = int(part)
    if agency:
        return DivisionKind.AGENCY_UNIT
    if 1 <= n <= 199:
        return DivisionKind.COMMUNITY
    if 200 <= n <= 599:
        return DivisionKind.VILLAGE
    raise DomainError("division_code_format", {"value": part})


def parse_code(code: str) -> DivisionCode:
    """Classify a code by its length and ranges; the stored form is 6, 9 or 12 digits or a group code."""
    code = code.strip()
    if not code.isascii():  # "³" is a digit to str.isdigit() but not to int()
        raise DomainError("division_code_format", {"value": code})
    if "-" in code:
        village, _, group = code.partition("-")
        if len(village) == 12 and village.isdigit() and len(group) == 2 and group.isdigit() and group != "00":
            return DivisionCode(code, DivisionKind.VILLAGER_GROUP, village)
        raise DomainError("division_code_format", {"value": code})
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise DomainError("division_code_format", {"value": code})
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]  # the NBS writes township codes padded to 12 digits
    if len(code) == 12 and code[6:9] == "000":
        raise DomainError("division_code_format", {"value": code})
    if len(code) == 6:
        return DivisionCode(code, DivisionKind.COUNTY, None)
    if len(code) == 9:
        return DivisionCode(code, township_kind(code[6:9]), code[:6])
    agency = code[6:9] == AGENCY_TOWNSHIP_PART
    township_kind(code[6:9])
    return DivisionCode(code, village_kind(code[9:], agency=agency), code[:9])


def record_id(code: str) -> uuid.UUID:
    """The record id of the division with ``code`` (the same at every office)."""
    return uuid.uuid5(_RECORD_NAMESPACE, code)


def agency_channel_code(county: str) -> str:
    return county + AGENCY_TOWNSHIP_PART


def level_of(kind: DivisionKind) -> OfficeLevel | None:
    if kind is DivisionKind.COUNTY:
        return OfficeLevel.COUNTY
    if kind in (DivisionKind.SUBDISTRICT, DivisionKind.TOWN, DivisionKind.TOWNSHIP, DivisionKind.PARK,
                DivisionKind.AGENCY_CHANNEL):
        return OfficeLevel.TOWNSHIP
    if kind in (DivisionKind.COMMUNITY, DivisionKind.VILLAGE, DivisionKind.AGENCY_UNIT):
        return OfficeLevel.VILLAGE
    return None


def check_office_code(code: str, level: OfficeLevel) -> DivisionCode:
    """An office's code must be a division code of its own level (6/9/12 digits)."""
    expected = {OfficeLevel.COUNTY: 6, OfficeLevel.TOWNSHIP: 9, OfficeLevel.VILLAGE: 12}[level]
    code = code.strip()
    if len(code) == 12 and level is OfficeLevel.TOWNSHIP and code.endswith("000"):
        code = code[:9]
    if len(code) != expected or not (code.isascii() and code.isdigit()):
        raise DomainError("office_code_format", {"value": code})
    parsed = parse_code(code)
    if level_of(parsed.kind) is not level:
        raise DomainError("office_code_format", {"value": code})
    return parsed


def township_kind_from_name(name: str) -> DivisionKind:
    """The kind a name's last character states (乡/镇/街道) — used to sanity-check imported lists."""
    if name.endswith("街道"):
        return DivisionKind.SUBDISTRICT
    if name.endswith("镇"):
        return DivisionKind.TOWN
    return DivisionKind.TOWNSHIP


# The words a division's own name ends with, by the level of an office in it.
_PLACE_WORDS = {
    OfficeLevel.COUNTY: ("县", "市", "区", "旗"),
    OfficeLevel.TOWNSHIP: ("街道", "乡", "镇", "苏木"),
    OfficeLevel.VILLAGE: ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村", "嘎查"),
}


def place_name_of_office(office_name: str, level: OfficeLevel) -> str:
    """The division an office is named after: 宋庄镇卫生计生办 is the office of 宋庄镇, 罗翠村计生协 of
    罗翠村. The name is read up to the last whole place word of its level (镇, 村 …), never cut
    anywhere else; an office name without one is the division's name as it stands."""
    compact = compact_name(office_name)
    words = _PLACE_WORDS[OfficeLevel(level)]
    ends = [compact.rfind(word) + len(word) for word in words if compact.rfind(word) >= 1]
    return compact[:max(ends)] if ends else compact


def compact_name(name: str) -> str:
    """A name without the spaces and line breaks spreadsheets put into it."""
    return "".join(str(name).split())


def name_forms(name: str) -> set[str]:
    """A division's name as rosters and target tables write it: 罗翠村 is also 罗翠; 城关乡 also 城关.

    At least two characters stay: a one-character stem (新村 → 新) would match far too much."""
    compact = compact_name(name)
    forms = {compact}
    for suffix in NAME_SUFFIXES:
        if compact.endswith(suffix) and len(compact) > len(suffix) + 1:
            forms.add(compact[: -len(suffix)])
    return forms
