"""A paired office running a modified program signs honestly whatever it sends: the import checks what
each office may send (services/sync/ownership.py) and refuses a package with one entry outside that
whole, naming the sender, with the receiving database unchanged (a full dump compared)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from fpdesk.core import signed_payload
from fpdesk.core import sync_package as fmt
from fpdesk.core.errors import DomainError
from fpdesk.core.ids import new_id
from fpdesk.services.sync.importer import import_package
from fpdesk.services.sync.ownership import OWNERSHIP
from fpdesk.services.trust.accounts import add_user, log_in
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import Base, Division
from fpdesk.storage.schema_printing import OfficeKey
from fpdesk.storage.schema_trust import UserAccount
from tests.services.sync_helpers import Offices, dump, person_count, register_family

T1, T2, V1, V2 = "350421200", "350421201", "350421200201", "350421201201"


@pytest.fixture
def offices(tmp_path):
    made = Offices(tmp_path)
    county = made.county()
    add_division(county, code=V2, name="另一乡的村", code_year=2024)
    township = made.pair(county, T1, "township", "城关乡计生协")
    village = made.pair(township, V1, "village", "罗翠村计生协")
    register_family(village, V1, "林国华", 7)
    made.send(village, township)
    yield made, county, township, village
    made.close()


def _forge(ws, entity: str, fields: dict, operation: str = "insert") -> None:
    """What the modified program writes at the township: one change entry, signed as its own."""
    with ws.write() as ctx:
        ctx.recorder.record(entity, new_id(), operation, fields, 1)


def _modified_export(made, sender, receiver, entity: str):
    """The package of a modified program: its export also sends ``entity``, whatever its direction."""
    from fpdesk.services.sync import export

    honest = export.travels
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export, "travels", lambda name, operation, way: name == entity or honest(name, operation, way))
        return made.export(sender, receiver)


def _refused(receiver, path) -> DomainError:
    before = dump(receiver)
    with pytest.raises(DomainError) as dry:
        import_package(receiver, path, dry_run=True)
    with pytest.raises(DomainError) as caught:
        import_package(receiver, path)
    # and by the joins, where households and persons new to the receiver are judged a batch at a time
    # (OwnershipGuard.check_new) and written by a writer thread (newbatch.feed_pipelined)
    with pytest.raises(DomainError) as joined:
        import_package(receiver, path, set_based=True)
    assert dry.value.code == caught.value.code == joined.value.code
    assert joined.value.params == caught.value.params
    assert dump(receiver) == before  # nothing applied, not even the honest records beside it
    return caught.value


def _county_division_id(county, code: str) -> str:
    with county.read() as session:
        return str(session.scalar(select(Division.id).where(Division.code == code)))


ADMIN_HASH = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("planted-pass-1")
ATTACKS = {
    "an administrator account": ("user_account", lambda county: {
        "name": "intruder", "display_name": "", "role": "admin", "password_hash": ADMIN_HASH, "disabled": False,
        "failed_attempts": 0}),
    "a QR signing key under the county's code": ("office_key", lambda county: {
        "office_code": "350421", "key_number": 7, "public_key": signed_payload.new_private_key()[1].hex(),
        "source": "local"}),
    "a device registration for the county": ("office_registration", lambda county: {
        "device_id": "FORGED-COUNTY-01", "office_code": "350421", "level": "county", "name": "冒名县",
        "parent_code": None, "sign_public": fmt.new_device_keys().sign_public,
        "enc_public": fmt.new_device_keys().enc_public, "registered_by": "root", "revoked_seq": None,
        "revoked_by": None}),
    "an invitation": ("sync_invitation", lambda county: {
        "office_code": "350421202", "level": "township", "name": "冒名乡", "code_key": "00" * 32, "status": "pending"}),
    "a setting": ("setting", lambda county: {"key": "backup.folder", "value": {"path": "/tmp/elsewhere"}}),
    "the change log itself": ("change_log", lambda county: {
        "origin_device": "X", "origin_seq": 1, "entity": "person", "revision": 1, "operation": "insert",
        "fields": {}, "author": "x", "at": "2026-01-01T00:00:00"}),
    "a device's private keys": ("device_key", lambda county: {
        "device_id": "X", "sign_private": "00" * 32, "sign_public": "00" * 32, "enc_private": "00" * 32,
        "enc_public": "00" * 32}),
    "a product definition": ("product_definition", lambda county: {
        "kind": "product", "code": "planted", "sha256": "0" * 64, "content": "code: planted\n"}),
    "a household in another township's village": ("household", lambda county: {
        "division_id": _county_division_id(county, V2), "address": "1组", "certificate_no": None, "is_rural": True,
        "reward_recipient": False, "status": "active", "note": "", "categories": []}),
    "a target of another township": ("target", lambda county: {
        "year": 2026, "product_code": "fp_family_accident_100", "division_code": T2, "division_name": "瀚仙镇",
        "government": 999, "self_paid": 0, "employer": 0, "source": ""}),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_township_cannot_write_what_it_does_not_own_at_the_county(offices, attack):
    made, county, township, _village = offices
    entity, fields = ATTACKS[attack]
    _forge(township, entity, fields(county))
    error = _refused(county, _modified_export(made, township, county, entity))
    assert error.code in ("package_forbidden", "package_entity_unknown")
    assert error.params["sender"] == T1 and "城关乡计生协" in error.message_zh
    if error.code == "package_forbidden":  # the clerk reads what was refused in words, not as a table's name
        assert entity not in error.message_zh
    assert person_count(county) == 0  # the village's honest household, in the same package, was not applied


def test_a_planted_administrator_cannot_log_in_at_the_county(offices):
    made, county, township, _village = offices
    add_user(county, name="county-admin", password="county-pass-1", role="admin")
    _forge(township, *(lambda e, f: (e, f(county)))(*ATTACKS["an administrator account"]))
    with pytest.raises(DomainError):
        import_package(county, _modified_export(made, township, county, "user_account"))
    with county.read() as session:
        assert session.scalar(select(UserAccount.id).where(UserAccount.name == "intruder")) is None
    with pytest.raises(DomainError) as caught:
        log_in(county, "intruder", "planted-pass-1")
    assert caught.value.code == "login_failed"


def test_a_parent_cannot_send_a_village_household_changes_downward(offices):
    made, _county, township, village = offices
    with village.read() as session:
        division_id = str(session.scalar(select(Division.id).where(Division.code == V1)))
    _forge(township, "household", {"division_id": division_id, "address": "2组", "certificate_no": None,
                                   "is_rural": True, "reward_recipient": False, "status": "active", "note": "",
                                   "categories": []})
    error = _refused(village, _modified_export(made, township, village, "household"))
    assert error.code == "package_forbidden" and error.params["sender"] == T1


def test_honest_packages_pass_and_keys_are_the_origins_own(offices):
    made, county, township, village = offices
    report = made.send(township, county)
    assert report.new > 0 and person_count(county) == 1
    with county.read() as session:  # keys made for printing travel up as their own office's
        for row in session.scalars(select(OfficeKey)):
            assert row.private_key is None or row.office_code == "350421"
    register_family(village, V1, "周一", 50)
    made.send(village, township)
    assert made.send(township, county).new > 0 and person_count(county) == 2


def test_every_table_is_declared_or_never_travels():
    """A table added later is local until someone declares who may send it."""
    local = {"office", "setting", "device_counter", "sequence_counter", "change_log", "household_category",
             "device_key", "sync_invitation", "sync_peer", "sync_block", "sync_package", "sync_held",
             "sync_conflict", "user_account", "audit_chain_head", "print_log", "eligible_list_entry",
             "sync_alias", "audit_anchor", "login_attempt",
             "cash_handover"}  # a township's own cash book
    for name in Base.metadata.tables:
        assert name in OWNERSHIP or name in local, name
