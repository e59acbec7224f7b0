"""fpdesk backup | restore — copies of the database file.

    fpdesk backup --out FILE [--force] [--json]  a copy made with SQLite's online backup API, checked;
                                               an existing FILE only with --force, never a database in use
    fpdesk backup --list [--json]              the automatic backups (daily, on exit, before imports …)
    fpdesk backup --folder DIR                 where automatic backups go (e.g. a USB stick)
    fpdesk restore FILE [--json]               check FILE's integrity, keep the current file aside, restore

Exit codes: 0 done; 1 refused (not a database, damaged, from a newer fpdesk, PostgreSQL, no permission).
"""

from __future__ import annotations

import argparse

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.core.language import pick

COMMANDS = {
    "backup": "备份数据库 / back up the database",
    "restore": "从备份恢复数据库 / restore the database from a backup",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2]
    if parser.prog.split()[-1] == "restore":
        parser.add_argument("file", metavar="FILE", help=pick("备份文件", "the backup file"))
        return
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", metavar="FILE", help=pick("备份到这个文件", "back up to this file"))
    what.add_argument("--list", action="store_true", help=pick("列出自动备份", "list the automatic backups"))
    what.add_argument("--folder", metavar="DIR", help=pick(
        "设置自动备份的文件夹（如U盘）", "set the folder of the automatic backups (e.g. a USB stick)"))
    parser.add_argument("--force", action="store_true", help=pick(
        "覆盖已有的备份文件（正在使用的数据库和其他单位的数据库仍不覆盖）",
        "overwrite an existing backup file (never a database in use or another office's database)"))


def run(args) -> int:
    if args.command == "restore":
        return _restore(args)
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.trust import backups
    workspace = open_workspace(database_url(args))
    try:
        if args.out:
            result = backups.backup(workspace, args.out, force=args.force)
            emit(args, {"ok": True, **result.as_dict()},
                 pick(f"已备份到 {result.path}（{result.bytes / 1048576:.1f} MB，完整性检查通过）。",
                      f"Backed up to {result.path} ({result.bytes / 1048576:.1f} MB, integrity check passed)."))
        elif args.folder:
            folder = backups.set_backup_folder(workspace, args.folder)
            emit(args, {"ok": True, "folder": str(folder)}, pick(f"自动备份将保存到 {folder}。",
                                                                  f"Automatic backups will be saved in {folder}."))
        else:
            files = backups.list_backups(workspace)
            emit(args, {"ok": True, "folder": str(backups.backup_folder(workspace)),
                        "backups": [{"path": str(p), "bytes": p.stat().st_size} for p in files]},
                 "\n".join(str(p) for p in files) or pick("还没有自动备份。", "No automatic backups yet."))
        return EXIT_OK
    finally:
        workspace.close()


def _restore(args) -> int:
    from fpdesk.core.errors import DomainError
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.trust import backups
    location = database_url(args, creates=True)
    workspace = None
    try:
        workspace = open_workspace(location)
    except DomainError as error:
        if error.code not in ("not_a_database", "db_damaged", "db_unreachable"):
            raise  # a wrong password or a newer schema is not a reason to skip the log-in
    try:
        if workspace is not None:
            workspace.db.close()  # the backup API writes into the file; our pooled connections go first
        result = backups.restore(location, args.file, workspace=workspace)
    finally:
        if workspace is not None:
            workspace.close()
    lines = [pick(f"已从 {result.restored_from} 恢复（完整性检查通过，结构版本 {result.revision}）。",
                  f"Restored from {result.restored_from} (integrity check passed, schema version {result.revision}).")]
    if result.kept_aside:
        lines.append(pick(f"原数据库已另存为 {result.kept_aside}。", f"The previous database is kept as {result.kept_aside}."))
    emit(args, {"ok": True, **result.as_dict()}, "\n".join(lines))
    return EXIT_OK
