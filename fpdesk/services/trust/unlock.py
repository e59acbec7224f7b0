"""Unlocking an encrypted database file before it is opened, and keeping its keyring in step with
the user accounts (services/trust/encryption.py turns encryption on)."""

from __future__ import annotations

from pathlib import Path

from fpdesk.core.errors import DomainError
from fpdesk.storage.encryption import RECOVERY as RECOVERY_SLOT
from fpdesk.storage.encryption import is_encrypted, unlock, user_slot

RECOVERY = "@recovery"


def unlock_key(location: str, credentials: tuple[str, str] | None, *,
               encrypted: bool | None = None) -> tuple[bytes | None, tuple[str, str] | None]:
    """The key of an encrypted file from (user, password) or (RECOVERY, code); (None, None) for a plain one.
    ``encrypted``: the caller read the file's header already."""
    if "://" in location:
        return None, None
    path = Path(location).expanduser().resolve()
    if not (is_encrypted(path) if encrypted is None else encrypted):
        return None, None
    if credentials is None:
        raise DomainError("db_encrypted")
    name, secret = credentials
    if name == RECOVERY:
        from fpdesk.services.credentials import normal_code

        key = unlock(path, RECOVERY_SLOT, normal_code(secret))
        if key is None:
            raise DomainError("bad_recovery_code")
    else:
        key = unlock(path, user_slot(name.strip()), secret)
        if key is None:  # same answer whether the name or the password is wrong
            raise DomainError("unlock_failed")
    return key, credentials
