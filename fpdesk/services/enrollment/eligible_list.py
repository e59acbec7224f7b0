"""Importing an eligible-population list (ID numbers, optional names) from CSV or xlsx.

S2's baseline check (核查) and S3's yearly export of the Beijing assistance system (docs/rules.md#eligible-list) give a
list of the people who must be covered. The list is stored per product and policy year; the
rules engine reads membership (``requires_eligible_list``) and the "一个不漏" check reports who on
it is not enrolled. ID numbers are normalised with fpdesk.core.idnumber (15-digit numbers of old
lists are upgraded); a row with a bad number is rejected and reported, the others are imported.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, insert, select  # noqa: TID251 (bulk path: records its own entries)

from fpdesk.core import idnumber
from fpdesk.core.changes import ChangeSet
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.excel.reader import open_roster
from fpdesk.services.enrollment.product_catalog import office_product
from fpdesk.services.permissions import require
from fpdesk.services.trust.backups import automatic_backup
from fpdesk.services.workspace import Workspace
from fpdesk.storage.schema import utc_now
from fpdesk.storage.schema_enrollment import EligibleListEntry

_ID_HEADERS = ("身份证号码", "身份证号", "公民身份号码", "身份证", "证件号码", "id_number", "id number", "id")
_NAME_HEADERS = ("姓名", "name", "对象姓名")


@dataclass(frozen=True)
class ListRow:
    row: int  # 1-based line or sheet row, as the user sees it
    id_number: str
    name: str


@dataclass
class RejectedRow:
    row: int
    value: str
    code: str
    message: str
    message_en: str = ""


@dataclass
class EligibleListImport(ChangeSet):
    product_code: str = ""
    policy_year: int = 0
    list_name: str = ""
    read: int = 0
    added: int = 0
    already: int = 0
    removed: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def read_list_file(path: str | Path) -> list[ListRow]:
    """Rows of the first sheet of any file the roster reader takes (xlsx, xls, ods, CSV in UTF-8 or
    GB18030); a header row naming the ID column (身份证号码 …) is used when present, otherwise column 1
    is the ID and column 2 the name."""
    path = Path(path)
    try:
        workbook = open_roster(path)
        try:
            # Excel may hold an 18-digit number as a float (precision lost): such cells are read as
            # text here and rejected by the ID check rather than silently truncated.
            rows = [[_cell_text(c) for c in row] for row in workbook.rows()]
        finally:
            workbook.close()
    except DomainError as error:
        raise DomainError("list_file_unreadable", {"file": path.name, "detail": error.message_zh}) from None
    except (OSError, ValueError) as exc:
        raise DomainError("list_file_unreadable", {"file": path.name, "detail": str(exc)}) from None
    id_col, name_col, start = 0, 1, 0
    for position, row in enumerate(rows[:10]):
        cells = [str(c or "").strip().lower() for c in row]
        found = next((i for i, c in enumerate(cells) if c in _ID_HEADERS), None)
        if found is not None:
            id_col, start = found, position + 1
            name_col = next((i for i, c in enumerate(cells) if c in _NAME_HEADERS), -1)
            break
    result = []
    for number, row in enumerate(rows[start:], start=start + 1):
        value = str(row[id_col] if id_col < len(row) and row[id_col] is not None else "").strip()
        if not value:
            continue
        name = str(row[name_col] or "").strip() if 0 <= name_col < len(row) else ""
        result.append(ListRow(number, value, " ".join(name.split())))
    return result


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def import_eligible_list(workspace: Workspace, path: str | Path, *, product: str, year: int,
                         list_name: str | None = None, replace: bool = False) -> EligibleListImport:
    """Add the file's people to the list of ``product`` and ``year`` (named ``list_name``, default the
    file name); ``replace`` also removes people of that list who are not in the file."""
    path = Path(path)
    chosen = office_product(workspace, product)
    name = " ".join((list_name or path.stem).split())
    rows = read_list_file(path)
    if not rows:
        raise DomainError("list_file_empty", {"file": path.name})
    accepted: dict[str, str] = {}
    rejected = []
    for row in rows:
        try:
            number = idnumber.validate(row.id_number, allow_legacy=True).number
        except DomainError as error:
            rejected.append(RejectedRow(row.row, row.id_number, error.code, error.message_zh, error.message_en))
            continue
        accepted.setdefault(number, row.name)
    require(workspace, "roster.import")
    automatic_backup(workspace, "before-import")  # a rotating copy before the job
    with workspace.write() as ctx:
        result = ctx.recorder.result = EligibleListImport(product_code=chosen.code, policy_year=year, list_name=name,
                                                          read=len(rows), rejected=rejected)
        ctx.recorder.summary_only = len(accepted) > 1000
        current = dict(ctx.session.execute(select(EligibleListEntry.id_number, EligibleListEntry.id).where(
            EligibleListEntry.product_code == chosen.code, EligibleListEntry.policy_year == year,
            EligibleListEntry.list_name == name)).all())
        now = utc_now()
        new_rows = []
        for number, person_name in accepted.items():
            if number in current:
                result.already += 1
                continue
            values = {"list_name": name, "source": path.name[:200], "policy_year": year, "product_code": chosen.code,
                      "id_number": number, "name": person_name[:50], "imported_at": now}
            row_id = new_id()
            new_rows.append({"id": row_id, "revision": 1, **values})
            ctx.recorder.record("eligible_list_entry", row_id, "insert", values, 1)
        for start in range(0, len(new_rows), 5000):
            ctx.session.execute(insert(EligibleListEntry).execution_options(fpdesk_logged=True),
                                new_rows[start:start + 5000])
        result.added = len(new_rows)
        if replace:
            gone = [(number, row_id) for number, row_id in current.items() if number not in accepted]
            for number, row_id in gone:
                ctx.recorder.record("eligible_list_entry", row_id, "delete", {"id_number": number}, 2)
            ids: list[uuid.UUID] = [row_id for _, row_id in gone]
            for start in range(0, len(ids), 900):
                ctx.session.execute(delete(EligibleListEntry).where(EligibleListEntry.id.in_(ids[start:start + 900]))
                                    .execution_options(fpdesk_logged=True))
            result.removed = len(gone)
    return result


def list_summary(workspace: Workspace, *, year: int | None = None) -> list[dict]:
    """Imported lists with their sizes: product, year, list name, people, last import."""
    with workspace.read() as session:
        query = select(EligibleListEntry.product_code, EligibleListEntry.policy_year, EligibleListEntry.list_name,
                       func.count(), func.max(EligibleListEntry.imported_at)).group_by(
            EligibleListEntry.product_code, EligibleListEntry.policy_year, EligibleListEntry.list_name)
        if year is not None:
            query = query.where(EligibleListEntry.policy_year == year)
        return [{"product": p, "year": y, "list_name": n, "persons": c, "imported_at": at}
                for p, y, n, c, at in session.execute(query.order_by(EligibleListEntry.policy_year,
                                                                     EligibleListEntry.product_code))]
