"""Users, roles and the audit hash chain on both engines (real SQLite file, real PostgreSQL)."""

import datetime as dt

import pytest
from sqlalchemy import select, text, update

from fpdesk.core.errors import DomainError
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.opening import open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.trust import accounts, audit
from fpdesk.services.workspace import add_division
from fpdesk.storage.schema import ChangeEntry, Person
from fpdesk.storage.schema_trust import UserAccount

TODAY = dt.date(2026, 11, 22)


def register(workspace, id_number="350421198001010017", name="林国华"):
    draft = HouseholdDraft(division_code="350421200201", address="罗翠村3组")
    return hh.register_household(workspace, draft, [PersonDraft(name, id_number, Relation.HEAD,
                                                                phone="13812345678")], today=TODAY)


def test_without_accounts_everything_is_allowed_as_before(workspace):
    assert not workspace.accounts_exist
    register(workspace)
    assert audit.verify(workspace).ok


def test_first_user_must_be_admin_and_logs_the_workspace_in(workspace):
    with pytest.raises(DomainError) as caught:
        accounts.add_user(workspace, name="clerk", password="password1", role="data_entry")
    assert caught.value.code == "first_user_admin"
    info, recovery = accounts.add_user(workspace, name="boss", password="password1", role="管理员")
    assert info.role == "admin" and recovery and len(recovery) == 29
    assert (workspace.author, workspace.role) == ("boss", "admin")
    with workspace.read() as session:
        stored = session.scalar(select(UserAccount.password_hash))
    assert stored.startswith("$argon2id$") and "password1" not in stored


def test_roles_are_enforced_in_the_services(workspace, db_url):
    accounts.add_user(workspace, name="boss", password="password1", role="admin")
    accounts.add_user(workspace, name="clerk", password="password2", role="data_entry")
    accounts.add_user(workspace, name="guest", password="password3", role="viewer")
    other = open_workspace(db_url)
    try:
        assert other.accounts_exist
        with pytest.raises(DomainError) as caught:  # nobody logged in
            register(other)
        assert caught.value.code == "login_required"
        accounts.log_in(other, "guest", "password3")
        with pytest.raises(DomainError) as caught:  # a viewer writes nothing
            register(other)
        assert caught.value.code == "not_permitted" and "只读" in caught.value.message_zh
        accounts.log_in(other, "clerk", "password2")
        result = register(other)  # data entry may register
        assert result.ids("person")
        with pytest.raises(DomainError) as caught:
            accounts.add_user(other, name="x", password="password9", role="admin")
        assert caught.value.code == "not_permitted"
        with pytest.raises(DomainError):
            audit.verify(other)  # the audit log is for reviewers and admins
    finally:
        other.close()
    entries = audit.history(workspace, entity="person")
    assert entries[0].author == "clerk"
    assert entries[0].fields["id_number"] == "350421198001010017"  # an admin sees full numbers


def test_repeated_failures_lock_the_account_and_an_admin_reset_unlocks(workspace, db_url):
    accounts.add_user(workspace, name="boss", password="password1", role="admin")
    accounts.add_user(workspace, name="clerk", password="password2", role="data_entry")
    other = open_workspace(db_url)
    try:
        for _attempt in range(accounts.MAX_FAILURES - 1):
            with pytest.raises(DomainError) as caught:
                accounts.log_in(other, "clerk", "wrong")
            assert caught.value.code == "login_failed"
        with pytest.raises(DomainError) as caught:
            accounts.log_in(other, "clerk", "wrong")
        assert caught.value.code == "account_locked"
        with pytest.raises(DomainError) as caught:  # even the right password, while locked
            accounts.log_in(other, "clerk", "password2")
        assert caught.value.code == "account_locked"
        accounts.change_password(workspace, "clerk", "newpassword")  # boss resets it
        assert accounts.log_in(other, "clerk", "newpassword").name == "clerk"
    finally:
        other.close()


