"""A bulk job's INSERT statements run by a writer thread while the job prepares the next (SQLite).

A roster's writing alternates two kinds of work on one core: Python making rows and change-log
texts, then SQLite inserting them into its B-trees. CPython's sqlite3 module lets go of the GIL
while SQLite steps a statement, so a second thread can insert one batch while the job's thread
makes the next, and the job takes about the longer of the two instead of their sum.

One connection, one transaction, used by one thread at a time: the job hands its bulk statements
(``execute_driver_sql``) to the writer in order, and every other statement of the job's thread on
the connection (a query, the ORM's flush) first waits until the writer has run all it was given
(``_wait_for_writer``, an engine event). So every statement runs in the order the job issued it,
as without the writer: the same rows, the same change-log order and hashes
(tests/services/test_roster_pipelined.py compares them). The change log's counter and the chain
head are read once and then kept by the job (``job_state``), so its flushes need not wait for the
writer. The writer holds at most ``MAX_PENDING_ROWS`` rows not yet written, so a job that makes
rows faster than they are inserted waits instead of holding its whole output. An error in the
writer is raised in the job's thread at its next statement or at the end (never where it hands
over a statement: an ``except`` there would take it for that statement's); the writer then runs
nothing more, and the job's transaction is rolled back as any failed job's is. A job that fails
itself stops the writer before the rollback.

The writer needs the GIL only to bind a statement's values: an INSERT of many rows runs as
statements of ``ROWS_PER_STATEMENT`` rows (one row at a time, it would take the GIL back after
every row, and wait for it each time), and while the writer runs the interpreter switches threads
more often (``SWITCH_INTERVAL``; CPython's 5 ms would keep the writer waiting after each statement).

SQLite only. PostgreSQL keeps the plain write: its change-log rows go through Core inserts, its
counter and chain head are rows other server connections wait on, and the bar this serves is the
desktop's own file.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Engine, event

_KEY = "fpdesk.writer_thread"
MAX_PENDING_ROWS = 60_000  # about two parts of a roster's writing (import_plan.plan_in_parts)
SWITCH_INTERVAL = 0.0005  # seconds (CPython's default: 0.005)
ROWS_PER_STATEMENT = 300  # a statement binds its values in about a millisecond, its step takes several
MAX_VARIABLES = 32_000  # SQLite's limit is 32,766 bound values per statement (3.32 and later)


class _Writer:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.jobs: deque[tuple[str, Any, Any, int]] = deque()
        self.changed = threading.Condition()
        self.pending_rows = 0
        self.busy = False
        self.error: BaseException | None = None
        self.stopping = False
        self.kept: dict[Any, Any] = {}  # job_state
        self.thread = threading.Thread(target=self._run, name="fpdesk-writer", daemon=True)

    def submit(self, sql: str, params: Any, options: Any, rows: int) -> None:
        """Never raises the writer's error (``wait`` does): the caller's ``except`` around the
        statement it gives would take an earlier statement's error for its own."""
        with self.changed:
            while self.pending_rows >= MAX_PENDING_ROWS and self.error is None:
                self.changed.wait()
            if self.error is not None:  # nothing more runs
                return
            self.jobs.append((sql, params, options, rows))
            self.pending_rows += rows
            self.changed.notify_all()

    def wait(self) -> None:
        """Until every statement given has run; raises the writer's error."""
        with self.changed:
            while (self.jobs or self.busy) and self.error is None:
                self.changed.wait()
            if self.error is not None:
                raise self.error

    def stop(self) -> None:
        """No more statements: the thread ends once the one it is running has."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()
        self.thread.join()

    def _run(self) -> None:
        while True:
            with self.changed:
                while not self.jobs and not self.stopping:
                    self.changed.wait()
                if self.stopping or self.error is not None:
                    self.jobs.clear()
                    return
                sql, params, options, rows = self.jobs.popleft()
                self.busy = True
            try:
                _run_statement(self.connection, sql, params, options)
            except BaseException as error:  # raised in the job's thread
                with self.changed:
                    self.error = error
                    self.jobs.clear()
            finally:
                del params
                with self.changed:
                    self.busy = False
                    self.pending_rows -= rows
                    self.changed.notify_all()


def _run_statement(connection: Connection, sql: str, params: Any, options: Any) -> None:
    """An INSERT of many rows as statements of ROWS_PER_STATEMENT rows each: the writer takes the
    GIL once for each statement's values (the driver binds them), not once for every row, and SQLite
    inserts the rows of a statement without it. The same rows, in the same order."""
    if params.__class__ is not list or len(params) < 2 or not sql.startswith("INSERT INTO "):
        connection.exec_driver_sql(sql, params, execution_options=options)
        return
    head, _, one = sql.partition(" VALUES ")
    per_statement = max(1, min(ROWS_PER_STATEMENT, MAX_VARIABLES // len(params[0])))
    for start in range(0, len(params), per_statement):
        chunk = params[start:start + per_statement]
        connection.exec_driver_sql(f"{head} VALUES {', '.join([one] * len(chunk))}", tuple(chain.from_iterable(chunk)),
                                   execution_options=options)


@contextmanager
def writer_thread(connection: Connection, *, enabled: bool = True) -> Iterator[bool]:
    """Within the caller's transaction: bulk statements given to ``execute_driver_sql`` run in a
    writer thread until the block ends; the end waits for them (and raises the writer's error).
    Yields whether the writer runs (SQLite, ``enabled``, no writer already, more than one core: on
    one, the two threads would only take turns)."""
    if not enabled or connection.dialect.name != "sqlite" or _KEY in connection.info or (os.cpu_count() or 1) < 2:
        yield False
        return
    writer = _Writer(connection)
    switch = sys.getswitchinterval()
    connection.info[_KEY] = writer
    sys.setswitchinterval(min(switch, SWITCH_INTERVAL))
    writer.thread.start()
    try:
        yield True
        writer.wait()
    finally:
        writer.stop()
        del connection.info[_KEY]
        sys.setswitchinterval(switch)


def execute_driver_sql(connection: Connection, sql: str, params: Any, *, options: Any, rows: int) -> None:
    """``connection.exec_driver_sql(sql, params)`` for a statement whose result is not read: handed
    to the connection's writer thread when one runs, run at once otherwise. ``rows``: how many
    rows it writes (what the writer may hold is counted in rows)."""
    writer = connection.info.get(_KEY)
    if writer is None or threading.get_ident() == writer.thread.ident:
        connection.exec_driver_sql(sql, params, execution_options=options)
    else:
        writer.submit(sql, params, options, rows)


def job_state(connection: Connection) -> dict[Any, Any] | None:
    """A dict that lives as long as the connection's writer, for the job's thread (None without a
    writer, or in the writer's own thread). The change log keeps its counter and the chain head
    there (storage/changelog.py, storage/audit_chain.py): the job holds the database's write lock
    (SQLite: BEGIN IMMEDIATE) and every change of them in it goes through the functions that keep
    them, so after the first reading of each the job knows them without asking the database, and
    hands its updates of them to the writer instead of waiting for the writer to read them."""
    writer = connection.info.get(_KEY)
    if writer is None or threading.get_ident() == writer.thread.ident:
        return None
    return writer.kept


def _wait_for_writer(connection, _cursor, _statement, _parameters, _context, _executemany) -> None:
    writer = connection.info.get(_KEY)
    if writer is not None and threading.get_ident() != writer.thread.ident:
        writer.wait()


def wait_for_writer_before_statements(engine: Engine) -> None:
    """Every statement the job's own thread runs on a connection with a writer waits for the writer
    first (``storage.database.open_database`` installs it)."""
    event.listen(engine, "before_cursor_execute", _wait_for_writer)
