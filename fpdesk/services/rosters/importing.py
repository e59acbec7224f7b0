"""Importing a roster spreadsheet: read, check every row, plan, and (unless a dry run) apply.

``inspect_roster`` (fpdesk.services.rosters.lookups) is the wizard's first look; ``import_roster``
does the job: the dry run and the real import share one plan (fpdesk.services.rosters.import_plan),
so the real import does exactly what the dry run showed. The accepted households are written in
one transaction with their change-log entries; a household with a rejected row waits, whole, for
the corrected file, and every row's own problems are said in the same dry run. Members the product
does not cover are registered and listed as not insured; a problem of the whole file (a form
column it lacks, an unknown product, a closed window) is said once. Column mappings and whole-file
answers are remembered per layout in the ``setting`` table.

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
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpdesk.core.catalog import Catalog
from fpdesk.core.changes import ChangeSet
from fpdesk.core.collector import young_generations_only
from fpdesk.core.errors import DomainError
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.excel.codes import FileIssue, NotInsured, RowIssue, RowNote, file_issue
from fpdesk.excel.column_checks import check_columns
from fpdesk.excel.columns import (
    RosterField,
    apply_remembered,
    header_key,
    layout_signature,
    mapping_by_label,
)
from fpdesk.excel.households import assemble_households, grouping_of
from fpdesk.excel.reader import open_roster
from fpdesk.excel.rows import check_rows
from fpdesk.services.enrollment.enrolling import write_plans
from fpdesk.services.enrollment.product_catalog import office_catalog
from fpdesk.services.permissions import require
from fpdesk.services.records import put_setting
from fpdesk.services.registry.households import (
    update_household_in,
)
from fpdesk.services.registry.households import update_person_in as _update_person_in
from fpdesk.services.rosters.import_plan import (
    NEW,
    UNCHANGED,
    UPDATED,
    ImportPlan,
    RegistryChange,
    plan_in_parts,
)
from fpdesk.services.rosters.judge_memo import JudgeMemo
from fpdesk.services.rosters.lookups import (
    MAPPING_KEY_PREFIX,
    RosterInspection,
    all_fields,
    build_lookups,
    header_guess,
    inspect_roster,
    product_in_title,
    remembered_mapping,
)
from fpdesk.services.rosters.new_rows import (
    CATEGORY_KEYS,
    HOUSEHOLD_KEYS,
    PERSON_KEYS,
    NewHouseholdRows,
    NewPersonRows,
)
from fpdesk.services.rosters.questions import (
    missing_column_issue,
    resolve_answers,
    unknown_product_issues,
)
from fpdesk.services.trust.backups import automatic_backup
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.bulk_indexes import deferred_search_indexes, deferred_write_only_indexes
from fpdesk.storage.bulk_insert import insert_processed
from fpdesk.storage.pipelined_writes import writer_thread
from fpdesk.storage.schema import (
    ChangeEntry,
    Household,
    HouseholdCategoryLink,
    Person,
    utc_now,
)
from fpdesk.storage.schema_trust import AuditChainHead

CHANGES_LISTED = 5000  # a whole corrected roster can change each row: the report lists this many, counts all

# what a kept plan's import refuses with; checking again is the way on
CHECK_AGAIN = frozenset({"roster_changed_since_check", "data_changed_since_check",
                         "import_settings_changed_since_check"})


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
    # registered members the product's rules leave out (past its ages …): listed, never a rejection
    not_insured: list[NotInsured] = field(default_factory=list)
    # problems of the whole file, each said once with what to do (the file still imports)
    file_issues: list[FileIssue] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)  # identical lines merged
    # villages the file names that this office does not know: (township, village) -> rows
    unknown_divisions: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    not_registered_rows: int = 0  # rows whose household waits (the others are registered)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({issue.row for issue in self.rejected})

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": [issue.as_dict() for issue in self.rejected],
                "not_insured": [item.as_dict() for item in self.not_insured],
                "file_issues": [issue.as_dict() for issue in self.file_issues],
                "notes": [note.as_dict() for note in self.notes]}


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
    answers: dict[str, str] = field(default_factory=dict)


def remember_mapping(ctx: WriteContext, labels: Sequence[str], mapping: dict[int, str],
                     answers: dict[str, str] | None = None) -> None:
    """Store the mapping of this layout (header text -> field) and the whole-file answers given for
    it in the setting table, logged: next season's roster of the same layout is asked nothing again."""
    key = MAPPING_KEY_PREFIX + layout_signature(labels)
    value = {"columns": mapping_by_label(labels, mapping), "labels": list(labels)}
    if answers:
        value["answers"] = dict(answers)
    put_setting(ctx, key, value)


