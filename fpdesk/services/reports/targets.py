"""Guidance targets (指导性任务表) and resident population per division: entered or imported.

A target is shares of one product in one policy year for a township (or a village, or the agency
channel 机关), split by payer. The S1 annex has three columns — guidance total, government-paid,
self-paid — and lists the agency channel (机关) in the government column although units pay for
their own staff: that row is kept as employer-paid (docs/rules.md#employer-channel).

A target may instead be set in households or persons, or as a share of the division's census
households or persons with a stretch rate (fpdesk.core.target_measures; docs/products.md, "Target
forms"): one form per row, and a file may mix them.

An import is one transaction and all or nothing: one bad row (unknown township, columns that do
not add up, a total row that disagrees with the rows) refuses the whole file and says which rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fpdesk.core import divisions
from fpdesk.core import target_measures as tm
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.excel.reader import open_roster
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.permissions import require
from fpdesk.services.records import apply_changes
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Division
from fpdesk.storage.schema_claims import Population, Target

# Header words (spaces and line breaks removed) -> field.
HEADERS = {
    "name": ("乡镇", "乡镇名称", "乡（镇）", "乡镇（单位）", "单位", "区划名称", "名称", "township_zh", "division_name",  # glossary: also read
             "name"),
    "code": ("区划代码", "代码", "division_code", "code"),
    "kind": ("kind", "类型"),
    "total": ("指导任务数", "任务数", "合计任务数", "任务合计", "guidance_total", "total"),
    "government": ("政府投保任务数", "政府投保", "政府出资", "gov_paid_target", "government"),  # glossary: also read
    "self_paid": ("自主投保任务数", "自主投保", "自费", "self_paid_target", "self"),  # glossary: also read
    "employer": ("单位投保任务数", "单位投保", "employer_paid_target", "employer"),
    "residents": ("常住人口", "人口", "常住人口数", "population", "residents"),
    "census_households": ("总户数", "户数", "常住户数", "户籍户数", "普查户数", "census_households"),
    # the other forms of target (fpdesk.core.target_measures)
    "households": ("目标户数", "任务户数", "参保户数任务", "参保户数目标", "target_households"),
    "persons": ("目标人数", "任务人数", "参保人数任务", "参保人数目标", "target_persons"),
    "household_rate": ("户数覆盖率%", "户数覆盖率", "参保率", "参保率%", "参保户数比例", "参保总户数%", "household_rate"),
    "person_rate": ("人口覆盖率%", "人口覆盖率", "人数覆盖率%", "人数覆盖率", "人口参保率", "人口参保率%", "person_rate"),
    "stretch": ("力争覆盖率", "力争覆盖率%", "力争参保率", "力争参保率%", "力争", "stretch_rate"),
}
TARGET_COLUMNS = ("total", "government", "self_paid", "employer", "households", "persons", "household_rate",
                  "person_rate")
FORM_NAMES = {"shares": "份数", "households": "目标户数", "persons": "目标人数", "household_rate": "户数覆盖率",
              "person_rate": "人口覆盖率"}
TOTAL_NAMES = ("合计", "总计", "TOTAL", "total")
AGENCY_NAMES = ("机关", "机关单位", "县直机关", "单位")


@dataclass
class TargetRow:
    row: int
    division_code: str
    division_name: str
    government: int
    self_paid: int
    employer: int
    measure: str = tm.SHARES
    quantity: int = 0
    rate_bp: int | None = None
    stretch_bp: int | None = None
    # the census base when the target table lists it beside the rate (总户数, 常住人口 columns)
    census_households: int | None = None
    residents: int | None = None

    @property
    def total(self) -> int:
        return self.government + self.self_paid + self.employer


@dataclass
class ImportResult:
    file: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # other townships' rows, at a township office

    def as_dict(self) -> dict[str, Any]:
        return {"ok": not self.rejected, "file": self.file, "rows": self.rows, "new": self.new,
                "updated": self.updated, "unchanged": self.unchanged, "rejected": self.rejected,
                "skipped": self.skipped, "totals": self.totals}


def _read_rows(path: Path) -> list[list]:
    workbook = open_roster(path)
    try:
        return list(workbook.rows())
    finally:
        workbook.close()


def _header_key(cell: Any) -> str:
    return re.sub(r"\s+", "", str(cell or ""))


def _find_header(rows: list[list], needed: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    lookup = {word.lower(): key for key, words in HEADERS.items() for word in words}
    for index, row in enumerate(rows[:20]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            word = _header_key(cell).lower()
            key = lookup.get(word) or lookup.get(re.sub(r"[(（]?[%％][)）]?$", "", word))  # 参保率（%）
            if key and key not in columns:
                columns[key] = position
        if ("name" in columns or "code" in columns) and any(k in columns for k in needed):
            return index, columns
    return None


def _number(value: Any) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number == int(number) else None


def _cell(row: list, columns: dict[str, int], key: str) -> Any:
    position = columns.get(key)
    return row[position] if position is not None and position < len(row) else None


class DivisionIndex:
    """Township names and codes of this database, for matching the annex's '城关' to 城关乡 350421200."""

    def __init__(self, session, county: str) -> None:
        self.county = county
        self.by_code = dict(session.execute(select(Division.code, Division.name)).all())
        self.by_name: dict[str, str] = {}
        for code, name in sorted(self.by_code.items()):
            if len(code) == 9:
                for form in divisions.name_forms(name):
                    self.by_name.setdefault(form, code)

    def resolve(self, name: str, code: str, kind: str) -> tuple[str, str] | None:
        if code:
            return (code, self.by_code.get(code, name)) if code in self.by_code else None
        if kind == "unit" or name in AGENCY_NAMES:
            agency = divisions.agency_channel_code(self.county)
            return agency, self.by_code.get(agency, name or "机关")
        # the name as written first (城关镇 is 城关镇 when there is one), then without its suffix
        forms = sorted(divisions.name_forms(name), key=len, reverse=True)
        found = next((self.by_name[form] for form in forms if form in self.by_name), None)
        return (found, self.by_code[found]) if found else None


