"""fpdesk enroll — enroll a household; pay, void, hand up, confirm, cancel, refund; add or remove insured.

    fpdesk enroll --head-id ID | --household UUID --product CODE --year Y [--payer P] [--member REF …]
                  [--exclude REF …] [--on DATE] --consent-by NAME [--field KEY=VALUE …] [--pay AMOUNT]
    fpdesk enroll pay REF --amount AMOUNT          record the premium; prints the receipt number
    fpdesk enroll void RECEIPT --reason TEXT       void a receipt (it keeps its number)
    fpdesk enroll hand-up REF                      paid → handed up (sent on the roster)
    fpdesk enroll hand-up --roster CODE --product P --year Y [--policy-no NO] [--on DATE] [--exclude REF …]
                                                   a village's (unit's, township's) roster in one action
    fpdesk enroll confirm REF --policy-number NO   handed up → confirmed by the insurer
    fpdesk enroll confirm --policy-no NO [--roster NUMBER] [--except ID[=REASON] …] [--on DATE]
                                                   the insurer's confirmation of a whole roster
    fpdesk enroll cancel REF --reason TEXT         withdraw (no money held)
    fpdesk enroll refund REF --reason TEXT         withdraw and pay the premium back
    fpdesk enroll add REF --person P [--on DATE]   insure one more member from the next day
    fpdesk enroll remove REF --person P --on DATE --reason TEXT
    fpdesk enroll show REF                         status, money, insured people, receipts

REF is the enrollment id, a receipt number, or the ID number of the head or an insured person
(``--product`` and ``--year`` narrow it down).
"""

from __future__ import annotations

import argparse
import sys

from fpdesk.cli.output import EXIT_OK, EXIT_REFUSED, database_url, emit
from fpdesk.core.errors import DomainError
from fpdesk.core.language import pick

EXIT_USAGE = 2
COMMANDS = {"enroll": "参保登记、缴费、上报、承保、取消、退保 / enroll a household and manage its enrollment"}

_ACTIONS = {
    "pay": "收取保费并开收据 / record the premium and issue a receipt",
    "void": "作废收据（号码保留）/ void a receipt (it keeps its number)",
    "hand-up": "已缴费 → 已上报 / paid → handed up",
    "confirm": "已上报 → 已承保（保单号）/ handed up → confirmed (policy number)",
    "cancel": "取消参保（未收保费）/ cancel (no money held)",
    "refund": "退保并退还保费 / refund",
    "add": "增加被保险人 / add an insured member",
    "remove": "减少被保险人 / remove an insured member",
    "show": "查看参保记录 / show an enrollment",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2] + \
        "\n\n退出码：0 完成，1 拒绝（原因见提示），2 用法错误。"
    parser.add_argument("--household", metavar="UUID", help="家庭户编号")
    parser.add_argument("--head-id", metavar="ID", help="户主（或本户成员）身份证号码")
    parser.add_argument("--product", metavar="CODE", help="产品代码，如 fp_family_accident_100")
    parser.add_argument("--year", type=int, metavar="Y", help="保险年度")
    parser.add_argument("--payer", choices=["government", "self", "employer"],
                        help="缴费方式：政府投保、自主投保或单位投保（默认按家庭类别）")
    parser.add_argument("--member", action="append", metavar="REF",
                        help="参保成员（身份证号、姓名或人员编号，可重复；默认全部在册成员）")
    parser.add_argument("--exclude", action="append", default=[], metavar="REF", help="明确不参保的成员（可重复）")
    parser.add_argument("--on", metavar="DATE", help="登记（交费）日期，默认今天；补录往年名册填当年日期")
    parser.add_argument("--shares", type=int, default=1, help="份数（默认1）")
    parser.add_argument("--unit", metavar="CODE", help="通过机关单位渠道登记：单位区划代码")
    parser.add_argument("--consent-by", metavar="NAME", help="同意参保的人（本人或监护人）")
    parser.add_argument("--consent-method", default="signed_form",
                        choices=["signed_form", "verbal", "guardian", "imported_roster"], help="同意方式")
    parser.add_argument("--field", action="append", default=[], metavar="KEY=VALUE",
                        help="登记表字段，如 health_declaration=是 beneficiary_type=法定（见 fpdesk products show）")
    parser.add_argument("--pay", metavar="AMOUNT", help="同时收取保费（元），并开收据")
    parser.add_argument("--payer-name", default="", metavar="NAME", help="交款人")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    common.add_argument("--product", default=argparse.SUPPRESS, metavar="CODE", help="按产品缩小查找范围")
    common.add_argument("--year", type=int, default=argparse.SUPPRESS, metavar="Y", help="按保险年度缩小查找范围")
    common.add_argument("--on", default=argparse.SUPPRESS, metavar="DATE", help="日期，默认今天")
    actions = parser.add_subparsers(dest="enroll_action", metavar="ACTION")
    for name, help_text in _ACTIONS.items():
        sub = actions.add_parser(name, parents=[common], help=help_text, description=help_text)
        roster = name in ("hand-up", "confirm")  # a whole roster, when no REF is given
        sub.add_argument("ref", metavar="RECEIPT" if name == "void" else "REF", nargs="?" if roster else None,
                         help="收据号" if name == "void" else "参保记录编号、收据号或身份证号码")
        if name == "hand-up":
            sub.add_argument("--roster", metavar="CODE",
                             help="整册上报：村（社区）、单位或乡镇的区划代码（须同时给 --product 和 --year）")
            sub.add_argument("--policy-no", metavar="NO", help="团单号（整册上报时）")
            sub.add_argument("--exclude", action="append", default=[], metavar="REF",
                             help="整册上报时不报的参保记录（编号或户主身份证号，可重复）")
        if name == "confirm":
            sub.add_argument("--roster", metavar="NUMBER", help="上报编号（上报时还没有团单号时）")
            sub.add_argument("--except", dest="exceptions", action="append", default=[], metavar="ID[=REASON]",
                             help="保险公司未承保的人：身份证号，可加“=原因”（可重复）")
        if name == "pay":
            sub.add_argument("--amount", required=True, help="金额（元），须等于应收保费")
            sub.add_argument("--payer-name", default="", help="交款人")
        if name in ("void", "cancel", "refund", "remove"):
            sub.add_argument("--reason", required=True, help="原因")
        if name == "refund":
            sub.add_argument("--amount", help="退款金额（元），默认全部已收保费")
        if name == "confirm":
            sub.add_argument("--policy-number", "--policy-no", dest="policy_number", help="保单号（团单号）")
        if name in ("add", "remove"):
            sub.add_argument("--person", required=True, help="成员：身份证号、姓名或人员编号")


