"""Divisions as reference data: the county's townships, villages, communities and agency units.

A division is a place (or, for the 机关 channel, a unit) with a code; an office is a division that
has a computer, and most divisions never are one. The county imports the list it gets from the
statistics bureau (code, name, parent code, kind); a township may add its own villages; a unit is
added by the county. Every write is logged, so the list travels down to every office and what a
township adds travels up (services/entities.py), and a division's record id is made from its
code (core.divisions.record_id), so the same village added at two offices is one record.

Codes the list leaves out are given from the top of the range a real code never reaches first:
villages 599 downwards, communities 199 downwards (core.divisions has the ranges), units 001
upwards under the county's 机关 channel (county + 900).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fpdesk.core import divisions
from fpdesk.core.changes import ChangeSet
from fpdesk.core.enrollment_forms import whole_number
from fpdesk.core.errors import DomainError
from fpdesk.core.vocabulary import DivisionKind, OfficeLevel
from fpdesk.excel.columns import header_key
from fpdesk.excel.reader import open_roster
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace, WriteContext, add_division_row, update_division_row
from fpdesk.storage.schema import Division, Office
from fpdesk.storage.schema_sync import OfficeRegistration

KINDS = {"village": DivisionKind.VILLAGE, "community": DivisionKind.COMMUNITY, "unit": DivisionKind.AGENCY_UNIT}
# what a division list's kind column says (the code decides the kind; the column says which rows are units)
_KIND_WORDS = {
    "county": DivisionKind.COUNTY, "县": DivisionKind.COUNTY, "township": DivisionKind.TOWNSHIP,
    "乡": DivisionKind.TOWNSHIP, "town": DivisionKind.TOWN, "镇": DivisionKind.TOWN, "乡镇": DivisionKind.TOWNSHIP,
    "subdistrict": DivisionKind.SUBDISTRICT, "街道": DivisionKind.SUBDISTRICT, "village": DivisionKind.VILLAGE,
    "村": DivisionKind.VILLAGE, "村委会": DivisionKind.VILLAGE, "community": DivisionKind.COMMUNITY,
    "社区": DivisionKind.COMMUNITY, "居委会": DivisionKind.COMMUNITY, "unit": DivisionKind.AGENCY_UNIT,
    "agency_unit": DivisionKind.AGENCY_UNIT, "单位": DivisionKind.AGENCY_UNIT, "机关": DivisionKind.AGENCY_UNIT,
    "机关单位": DivisionKind.AGENCY_UNIT, "企事业单位": DivisionKind.AGENCY_UNIT,
}
_COLUMNS = {
    "code": ("代码", "区划代码", "统计用区划代码", "行政区划代码", "单位代码", "编码", "code"),
    "name": ("名称", "区划名称", "单位名称", "名字", "村（居）名称", "name"),  # glossary: also read
    "parent": ("上级代码", "上级区划代码", "所属乡镇代码", "上级", "parent", "parent_code"),
    "kind": ("类别", "类型", "级别", "区划类别", "区划类型", "kind"),
}
HEADER_SCAN_ROWS = 20
AGENCY_CHANNEL_NAME = "机关"


@dataclass(frozen=True)
class DivisionEntry:
    code: str
    name: str
    kind: str
    parent_code: str | None
    code_year: int
    office: bool  # an office (a computer) works here

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "parent_code": self.parent_code,
                "code_year": self.code_year, "office": self.office}


@dataclass
class DivisionImportResult(ChangeSet):
    file: str = ""
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows of other counties, or outside a township's own villages
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"row", "code", "message", "message_en"}

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": self.skipped,
                "rejected": [{k: r[k] for k in ("row", "code", "message")} for r in self.rejected]}


# ---- reading --------------------------------------------------------------------------------------


def list_divisions(workspace: Workspace, *, under: str | None = None) -> list[DivisionEntry]:
    """Every division (or those at and below ``under``), by code, saying which have an office."""
    with workspace.read() as session:
        query = select(Division.code, Division.name, Division.kind, Division.parent_code, Division.code_year)
        if under:
            query = query.where(Division.code.startswith(under.strip()))
        rows = session.execute(query.order_by(Division.code)).all()
        offices = set(session.scalars(select(Office.code))) | set(session.scalars(
            select(OfficeRegistration.office_code).where(OfficeRegistration.revoked_seq.is_(None))))
    if under and not rows:
        raise DomainError("unknown_division", {"value": under})
    return [DivisionEntry(r.code, r.name, r.kind, r.parent_code, r.code_year, r.code in offices) for r in rows]


def nearest_names(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The known names most like ``name`` (a typo, a missing or extra 村), best first."""
    wanted = divisions.compact_name(name)
    stems = divisions.name_forms(wanted)
    scored = []
    for candidate in dict.fromkeys(candidates):
        forms = divisions.name_forms(candidate)
        best = max(difflib.SequenceMatcher(None, a, b).ratio() for a in stems for b in forms)
        if stems & forms or any(a in b or b in a for a in stems for b in forms if len(a) >= 2 and len(b) >= 2):
            best = max(best, 0.9)
        if best >= 0.5:
            scored.append((-best, candidate))
    return [c for _score, c in sorted(scored)[:limit]]