def read_target_file(session, path: Path, county: str, *, skip_unknown: bool = False
                     ) -> tuple[list[TargetRow], list[dict[str, Any]], int | None, list[str]]:
    """The target rows of a file, the rejected rows, the file's own grand total (合计) if it has one, and
    the townships skipped because this database does not hold them (``skip_unknown``: a township office
    loading the county's whole table keeps its own row and the 机关 row)."""
    rows = _read_rows(path)
    found = _find_header(rows, TARGET_COLUMNS)
    if found is None:
        raise DomainError("targets_no_header", {"file": path.name})
    header, columns = found
    index = DivisionIndex(session, county)
    result: list[TargetRow] = []
    rejected: list[dict[str, Any]] = []
    file_total: int | None = None
    skipped: list[str] = []
    for offset, row in enumerate(rows[header + 1:], start=header + 2):
        name = _header_key(_cell(row, columns, "name"))
        code = _header_key(_cell(row, columns, "code"))
        numbers = {k: _number(_cell(row, columns, k)) for k in ("total", "government", "self_paid", "employer")}
        if not name and not code:
            continue  # blank line or the annex's column-number row (1, 2, 3)
        if name in TOTAL_NAMES:
            file_total = numbers["total"]
            if file_total is None:
                file_total = sum(v or 0 for k, v in numbers.items() if k != "total")
            continue

        def reject(message: str, why: str, code_: str, row_number: int = offset, label: str = name or code) -> None:
            rejected.append({"row": row_number, "division": label, "code": code_,
                             "message": message, "message_en": why})

        if any(v is not None and v < 0 for v in numbers.values()):
            reject("任务数不能为负数", "a target cannot be negative", "target_negative")
            continue
        try:
            form = _target_form(row, columns, numbers)
        except DomainError as error:
            reject(error.message("zh"), error.message("en"), error.code)
            continue
        kind = _header_key(_cell(row, columns, "kind")).lower()
        resolved = index.resolve(name, code, kind)
        if resolved is None and skip_unknown:
            skipped.append(name or code)
            continue
        if resolved is None:
            reject(f"找不到乡镇“{name or code}”（请先建立区划，或填写区划代码）",
                   f"township '{name or code}' is not known here", "unknown_division")
            continue
        government, self_paid, employer = (numbers[k] or 0 for k in ("government", "self_paid", "employer"))
        if numbers["total"] is not None and not any(numbers[k] is not None for k in ("government", "self_paid",
                                                                                       "employer")):
            government = numbers["total"]  # a single-column table: all of it in the first payer column
        if numbers["total"] is not None and numbers["total"] != government + self_paid + employer:
            reject(f"指导任务数 {numbers['total']} 不等于分项之和 {government + self_paid + employer}",
                   f"total {numbers['total']} is not the sum of its parts {government + self_paid + employer}",
                   "target_sum_mismatch")
            continue
        division_code, division_name = resolved
        if division_code.endswith(divisions.AGENCY_TOWNSHIP_PART) and len(division_code) == 9:
            # S1 lists 机关 under government-paid, but units pay for their own staff (docs/rules.md#employer-channel)
            employer, government = employer + government, 0
        if form is not None:
            government = self_paid = employer = 0
        result.append(TargetRow(offset, division_code, division_name, government, self_paid, employer,
                                *(form or (tm.SHARES, 0, None, None)),
                                _number(_cell(row, columns, "census_households")),
                                _number(_cell(row, columns, "residents"))))
    if file_total is not None and not rejected and not skipped and file_total != sum(r.total for r in result):
        rejected.append({"row": None, "division": "合计", "code": "target_total_mismatch",
                         "message": f"合计行 {file_total} 不等于各行之和 {sum(r.total for r in result)}",
                         "message_en": f"the total row {file_total} is not the sum of the rows"})
    return result, rejected, file_total, skipped


