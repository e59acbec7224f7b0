"""Encryption at rest (SQLCipher): the file is unreadable without a key, every user's password and the
recovery code unlock it, backups stay encrypted, the audit chain and jobs work as before."""

import sqlite3

import pytest

from fpdesk.core.errors import DomainError
from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services.opening import RECOVERY, open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.trust import accounts, audit, backups
from fpdesk.services.trust.encryption import enable_encryption
from fpdesk.services.workspace import add_division, init_office

pytest.importorskip("sqlcipher3")
NUMBER = "350421198001010017"


@pytest.fixture
def encrypted(tmp_path):
    location = str(tmp_path / "village.sqlite3")
    ws = open_workspace(location)
    init_office(ws, code="350421200201", level="village", name="罗翠村计生协")
    accounts.add_user(ws, name="admin", password="admin-pass-1", role="admin")
    hh.register_household(ws, HouseholdDraft(division_code="350421200201"),
                          [PersonDraft("林国华", NUMBER, Relation.HEAD, phone="13812345678")])
    backups.automatic_backup(ws, "before-import")  # a plain backup from before encryption
    result = enable_encryption(ws, "admin-pass-1")
    assert result.plain_copies_encrypted == 1 and result.plain_backups_removed == 0  # encrypted, not lost
    yield ws, location, result.recovery_code
    ws.close()


def test_the_file_is_unreadable_without_the_key(encrypted, tmp_path):
    _ws, location, _ = encrypted
    data = (tmp_path / "village.sqlite3").read_bytes()
    assert not data.startswith(b"SQLite format 3") and NUMBER.encode() not in data and "林国华".encode() not in data
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(location).execute("SELECT count(*) FROM person").fetchone()
    with pytest.raises(DomainError) as caught:
        open_workspace(location)
    assert caught.value.code == "db_encrypted"
    with pytest.raises(DomainError) as caught:
        open_workspace(location, credentials=("admin", "wrong-pass"))
    assert caught.value.code == "unlock_failed"


def test_users_unlock_it_and_work_as_before(encrypted):
    ws, location, _ = encrypted
    add_division(ws, code="350421200201-01", name="一组", code_year=2024)  # the open workspace writes on
    accounts.add_user(ws, name="clerk", password="clerk-pass-1", role="data_entry")
    clerk = open_workspace(location, credentials=("clerk", "clerk-pass-1"))
    try:
        assert (clerk.author, clerk.role) == ("clerk", "data_entry")
        hh.register_household(clerk, HouseholdDraft(division_code="350421200201"),
                              [PersonDraft("陈秀英", "350421198203150026", Relation.HEAD)])
    finally:
        clerk.close()
    assert audit.verify(ws).ok
    accounts.set_disabled(ws, "clerk")
    with pytest.raises(DomainError) as caught:
        open_workspace(location, credentials=("clerk", "clerk-pass-1"))
    assert caught.value.code == "unlock_failed"  # a disabled account lost its key


def test_the_recovery_code_unlocks_and_resets(encrypted):
    ws, location, code = encrypted
    ws.close()
    rescue = open_workspace(location, credentials=(RECOVERY, code))
    try:
        new_code = accounts.change_password(rescue, "admin", "another-pass", recovery_code=code)
    finally:
        rescue.close()
    again = open_workspace(location, credentials=("admin", "another-pass"))
    again.close()
    with pytest.raises(DomainError):
        open_workspace(location, credentials=(RECOVERY, code))  # used up
    open_workspace(location, credentials=(RECOVERY, new_code)).close()


def test_backups_of_an_encrypted_database_are_encrypted_and_restore(encrypted, tmp_path):
    ws, location, _ = encrypted
    copy = backups.backup(ws, tmp_path / "copy.sqlite3").path
    assert not copy.read_bytes().startswith(b"SQLite format 3") and NUMBER.encode() not in copy.read_bytes()
    automatic = backups.automatic_backup(ws, "before-bulk")
    assert automatic is not None and not automatic.read_bytes().startswith(b"SQLite format 3")
    hh.register_household(ws, HouseholdDraft(division_code="350421200201"),
                          [PersonDraft("陈秀英", "350421198203150026", Relation.HEAD)])
    ws.db.close()
    backups.restore(location, copy, workspace=ws)
    back = open_workspace(location, credentials=("admin", "admin-pass-1"))
    try:
        from fpdesk.services.workspace import count_persons

        assert count_persons(back) == 1
    finally:
        back.close()


@pytest.fixture
def header_reads(monkeypatch):
    """Counts the reads of a database file's header (storage.encryption.is_encrypted, wherever imported)."""
    from fpdesk.services.trust import unlock
    from fpdesk.storage import encryption

    reads = []
    real = encryption.is_encrypted

    def counted(path):
        reads.append(path)
        return real(path)

    monkeypatch.setattr(encryption, "is_encrypted", counted)
    monkeypatch.setattr(unlock, "is_encrypted", counted)
    return reads


def test_opening_a_plain_file_reads_its_header_once(tmp_path, header_reads, monkeypatch):
    from fpdesk.services import opening

    location = str(tmp_path / "plain.sqlite3")
    open_workspace(location).close()
    header_reads.clear()
    open_workspace(location).close()
    assert len(header_reads) == 1
    monkeypatch.setattr(opening, "credentials_hook", lambda: pytest.fail("a plain file needs no password"))
    header_reads.clear()
    open_workspace(location).close()  # the CLI's way: the hook is asked only for an encrypted file
    assert len(header_reads) == 1
    header_reads.clear()
    assert not opening.is_encrypted_location(location)
    open_workspace(location, encrypted=False).close()  # the GUI's way: it asked first
    assert len(header_reads) == 1


def test_the_credentials_hook_unlocks_an_encrypted_file(encrypted, monkeypatch, header_reads):
    from fpdesk.services import opening

    ws, location, _ = encrypted
    ws.close()
    asked = []
    monkeypatch.setattr(opening, "credentials_hook", lambda: asked.append(1) or ("admin", "admin-pass-1"))
    header_reads.clear()
    again = open_workspace(location)
    try:
        assert asked == [1] and (again.author, again.role) == ("admin", "admin")
        assert len(header_reads) == 1  # asked once whether to ask for a password; unlocking trusts that
    finally:
        again.close()
