"""fpdesk eligible-list import FILE --product P --year Y [--name NAME] [--replace] | show [--year Y]

Imports a list of eligible people (ID numbers, optional names) from CSV or xlsx. Exit 0 done,
1 refused, 2 usage, 3 partly done (some rows rejected: their row numbers and reasons are printed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.core.language import pick

EXIT_PARTIAL = 3
COMMANDS = {"eligible-list": "导入、查看参保对象名单（身份证号码）/ import eligible-population lists"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="list_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    imp = actions.add_parser("import", parents=[common], help=action_help("从 CSV 或 xlsx 导入名单 / import a list"))
    imp.add_argument("file", type=Path, metavar="FILE", help=pick(
        "CSV 或 xlsx 文件：身份证号码列（可有姓名列）", "a CSV or xlsx file: an ID number column (a name column may follow)"))
    imp.add_argument("--product", required=True, metavar="CODE", help=pick("名单对应的险种", "the list's product"))
    imp.add_argument("--year", type=int, required=True, metavar="Y", help=pick("保险年度", "policy year"))
    imp.add_argument("--name", metavar="NAME", help=pick("名单名称（默认文件名）", "the list's name (default: the file's)"))
    imp.add_argument("--replace", action="store_true", help=pick(
        "同名名单中不在本文件里的人员将被删除", "people of the list of that name who are not in this file are removed"))
    show = actions.add_parser("show", parents=[common], help=action_help("已导入的名单 / imported lists"))
    show.add_argument("--year", type=int, metavar="Y", help=pick("只看这个年度", "this year only"))


def run(args) -> int:
    from fpdesk.services.enrollment.eligible_list import import_eligible_list, list_summary
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.list_action == "show":
            lists = list_summary(workspace, year=args.year)
            emit(args, {"ok": True, "lists": lists}, lambda: "\n".join(
                [pick(f"{x['year']} {x['product']} “{x['list_name']}” {x['persons']} 人",
                      f"{x['year']} {x['product']} '{x['list_name']}' {x['persons']} persons") for x in lists]
                or [pick("没有导入的名单。", "No lists imported.")]))
            return EXIT_OK
        result = import_eligible_list(workspace, args.file, product=args.product, year=args.year,
                                      list_name=args.name, replace=args.replace)
    finally:
        workspace.close()
    rejected = [{"row": r.row, "value": r.value, "code": r.code, "message": r.message, "message_en": r.message_en}
                for r in result.rejected]
    payload = {"ok": not rejected, "product": result.product_code, "year": result.policy_year,
               "list_name": result.list_name, "read": result.read, "added": result.added,
               "already": result.already, "removed": result.removed, "rejected": rejected}
    for r in result.rejected:
        print(pick(f"第{r.row}行 [{r.code}]：{r.message}", f"row {r.row} [{r.code}]: {r.message_en}"), file=sys.stderr)
    emit(args, payload, pick(
        f"名单“{result.list_name}”（{result.product_code}，{result.policy_year}年度）：读取 {result.read} 行，"
        f"新增 {result.added} 人，已有 {result.already} 人，删除 {result.removed} 人，"
        f"拒收 {len(rejected)} 行。",
        f"List '{result.list_name}' ({result.product_code}, policy year {result.policy_year}): {result.read} rows read,"
        f" {result.added} persons added, {result.already} already on it, {result.removed} removed,"
        f" {len(rejected)} rows rejected."))
    return EXIT_PARTIAL if rejected else EXIT_OK