def _target_form(row: list, columns: dict[str, int], numbers: dict[str, int | None]
                 ) -> tuple[str, int, int | None, int | None] | None:
    """(measure, quantity, rate, stretch) of a row set in households, persons or a rate; None for shares."""
    counts = {k: _number(_cell(row, columns, k)) for k in ("households", "persons")}
    rates = {key: percent_of(_cell(row, columns, key)) for key in ("household_rate", "person_rate", "stretch")}
    for key in ("households", "persons", "census_households", "residents"):
        text = str(_cell(row, columns, key) or "").strip()
        if text and _number(text) is None:
            raise DomainError("target_count_bad", {"value": text})
        if (_number(text) or 0) < 0:
            raise DomainError("target_negative")
    forms = [k for k in ("households", "persons") if counts[k] is not None]
    forms += [k for k in ("household_rate", "person_rate") if rates[k] is not None]
    if any(v is not None for v in numbers.values()):
        forms.insert(0, "shares")
    if len(forms) > 1:
        raise DomainError("target_forms_conflict", {"forms": "、".join(FORM_NAMES[f] for f in forms)})
    measure = forms[0] if forms else tm.SHARES
    stretch = rates["stretch"]
    if stretch is not None and measure not in tm.RATES:
        raise DomainError("target_stretch_alone")
    if measure == tm.SHARES:
        return None
    if measure in tm.RATES:
        check_stretch(rates[measure], stretch)
        return measure, 0, rates[measure], stretch
    return measure, counts[measure] or 0, None, None


def percent_of(value: Any) -> int | None:
    """A percentage cell in basis points, refused with the target file's codes."""
    try:
        return tm.parse_percent(value)
    except tm.BadPercent as bad:
        code = {"over_100": "target_rate_over_100", "negative": "target_negative"}.get(bad.kind, "target_rate_bad")
        raise DomainError(code, {"value": str(value).strip()}) from None