def import_roster(workspace: Workspace, path: str | Path, *, sheet: str | None = None, year: int | None = None,
                  product: str | None = None, dry_run: bool = False, mapping: dict[int, str] | None = None,
                  header_row: int | None = None, report: str | Path | None = None, today: dt.date | None = None,
                  remember: bool = True, progress: Progress = NO_PROGRESS, keep_plan: bool = False,
                  prepared: PreparedImport | None = None, answers: dict[str, str] | None = None,
                  by_columns: bool = True, pipelined: bool = True) -> RosterImportResult:
    """Check and (unless ``dry_run``) import a roster; a file that cannot be read raises DomainError.

    ``mapping`` (column index -> field key) and ``header_row`` override what is found in the file.
    ``answers`` (form field key or Chinese label -> value) answer a form question for the whole
    file: a column the sheet lacks, or a cell left blank. ``report`` writes the rejected rows as an
    xlsx copy with an error column. ``keep_plan`` (a dry run) returns the plan in
    ``result.prepared``; passed back as ``prepared`` with the same arguments, the import writes it
    (DomainError roster_changed_since_check or data_changed_since_check when the file or the data
    changed since). ``by_columns=False`` checks the rows one by one and asks the engine for every
    household, as before the column checks (fpdesk.excel.column_checks): the tests compare both.
    ``pipelined=False`` writes without the writer thread (storage/pipelined_writes.py): the same
    rows and change-log hashes, compared by the tests.
    """
    today = today or dt.date.today()
    # a roster becomes 100,000s of objects that live to the end; a dry run's cycles (its exceptions)
    # die young, and it holds no session results across rows (fpdesk/core/collector.py); nor does the
    # writing, whose statements are executemany's of rows it built: the second generation's passes
    # walked the plan's objects for nothing (a second of a 100,000-row import), the peak unchanged
    with young_generations_only(youngest=True):
        answers = resolve_answers(office_catalog(workspace), answers, product)
        if prepared is not None and not dry_run:
            request = _request(sheet, year or today.year, product, mapping, header_row, today, answers)
            if prepared.request != request or prepared.path != Path(path):
                raise DomainError("import_settings_changed_since_check")
            return _apply_prepared(workspace, prepared, report=report, remember=remember, progress=progress,
                                   pipelined=pipelined)
        return _import_roster(workspace, Path(path), sheet=sheet, year=year, product=product, dry_run=dry_run,
                              mapping=mapping, header_row=header_row, report=report, today=today,
                              remember=remember, progress=progress, keep_plan=keep_plan and dry_run, answers=answers,
                              by_columns=by_columns, pipelined=pipelined)


def _request(sheet, year, product, mapping, header_row, today, answers) -> tuple:
    return (sheet, year, product, tuple(sorted(mapping.items())) if mapping is not None else None, header_row, today,
            tuple(sorted(answers.items())))


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
                    progress: Progress, pipelined: bool) -> RosterImportResult:
    path = prepared.path
    if _file_stamp(path) != prepared.stamp:
        raise DomainError("roster_changed_since_check", {"file": path.name})
    with workspace.read() as session:  # said before the backup is taken, not only after it
        if _changed_since(workspace, session, prepared):
            raise DomainError("data_changed_since_check")
    counts = prepared.counts
    result = replace(counts, rejected=list(counts.rejected), dry_run=False, changes=[], report_path=None,
                     registry_changes=list(counts.registry_changes), not_insured=list(counts.not_insured),
                     file_issues=list(counts.file_issues), notes=list(counts.notes),
                     unknown_divisions=dict(counts.unknown_divisions))
    require(workspace, "roster.import")
    automatic_backup(workspace, "before-import")
    with workspace.write() as ctx:
        _lock_writers_out(ctx.session)
        if _changed_since(workspace, ctx.session, prepared):
            raise DomainError("data_changed_since_check")
        ctx.recorder.result = result
        ctx.recorder.summary_only = counts.rows > 1000
        total = sum(len(part.decisions) for part in prepared.parts)
        incoming = sum(len(decision.new_rows) for part in prepared.parts for decision in part.accepted)
        done = 0
        connection = ctx.session.connection()
        with _bulk_writing(connection, persons=incoming, rows=_incoming_rows(prepared.parts), pipelined=pipelined):
            for part in prepared.parts:
                _apply(ctx, part, progress)
                done += len(part.decisions)
                progress.update(done, total, "写入")
        if remember:
            remember_mapping(ctx, prepared.labels, prepared.columns, prepared.answers)
    prepared.parts = []  # written: a second import of this plan would find the data changed anyway
    if report is not None and result.rejected:
        result.report_path = save_rejected_report(prepared, result.rejected, report)
    return result


