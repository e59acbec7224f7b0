"""Search indexes built after a bulk insert instead of row by row (SQLite).

A county's first package from a township, or a township's first roster, can bring more persons
than the database holds. Inserting them one by one into the name, initials, pinyin and phone
indexes and the trigram index writes at random places in five large B-trees; building each index
once from the finished table is a sort and a sequential write. For 500,000 persons: 13.7 s of
inserting with every index; 3.4 s without them, plus 3.9 s to build them afterwards.

Only the search indexes are deferred: the primary key, the ID-number index and the household
index serve the job's own queries (duplicates, household heads) and stay. Everything happens in
the job's transaction: the indexes are dropped and built again inside it, so a rollback (a
refused file, a dry run, a crash) leaves them exactly as they were, and no other connection ever
sees the table without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

# Indexes no bulk job's own queries use, and the full-text index kept by triggers.
SEARCH_INDEXES = {"person": ("ix_person_name_prefix", "ix_person_name_initials_prefix",
                             "ix_person_name_pinyin_prefix", "ix_person_phone")}
FULL_TEXT = {"person": ("person_number_fts", ("person_number_fts_insert", "person_number_fts_update",
                                              "person_number_fts_delete"))}
MIN_ROWS = 20_000  # below this, row-by-row upkeep costs less than building the indexes again
SHARE_OF_TABLE = 0.25  # and the incoming rows must be a good part of the table the indexes cover


def worth_deferring(connection: Connection, table: str, incoming: int) -> bool:
    if connection.dialect.name != "sqlite" or table not in SEARCH_INDEXES or incoming < MIN_ROWS:
        return False
    if not connection.connection.driver_connection.in_transaction:
        # outside a begun transaction (Database.transaction begins one at once) a DROP would be
        # committed on its own and outlive the job's rollback
        return False
    # the largest rowid stands for the row count: no scan of a table that may hold millions
    last = connection.exec_driver_sql(f"SELECT max(rowid) FROM {table}").scalar() or 0
    return incoming >= SHARE_OF_TABLE * last


@contextmanager
def deferred_search_indexes(connection: Connection, table: str, *, incoming: int) -> Iterator[bool]:
    """Within the caller's transaction: drop ``table``'s search indexes when ``incoming`` new rows
    make that worth it, and build them again when the block ends normally. When the block raises,
    nothing is rebuilt: the caller's transaction is rolled back and brings them back unchanged.
    Yields whether the indexes were deferred.

    The full-text index's triggers go too (an update trigger would otherwise delete terms of rows
    the index never got, which corrupts an FTS5 index); it is rebuilt whole from the table.
    """
    if not worth_deferring(connection, table, incoming):
        yield False
        return
    fts_table, triggers = FULL_TEXT[table]
    names = (*SEARCH_INDEXES[table], *triggers)
    marks = ", ".join("?" * len(names))
    saved = connection.exec_driver_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE name IN ({marks}) ORDER BY type, name", names).all()
    dropped = []
    try:
        for kind, name, sql in saved:
            connection.exec_driver_sql(f"DROP {kind.upper()} {name}")
            dropped.append(sql)
    except OperationalError:  # a statement still reading the table holds it: keep the row-by-row upkeep
        for sql in dropped:
            connection.exec_driver_sql(sql)
        yield False
        return
    yield True
    for _kind, _name, sql in saved:
        connection.exec_driver_sql(sql)
    connection.exec_driver_sql(f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')")