def check_stretch(rate_bp: int | None, stretch_bp: int | None) -> None:
    if stretch_bp is not None and rate_bp is not None and stretch_bp < rate_bp:
        raise DomainError("target_stretch_below", {"stretch": tm.rate_text(stretch_bp), "rate": tm.rate_text(rate_bp)})


def census_bases(session, year: int, codes: list[str]) -> dict[str, tuple[int | None, int]]:
    """division code -> (census households, residents) of ``year``."""
    query = select(Population.division_code, Population.households, Population.residents).where(
        Population.year == year, Population.division_code.in_(codes))
    return {code: (households, residents) for code, households, residents in session.execute(query)}


def missing_census(session, year: int, rows: list[TargetRow]) -> list[str]:
    """The names of the divisions whose rate target has no census base for ``year`` to be a share of."""
    rated = [r for r in rows if r.measure in tm.RATES]
    bases = census_bases(session, year, [r.division_code for r in rated])
    missing = []
    for row in rated:
        households, residents = bases.get(row.division_code, (None, 0))
        households, residents = row.census_households or households, row.residents or residents  # the file's own
        if not (households if row.measure == tm.HOUSEHOLD_RATE else residents):
            missing.append(row.division_name or row.division_code)
    return missing


def import_targets(workspace: Workspace, path: str | Path, *, year: int, product: str) -> ImportResult:
    require(workspace, "products.manage")
    path = Path(path)
    office_product(workspace, product)
    office = workspace.require_office()
    result = ImportResult(path.name)
    with workspace.write() as ctx:
        rows, rejected, _, skipped = read_target_file(ctx.session, path, office.code[:6],
                                                      skip_unknown=office.level.value != "county")
        result.rows, result.rejected, result.skipped = len(rows), rejected, skipped
        missing = missing_census(ctx.session, year, rows) if not rejected else []
        if missing:  # a whole-file problem: said once, not on every row
            base = "、".join(sorted({tm.BASE_ZH[r.measure] for r in rows if r.measure in tm.RATES}))
            error = DomainError("target_census_missing", {"count": len(missing), "year": year, "base": base,
                                                          "divisions": "、".join(missing)})
            rejected.append({"row": None, "division": "、".join(missing), "code": error.code,
                             "message": error.message("zh"), "message_en": error.message("en")})
        if rejected:
            return result  # nothing was written: the transaction commits an empty change
        for row in rows:
            if row.census_households is not None or row.residents is not None:
                upsert_population(ctx, division_code=row.division_code, year=year, residents=row.residents,
                                  households=row.census_households, source=path.name)
            outcome = upsert_target(ctx, year=year, product=product, division_code=row.division_code,
                                    division_name=row.division_name, government=row.government,
                                    self_paid=row.self_paid, employer=row.employer, source=path.name,
                                    measure=row.measure, quantity=row.quantity, rate_bp=row.rate_bp,
                                    stretch_bp=row.stretch_bp)
            setattr(result, outcome, getattr(result, outcome) + 1)
    result.totals = {"government": sum(r.government for r in rows), "self": sum(r.self_paid for r in rows),
                     "employer": sum(r.employer for r in rows), "total": sum(r.total for r in rows)}
    for measure in (tm.HOUSEHOLDS, tm.PERSONS):  # keys only where the file sets such targets
        if any(r.measure == measure for r in rows):
            result.totals[measure] = sum(r.quantity for r in rows if r.measure == measure)
    if any(r.measure in tm.RATES for r in rows):
        result.totals["rate_targets"] = sum(r.measure in tm.RATES for r in rows)
    return result


