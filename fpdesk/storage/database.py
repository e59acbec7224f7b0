"""Opening a database: SQLite file (WAL, foreign keys) or a PostgreSQL URL, migrated to our schema.

Opening never creates an engine at import time. Before any migration of an existing file we copy
it aside with SQLite's online backup API; a file written by a newer fpdesk is refused, untouched.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DatabaseError, DataError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from fpdesk.core.changes import committed
from fpdesk.core.errors import DomainError
from fpdesk.storage.lengths import check_lengths_on_flush, from_database_error
from fpdesk.storage.pipelined_writes import wait_for_writer_before_statements
from fpdesk.storage.revisions import KNOWN_REVISIONS, SCHEMA_HEAD
from fpdesk.storage.sqlite_files import classify_sqlite_error, copy_database
from fpdesk.storage.write_path import watch_writes

# The session.info key under which the change log notes the entities a transaction wrote.
CHANGED_ENTITIES = "fpdesk_changed_entities"


def url_for(location: str) -> str:
    """A path becomes a SQLite URL; URLs pass through.

    The path is percent-encoded into the URL (SQLAlchemy decodes a URL's database part, so a folder
    named ``C#`` or ``100%41`` written raw would open another file); ``url_path`` is the way back."""
    if "://" in location:
        return location
    path = str(Path(location).expanduser().resolve())
    return URL.create("sqlite", database=path).render_as_string(hide_password=False)


def url_path(url: str) -> Path | None:
    """The file of a SQLite URL made by ``url_for``, exactly as it was given; None for a server."""
    if not url.startswith("sqlite:///"):
        return None
    database = make_url(url).database
    return Path(database) if database else None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across application crashes
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@dataclass
class Database:
    """An open, migrated database.

    Attributes:
        url: the SQLAlchemy URL (passwords included; show ``display_name`` to people).
        engine: the SQLAlchemy engine.
        sessions: session factory; use ``transaction()`` for writes.
    """

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    key: bytes | None = None  # the SQLCipher key of an encrypted file (storage/encryption.py)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def display_name(self) -> str:
        """The file's path as written (a rendered URL percent-encodes it: C%3A%5Cwork, 测试 as %E6%B5%8B),
        or the server's URL without its password."""
        if self.is_sqlite and self.engine.url.database:
            return self.engine.url.database
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def file_path(self) -> Path | None:
        return Path(self.engine.url.database) if self.is_sqlite and self.engine.url.database else None

    @contextmanager
    def transaction(self):
        """One unit of work: commit on success, roll back on any exception."""
        try:
            with self.sessions.begin() as session:
                if self.is_sqlite:
                    # The driver would open SQLite's transaction only at the job's first INSERT, UPDATE
                    # or DELETE: the checks before it (is this ID number registered already?) would
                    # read outside it, and another program could write in between. Taking the write
                    # lock at the start makes the job's reads and writes one snapshot; a second
                    # writer waits (busy_timeout) instead of failing half-way.
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                yield session
                entities = session.info.pop(CHANGED_ENTITIES, None)
            committed(entities, self.url)  # after the commit: what an operation changed is what it kept
        except OperationalError as exc:  # a full disk, a read-only stick: say so (nothing was committed)
            refusal = classify_sqlite_error(str(exc.orig), self.display_name) if self.is_sqlite else None
            if refusal is None:
                raise
            raise refusal from None
        except DataError as exc:  # PostgreSQL refuses a text longer than its column: said as ours
            refusal = from_database_error(str(exc.orig))
            if refusal is None:
                raise
            raise refusal from None

    def read(self) -> Session:
        return self.sessions()

    @contextmanager
    def snapshot(self):
        """A read of one moment: every query sees the database as it stood at the first, and no
        writer is kept waiting (SQLite's WAL reader; PostgreSQL's repeatable read)."""
        with self.sessions() as session:
            if self.is_sqlite:
                session.connection().exec_driver_sql("BEGIN")
            else:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session  # closing gives the connection back, rolled back, with the objects read still loaded

    def close(self) -> None:
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    # A database error's text would otherwise quote the row's values (names, ID numbers), and an
    # unexpected one ends in the log file people send for help (services/logbook.py).
    if url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if not url.startswith("postgresql"):  # the two this program is built and tested for
        scheme = url.split("://", 1)[0]
        raise DomainError("db_unreachable", {"detail": f"不支持“{scheme}”数据库，请用 SQLite 文件或 postgresql:// 地址 "
                                                       f"(unsupported database '{scheme}')"})
    from fpdesk.storage.schema import attach_postgresql_where
    attach_postgresql_where()
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def open_database(location: str, *, migrate: bool = True, key: bytes | None = None,
                  encrypted: bool | None = None) -> Database:
    """Open (creating if needed) and bring the schema to SCHEMA_HEAD; ``key`` opens an encrypted file.

    ``encrypted`` is the answer of a caller that has read the file's header already (opening a
    workspace does, to unlock it); None reads it here.
    """
    url = url_for(location)
    file = url_path(url)
    if file is not None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise DomainError("db_read_only", {"path": location}) from None
    if key is not None and file is not None:
        from fpdesk.storage.encryption import cipher_engine

        engine = cipher_engine(file, key, _sqlite_pragmas)
    else:
        if file is not None and encrypted is None:
            from fpdesk.storage.encryption import is_encrypted

            encrypted = is_encrypted(file)
        if file is not None and encrypted:
            raise DomainError("db_encrypted")
        engine = make_engine(url)
    try:
        revision = current_revision(engine)
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        refusal = classify_sqlite_error(str(exc.orig), location, url_path(url)) if url.startswith("sqlite") else None
        raise refusal or DomainError("db_unreachable", {"detail": str(exc.orig).strip()}) from None
    if revision is not None and revision not in KNOWN_REVISIONS:
        engine.dispose()
        raise DomainError("db_newer_schema", {"path": location, "revision": revision})
    if revision != SCHEMA_HEAD:
        if not migrate:
            raise DomainError("db_newer_schema", {"path": location, "revision": revision})
        if revision is not None and engine.dialect.name == "sqlite":
            before_migration_copy(engine, revision, key=key)
        run_migrations(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    check_lengths_on_flush(sessions)
    watch_writes(sessions, engine)
    wait_for_writer_before_statements(engine)
    return Database(url=url, engine=engine, sessions=sessions, key=key)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def run_migrations(engine: Engine) -> None:
    """All pending migrations in one transaction: a crash or a kill half-way leaves the database at
    its old revision, whole. (The SQLite driver would run each CREATE or ALTER on its own, committed
    at once, because it opens a transaction only before INSERT, UPDATE and DELETE: a kill then left
    tables of the new revision under the old revision's number, and the database no longer opened.
    An explicit BEGIN makes SQLite's DDL transactional; PostgreSQL's is anyway.)"""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def before_migration_copy(engine: Engine, revision: str, *, key: bytes | None = None) -> Path:
    """The copy of the database taken before migrating it from ``revision``. A copy made by an earlier
    attempt that did not finish (the program was killed, the disk filled up) is reused while the
    database is still in the state it copied: a database that cannot migrate is not copied again at
    every start."""
    from fpdesk.storage.sqlite_files import state_mark

    source = Path(engine.url.database)
    with engine.connect() as connection:
        live = state_mark(connection.connection.dbapi_connection)
    for earlier in sorted(source.parent.glob(f"{source.stem}.before-migration-from-{revision}.*{source.suffix}")):
        if copy_matches(earlier, revision, live, key):
            return earlier
    # A copy the killed attempt left half-written is never reused, and the whole copy made now
    # supersedes it: one copy aside, not one more fragment per interrupted start.
    for fragment in source.parent.glob(f"{source.stem}.before-migration-from-{revision}.*{source.suffix}.partial*"):
        fragment.unlink(missing_ok=True)
    return backup_sqlite(engine, suffix=f"before-migration-from-{revision}", key=key)


def copy_matches(path: Path, revision: str, live: tuple, key: bytes | None) -> bool:
    from fpdesk.storage.sqlite_files import schema_revision, state_mark_of

    try:
        return schema_revision(path, key) == revision and state_mark_of(path, key) == live
    except Exception:  # an unreadable leftover is not reused (sqlite3 and sqlcipher3 raise their own errors)
        return False


def backup_sqlite(engine: Engine, *, suffix: str, key: bytes | None = None) -> Path:
    """Copy the database file aside with SQLite's online backup API (safe while it is open); the copy
    is checked and synced like every backup, and an encrypted database's copy stays encrypted."""
    source = Path(engine.url.database)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return copy_database(source, source.with_name(f"{source.stem}.{suffix}.{stamp}{source.suffix}"), key=key)
