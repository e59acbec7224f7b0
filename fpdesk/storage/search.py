"""Person search queries, one strategy per kind of text, tuned per database.

- Chinese text: name prefix (index with COLLATE NOCASE on SQLite, text_pattern_ops on PostgreSQL).
- Latin letters: pinyin initials prefix ('zs' → 张三) or full pinyin prefix ('zhangs').
- Digits (3 or more): a fragment of an ID or phone number, through the FTS5 trigram index on
  SQLite or pg_trgm on PostgreSQL.
Each branch is limited in SQL; ordering happens on the small merged result, never on the table.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, or_, select, text
from sqlalchemy.orm import Session

from fpdesk.storage.schema import Division, Household, Person

_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBER = re.compile(r"^[0-9X]+$")
_LATIN = re.compile(r"^[a-z]+$")
MIN_FRAGMENT = 3  # trigram indexes need three characters


@dataclass(frozen=True)
class PersonRow:
    person_id: uuid.UUID
    household_id: uuid.UUID
    name: str
    id_number: str | None
    sex: str
    birth_date: object
    relation: str
    status: str
    phone: str | None
    division_code: str
    division_name: str


def classify(query: str) -> str:
    if _CJK.search(query):
        return "name"
    if _NUMBER.match(query):
        return "number"
    if _LATIN.match(query):
        return "pinyin"
    return "none"


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row_query() -> Select:
    return (
        select(Person.id, Person.household_id, Person.name, Person.id_number, Person.sex, Person.birth_date,
               Person.relation, Person.status, Person.phone, Division.code, Division.name)
        .join(Household, Person.household_id == Household.id)
        .join(Division, Household.division_id == Division.id)
    )


def search_people(session: Session, query: str, *, limit: int = 200) -> list[PersonRow]:
    kind = classify(query)
    if kind == "none":
        return []
    rows: list = []
    if kind == "name":
        pattern = _escape_like(query) + "%"
        rows = session.execute(_row_query().where(Person.name.like(pattern, escape="\\")).limit(limit)).all()
    elif kind == "pinyin":
        pattern = _escape_like(query) + "%"
        rows = session.execute(_row_query().where(Person.name_initials.like(pattern, escape="\\"))
                               .limit(limit)).all()
        if len(rows) < limit and len(query) > 1:
            seen = {r[0] for r in rows}
            more = session.execute(_row_query().where(Person.name_pinyin.like(pattern, escape="\\"))
                                   .limit(limit)).all()
            rows += [r for r in more if r[0] not in seen][: limit - len(rows)]
    elif kind == "number" and len(query) >= MIN_FRAGMENT:
        rows = session.execute(_number_query(session, query).limit(limit)).all()
    hits = [PersonRow(*row) for row in rows]
    hits.sort(key=lambda h: (h.status != "alive", h.name, h.id_number or ""))
    return hits


def _number_query(session: Session, fragment: str) -> Select:
    # The trigram tokenizer matches a quoted string anywhere inside the indexed columns.
    return _row_query().where(_number_condition(session, fragment))


def person_ids(session: Session, query: str, *, division_prefix: str | None = None, category: str | None = None,
               include_inactive: bool = False, limit: int | None = None) -> list[uuid.UUID]:
    """Ids of the matching persons in display order; the GUI's table loads rows for them lazily.

    With no text this lists everyone under the filters (a county: every person, ids only).
    """
    kind = classify(query) if query else "all"
    if kind == "none" or (kind == "number" and len(query) < MIN_FRAGMENT):
        return []
    statement = select(Person.id)
    if division_prefix or category:
        statement = statement.join(Household, Person.household_id == Household.id)
    if division_prefix:
        statement = statement.join(Division, Household.division_id == Division.id).where(
            Division.code.like(_escape_like(division_prefix) + "%", escape="\\"))
    if category:
        from fpdesk.storage.schema import HouseholdCategoryLink

        statement = statement.where(Household.id.in_(
            select(HouseholdCategoryLink.household_id).where(HouseholdCategoryLink.category == category)))
    if not include_inactive:
        statement = statement.where(Person.status == "alive")
    pattern = _escape_like(query) + "%"
    if kind == "name":
        statement = statement.where(Person.name.like(pattern, escape="\\"))
    elif kind == "pinyin":
        statement = statement.where(or_(Person.name_initials.like(pattern, escape="\\"),
                                        Person.name_pinyin.like(pattern, escape="\\")))
    elif kind == "number":
        statement = statement.where(_number_condition(session, query))
    statement = statement.order_by(Person.name, Person.id)
    if limit:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def _number_condition(session: Session, fragment: str):
    if session.get_bind().dialect.name == "sqlite":
        return text("person.rowid IN (SELECT rowid FROM person_number_fts WHERE person_number_fts MATCH :fragment)"
                    ).bindparams(fragment='"' + fragment + '"')
    pattern = "%" + _escape_like(fragment) + "%"
    return or_(Person.id_number.like(pattern, escape="\\"), Person.phone.like(pattern, escape="\\"))


def person_rows(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, PersonRow]:
    """Rows for a block of ids (the GUI asks for a screenful at a time)."""
    found: dict[uuid.UUID, PersonRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in session.execute(_row_query().where(Person.id.in_(chunk))):
            found[row[0]] = PersonRow(*row)
    return found


def holder_of(session: Session, id_number: str) -> PersonRow | None:
    row = session.execute(_row_query().where(Person.id_number == id_number, Person.status != "deceased")).first()
    return PersonRow(*row) if row else None