def _usage(message: str) -> int:
    print(f"用法错误：{message}（fpdesk enroll --help）", file=sys.stderr)
    return EXIT_USAGE


def _date(value):
    from fpdesk.core.dates import parse_date

    return parse_date(value) if value else None


def _fields(pairs: list[str]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise DomainError("bad_argument", {"detail": f"--field {pair!r} 应写成 KEY=VALUE"})
        result[key.strip()] = value.strip()
    return result


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    if args.enroll_action is None and not (args.product and args.year and (args.household or args.head_id)):
        return _usage("登记参保需要 --product、--year 和 --household 或 --head-id")
    workspace = open_workspace(database_url(args))
    try:
        if args.enroll_action is None:
            return _enroll(args, workspace)
        return _action(args, workspace)
    except DomainError as error:
        return _refuse(args, error)
    finally:
        workspace.close()


def _refuse(args, error: DomainError) -> int:
    import json

    if getattr(args, "json", False):
        payload = {"ok": False, "error": {**error.as_dict(), "reasons": error.params.get("reasons", [])}}
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    print(f"错误 [{error.code}]：{error.message_zh}", file=sys.stderr)
    return EXIT_REFUSED


def _enroll(args, workspace) -> int:
    import uuid

    from fpdesk.core.money import yuan_to_fen
    from fpdesk.services.enrollment.enrolling import enroll
    from fpdesk.services.enrollment.status import enrollment_details

    try:
        household_id = uuid.UUID(args.household) if args.household else None
    except ValueError:
        return _usage(f"--household {args.household!r} 不是户编号")
    result = enroll(
        workspace, product=args.product, year=args.year, household_id=household_id, head_id_number=args.head_id,
        members=args.member, exclude=args.exclude, payer=args.payer, shares=args.shares, on=_date(args.on),
        consent_by=args.consent_by or "", consent_method=args.consent_method, form_values=_fields(args.field),
        unit_code=args.unit, pay_fen=yuan_to_fen(args.pay) if args.pay else None, payer_name=args.payer_name)
    details = enrollment_details(workspace, result.enrollment_id)
    payload = {"ok": True, "enrollment": details, "receipt_no": result.receipt_no,
               "warnings": [w.as_dict() for w in result.warnings], "changes": len(result.changes)}
    emit(args, payload, lambda: _details_text(details, result.warnings, result.receipt_no))
    return EXIT_OK


def _action(args, workspace) -> int:
    from fpdesk.core.money import yuan_to_fen
    from fpdesk.services.enrollment import members, status

    action, on = args.enroll_action, _date(getattr(args, "on", None))
    if action in ("hand-up", "confirm") and not args.ref:
        return _roster_action(args, workspace, on)
    if action == "confirm" and not args.policy_number:
        return _usage("录入承保需要 --policy-number")
    receipt_no = None
    if action == "void":
        result = status.void_payment(workspace, args.ref, reason=args.reason, on=on)
        with workspace.read() as session:
            enrollment_id = status.find_enrollment_id(session, args.ref)
    else:
        with workspace.read() as session:
            enrollment_id = status.find_enrollment_id(session, args.ref, product=getattr(args, "product", None),
                                                      year=getattr(args, "year", None))
        if action == "pay":
            result = status.record_payment(workspace, enrollment_id, amount_fen=yuan_to_fen(args.amount),
                                           paid_on=on, payer_name=getattr(args, "payer_name", ""))
            receipt_no = result.receipt_no
        elif action == "hand-up":
            result = status.hand_up(workspace, enrollment_id, on=on)
        elif action == "confirm":
            result = status.confirm(workspace, enrollment_id, policy_number=args.policy_number, on=on)
        elif action == "cancel":
            result = status.cancel(workspace, enrollment_id, reason=args.reason, on=on)
        elif action == "refund":
            result = status.refund(workspace, enrollment_id, reason=args.reason, on=on,
                                   amount_fen=yuan_to_fen(args.amount) if args.amount else None)
        elif action == "add":
            result = members.add_insured(workspace, enrollment_id, args.person, on=on)
        elif action == "remove":
            if on is None:
                return _usage("减少被保险人需要 --on 日期")
            result = members.remove_insured(workspace, enrollment_id, args.person, on=on, reason=args.reason)
        else:
            result = None
    details = status.enrollment_details(workspace, enrollment_id)
    payload = {"ok": True, "action": action, "enrollment": details, "receipt_no": receipt_no,
               "changes": len(result.changes) if result is not None else 0}
    emit(args, payload, lambda: _details_text(details, (), receipt_no))
    return EXIT_OK


def _roster_action(args, workspace, on) -> int:
    """hand-up --roster / confirm --policy-no: a whole roster in one action."""
    from fpdesk.core import idnumber
    from fpdesk.core.money import format_fen
    from fpdesk.services.enrollment import hand_up as rosters
    from fpdesk.services.enrollment import status

    if args.enroll_action == "hand-up":
        product, year = getattr(args, "product", None), getattr(args, "year", None)
        if not (args.roster and product and year):
            return _usage("整册上报需要 --roster、--product 和 --year（或给出一条参保记录）")
        with workspace.read() as session:
            excluded = [status.find_enrollment_id(session, ref, product=product, year=year) for ref in args.exclude]
        result = rosters.hand_up_roster(workspace, product=product, year=year, scope=args.roster,
                                        policy_number=args.policy_no, on=on, exclude=excluded)
        totals = result.totals
        payload = {"ok": True, "action": "hand-up", "roster": result.number, "policy_number": result.policy_number,
                   "handed_up_on": result.handed_up_on, **totals,
                   "enrollments": [str(e) for e in result.enrollment_ids], "changes": len(result.changes)}

        def text() -> str:
            lines = [f"已上报名册 {result.number}" + (f"（团单号 {result.policy_number}）" if result.policy_number else "")
                     + f"，{result.handed_up_on}：{totals['households']} 户 {totals['persons']} 人，"
                     f"保费 {format_fen(totals['premium_fen'])}。"]
            if totals["awaiting_allocation_fen"]:
                lines.append(f"  其中政府投保、单位投保待拨款 {format_fen(totals['awaiting_allocation_fen'])}。")
            if totals["unpaid_households"]:
                lines.append(f"  自主投保未缴费 {totals['unpaid_households']} 户（{format_fen(totals['unpaid_fen'])}）未上报，"
                             "收费后再报。")
            return "\n".join(lines)

        emit(args, payload, text)
        return EXIT_OK
    if not args.policy_number:
        return _usage("录入承保需要 --policy-no（团单号）")
    exceptions = []
    for item in args.exceptions:
        number, _, reason = item.partition("=")
        idnumber.normalise(number)
        exceptions.append((number.strip(), reason.strip()))
    result = rosters.confirm_roster(workspace, policy_number=args.policy_number, roster=args.roster, on=on,
                                    exceptions=exceptions)
    payload = {"ok": True, "action": "confirm", "roster": result.number, "policy_number": result.policy_number,
               "confirmed": result.confirmed, "exceptions": result.exceptions,
               "unconfirmed": [str(e) for e in result.unconfirmed], "changes": len(result.changes)}

    def confirmed_text() -> str:
        lines = [f"名册 {result.number} 已录入承保，团单号 {result.policy_number}：{result.confirmed} 户。"]
        lines += [f"  未承保：{e['name']} {e['id_number']}，{e['reason']}"
                  + (f"，退还 {e['refunded']}" if e["refunded"] else "") for e in result.exceptions]
        if result.unconfirmed:
            lines.append(f"  {len(result.unconfirmed)} 户已无被保险人，未录入承保。")
        return "\n".join(lines)

    emit(args, payload, confirmed_text)
    return EXIT_OK


# how the consent was given, in the words of the paper form (the codes stay in --json)
_CONSENT_WORDS = {"signed_form": "书面签字", "verbal": "口头同意", "guardian": "监护人同意",
                  "renewal_confirmation": "续保确认", "imported_roster": "名册导入"}


def _payer_word(payer: str) -> str:
    return {"government": "政府", "employer": "单位", "self": "家庭"}.get(payer, payer)


def _details_text(d: dict, warnings, receipt_no) -> str:
    from fpdesk.core.money import format_fen
    from fpdesk.core.products import LIABILITY_KINDS
    from fpdesk.core.vocabulary import PayerType

    payer = PayerType(d["payer"]).label_zh if d["payer"] in {p.value for p in PayerType} else d["payer"]
    method = _CONSENT_WORDS.get(d["consent"]["method"], d["consent"]["method"])

    period = (f"{d['period'][0]} 零时至 {d['period'][1]} 二十四时" if d["period"][0]
              else "收到保费的次日零时起一年（尚未收到保费）")
    funded = "、".join(f"{_payer_word(c['payer'])} {format_fen(c['amount_fen'])}" for c in d["contributions"])
    lines = [f"参保记录 {d['id']}",
             f"  产品：{d['product']}    年度：{d['policy_year']}    状态：{d['status_zh']}"
             + (f"（{d['status_reason']}）" if d["status_reason"] else ""),
             f"  保险期间：{period}    缴费方式：{payer}",
             f"  应收：{format_fen(d['premium_fen'])}（{funded}）    已收现金：{format_fen(d['paid_fen'])}"
             + (f"    待收：{format_fen(d['owed_fen'])}" if d["owed_fen"] else "")
             + (f"    已退：{format_fen(d['refunded_fen'])}" if d["refunded_fen"] else ""),
             "  日期：" + "，".join(f"{label} {d[key]}" for key, label in (
                 ("enrolled_on", "登记"), ("received_on", "保费到账"), ("handed_up_on", "上报"), ("issued_on", "承保"))
                 if d[key]),
             f"  同意：{d['consent']['by']}（{d['consent']['on']}，{method}）"]
    if d["cover_gap"]:
        gap = d["cover_gap"]
        lines.append(f"  与上期保障（至 {d['previous_cover_end']}）间断：{gap['first']} 至 {gap['last']}，共 {gap['days']} 天")
    if d["hand_up"]:
        lines.append(f"  上报名册：{d['hand_up']['number']}（{d['hand_up']['handed_up_on']}）")
    if d["policy_number"]:
        lines.append(f"  保单号：{d['policy_number']}")
    for person in d["insured"]:
        sums = "，".join(f"{LIABILITY_KINDS.get(s['kind'], (s['kind'],))[0]} {format_fen(s['amount_fen'])}"
                        for s in person["sums_insured"]
                        if s.get("amount_fen") is not None)
        ended = f"，{person['removed_on']} 减员（{person['removal_reason']}）" if person["removed_on"] else ""
        cover = person["cover"]
        own = f"，保障 {cover[0]} 至 {cover[1]}" if cover[0] and cover[0] != d["period"][0] else ""
        lines.append(f"  被保险人：{person['name']} {person['id_number'] or ''} 自 {person['added_on']}{ended}{own}  {sums}")
    for payment in d["payments"]:
        void = f"  [作废：{payment['void_reason']}]" if payment["voided"] else ""
        lines.append(f"  收据 {payment['receipt_no']}：{format_fen(payment['amount_fen'])}，{payment['paid_on']}{void}")
    for item in d["allocations"]:
        void = "  [作废]" if item["voided"] else ""
        lines.append(f"  拨款 {item['voucher_no']}（{item['payer_name'] or _payer_word(item['payer'])}）："
                     f"{format_fen(item['amount_fen'])}，{item['allocated_on']}{void}")
    for item in d["refunds"]:
        lines.append(f"  退费 {format_fen(item['amount_fen'])} 退给{_payer_word(item['payer'])}，{item['refunded_on']}："
                     f"{item['reason']}")
    if receipt_no:
        lines.append(f"本次收据号：{receipt_no}")
    lines += [f"提示 [{w.code}]：{w.message_zh}" for w in warnings]
    return "\n".join(lines)
