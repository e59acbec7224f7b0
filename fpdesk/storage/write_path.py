"""One write path: which tables the change log covers, and the session events that hold writes to it.

A write of a logged table reaches sync and the audit chain only through the change log. Services
record their changes (``ChangeRecorder.record``) with the payload the log should keep; what they
write the ordinary ORM way without recording it (``session.add(row)``, an attribute set,
``session.delete(row)``) is recorded here at the end of the transaction, with old and new values
and a revision counted up as ``services.records.apply_changes`` does. A Core INSERT, UPDATE or
DELETE of a logged table is refused inside a write transaction unless the statement says that its
caller logs it (``.execution_options(fpdesk_logged=True)``, ``insert_rows(..., logged=True)``):
the bulk paths record their entries themselves and must say so.

Every mapped table is declared below as LOGGED or LOCAL (tests/storage/test_write_path.py checks
that none is missing). Sessions opened without a recorder (``Database.transaction`` used directly:
migrations, tests, the invitation's divisions) are not watched.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Table, event, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase

from fpdesk.storage.schema import utc_now

if TYPE_CHECKING:  # the change log's module imports the database's, which imports this one
    from fpdesk.storage.changelog import ChangeRecorder

# What a logged table's entries leave out, besides the bookkeeping every record carries: secrets,
# keys derived from logged values, and per-installation counters.
LOGGED: dict[str, frozenset[str]] = {
    "office": frozenset({"is_local"}),
    "setting": frozenset(),
    "division": frozenset(),
    "household": frozenset(),
    "person": frozenset({"name_initials", "name_pinyin"}),  # search keys, made again from the name
    "enrollment": frozenset(),
    "hand_up": frozenset(),
    "insured_person": frozenset(),
    "payment": frozenset(),
    "eligible_list_entry": frozenset(),
    "contribution": frozenset(),
    "allocation": frozenset(),
    "allocation_item": frozenset(),
    "refund": frozenset(),
    "cash_handover": frozenset(),
    "target": frozenset(),
    "population": frozenset(),
    "claim": frozenset(),
    "claim_event": frozenset(),
    "consent": frozenset(),
    "office_key": frozenset({"private_key", "source"}),  # the private half never leaves this office
    "print_log": frozenset(),
    "product_definition": frozenset(),
    "office_registration": frozenset(),
    "sync_invitation": frozenset({"code_key"}),  # the key derived from the one-time pairing code
    "sync_conflict": frozenset(),
    "sync_duplicate": frozenset(),
    # a log-in's counters are logged as "access" entries; the password hash never is
    "user_account": frozenset({"password_hash", "failed_attempts", "locked_until", "last_login_at"}),
}

# Tables logged as a field of another record: written only in a transaction that logs that record.
LOGGED_AS_FIELD: dict[str, tuple[str, str]] = {
    "household_category": ("household", "household_id"),  # the household's ``categories`` field
}

LOCAL: dict[str, str] = {
    "change_log": "the log itself",
    "device_counter": "this device's next change-log sequence number",
    "sequence_counter": "gap-free receipt and certificate numbers; the numbers are logged with their records",
    "audit_chain_head": "the audit chain's head, derived from the log",
    "audit_anchor": "children's signed chain heads, as their packages carried them",
    "device_key": "this installation's private keys",
    "login_attempt": "failed log-ins under unknown names, counted for the lock-out",
    "sync_peer": "sync state per partner office",
    "sync_block": "signatures over runs of received entries, kept to relay them",
    "sync_package": "packages applied here",
    "sync_held": "received entries waiting for what precedes them",
    "sync_alias": "another office's id of a division held here under ours",
}

BOOKKEEPING = frozenset({"id", "revision", "created_at", "updated_at"})
OPTION = "fpdesk_logged"  # the execution option of a statement whose caller logs what it writes
_KEY = "fpdesk.write_watch"


class UnloggedWrite(RuntimeError):
    """A write of a logged table that would not reach the change log (a programming error)."""


def record_id(table: str, row: Any) -> uuid.UUID:
    """The change log's id of a row: its own id, or for a setting the id ``put_setting`` logs it under."""
    if table == "setting":
        return setting_record_id(row.key)
    return row.id


def setting_record_id(key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, "fpdesk:setting:" + key)


@dataclass
class _Seen:
    row: Any
    operation: str
    old: dict[str, Any] = field(default_factory=dict)  # the first value seen of every changed column


@dataclass
class WriteWatch:
    """What the ORM wrote to logged tables in one write transaction, by (entity, record id)."""

    recorder: ChangeRecorder
    connection: Any
    seen: dict[tuple[str, uuid.UUID], _Seen] = field(default_factory=dict)
    fields_of: dict[uuid.UUID, str] = field(default_factory=dict)  # owner id -> table, for LOGGED_AS_FIELD
    closed: bool = False


def watch(session: Session, recorder: ChangeRecorder) -> WriteWatch:
    """Watch this write session's ORM writes for ``log_unrecorded``."""
    connection = session.connection()
    found = session.info[_KEY] = WriteWatch(recorder, connection)
    connection.info[_KEY] = True  # for the engine's guard (a pooled connection's info outlives the session)
    return found


def unwatch(session: Session) -> None:
    watched = session.info.pop(_KEY, None)
    if watched is not None:
        watched.connection.info.pop(_KEY, None)


def _columns(row: Any) -> dict[str, Any]:
    state = inspect(row)
    return {attr.key: state.dict.get(attr.key) for attr in state.mapper.column_attrs}


