"""What a print job will record, gathered while it reads and draws, written after it has drawn.

A job reads in a snapshot (no lock), draws its PDF with no transaction open, and only then records
in one short write: the numbers it printed, the signing key it made, one print-log row per
document. Numbers are gap-free, so the job draws under the numbers that come next and the write
takes exactly those; if another job took numbers of the same series, or printed the same papers,
in the meantime, the write refuses (``Overtaken``) and the job reads and draws again. A job that
fails or is cancelled while it draws has written nothing: no numbers used, no log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select  # noqa: TID251 (bulk path: records its own entries)
from sqlalchemy.orm import Session

from fpdesk.core.ids import new_id
from fpdesk.services.enrollment.enroll_many import chunks
from fpdesk.services.trust.office_keys import (
    SigningKey,
    current_signing_key,
    new_signing_key,
    store_signing_key,
)
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema_printing import PrintLog
from fpdesk.storage.sequences import format_number, last_number, reserve_numbers


class Overtaken(Exception):
    """Another job printed or numbered between this job's read and its write: read and draw again."""


class PrintPlan:
    """Attributes:
    kind: certificate, receipt or roster.
    rows: the print-log rows to write.
    """

    def __init__(self, workspace: Workspace, kind: str, output: str) -> None:
        self.office = workspace.require_office().code
        self.author = workspace.author
        self.kind, self.output = kind, output
        self.now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.rows: list[dict[str, Any]] = []
        self._counters: dict[tuple[str, int], list[int]] = {}  # (series, year): [last read, numbers taken]
        self._printed: list[tuple[str, list[uuid.UUID], frozenset[uuid.UUID]]] = []
        self._new_key: tuple[SigningKey, bytes] | None = None

    # -- while reading ----------------------------------------------------------------------------
    def signing_key(self, session: Session) -> SigningKey:
        key = current_signing_key(session, self.office)
        if key is None:  # the office's first signed paper: the key is stored with the print
            self._new_key = new_signing_key(session, self.office)
            key = self._new_key[0]
        return key

    def read_counters(self, session: Session, series: str, years) -> None:
        for year in years:
            self._counters.setdefault((series, year), [last_number(
                session, office_code=self.office, series=series, year=year), 0])

    def first_prints(self, session: Session, kind: str, subject_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple]:
        """(number, issue date) of documents printed before, by subject: the first print's."""
        found = _first_prints(session, kind, subject_ids)
        self._printed.append((kind, list(subject_ids), frozenset(found)))
        return found

    # -- while drawing ----------------------------------------------------------------------------
    def new_number(self, series: str, year: int) -> str:
        counter = self._counters[(series, year)]
        counter[1] += 1
        return format_number(self.office, year, counter[0] + counter[1])

    def add(self, number: str, subject_id: uuid.UUID | None, *, reprint: bool, details: dict[str, Any]) -> None:
        self.rows.append({
            "id": new_id(), "kind": self.kind, "number": number, "subject_id": subject_id,
            "office_code": self.office, "reprint": reprint, "printed_at": self.now, "printed_by": self.author,
            "output": self.output[:200], "details": details, "revision": 1, "created_at": self.now,
            "updated_at": self.now})

    # -- the short write ----------------------------------------------------------------------------
    def record(self, ctx: WriteContext) -> None:
        session = ctx.session
        if self._new_key is not None:
            if current_signing_key(session, self.office) is not None:
                raise Overtaken
            store_signing_key(ctx, *self._new_key)
        for (series, year), (last, taken) in self._counters.items():
            if taken and reserve_numbers(session, office_code=self.office, series=series, year=year,
                                         count=taken) != last + 1:
                raise Overtaken
        for kind, subject_ids, printed in self._printed:
            if frozenset(_first_prints(session, kind, subject_ids)) != printed:
                raise Overtaken
        for row in self.rows:
            ctx.recorder.record("print_log", row["id"], "insert", {
                k: row[k] for k in ("kind", "number", "subject_id", "office_code", "reprint", "printed_at",
                                    "printed_by", "details")}, 1)
        for batch in chunks(self.rows, 1000):
            session.execute(insert(PrintLog).execution_options(fpdesk_logged=True), list(batch))


def _first_prints(session: Session, kind: str, subject_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple]:
    found: dict[uuid.UUID, tuple] = {}
    for ids in chunks(list(subject_ids)):
        for subject_id, number, printed_at, details in session.execute(
                select(PrintLog.subject_id, PrintLog.number, PrintLog.printed_at, PrintLog.details)
                .where(PrintLog.kind == kind, PrintLog.subject_id.in_(ids), PrintLog.reprint.is_(False))
                .order_by(PrintLog.printed_at)):
            issued = (details or {}).get("issued_on")
            found.setdefault(subject_id, (number, dt.date.fromisoformat(issued) if issued else printed_at.date()))
    return found
