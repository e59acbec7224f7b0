"""Search indexes built after a bulk insert instead of row by row (SQLite).

A county's first package from a township, or a township's first roster, can bring more persons
than the database holds. Inserting them one by one into the name, initials, pinyin and phone
indexes and the trigram index writes at random places in five large B-trees; building each index
once from the finished table is a sort and a sequential write. For 500,000 persons: 13.7 s of
inserting with every index; 3.4 s without them, plus 3.9 s to build them afterwards.

Only the search indexes are deferred: the primary key, the ID-number index and the household
index serve the job's own queries (duplicates, household heads) and stay. The writing of a checked
roster defers, besides, the enrollment, insured-person and change-log indexes it never reads
(WRITE_ONLY_DURING_APPLY below); a roster written by a writer thread (storage/pipelined_writes.py)
defers none: the writer keeps them up while the job makes the next rows. Everything happens in
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
    return table in SEARCH_INDEXES and _worth_rebuilding(connection, table, incoming)


def _worth_rebuilding(connection: Connection, table: str, incoming: int) -> bool:
    if connection.dialect.name != "sqlite" or incoming < MIN_ROWS:
        return False
    if not connection.connection.driver_connection.in_transaction:
        # outside a begun transaction (Database.transaction begins one at once) a DROP would be
        # committed on its own and outlive the job's rollback
        return False
    # the largest rowid stands for the row count: no scan of a table that may hold millions
    last = connection.exec_driver_sql(f"SELECT max(rowid) FROM {table}").scalar() or 0
    return incoming >= SHARE_OF_TABLE * last


def _drop(connection: Connection, names: tuple[str, ...]) -> list[str] | None:
    """Drop the named indexes and triggers; their SQL, to create them again. None (and nothing
    dropped) when a statement still reading the table holds it."""
    marks = ", ".join("?" * len(names))
    saved = connection.exec_driver_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE name IN ({marks}) ORDER BY type, name", names).all()
    dropped = []
    try:
        for kind, name, sql in saved:
            connection.exec_driver_sql(f"DROP {kind.upper()} {name}")
            dropped.append(sql)
    except OperationalError:  # keep the row-by-row upkeep
        for sql in dropped:
            connection.exec_driver_sql(sql)
        return None
    return [sql for _kind, _name, sql in saved]


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
    saved = _drop(connection, (*SEARCH_INDEXES[table], *triggers))
    if saved is None:
        yield False
        return
    yield True
    for sql in saved:
        connection.exec_driver_sql(sql)
    connection.exec_driver_sql(f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')")


# Indexes that the writing of a checked roster's plan (services/rosters/importing.py
# ``_apply_prepared``) only ever adds to: no statement it runs reads them. What reads each, and why
# that is never during the apply (which runs: the plan's Core inserts of household, household_category,
# person, enrollment, insured_person and contribution; the change log's own insert and its sequence
# counter; the chain head; the ORM updates of registered persons and households by primary key, with
# the person checks of households.update_person_in on person's own indexes; the layout's setting):
WRITE_ONLY_DURING_APPLY: dict[str, tuple[str, ...]] = {
    "insured_person": (
        # an enrollment's members (lists, removals, claims); foreign-key checks of a deleted or
        # re-keyed enrollment or person: the apply deletes none and changes no key
        "ix_insured_person_enrollment_person",
        "ix_insured_person_person_product_year",  # a person's cover: the roster's check reads it, before
        "ix_insured_person_id_number_product_year",  # insured by ID number: the check and the coverage check
        "ix_insured_person_product_year",  # a product's insured of a year: exports and statistics
    ),
    "enrollment": (
        "ix_enrollment_product_year_status",  # lists, hand-ups and exports by product, year and status
        # a household's enrollments: the check reads them (renewals, enrolled already), before; the
        # one active enrollment per household is guarded by ux_enrollment_active_household_product_year,
        # which stays
        "ix_enrollment_household_product_year",
        "ix_enrollment_hand_up_id",  # a hand-up's enrollments; the apply makes none handed up
    ),
    # a record's history (undo, privacy erasure, sync conflicts, the record page); the plan's
    # freshness check reads local_seq, the primary key, and the unique origin pair stays
    "change_log": ("ix_change_log_record_id",),
}


@contextmanager
def deferred_write_only_indexes(connection: Connection, incoming: dict[str, int]) -> Iterator[list[str]]:
    """``deferred_search_indexes`` for the indexes of WRITE_ONLY_DURING_APPLY: each table's dropped
    when its ``incoming`` rows make that worth it, all built again when the block ends normally
    (the caller's rollback restores them otherwise). Yields the tables whose indexes were deferred.

    SQLite only, as the search indexes: on PostgreSQL a DROP INDEX locks its table against every
    other reader until the import commits (a county server's other clerks, its sync exports)."""
    saved: list[str] = []
    tables = []
    for table, names in WRITE_ONLY_DURING_APPLY.items():
        if not _worth_rebuilding(connection, table, incoming.get(table, 0)):
            continue
        dropped = _drop(connection, names)
        if dropped:
            saved += dropped
            tables.append(table)
    yield tables
    for sql in saved:
        connection.exec_driver_sql(sql)