_VILLAGE_KINDS = frozenset({DivisionKind.VILLAGE.value, DivisionKind.COMMUNITY.value, DivisionKind.AGENCY_UNIT.value})


def village_suggester(workspace: Workspace):
    """(township, village) -> the nearest known village names: within the named township, else
    within this office, else anywhere."""
    office = workspace.require_office()
    with workspace.read() as session:
        rows = session.execute(select(Division.code, Division.name, Division.kind, Division.parent_code)).all()
    townships: dict[str, set[str]] = {}
    for row in rows:
        if len(row.code) == 9:
            for form in divisions.name_forms(row.name):
                townships.setdefault(form, set()).add(row.code)
    pool = [r for r in rows if r.kind in _VILLAGE_KINDS]

    def nearest(township: str, village: str) -> list[str]:
        parents = set().union(*(townships.get(f, set()) for f in divisions.name_forms(township))) if township else set()
        local = [r for r in pool if r.parent_code in parents or (not parents and r.code.startswith(office.code))]
        return nearest_names(village, [r.name for r in local or pool])

    return nearest


# ---- adding one -----------------------------------------------------------------------------------


def add_division(workspace: Workspace, *, name: str, under: str, code: str | None = None, kind: str | None = None,
                 code_year: int = 2024) -> DivisionEntry:
    """Add a village or community under a township, or (the county) an agency unit.

    A township adds under its own code only; a unit is the county's (it goes under the county's 机关
    channel, made when missing). Without ``code`` the next free local code is given."""
    office = workspace.require_office()
    if office.level is OfficeLevel.VILLAGE:
        raise DomainError("divisions_village_office")
    name = divisions.compact_name(name)
    if not name:
        raise DomainError("missing_field", {"field_zh": "名称", "field_en": "name"})
    if kind is not None and kind not in KINDS:
        raise DomainError("bad_argument", {"detail": f"--kind {kind}（可用：{'、'.join(KINDS)}）"})
    under = under.strip()
    wanted = KINDS[kind] if kind else None
    is_unit = wanted is DivisionKind.AGENCY_UNIT or (
        wanted is None and (under.endswith(divisions.AGENCY_TOWNSHIP_PART) and len(under) == 9))
    require(workspace, "products.manage" if is_unit else "record.edit")
    with workspace.write() as ctx:
        parent = _parent_for(ctx, office, under, is_unit)
        wanted = DivisionKind.AGENCY_UNIT if is_unit else wanted or DivisionKind.VILLAGE
        taken = ctx.session.execute(select(Division.code, Division.name).where(
            Division.parent_code == parent.code)).all()
        clash = next((c for c, n in taken if n == name), None)
        if clash is not None:
            raise DomainError("division_name_taken", {"parent": parent.name, "name": name, "code": clash})
        if code:
            code = _checked_code(ctx, code, parent, wanted)
        else:
            code = _free_code(parent, wanted, {c for c, _n in taken})
        row = add_division_row(ctx, code, name, code_year)
        ctx.result.primary_id = row.id
    return DivisionEntry(row.code, row.name, row.kind, row.parent_code, code_year, False)


def _parent_for(ctx: WriteContext, office, under: str, is_unit: bool) -> Division:
    county = office.code[:6]
    if is_unit:
        if office.level is not OfficeLevel.COUNTY:
            raise DomainError("division_unit_by_county")
        if under not in (county, divisions.agency_channel_code(county)):
            raise DomainError("division_not_under_office", {"under": under, "office": office.name})
        return _agency_channel(ctx, county)
    parent = ctx.session.scalar(select(Division).where(Division.code == under))
    if parent is None:
        raise DomainError("unknown_division", {"value": under})
    if not under.startswith(office.code) or len(under) != 9 or under.endswith(divisions.AGENCY_TOWNSHIP_PART):
        if len(under) != 9 or not under.startswith(county):
            raise DomainError("bad_argument", {"detail": f"--under {under}：村（社区）应添加在乡镇（9位代码）之下"})
        raise DomainError("division_not_under_office", {"under": f"{parent.name}（{under}）", "office": office.name})
    return parent


