"""What the roster importer needs before it reads the rows: the wizard's first look at a file
(sheets, header, mapping, preview, each column's distinct values), the form questions the sheet
leaves open, the lookups the row checks use (divisions by name or code, products and forms, the
whole file's answers), and the layouts remembered from earlier imports.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from fpdesk.core.catalog import Catalog
from fpdesk.core.divisions import name_forms
from fpdesk.core.errors import DomainError
from fpdesk.core.vocabulary import DivisionKind
from fpdesk.excel.columns import (
    HeaderGuess,
    RosterField,
    apply_remembered,
    find_header,
    layout_signature,
    roster_fields,
)
from fpdesk.excel.reader import open_roster
from fpdesk.excel.rows import Lookups
from fpdesk.services.enrollment.product_catalog import office_catalog
from fpdesk.services.registry.divisions import village_suggester
from fpdesk.services.rosters.questions import Question, questions_for
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import Division, Setting

MAPPING_KEY_PREFIX = "roster_layout:"
DISTINCT_KEPT = 1000
PREVIEW_ROWS = 20


@dataclass
class RosterInspection:
    """What the wizard shows before the dry run."""

    path: Path
    kind: str
    sheet_names: list[str]
    sheet: str
    header_row: int | None  # 0-based; None when no header was found
    labels: tuple[str, ...]
    mapping: dict[int, str]
    fields: tuple[RosterField, ...]
    preview: list[list]  # the first data rows as they are in the file
    remembered: bool = False
    # each column's distinct values (up to DISTINCT_KEPT), to learn which products and channels the
    # rows name whichever column the clerk maps to 险种 or 村（居）
    distinct: dict[int, set] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)  # remembered whole-file answers of this layout
    title_rows: list[list] = field(default_factory=list)  # the rows above the header (a title names the product)

    @property
    def signature(self) -> str:
        return layout_signature(self.labels)



def all_fields(cat: Catalog, product: str | None = None) -> tuple[RosterField, ...]:
    """Standard columns plus the form questions of ``product`` (or of every product) in ``cat``."""
    forms = [cat.form_of(p) for p in cat.products.values() if product is None or p.code == product]
    seen: dict[str, RosterField] = {}
    for form in forms or [None]:
        for item in roster_fields(form):
            seen.setdefault(item.key, item)
    return tuple(seen.values())


def inspect_roster(workspace: Workspace, path: str | Path, *, sheet: str | None = None,
                   header_row: int | None = None, product: str | None = None) -> RosterInspection:
    path = Path(path)
    book = open_roster(path)
    try:
        name = book.sheet(sheet)
        head = book.head(name, 40 + PREVIEW_ROWS)
        fields = all_fields(office_catalog(workspace), product)
        guess = header_guess(head, header_row, fields)
        if guess is None:
            return RosterInspection(path, book.kind, book.sheet_names, name, None, (), {}, fields,
                                    [list(r) for r in head[:PREVIEW_ROWS]])
        remembered = remembered_mapping(workspace, guess.signature)
        mapping = apply_remembered(guess, remembered, fields)
        preview = [list(r) for r in head[guess.data_start:guess.data_start + PREVIEW_ROWS]]
        distinct = _distinct_values(itertools.islice(book.rows(name), guess.data_start, None))
        return RosterInspection(path, book.kind, book.sheet_names, name, guess.header_row, guess.labels, mapping,
                                fields, preview, remembered is not None, distinct,
                                remembered_answers(workspace, guess.signature),
                                [list(r) for r in head[:guess.header_row]])
    finally:
        book.close()


def _distinct_values(rows) -> dict[int, set]:
    found: dict[int, set] = {}
    full: set[int] = set()
    for row in rows:
        for index, value in enumerate(row):
            if value is None or index in full:
                continue
            text = " ".join(str(int(value) if isinstance(value, float) and value.is_integer() else value).split())
            if not text:
                continue
            values = found.setdefault(index, set())
            values.add(text)
            if len(values) >= DISTINCT_KEPT:
                full.add(index)
    return found


def inspection_questions(workspace: Workspace, inspection: RosterInspection, mapping: dict[int, str],
                         product: str | None) -> list[Question]:
    """The form questions this sheet leaves open under ``mapping``: of the chosen product, or of the
    products its 险种 column names (the product in the title, else none), in the channels its
    村（居） column reaches (an agency unit's rows are asked the unit channel's questions too)."""
    cat = office_catalog(workspace)
    lookups = build_lookups(workspace, product=product, today=dt.date.today(), cat=cat)
    by_key = {key: index for index, key in mapping.items()}
    products: set[str] = set()
    if product:
        products.add(product)
    else:
        named = product_in_title(inspection.title_rows, lookups)
        if named:
            products.add(named)  # the product of the rows whose 险种 is blank (fpdesk's template)
        for text in inspection.distinct.get(by_key.get("product", -1), ()):
            found = lookups.product(text)
            if found is not None:
                products.add(found.code)
    channels = {"village"}
    for key in ("village", "division_code"):
        for text in inspection.distinct.get(by_key.get(key, -1), ()):
            found = lookups.resolve_division("", text, "") if key == "village" else lookups.resolve_division(
                "", "", text)
            if found is not None and found[1]:
                channels.add("unit")
    return questions_for(cat, sorted(products), sorted(channels), mapping.values())


def header_guess(head: list[list], header_row: int | None, fields) -> HeaderGuess | None:
    """The header found in the first rows, or the row the user chose (mapped as far as it can be)."""
    if header_row is None:
        return find_header(head, fields)
    if header_row >= len(head):
        return None
    found = find_header(head[header_row:header_row + 1], fields)
    labels = tuple(" ".join(str(v).split()) if v is not None else "" for v in head[header_row])
    return HeaderGuess(header_row, labels, found.mapping if found else {})


def remembered_mapping(workspace: Workspace, signature: str) -> dict[str, str] | None:
    with workspace.read() as session:
        row = session.get(Setting, MAPPING_KEY_PREFIX + signature)
        return dict(row.value.get("columns", {})) if row is not None else None


def remembered_answers(workspace: Workspace, signature: str) -> dict[str, str]:
    with workspace.read() as session:
        row = session.get(Setting, MAPPING_KEY_PREFIX + signature)
        return dict(row.value.get("answers", {})) if row is not None else {}



def build_lookups(workspace: Workspace, *, product: str | None, today: dt.date, cat: Catalog | None = None,
                  answers: dict[str, str] | None = None) -> Lookups:
    """Divisions by name (村 with or without its suffix, within the named township, this office's
    own first) and code; the products and forms of ``cat`` (default: the office's catalog); the
    whole file's ``answers`` (form field key -> value)."""
    office = workspace.require_office()
    with workspace.read() as session:
        divisions = session.execute(select(Division.code, Division.name, Division.kind, Division.parent_code)).all()
    village_kinds = {DivisionKind.VILLAGE.value, DivisionKind.COMMUNITY.value, DivisionKind.AGENCY_UNIT.value}
    by_code = {d.code: d for d in divisions}
    townships: dict[str, set[str]] = {}
    villages: dict[str, list] = {}
    for d in divisions:
        if d.kind in village_kinds:
            for name in name_forms(d.name):
                villages.setdefault(name, []).append(d)
        elif len(d.code) == 9:
            for name in name_forms(d.name):
                townships.setdefault(name, set()).add(d.code)

    def resolve(township: str, village: str, code: str) -> tuple[str, bool] | None:
        if code:
            found = by_code.get(code.strip())
            return (found.code, found.kind == DivisionKind.AGENCY_UNIT.value) if found else None
        # the name as written first (罗翠村委会), then its shorter forms (罗翠)
        candidates: list = []
        for form in sorted(name_forms(village), key=len, reverse=True):
            candidates = villages.get(form, [])
            if candidates:
                break
        if township and len(candidates) > 1:
            parents = set().union(*(townships.get(form, set()) for form in name_forms(township)))
            candidates = [d for d in candidates if d.parent_code in parents]
        if len(candidates) > 1:  # a village of this office's own township before a namesake elsewhere
            own = [d for d in candidates if d.code.startswith(office.code)]
            candidates = own or candidates
        if len(candidates) != 1:
            return None
        return candidates[0].code, candidates[0].kind == DivisionKind.AGENCY_UNIT.value

    cat = cat or office_catalog(workspace)
    products = dict(cat.products)
    if product is not None and product not in products:
        raise DomainError("unknown_product", {"code": product, "known": "、".join(sorted(products))})
    default_division = office.code if len(office.code) == 12 else None
    return Lookups(resolve, products, {p.code: cat.form_of(p) for p in cat.products.values()}, default_product=product,
                   default_division=default_division, today=today, answers=dict(answers or {}),
                   nearest_divisions=village_suggester(workspace),
                   division_name=lambda code: by_code[code].name if code in by_code else "")



def product_in_title(rows, lookups: Lookups) -> str | None:
    """Templates and fpdesk's own exports name their product in the title rows."""
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    hits = [p.code for p in lookups.products.values() if any(name in text for name in (p.name_zh, *p.aliases))]
    return hits[0] if len(hits) == 1 else None


