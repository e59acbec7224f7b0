"""Importing a roster spreadsheet: read, check every row, plan, and (unless a dry run) apply.

``inspect_roster`` is the wizard's first look (sheets, header, mapping, preview); ``import_roster``
does the job: the dry run and the real import share one plan (fpdesk.services.roster_import_plan),
so the real import does exactly what the dry run showed. The accepted households are written in
one transaction with their change-log entries; a household with a rejected row waits, whole, for
the corrected file. Column mappings are remembered per layout in the ``setting`` table.

A dry run asked to keep its plan (``keep_plan``, the wizard) hands it to the import that follows
(``prepared``): the import then writes that plan without reading and judging the file again, and
refuses if the file or the database changed in between (what was shown is no longer what would be
written; the wizard checks again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpdesk.core.changes import ChangeSet
from fpdesk.core.collector import young_generations_only
from fpdesk.core.divisions import compact_name, name_forms
from fpdesk.core.errors import DomainError, register_messages
from fpdesk.core.products import Catalog
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.core.vocabulary import DivisionKind
from fpdesk.excel.codes import RowIssue
from fpdesk.excel.columns import (
    HeaderGuess,
    RosterField,
    apply_remembered,
    find_header,
    header_key,
    layout_signature,
    mapping_by_label,
    roster_fields,
)
from fpdesk.excel.households import assemble_households, grouping_of
from fpdesk.excel.reader import open_roster
from fpdesk.excel.report import write_rejected_report
from fpdesk.excel.rows import Lookups, check_rows
from fpdesk.services.backups import automatic_backup
from fpdesk.services.enrollment import write_plans
from fpdesk.services.households import household_row_values, logged, person_row_values, update_household_in
from fpdesk.services.households import update_person_in as _update_person_in
from fpdesk.services.permissions import require
from fpdesk.services.product_catalog import office_catalog
from fpdesk.services.records import put_setting
from fpdesk.services.roster_import_plan import (
    NEW,
    UNCHANGED,
    UPDATED,
    ImportPlan,
    RegistryChange,
    plan_in_parts,
)
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.bulk_indexes import deferred_search_indexes
from fpdesk.storage.bulk_insert import insert_rows
from fpdesk.storage.schema import (
    ChangeEntry,
    Division,
    Household,
    HouseholdCategoryLink,
    Person,
    Setting,
    utc_now,
)
from fpdesk.storage.schema_trust import AuditChainHead

MAPPING_KEY_PREFIX = "roster_layout:"
CHANGES_LISTED = 5000  # a whole corrected roster can change each row: the report lists this many, counts all
PREVIEW_ROWS = 20

register_messages({
    "roster_changed_since_check": (
        "名册文件“{file}”在检查之后被修改过，检查结果已不适用。请重新检查后再导入。",
        "The roster '{file}' was changed after it was checked; check it again before importing."),
    "data_changed_since_check": (
        "检查名册之后，本单位的数据有了变动（例如导入了数据包），检查结果已不适用。请重新检查后再导入。",
        "The office's data changed after the roster was checked (a package was imported, say); check it "
        "again before importing."),
    "import_settings_changed_since_check": (
        "导入的设置（工作表、年度、险种或列的对应）在检查之后改过了。请重新检查后再导入。",
        "The import's settings (sheet, year, product or columns) changed after the check; check again "
        "before importing."),
})
# what a kept plan's import refuses with; checking again is the way on
CHECK_AGAIN = frozenset({"roster_changed_since_check", "data_changed_since_check",
                         "import_settings_changed_since_check"})


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

    @property
    def signature(self) -> str:
        return layout_signature(self.labels)


@dataclass
class RosterImportResult(ChangeSet):
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    dry_run: bool = True
    households_new: int = 0
    households_updated: int = 0
    enrollments_new: int = 0
    sheet: str = ""
    # no product column, none chosen, none named in the title: people registered, nobody enrolled
    households_only: bool = False
    # registered values the roster changes (renamed people, households moved), the first CHANGES_LISTED
    registry_changes: list[RegistryChange] = field(default_factory=list)
    registry_changes_total: int = 0
    report_path: Path | None = None
    prepared: PreparedImport | None = field(default=None, repr=False)  # a dry run's plan, when kept

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({issue.row for issue in self.rejected})

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": [issue.as_dict() for issue in self.rejected]}


@dataclass
class PreparedImport:
    """What a dry run read, checked and planned, for the import that follows it."""

    path: Path
    stamp: str  # the file's digest when it was read (a FAT stick's times are too coarse to tell)
    request: tuple  # sheet, year, product, mapping, header row, today: what the dry run was asked
    seq: int  # the change log's last entry before anything was read for the plan
    catalog: tuple  # the products and forms it was planned with (a county edits its folder's files)
    labels: tuple[str, ...]
    columns: dict[int, str]
    data_start: int
    parts: list[ImportPlan]
    counts: RosterImportResult


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
        guess = _header(head, header_row, fields)
        if guess is None:
            return RosterInspection(path, book.kind, book.sheet_names, name, None, (), {}, fields,
                                    [list(r) for r in head[:PREVIEW_ROWS]])
        remembered = remembered_mapping(workspace, guess.signature)
        mapping = apply_remembered(guess, remembered, fields)
        preview = [list(r) for r in head[guess.data_start:guess.data_start + PREVIEW_ROWS]]
        return RosterInspection(path, book.kind, book.sheet_names, name, guess.header_row, guess.labels, mapping,
                                fields, preview, remembered is not None)
    finally:
        book.close()


def _header(head: list[list], header_row: int | None, fields) -> HeaderGuess | None:
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


def remember_mapping(ctx: WriteContext, labels: Sequence[str], mapping: dict[int, str]) -> None:
    """Store the mapping of this layout (header text -> field) in the setting table, logged."""
    key = MAPPING_KEY_PREFIX + layout_signature(labels)
    value = {"columns": mapping_by_label(labels, mapping), "labels": list(labels)}
    put_setting(ctx, key, value)


def build_lookups(workspace: Workspace, *, product: str | None, today: dt.date, cat: Catalog | None = None) -> Lookups:
    """Divisions by name (村 with or without its suffix, within the named township) and code; the
    products and forms of ``cat`` (default: the office's catalog)."""
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
        candidates = villages.get(compact_name(village), [])
        if township and len(candidates) > 1:
            parents = townships.get(compact_name(township), set())
            candidates = [d for d in candidates if d.parent_code in parents]
        if len(candidates) != 1:
            return None
        return candidates[0].code, candidates[0].kind == DivisionKind.AGENCY_UNIT.value

    office = workspace.require_office()
    cat = cat or office_catalog(workspace)
    products = dict(cat.products)
    if product is not None and product not in products:
        raise DomainError("unknown_product", {"code": product, "known": "、".join(sorted(products))})
    default_division = office.code if len(office.code) == 12 else None
    return Lookups(resolve, products, {p.code: cat.form_of(p) for p in cat.products.values()}, default_product=product,
                   default_division=default_division, today=today)


def import_roster(workspace: Workspace, path: str | Path, *, sheet: str | None = None, year: int | None = None,
                  product: str | None = None, dry_run: bool = False, mapping: dict[int, str] | None = None,
                  header_row: int | None = None, report: str | Path | None = None, today: dt.date | None = None,
                  remember: bool = True, progress: Progress = NO_PROGRESS, keep_plan: bool = False,
                  prepared: PreparedImport | None = None) -> RosterImportResult:
    """Check and (unless ``dry_run``) import a roster; file-level problems raise DomainError.

    ``mapping`` (column index -> field key) and ``header_row`` override what is found in the file.
    ``report`` writes the rejected rows as an xlsx copy with an error column. ``keep_plan`` (a dry
    run) returns the plan in ``result.prepared``; passed back as ``prepared`` with the same
    arguments, the import writes it (DomainError roster_changed_since_check or
    data_changed_since_check when the file or the data changed since).
    """
    today = today or dt.date.today()
    with young_generations_only():  # a roster becomes 100,000s of objects that live to the end
        if prepared is not None and not dry_run:
            request = _request(sheet, year or today.year, product, mapping, header_row, today)
            if prepared.request != request or prepared.path != Path(path):
                raise DomainError("import_settings_changed_since_check")
            return _apply_prepared(workspace, prepared, report=report, remember=remember, progress=progress)
        return _import_roster(workspace, Path(path), sheet=sheet, year=year, product=product, dry_run=dry_run,
                              mapping=mapping, header_row=header_row, report=report, today=today,
                              remember=remember, progress=progress, keep_plan=keep_plan and dry_run)


def _request(sheet, year, product, mapping, header_row, today) -> tuple:
    return (sheet, year, product, tuple(sorted(mapping.items())) if mapping is not None else None, header_row, today)


# what a roster's plan is judged by; other entries (log-ins, views, print logs, settings) leave it valid
PLAN_ENTITIES = ("household", "person", "enrollment", "insured_person", "division", "product_definition")


def _file_stamp(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # moved or deleted since: not the file that was checked
        return ""


def _last_seq(session: Session) -> int:
    return session.scalar(select(func.max(ChangeEntry.local_seq))) or 0


def _catalog_state(cat: Catalog) -> tuple:
    return tuple(sorted(cat.products.items())), tuple(sorted(cat.forms.items()))


def _changed_since(workspace: Workspace, session: Session, prepared: PreparedImport) -> bool:
    """Every write goes through the change log: an entry of a kind the plan depends on, newer than
    the check, or other products and forms, mean the plan may no longer be what would be decided."""
    newer = session.scalar(select(ChangeEntry.local_seq).where(
        ChangeEntry.local_seq > prepared.seq, ChangeEntry.entity.in_(PLAN_ENTITIES)).limit(1))
    return newer is not None or _catalog_state(office_catalog(workspace, session)) != prepared.catalog


def _lock_writers_out(session: Session) -> None:
    """Take the audit chain head as every logging writer does (PostgreSQL: until commit), so no
    write lands between the check below and this import's own."""
    table = AuditChainHead.__table__
    session.execute(select(table.c.id).where(table.c.id == 1).with_for_update()).first()


def _apply_prepared(workspace: Workspace, prepared: PreparedImport, *, report, remember: bool,
                    progress: Progress) -> RosterImportResult:
    path = prepared.path
    if _file_stamp(path) != prepared.stamp:
        raise DomainError("roster_changed_since_check", {"file": path.name})
    with workspace.read() as session:  # said before the backup is taken, not only after it
        if _changed_since(workspace, session, prepared):
            raise DomainError("data_changed_since_check")
    counts = prepared.counts
    result = RosterImportResult(rows=counts.rows, new=counts.new, updated=counts.updated, unchanged=counts.unchanged,
                                rejected=list(counts.rejected), dry_run=False, households_new=counts.households_new,
                                households_updated=counts.households_updated, enrollments_new=counts.enrollments_new,
                                sheet=counts.sheet, households_only=counts.households_only,
                                registry_changes=list(counts.registry_changes),
                                registry_changes_total=counts.registry_changes_total)
    require(workspace, "roster.import")
    automatic_backup(workspace, "before-import")
    with workspace.write() as ctx:
        _lock_writers_out(ctx.session)
        if _changed_since(workspace, ctx.session, prepared):
            raise DomainError("data_changed_since_check")
        ctx.recorder.result = result
        ctx.recorder.summary_only = counts.rows > 1000
        total = sum(len(part.decisions) for part in prepared.parts)
        done = 0
        for part in prepared.parts:
            _apply(ctx, part, progress)
            done += len(part.decisions)
            progress.update(done, total, "写入")
        if remember:
            remember_mapping(ctx, prepared.labels, prepared.columns)
    prepared.parts = []  # written: a second import of this plan would find the data changed anyway
    if report is not None and result.rejected:
        result.report_path = save_rejected_report(prepared, result.rejected, report)
    return result


def save_rejected_report(prepared: PreparedImport, rejected: list[RowIssue], target: str | Path) -> Path:
    """The rejected rows of a checked roster as an xlsx copy with an error column (no checking again)."""
    if _file_stamp(prepared.path) != prepared.stamp:  # moved, deleted or changed since the check
        raise DomainError("roster_changed_since_check", {"file": prepared.path.name})
    book = open_roster(prepared.path)
    try:
        rows = book.rows(prepared.counts.sheet)
        return write_rejected_report(target, rows, prepared.data_start, rejected, dict(prepared.columns))
    finally:
        book.close()


def _import_roster(workspace: Workspace, path: Path, *, sheet, year, product, dry_run, mapping, header_row, report,
                   today: dt.date, remember: bool, progress: Progress, keep_plan: bool) -> RosterImportResult:
    request = _request(sheet, year or today.year, product, mapping, header_row, today)
    stamp = _file_stamp(path) if keep_plan else ""
    if keep_plan:  # before anything the plan is judged by is read
        with workspace.read() as session:
            seq = _last_seq(session)
    year = year or today.year
    cat = office_catalog(workspace)
    lookups = build_lookups(workspace, product=product, today=today, cat=cat)
    book = open_roster(path)
    try:
        name = book.sheet(sheet)
        head = book.head(name, 40)
        if not any(any(v is not None and str(v).strip() for v in row) for row in head):
            raise DomainError("empty_file", {"file": path.name, "sheet": name})
        fields = all_fields(cat, product)
        guess = _header(head, header_row, fields)
        if guess is None:
            raise DomainError("no_header", {"sheet": name, "scanned": min(len(head), 30)})
        columns = mapping if mapping is not None else apply_remembered(
            guess, remembered_mapping(workspace, guess.signature), fields)
        if product is None and "product" not in columns.values():
            named = _product_in_title(head[:guess.header_row], lookups)
            if named is not None:
                lookups = replace(lookups, default_product=named)
        progress.update(0, book.row_count(name) or 0, "检查各行")
        total = book.row_count(name) or 0
        checked = check_rows(itertools.islice(book.rows(name), guess.data_start, None), guess.labels, columns,
                             lookups, first_row_number=guess.data_start + 1,
                             progress=lambda n: progress.update(n, total, "检查各行"))
        if checked.data_rows == 0:
            raise DomainError("empty_file", {"file": path.name, "sheet": name})
        groups = assemble_households(checked.entries, grouping_of(list(columns.values())))
        labels_by_key = {key: guess.labels[i] for i, key in columns.items() if i < len(guess.labels)}
        result = RosterImportResult(rows=checked.data_rows, dry_run=dry_run, sheet=name,
                                    households_only=lookups.default_product is None
                                    and "product" not in columns.values())
        require(workspace, "roster.import")
        if not dry_run:
            automatic_backup(workspace, "before-import")  # a rotating copy before the job
        with workspace.write() as ctx:
            ctx.recorder.result = result
            ctx.recorder.summary_only = checked.data_rows > 1000
            # planned, counted and (unless a dry run) written a part at a time, inside the one
            # transaction: the whole roster's plan and change entries are never held at once
            # (a dry run keeping its plan for the wizard's import holds it, by request)
            held: list[RowIssue] = []
            kept: list[ImportPlan] = []
            for part in plan_in_parts(ctx.session, groups, lookups.products, year=year, today=today,
                                      columns=labels_by_key,
                                      progress=lambda done, all_: progress.update(done, all_, "核对家庭户和参保资格")):
                held += part.issues
                _count(result, part)
                if not dry_run:
                    _apply(ctx, part, progress)
                elif keep_plan:
                    kept.append(ImportPlan(part.accepted, []))
                del part
            result.rejected = sorted(checked.issues + held, key=lambda i: (i.row, i.column_index or 0))
            if not dry_run and remember:
                remember_mapping(ctx, guess.labels, columns)
        if keep_plan:
            # the counts alone (not the result, which will hold the plan: no cycle to wait for)
            counts = replace(result, rejected=list(result.rejected), changes=[])
            result.prepared = PreparedImport(path, stamp, request, seq, _catalog_state(cat), guess.labels,
                                             dict(columns), guess.data_start, kept, counts)
        if report is not None and result.rejected:
            rows = itertools.islice(book.rows(name), 0, None)
            result.report_path = write_rejected_report(report, rows, guess.data_start, result.rejected,
                                                       {i: k for i, k in columns.items()})
    finally:
        book.close()
    return result


def _product_in_title(rows, lookups: Lookups) -> str | None:
    """Templates and fpdesk's own exports name their product in the title rows."""
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    hits = [p.code for p in lookups.products.values() if p.name_zh in text]
    return hits[0] if len(hits) == 1 else None


def _count(result: RosterImportResult, plan: ImportPlan) -> None:
    for decision in plan.accepted:
        for status in decision.status.values():
            if status == NEW:
                result.new += 1
            elif status == UPDATED:
                result.updated += 1
            elif status == UNCHANGED:
                result.unchanged += 1
        if decision.is_new:
            result.households_new += 1
        elif decision.household_changes or decision.person_updates or decision.new_rows:
            result.households_updated += 1
        result.enrollments_new += len(decision.plans)
        if decision.registry_changes:
            result.registry_changes_total += len(decision.registry_changes)
            room = CHANGES_LISTED - len(result.registry_changes)
            result.registry_changes += decision.registry_changes[:max(room, 0)]


def _apply(ctx: WriteContext, plan: ImportPlan, progress: Progress) -> None:
    accepted = plan.accepted
    now = utc_now()
    households, categories, persons = [], [], []
    for decision in accepted:
        snapshot = decision.snapshot
        if decision.is_new:
            head_row = decision.group.first
            draft_values = household_row_values(_draft(decision), snapshot.division_id)
            draft_values["address"] = head_row.address or ""
            households.append({"id": decision.household_id, "revision": 1, "created_at": now, "updated_at": now,
                               **draft_values})
            values = sorted(c.value for c in snapshot.categories)
            categories += [{"household_id": decision.household_id, "category": c} for c in values]
            ctx.recorder.record("household", decision.household_id, "insert", {**draft_values, "categories": values}, 1)
        for row in decision.new_rows:
            person_id = decision.person_ids[row.row]
            values = person_row_values(row.person, decision.household_id)
            persons.append({"id": person_id, "revision": 1, "created_at": now, "updated_at": now, **values})
            ctx.recorder.record("person", person_id, "insert", logged(values), 1)
    # Core inserts: the ORM's bulk insert splits a batch wherever a column turns from None to a value
    # (a head's phone, then the members' none), which made one executemany per household.
    connection = ctx.session.connection()
    if households:
        insert_rows(connection, Household.__table__, households)
    if categories:
        insert_rows(connection, HouseholdCategoryLink.__table__, categories)
    with deferred_search_indexes(connection, "person", incoming=len(persons)):
        if persons:
            insert_rows(connection, Person.__table__, persons)
        ctx.recorder.flush()
        for decision in accepted:
            if decision.household_changes:
                changes = dict(decision.household_changes)
                update_household_in(ctx, decision.household_id, division_code=changes.pop("division_code", None),
                                    categories=changes.pop("categories", None), **changes)
            # a head who stops being head goes first, so the household never has two
            for row, person_id, _changes in sorted(decision.person_updates,
                                                   key=lambda u: u[0].person.relation.value == "head"):
                _update_person(ctx, person_id, row)
    plans = [p for d in accepted for p in d.plans]
    if plans:
        write_plans(ctx, plans)
    ctx.recorder.flush()
    progress.check()


def _draft(decision):
    from fpdesk.core.people import HouseholdDraft

    snapshot = decision.snapshot
    return HouseholdDraft(division_code=snapshot.division_code, categories=snapshot.categories,
                          certificate_no=snapshot.certificate_no, is_rural=snapshot.is_rural,
                          reward_recipient=snapshot.reward_recipient)


def _update_person(ctx: WriteContext, person_id: uuid.UUID, row) -> None:
    """The file's name, relation and phones over the registered record (blank cells keep what is there)."""
    current = ctx.session.get(Person, person_id)
    person = replace(row.person, relation=row.person.relation if row.relation_given else type(row.person.relation)(
        current.relation), phone=row.person.phone or current.phone, phone2=row.person.phone2 or current.phone2)
    _update_person_in(ctx, person_id, person)


def header_label(key: str, fields: Sequence[RosterField]) -> str:
    return next((f.label_zh for f in fields if f.key == key), key)


__all__ = ["RosterImportResult", "RosterInspection", "header_key", "import_roster", "inspect_roster"]