def _incoming_rows(parts: list[ImportPlan]) -> dict[str, int]:
    """The rows a checked plan adds to the tables whose write-only indexes it may defer
    (storage/bulk_indexes.py); the change log's about one entry per row written."""
    plans = [plan for part in parts for decision in part.accepted for plan in decision.plans]
    insured = sum(len(plan.insured) for plan in plans)
    persons = sum(len(decision.new_rows) + len(decision.person_updates) + 1
                  for part in parts for decision in part.accepted)
    return {"enrollment": len(plans), "insured_person": insured, "change_log": persons + 2 * len(plans) + insured}


def save_rejected_report(prepared: PreparedImport, rejected: list[RowIssue], target: str | Path) -> Path:
    """The rejected rows of a checked roster as an xlsx copy with an error column (no checking again)."""
    if _file_stamp(prepared.path) != prepared.stamp:  # moved, deleted or changed since the check
        raise DomainError("roster_changed_since_check", {"file": prepared.path.name})
    from fpdesk.excel.report import write_rejected_report  # the xlsx writer: only for a report

    book = open_roster(prepared.path)
    try:
        rows = book.rows(prepared.counts.sheet)
        return write_rejected_report(target, rows, prepared.data_start, rejected, dict(prepared.columns))
    finally:
        book.close()


