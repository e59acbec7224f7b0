"""Roles and what they may do, enforced in the services (not only by hidden buttons).

A database without user accounts behaves as before accounts existed: everything is allowed and
the author is "system". Once one account exists, every write needs a logged-in user whose role
grants the permission the service asks for with ``require(workspace, "permission")``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fpdesk.core.errors import DomainError

if TYPE_CHECKING:
    from fpdesk.services.workspace import Workspace

DATA_ENTRY, REVIEWER, ADMIN, VIEWER = "data_entry", "reviewer", "admin", "viewer"
ROLES = (DATA_ENTRY, REVIEWER, ADMIN, VIEWER)
ROLE_NAMES = {DATA_ENTRY: ("录入员", "data entry"), REVIEWER: ("审核员", "reviewer"),
              ADMIN: ("管理员", "administrator"), VIEWER: ("只读", "viewer")}

# permission -> (Chinese, English) description
PERMISSIONS: dict[str, tuple[str, str]] = {
    "read": ("查看", "view records"),
    "write": ("修改数据", "change data"),
    "record.edit": ("登记和修改家庭户、人员、参保", "register and edit households, persons, enrollments"),
    "consent.record": ("登记本人或监护人同意", "record consent"),
    "claims.write": ("登记理赔", "record claims"),
    "roster.import": ("导入花名册", "import rosters"),
    "print": ("打印凭证、收据、花名册", "print certificates, receipts, rosters"),
    "export": ("导出名册", "export rosters"),
    "bulk": ("批量参保、续保", "bulk enrollment and renewal"),
    "review": ("审核、处理冲突、上报", "approve, resolve conflicts, hand up"),
    "sync": ("导出、导入数据包", "export and import sync packages"),
    "pi.full": ("查看完整身份证号和电话", "see full ID and phone numbers"),
    "audit.read": ("查看审计日志", "read the audit log"),
    "backup.create": ("备份数据库", "back up the database"),
    "backup.restore": ("从备份恢复数据库", "restore the database from a backup"),
    "products.manage": ("管理产品和任务指标", "manage products and targets"),
    "pi.anonymise": ("匿名化个人信息", "anonymise personal information"),
    "settings.manage": ("修改设置", "change settings"),
    "users.manage": ("管理用户", "manage users"),
    "keys.manage": ("管理密钥", "manage keys"),
}

_ENTRY = frozenset({"read", "write", "record.edit", "consent.record", "claims.write", "roster.import", "print",
                    "export"})
_REVIEW = _ENTRY | {"bulk", "review", "sync", "pi.full", "audit.read", "backup.create"}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    VIEWER: frozenset({"read"}),
    DATA_ENTRY: _ENTRY,
    REVIEWER: frozenset(_REVIEW),
    ADMIN: frozenset(PERMISSIONS),
}


def allows(workspace: Workspace, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if not workspace.accounts_exist:
        return True
    return workspace.role is not None and permission in ROLE_PERMISSIONS.get(workspace.role, frozenset())


def require(workspace: Workspace, permission: str) -> None:
    """Refuse (DomainError) unless the acting user's role grants ``permission``."""
    if allows(workspace, permission):
        return
    if workspace.role is None:
        raise DomainError("login_required")
    role_zh, role_en = ROLE_NAMES.get(workspace.role, (workspace.role, workspace.role))
    permission_zh, permission_en = PERMISSIONS[permission]
    raise DomainError("not_permitted", {"user": workspace.author, "role_zh": role_zh, "role_en": role_en,
                                        "permission_zh": permission_zh, "permission_en": permission_en})
