"""Migration 0008 on a database written by the previous schema (0006) with enrollments in it: the dates
are filled from what the rows hold, the period may be empty afterwards, the foreign keys that point
at ``enrollment`` still hold, and the money of an old enrollment reads as one contribution."""

import datetime as dt
import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, Table, create_engine, text

from fpdesk.storage import database
from fpdesk.storage.database import open_database

D = dt.date
NOW = dt.datetime(2024, 1, 1, 8, 0)


def _at_0006(url: str):
    engine = create_engine(database.url_for(url))
    config = Config()
    config.set_main_option("script_location", str(Path(database.__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    return engine


def _insert(connection, tables, table_name: str, /, **values):
    """A row with every NOT NULL column (of the old table) the test does not care about given a plain
    value; written through today's table definition, which knows how each engine stores a UUID."""
    from fpdesk.storage.schema import Base

    old = tables.tables[table_name]
    table = Base.metadata.tables[table_name]
    for column in (table.c[c.name] for c in old.c):
        if column.name in values or column.nullable:
            continue
        kind = column.type.python_type
        values[column.name] = {int: 1 if column.name == "revision" else 0, str: "", bool: False,
                               dt.datetime: NOW, dt.date: D(2024, 1, 1), dict: {}, list: []}.get(kind)
    # only the old table's columns: today's may have more, with defaults the old table cannot take
    as_then = Table(table_name, MetaData(), *(c._copy() for c in table.c if c.name in old.c))
    connection.execute(as_then.insert().values(**values))
    return values.get("id")


def test_an_older_database_with_enrollments_is_migrated(db_url):
    engine = _at_0006(db_url)
    tables = MetaData()
    tables.reflect(engine)
    ids = {name: uuid.uuid4() for name in ("division", "household", "person", "paid", "unpaid", "confirmed")}
    with engine.begin() as connection:
        _insert(connection, tables, "division", id=ids["division"], code="350421200201", name="罗翠村", kind="village")
        _insert(connection, tables, "household", id=ids["household"], division_id=ids["division"], status="active")
        _insert(connection, tables, "person", id=ids["person"], household_id=ids["household"], name="林国华",
                id_number="350421198001010017", relation="head", sex="male", birth_date=D(1980, 1, 1),
                status="alive")
        for key, status, premium in (("paid", "paid", 10000), ("unpaid", "registered", 10000),
                                     ("confirmed", "confirmed", 10000)):
            _insert(connection, tables, "enrollment", id=ids[key], product_code="fp_family_accident_100",
                    product_version=1, policy_year=2024, household_id=ids["household"], channel="village",
                    payer_type="self", status=status, status_on=D(2024, 4, 28), shares=1, premium_fen=premium,
                    refunded_fen=0, enrolled_on=D(2024, 4, 1), period_start=D(2024, 4, 2), period_end=D(2025, 4, 1),
                    consent_by="林国华", consent_on=D(2024, 4, 1), consent_method="signed_form")
            _insert(connection, tables, "insured_person", id=uuid.uuid4(), enrollment_id=ids[key],
                    person_id=ids["person"], id_number="350421198001010017", product_code="fp_family_accident_100",
                    policy_year=2024, shares=1, added_on=D(2024, 4, 1))
        for number, (key, day) in enumerate((("paid", D(2024, 4, 20)), ("confirmed", D(2024, 4, 3))), start=1):
            _insert(connection, tables, "payment", id=uuid.uuid4(), enrollment_id=ids[key], amount_fen=10000,
                    payer="self", receipt_no=f"R{number}", paid_on=day, collector="会长", voided=False)
    engine.dispose()

    db = open_database(db_url)
    assert database.current_revision(db.engine) == database.SCHEMA_HEAD
    with db.engine.begin() as connection:
        rows = {r.id: r for r in connection.execute(text(
            "SELECT id, received_on, handed_up_on, issued_on, period_start FROM enrollment")).mappings()}

        def row(key):
            return next(r for r in rows.values() if str(r["id"]).replace("-", "") == ids[key].hex)

        def day(value):
            return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(value)

        assert day(row("paid")["received_on"]) == D(2024, 4, 20)  # the day its receipts covered the premium
        assert row("unpaid")["received_on"] is None
        assert (day(row("confirmed")["handed_up_on"]), day(row("confirmed")["issued_on"])) == (
            D(2024, 4, 28), D(2024, 4, 28))
        assert day(row("paid")["period_start"]) == D(2024, 4, 2)  # periods are kept as they were
        # the period may now be empty, and the rows that point at enrollments still point at them
        connection.execute(text("UPDATE enrollment SET period_start = NULL, period_end = NULL WHERE status = 'registered'"))
        if db.is_sqlite:
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    db.close()

    from fpdesk.services.enrollment import status
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import init_office
    workspace = open_workspace(db_url, author="tester")
    init_office(workspace, code="350421200", level="township", name="城关乡计生协")
    details = status.enrollment_details(workspace, ids["paid"])
    assert details["contributions"] == [{"payer": "self", "payer_level": "self", "amount_fen": 10000,
                                         "settled_fen": 10000, "outstanding_fen": 0}]
    unpaid = status.enrollment_details(workspace, ids["unpaid"])
    assert unpaid["owed_fen"] == 10000 and unpaid["period"] == [None, None]
    workspace.close()
