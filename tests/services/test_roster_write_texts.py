"""A roster written with its change-log texts made from templates (storage/fields_text.py, used by
services/rosters/importing.py and services/enrollment/enrolling.py) leaves exactly the database
the old write leaves, where every entry was encoded whole at the flush: the same rows, the same
change-log entries with the same value texts, a chain that verifies. Ids are minted afresh and
times differ from run to run, so both are compared by their order of first appearance (the log's
order: both runs mint and log in the same order), and the chain by verifying it: its hashes
include those ids and times. On SQLite and PostgreSQL, for the CLI's import (check and write in
one go) and the wizard's (the checked plan written)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from roster_builders import register_known_family, write_mistaken_roster
from sqlalchemy import JSON, DateTime, LargeBinary, Text, cast, select

from fpdesk.services.rosters.importing import import_roster
from fpdesk.storage.audit_chain import verify_chain
from fpdesk.storage.changelog import ChangeRecorder
from fpdesk.storage.schema import ChangeEntry, Household, HouseholdCategoryLink, Person
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson
from fpdesk.storage.schema_money import Contribution

TODAY = dt.date(2026, 1, 5)
WRITTEN = (Household, HouseholdCategoryLink, Person, Enrollment, InsuredPerson, Contribution)
_ID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


def _office(db_url: str):
    from sqlalchemy import create_engine, text

    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import add_division, init_office

    if "://" in db_url:  # one PostgreSQL database for both runs: emptied as the db_url fixture does
        engine = create_engine(db_url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    ws = open_workspace(db_url, author="tester")
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    add_division(ws, code="350421200202", name="城东村", code_year=2024)
    register_known_family(ws)  # its row is an update: the ORM's logged writes between the bulk ones
    return ws


def _roster(path):
    return write_mistaken_roster(path, seed=23, count=700)


def _written(ws, since: int) -> list:
    """The import's change-log entries in order, then the rows of the tables it writes (sorted once
    their ids are numbered), ids as their order of first appearance, times left out."""
    numbers: dict[str, str] = {}

    def number(match: re.Match) -> str:
        return numbers.setdefault(match.group(0).replace("-", ""), f"#{len(numbers)}")

    def plain(value) -> str:
        return _ID.sub(number, str(value))

    with ws.db.engine.connect() as connection:
        table = ChangeEntry.__table__
        entries = connection.execute(
            select(table.c.origin_seq, table.c.entity, table.c.record_id, table.c.revision, table.c.operation,
                   cast(table.c.fields, Text), cast(table.c.old_values, Text), table.c.author)
            .where(table.c.local_seq > since).order_by(table.c.local_seq)).all()
        found = [tuple(plain(value) for value in entry) for entry in entries]
        for model in WRITTEN:
            columns = [cast(c, Text) if isinstance(c.type, JSON) else c for c in model.__table__.c
                       if not isinstance(c.type, DateTime | LargeBinary)]
            rows = connection.execute(select(*columns)).all()
            found += sorted((model.__tablename__, *(plain(value) for value in row)) for row in rows)
        assert verify_chain(connection).ok
    return found


def _import(db_url: str, path, *, checked: bool, whole: bool, monkeypatch) -> list:
    with monkeypatch.context() as patch:
        if whole:  # the old write: every entry encoded whole at the flush, no text made beforehand
            original = ChangeRecorder.record

            def record(self, *args, fields_text=None, **kwargs):
                return original(self, *args, **kwargs)

            patch.setattr(ChangeRecorder, "record", record)
        ws = _office(db_url)
        try:
            with ws.read() as session:
                since = session.scalar(select(ChangeEntry.local_seq).order_by(ChangeEntry.local_seq.desc()).limit(1))
            if checked:
                dry = import_roster(ws, path, today=TODAY, year=2025, dry_run=True, keep_plan=True)
                result = import_roster(ws, path, today=TODAY, year=2025, prepared=dry.prepared)
            else:
                result = import_roster(ws, path, today=TODAY, year=2025)
            assert result.new > 300 and result.enrollments_new > 100 and result.updated
            return _written(ws, since)
        finally:
            ws.close()


@pytest.mark.parametrize("checked", [False, True], ids=["one shot", "after the check"])
def test_the_templated_texts_write_what_the_whole_encoding_wrote(db_url, tmp_path, monkeypatch, checked):
    path = _roster(tmp_path / "名册.xlsx")
    def fresh(name: str) -> str:  # a file each on SQLite; PostgreSQL's one database is emptied
        return db_url if "://" in db_url else str(tmp_path / f"{name}.sqlite3")

    old = _import(fresh("old"), path, checked=checked, whole=True, monkeypatch=monkeypatch)
    new = _import(fresh("new"), path, checked=checked, whole=False, monkeypatch=monkeypatch)
    assert len(old) > 2000
    assert new == old
