"""fpdesk check --year Y [--product P] [--limit N]

The "一个不多，一个不漏" report: people insured who should not be (duplicates across villages and
the 机关 channel, ineligible, government-paid outside the government categories, deceased or moved
out, registered in two households) and people missed (on the eligible list or in a full-coverage
category without an enrollment, last year's insured not renewed). Exit 0 whether or not there are
findings (the JSON ``extra`` and ``missed`` counts say so), 1 refused, 2 usage.
"""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit

COMMANDS = {"check": "一个不多，一个不漏：重复、不符合条件、漏保、未续保检查 / coverage check"}


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, metavar="Y", help="保险年度")
    parser.add_argument("--product", metavar="CODE", help="只检查这个产品（默认本年度或上年度有参保的产品）")
    parser.add_argument("--limit", type=int, default=30, metavar="N",
                        help="文字输出中每类问题最多列出几条（默认30；JSON 输出全部）")


def run(args) -> int:
    from fpdesk.services.coverage_check import run_check
    from fpdesk.services.workspace import open_workspace

    workspace = open_workspace(database_url(args))
    try:
        report = run_check(workspace, year=args.year, product=args.product)
    finally:
        workspace.close()
    emit(args, {"ok": True, **report.as_dict()}, lambda: _text(report, args.limit))
    return EXIT_OK


def _text(report, limit: int) -> str:
    from fpdesk.services.coverage_check import EXTRA, FINDINGS

    products = "、".join(report.products) or "（本年度没有参保记录）"
    lines = [f"{report.year} 年度 一个不多，一个不漏 检查（{products}），用时 {report.seconds:.2f} 秒",
             f"  一个不多：{report.extra} 处问题；一个不漏：{report.missed} 处问题。"]
    counts = report.counts()
    for code in FINDINGS:
        if code not in counts:
            continue
        side = "多" if FINDINGS[code] == EXTRA else "漏"
        found = [f for f in report.findings if f.code == code]
        lines.append(f"[{side}] {code}：{counts[code]} 处")
        for finding in found[:limit]:
            place = "/".join(p for p in (finding.township, finding.village) if p)
            lines.append(f"    {place}  {finding.message_zh}")
        if len(found) > limit:
            lines.append(f"    ……另有 {len(found) - limit} 处（--limit 或 --json 查看全部）")
    if not report.findings:
        lines.append("  没有发现问题。")
    return "\n".join(lines)
