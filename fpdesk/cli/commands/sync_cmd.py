"""fpdesk sync export | import | conflicts | resolve | duplicates | decide — exchange packages.

    fpdesk sync export --to CODE --out FILE|FOLDER [--json]
    fpdesk sync import FILE [--dry-run] [--json]   prints {"package", "from", "new", "updated", "unchanged",
                                                           "conflicts", "duplicates", "held", "rejected"}
    fpdesk sync conflicts [--json]
    fpdesk sync resolve ID --take ours|theirs|FIELD=VALUE…
    fpdesk sync duplicates [--json]
    fpdesk sync decide ID distinct|merged|open

A refused package (damaged, cut, for another office, unknown or revoked sender, unsupported format,
older than one already imported) exits 1 and changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.core.language import english, pick

COMMANDS = {"sync": "数据交换包：导出、导入、冲突与重复审核 / exchange packages between offices"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    export = actions.add_parser("export", parents=[common], help=action_help("导出给上级或下级单位的数据包 / export a package"))
    export.add_argument("--to", required=True, metavar="CODE", help=pick("接收单位的区划代码", "the receiving office's division code"))
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help=pick(
        "文件或文件夹（如U盘）", "a file or folder (e.g. a USB stick)"))
    imp = actions.add_parser("import", parents=[common], help=action_help("导入数据包 / import a package"))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help=pick("只检查并报告，不写入", "check and report only, write nothing"))
    actions.add_parser("conflicts", parents=[common], help=action_help("列出待处理的冲突 / list open conflicts"))
    resolve = actions.add_parser("resolve", parents=[common], help=action_help("处理一个冲突 / resolve a conflict"))
    resolve.add_argument("id", metavar="ID", help=pick("冲突编号（可只写前几位）", "conflict id (its first characters will do)"))
    resolve.add_argument("--take", required=True, nargs="+", metavar="ours|theirs|FIELD=VALUE", help=pick(
        "ours 保留本单位的值，theirs 采用对方的值，或 字段=值",
        "ours keeps this office's value, theirs takes the other office's, or FIELD=VALUE"))
    actions.add_parser("duplicates", parents=[common], help=action_help("列出疑似重复人员 / list suspected duplicates"))
    decide = actions.add_parser("decide", parents=[common], help=action_help("处理疑似重复 / decide a suspected duplicate"))
    decide.add_argument("id", metavar="ID")
    decide.add_argument("decision", choices=["distinct", "merged", "open"])


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        return {"export": _export, "import": _import, "conflicts": _conflicts, "resolve": _resolve,
                "duplicates": _duplicates, "decide": _decide}[args.sync_action](args, workspace)
    finally:
        workspace.close()


def _export(args, workspace) -> int:
    from fpdesk.services.sync.export import export_package

    summary = export_package(workspace, to=args.to, out=args.out)
    kinds = pick("，", ", ").join(f"{k} {v}" for k, v in sorted(summary.by_kind.items())) or pick(
        "没有新的修改", "no new changes")
    emit(args, summary.as_dict(), pick(
        f"已导出第{summary.channel_seq}号数据包给{summary.recipient}：{summary.path}\n"
        f"{summary.records}条修改（{kinds}），{summary.size:,}字节",
        f"Exported package {summary.channel_seq} for {summary.recipient}: {summary.path}\n"
        f"{summary.records} changes ({kinds}), {summary.size:,} bytes"))
    return EXIT_OK


def _import(args, workspace) -> int:
    from fpdesk.services.sync.importer import import_package

    report = import_package(workspace, args.file, dry_run=args.dry_run)

    def text() -> str:
        if english():
            return _imported_en(report)
        head = "试导入（未写入）" if report.dry_run else ("这个数据包已导入过，没有变化" if report.already_imported else "已导入")
        lines = [f"{head}：{report.package}（来自{_sender(report)}）",
                 f"新增 {report.new}，更新 {report.updated}，未变 {report.unchanged}，冲突 {report.conflicts}，"
                 f"疑似重复 {report.duplicates}，暂缓 {report.held}，拒收 {report.rejected}"]
        if report.merged:
            lines.append(f"{report.merged}条记录两边改了不同的字段，已自动合并。")
        lines.extend(report.notes[:10])
        return "\n".join(lines)

    emit(args, report.as_dict(), text)
    return EXIT_OK


def _conflicts(args, workspace) -> int:
    from fpdesk.services.sync.conflicts import list_conflicts

    conflicts = list_conflicts(workspace)

    def text() -> str:
        if not conflicts:
            return pick("没有待处理的冲突。", "No open conflicts.")
        if english():
            return _conflicts_en(conflicts)
        lines = []
        for c in conflicts:
            lines.append(f"{c['id']}  {c['entity']} {c['record_id']}")
            for name, v in c["fields"].items():
                lines.append(f"    {name}: 原值 {v['base']!r} | 本单位 {v['ours']!r}（{c['ours'].get('office')}）"
                             f" | 对方 {v['theirs']!r}（{c['theirs'].get('office')}） → 暂用 {v['provisional']!r}")
        return "\n".join(lines)

    emit(args, {"conflicts": conflicts}, text)
    return EXIT_OK


def _resolve(args, workspace) -> int:
    from fpdesk.services.sync.conflicts import parse_take, resolve

    result = resolve(workspace, args.id, parse_take(args.take))
    emit(args, result, pick(f"已处理冲突 {result['id']}：{result['values']}", f"Conflict {result['id']} resolved: {result['values']}"))
    return EXIT_OK


def _duplicates(args, workspace) -> int:
    from fpdesk.services.sync.duplicates import list_duplicates

    items = list_duplicates(workspace)

    def text() -> str:
        if not items:
            return pick("没有待审核的疑似重复人员。", "No possible duplicates to review.")
        return "\n".join(f"{d['id']}  {d['kind']}  {d['detail']}  "
                         f"{(d['a'] or {}).get('name')}（{(d['a'] or {}).get('village')}） / "
                         f"{(d['b'] or {}).get('name')}（{(d['b'] or {}).get('village')}）" for d in items)

    emit(args, {"duplicates": items}, text)
    return EXIT_OK


def _decide(args, workspace) -> int:
    from fpdesk.services.sync.duplicates import decide

    result = decide(workspace, args.id, args.decision)
    emit(args, result, pick(f"已记录：{result['id']} → {result['status']}", f"Recorded: {result['id']} → {result['status']}"))
    return EXIT_OK


def _sender(report) -> str:
    """The sending office by name and code, as a clerk knows it (its code alone when not registered here)."""
    return f"{report.sender_name} {report.sender}" if report.sender_name else report.sender


def _imported_en(report) -> str:
    head = ("Trial import (nothing written)" if report.dry_run
            else "This package was imported before; nothing changed" if report.already_imported else "Imported")
    lines = [f"{head}: {report.package} (from {_sender(report)})",
             f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged, {report.conflicts} conflicts,"
             f" {report.duplicates} possible duplicates, {report.held} held, {report.rejected} rejected"]
    if report.merged:
        lines.append(f"{report.merged} records were changed in different fields on both sides and merged.")
    lines.extend(report.notes_en[:10])
    return "\n".join(lines)


def _conflicts_en(conflicts) -> str:
    lines = []
    for c in conflicts:
        lines.append(f"{c['id']}  {c['entity']} {c['record_id']}")
        for name, v in c["fields"].items():
            lines.append(f"    {name}: was {v['base']!r} | ours {v['ours']!r} ({c['ours'].get('office')})"
                         f" | theirs {v['theirs']!r} ({c['theirs'].get('office')}) → for now {v['provisional']!r}")
    return "\n".join(lines)
