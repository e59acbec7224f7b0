"""fpdesk divisions import | list | add — the county's townships, villages and agency units.

    fpdesk divisions import FILE [--year Y]      (xlsx/xls/ods/csv: 代码, 名称, 上级代码, 类别)
        --json: {"file", "rows", "new", "updated", "unchanged", "skipped", "rejected": [{"row", "code", "message"}]}
        exit 0 every row taken, 3 some rows rejected (the others written)
    fpdesk divisions list [--under CODE]
        --json: {"divisions": [{"code", "name", "kind", "parent_code", "code_year", "office"}]}
    fpdesk divisions add --name NAME --under CODE [--code CODE] [--kind village|community|unit]
        --json: {"ok": true, "code", "name", "kind", "parent_code", "code_year", "office"}

Divisions are reference data apart from offices: ``office add`` is only for a division that gets a
computer. A township may add its own villages (they travel up); a unit is added by the county.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.core.language import on_its_own, pick

EXIT_PARTIAL = 3
COMMANDS = {"divisions": "行政区划名单：导入、列出、添加村（社区）和机关单位 / the division list"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="divisions_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    imp = actions.add_parser("import", parents=[common],
                             help=action_help("导入统计局的区划名单（代码、名称、上级代码、类别）/ import the division list"))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--year", type=int, metavar="Y", help=pick(
        "区划代码的年份（默认今年）", "the year of the division codes (default: this year)"))
    listing = actions.add_parser("list", parents=[common], help=action_help("列出行政区划 / list divisions"))
    listing.add_argument("--under", metavar="CODE", help=pick(
        "只列这个乡镇（或县）及其下级", "only this township (or county) and what is under it"))
    add = actions.add_parser("add", parents=[common],
                             help=action_help("添加村（社区）或机关单位 / add a village, community or unit"))
    add.add_argument("--name", required=True, metavar="NAME", help=pick("名称，如 坪埠村", "the name"))
    add.add_argument("--under", required=True, metavar="CODE", help=pick(
        "上级：乡镇9位代码；机关单位填县代码", "the parent: a township's 9-digit code; for an agency unit, the county's code"))
    add.add_argument("--code", metavar="CODE", help=pick(
        "统计用区划代码（不填则给一个本地代码）", "the statistical division code (without it, a local code is given)"))
    add.add_argument("--kind", choices=("village", "community", "unit"), metavar="KIND", help=pick(
        "village 村 | community 社区 | unit 机关单位（默认 village）",
        "village | community | unit, an agency unit (default: village)"))


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.divisions_action == "import":
            return _import(args, workspace)
        if args.divisions_action == "add":
            return _add(args, workspace)
        return _list(args, workspace)
    finally:
        workspace.close()


def _import(args, workspace) -> int:
    from fpdesk.services.registry.divisions import import_divisions

    result = import_divisions(workspace, args.file, code_year=args.year or dt.date.today().year)
    for issue in result.rejected:
        print(pick(issue["message"], issue["message_en"]), file=sys.stderr)
    text = pick(f"导入区划名单“{result.file}”：共 {result.rows} 行，新增 {result.new}，更名 {result.updated}，"
                f"未变 {result.unchanged}，不属于本单位而跳过 {result.skipped}，拒收 {len(result.rejected)}。",
                f"Division list '{result.file}': {result.rows} rows, {result.new} new, {result.updated} renamed,"
                f" {result.unchanged} unchanged, {result.skipped} skipped (not this office's),"
                f" {len(result.rejected)} rejected.")
    emit(args, result.as_dict(), text)
    return EXIT_PARTIAL if result.rejected else EXIT_OK


def _add(args, workspace) -> int:
    from fpdesk.services.registry.divisions import add_division

    entry = add_division(workspace, name=args.name, under=args.under, code=args.code, kind=args.kind,
                         code_year=dt.date.today().year)
    emit(args, {"ok": True, **entry.as_dict()}, pick(
        f"已添加“{entry.name}”，区划代码 {entry.code}（上级 {entry.parent_code}）。",
        f"Added '{entry.name}', division code {entry.code} (under {entry.parent_code})."))
    return EXIT_OK


def _list(args, workspace) -> int:
    from fpdesk.cli.table import render
    from fpdesk.core.vocabulary import DivisionKind
    from fpdesk.services.registry.divisions import list_divisions

    entries = list_divisions(workspace, under=args.under)

    def text() -> str:
        if not entries:
            return pick("还没有任何行政区划。县里可用 fpdesk divisions import 导入区划名单。",
                        "There are no divisions yet. The county can import its list with fpdesk divisions import.")
        rows = [["  " * (len(e.code) // 3 - 2) + e.name, e.code,
                 pick(DivisionKind(e.kind).label_zh, on_its_own(DivisionKind(e.kind).label_en)),
                 pick("有", "Yes") if e.office else ""] for e in entries]
        return render(pick(["名称", "代码", "类别", "单位电脑"], ["Name", "Code", "Kind", "Office computer"]), rows) + pick(
            f"\n共 {len(entries)} 个。", f"\n{len(entries)} in all.")

    emit(args, {"divisions": [e.as_dict() for e in entries]}, text)
    return EXIT_OK
