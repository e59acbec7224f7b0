"""The writer thread of a bulk job (storage/pipelined_writes.py) on a real SQLite file: statements
run in the order they were given, whichever thread runs them; an error in the writer reaches the
job's thread and the transaction leaves nothing; the writer holds a bounded number of rows."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from fpdesk.storage import pipelined_writes
from fpdesk.storage.database import open_database
from fpdesk.storage.pipelined_writes import execute_driver_sql, writer_thread

INSERT = "INSERT INTO bulk_probe (n, thread) VALUES (?, ?)"


@pytest.fixture
def db(tmp_path):
    database = open_database(str(tmp_path / "writer.sqlite3"))
    with database.transaction() as session:
        session.connection().exec_driver_sql("CREATE TABLE bulk_probe (n INTEGER UNIQUE, thread TEXT)")
    yield database
    database.close()


def _rows(db) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql("SELECT n, thread FROM bulk_probe ORDER BY rowid")]


def _give(connection, numbers, label: str = "given") -> None:
    execute_driver_sql(connection, INSERT, [(n, label) for n in numbers], options={}, rows=len(numbers))


def test_statements_run_in_the_order_given_and_the_jobs_own_statements_wait_for_the_writer(db):
    threads: set[str] = set()

    def seen(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("INSERT INTO bulk_probe"):
            threads.add(threading.current_thread().name)

    event.listen(db.engine, "before_cursor_execute", seen)
    counts = []
    with db.transaction() as session:
        connection = session.connection()
        with writer_thread(connection) as threaded:
            assert threaded
            for start in range(0, 5000, 500):
                for batch in range(start, start + 500, 50):  # queued while the writer runs the first
                    _give(connection, range(batch, batch + 50))
                # the job's own statement: run after everything given before it, by the job's thread
                connection.exec_driver_sql(INSERT, (-start - 1, "own"))
                counts.append(connection.exec_driver_sql("SELECT count(*) FROM bulk_probe").scalar())
        assert pipelined_writes._KEY not in connection.info
    event.remove(db.engine, "before_cursor_execute", seen)
    assert counts == [501 * (k + 1) for k in range(10)]
    expected = []
    for start in range(0, 5000, 500):
        expected += [(n, "given") for n in range(start, start + 500)] + [(-start - 1, "own")]
    assert _rows(db) == expected
    assert threads == {"fpdesk-writer", threading.current_thread().name}


def test_an_error_in_the_writer_is_raised_in_the_job_and_the_transaction_leaves_nothing(db):
    given_after = []

    def count(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        values = [value for row in parameters for value in row] if executemany else parameters
        if statement.startswith("INSERT INTO bulk_probe") and 2000 in values:
            given_after.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    with pytest.raises(IntegrityError), db.transaction() as session:
        connection = session.connection()
        with writer_thread(connection):
            _give(connection, range(1000))
            _give(connection, range(999, 1500))  # 999 again: refused by the UNIQUE column
            _give(connection, range(2000, 2500))  # not raised here (the caller's except is not its), not run
            connection.exec_driver_sql("SELECT 1")  # raised here, before this statement runs
            pytest.fail("the writer's error was not raised")
    event.remove(db.engine, "before_cursor_execute", count)
    assert given_after == []
    assert _rows(db) == []
    assert not [t for t in threading.enumerate() if t.name == "fpdesk-writer"]


def test_the_end_of_the_block_raises_an_error_the_job_has_not_met_yet(db):
    with pytest.raises(IntegrityError), db.transaction() as session:
        connection = session.connection()
        with writer_thread(connection):
            _give(connection, [1, 1])
    assert _rows(db) == []


def test_a_job_that_fails_stops_the_writer_and_rolls_back(db):
    with pytest.raises(ZeroDivisionError), db.transaction() as session:
        connection = session.connection()
        with writer_thread(connection):
            _give(connection, range(100))
            1 / 0  # noqa: B018
    assert _rows(db) == []
    assert not [t for t in threading.enumerate() if t.name == "fpdesk-writer"]
    assert not [key for key in _connection_infos(db) if key == pipelined_writes._KEY]


def _connection_infos(db) -> list:
    with db.engine.connect() as connection:
        return list(connection.info)


def test_the_writer_holds_a_bounded_number_of_rows(db, monkeypatch):
    monkeypatch.setattr(pipelined_writes, "MAX_PENDING_ROWS", 300)
    held = []

    def pending(connection, *_args) -> None:
        writer = connection.info.get(pipelined_writes._KEY)
        if writer is not None and threading.current_thread().name == "fpdesk-writer":
            held.append(writer.pending_rows)

    event.listen(db.engine, "before_cursor_execute", pending)
    with db.transaction() as session:
        connection = session.connection()
        with writer_thread(connection):
            for start in range(0, 10_000, 100):
                _give(connection, range(start, start + 100))
    event.remove(db.engine, "before_cursor_execute", pending)
    assert len(held) == 100 and max(held) <= 300 + 100
    assert len(_rows(db)) == 10_000


@pytest.mark.parametrize("cores", [1, None])
def test_without_a_writer_the_statements_run_at_once(db, monkeypatch, cores):
    """Asked for none, or on one core (where the two threads would only take turns)."""
    monkeypatch.setattr(pipelined_writes.os, "cpu_count", lambda: cores or 4)
    with db.transaction() as session:
        connection = session.connection()
        with writer_thread(connection, enabled=cores is not None) as threaded:
            assert not threaded
            _give(connection, range(10))
            assert connection.execute(text("SELECT count(*) FROM bulk_probe")).scalar() == 10
    assert len(_rows(db)) == 10
