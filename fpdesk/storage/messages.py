"""The error codes of the storage layer (database files, encryption at rest) with their Chinese and
English texts.

Data only, importing nothing: ``fpdesk.core.errors`` loads this module by name the first time it
meets a code it does not know (see there). A code never changes once released (the CLI's ``--json``
output and acceptance checks match on it); a new one goes here, never into the module that raises it.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- database files
    "not_a_database": ("文件“{path}”不是 fpdesk 数据库（可能不是数据库文件，或已被截断、加密）。",
                       "'{path}' is not an fpdesk database (not a database file, truncated, or encrypted)."),
    "db_damaged": ("数据库“{path}”已损坏（完整性检查：{detail}）。请从备份恢复：fpdesk restore 备份文件。",
                   "Database '{path}' is damaged (integrity check: {detail}); restore a backup with fpdesk restore."),
    "db_read_only": ("数据库“{path}”所在位置只读（如写保护的U盘），无法写入；请把文件复制到电脑上再打开。",
                     "The location of '{path}' is read-only (a write-protected USB stick?); copy the file to the "
                     "computer and open it there."),
    "disk_full": ("磁盘已满，这次操作没有保存（之前的数据完好）。请腾出空间后重试。",
                  "The disk is full: this operation was not saved (earlier data is intact). Free some space "
                  "and try again."),
    "db_busy": ("数据库正被另一个程序长时间占用，请稍后重试。",
                "The database is held by another program for too long; try again shortly."),
    "backup_failed": ("备份失败：{detail}", "The backup failed: {detail}"),
    "backup_not_found": ("找不到文件“{path}”。", "File '{path}' was not found."),
    # -- encryption at rest
    "db_encrypted": ("数据库已加密，请用用户名和密码（或恢复码）打开。",
                     "The database is encrypted: open it with a user name and password (or the recovery code)."),
    "encryption_unavailable": ("这台电脑缺少加密组件（sqlcipher3），无法加密或打开加密的数据库。",
                               "This computer lacks the encryption component (sqlcipher3)."),
}
