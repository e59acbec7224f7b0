"""fpdesk check --year Y [--product P] [--limit N]

The "一个不多，一个不漏" report: people insured who should not be (duplicates across villages and
the 机关 channel, ineligible, government-paid outside the government categories, deceased or moved
out, registered in two households) and people missed (on the eligible list or in a full-coverage
category without an enrollment, last year's insured not renewed). Exit 0 whether or not there are
findings (the JSON ``extra`` and ``missed`` counts say so), 1 refused, 2 usage.
"""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.core.language import pick

COMMANDS = {"check": "一个不多，一个不漏：重复、不符合条件、漏保、未续保检查 / coverage check"}


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, metavar="Y", help=pick("保险年度", "policy year"))
    parser.add_argument("--product", metavar="CODE", help=pick(
        "只检查这个产品（默认本年度或上年度有参保的产品）",
        "check this product only (default: the products with enrollments this year or last)"))
    parser.add_argument("--limit", type=int, default=30, metavar="N", help=pick(
        "文字输出中每类问题最多列出几条（默认30；JSON 输出全部）",
        "at most this many findings of a kind in the text (default 30; --json lists them all)"))


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.reports.coverage_check import run_check
    workspace = open_workspace(database_url(args))
    try:
        report = run_check(workspace, year=args.year, product=args.product)
    finally:
        workspace.close()
    emit(args, {"ok": True, **report.as_dict()}, lambda: _text(report, args.limit))
    return EXIT_OK


def _text(report, limit: int) -> str:
    from fpdesk.services.reports.coverage_check import EXTRA, FINDINGS

    products = pick("、", ", ").join(report.products) or pick("（本年度没有参保记录）", "(no enrollments this year)")
    lines = [pick(f"{report.year} 年度 一个不多，一个不漏 检查（{products}），用时 {report.seconds:.2f} 秒",
                  f"Policy year {report.year}, no one extra, no one missed ({products}), {report.seconds:.2f} s"),
             pick(f"  一个不多：{report.extra} 处问题；一个不漏：{report.missed} 处问题。",
                  f"  No one extra: {report.extra} findings; no one missed: {report.missed} findings.")]
    counts = report.counts()
    for code in FINDINGS:
        if code not in counts:
            continue
        side = pick("多", "extra") if FINDINGS[code] == EXTRA else pick("漏", "missed")
        found = [f for f in report.findings if f.code == code]
        lines.append(pick(f"[{side}] {code}：{counts[code]} 处", f"[{side}] {code}: {counts[code]}"))
        for finding in found[:limit]:
            place = "/".join(p for p in (finding.township, finding.village) if p)
            lines.append(f"    {place}  {pick(finding.message_zh, finding.message_en)}")
        if len(found) > limit:
            lines.append(pick(f"    ……另有 {len(found) - limit} 处（--limit 或 --json 查看全部）",
                              f"    … {len(found) - limit} more (--limit or --json shows them all)"))
    if not report.findings:
        lines.append(pick("  没有发现问题。", "  Nothing found."))
    return "\n".join(lines)