def upsert_target(ctx: WriteContext, *, year: int, product: str, division_code: str, division_name: str,
                  government: int, self_paid: int, employer: int, source: str = "", measure: str = tm.SHARES,
                  quantity: int = 0, rate_bp: int | None = None, stretch_bp: int | None = None) -> str:
    """Insert or update one target; returns 'new', 'updated' or 'unchanged'. A target set in another
    form than shares has no payer split; one set again in another form takes that form whole."""
    if min(government, self_paid, employer, quantity) < 0:
        raise DomainError("target_negative")
    if measure not in tm.MEASURES:
        raise DomainError("target_measure", {"value": measure})
    for value in (rate_bp, stretch_bp):
        if value is not None and not 0 <= value <= tm.FULL:
            raise DomainError("target_rate_over_100" if value > 0 else "target_negative",
                              {"value": tm.rate_text(value)})
    if stretch_bp is not None and measure not in tm.RATES:
        raise DomainError("target_stretch_alone")
    check_stretch(rate_bp, stretch_bp)
    if measure in tm.RATES and rate_bp is None:
        raise DomainError("target_rate_bad", {"value": ""})
    if measure != tm.SHARES:
        government = self_paid = employer = 0
    if measure not in (tm.HOUSEHOLDS, tm.PERSONS):
        quantity = 0
    if measure not in tm.RATES:
        rate_bp = stretch_bp = None
    row = ctx.session.scalar(select(Target).where(Target.year == year, Target.product_code == product,
                                                  Target.division_code == division_code))
    values = {"division_name": division_name, "government": government, "self_paid": self_paid,
              "employer": employer, "source": source, "measure": measure, "quantity": quantity,
              "rate_bp": rate_bp, "stretch_bp": stretch_bp}
    if row is None:
        row = Target(id=new_id(), year=year, product_code=product, division_code=division_code, revision=1, **values)
        ctx.session.add(row)
        ctx.recorder.record("target", row.id, "insert", {"year": year, "product_code": product,
                                                         "division_code": division_code, **values}, 1)
        return "new"
    changed = apply_changes(ctx, "target", row, {k: v for k, v in values.items() if k != "source" or v})
    return "updated" if changed else "unchanged"


def set_target(workspace: Workspace, *, year: int, product: str, division_code: str, government: int = 0,
               self_paid: int = 0, employer: int = 0, measure: str = tm.SHARES, quantity: int = 0,
               rate_bp: int | None = None, stretch_bp: int | None = None) -> ChangeSet:
    """Enter one division's target by hand (the GUI's target table, ``fpdesk targets set``)."""
    require(workspace, "products.manage")
    office_product(workspace, product)
    with workspace.write() as ctx:
        name = ctx.session.scalar(select(Division.name).where(Division.code == division_code))
        if name is None:
            raise DomainError("unknown_division", {"value": division_code})
        row = TargetRow(0, division_code, name, government, self_paid, employer, measure, quantity, rate_bp,
                        stretch_bp)
        missing = missing_census(ctx.session, year, [row])
        if missing:
            raise DomainError("target_census_missing", {"count": 1, "year": year, "base": tm.BASE_ZH[measure],
                                                        "divisions": missing[0]})
        upsert_target(ctx, year=year, product=product, division_code=division_code, division_name=name,
                      government=government, self_paid=self_paid, employer=employer, source="手工录入",
                      measure=measure, quantity=quantity, rate_bp=rate_bp, stretch_bp=stretch_bp)
    return ctx.result


def list_targets(workspace: Workspace, *, year: int, product: str | None = None) -> list[dict[str, Any]]:
    with workspace.read() as session:
        query = select(Target).where(Target.year == year).order_by(Target.product_code, Target.division_code)
        if product:
            query = query.where(Target.product_code == product)
        return [{"product": t.product_code, "division_code": t.division_code, "division_name": t.division_name,
                 "government": t.government, "self": t.self_paid, "employer": t.employer,
                 "total": t.government + t.self_paid + t.employer, "source": t.source,
                 "measure": t.measure, "quantity": t.quantity,
                 "rate_pct": None if t.rate_bp is None else t.rate_bp / 100,
                 "stretch_pct": None if t.stretch_bp is None else t.stretch_bp / 100,
                 "text": tm.describe(t.measure, quantity=t.quantity, rate_bp=t.rate_bp, stretch_bp=t.stretch_bp,
                                     shares=t.government + t.self_paid + t.employer),
                 "text_en": tm.describe(t.measure, quantity=t.quantity, rate_bp=t.rate_bp, stretch_bp=t.stretch_bp,
                                        shares=t.government + t.self_paid + t.employer, english=True)}
                for t in session.scalars(query)]


