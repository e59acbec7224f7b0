"""A local flush on SQLite (storage/changelog.py ``_append_local_sqlite`` with audit_chain's
``chain_local``) stores exactly the rows ``append_entries`` stores for the same entries: the same
value texts, the same chain hashes, the same signed head. Sync packages, ``audit verify`` and the
golden files depend on those bytes, so the faster path is checked against the general one on
generated values of every kind services log."""

from __future__ import annotations

import datetime as dt
import decimal
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from fpdesk.storage import changelog
from fpdesk.storage.audit_chain import link_hash, verify_chain
from fpdesk.storage.changelog import ChangeRecorder, append_entries
from fpdesk.storage.schema import ChangeEntry
from fpdesk.storage.schema_trust import AuditChainHead

MOMENT = dt.datetime(2026, 1, 5, 8, 30, 1, 123456)
# names, villages and free text as rosters bring them: Chinese, ASCII, escapes, the odd astral character
TEXT = st.text(alphabet=st.sampled_from("林国华罗翠村城关乡计生协户主配偶子女abcXYZ 019-,:\"\\\n\t\x01\x7fé€😀"),
               max_size=12)
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | TEXT | st.dates()
           | st.datetimes() | st.uuids() | st.floats(allow_nan=False, allow_infinity=False)
           | st.frozensets(st.integers(), max_size=3) | st.frozensets(TEXT, max_size=3))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=8)
FIELDS = st.dictionaries(TEXT, VALUES, max_size=6)
ENTRY = st.tuples(st.sampled_from(["person", "household", "enrollment", "insured_person"]), st.uuids(),
                  st.sampled_from(["insert", "update", "delete"]), FIELDS, st.none() | FIELDS,
                  st.integers(min_value=1, max_value=5))


@pytest.fixture
def office(sqlite_url, monkeypatch):
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import init_office

    monkeypatch.setattr(changelog, "utc_now", lambda: MOMENT)
    workspace = open_workspace(sqlite_url, author="tester")
    init_office(workspace, code="350421200", level="township", name="城关乡计生协")
    yield workspace
    workspace.close()


class _Undo(Exception):
    """Rolls the transaction back: both paths start from the same log."""


def _written(workspace, write) -> tuple[list[tuple], tuple]:
    """The change-log rows and the chain head a write leaves, the write rolled back afterwards."""
    found: dict = {}
    with pytest.raises(_Undo), workspace.db.transaction() as session:
        write(session)
        connection = session.connection()
        found["rows"] = connection.execute(text(
            "SELECT origin_device, origin_seq, entity, record_id, revision, operation, fields, old_values, "
            "author, at, chain_hash FROM change_log ORDER BY local_seq")).all()
        found["head"] = tuple(connection.execute(select(AuditChainHead.last_hash, AuditChainHead.entries,
                                                        AuditChainHead.signature)).one())
        found["verified"] = verify_chain(connection)
        raise _Undo
    return found["rows"], found["head"], found["verified"]


def _by_recorder(workspace, entries):
    def write(session):
        recorder = ChangeRecorder(session, workspace.office.device_id, "tester")
        for entity, record_id, operation, fields, old_values, revision in entries:
            recorder.record(entity, record_id, operation, fields, revision, old_values)
        recorder.flush()
    return write


def _by_append_entries(workspace, entries):
    def write(session):
        first = changelog.allocate_origin_sequence(session, workspace.office.device_id, len(entries))
        append_entries(session, [
            {"origin_device": workspace.office.device_id, "origin_seq": first + i, "entity": entity,
             "record_id": record_id, "revision": revision, "operation": operation, "fields": fields,
             "old_values": old_values or None, "author": "tester", "at": MOMENT}
            for i, (entity, record_id, operation, fields, old_values, revision) in enumerate(entries)])
    return write


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, min_size=1, max_size=6))
def test_a_local_flush_stores_what_append_entries_stores(office, entries):
    fast_rows, fast_head, fast_verified = _written(office, _by_recorder(office, entries))
    rows, head, verified = _written(office, _by_append_entries(office, entries))
    assert fast_rows == rows
    assert fast_head == head
    assert fast_verified.ok and verified.ok, (fast_verified.reason, verified.reason)


def test_the_stored_text_is_json_dumps_of_the_values_and_chains_as_link_hash_says(office):
    household, person = __import__("uuid").UUID(int=7), __import__("uuid").UUID(int=8)
    fields = {"household_id": household, "name": "林国华", "birth_date": dt.date(1965, 1, 1), "phone": None,
              "shares": 1, "health": True, "sums_insured": [{"kind": "accident", "amount_fen": 6666667}],
              "categories": frozenset({"difficult", "other"})}
    rows, _head, verified = _written(office, _by_recorder(office, [("person", person, "insert", fields, None, 1)]))
    stored = rows[-1]
    assert stored.fields == json.dumps(
        {**fields, "household_id": str(household), "birth_date": "1965-01-01",
         "categories": ["difficult", "other"]})
    assert '"name": "\\u6797\\u56fd\\u534e"' in stored.fields and stored.old_values == "null"
    previous = rows[-2].chain_hash
    assert stored.chain_hash == link_hash(previous, {
        "origin_device": stored.origin_device, "origin_seq": stored.origin_seq, "entity": "person",
        "record_id": person, "revision": 1, "operation": "insert", "author": "tester", "at": MOMENT,
        "fields": stored.fields, "old_values": "null"})
    assert verified.ok


def test_a_value_json_cannot_write_is_refused_as_before(office):
    # decimals never reach the change log (money is in fen): both paths refuse one alike
    entries = [("person", __import__("uuid").UUID(int=9), "insert", {"amount": decimal.Decimal("1.5")}, None, 1)]
    for write in (_by_recorder(office, entries), _by_append_entries(office, entries)):
        with pytest.raises(TypeError), office.db.transaction() as session:
            write(session)
    with office.read() as session:
        assert session.scalar(select(ChangeEntry.local_seq).where(ChangeEntry.entity == "person")) is None