def _agency_channel(ctx: WriteContext, county: str) -> Division:
    code = divisions.agency_channel_code(county)
    found = ctx.session.scalar(select(Division).where(Division.code == code))
    if found is None:
        found = add_division_row(ctx, code, AGENCY_CHANNEL_NAME, 2024)
        ctx.session.flush()
    return found


def _checked_code(ctx: WriteContext, code: str, parent: Division, wanted: DivisionKind) -> str:
    parsed = divisions.parse_code(str(code))
    if parsed.parent != parent.code:
        raise DomainError("division_code_not_under", {"code": parsed.code, "parent": parent.name,
                                                      "parent_code": parent.code})
    if parsed.kind is not wanted:
        raise DomainError("division_kind_mismatch", {"code": parsed.code, "actual_zh": parsed.kind.label_zh,
                                                     "actual_en": parsed.kind.value, "wanted_zh": wanted.label_zh,
                                                     "wanted_en": wanted.value})
    holder = ctx.session.scalar(select(Division.name).where(Division.code == parsed.code))
    if holder is not None:
        raise DomainError("division_code_taken", {"code": parsed.code, "name": holder})
    return parsed.code


def _free_code(parent: Division, kind: DivisionKind, taken: set[str]) -> str:
    span = {DivisionKind.VILLAGE: range(599, 199, -1), DivisionKind.COMMUNITY: range(199, 0, -1),
            DivisionKind.AGENCY_UNIT: range(1, 1000)}[kind]
    for number in span:
        code = f"{parent.code}{number:03d}"
        if code not in taken:
            return code
    raise DomainError("division_codes_full", {"parent": parent.name, "kind_zh": kind.label_zh, "kind_en": kind.value})


# ---- importing the county's list ------------------------------------------------------------------


def import_divisions(workspace: Workspace, path: str | Path, *, code_year: int = 2024) -> DivisionImportResult:
    """Read a division list (xlsx, xls, ods or csv: code, name, parent code, kind) into the register.

    New codes are added, changed names corrected, rows of other counties skipped (a prefecture's
    list holds them), and at a township only its own villages are taken. One bad row refuses nothing
    else: it is listed with its reason. The whole list is one transaction."""
    office = workspace.require_office()
    if office.level is OfficeLevel.VILLAGE:
        raise DomainError("divisions_village_office")
    require(workspace, "products.manage" if office.level is OfficeLevel.COUNTY else "record.edit")
    path = Path(path)
    result = DivisionImportResult(file=path.name)
    rows, header, columns = read_division_list(path)
    entries = _read_entries(rows[header + 1:], header + 2, columns, office, result)
    with workspace.write() as ctx:
        ctx.recorder.result = result
        _write_entries(ctx, entries, office, code_year, result)
    return result


def read_division_list(path: str | Path) -> tuple[list[list], int, dict[str, int]]:
    """The rows of a division list, its header row and columns; DomainError when the file does not
    read or has no header (checked before an office is set up with it)."""
    path = Path(path)
    book = open_roster(path)
    try:
        rows = list(book.rows(book.sheet(None)))
    finally:
        book.close()
    header, columns = _find_header(rows, path)
    return rows, header, columns


def _find_header(rows: Sequence[Sequence], path: Path) -> tuple[int, dict[str, int]]:
    names = {header_key(alias): key for key, aliases in _COLUMNS.items() for alias in aliases}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = names.get(header_key(cell))
            if key is not None and key not in columns:
                columns[key] = position
        if {"code", "name"} <= set(columns) or {"name", "kind"} <= set(columns):
            return index, columns
    raise DomainError("divisions_no_header", {"file": path.name, "scanned": min(len(rows), HEADER_SCAN_ROWS)})


@dataclass
class _Entry:
    row: int
    code: str | None
    name: str
    kind: DivisionKind | None
    parent: str | None


def _cell(row: Sequence, columns: dict[str, int], key: str) -> str:
    position = columns.get(key)
    value = row[position] if position is not None and position < len(row) else None
    if value is None:
        return ""
    number = whole_number(value) if isinstance(value, float | int) else None
    return str(number) if number is not None else "".join(str(value).split())


