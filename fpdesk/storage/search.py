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

from sqlalchemy import Select, and_, func, or_, select, text
from sqlalchemy.orm import Session

from fpdesk.storage import number_window
from fpdesk.storage.person_row import PersonRow
from fpdesk.storage.schema import Division, Household, Person

# The queries name the tables' columns, not the mapped classes' attributes: they read values, never
# objects, and a select of mapped attributes is compiled through the ORM (more work on every search)
# and, the first time, configures every mapper: tens of milliseconds of the window's start, spent
# before the households list could read its first page.
person_table, household_table, division_table = Person.__table__, Household.__table__, Division.__table__
person, household, division = person_table.c, household_table.c, division_table.c

_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBER = re.compile(r"^[0-9X]+$")
_LATIN = re.compile(r"^[a-z]+$")
MIN_FRAGMENT = 3  # trigram indexes need three characters


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
        select(person.id, person.household_id, person.name, person.id_number, person.sex, person.birth_date,
               person.relation, person.status, person.phone, division.code, division.name)
        .join(household_table, person.household_id == household.id)
        .join(division_table, household.division_id == division.id)
    )


def search_people(session: Session, query: str, *, limit: int = 200) -> list[PersonRow]:
    kind = classify(query)
    if kind == "none":
        return []
    rows: list = []
    if kind == "name":
        pattern = _escape_like(query) + "%"
        rows = session.execute(_row_query().where(person.name.like(pattern, escape="\\")).limit(limit)).all()
    elif kind == "pinyin":
        pattern = _escape_like(query) + "%"
        rows = session.execute(_row_query().where(person.name_initials.like(pattern, escape="\\"))
                               .limit(limit)).all()
        if len(rows) < limit and len(query) > 1:
            seen = {r[0] for r in rows}
            more = session.execute(_row_query().where(person.name_pinyin.like(pattern, escape="\\"))
                                   .limit(limit)).all()
            rows += [r for r in more if r[0] not in seen][: limit - len(rows)]
    elif kind == "number" and len(query) >= MIN_FRAGMENT:
        # spare=1: nothing here filters the matches (every person has a household in a village), and
        # they are taken in the order the index gives them; half the rows to find and check.
        rows = session.execute(_row_query().where(_number_condition(session, query, limit, spare=1))
                               .limit(limit)).all()
    hits = [PersonRow(*row) for row in rows]
    hits.sort(key=lambda h: (h.status != "alive", h.name, h.id_number or ""))
    return hits


SORT_COLUMNS = {"name": person.name, "sex": person.sex, "birth_date": person.birth_date,
                "age": person.birth_date, "id_number": person.id_number, "relation": person.relation,
                "division_name": division.code, "phone": person.phone, "status": person.status}


