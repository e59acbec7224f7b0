"""fpdesk money — government and employer allocations, cash handed up, and the reconciliation.

    fpdesk money allocate --payer government|employer --voucher NO [--on DATE] [--amount AMOUNT] [--level LEVEL]
                          [--payer-name NAME] (--policy-no NO | --product P --year Y [--scope CODE])
    fpdesk money allocations [--year Y]
    fpdesk money void VOUCHER --reason TEXT
    fpdesk money hand-over --collector NAME --amount AMOUNT --year Y [--on DATE] [--to NAME] [--voucher NO]
    fpdesk money reconcile --year Y [--product P]

allocate prints {"ok", "voucher_no", "amount_fen", "allocated_fen", "enrollments", "received",
"difference_fen"}; reconcile prints {"ok", "year", "collectors", "payers", "unpaid", "differences",
"balanced"} and exits 0 whether or not it balances (the differences say what is off).
"""

from __future__ import annotations

import argparse

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.cli.table import render
from fpdesk.core.language import english, pick

COMMANDS = {"money": "拨款、现金上缴与对账 / allocations, cash handed up, reconciliation"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="money_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    allocate = actions.add_parser("allocate", parents=[common],
                                  help=action_help("登记政府或单位拨款（整册） / record an allocation"))
    allocate.add_argument("--payer", required=True, choices=["government", "employer"], help=pick("出资方", "payer"))
    allocate.add_argument("--voucher", required=True, metavar="NO", help=pick(
        "拨款凭证号或文号", "voucher or document number"))
    allocate.add_argument("--on", metavar="DATE", help=pick("拨款日期，默认今天", "allocation date, default today"))
    allocate.add_argument("--amount", metavar="AMOUNT", help=pick(
        "凭证金额（元），默认为应拨金额", "voucher amount (yuan), default: what is owed"))
    allocate.add_argument("--payer-name", default="", metavar="NAME", help=pick(
        "拨款单位，如 城关乡财政所", "who paid, e.g. the township's finance office"))
    allocate.add_argument("--policy-no", metavar="NO", help=pick(
        "上报名册的团单号或上报编号", "the group policy number or hand-up number of the roster"))
    allocate.add_argument("--product", metavar="P", help=pick("险种（不给团单号时）", "product (without a policy number)"))
    allocate.add_argument("--year", type=int, metavar="Y", help=pick(
        "保险年度（不给团单号时）", "policy year (without a policy number)"))
    allocate.add_argument("--scope", metavar="CODE", help=pick(
        "区划代码：村、单位或乡镇（不给团单号时）",
        "division code: a village, unit or township (without a policy number)"))
    allocate.add_argument("--level", metavar="LEVEL",
                          choices=["province", "prefecture", "county", "township", "village", "insurer_discount"],
                          help=pick("只结算保费中这一级的份额（多级分担的产品），如 county 县级财政",
                                    "settle only this level's part of the premium (products shared among levels),"
                                    " e.g. county"))
    listing = actions.add_parser("allocations", parents=[common], help=action_help("列出拨款 / list allocations"))
    listing.add_argument("--year", type=int, metavar="Y")
    void = actions.add_parser("void", parents=[common], help=action_help("作废一笔拨款 / void an allocation"))
    void.add_argument("voucher", metavar="VOUCHER")
    void.add_argument("--reason", required=True)
    void.add_argument("--on", metavar="DATE")
    handover = actions.add_parser("hand-over", parents=[common], help=action_help("收款人上缴现金 / cash handed up"))
    handover.add_argument("--collector", required=True, metavar="NAME", help=pick(
        "收款人（开收据的人）", "collector (who made out the receipts)"))
    handover.add_argument("--amount", required=True, metavar="AMOUNT", help=pick("上缴金额（元）", "amount handed up (yuan)"))
    handover.add_argument("--year", type=int, required=True, metavar="Y", help=pick("保险年度", "policy year"))
    handover.add_argument("--on", metavar="DATE", help=pick("上缴日期，默认今天", "date handed up, default today"))
    handover.add_argument("--to", default="", metavar="NAME", help=pick("接收人", "received by"))
    handover.add_argument("--voucher", default="", metavar="NO", help=pick("上缴凭证号", "voucher number"))
    reconcile = actions.add_parser("reconcile", parents=[common], help=action_help("对账 / reconciliation"))
    reconcile.add_argument("--year", type=int, required=True, metavar="Y")
    reconcile.add_argument("--product", metavar="P")


def _date(value):
    from fpdesk.core.dates import parse_date

    return parse_date(value) if value else None


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        return _ACTIONS[args.money_action](args, workspace)
    finally:
        workspace.close()


def _allocate(args, workspace) -> int:
    from fpdesk.core.errors import DomainError
    from fpdesk.core.money import format_fen, yuan_to_fen
    from fpdesk.services.enrollment.allocations import allocate

    if not args.policy_no and not (args.product and args.year):
        raise DomainError("bad_argument", {"detail": "请给出 --policy-no，或 --product 和 --year",
                                           "detail_en": "give --policy-no, or --product and --year"})
    result = allocate(workspace, payer=args.payer, voucher_no=args.voucher, on=_date(args.on),
                      amount_fen=yuan_to_fen(args.amount) if args.amount else None, payer_name=args.payer_name,
                      roster=args.policy_no, product=args.product, year=args.year, scope=args.scope,
                      level=args.level)

    def text() -> str:
        line = pick(f"已登记拨款 {result.voucher_no}：{format_fen(result.amount_fen)}，结算 {result.enrollments} 户的"
                    f"保费 {format_fen(result.allocated_fen)}；{result.received} 户保费已收齐。",
                    f"Allocation {result.voucher_no} recorded: {format_fen(result.amount_fen)}, settling the premiums"
                    f" of {result.enrollments} households, {format_fen(result.allocated_fen)}; {result.received}"
                    " households' premiums are now received in full.")
        if result.difference_fen:
            line += pick(f"\n凭证金额比应拨多 {format_fen(result.difference_fen)}，对账时列出。",
                         f"\nThe voucher is {format_fen(result.difference_fen)} more than what is owed; the"
                         " reconciliation lists it.")
        return line

    emit(args, {"ok": True, **result.as_dict()}, text)
    return EXIT_OK


