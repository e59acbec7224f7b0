"""User accounts: add, log in (argon2id, lock-out after repeated failures), passwords, recovery code.

Accounts belong to one installation (entity ``user_account`` is local-only for sync). Their changes
go through the change log like every write, without the password hash. The first account must be an
administrator; creating it logs the workspace in as that administrator and returns a recovery code
(printed once at setup) that can reset a forgotten password when no other administrator is there.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from fpdesk.core.errors import DomainError, register_messages
from fpdesk.core.ids import new_id
from fpdesk.services.permissions import ADMIN, ROLE_NAMES, ROLES, require
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import Setting, utc_now
from fpdesk.storage.schema_trust import LoginAttempt, UserAccount
from fpdesk.storage.sequences import insert_if_absent
from fpdesk.storage.write_path import setting_record_id

register_messages({
    "login_failed": ("用户名或密码不对（还可再试{left}次）。", "Wrong user name or password ({left} tries left)."),
    "account_locked": ("账户“{user}”因多次输错密码已锁定，请{minutes}分钟后再试，或请管理员重置密码。",
                       "Account '{user}' is locked after repeated wrong passwords: try again in {minutes} minutes "
                       "or ask an administrator to reset the password."),
    "account_disabled": ("账户“{user}”已停用。", "Account '{user}' is disabled."),
    "user_exists": ("用户名“{user}”已存在。", "User name '{user}' is taken."),
    "user_not_found": ("没有用户“{user}”。", "There is no user '{user}'."),
    "bad_user_name": ("用户名须为1–40个字符，不能有空格。", "A user name has 1–40 characters and no spaces."),
    "weak_password": ("密码至少8位。", "A password needs at least 8 characters."),
    "bad_role": ("角色“{role}”不存在；可选：录入员 data_entry、审核员 reviewer、管理员 admin、只读 viewer。",
                 "No role '{role}'; choose data_entry, reviewer, admin or viewer."),
    "first_user_admin": ("第一个用户必须是管理员。", "The first user must be an administrator."),
    "last_admin": ("不能停用或降级最后一个管理员。", "The last administrator cannot be disabled or demoted."),
    "wrong_password": ("原密码不对。", "The current password is wrong."),
    "bad_recovery_code": ("恢复码不对。", "The recovery code is wrong."),
})

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8
RECOVERY_SETTING = "trust.recovery_code_hash"
ROLE_ALIASES = {"录入员": "data_entry", "审核员": "reviewer", "管理员": "admin", "只读": "viewer"}
# Cheap enough for a 2-core laptop (~50 ms) and still argon2id with 64 MiB.
_hasher = PasswordHasher(time_cost=2, memory_cost=65536, parallelism=1)


@dataclass(frozen=True)
class AccountInfo:
    name: str
    display_name: str
    role: str
    disabled: bool
    locked: bool
    last_login_at: dt.datetime | None

    def as_dict(self) -> dict:
        return {"name": self.name, "display_name": self.display_name, "role": self.role,
                "role_zh": ROLE_NAMES[self.role][0], "disabled": self.disabled, "locked": self.locked,
                "last_login_at": self.last_login_at.isoformat(sep=" ", timespec="seconds")
                if self.last_login_at else None}


def role_of(text: str) -> str:
    role = ROLE_ALIASES.get(text.strip(), text.strip())
    if role not in ROLES:
        raise DomainError("bad_role", {"role": text})
    return role


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 40 or any(c.isspace() for c in name):
        raise DomainError("bad_user_name")
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError("weak_password")


def _account_write(workspace: Workspace):
    """A transaction with the change log, without the write-permission check (log-in writes too)."""
    return workspace.write(permission=None)


def _find(session, name: str) -> UserAccount:
    row = session.scalar(select(UserAccount).where(UserAccount.name == name.strip()))
    if row is None:
        raise DomainError("user_not_found", {"user": name})
    return row


def _info(row: UserAccount) -> AccountInfo:
    locked = row.locked_until is not None and row.locked_until > utc_now()
    return AccountInfo(row.name, row.display_name, row.role, row.disabled, locked, row.last_login_at)


def add_user(workspace: Workspace, *, name: str, password: str, role: str,
             display_name: str = "") -> tuple[AccountInfo, str | None]:
    """Add an account. The first one must be an admin: it logs the workspace in and gets a recovery code.

    Returns the account and, for the first administrator, the recovery code (show it once).
    """
    name, role = _check_name(name), role_of(role)
    _check_password(password)
    first = not workspace.accounts_exist
    if first and role != ADMIN:
        raise DomainError("first_user_admin")
    if not first:
        require(workspace, "users.manage")
    password_hash = _hasher.hash(password)
    recovery = new_recovery_code() if first else None
    with _account_write(workspace) as ctx:
        if ctx.session.scalar(select(UserAccount.id).where(UserAccount.name == name)) is not None:
            raise DomainError("user_exists", {"user": name})
        row = UserAccount(id=new_id(), name=name, display_name=display_name.strip(), role=role,
                          password_hash=password_hash, disabled=False, failed_attempts=0)
        ctx.session.add(row)
        ctx.recorder.record("user_account", row.id, "insert",
                            {"name": name, "display_name": row.display_name, "role": role}, 1)
        if recovery is not None:
            _store_recovery(ctx, recovery)
    from fpdesk.services.encryption import grant

    grant(workspace, name, password)  # an encrypted database: the new account can unlock it
    if first:
        workspace.accounts_exist = True
        workspace.author, workspace.role = name, role
    return _info(row), recovery


def new_recovery_code() -> str:
    """Six groups of four characters without look-alikes (0/O, 1/I): easy to print and type."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i:i + 4] for i in range(0, 24, 4))


