"""fpdesk renew --from-year Y --to-year Y [--product P] [--dry-run] [--on DATE]

Lists last year's insured who are not yet renewed, re-judges them with the renewal age limits and,
unless --dry-run, renews every renewable household in one transaction. Exit 0 done, 1 refused
(e.g. the enrollment window is closed for every household), 2 usage.
"""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit

COMMANDS = {"renew": "续保：上年度已参保、本年度未续保的人员，一次确认批量续保 / renew last year's insured"}


def add_arguments(parser) -> None:
    parser.add_argument("--from-year", type=int, required=True, metavar="Y", help="上一保险年度")
    parser.add_argument("--to-year", type=int, required=True, metavar="Y", help="续保年度")
    parser.add_argument("--product", metavar="CODE", help="只续保这个产品（默认上年度有参保的全部产品）")
    parser.add_argument("--dry-run", action="store_true", help="只列出、判断，不写入")
    parser.add_argument("--on", metavar="DATE", help="续保登记日期（默认今天）")


def run(args) -> int:
    from fpdesk.core.dates import parse_date
    from fpdesk.services.enrollment.renewal import renew
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        result = renew(workspace, from_year=args.from_year, to_year=args.to_year, product=args.product,
                       on=parse_date(args.on) if args.on else None, dry_run=args.dry_run)
    finally:
        workspace.close()
    payload = {"ok": True, "dry_run": result.dry_run, "from_year": result.from_year, "to_year": result.to_year,
               "counts": result.counts(), "households": [i.as_dict() for i in result.items]}
    emit(args, payload, lambda: _text(result))
    return EXIT_OK


def _text(result) -> str:
    from fpdesk.cli.table import render
    from fpdesk.core.money import format_fen

    counts = result.counts()
    verb = "可续保" if result.dry_run else "已续保"
    lines = [f"{result.from_year} → {result.to_year} 年度续保{'（试算，未写入）' if result.dry_run else ''}：",
             f"  待续保 {counts['households']} 户；{verb} {counts['renewable_households']} 户 "
             f"{counts['renewable_persons']} 人；不能续保 {counts['refused_households']} 户；"
             f"本年度已有参保记录 {counts['skipped_households']} 户。"]
    rows = []
    for item in result.items:
        d = item.as_dict()
        if item.renewable:
            note = "、".join(f"{e['name']}不续保（{','.join(e['reasons'])}）" for e in d["excluded"])
            rows.append([d["village"], d["head"], str(len(d["persons"])), format_fen(d["premium_fen"]), verb + (
                f"；{note}" if note else "")])
        else:
            why = "本年度已参保" if item.skipped else "；".join(
                [r["message"] for r in d["refused"]] or [d["error"]["message"] if d["error"] else ""])
            rows.append([d["village"], d["head"], "0", "-", f"不能续保：{why}"])
    if rows:
        lines.append(render(["村", "户主", "人数", "保费", "结果"], rows, numeric={2}))
    return "\n".join(lines)
