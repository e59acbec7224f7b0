"""Credentials: password hashing, the recovery code and the account transaction, shared by the
accounts service and the encryption service (each needs them; neither should import the other)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Setting, utc_now
from fpdesk.storage.write_path import setting_record_id

RECOVERY_SETTING = "trust.recovery_code_hash"
# Cheap enough for a 2-core laptop (~50 ms) and still argon2id with 64 MiB.
hasher = PasswordHasher(time_cost=2, memory_cost=65536, parallelism=1)


def account_write(workspace: Workspace):
    """A transaction with the change log, without the write-permission check (log-in writes too)."""
    return workspace.write(permission=None)


def new_recovery_code() -> str:
    """Six groups of four characters without look-alikes (0/O, 1/I): easy to print and type."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i:i + 4] for i in range(0, 24, 4))


def store_recovery(ctx: WriteContext, code: str) -> None:
    value = {"hash": hasher.hash(normal_code(code)), "created_at": utc_now().isoformat()}
    row = ctx.session.get(Setting, RECOVERY_SETTING)
    if row is None:
        ctx.session.add(Setting(key=RECOVERY_SETTING, value=value))
    else:
        row.value = value
    # under the id every write of this setting is logged with (the hash itself is never logged)
    ctx.recorder.record("setting", setting_record_id(RECOVERY_SETTING), "update",
                        {"key": RECOVERY_SETTING, "value": "(new recovery code)"}, 1)


def normal_code(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: list[str] = []


def verify_dummy(password: str) -> bool:
    """The work of checking a password, for a name with no account: always False."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hasher.hash("dummy password"))
    verify_password(_DUMMY_HASH[0], password)
    return False
