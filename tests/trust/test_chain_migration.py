"""Migration 0005 chains a change log written before the chain existed; relayed entries join the chain."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from fpdesk.core.ids import new_id
from fpdesk.services.opening import open_workspace
from fpdesk.services.trust import audit
from fpdesk.services.workspace import add_division, init_office
from fpdesk.storage import database
from fpdesk.storage.audit_chain import verify_chain
from fpdesk.storage.changelog import append_entries
from fpdesk.storage.schema import utc_now


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(database.__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    return config


def test_an_older_change_log_is_chained_by_the_migration(db_url):
    ws = open_workspace(db_url)
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    for i in range(5):
        add_division(ws, code=f"35042120020{i}", name=f"村{i}", code_year=2024)
    engine = ws.db.engine
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0004")  # back to before the audit chain
        columns = {c["name"] for c in inspect(connection).get_columns("change_log")}
        assert "chain_hash" not in columns
    with engine.begin() as connection:
        command.upgrade(_config(connection), "head")
    found = audit.verify(ws)
    assert found.ok and found.entries == 7
    with engine.begin() as connection:
        connection.execute(text("UPDATE change_log SET operation = 'delete' WHERE local_seq = 3"))
    assert audit.verify(ws).broken_seq == 3
    ws.close()


def test_relayed_entries_are_chained_locally(workspace):
    rows = [{"origin_device": "OTHER-OFFICE", "origin_seq": i + 1, "entity": "division", "record_id": new_id(),
             "revision": 1, "operation": "insert", "fields": {"name": f"外村{i}"}, "old_values": None,
             "author": "远方录入员", "at": utc_now()} for i in range(3)]
    with workspace.db.transaction() as session:  # as sync's import writes relayed entries
        append_entries(session, rows)
    with workspace.db.engine.connect() as connection:  # the chain alone: these entries have no rows
        found = verify_chain(connection)
    assert found.ok and found.entries == 7  # the fixture's four, then the three relayed