# -- resident population ------------------------------------------------------------------------------


def set_population(workspace: Workspace, *, division_code: str, year: int, residents: int | None,
                   source: str = "手工录入", households: int | None = None) -> ChangeSet:
    require(workspace, "products.manage")
    with workspace.write() as ctx:
        upsert_population(ctx, division_code=division_code, year=year, residents=residents, source=source,
                          households=households)
    return ctx.result


def upsert_population(ctx: WriteContext, *, division_code: str, year: int, residents: int | None, source: str,
                      households: int | None = None) -> str:
    """Insert or update a division's census figures; a figure given as None keeps the stored one (a file
    of census households alone leaves the population as it was)."""
    for label, value in (("常住人口", residents), ("户数", households)):
        if value is not None and value < 0:
            raise DomainError("bad_argument", {"detail": f"{label} {value}"})
    row = ctx.session.scalar(select(Population).where(Population.division_code == division_code,
                                                      Population.year == year))
    if row is None:
        row = Population(id=new_id(), division_code=division_code, year=year, residents=residents or 0,
                         households=households, source=source, revision=1)
        ctx.session.add(row)
        ctx.recorder.record("population", row.id, "insert", {"division_code": division_code, "year": year,
                                                             "residents": residents or 0, "households": households,
                                                             "source": source}, 1)
        return "new"
    values = {"residents": residents, "households": households, "source": source}
    changed = apply_changes(ctx, "population", row, {k: v for k, v in values.items() if v is not None})
    return "updated" if changed else "unchanged"


def import_population(workspace: Workspace, path: str | Path, *, year: int) -> ImportResult:
    """Resident population per division from a file with a division column and a 常住人口 column, a
    census households (户数) column, or both."""
    require(workspace, "products.manage")
    path = Path(path)
    office = workspace.require_office()
    result = ImportResult(path.name)
    with workspace.write() as ctx:
        rows = _read_rows(path)
        found = _find_header(rows, ("residents", "census_households"))
        if found is None:
            raise DomainError("population_no_header", {"file": path.name})
        header, columns = found
        index = DivisionIndex(ctx.session, office.code[:6])
        planned = []
        for offset, row in enumerate(rows[header + 1:], start=header + 2):
            name = _header_key(_cell(row, columns, "name"))
            code = _header_key(_cell(row, columns, "code"))
            residents = _number(_cell(row, columns, "residents"))
            households = _number(_cell(row, columns, "census_households"))
            if (not name and not code) or name in TOTAL_NAMES:
                continue
            resolved = index.resolve(name, code, "")
            if code and resolved is None:
                resolved = (code, name)  # a county or prefecture code this database need not hold
            figures = [v for k, v in (("residents", residents), ("census_households", households)) if k in columns]
            if resolved is None or None in figures or any(v < 0 for v in figures):
                result.rejected.append({"row": offset, "division": name or code, "code": "bad_population_row",
                                        "message": "区划不明或人口数无效", "message_en": "unknown division or bad number"})
                continue
            planned.append((resolved[0], residents, households))
        result.rows = len(planned)
        if not result.rejected:
            for division_code, residents, households in planned:
                outcome = upsert_population(ctx, division_code=division_code, year=year, residents=residents,
                                            source=path.name, households=households)
                setattr(result, outcome, getattr(result, outcome) + 1)
    result.totals = {"residents": sum(r or 0 for _, r, _ in planned)}
    if "census_households" in columns:
        result.totals["households"] = sum(h or 0 for _, _, h in planned)
    return result