def _import_roster(workspace: Workspace, path: Path, *, sheet, year, product, dry_run, mapping, header_row, report,
                   today: dt.date, remember: bool, progress: Progress, keep_plan: bool,
                   answers: dict[str, str], by_columns: bool, pipelined: bool) -> RosterImportResult:
    request = _request(sheet, year or today.year, product, mapping, header_row, today, answers)
    stamp = _file_stamp(path) if keep_plan else ""
    if keep_plan:  # before anything the plan is judged by is read
        with workspace.read() as session:
            seq = _last_seq(session)
    year = year or today.year
    cat = office_catalog(workspace)
    lookups = build_lookups(workspace, product=product, today=today, cat=cat, answers=answers)
    book = open_roster(path)
    try:
        name = book.sheet(sheet)
        head = book.head(name, 40)
        if not any(any(v is not None and str(v).strip() for v in row) for row in head):
            raise DomainError("empty_file", {"file": path.name, "sheet": name})
        fields = all_fields(cat, product)
        guess = header_guess(head, header_row, fields)
        if guess is None:
            raise DomainError("no_header", {"sheet": name, "scanned": min(len(head), 30)})
        columns = mapping if mapping is not None else apply_remembered(
            guess, remembered_mapping(workspace, guess.signature), fields)
        if product is None:  # the title names the product for rows whose 险种 is blank (fpdesk's template)
            named = product_in_title(head[:guess.header_row], lookups)
            if named is not None:
                lookups = replace(lookups, default_product=named)
        progress.update(0, book.row_count(name) or 0, "检查各行")
        total = book.row_count(name) or 0
        # a sheet read as a stream (more rows than memory should hold at once) is checked row by row
        check = check_columns if by_columns and not book.streams(name) else check_rows
        rows = book.table(name)[guess.data_start:] if check is check_columns else itertools.islice(
            book.rows(name), guess.data_start, None)
        checked = check(rows, guess.labels, columns, lookups, first_row_number=guess.data_start + 1,
                        progress=lambda n: progress.update(n, total, "检查各行"))
        del rows
        if checked.data_rows == 0:
            raise DomainError("empty_file", {"file": path.name, "sheet": name})
        groups = assemble_households(checked.entries, grouping_of(list(columns.values())))
        labels_by_key = {key: guess.labels[i] for i, key in columns.items() if i < len(guess.labels)}
        result = RosterImportResult(rows=checked.data_rows, dry_run=dry_run, sheet=name,
                                    households_only=lookups.default_product is None
                                    and "product" not in columns.values(),
                                    notes=checked.notes, unknown_divisions=checked.unknown_divisions)
        refusals: dict = {}
        shared_warnings: dict = {}
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
            with ExitStack() as deferral:
                for number, part in enumerate(plan_in_parts(
                        ctx.session, groups, lookups.products, year=year, today=today, columns=labels_by_key,
                        refusals=refusals, warnings=shared_warnings, memo=_memo(by_columns, dry_run, keep_plan),
                        progress=lambda done, all_: progress.update(done, all_, "核对家庭户和参保资格"))):
                    held += part.issues
                    _count(result, part)
                    if not dry_run:
                        if number == 0:
                            deferral.enter_context(_bulk_writing_of(ctx, part, checked.data_rows, pipelined))
                        _apply(ctx, part, progress)
                    elif keep_plan:
                        kept.append(ImportPlan(part.accepted, []))
                    del part
            result.rejected = sorted(checked.issues + held, key=lambda i: (i.row, i.column_index or 0))
            result.file_issues = _file_issues(checked, cat, refusals)
            result.notes = list(result.notes) + _file_warnings(shared_warnings)
            if not dry_run and remember:
                remember_mapping(ctx, guess.labels, columns, answers)
        if keep_plan:
            # the counts alone (not the result, which will hold the plan: no cycle to wait for)
            counts = replace(result, rejected=list(result.rejected), changes=[])
            result.prepared = PreparedImport(path, stamp, request, seq, _catalog_state(cat), guess.labels,
                                             dict(columns), guess.data_start, kept, counts, dict(answers))
        if report is not None and result.rejected:
            from fpdesk.excel.report import write_rejected_report  # the xlsx writer: only for a report

            rows = itertools.islice(book.rows(name), 0, None)
            result.report_path = write_rejected_report(report, rows, guess.data_start, result.rejected,
                                                       {i: k for i, k in columns.items()})
    finally:
        book.close()
    return result


def _memo(by_columns: bool, dry_run: bool, keep_plan: bool) -> JudgeMemo | None:
    """The engine asked once per household key on the column path; a dry run that keeps no plan
    only counts the plans (``_count``: how many, their warnings; a remembered plan excludes nobody)."""
    return JudgeMemo(own_plans=keep_plan or not dry_run) if by_columns else None


@contextmanager
def _bulk_writing(connection, *, persons: int, rows: dict[str, int], pipelined: bool) -> Iterator[None]:
    """The writing of a roster's parts: its bulk statements run by a writer thread on SQLite
    (storage/pipelined_writes.py) while the next part's rows and change-log texts are made. Without
    the writer, the indexes the writing does not read are built once after the last part instead
    of kept up row by row (storage/bulk_indexes.py: the person search indexes when the file adds
    ``persons``, the write-only ones for ``rows``); with it, the writer keeps them up while the job
    works on, where building them after the last part would keep the job waiting."""
    with ExitStack() as stack:
        if not stack.enter_context(writer_thread(connection, enabled=pipelined)):
            stack.enter_context(deferred_search_indexes(connection, "person", incoming=persons))
            stack.enter_context(deferred_write_only_indexes(connection, rows))
        yield


