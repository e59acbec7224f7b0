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
from fpdesk.core.language import english, pick

COMMANDS = {
    "print": "打印参保凭证、收据、花名册（PDF）/ print certificates, receipts and rosters as PDF",
    "verify": "离线核验凭证或名册二维码 / verify a certificate's or roster's QR code offline",
}
KINDS = {"certificates": "参保凭证", "receipts": "收据", "roster": "花名册"}
KINDS_EN = {"certificates": "certificates", "receipts": "receipts", "roster": "rosters"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2]
    if parser.prog.split()[-1] == "verify":
        parser.add_argument("payload", metavar="PAYLOAD", help=pick(
            "二维码内容（扫码枪录入的文字）", "the QR code's text (as a scanner types it)"))
        return
    parser.add_argument("what", choices=sorted(KINDS), help=pick(
        "certificates 参保凭证 / receipts 收据 / roster 花名册", "certificates / receipts / roster"))
    parser.add_argument("--year", type=int, required=True, metavar="Y", help=pick("保险年度", "policy year"))
    parser.add_argument("--product", metavar="P", help=pick(
        "产品代码（默认该年度全部产品）", "product code (default: every product of the year)"))
    parser.add_argument("--scope", metavar="CODE", help=pick(
        "区划代码：只打印该乡镇、村或村民小组", "division code: print only this township, village or villager group"))
    parser.add_argument("--out", required=True, metavar="FILE.pdf", help=pick("输出的 PDF 文件", "the PDF file to write"))
    parser.add_argument("--paper", help=pick(
        "纸张：凭证 A4（默认）或 A5；收据 A5（默认）或 continuous（241×93毫米针式打印纸）",
        "paper: certificates A4 (default) or A5; receipts A5 (default) or continuous (241×93 mm dot-matrix paper)"))
    parser.add_argument("--unprinted", action="store_true", help=pick(
        "只打印从未打印过的参保凭证", "only certificates never printed before"))
    parser.add_argument("--paid-on", metavar="DATE", help=pick(
        "只打印这一天收款的收据（如今天的收据）", "only the receipts of money received that day (e.g. today's)"))
    parser.add_argument("--receipt", action="append", metavar="NO", help=pick(
        "只打印这张收据（可重复）", "only this receipt (may be repeated)"))


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
        if english():
            lines = [f"Made {result.documents} {KINDS_EN[args.what]}, {result.pages} pages: {result.path}"
                     f" ({result.seconds:.1f} s)"]
            if result.reprints:
                lines.append(f"  {result.reprints} of them reprints.")
            if result.voided:
                lines.append(f"  {result.voided} of them void receipts (they keep their numbers, marked void).")
            return "\n".join(lines)
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
        if english():
            return _verification_en(verification)
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


def _verification_en(verification) -> str:
    from fpdesk.core import enrollment_states as states

    lines = [verification.message_en]
    claims = verification.claims or {}
    if claims.get("kind") == "C":
        lines.append(f"  Certificate {claims['number']}  product {claims['product']}  "
                     f"period {claims['period_start']}–{claims['period_end']}  holder {claims['holder'] or '—'}")
    elif claims.get("kind") == "R":
        lines.append(f"  Roster {claims['number']}  product {claims['product']}  year {claims['year']}  "
                     f"division {claims['scope']}  {claims['persons']} persons  premium"
                     f" {int(claims['premium_fen']) / 100:.2f} yuan")
    if claims:
        lines.append(f"  Issuing office code {claims['office_code']} (key {claims['key_number']})")
    record = verification.record
    if record:
        status = f"; status now: {states.label_en(record['status'])}" if "status" in record else ""
        lines.append(f"  This computer's record: first printed {record['first_printed_at']}{status}")
    return "\n".join(lines)
