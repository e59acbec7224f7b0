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

COMMANDS = {
    "backup": "备份数据库 / back up the database",
    "restore": "从备份恢复数据库 / restore the database from a backup",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2]
    if parser.prog.split()[-1] == "restore":
        parser.add_argument("file", metavar="FILE", help="备份文件")
        return
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", metavar="FILE", help="备份到这个文件")
    what.add_argument("--list", action="store_true", help="列出自动备份")
    what.add_argument("--folder", metavar="DIR", help="设置自动备份的文件夹（如U盘）")
    parser.add_argument("--force", action="store_true",
                        help="覆盖已有的备份文件（正在使用的数据库和其他单位的数据库仍不覆盖）")


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
                 f"已备份到 {result.path}（{result.bytes / 1048576:.1f} MB，完整性检查通过）。")
        elif args.folder:
            folder = backups.set_backup_folder(workspace, args.folder)
            emit(args, {"ok": True, "folder": str(folder)}, f"自动备份将保存到 {folder}。")
        else:
            files = backups.list_backups(workspace)
            emit(args, {"ok": True, "folder": str(backups.backup_folder(workspace)),
                        "backups": [{"path": str(p), "bytes": p.stat().st_size} for p in files]},
                 "\n".join(str(p) for p in files) or "还没有自动备份。")
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
    lines = [f"已从 {result.restored_from} 恢复（完整性检查通过，结构版本 {result.revision}）。"]
    if result.kept_aside:
        lines.append(f"原数据库已另存为 {result.kept_aside}。")
    emit(args, {"ok": True, **result.as_dict()}, "\n".join(lines))
    return EXIT_OK
