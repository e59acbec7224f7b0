"""Turning encryption at rest on (SQLCipher) and keeping the keyring in step with the accounts.

``enable_encryption`` rewrites the database file encrypted with a new random key, wraps the key for
the administrator's password and for a new recovery code (printed once), and removes the plain
automatic backups (they would leave the data readable beside the encrypted file). From then on every
account added or re-passworded gets its own wrap, and a disabled account loses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from fpdesk.core.errors import DomainError, register_messages
from fpdesk.services.permissions import require
from fpdesk.services.workspace import Workspace
from fpdesk.storage import encryption
from fpdesk.storage.database import open_database
from fpdesk.storage.schema_trust import UserAccount
from fpdesk.storage.sqlite_files import looks_like_sqlite

register_messages({
    "encryption_needs_users": ("加密前请先设置管理员并登录。", "Set up an administrator and log in before encrypting."),
    "already_encrypted": ("数据库已经加密。", "The database is encrypted already."),
})


@dataclass(frozen=True)
class EncryptionResult:
    recovery_code: str
    plain_backups_removed: int


def enable_encryption(workspace: Workspace, password: str) -> EncryptionResult:
    """Encrypt this SQLite database; ``password`` is the logged-in administrator's (checked)."""
    from fpdesk.services.accounts import _verify, normal_code, renew_recovery_code
    from fpdesk.services.backups import backup_folder

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
    if stored is None or not _verify(stored, password):
        raise DomainError("wrong_password")
    folder = backup_folder(workspace)
    code = renew_recovery_code(workspace)
    key = encryption.new_key()
    encryption.save_keyring(path, {"format": encryption.KEYRING_FORMAT, "wraps": {
        encryption.user_slot(workspace.author): encryption.wrap(key, password),
        encryption.RECOVERY: encryption.wrap(key, normal_code(code)),
    }})
    workspace.db.close()
    encryption.encrypt_in_place(path, key)
    workspace.db = open_database(str(path), key=key)
    removed = 0
    for plain in sorted(folder.glob(f"{path.stem}.*.sqlite3")) if folder.exists() else []:
        if looks_like_sqlite(plain):
            plain.unlink()
            removed += 1
    return EncryptionResult(code, removed)


def grant(workspace: Workspace, name: str, password: str) -> None:
    """Give an account (new password) its wrap of the key; nothing for a plain database."""
    if workspace.db.key is not None and workspace.db.file_path is not None:
        encryption.set_wrap(workspace.db.file_path, encryption.user_slot(name), workspace.db.key, password)


def revoke(workspace: Workspace, name: str) -> None:
    if workspace.db.key is not None and workspace.db.file_path is not None:
        encryption.drop_wrap(workspace.db.file_path, encryption.user_slot(name))


def rewrap_recovery(workspace: Workspace, code: str) -> None:
    from fpdesk.services.accounts import normal_code

    if workspace.db.key is not None and workspace.db.file_path is not None:
        encryption.set_wrap(workspace.db.file_path, encryption.RECOVERY, workspace.db.key, normal_code(code))


def rewrap_on_login(workspace: Workspace, name: str, password: str) -> None:
    """Placeholder until accounts wrapped by their password hash exist (see enable_encryption)."""