def test_recovery_code_resets_a_forgotten_admin_password_once(workspace, db_url):
    _, code = accounts.add_user(workspace, name="boss", password="password1", role="admin")
    other = open_workspace(db_url)
    try:
        with pytest.raises(DomainError):
            accounts.change_password(other, "boss", "another1", recovery_code="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
        new_code = accounts.change_password(other, "boss", "another1", recovery_code=code.lower())
        assert new_code and new_code != code
        assert accounts.log_in(other, "boss", "another1").role == "admin"
        with pytest.raises(DomainError):
            accounts.change_password(other, "boss", "third123", recovery_code=code)  # used up
    finally:
        other.close()


def test_the_last_admin_cannot_be_disabled(workspace):
    accounts.add_user(workspace, name="boss", password="password1", role="admin")
    with pytest.raises(DomainError) as caught:
        accounts.set_disabled(workspace, "boss")
    assert caught.value.code == "last_admin"
    accounts.add_user(workspace, name="clerk", password="password2", role="data_entry")
    assert accounts.set_disabled(workspace, "clerk").disabled
    with pytest.raises(DomainError) as caught:
        accounts.log_in(workspace, "clerk", "password2")
    assert caught.value.code == "account_disabled"


def _tamper(workspace, statement, **params):
    with workspace.db.engine.begin() as connection:
        connection.execute(text(statement), params)


def _seqs(workspace):
    with workspace.read() as session:
        return session.scalars(select(ChangeEntry.local_seq).order_by(ChangeEntry.local_seq)).all()


@pytest.fixture
def logged(workspace):
    register(workspace)
    register(workspace, "350421198203150026", "陈秀英")
    add_division(workspace, code="350421200203", name="新村", code_year=2024)
    assert audit.verify(workspace).ok
    return workspace


def test_verify_catches_an_edited_entry(logged):
    seq = _seqs(logged)[4]
    with logged.db.engine.begin() as connection:
        connection.execute(update(ChangeEntry).where(ChangeEntry.local_seq == seq)
                           .values(fields={"name": "张三"}))
    found = audit.verify(logged)
    assert (found.ok, found.broken_seq, found.reason) == (False, seq, "link_mismatch")


def test_verify_catches_a_changed_author(logged):
    seq = _seqs(logged)[2]
    _tamper(logged, "UPDATE change_log SET author = 'someone' WHERE local_seq = :s", s=seq)
    assert audit.verify(logged).broken_seq == seq


def test_verify_catches_a_deleted_entry(logged):
    seqs = _seqs(logged)
    _tamper(logged, "DELETE FROM change_log WHERE local_seq = :s", s=seqs[3])
    found = audit.verify(logged)
    assert not found.ok and found.broken_seq == seqs[4] and found.entries == 3


def test_verify_catches_a_reordered_pair(logged):
    a, b = _seqs(logged)[2:4]
    _tamper(logged, "UPDATE change_log SET local_seq = -1 WHERE local_seq = :a", a=a)
    _tamper(logged, "UPDATE change_log SET local_seq = :a WHERE local_seq = :b", a=a, b=b)
    _tamper(logged, "UPDATE change_log SET local_seq = :b WHERE local_seq = -1", b=b)
    found = audit.verify(logged)
    assert not found.ok and found.broken_seq == a


def test_verify_catches_the_newest_entries_cut_off(logged):
    _tamper(logged, "DELETE FROM change_log WHERE local_seq = :s", s=_seqs(logged)[-1])
    found = audit.verify(logged)
    assert not found.ok and found.reason == "head_mismatch"


def test_verify_catches_an_entry_written_around_the_program(logged):
    _tamper(logged, "UPDATE change_log SET chain_hash = NULL WHERE local_seq = :s", s=_seqs(logged)[1])
    assert audit.verify(logged).reason == "unchained"


def test_history_of_a_household_includes_its_members_and_masks_for_others(logged):
    with logged.read() as session:
        person = session.scalars(select(Person)).first()
    hh.update_person(logged, person.id, PersonDraft("林国华", person.id_number, Relation.HEAD,
                                                    phone="13900001111"), today=TODAY)
    entries = audit.history(logged, record=str(person.household_id), include_members=True)
    assert {e.entity for e in entries} == {"household", "person"}
    update_entry = next(e for e in entries if e.operation == "update")
    assert update_entry.fields["phone"] == "13900001111" and update_entry.old_values["phone"] == "13812345678"
    from fpdesk.services.trust.pi_masking import mask_values

    assert mask_values(update_entry.fields)["phone"] == "139****1111"
