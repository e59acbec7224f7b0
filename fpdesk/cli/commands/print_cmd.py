"""fpdesk print certificates|receipts|roster, fpdesk verify PAYLOAD

    fpdesk print certificates --year Y [--product P] [--scope CODE] --out FILE.pdf [--paper A4|A5] [--unprinted]
    fpdesk print receipts --year Y [--product P] [--scope CODE] --out FILE.pdf [--paper A5|continuous]
                          [--paid-on DATE] [--receipt NO …]
    fpdesk print roster --year Y [--product P] [--scope CODE] --out FILE.pdf
    fpdesk verify PAYLOAD        the text of a certificate's or roster's QR code

``--scope`` is a division code (township, village or villager group); everything under it is
printed. Every printed document is recorded in the print log (a second print is a reprint).
Exit codes: print — 0 written, 1 refused (nothing to print, bad paper …), 2 usage;
verify — 0 genuine, 1 altered / unknown office / not a payload, 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt

from fpdesk.cli.output import EXIT_OK, EXIT_REFUSED, database_url, emit

COMMANDS = {
    "print": "打印参保凭证、收据、花名册（PDF）/ print certificates, receipts and rosters as PDF",
    "verify": "离线核验凭证或名册二维码 / verify a certificate's or roster's QR code offline",
}
KINDS = {"certificates": "参保凭证", "receipts": "收据", "roster": "花名册"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2]
    if parser.prog.split()[-1] == "verify":
        parser.add_argument("payload", metavar="PAYLOAD", help="二维码内容（扫码枪录入的文字）")
        return
    parser.add_argument("what", choices=sorted(KINDS), help="certificates 参保凭证 / receipts 收据 / roster 花名册")
    parser.add_argument("--year", type=int, required=True, metavar="Y", help="保险年度")
    parser.add_argument("--product", metavar="P", help="产品代码（默认该年度全部产品）")
    parser.add_argument("--scope", metavar="CODE", help="区划代码：只打印该乡镇、村或村民小组")
    parser.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    parser.add_argument("--paper", help="纸张：凭证 A4（默认）或 A5；收据 A5（默认）或 continuous（241×93毫米针式打印纸）")
    parser.add_argument("--unprinted", action="store_true", help="只打印从未打印过的参保凭证")
    parser.add_argument("--paid-on", metavar="DATE", help="只打印这一天收款的收据（如今天的收据）")
    parser.add_argument("--receipt", action="append", metavar="NO", help="只打印这张收据（可重复）")


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.command == "verify":
            return _verify(args, workspace)
        return _print(args, workspace)
    finally:
        workspace.close()


def _print(args, workspace) -> int:
    from fpdesk.core.errors import DomainError
    from fpdesk.services.printouts import jobs as printouts
    from fpdesk.services.printouts.data import Selection

    selection = Selection(year=args.year, product=args.product, scope=args.scope)
    if args.what == "certificates":
        result = printouts.print_certificates(workspace, out=args.out, selection=selection, paper=args.paper or "A4",
                                              unprinted_only=args.unprinted)
    elif args.what == "receipts":
        try:
            paid_on = dt.date.fromisoformat(args.paid_on) if args.paid_on else None
        except ValueError:
            raise DomainError("bad_date", {"value": args.paid_on}) from None
        result = printouts.print_receipts(workspace, out=args.out, selection=selection, paper=args.paper or "A5",
                                          paid_on=paid_on, receipt_numbers=args.receipt)
    else:
        result = printouts.print_roster(workspace, out=args.out, selection=selection)

    def text() -> str:
        lines = [f"已生成{KINDS[args.what]} {result.documents} 份，共 {result.pages} 页：{result.path}"
                 f"（用时 {result.seconds:.1f} 秒）"]
        if result.reprints:
            lines.append(f"  其中补打 {result.reprints} 份。")
        if result.voided:
            lines.append(f"  其中作废收据 {result.voided} 张（号码保留，印有“作废”）。")
        return "\n".join(lines)

    emit(args, {"ok": True, **result.as_dict()}, text)
    return EXIT_OK


def _verify(args, workspace) -> int:
    from fpdesk.services.trust.office_keys import verify_payload

    verification = verify_payload(workspace, args.payload)

    def text() -> str:
        lines = [verification.message_zh]
        claims = verification.claims or {}
        if claims.get("kind") == "C":
            lines.append(f"  参保凭证 {claims['number']}  险种 {claims['product']}  "
                         f"保险期间 {claims['period_start']}–{claims['period_end']}  户主 {claims['holder'] or '—'}")
        elif claims.get("kind") == "R":
            lines.append(f"  花名册 {claims['number']}  险种 {claims['product']}  年度 {claims['year']}  "
                         f"区划 {claims['scope']}  {claims['persons']} 人  保费 {int(claims['premium_fen']) / 100:.2f} 元")
        if claims:
            lines.append(f"  出具单位代码 {claims['office_code']}（密钥 {claims['key_number']}）")
        record = verification.record
        if record:
            status = f"，当前状态：{record['status_zh']}" if "status_zh" in record else ""
            lines.append(f"  本机记录：首次打印于 {record['first_printed_at']}{status}")
        return "\n".join(lines)

    emit(args, {"ok": verification.genuine, **verification.as_dict()}, text)
    return EXIT_OK if verification.genuine else EXIT_REFUSED
