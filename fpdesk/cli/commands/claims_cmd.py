"""fpdesk claims list | show | register | report | documents | status | pay | decline | flags.

    fpdesk claims list [--status S] [--kind K] [--division CODE] [--product P] [--year Y] [--green-channel]
                       [--open] [--json]
    fpdesk claims show CLAIM [--json]
    fpdesk claims register --person ID --kind K --incident DATE [--product P] [--days N] [--claimed YUAN]
                           [--reported DATE --report-number NO] [--green-channel] [--home-visit] [--description T]
    fpdesk claims report CLAIM --on DATE --number NO
    fpdesk claims documents CLAIM KEY [KEY ...]
    fpdesk claims status CLAIM documents_complete|submitted|closed [--on DATE] [--note T]
    fpdesk claims pay CLAIM --amount YUAN --on DATE
    fpdesk claims decline CLAIM --reason T [--on DATE]
    fpdesk claims flags CLAIM [--green-channel yes|no] [--home-visit yes|no]

list prints {"count", "claims": [{"claim_no", "person", "id_number" (masked), "division", "product", "policy_year",
"kind", "incident_on", "reported_on", "report_number", "status", "claimed_fen", "paid_fen", "green_channel",
"home_visit", ...}]}; every other action prints the claim as ``show`` does. Exit 0 done, 1 refused.

The medical free text of ``show`` ("description", "decline_reason", the timeline's typed "note"s) keeps
its keys; to a role without pi.full its value is the marker "（已隐藏：…）" unless that user typed it
(services/enrollment/claims.py). A reviewer's or administrator's view of someone else's text is logged.
"""

from __future__ import annotations

import argparse

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.cli.table import render
from fpdesk.core.language import english, on_its_own, pick

COMMANDS = {"claims": "理赔登记与跟踪（绿色通道）/ claims tracking with the green channel"}
KINDS = ("accidental_death", "disability", "accidental_medical", "hospital_care", "other")
STATUSES = ("registered", "reported", "documents_complete", "submitted", "paid", "declined", "closed")


