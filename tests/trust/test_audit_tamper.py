"""Tampering the audit campaign tried, each caught now: entries rewritten and the chain recomputed, the
newest entries and the head cut off, values replaced by a forged anonymisation marker, a data table
edited directly. A person who also re-signs the head with the device key (it lies in the database)
passes the local check: the parent catches that with the signed heads the village's packages carried."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from fpdesk.services.trust import audit
from fpdesk.storage.audit_chain import GENESIS, link_hash, local_signer, payload_digest, signed_head
from tests.services.sync_helpers import Offices, register_family

V1 = "350421200201"


@pytest.fixture
def offices(tmp_path):
    made = Offices(tmp_path)
    county = made.county()
    township = made.pair(county, "350421200", "township", "城关乡计生协")
    village = made.pair(township, V1, "village", "罗翠村计生协")
    for index in range(3):
        register_family(village, V1, f"林{index}", 10 + index)
    yield made, township, village
    made.close()


def rechain(ws, *, sign: bool) -> None:
    """What a person with a database tool does after editing the log: recompute every link and the head
    (and, knowing where the device key lies, sign it again)."""
    with ws.db.engine.begin() as connection:
        rows = connection.execute(text(
            "SELECT local_seq, origin_device, origin_seq, entity, record_id, revision, operation, "
            "CAST(fields AS TEXT) AS fields, CAST(old_values AS TEXT) AS old_values, author, at "
            "FROM change_log ORDER BY local_seq")).mappings().all()
        previous = GENESIS
        for row in rows:
            previous = link_hash(previous, {**row, "record_id": _uuid(row["record_id"])})
            connection.execute(text("UPDATE change_log SET chain_hash = :h WHERE local_seq = :s"),
                               {"h": previous, "s": row["local_seq"]})
        connection.execute(text("UPDATE audit_chain_head SET last_hash = :h, entries = :n WHERE id = 1"),
                           {"h": previous, "n": len(rows)})
        if sign:
            signed = signed_head(local_signer(connection), len(rows), previous)
            connection.execute(text("UPDATE audit_chain_head SET signature = :sig, signed_by = :by WHERE id = 1"),
                               {"sig": signed["signature"], "by": signed["signed_by"]})


def _uuid(value):
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _person_entry(ws):
    with ws.db.engine.connect() as connection:
        return connection.execute(text("SELECT local_seq, CAST(fields AS TEXT), CAST(old_values AS TEXT) "
                                       "FROM change_log WHERE entity = 'person' ORDER BY local_seq LIMIT 1")).first()


def test_a_rewritten_and_rechained_log_fails_on_its_signature(offices):
    _made, _township, village = offices
    seq, fields, _old = _person_entry(village)
    forged = json.loads(fields) | {"name": "冒名"}
    with village.db.engine.begin() as connection:
        connection.execute(text("UPDATE change_log SET fields = :f WHERE local_seq = :s"),
                           {"f": json.dumps(forged), "s": seq})
        connection.execute(text("UPDATE person SET name = '冒名' WHERE name = '林0'"))
    rechain(village, sign=False)
    assert audit.verify(village).reason == "head_signature"


def test_the_newest_entries_and_the_head_cut_off(offices):
    _made, _township, village = offices
    with village.db.engine.begin() as connection:
        last = connection.execute(text("SELECT max(local_seq) FROM change_log")).scalar()
        connection.execute(text("DELETE FROM change_log WHERE local_seq > :s"), {"s": last - 3})
    rechain(village, sign=False)
    assert audit.verify(village).reason in ("head_signature", "data_mismatch")
    with village.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_chain_head"))
    assert not audit.verify(village).ok


def test_a_forged_anonymisation_marker(offices):
    _made, _township, village = offices
    seq, fields, old = _person_entry(village)
    marker = json.dumps({"_redacted": payload_digest(fields, old)})  # the chain still links
    with village.db.engine.begin() as connection:
        connection.execute(text("UPDATE change_log SET fields = :f, old_values = NULL WHERE local_seq = :s"),
                           {"f": marker, "s": seq})
    found = audit.verify(village)
    assert found.reason == "forged_redaction" and found.broken_seq == seq


def test_a_data_table_edited_directly(offices):
    _made, _township, village = offices
    assert audit.verify(village).ok
    with village.db.engine.begin() as connection:
        connection.execute(text("UPDATE person SET phone = '13900000000' WHERE name = '林1'"))
    found = audit.verify(village)
    assert found.reason == "data_mismatch"
    assert found.details[0]["entity"] == "person" and found.details[0]["field"] == "phone"
    with village.db.engine.begin() as connection:
        connection.execute(text("UPDATE person SET phone = '13812345678' WHERE name = '林1'"))
        connection.execute(text("DELETE FROM household_category"))
        connection.execute(text("INSERT INTO division (id, code, name, kind, parent_code, code_year, revision, "
                                "created_at, updated_at) VALUES ('0123456789abcdef0123456789abcdef', "
                                "'350421200299', '暗加村', 'village', '350421200', 2024, 1, "
                                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    whats = {(d["entity"], d["what"]) for d in audit.verify(village).details}
    assert ("division", "unlogged_row") in whats


def test_the_parent_catches_a_log_rewritten_and_re_signed_with_the_device_key(offices, tmp_path):
    made, township, village = offices
    assert made.send(village, township).notes == []  # the township keeps the village's signed head
    seq, fields, _old = _person_entry(village)
    with village.db.engine.begin() as connection:
        connection.execute(text("UPDATE change_log SET fields = :f WHERE local_seq = :s"),
                           {"f": json.dumps(json.loads(fields) | {"phone": "13900000000"}), "s": seq})
    rechain(village, sign=True)
    local = audit.verify(village)
    assert local.reason != "head_signature"  # the device key re-signed it: the laptop alone cannot tell
    register_family(village, V1, "周新", 40)
    report = made.send(village, township)
    assert any("改写" in note for note in report.notes)
    assert len(report.notes_en) == len(report.notes) and any("was rewritten" in note for note in report.notes_en)
    assert [p["problem"] for p in audit.anchor_problems(township)] == ["rewritten"]
    [check] = audit.verify_child(township, str(village.db.file_path))
    assert not check.ok and check.broken[0]["reason"] == "rewritten"


def test_an_honest_village_passes_at_the_parent(offices):
    made, township, village = offices
    made.send(village, township)
    register_family(village, V1, "周新", 40)
    made.send(village, township)
    assert audit.anchor_problems(township) == []
    [check] = audit.verify_child(township, str(village.db.file_path))
    assert check.ok and check.anchors == 2 + 1  # pairing's first package, then the two here
    assert audit.verify(village).ok and audit.verify(township).ok


def test_categories_edited_directly_are_found_household_by_household(workspace):
    """The categories are read in one walk beside the households (services/trust/audit_replay.py):
    one household's removed, another's added, the ones around them untouched."""
    import datetime as dt

    from sqlalchemy import delete, insert

    from fpdesk.core.idnumber import make_number
    from fpdesk.core.people import HouseholdDraft, PersonDraft
    from fpdesk.core.vocabulary import HouseholdCategory, Relation
    from fpdesk.services.registry import households as hh
    from fpdesk.storage.schema import HouseholdCategoryLink

    made = []
    for index in range(6):
        categories = frozenset({HouseholdCategory.ONLY_CHILD, HouseholdCategory.HARDSHIP} if index % 2 else
                               {HouseholdCategory.OTHER_FP})
        number = make_number("350421", dt.date(1970, 1, 1) + dt.timedelta(days=index), 11 + 2 * index)
        made.append(hh.register_household(
            workspace, HouseholdDraft(division_code="350421200201", categories=categories),
            [PersonDraft(f"户{index}", number, Relation.HEAD)], today=dt.date(2026, 1, 5)).primary_id)
    assert audit.verify(workspace).ok
    ordered = sorted(made)
    removed_from, added_to = ordered[1], ordered[4]
    with workspace.db.engine.begin() as connection:
        connection.execute(delete(HouseholdCategoryLink).where(HouseholdCategoryLink.household_id == removed_from,
                                                               HouseholdCategoryLink.category != "other_fp"))
        connection.execute(insert(HouseholdCategoryLink).values(household_id=added_to, category="special_family"))
    found = audit.verify(workspace)
    assert found.reason == "data_mismatch"
    changed = {(d["record_id"], d["field"]) for d in found.details}
    assert changed == {(str(removed_from), "categories"), (str(added_to), "categories")}
    have = {d["record_id"]: d["table_value"] for d in found.details}
    assert sorted(have[str(added_to)]) in (["other_fp", "special_family"],
                                           ["hardship", "only_child", "special_family"])