def _store_recovery(ctx: WriteContext, code: str) -> None:
    value = {"hash": _hasher.hash(normal_code(code)), "created_at": utc_now().isoformat()}
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


def renew_recovery_code(workspace: Workspace) -> str:
    require(workspace, "users.manage")
    code = new_recovery_code()
    with _account_write(workspace) as ctx:
        _store_recovery(ctx, code)
    from fpdesk.services.encryption import rewrap_recovery

    rewrap_recovery(workspace, code)
    return code


def log_in(workspace: Workspace, name: str, password: str) -> AccountInfo:
    """Check the password; on success the workspace acts as this user. Failures count towards a lock.

    One attempt at a time per name: the account's row (or, for a name no account has, its row of
    failed attempts) is locked before the password is checked and until the failure is counted, so
    twelve attempts at once are twelve attempts one after another, and an attempt after the fifth
    failure meets the lock. A name that does not exist is answered exactly as a wrong password is
    (tries left, then locked), after the same password-hashing work.
    """
    name = name.strip()
    now = utc_now()
    with _account_write(workspace) as ctx:
        ctx.recorder.author = name[:40] or "?"
        row = ctx.session.scalar(select(UserAccount).where(UserAccount.name == name).with_for_update())
        tracker = row if row is not None else _attempts_under(ctx.session, name)
        if tracker.locked_until is not None and tracker.locked_until > now:
            minutes = max(1, int((tracker.locked_until - now).total_seconds() // 60) + 1)
            outcome: tuple[str, dict] | None = ("account_locked", {"user": name, "minutes": minutes})
        else:
            ok = _verify(row.password_hash, password) if row is not None else _verify_dummy(password)
            if ok and row.disabled:
                outcome = ("account_disabled", {"user": row.name})
            elif ok:
                row.failed_attempts, row.locked_until, row.last_login_at = 0, None, now
                if _hasher.check_needs_rehash(row.password_hash):
                    row.password_hash = _hasher.hash(password)
                outcome = None
            else:
                tracker.failed_attempts += 1
                if tracker.failed_attempts >= MAX_FAILURES:
                    tracker.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    tracker.failed_attempts = 0
                    outcome = ("account_locked", {"user": name, "minutes": LOCK_MINUTES})
                else:
                    outcome = ("login_failed", {"left": MAX_FAILURES - tracker.failed_attempts})
        subject = row.id if row is not None else uuid.uuid5(_UNKNOWN_NAMES, name)
        ctx.recorder.record("access", subject, "login" if outcome is None else "login_fail",
                            {"user": name, "locked": outcome is not None and outcome[0] == "account_locked",
                             **({} if row is not None else {"no_such_user": True})}, row.revision if row else 1)
        info = _info(row) if outcome is None else None
    if outcome is not None:
        raise DomainError(*outcome)
    workspace.author, workspace.role = info.name, info.role
    from fpdesk.services.encryption import rewrap_on_login

    rewrap_on_login(workspace, info.name, password)  # an account wrapped by its hash gets its own wrap
    return info


_UNKNOWN_NAMES = uuid.UUID("6f1e2b9a-4c3d-4e8f-9a7b-1c2d3e4f5a6b")


def _attempts_under(session, name: str) -> LoginAttempt:
    """The failure count of a name no account has, locked like an account's row."""
    key = name[:100]
    session.execute(insert_if_absent(session, LoginAttempt, name=key, failed_attempts=0))
    return session.scalar(select(LoginAttempt).where(LoginAttempt.name == key).with_for_update())


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: list[str] = []


def _verify_dummy(password: str) -> bool:
    """The work of checking a password, for a name with no account: always False."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(_hasher.hash("dummy password"))
    _verify(_DUMMY_HASH[0], password)
    return False


def log_out(workspace: Workspace) -> None:
    workspace.author, workspace.role = "system", None


def change_password(workspace: Workspace, name: str, new_password: str, *, old_password: str | None = None,
                    recovery_code: str | None = None) -> str | None:
    """Set a password: your own with the old one, anyone's as an administrator, or with the recovery code.

    Resetting clears a lock. With the recovery code, a new code is made and returned (the old one is used up).
    """
    _check_password(new_password)
    new_code = None
    with workspace.read() as session:
        row = _find(session, name)
        stored = session.get(Setting, RECOVERY_SETTING)
    if recovery_code is not None:
        if stored is None or not _verify(stored.value["hash"], normal_code(recovery_code)):
            raise DomainError("bad_recovery_code")
        new_code = new_recovery_code()
    elif row.name == workspace.author and workspace.role is not None:  # logged in as themselves
        if old_password is not None and not _verify(row.password_hash, old_password):
            raise DomainError("wrong_password")
    else:
        require(workspace, "users.manage")
    password_hash = _hasher.hash(new_password)
    with _account_write(workspace) as ctx:
        current = ctx.session.get(UserAccount, row.id)
        current.password_hash, current.failed_attempts, current.locked_until = password_hash, 0, None
        current.revision += 1
        current.updated_at = utc_now()
        how = "recovery_code" if recovery_code is not None else "old_password" if old_password else "admin"
        ctx.recorder.record("user_account", current.id, "update", {"password": "(changed)", "how": how},
                            current.revision)
        if new_code is not None:
            _store_recovery(ctx, new_code)
    from fpdesk.services.encryption import grant, rewrap_recovery

    grant(workspace, row.name, new_password)
    if new_code is not None:
        rewrap_recovery(workspace, new_code)
    return new_code


def set_disabled(workspace: Workspace, name: str, disabled: bool = True) -> AccountInfo:
    require(workspace, "users.manage")
    with _account_write(workspace) as ctx:
        row = _find(ctx.session, name)
        if disabled and row.role == ADMIN and _active_admins(ctx.session) <= 1 and not row.disabled:
            raise DomainError("last_admin")
        old = row.disabled
        row.disabled = disabled
        row.revision += 1
        row.updated_at = utc_now()
        ctx.recorder.record("user_account", row.id, "update", {"disabled": disabled}, row.revision,
                            {"disabled": old})
        info = _info(row)
    if disabled:  # an encrypted database: the disabled account can no longer unlock it
        from fpdesk.services.encryption import revoke

        revoke(workspace, name)
    return info


def set_role(workspace: Workspace, name: str, role: str) -> AccountInfo:
    require(workspace, "users.manage")
    role = role_of(role)
    with _account_write(workspace) as ctx:
        row = _find(ctx.session, name)
        if row.role == ADMIN and role != ADMIN and _active_admins(ctx.session) <= 1:
            raise DomainError("last_admin")
        old = row.role
        row.role = role
        row.revision += 1
        row.updated_at = utc_now()
        ctx.recorder.record("user_account", row.id, "update", {"role": role}, row.revision, {"role": old})
        return _info(row)


def _active_admins(session) -> int:
    return session.scalar(select(func.count()).select_from(UserAccount)
                          .where(UserAccount.role == ADMIN, UserAccount.disabled.is_(False))) or 0


def list_users(workspace: Workspace) -> list[AccountInfo]:
    with workspace.read() as session:
        return [_info(row) for row in session.scalars(select(UserAccount).order_by(UserAccount.name))]
