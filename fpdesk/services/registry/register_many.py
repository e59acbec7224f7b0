"""Registering many households at once (demo data, later roster imports) through the change log.

Rows go in as executemany batches on the Core tables: the ORM's unit of work would spend most of
its time on identity bookkeeping we do not need here. Every record still gets its change entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from fpdesk.core import idnumber
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.core.people import CheckedPerson, HouseholdDraft
from fpdesk.core.progress import NO_PROGRESS, Progress
from fpdesk.core.vocabulary import HouseholdCategory
from fpdesk.services.registry.households import (
    household_row_values,
    logged,
    person_row_values,
    refuse_if_registered,
)
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.bulk_indexes import deferred_search_indexes
from fpdesk.storage.bulk_insert import insert_rows  # noqa: TID251 (bulk path: records its own entries)
from fpdesk.storage.schema import Division, Household, HouseholdCategoryLink, Person, utc_now


@dataclass
class BulkResult:
    households: int = 0
    persons: int = 0
    changes: int = 0


def register_households_bulk(workspace: Workspace, items: Iterable[tuple[HouseholdDraft, list[CheckedPerson]]], *,
                             expected_persons: int = 0, batch_size: int = 5000,
                             progress: Progress = NO_PROGRESS) -> BulkResult:
    """Insert checked households in one transaction; ID numbers already registered are refused."""
    result = BulkResult()
    with workspace.write() as ctx:
        ctx.recorder.summary_only = True
        division_ids = dict(ctx.session.execute(select(Division.code, Division.id)).all())
        batch: list[tuple[HouseholdDraft, list[CheckedPerson]]] = []
        persons_in_batch = 0
        with deferred_search_indexes(ctx.session.connection(), "person", incoming=expected_persons):
            for draft, members in items:
                batch.append((draft, members))
                persons_in_batch += len(members)
                if persons_in_batch >= batch_size:
                    _write_batch(ctx, batch, division_ids, result)
                    batch, persons_in_batch = [], 0
                    progress.update(result.persons, expected_persons, "写入家庭户")
            if batch:
                _write_batch(ctx, batch, division_ids, result)
        result.changes = ctx.recorder.recorded
    progress.update(result.persons, max(expected_persons, result.persons), "完成")
    return result


def _write_batch(ctx: WriteContext, batch, division_ids: dict[str, uuid.UUID], result: BulkResult) -> None:
    session = ctx.session
    numbers = [p.id_number for _, members in batch for p in members if p.id_number]
    _refuse_registered(ctx, numbers)
    now = utc_now()
    household_rows, category_rows, person_rows = [], [], []
    for draft, members in batch:
        division_id = division_ids.get(draft.division_code)
        if division_id is None:
            raise DomainError("unknown_division", {"value": draft.division_code})
        household_id = new_id()
        values = household_row_values(draft, division_id)
        categories = sorted(HouseholdCategory(c).value for c in draft.categories)
        household_rows.append({"id": household_id, "revision": 1, "created_at": now, "updated_at": now, **values})
        category_rows.extend({"household_id": household_id, "category": c} for c in categories)
        ctx.recorder.record("household", household_id, "insert", {**values, "categories": categories}, 1)
        for person in members:
            person_id = new_id()
            pvalues = person_row_values(person, household_id)
            person_rows.append({"id": person_id, "revision": 1, "created_at": now, "updated_at": now, **pvalues})
            ctx.recorder.record("person", person_id, "insert", logged(pvalues), 1)
    connection = session.connection()
    insert_rows(connection, Household.__table__, household_rows, logged=True)
    if category_rows:
        insert_rows(connection, HouseholdCategoryLink.__table__, category_rows, logged=True)
    insert_rows(connection, Person.__table__, person_rows, logged=True)
    ctx.recorder.flush()
    result.households += len(household_rows)
    result.persons += len(person_rows)


def _refuse_registered(ctx: WriteContext, numbers: list[str]) -> None:
    if len(set(numbers)) != len(numbers):
        seen: set[str] = set()
        duplicate = next(n for n in numbers if n in seen or seen.add(n))
        raise DomainError("person_in_other_household", {"masked": idnumber.mask(duplicate),
                                                        "village": "本批", "head": "本批"})
    for start in range(0, len(numbers), 900):  # stay under SQLite's bound-parameter limit
        chunk = numbers[start:start + 900]
        hit = ctx.session.scalar(select(Person.id_number).where(Person.id_number.in_(chunk),
                                                                 Person.status != "deceased").limit(1))
        if hit:
            refuse_if_registered(ctx.session, hit)