def _bulk_writing_of(ctx: WriteContext, first: ImportPlan, rows: int, pipelined: bool):
    """``_bulk_writing`` for a file planned and written a part at a time, the rows it adds judged by
    its first part (a roster is a first import or a re-import throughout): the planner has read
    everything it judges by before the first part (import_plan.plan_in_parts), so no later part
    reads the indexes deferred."""
    planned = max(sum(len(decision.group.rows) for decision in first.decisions), 1)
    new = sum(len(decision.new_rows) for decision in first.accepted)
    incoming = {table: count * rows // planned for table, count in _incoming_rows([first]).items()}
    return _bulk_writing(ctx.session.connection(), persons=rows * new // planned, rows=incoming, pipelined=pipelined)


def _file_issues(checked, cat: Catalog, refusals: dict) -> list[FileIssue]:
    """What the whole file could not do, once each: a question it has no column for, a product it
    names that is not known, an enrollment refused for every household alike (a closed window)."""
    issues = [issue for issue in [missing_column_issue(checked, cat)] if issue is not None]
    issues += unknown_product_issues(checked, cat)
    for refusal in refusals.values():
        hint_zh, hint_en = REFUSAL_HINTS.get(refusal.code, ("", ""))
        issues.append(file_issue(refusal.code, "roster_enrollment_refused", reason_zh=refusal.message_zh,
                                 reason_en=refusal.message_en, households=refusal.households, hint_zh=hint_zh,
                                 hint_en=hint_en, count=refusal.households))
    return issues


def _file_warnings(warnings: dict) -> list[RowNote]:
    """A warning every household shares (a late entry), said once at its first row: the file imports."""
    notes = []
    for warning in warnings.values():
        error = DomainError("roster_enrollment_warning", {
            "reason_zh": warning.message_zh, "reason_en": warning.message_en, "households": warning.households})
        notes.append(RowNote(warning.first_row, warning.code, error.message_zh, error.message_en))
    return notes


# what to do about a refusal the whole file shares
REFUSAL_HINTS = {
    "outside_enrollment_window": (
        "往年的名册请选择它所属的保险年度（命令行 --year）再导入；本年度的参保请在登记期内办理。",
        " For an earlier season's roster choose its policy year (--year); this season's enrollment is made "
        "within its window."),
    "product_withdrawn": ("这个险种县里已经停办，请选择其他险种（命令行 --product）后重新导入。",
                          " The county has withdrawn this product: choose another (--product) and import again."),
}


def _count(result: RosterImportResult, plan: ImportPlan) -> None:
    accepted = plan.accepted
    result.not_registered_rows += sum(len(d.group.rows) for d in plan.decisions) - sum(
        len(d.group.rows) for d in accepted)
    for decision in accepted:
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
        result.not_insured += decision.not_insured
        if decision.registry_changes:
            result.registry_changes_total += len(decision.registry_changes)
            room = CHANGES_LISTED - len(result.registry_changes)
            result.registry_changes += decision.registry_changes[:max(room, 0)]


def _apply(ctx: WriteContext, plan: ImportPlan, progress: Progress) -> None:
    accepted = plan.accepted
    now = utc_now()
    new_households = NewHouseholdRows(ctx.session.connection(), now)
    new_persons = NewPersonRows(ctx.session.connection(), now)
    for decision in accepted:
        if decision.is_new:
            new_households.add(ctx.recorder, decision)
        if decision.new_rows:
            new_persons.add(ctx.recorder, decision)
    # Core inserts: the ORM's bulk insert splits a batch wherever a column turns from None to a value
    # (a head's phone, then the members' none), which made one executemany per household.
    connection = ctx.session.connection()
    if new_households.rows:
        insert_processed(connection, Household.__table__, list(HOUSEHOLD_KEYS), new_households.rows, logged=True)
    if new_households.categories:
        insert_processed(connection, HouseholdCategoryLink.__table__, list(CATEGORY_KEYS), new_households.categories,
                         logged=True)
    # the callers defer the person search indexes over all the parts (storage/bulk_indexes.py)
    if new_persons.rows:
        insert_processed(connection, Person.__table__, list(PERSON_KEYS), new_persons.rows, logged=True)
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


def _update_person(ctx: WriteContext, person_id: uuid.UUID, row) -> None:
    """The file's name, relation and phones over the registered record (blank cells keep what is there)."""
    current = ctx.session.get(Person, person_id)
    person = replace(row.person, relation=row.person.relation if row.relation_given else type(row.person.relation)(
        current.relation), phone=row.person.phone or current.phone, phone2=row.person.phone2 or current.phone2)
    _update_person_in(ctx, person_id, person)


def header_label(key: str, fields: Sequence[RosterField]) -> str:
    return next((f.label_zh for f in fields if f.key == key), key)


__all__ = ["RosterImportResult", "RosterInspection", "all_fields", "build_lookups", "header_key", "import_roster",
           "inspect_roster"]