def person_ids(session: Session, query: str, *, division_prefix: str | None = None, category: str | None = None,
               include_inactive: bool = False, enrolled: bool | None = None, year: int | None = None,
               order: str | None = None, descending: bool = False, limit: int | None = None) -> list[uuid.UUID]:
    """Ids of the matching persons in display order; the GUI's table loads rows for them lazily.

    Each kind of text reads its own index in index order, so a LIMIT stops the scan early: a
    one-letter search in a county never sorts the hundred thousand people whose initial it is.
    With no text this lists everyone under the filters (ids only). ``enrolled`` keeps those with
    (True) or without (False) an active enrollment in policy ``year``; ``order`` sorts by a column.
    """
    kind = classify(query) if query else "all"
    if kind == "none" or (kind == "number" and len(query) < MIN_FRAGMENT):
        return []
    base = _filtered(select(person.id), division_prefix, category, include_inactive, enrolled, year,
                     need_division=order == "division_name")
    pattern = _escape_like(query) + "%"
    if order is not None:  # the user clicked a column header: one query, sorted by that column
        column = SORT_COLUMNS[order]
        descending = not descending if order == "age" else descending  # older = earlier birth date
        condition = {
            "name": lambda: person.name.like(pattern, escape="\\"),
            "pinyin": lambda: or_(person.name_initials.like(pattern, escape="\\"),
                                  person.name_pinyin.like(pattern, escape="\\")),
            "number": lambda: _number_condition(session, query),
            "all": lambda: None,
        }[kind]()
        statement = base if condition is None else base.where(condition)
        statement = statement.order_by(column.desc() if descending else column, person.id)
        return list(session.scalars(_limited(statement, limit)))
    if kind == "name":
        return list(session.scalars(_limited(base.where(person.name.like(pattern, escape="\\"))
                                             .order_by(_index_order(session, person.name)), limit)))
    if kind == "pinyin":
        found = list(session.scalars(_limited(
            base.where(person.name_initials.like(pattern, escape="\\"))
            .order_by(_index_order(session, person.name_initials)), limit)))
        if limit is None or len(found) < limit:
            seen = set(found)
            more = session.scalars(_limited(
                base.where(person.name_pinyin.like(pattern, escape="\\"))
                .order_by(_index_order(session, person.name_pinyin)), limit))
            found += [pid for pid in more if pid not in seen]
        return found[:limit] if limit else found
    if kind == "number":
        return list(session.scalars(_limited(base.where(_number_condition(session, query, limit)), limit)))
    return list(session.scalars(_limited(base.order_by(_index_order(session, person.name)), limit)))


def person_id_page(session: Session, *, division_prefix: str | None = None, category: str | None = None,
                   include_inactive: bool = False, enrolled: bool | None = None, year: int | None = None,
                   order: str | None = None, descending: bool = False, after: tuple | None = None,
                   limit: int = 200) -> tuple[list[uuid.UUID], tuple | None]:
    """One page of the whole list under the filters (no typed text), in display order, and the key to
    ask for the page after it (None: this was the last).

    Keyset paging, (sort value, id) > the last page's: every page costs what the first does, so the
    window opens on a county as fast as on a village and the list grows only as it is scrolled."""
    if order is None:
        expression = _index_order(session, person.name)
    elif order in ("id_number", "phone"):  # NULLs sort apart on each database: '' sorts first on both
        expression = func.coalesce(SORT_COLUMNS[order], "")
    elif order == "name":
        expression = _index_order(session, person.name)
    else:
        expression = SORT_COLUMNS[order]
    descending = not descending if order == "age" else descending  # older = earlier birth date
    statement = _filtered(select(person.id, expression), division_prefix, category, include_inactive, enrolled,
                          year, need_division=order == "division_name")
    if after is not None:
        value, last_id = after
        if descending:
            statement = statement.where(expression <= value, or_(expression < value, person.id < last_id))
        else:
            statement = statement.where(expression >= value, or_(expression > value, person.id > last_id))
    statement = statement.order_by(*((expression.desc(), person.id.desc()) if descending
                                     else (expression, person.id))).limit(limit)
    rows = session.execute(statement).all()
    following = (rows[-1][1], rows[-1][0]) if len(rows) == limit else None
    return [row[0] for row in rows], following


def count_matching(session: Session, *, division_prefix: str | None = None, category: str | None = None,
                   include_inactive: bool = False, enrolled: bool | None = None, year: int | None = None) -> int:
    """How many persons the whole list under these filters holds, counted without reading them."""
    statement = _filtered(select(person.id), division_prefix, category, include_inactive, enrolled, year)
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _filtered(statement: Select, division_prefix: str | None, category: str | None, include_inactive: bool,
              enrolled: bool | None = None, year: int | None = None, *, need_division: bool = False) -> Select:
    if division_prefix or category or need_division:
        statement = statement.join(household_table, person.household_id == household.id)
    if division_prefix or need_division:
        statement = statement.join(division_table, household.division_id == division.id)
    if division_prefix:
        statement = statement.where(division.code.like(_escape_like(division_prefix) + "%", escape="\\"))
    if category:
        from fpdesk.storage.schema import HouseholdCategoryLink

        link = HouseholdCategoryLink.__table__.c
        statement = statement.where(household.id.in_(select(link.household_id).where(link.category == category)))
    if not include_inactive:
        statement = statement.where(person.status == "alive")
    if enrolled is not None and year is not None:
        from fpdesk.core.enrollment_states import ACTIVE
        from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson

        insured_person, enrollment = InsuredPerson.__table__.c, Enrollment.__table__.c
        insured = (select(insured_person.person_id)
                   .join(Enrollment.__table__, insured_person.enrollment_id == enrollment.id)
                   .where(insured_person.policy_year == year, insured_person.removed_on.is_(None),
                          enrollment.status.in_(sorted(ACTIVE))))
        statement = statement.where(person.id.in_(insured) if enrolled else person.id.not_in(insured))
    return statement