def _normal_code(text: str) -> str:
    """A code as lists write it: 12 digits padded with zeros for a township (…200000) or a county
    (…000000), sometimes with the 3-digit urban-rural class appended."""
    if len(text) == 15 and text.isdigit():
        text = text[:12]
    if len(text) == 12 and text.endswith("000000"):
        return text[:6]
    if len(text) == 9 and text.endswith("000") and text[6:9] == "000":
        return text[:6]
    return text


def _read_entries(rows: Sequence[Sequence], first_number: int, columns: dict[str, int], office,
                  result: DivisionImportResult) -> list[_Entry]:
    entries: list[_Entry] = []
    county = office.code[:6]
    for number, row in enumerate(rows, start=first_number):
        code, name = _normal_code(_cell(row, columns, "code")), _cell(row, columns, "name")
        kind_text, parent = _cell(row, columns, "kind").lower(), _normal_code(_cell(row, columns, "parent"))
        if not code and not name:
            continue
        result.rows += 1

        def reject(message: str, message_en: str, code_: str, number: int = number, shown: str = code or name) -> None:
            result.rejected.append({"row": number, "code": code_, "message": f"第{number}行（{shown}）：{message}",
                                    "message_en": f"row {number} ({shown}): {message_en}"})

        if not name:
            reject("没有名称", "no name", "missing_field")
            continue
        kind = _KIND_WORDS.get(kind_text) if kind_text else None
        if kind_text and kind is None:
            reject(f"类别“{kind_text}”无法识别", f"kind '{kind_text}' is not recognised", "bad_argument")
            continue
        if code:
            try:
                parsed = divisions.parse_code(code)
            except DomainError as error:
                reject(error.message_zh, error.message_en, error.code)
                continue
            code, kind = parsed.code, parsed.kind
            parent = parsed.parent
        elif kind is not DivisionKind.AGENCY_UNIT:
            reject("没有区划代码（只有机关单位可以不填代码）", "no code (only agency units may go without)",
                   "missing_field")
            continue
        if (code or parent or county)[:6] != county:
            result.skipped += 1  # another county's row of a prefecture's list
            continue
        if office.level is OfficeLevel.TOWNSHIP and not (code or "").startswith(office.code):
            result.skipped += 1  # a township takes its own villages; the county sends the rest
            continue
        entries.append(_Entry(number, code or None, name, kind, parent or None))
    return entries


def _write_entries(ctx: WriteContext, entries: list[_Entry], office, code_year: int,
                   result: DivisionImportResult) -> None:
    existing = {d.code: d for d in ctx.session.scalars(select(Division))}
    seen: dict[str, int] = {}
    county = office.code[:6]
    # parents before their children: a county, its townships, their villages; units last
    for entry in sorted(entries, key=lambda e: (e.code is None, len(e.code or ""), e.code or "", e.row)):
        if entry.code is None:  # a unit without a code: the next under the county's 机关 channel
            channel = existing.get(divisions.agency_channel_code(county)) or _agency_channel(ctx, county)
            existing[channel.code] = channel
            same = next((d for d in existing.values() if d.parent_code == channel.code and d.name == entry.name), None)
            if same is not None:
                result.unchanged += 1
                continue
            entry.code = _free_code(channel, DivisionKind.AGENCY_UNIT,
                                    {c for c, d in existing.items() if d.parent_code == channel.code})
            entry.parent = channel.code
        if entry.code in seen:
            result.rejected.append({"row": entry.row, "code": "division_code_taken",
                                    "message": f"第{entry.row}行：区划代码 {entry.code} 在第{seen[entry.code]}行已经出现过",
                                    "message_en": f"row {entry.row}: code {entry.code} appears in row "
                                                  f"{seen[entry.code]} already"})
            continue
        seen[entry.code] = entry.row
        found = existing.get(entry.code)
        if found is not None:
            if found.name != entry.name:
                update_division_row(ctx, found, name=entry.name, code_year=code_year)
                result.updated += 1
            else:
                result.unchanged += 1
            continue
        if entry.parent and entry.parent not in existing:
            if entry.parent == divisions.agency_channel_code(county):
                existing[entry.parent] = _agency_channel(ctx, county)
            else:
                result.rejected.append({"row": entry.row, "code": "unknown_division",
                                        "message": f"第{entry.row}行（{entry.name}）：上级区划 {entry.parent} 不在名单中，"
                                                   "也还没有登记",
                                        "message_en": f"row {entry.row} ({entry.name}): the parent {entry.parent} "
                                                      "is neither in the list nor registered"})
                continue
        existing[entry.code] = add_division_row(ctx, entry.code, entry.name, code_year)
        result.new += 1
