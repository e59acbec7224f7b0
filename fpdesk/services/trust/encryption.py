"""Turning encryption at rest on (SQLCipher) and keeping the keyring in step with the accounts.

``enable_encryption`` rewrites the database file encrypted with a new random key, wraps the key for
every active account and for a new recovery code (printed once), and encrypts the plain copies (they
would leave the data readable beside the encrypted file). From then on every account added or
re-passworded gets its own wrap, and a disabled account loses it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fpdesk.core.errors import DomainError
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace
from fpdesk.storage import encryption
from fpdesk.storage.database import open_database
from fpdesk.storage.durable import write_atomically
from fpdesk.storage.schema_trust import UserAccount
from fpdesk.storage.sqlite_files import looks_like_sqlite


@dataclass(frozen=True)
class EncryptionResult:
    recovery_code: str
    plain_backups_removed: int  # kept for the --json contract: copies are encrypted now, none removed
    plain_copies_encrypted: int = 0


def enable_encryption(workspace: Workspace, password: str, *,
                      show_code: Callable[[str], None] | None = None) -> EncryptionResult:
    """Encrypt this SQLite database; ``password`` is the logged-in administrator's (checked).

    Done whole: every active account keeps access (the others through their password hash until they
    next log in), the new recovery code goes to ``show_code`` before the old one stops working, and
    no plain copy is left (automatic backups and the copies kept before a restore or a migration are
    encrypted with the same key). The switch is one rename; a run interrupted before it is undone and
    one interrupted after it is completed at the next start (storage/encryption.settle).
    """
    from fpdesk.services.credentials import new_recovery_code, normal_code, verify_password

    require(workspace, "keys.manage")
    path = workspace.db.file_path
    if path is None:
        raise DomainError("backup_sqlite_only")
    if workspace.db.key is not None:
        raise DomainError("already_encrypted")
    if not workspace.accounts_exist or workspace.role is None:
        raise DomainError("encryption_needs_users")
    with workspace.read() as session:
        stored = session.scalar(select(UserAccount.password_hash).where(UserAccount.name == workspace.author))
        others = session.execute(select(UserAccount.name, UserAccount.password_hash).where(
            UserAccount.name != workspace.author, UserAccount.disabled.is_(False))).all()
    if stored is None or not verify_password(stored, password):
        raise DomainError("wrong_password")
    code = new_recovery_code()
    key = encryption.new_key()
    wraps = {encryption.user_slot(workspace.author): encryption.wrap(key, password),
             encryption.RECOVERY: encryption.wrap(key, normal_code(code))}
    for name, password_hash in others:
        try:
            wraps[encryption.user_slot(name)] = encryption.wrap_by_hash(key, password_hash)
        except ValueError:  # not an argon2id hash of ours: the administrator sets that password again
            continue
    write_atomically(encryption.pending_keyring_path(path), json.dumps(
        {"format": encryption.KEYRING_FORMAT, "wraps": wraps, PENDING_CODE: _seal(key, code)}, indent=1).encode())
    if show_code is not None:
        show_code(code)  # before the switch: until then the old code still opens the plain file
    workspace.db.close()
    encryption.encrypt_in_place(path, key)  # the switch
    encryption.settle(path)
    workspace.db = open_database(str(path), key=key)
    encrypted = finish_encryption(workspace)
    return EncryptionResult(code, 0, encrypted)


PENDING_CODE = "pending_recovery_code"


def _seal(key: bytes, code: str) -> str:
    from nacl.secret import SecretBox

    return base64.b64encode(bytes(SecretBox(key).encrypt(code.encode()))).decode()


def _unseal(key: bytes, sealed: str) -> str:
    from nacl.secret import SecretBox

    return SecretBox(key).decrypt(base64.b64decode(sealed)).decode()


def finish_encryption(workspace: Workspace) -> int:
    """What follows the switch, again after an interruption (at the next start): the new recovery
    code's hash in the database, then every plain copy of the database encrypted. Returns how many
    copies were encrypted."""
    from fpdesk.services.credentials import account_write, store_recovery

    path, key = workspace.db.file_path, workspace.db.key
    if path is None or key is None:
        return 0
    keyring = encryption.load_keyring(path)
    sealed = keyring.get(PENDING_CODE)
    if sealed:
        with account_write(workspace) as ctx:
            store_recovery(ctx, _unseal(key, sealed))
        keyring.pop(PENDING_CODE)
        encryption.save_keyring(path, keyring)
    return encrypt_plain_copies(workspace)


def plain_copies(path: Path, backup_folder: Path | None) -> list[Path]:
    """Plain SQLite copies of this database that fpdesk made: its automatic and manual backups in
    the backup folder, and the copies kept beside it before a restore or a migration."""
    found = set(path.parent.glob(f"{path.stem}.before-*"))
    if backup_folder is not None and backup_folder.exists():
        found |= set(backup_folder.glob(f"{path.stem}.*.sqlite3"))
    return sorted(p for p in found if p.is_file() and looks_like_sqlite(p))


def encrypt_plain_copies(workspace: Workspace) -> int:
    from fpdesk.services.trust.backups import backup_folder

    path, key = workspace.db.file_path, workspace.db.key
    if path is None or key is None:
        return 0
    try:
        folder = backup_folder(workspace)
    except DomainError:
        folder = None
    copies = plain_copies(path, folder)
    for copy in copies:
        encryption.encrypt_in_place(copy, key)
    for leftover in [*path.parent.glob(f"{path.stem}.*.partial"), encryption.encrypting_path(path)]:
        leftover.unlink(missing_ok=True)  # a copy or an encryption cut short: plain, and not needed
    return len(copies)


def rewrap_on_login(workspace: Workspace, name: str, password: str) -> None:
    """An account wrapped through its password hash gets an ordinary wrap of its own at log-in."""
    path, key = workspace.db.file_path, workspace.db.key
    if path is None or key is None:
        return
    entry = encryption.load_keyring(path)["wraps"].get(encryption.user_slot(name))
    if entry is None or entry.get("kind") == encryption.ACCOUNT_HASH:
        encryption.set_wrap(path, encryption.user_slot(name), key, password)


def grant(workspace: Workspace, name: str, password: str) -> None:
    """Give an account (new password) its wrap of the key; nothing for a plain database."""
    if workspace.db.key is not None and workspace.db.file_path is not None:
        encryption.set_wrap(workspace.db.file_path, encryption.user_slot(name), workspace.db.key, password)


def revoke(workspace: Workspace, name: str) -> None:
    if workspace.db.key is not None and workspace.db.file_path is not None:
        encryption.drop_wrap(workspace.db.file_path, encryption.user_slot(name))


def rewrap_recovery(workspace: Workspace, code: str) -> None:
    from fpdesk.services.credentials import normal_code

    if workspace.db.key is not None and workspace.db.file_path is not None:
        encryption.set_wrap(workspace.db.file_path, encryption.RECOVERY, workspace.db.key, normal_code(code))

