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

from fpdesk.cli.commands.enroll_details import details_text
from fpdesk.cli.output import EXIT_OK, EXIT_REFUSED, action_help, database_url, emit
from fpdesk.core.errors import DomainError
from fpdesk.core.language import english, pick

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
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2] + pick(
        "\n\n退出码：0 完成，1 拒绝（原因见提示），2 用法错误。",
        "\n\nExit codes: 0 done, 1 refused (the message says why), 2 usage error.")
    parser.add_argument("--household", metavar="UUID", help=pick("家庭户编号", "household id"))
    parser.add_argument("--head-id", metavar="ID", help=pick(
        "户主（或本户成员）身份证号码", "ID number of the household head (or a member)"))
    parser.add_argument("--product", metavar="CODE", help=pick(
        "产品代码，如 fp_family_accident_100", "product code, e.g. fp_family_accident_100"))
    parser.add_argument("--year", type=int, metavar="Y", help=pick("保险年度", "policy year"))
    parser.add_argument("--payer", choices=["government", "self", "employer"], help=pick(
        "缴费方式：政府投保、自主投保或单位投保（默认按家庭类别）",
        "who pays: government-paid, self-paid or employer-paid (default: by the household's categories)"))
    parser.add_argument("--member", action="append", metavar="REF", help=pick(
        "参保成员（身份证号、姓名或人员编号，可重复；默认全部在册成员）",
        "a member to insure (ID number, name or person id; may be repeated; default: every registered member)"))
    parser.add_argument("--exclude", action="append", default=[], metavar="REF", help=pick(
        "明确不参保的成员（可重复）", "a member not to insure (may be repeated)"))
    parser.add_argument("--on", metavar="DATE", help=pick(
        "登记（交费）日期，默认今天；补录往年名册填当年日期",
        "enrollment (payment) date, default today; for an old roster typed in later, the date of that year"))
    parser.add_argument("--shares", type=int, default=1, help=pick("份数（默认1）", "shares (default 1)"))
    parser.add_argument("--unit", metavar="CODE", help=pick(
        "通过机关单位渠道登记：单位区划代码", "enroll through an agency unit: the unit's division code"))
    parser.add_argument("--consent-by", metavar="NAME", help=pick(
        "同意参保的人（本人或监护人）", "who consented (the person or a guardian)"))
    parser.add_argument("--consent-method", default="signed_form",
                        choices=["signed_form", "verbal", "guardian", "imported_roster"],
                        help=pick("同意方式", "how consent was given"))
    parser.add_argument("--field", action="append", default=[], metavar="KEY=VALUE", help=pick(
        "登记表字段，如 health_declaration=是 beneficiary_type=法定（见 fpdesk products show）",
        "an enrollment form field, e.g. health_declaration=yes (see fpdesk products show)"))
    parser.add_argument("--pay", metavar="AMOUNT", help=pick(
        "同时收取保费（元），并开收据", "receive the premium (yuan) at once and make out a receipt"))
    parser.add_argument("--payer-name", default="", metavar="NAME", help=pick("交款人", "who paid"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    common.add_argument("--product", default=argparse.SUPPRESS, metavar="CODE", help=pick(
        "按产品缩小查找范围", "narrow the search to this product"))
    common.add_argument("--year", type=int, default=argparse.SUPPRESS, metavar="Y", help=pick(
        "按保险年度缩小查找范围", "narrow the search to this policy year"))
    common.add_argument("--on", default=argparse.SUPPRESS, metavar="DATE", help=pick("日期，默认今天", "date, default today"))
    actions = parser.add_subparsers(dest="enroll_action", metavar="ACTION")
    for name, help_text in _ACTIONS.items():
        sub = actions.add_parser(name, parents=[common], help=action_help(help_text), description=action_help(help_text))
        roster = name in ("hand-up", "confirm")  # a whole roster, when no REF is given
        sub.add_argument("ref", metavar="RECEIPT" if name == "void" else "REF", nargs="?" if roster else None,
                         help=pick("收据号", "receipt number") if name == "void" else pick(
                             "参保记录编号、收据号或身份证号码", "enrollment id, receipt number or ID number"))
        if name == "hand-up":
            sub.add_argument("--roster", metavar="CODE", help=pick(
                "整册上报：村（社区）、单位或乡镇的区划代码（须同时给 --product 和 --year）",
                "hand up a whole roster: the division code of a village, unit or township (with --product and --year)"))
            sub.add_argument("--policy-no", metavar="NO", help=pick(
                "团单号（整册上报时）", "group policy number (for a whole roster)"))
            sub.add_argument("--exclude", action="append", default=[], metavar="REF", help=pick(
                "整册上报时不报的参保记录（编号或户主身份证号，可重复）",
                "an enrollment to leave off the roster (id or the head's ID number; may be repeated)"))
        if name == "confirm":
            sub.add_argument("--roster", metavar="NUMBER", help=pick(
                "上报编号（上报时还没有团单号时）", "hand-up number (when there was no policy number at hand-up)"))
            sub.add_argument("--except", dest="exceptions", action="append", default=[], metavar="ID[=REASON]",
                             help=pick("保险公司未承保的人：身份证号，可加“=原因”（可重复）",
                                       "a person the insurer did not accept: ID number, optionally =reason"
                                       " (may be repeated)"))
        if name == "pay":
            sub.add_argument("--amount", required=True, help=pick(
                "金额（元），须等于应收保费", "amount (yuan), equal to the premium due"))
            sub.add_argument("--payer-name", default="", help=pick("交款人", "who paid"))
        if name in ("void", "cancel", "refund", "remove"):
            sub.add_argument("--reason", required=True, help=pick("原因", "reason"))
        if name == "refund":
            sub.add_argument("--amount", help=pick(
                "退款金额（元），默认全部已收保费", "amount refunded (yuan), default: all the premium received"))
        if name == "confirm":
            sub.add_argument("--policy-number", "--policy-no", dest="policy_number", help=pick(
                "保单号（团单号）", "policy number (group policy number)"))
        if name in ("add", "remove"):
            sub.add_argument("--person", required=True, help=pick(
                "成员：身份证号、姓名或人员编号", "the member: ID number, name or person id"))


def _usage(message: str) -> int:
    print(pick(f"用法错误：{message}（fpdesk enroll --help）", f"Usage error: {message} (fpdesk enroll --help)"),
          file=sys.stderr)
    return EXIT_USAGE


def _date(value):
    from fpdesk.core.dates import parse_date

    return parse_date(value) if value else None


def _fields(pairs: list[str]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise DomainError("bad_argument", {"detail": f"--field {pair!r} 应写成 KEY=VALUE",
                                               "detail_en": f"--field {pair!r}: write KEY=VALUE"})
        result[key.strip()] = value.strip()
    return result


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    if args.enroll_action is None and not (args.product and args.year and (args.household or args.head_id)):
        return _usage(pick("登记参保需要 --product、--year 和 --household 或 --head-id",
                           "enrolling needs --product, --year and --household or --head-id"))
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
    print(pick(f"错误 [{error.code}]：{error.message_zh}", f"Error [{error.code}]: {error.message_en}"), file=sys.stderr)
    return EXIT_REFUSED


def _enroll(args, workspace) -> int:
    import uuid

    from fpdesk.core.money import yuan_to_fen
    from fpdesk.services.enrollment.enrolling import enroll
    from fpdesk.services.enrollment.status import enrollment_details

    try:
        household_id = uuid.UUID(args.household) if args.household else None
    except ValueError:
        return _usage(pick(f"--household {args.household!r} 不是户编号", f"--household {args.household!r} is not a household id"))
    result = enroll(
        workspace, product=args.product, year=args.year, household_id=household_id, head_id_number=args.head_id,
        members=args.member, exclude=args.exclude, payer=args.payer, shares=args.shares, on=_date(args.on),
        consent_by=args.consent_by or "", consent_method=args.consent_method, form_values=_fields(args.field),
        unit_code=args.unit, pay_fen=yuan_to_fen(args.pay) if args.pay else None, payer_name=args.payer_name)
    details = enrollment_details(workspace, result.enrollment_id)
    payload = {"ok": True, "enrollment": details, "receipt_no": result.receipt_no,
               "warnings": [w.as_dict() for w in result.warnings], "changes": len(result.changes)}
    emit(args, payload, lambda: details_text(details, result.warnings, result.receipt_no))
    return EXIT_OK


def _action(args, workspace) -> int:
    from fpdesk.core.money import yuan_to_fen
    from fpdesk.services.enrollment import members, status

    action, on = args.enroll_action, _date(getattr(args, "on", None))
    if action in ("hand-up", "confirm") and not args.ref:
        return _roster_action(args, workspace, on)
    if action == "confirm" and not args.policy_number:
        return _usage(pick("录入承保需要 --policy-number", "confirming needs --policy-number"))
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
                return _usage(pick("减少被保险人需要 --on 日期", "removing an insured person needs --on DATE"))
            result = members.remove_insured(workspace, enrollment_id, args.person, on=on, reason=args.reason)
        else:
            result = None
    details = status.enrollment_details(workspace, enrollment_id)
    payload = {"ok": True, "action": action, "enrollment": details, "receipt_no": receipt_no,
               "changes": len(result.changes) if result is not None else 0}
    emit(args, payload, lambda: details_text(details, (), receipt_no))
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
            return _usage(pick("整册上报需要 --roster、--product 和 --year（或给出一条参保记录）",
                               "a whole roster needs --roster, --product and --year (or give one enrollment)"))
        with workspace.read() as session:
            excluded = [status.find_enrollment_id(session, ref, product=product, year=year) for ref in args.exclude]
        result = rosters.hand_up_roster(workspace, product=product, year=year, scope=args.roster,
                                        policy_number=args.policy_no, on=on, exclude=excluded)
        totals = result.totals
        payload = {"ok": True, "action": "hand-up", "roster": result.number, "policy_number": result.policy_number,
                   "handed_up_on": result.handed_up_on, **totals,
                   "enrollments": [str(e) for e in result.enrollment_ids], "changes": len(result.changes)}

        def text() -> str:
            if english():
                return _handed_up_en(result, totals)
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
        return _usage(pick("录入承保需要 --policy-no（团单号）", "confirming needs --policy-no (the group policy number)"))
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
        if english():
            return _confirmed_en(result)
        lines = [f"名册 {result.number} 已录入承保，团单号 {result.policy_number}：{result.confirmed} 户。"]
        lines += [f"  未承保：{e['name']} {e['id_number']}，{e['reason']}"
                  + (f"，退还 {e['refunded']}" if e["refunded"] else "") for e in result.exceptions]
        if result.unconfirmed:
            lines.append(f"  {len(result.unconfirmed)} 户已无被保险人，未录入承保。")
        return "\n".join(lines)

    emit(args, payload, confirmed_text)
    return EXIT_OK


def _handed_up_en(result, totals) -> str:
    from fpdesk.core.money import format_fen

    lines = [f"Roster {result.number} handed up" + (f" (policy number {result.policy_number})" if result.policy_number else "")
             + f", {result.handed_up_on}: {totals['households']} households, {totals['persons']} persons,"
             f" premium {format_fen(totals['premium_fen'])}."]
    if totals["awaiting_allocation_fen"]:
        lines.append(f"  Of it, {format_fen(totals['awaiting_allocation_fen'])} of government-paid or employer-paid"
                     " premiums awaits allocation.")
    if totals["unpaid_households"]:
        lines.append(f"  {totals['unpaid_households']} self-paid households not paid yet"
                     f" ({format_fen(totals['unpaid_fen'])}) are not handed up; hand them up once paid.")
    return "\n".join(lines)


def _confirmed_en(result) -> str:
    lines = [f"Roster {result.number} confirmed, policy number {result.policy_number}: {result.confirmed} households."]
    lines += [f"  Not accepted: {e['name']} {e['id_number']}, {e['reason']}"
              + (f", refunded {e['refunded']}" if e["refunded"] else "") for e in result.exceptions]
    if result.unconfirmed:
        lines.append(f"  {len(result.unconfirmed)} households have nobody insured left and are not confirmed.")
    return "\n".join(lines)