def _before_flush(session: Session, _context, _instances) -> None:
    watched: WriteWatch | None = session.info.get(_KEY)
    if watched is None or watched.closed:
        return
    seen = watched.seen
    for row in session.new:
        table = row.__table__.name
        if table in LOGGED:
            seen[table, record_id(table, row)] = _Seen(row, "insert")
        elif table in LOGGED_AS_FIELD:
            _field_write(watched, table, row)
    for row in session.dirty:
        table = row.__table__.name
        if table in LOGGED_AS_FIELD:
            _field_write(watched, table, row)
            continue
        if table not in LOGGED:
            continue
        state = inspect(row)
        old: dict[str, Any] = {}
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if history.added or history.deleted:
                old[attr.key] = history.deleted[0] if history.deleted else None
        if not old:
            continue
        key = (table, record_id(table, row))
        found = seen.get(key)
        if found is None:
            seen[key] = _Seen(row, "update", old)
        elif found.operation == "update":
            for name, value in old.items():
                found.old.setdefault(name, value)
    for row in session.deleted:
        table = row.__table__.name
        if table in LOGGED_AS_FIELD:
            _field_write(watched, table, row)
            continue
        if table not in LOGGED:
            continue
        key = (table, record_id(table, row))
        found = seen.pop(key, None)
        if found is not None and found.operation == "insert":
            continue  # made and removed in one transaction: nothing to log
        old = _columns(row)
        if found is not None:
            old.update(found.old)
        seen[key] = _Seen(row, "delete", old)


def _field_write(watched: WriteWatch, table: str, row: Any) -> None:
    owner_table, column = LOGGED_AS_FIELD[table]
    watched.fields_of[getattr(row, column)] = owner_table


def _json(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value


def log_unrecorded(session: Session) -> None:
    """Record what the ORM wrote to logged tables and the service did not record itself; call after
    the transaction's last flush, before the recorder's. A record the service logged explicitly in
    this transaction keeps the service's entries alone (their payloads are the service's choice)."""
    watched: WriteWatch | None = session.info.get(_KEY)
    if watched is None:
        return
    watched.closed = True
    recorder = watched.recorder
    explicit = recorder.explicit
    for owner, owner_table in watched.fields_of.items():
        if (owner_table, owner) not in explicit:
            raise UnloggedWrite(f"{owner_table} {owner}: its linked rows changed without a logged change of it")
    bumped = False
    for (table, rid), seen in watched.seen.items():
        if (table, rid) in explicit:
            continue
        skip = BOOKKEEPING | LOGGED[table]
        row = seen.row
        if seen.operation == "insert":
            fields = {k: _json(v) for k, v in _columns(row).items() if k not in skip}
            recorder.record(table, rid, "insert", fields, getattr(row, "revision", None) or 1)
        elif seen.operation == "delete":
            old = {k: _json(v) for k, v in seen.old.items() if k not in skip}
            recorder.record(table, rid, "delete", {}, (seen.old.get("revision") or 1) + 1, old)
        else:
            changed = {k: v for k, v in seen.old.items() if k not in skip and getattr(row, k) != v}
            if not changed:
                continue
            revision = 1
            if "revision" in row.__table__.c:
                if "revision" not in seen.old:  # counted up as apply_changes does
                    row.revision = (row.revision or 1) + 1
                    if "updated_at" in row.__table__.c:
                        row.updated_at = utc_now()
                    bumped = True
                revision = row.revision
            recorder.record(table, rid, "update", {k: _json(getattr(row, k)) for k in changed}, revision,
                            {k: _json(v) for k, v in changed.items()})
    if bumped:
        session.flush()


def _refuse_unmarked_orm(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete) or _KEY not in state.session.info:
        return
    _check_statement(state.statement, state.execution_options)


def _check_statement(statement: UpdateBase, options) -> None:
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None) if isinstance(table, Table) else None
    if name is None or (name not in LOGGED and name not in LOGGED_AS_FIELD):
        return
    if options.get(OPTION) or statement._execution_options.get(OPTION):
        return
    raise UnloggedWrite(f"a Core {statement.__visit_name__} of {name} inside a write transaction: write it through "
                        f"the ORM, or record its entries and mark it .execution_options({OPTION}=True)")


_DML = ("insert", "update", "delete")


def _refuse_unmarked_core(connection, statement, _multiparams, _params, options) -> None:
    if _KEY in connection.info and "compiled_cache" not in options and isinstance(statement, UpdateBase):
        _check_statement(statement, options)  # (an ORM flush passes its compiled cache: the ORM's own writes)


def _refuse_unmarked_sql(connection, _cursor, statement: str, _parameters, context, _executemany) -> None:
    """SQL text given to the driver (``exec_driver_sql``: ``insert_rows``, the change log's own insert)."""
    if _KEY not in connection.info or context is None or context.compiled is not None:
        return
    if statement[:6].lower() not in _DML or context.execution_options.get(OPTION):
        return
    words = statement.split(None, 3)
    name = (words[2] if words[0].lower() in ("insert", "delete") else words[1]).strip('"`')
    if name in LOGGED or name in LOGGED_AS_FIELD:
        raise UnloggedWrite(f"SQL text writing {name} inside a write transaction without {OPTION}")


def watch_writes(sessions: sessionmaker, engine: Engine) -> None:
    """Install the events on a database's sessions and engine (``storage.database.open_database``)."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "do_orm_execute", _refuse_unmarked_orm)
    event.listen(engine, "before_execute", _refuse_unmarked_core)
    event.listen(engine, "before_cursor_execute", _refuse_unmarked_sql)