def _allocations(args, workspace) -> int:
    from fpdesk.core.money import format_fen
    from fpdesk.services.enrollment.allocations import list_allocations

    rows = list_allocations(workspace, year=args.year)
    emit(args, {"ok": True, "allocations": rows}, lambda: render(
        pick(["凭证号", "出资", "拨款单位", "日期", "金额", "结算保费", "险种", "年度", "作废"],
             ["Voucher no.", "Payer", "Paid by", "Date", "Amount", "Premiums settled", "Product", "Year", "Voided"]),
        [[r["voucher_no"], _payer_word(r["payer"], english=english()), r["payer_name"], r["allocated_on"],
          format_fen(r["amount_fen"]), format_fen(r["allocated_fen"]), r["product"], r["year"], pick("是", "Yes") if r["voided"] else ""]
         for r in rows]))
    return EXIT_OK


def _void(args, workspace) -> int:
    from fpdesk.services.enrollment.allocations import void_allocation

    result = void_allocation(workspace, args.voucher, reason=args.reason, on=_date(args.on))
    emit(args, {"ok": True, "voucher_no": args.voucher, "changes": len(result.changes)},
         pick(f"拨款 {args.voucher} 已作废；它结算的保费重新计为待拨款。",
              f"Allocation {args.voucher} is void; the premiums it settled await an allocation again."))
    return EXIT_OK


def _hand_over(args, workspace) -> int:
    from fpdesk.core.money import format_fen, yuan_to_fen
    from fpdesk.services.enrollment.reconciliation import record_handover

    amount = yuan_to_fen(args.amount)
    record_handover(workspace, collector=args.collector, amount_fen=amount, year=args.year, on=_date(args.on),
                    received_by=args.to, voucher_no=args.voucher)
    emit(args, {"ok": True, "collector": args.collector, "amount_fen": amount, "year": args.year},
         pick(f"已登记 {args.collector} 上缴 {format_fen(amount)}（{args.year}年度）。",
              f"Recorded: {args.collector} handed up {format_fen(amount)} (policy year {args.year})."))
    return EXIT_OK


def _reconcile(args, workspace) -> int:
    from fpdesk.core.money import format_fen
    from fpdesk.services.enrollment.reconciliation import reconcile

    report = reconcile(workspace, year=args.year, product=args.product)

    def text() -> str:
        if english():
            return _reconciliation_en(report)
        parts = [f"{report.year}年度对账" + (f"（{report.product}）" if report.product else ""), "现金（按收款人）："]
        parts.append(render(["收款人", "收据", "收款", "退款", "已上缴", "未上缴"],
                            [[c.collector, c.receipts, format_fen(c.received_fen), format_fen(c.refunded_fen),
                              format_fen(c.handed_over_fen), format_fen(c.held_fen)] for c in report.collectors]))
        parts.append("拨款（政府投保、单位投保）：")
        parts.append(render(["出资", "应拨", "已拨", "退回", "待拨", "户数", "待拨户"],
                            [[_payer_word(p.payer), format_fen(p.owed_fen), format_fen(p.allocated_fen), format_fen(p.refunded_fen),
                              format_fen(p.outstanding_fen), p.enrollments, p.waiting] for p in report.payers]))
        parts.append("差异：" if report.differences else "账目相符，没有差异。")
        parts += [f"  {zh}" for zh, _ in report.differences]
        return "\n".join(parts)

    emit(args, {"ok": True, **report.as_dict()}, text)
    return EXIT_OK


_ACTIONS = {"allocate": _allocate, "allocations": _allocations, "void": _void, "hand-over": _hand_over,
            "reconcile": _reconcile}


def _reconciliation_en(report) -> str:
    from fpdesk.core.money import format_fen

    parts = [f"Reconciliation of policy year {report.year}" + (f" ({report.product})" if report.product else ""),
             "Cash (by collector):",
             render(["Collector", "Receipts", "Received", "Refunded", "Handed up", "Not handed up"],
                    [[c.collector, c.receipts, format_fen(c.received_fen), format_fen(c.refunded_fen),
                      format_fen(c.handed_over_fen), format_fen(c.held_fen)] for c in report.collectors]),
             "Allocations (government-paid, employer-paid):",
             render(["Payer", "Owed", "Allocated", "Returned", "Outstanding", "Households", "Waiting"],
                    [[_payer_word(p.payer, english=True), format_fen(p.owed_fen), format_fen(p.allocated_fen),
                      format_fen(p.refunded_fen), format_fen(p.outstanding_fen), p.enrollments, p.waiting]
                     for p in report.payers]),
             "Differences:" if report.differences else "The accounts agree; no differences."]
    parts += [f"  {en}" for _, en in report.differences]
    return "\n".join(parts)


def _payer_word(payer: str, *, english: bool = False) -> str:
    if english:
        return {"government": "Government", "employer": "Employer", "self": "Family"}.get(payer, payer)
    return {"government": "政府", "employer": "单位", "self": "家庭"}.get(payer, payer)
