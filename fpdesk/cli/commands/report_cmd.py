"""fpdesk report progress | bulletin | stats — progress against targets, the weekly bulletin, statistics.

    fpdesk report progress --year Y [--product P] [--as-of DATE] [--json]
    fpdesk report bulletin --year Y --week N [--product P] --out FILE.pdf|FILE.xlsx [--json]
    fpdesk report stats --year Y [--start-month M] [--product P] [--json]

progress prints {"year", "product", "as_of", "previous_as_of", "townships": [{"code", "name", "target",
"enrolled", "previous", "change", "completion_pct", "rank", "villages", and the target's form: "measure",
"unit", "target_value", "achieved", "previous_achieved", "achieved_change", "census_base",
"achieved_rate_pct", "target_rate_pct", "stretch_rate_pct", "stretch_completion_pct", "target_text"}],
"total", "laggards"}; completion_pct is against the target as it was set (shares, households, persons or
a census rate; a total over lines of different forms: the mean of their completions);
stats prints {"year", "start_month", "window", "basis", "total", "by_township", "by_product", "by_payer", "by_level"}
(by_level: the premium by payer level — province … the family — from the enrollments' contributions;
each township entry has its own).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.cli.table import render
from fpdesk.core.language import english, pick

COMMANDS = {"report": "进度、周通报和统计 / progress, weekly bulletin and statistics"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="report_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--year", type=int, required=True, metavar="Y")
    common.add_argument("--product", metavar="P")
    prog = actions.add_parser("progress", parents=[common], help=pick(
        "各乡镇、村任务完成进度", "progress of each township and village against its targets"))
    prog.add_argument("--as-of", metavar="DATE", help=pick(
        "统计截止日期（默认今天；上期为7天前）", "count up to this date (default today; the previous figures are 7 days before)"))
    bul = actions.add_parser("bulletin", parents=[common], help=pick(
        "周通报（PDF 或 xlsx，含柱状图）", "the weekly bulletin (PDF or xlsx, with a bar chart)"))
    bul.add_argument("--week", type=int, required=True, metavar="N", help=pick(
        "第几周（ISO 周，截至该周星期日）", "the week number (ISO week, up to its Sunday)"))
    bul.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx")
    stats = actions.add_parser("stats", parents=[common], help=pick(
        "统计年度的份数、保费、理赔、赔付率、覆盖率",
        "shares, premiums, claims, loss ratio and coverage of a statistical year"))
    stats.add_argument("--start-month", type=int, metavar="M", help=pick(
        "统计年度起始月（广西为9：9月至次年8月）",
        "the first month of the statistical year (Guangxi: 9, September to August)"))


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.report_action == "progress":
            return _progress(args, workspace)
        if args.report_action == "bulletin":
            from fpdesk.services.reports.bulletin import write_bulletin

            result = write_bulletin(workspace, year=args.year, week=args.week, out=args.out, product=args.product)
            laggards = pick("、", ", ").join(result["laggards"]) or pick("无", "none")
            emit(args, result, pick(f"第{args.week}周通报（截至{result['as_of']}）已保存到 {result['path']}；"
                                    f"进度落后：{laggards}。",
                                    f"The bulletin of week {args.week} (up to {result['as_of']}) is saved as"
                                    f" {result['path']}; lagging behind: {laggards}."))
            return EXIT_OK
        return _stats(args, workspace)
    finally:
        workspace.close()


def _progress(args, workspace) -> int:
    from fpdesk.core.dates import parse_date
    from fpdesk.core.target_measures import UNIT_EN, UNIT_ZH
    from fpdesk.services.reports.target_progress import progress

    report = progress(workspace, year=args.year, product=args.product,
                      as_of=parse_date(args.as_of) if args.as_of else None)

    # targets set in households, persons or a census rate: the count columns are in each line's unit
    # and the target is said as it was set; a table of shares targets alone reads as it always did
    forms = any(line.measure != "shares" for line in [*report.townships, report.total])

    def text() -> str:
        def row(line, rank, name) -> list:
            if not forms:
                return [rank, name, line.target.total, line.previous.total, line.enrolled.total, f"{line.change:+}",
                        line.enrolled.government, line.enrolled.self, line.enrolled.employer,
                        line.completion_text(), line.unpaid.total]
            achieved, before = line.achieved_at(), line.achieved_at(previous=True)
            return [rank, name, line.target_value, before, achieved, f"{achieved - before:+}",
                    line.enrolled.government, line.enrolled.self, line.enrolled.employer, line.completion_text(),
                    line.unpaid.total, pick(UNIT_ZH, UNIT_EN).get(line.unit, ""), line.target_text(english())]

        rows = []
        # a township's own office reports on its villages: they are listed under it (a county's
        # report stays one line per township; --json has the villages always)
        single = len(report.townships) == 1
        for line in [*report.townships, report.total]:
            rows.append(row(line, line.rank or "", pick(line.name, "Total") if line is report.total else line.name))
            if single and line is not report.total:
                rows += [row(village, "", "  " + village.name) for village in line.villages]
        headers = pick(["排名", "乡镇 / 村", "任务数", "上周", "本周", "新增", "政府", "自主", "单位", "完成率",
                        "已登记未缴费"],
                       ["Rank", "Township / village", "Target", "Last week", "This week", "New", "Government",
                        "Self-paid", "Employer", "Completion", "Registered, unpaid"])
        if forms:
            headers += pick(["计量", "任务口径"], ["Unit", "Target as set"])
        table = render(headers, rows, numeric={2, 3, 4, 5, 6, 7, 8, 9, 10})
        laggards = pick("、", ", ").join(t.name for t in report.laggards) or pick("无", "none")
        return pick(f"{args.year}年进度，截至{report.as_of}（上期{report.previous_as_of}；只计已缴费或已拨款的参保）\n"
                    f"{table}\n进度落后：{laggards}",
                    f"Progress of {args.year} up to {report.as_of} (previous: {report.previous_as_of}; only"
                    f" enrollments paid or allocated count)\n{table}\nLagging behind: {laggards}")

    emit(args, report.as_dict(), text)
    return EXIT_OK


def _stats(args, workspace) -> int:
    from fpdesk.core.money import format_fen
    from fpdesk.core.product_terms import level_label
    from fpdesk.core.statistics import COUNT_BASIS, LOSS_RATIO_BASIS, percent, ratio
    from fpdesk.services.reports.statistics import statistics

    report = statistics(workspace, year=args.year, start_month=args.start_month, product=args.product)

    def text() -> str:
        rows = [[name, f.shares, format_fen(f.premium_fen), f.claims_reported, f.claims_paid, format_fen(f.paid_fen),
                 percent(f.loss_ratio), percent(f.fiscal_share), percent(f.coverage_rate), f.persons, f.unpaid_shares]
                for _, name, f in report.by_township]
        t = report.total
        rows.append([pick("合计", "Total"), t.shares, format_fen(t.premium_fen), t.claims_reported, t.claims_paid,
                     format_fen(t.paid_fen), percent(t.loss_ratio), percent(t.fiscal_share), percent(t.coverage_rate),
                     t.persons, t.unpaid_shares])
        table = render(pick(["乡镇", "份数", "保费", "报案", "赔付件数", "赔付金额", "赔付率", "财政出资比例", "覆盖率",
                             "被保险人数", "已登记未缴费"],
                            ["Township", "Shares", "Premium", "Reported", "Claims paid", "Amount paid", "Loss ratio",
                             "Government share", "Coverage", "Insured persons", "Registered, unpaid"]),
                       rows, numeric={1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
        if english():
            levels = ", ".join(f"{level_label(level, english=True)} {format_fen(fen)} ({percent(ratio(fen, t.premium_fen))})"
                               for level, fen in report.by_level) or "—"
            return (f"Statistical year {report.year} ({report.window.start} to {report.window.end})\n{table}\n"
                    f"Premium by payer level: {levels}\n"
                    f"Loss ratio = {LOSS_RATIO_BASIS[1]}; the premium is the amount written (not the sum insured);"
                    f" {COUNT_BASIS[1]}.")
        levels = "、".join(f"{level_label(level)} {format_fen(fen)}（{percent(ratio(fen, t.premium_fen))}）"
                           for level, fen in report.by_level) or "—"
        return (f"统计年度 {report.year}（{report.window.start} 至 {report.window.end}）\n{table}\n"
                f"各级承担的保费：{levels}\n"
                f"赔付率 = {LOSS_RATIO_BASIS[0]}；承保金额即保费（非保额）；{COUNT_BASIS[0]}。")

    emit(args, report.as_dict(), text)
    return EXIT_OK
