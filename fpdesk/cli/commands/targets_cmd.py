"""fpdesk targets import | list | set | population — guidance targets and resident population.

    fpdesk targets import FILE --year Y --product P [--json]
    fpdesk targets list --year Y [--product P] [--json]
    fpdesk targets set --year Y --product P --division CODE [--government N] [--self N] [--employer N]
                       [--households N | --persons N | --household-rate PCT | --person-rate PCT [--stretch PCT]]
    fpdesk targets population FILE --year Y [--json]

import prints {"ok", "file", "rows", "new", "updated", "unchanged", "rejected": [{"row", "division", "code",
"message"}], "skipped": [township names], "totals": {"government", "self", "employer", "total", and
"households", "persons", "rate_targets" when the file sets such targets}}; exit 0
imported, 1 refused (a bad row refuses the whole file and nothing is written). At a township office the
rows of other townships are skipped (listed), not refused. A target may be set in shares by payer (the
default), in households or persons, or as a percentage of the division's census households or persons
(the census base comes first, from ``targets population`` with a 户数 column); list gives each target's
"measure", "quantity", "rate_pct", "stretch_pct" and "text" beside the shares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fpdesk.cli.output import EXIT_OK, EXIT_REFUSED, database_url, emit
from fpdesk.cli.table import render
from fpdesk.core.language import english, pick

COMMANDS = {"targets": "导入、查看、录入任务数和常住人口 / guidance targets and resident population"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="targets_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    imp = actions.add_parser("import", parents=[common], help=pick(
        "导入指导性任务表（.xlsx/.xls/.csv）", "import the guidance targets (.xlsx/.xls/.csv)"))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--year", type=int, required=True, metavar="Y")
    imp.add_argument("--product", required=True, metavar="P")
    lst = actions.add_parser("list", parents=[common], help=pick("列出任务数", "list the targets"))
    lst.add_argument("--year", type=int, required=True, metavar="Y")
    lst.add_argument("--product", metavar="P")
    one = actions.add_parser("set", parents=[common], help=pick(
        "录入一个乡镇或村的任务数", "set the target of one township or village"))
    one.add_argument("--year", type=int, required=True, metavar="Y")
    one.add_argument("--product", required=True, metavar="P")
    one.add_argument("--division", required=True, metavar="CODE", help=pick(
        "区划代码（机关为县代码+900）", "division code (agency units: the county's code + 900)"))
    for name, help_text in (("government", pick("政府投保任务数", "government-paid target")),
                            ("self", pick("自主投保任务数", "self-paid target")),
                            ("employer", pick("单位投保任务数", "employer-paid target"))):
        one.add_argument(f"--{name}", type=int, default=0, metavar="N", help=help_text)
    form = one.add_mutually_exclusive_group()
    form.add_argument("--households", type=int, metavar="N", help=pick(
        "目标户数（按户数下达）", "target households (a target set in households)"))
    form.add_argument("--persons", type=int, metavar="N", help=pick(
        "目标人数（按人数下达）", "target persons (a target set in persons)"))
    form.add_argument("--household-rate", metavar="PCT", help=pick(
        "户数覆盖率：参保户数占普查户数的百分比，如 60%%",
        "household rate: households insured as a percentage of the census households, e.g. 60%%"))
    form.add_argument("--person-rate", metavar="PCT", help=pick(
        "人口覆盖率：参保人数占常住人口的百分比", "person rate: persons insured as a percentage of the resident population"))
    one.add_argument("--stretch", metavar="PCT", help=pick(
        "力争覆盖率（与覆盖率同用）", "stretch rate (with a rate target)"))
    pop = actions.add_parser("population", parents=[common], help=pick(
        "导入常住人口和普查户数（区划代码或乡镇一列，常住人口、户数列）",
        "import the resident population and census households (a division code or township column, population"
        " and household columns)"))
    pop.add_argument("file", type=Path, metavar="FILE")
    pop.add_argument("--year", type=int, required=True, metavar="Y")


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.reports import targets
    workspace = open_workspace(database_url(args))
    try:
        if args.targets_action == "import":
            result = targets.import_targets(workspace, args.file, year=args.year, product=args.product)
            return _imported(args, result, pick("任务数", "targets"))
        if args.targets_action == "population":
            return _imported(args, targets.import_population(workspace, args.file, year=args.year),
                             pick("常住人口", "resident population"))
        if args.targets_action == "set":
            targets.set_target(workspace, year=args.year, product=args.product, division_code=args.division,
                               government=args.government, self_paid=args.self, employer=args.employer,
                               **_measure(args, targets))
        rows = targets.list_targets(workspace, year=args.year, product=getattr(args, "product", None))
    finally:
        workspace.close()
    # a village's target is part of its township's when both are set: counted once, as progress counts it
    codes = {(r["product"], r["division_code"]) for r in rows}
    top = [r for r in rows if not any((r["product"], r["division_code"][:length]) in codes
                                      for length in (6, 9) if length < len(r["division_code"]))]
    totals = {k: sum(r[k] for r in top) for k in ("government", "self", "employer", "total")}
    emit(args, {"ok": True, "year": args.year, "targets": rows, "totals": totals}, lambda: render(
        pick(["险种", "区划", "代码", "政府", "自主", "单位", "合计", "任务"],
             ["Product", "Division", "Code", "Government", "Self-paid", "Employer", "Total", "Target"]),
        [[r["product"], r["division_name"], r["division_code"], r["government"], r["self"], r["employer"],
          r["total"], pick(r["text"], r["text_en"])] for r in rows] + [[pick("合计", "Total"), "", "", *totals.values(), ""]],
        numeric={3, 4, 5, 6}))
    return EXIT_OK


def _measure(args, targets) -> dict:
    """The form of target the options ask for (shares when none of them is given)."""
    stretch = targets.percent_of(args.stretch)
    if args.households is not None:
        return {"measure": "households", "quantity": args.households, "stretch_bp": stretch}
    if args.persons is not None:
        return {"measure": "persons", "quantity": args.persons, "stretch_bp": stretch}
    for measure in ("household_rate", "person_rate"):
        value = getattr(args, measure)
        if value is not None:
            return {"measure": measure, "rate_bp": targets.percent_of(value), "stretch_bp": stretch}
    return {"stretch_bp": stretch}


def _imported(args, result, what: str) -> int:
    for issue in result.rejected:
        if english():
            where = f"row {issue['row']} {issue['division']}: " if issue["row"] is not None else ""
            print(f"{where}{issue.get('message_en') or issue['message']}", file=sys.stderr)
            continue
        where = f"第{issue['row']}行 {issue['division']}：" if issue["row"] is not None else ""  # whole file
        print(f"{where}{issue['message']}", file=sys.stderr)
    if english():
        text = _imported_en(result, what)
    elif result.rejected:
        text = f"“{result.file}”有 {len(result.rejected)} 行不能导入，整个文件未导入。"
    else:
        totals = "，".join(f"{k} {v:,}" for k, v in result.totals.items())
        text = (f"已导入“{result.file}”的{what}：{result.rows} 行（新增 {result.new}，更新 {result.updated}，"
                f"未变 {result.unchanged}）；合计 {totals}。")
        if result.skipped:
            text += f"\n本库没有的乡镇 {len(result.skipped)} 行已跳过：{'、'.join(result.skipped)}。"
    emit(args, result.as_dict(), text)
    return EXIT_REFUSED if result.rejected else EXIT_OK


def _imported_en(result, what: str) -> str:
    if result.rejected:
        return f"{len(result.rejected)} rows of '{result.file}' cannot be imported; nothing of the file was imported."
    totals = ", ".join(f"{k} {v:,}" for k, v in result.totals.items())
    text = (f"Imported the {what} of '{result.file}': {result.rows} rows ({result.new} new, {result.updated} updated,"
            f" {result.unchanged} unchanged); totals {totals}.")
    if result.skipped:
        text += f"\n{len(result.skipped)} rows of townships not in this database skipped: {', '.join(result.skipped)}."
    return text