def _yes_no(value: str) -> bool:
    if value.lower() in ("yes", "y", "true", "1", "是"):
        return True
    if value.lower() in ("no", "n", "false", "0", "否"):
        return False
    raise argparse.ArgumentTypeError(pick("yes 或 no", "yes or no"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="claims_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    lst = actions.add_parser("list", parents=[common], help=pick("理赔列表", "list claims"))
    lst.add_argument("--status", choices=STATUSES)
    lst.add_argument("--kind", choices=KINDS)
    lst.add_argument("--division", metavar="CODE", help=pick(
        "乡镇或村的区划代码（前缀）", "division code of a township or village (a prefix)"))
    lst.add_argument("--product", metavar="P")
    lst.add_argument("--year", type=int, metavar="Y", help=pick("保险年度", "policy year"))
    lst.add_argument("--green-channel", action="store_true", default=None, help=pick(
        "只列绿色通道", "green channel only"))
    lst.add_argument("--open", action="store_true", help=pick("只列未办结", "open claims only"))
    show = actions.add_parser("show", parents=[common], help=pick(
        "理赔详情（时间线、资料清单、剩余额度）", "one claim (timeline, documents, what is left of the limit)"))
    show.add_argument("claim", metavar="CLAIM")
    reg = actions.add_parser("register", parents=[common], help=pick("出险登记", "register a claim"))
    reg.add_argument("--person", required=True, metavar="ID", help=pick("被保险人身份证号码", "the insured's ID number"))
    reg.add_argument("--kind", required=True, choices=KINDS)
    reg.add_argument("--incident", required=True, metavar="DATE", help=pick("出险日期", "incident date"))
    reg.add_argument("--product", metavar="P")
    reg.add_argument("--days", type=int, default=0, metavar="N", help=pick(
        "住院天数（住院护理）", "days in hospital (hospital care)"))
    reg.add_argument("--claimed", default="0", metavar="YUAN", help=pick("申请金额（元）", "amount claimed (yuan)"))
    reg.add_argument("--reported", metavar="DATE", help=pick("报案日期", "report date"))
    reg.add_argument("--report-number", metavar="NO", help=pick("保险公司报案号", "the insurer's report number"))
    reg.add_argument("--green-channel", action="store_true")
    reg.add_argument("--home-visit", action="store_true")
    reg.add_argument("--description", default="", metavar="TEXT")
    rep = actions.add_parser("report", parents=[common], help=pick("报案", "report to the insurer"))
    rep.add_argument("claim", metavar="CLAIM")
    rep.add_argument("--on", required=True, metavar="DATE")
    rep.add_argument("--number", required=True, metavar="NO")
    docs = actions.add_parser("documents", parents=[common], help=pick(
        "已收资料（完整清单）", "documents received (the whole list)"))
    docs.add_argument("claim", metavar="CLAIM")
    docs.add_argument("keys", nargs="*", metavar="KEY")
    st = actions.add_parser("status", parents=[common], help=pick(
        "资料齐全 / 已提交 / 办结", "documents complete / submitted / closed"))
    st.add_argument("claim", metavar="CLAIM")
    st.add_argument("status", choices=("documents_complete", "submitted", "closed"))
    st.add_argument("--on", metavar="DATE")
    st.add_argument("--note", default="")
    pay = actions.add_parser("pay", parents=[common], help=pick("登记赔付", "record a payment"))
    pay.add_argument("claim", metavar="CLAIM")
    pay.add_argument("--amount", required=True, metavar="YUAN")
    pay.add_argument("--on", required=True, metavar="DATE")
    dec = actions.add_parser("decline", parents=[common], help=pick("登记拒赔", "record a refusal to pay"))
    dec.add_argument("claim", metavar="CLAIM")
    dec.add_argument("--reason", required=True)
    dec.add_argument("--on", metavar="DATE")
    flags = actions.add_parser("flags", parents=[common], help=pick("绿色通道、上门服务", "green channel, home visit"))
    flags.add_argument("claim", metavar="CLAIM")
    flags.add_argument("--green-channel", type=_yes_no, metavar="yes|no")
    flags.add_argument("--home-visit", type=_yes_no, metavar="yes|no")


def run(args) -> int:
    from fpdesk.core.dates import parse_date
    from fpdesk.core.money import yuan_to_fen
    from fpdesk.services.enrollment import claims
    from fpdesk.services.opening import open_workspace
    def day(value):
        return parse_date(value) if value else None

    workspace = open_workspace(database_url(args))
    try:
        action = args.claims_action
        if action == "list":
            rows = claims.list_claims(workspace, status=args.status, kind=args.kind, division=args.division,
                                      product=args.product, year=args.year, green_channel=args.green_channel,
                                      open_only=args.open)
            emit(args, {"count": len(rows), "claims": rows}, lambda: _table(rows))
            return EXIT_OK
        ref = getattr(args, "claim", None)
        if action == "register":
            ref = claims.register_claim(
                workspace, person=args.person, kind=args.kind, incident_on=parse_date(args.incident),
                product=args.product, description=args.description, hospital_days=args.days,
                claimed_fen=yuan_to_fen(args.claimed), green_channel=args.green_channel, home_visit=args.home_visit,
                reported_on=day(args.reported), report_number=args.report_number).claim_no
        elif action == "report":
            claims.report_claim(workspace, ref, reported_on=parse_date(args.on), report_number=args.number)
        elif action == "documents":
            claims.set_documents(workspace, ref, args.keys)
        elif action == "status":
            claims.advance(workspace, ref, args.status, on=day(args.on), note=args.note)
        elif action == "pay":
            claims.record_paid(workspace, ref, paid_fen=yuan_to_fen(args.amount), paid_on=parse_date(args.on))
        elif action == "decline":
            claims.decline(workspace, ref, reason=args.reason, on=day(args.on))
        elif action == "flags":
            claims.set_flags(workspace, ref, green_channel=args.green_channel, home_visit=args.home_visit)
        detail = claims.claim_detail(workspace, ref)
    finally:
        workspace.close()
    emit(args, {"ok": True, "claim": detail}, lambda: _detail(detail))
    return EXIT_OK


def _table(rows) -> str:
    from fpdesk.core.claims import kind_label, status_label
    from fpdesk.core.money import format_fen

    if english():
        return render(["Claim no.", "Name", "Village", "Kind", "Incident date", "Status", "Claimed", "Paid",
                       "Green channel"],
                      [[r["claim_no"], r["person"], r["division"], kind_label(r["kind"], "en"), r["incident_on"],
                        on_its_own(status_label(r["status"], "en"), True), format_fen(r["claimed_fen"]), format_fen(r["paid_fen"]),
                        "Yes" if r["green_channel"] else ""]
                       for r in rows], numeric={6, 7}) + f"\n{len(rows)} claim{'' if len(rows) == 1 else 's'}"
    return render(["理赔编号", "姓名", "村（社区）", "类别", "出险日期", "状态", "申请", "已赔", "绿色通道"],
                  [[r["claim_no"], r["person"], r["division"], r["kind_zh"], r["incident_on"], r["status_zh"],
                    format_fen(r["claimed_fen"]), format_fen(r["paid_fen"]), "是" if r["green_channel"] else ""]
                   for r in rows], numeric={6, 7}) + f"\n共 {len(rows)} 件"


def _detail(d) -> str:
    from fpdesk.core.money import format_fen

    if english():
        return _detail_en(d)
    lines = [f"{d['claim_no']}  {d['person']}（{d['id_number']}）{d['division']}  {d['kind_zh']}  {d['status_zh']}",
             f"险种：{d['product_name']}（{d['policy_year']}年度）  出险：{d['incident_on']}  "
             f"报案：{d['reported_on'] or '未报案'} {d['report_number'] or ''}",
             f"申请 {format_fen(d['claimed_fen'])}  已赔 {format_fen(d['paid_fen'])}"
             f"{'  绿色通道' if d['green_channel'] else ''}{'  上门服务' if d['home_visit'] else ''}"]
    limit = d["limit"]
    if limit and limit["cap_days"]:
        lines.append(f"住院护理天数：已用 {limit['used_days']} 天，剩余 {limit['left_days']} 天（每年 {limit['cap_days']} 天）")
    elif limit:
        lines.append(f"额度 {format_fen(limit['cap_fen'])}：已赔 {format_fen(limit['used_fen'])}，"
                     f"在办 {format_fen(limit['pending_fen'])}，剩余 {format_fen(limit['left_after_pending_fen'])}")
    lines.append("资料：" + "  ".join(("☑" if c["received"] else "□") + c["label"] for c in d["checklist"]))
    lines += [f"  {e['on']}  {e['status_zh']}  {e['note']}（{e['author']}）" for e in d["timeline"]]
    return "\n".join(lines)


def _detail_en(d) -> str:
    from fpdesk.core.claims import kind_label, status_label
    from fpdesk.core.money import format_fen

    lines = [f"{d['claim_no']}  {d['person']} ({d['id_number']}) {d['division']}  {kind_label(d['kind'], 'en')}"
             f"  {on_its_own(status_label(d['status'], 'en'), True)}",
             f"Product: {d['product_name_en'] or d['product_name']} (policy year {d['policy_year']})"
             f"  Incident: {d['incident_on']}  Reported: {d['reported_on'] or 'not yet'} {d['report_number'] or ''}",
             f"Claimed {format_fen(d['claimed_fen'])}  Paid {format_fen(d['paid_fen'])}"
             f"{'  Green channel' if d['green_channel'] else ''}{'  Home visit' if d['home_visit'] else ''}"]
    limit = d["limit"]
    if limit and limit["cap_days"]:
        lines.append(f"Hospital-care days: {limit['used_days']} used, {limit['left_days']} left"
                     f" ({limit['cap_days']} a year)")
    elif limit:
        lines.append(f"Limit {format_fen(limit['cap_fen'])}: paid {format_fen(limit['used_fen'])},"
                     f" in progress {format_fen(limit['pending_fen'])}, left {format_fen(limit['left_after_pending_fen'])}")
    lines.append("Documents: " + "  ".join(("☑" if c["received"] else "□") + c["label_en"] for c in d["checklist"]))
    lines += [f"  {e['on']}  {on_its_own(status_label(e['status'], 'en'), True)}  {e['note']} ({e['author']})" for e in d["timeline"]]
    return "\n".join(lines)
