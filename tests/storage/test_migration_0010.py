"""Migration 0010 on a database written by 0009 with a target and a population row in it: the target
stays a number of shares by payer, the population has no census households yet, and both can then be
set in the new forms."""

import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from fpdesk.storage import database
from fpdesk.storage.database import open_database


def _at_0009(url: str):
    engine = create_engine(database.url_for(url))
    config = Config()
    config.set_main_option("script_location", str(Path(database.__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")
    return engine


def test_an_existing_target_stays_shares(db_url):
    engine = _at_0009(db_url)
    target, population = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as connection:
        columns = {c["name"] for c in connection.dialect.get_columns(connection, "target")}
        assert "measure" not in columns  # the old table, as 0009 left it
        connection.execute(text(
            "INSERT INTO target (id, year, product_code, division_code, division_name, government, self_paid, "
            "employer, source, revision, created_at, updated_at) VALUES (:id, 2025, 'fp_family_accident_100', "
            "'350421200', '城关乡', 375, 100, 0, '附件.xlsx', 1, '2025-01-01 08:00:00', '2025-01-01 08:00:00')"),
            {"id": target.hex if engine.dialect.name == "sqlite" else str(target)})
        connection.execute(text(
            "INSERT INTO population (id, division_code, year, residents, source, revision, created_at, updated_at) "
            "VALUES (:id, '350421200', 2025, 23000, '人口.xlsx', 1, '2025-01-01 08:00:00', '2025-01-01 08:00:00')"),
            {"id": population.hex if engine.dialect.name == "sqlite" else str(population)})
    engine.dispose()

    db = open_database(db_url)
    assert database.current_revision(db.engine) == database.SCHEMA_HEAD == "0010"
    with db.engine.connect() as connection:
        row = connection.execute(text("SELECT measure, quantity, rate_bp, stretch_bp, government, self_paid "
                                      "FROM target")).one()
        assert tuple(row) == ("shares", 0, None, None, 375, 100)
        assert tuple(connection.execute(text("SELECT residents, households FROM population")).one()) == (23000, None)
    db.engine.dispose()

    from fpdesk.services.opening import open_workspace
    from fpdesk.services.reports.target_progress import progress
    ws = open_workspace(db_url)
    [line] = progress(ws, year=2025, product=None).townships
    assert (line.measure, line.target_value, line.target_text()) == ("shares", 475, "475份")
    ws.close()
