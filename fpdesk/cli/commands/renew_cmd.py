"""fpdesk renew --from-year Y --to-year Y [--product P] [--dry-run] [--on DATE]

Lists last year's insured who are not yet renewed, re-judges them with the renewal age limits and,
unless --dry-run, renews every renewable household in one transaction. Exit 0 done, 1 refused
(e.g. the enrollment window is closed for every household), 2 usage.
"""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.core.language import pick

COMMANDS = {"renew": "续保：上年度已参保、本年度未续保的人员，一次确认批量续保 / renew last year's insured"}


def add_arguments(parser) -> None:
    parser.add_argument("--from-year", type=int, required=True, metavar="Y",
                        help=pick("上一保险年度", "the previous policy year"))
    parser.add_argument("--to-year", type=int, required=True, metavar="Y", help=pick("续保年度", "the year renewed into"))
    parser.add_argument("--product", metavar="CODE", help=pick(
        "只续保这个产品（默认上年度有参保的全部产品）", "renew this product only (default: every product of last year)"))
    parser.add_argument("--dry-run", action="store_true", help=pick("只列出、判断，不写入", "list and judge, write nothing"))
    parser.add_argument("--on", metavar="DATE", help=pick("续保登记日期（默认今天）", "date of the renewal (default today)"))


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
    verb = pick("可续保", "renewable") if result.dry_run else pick("已续保", "renewed")
    trial = pick("（试算，未写入）", " (trial, nothing written)") if result.dry_run else ""
    lines = [pick(f"{result.from_year} → {result.to_year} 年度续保{trial}：", f"Renewal {result.from_year} → "
                  f"{result.to_year}{trial}:"),
             pick(f"  待续保 {counts['households']} 户；{verb} {counts['renewable_households']} 户 "
                  f"{counts['renewable_persons']} 人；不能续保 {counts['refused_households']} 户；"
                  f"本年度已有参保记录 {counts['skipped_households']} 户。",
                  f"  {counts['households']} households to renew; {verb} {counts['renewable_households']} households, "
                  f"{counts['renewable_persons']} persons; {counts['refused_households']} cannot be renewed; "
                  f"{counts['skipped_households']} already enrolled this year.")]
    rows = []
    for item in result.items:
        d = item.as_dict()
        if item.renewable:
            note = pick("、", "; ").join(pick(f"{e['name']}不续保（{','.join(e['reasons'])}）",
                                              f"{e['name']} not renewed ({', '.join(e['reasons'])})")
                                         for e in d["excluded"])
            rows.append([d["village"], d["head"], str(len(d["persons"])), format_fen(d["premium_fen"]), verb + (
                pick(f"；{note}", f"; {note}") if note else "")])
        else:
            why = pick("本年度已参保", "enrolled this year already") if item.skipped else pick("；", "; ").join(
                [pick(r["message"], r.get("message_en", r["message"])) for r in d["refused"]]
                or [pick(d["error"]["message"], d["error"].get("message_en", d["error"]["message"])) if d["error"] else ""])
            rows.append([d["village"], d["head"], "0", "-", pick(f"不能续保：{why}", f"not renewable: {why}")])
    if rows:
        lines.append(render(pick(["村", "户主", "人数", "保费", "结果"], ["Village", "Head", "Persons", "Premium", "Result"]),
                            rows, numeric={2}))
    return "\n".join(lines)