def _limited(statement: Select, limit: int | None) -> Select:
    return statement.limit(limit) if limit else statement


def _index_order(session: Session, column):
    """ORDER BY that the prefix index can serve (SQLite's is COLLATE NOCASE)."""
    if session.get_bind().dialect.name == "sqlite":
        return column.collate("NOCASE")
    return column


# The trigram index answers a quoted fragment by reading the list of every one of its trigrams; in
# a county's ID numbers the region's and the century's trigrams are in nearly every row, so a long
# fragment (a whole ID number: 16 trigrams) read them all (15-35 ms at 500,000 persons). A fragment
# longer than WINDOW is looked up by a window of it (storage/number_window.py chooses which) and
# instr() keeps the rows that hold the whole fragment.
WINDOW = number_window.WINDOW


def _number_condition(session: Session, fragment: str, limit: int | None = None, spare: int = 2):
    """A fragment of an ID or phone number. The limit goes inside the full-text query: '3504' is in
    nearly every ID number of a Fujian county, and FTS would otherwise enumerate all of them; ``spare``
    times over, as some matches may be filtered out (deceased, other village)."""
    if session.get_bind().dialect.name == "sqlite":
        if len(fragment) > WINDOW:
            # instr() on the person row read by rowid, not on the full-text table's columns: those are
            # read through a statement of FTS5's own that fetches the whole row (up to a third slower).
            inner = ("SELECT f.rowid FROM person_number_fts f JOIN person p ON p.rowid = f.rowid"
                     " WHERE f.person_number_fts MATCH :window"
                     " AND (instr(p.id_number, :fragment) > 0 OR instr(p.phone, :fragment) > 0)")
            values = {"window": number_window.match_expression(session, fragment), "fragment": fragment}
        else:
            inner = "SELECT rowid FROM person_number_fts WHERE person_number_fts MATCH :window"
            values = {"window": '"' + fragment + '"'}
        if limit:
            inner += f" LIMIT {int(limit) * spare}"
        return text(f"person.rowid IN ({inner})").bindparams(**values)
    # pg_trgm has the same trouble with the region's and the century's trigrams: the GIN index is
    # asked for the last WINDOW characters only, strpos (which no index serves, so the planner does
    # not read the common lists after all) keeps the rows holding the whole fragment.
    window = "%" + _escape_like(fragment[-WINDOW:]) + "%"
    condition = or_(person.id_number.like(window, escape="\\"), person.phone.like(window, escape="\\"))
    if len(fragment) > WINDOW:
        condition = and_(condition, or_(func.strpos(person.id_number, fragment) > 0,
                                        func.strpos(person.phone, fragment) > 0))
    return condition


def person_rows(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, PersonRow]:
    """Rows for a block of ids (the GUI asks for a screenful at a time)."""
    found: dict[uuid.UUID, PersonRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in session.execute(_row_query().where(person.id.in_(chunk))):
            found[row[0]] = PersonRow(*row)
    return found


def holder_of(session: Session, id_number: str) -> PersonRow | None:
    row = session.execute(_row_query().where(person.id_number == id_number, person.status != "deceased")).first()
    return PersonRow(*row) if row else None
