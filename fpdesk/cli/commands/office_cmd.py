"""fpdesk office add | revoke | list — pairing child offices and revoking lost laptops.

    fpdesk office add --code CODE --level LEVEL --name NAME --out INVITE   (prints the pairing code;
                                                                           --json: {"pairing_code": …})
    fpdesk office revoke --code CODE [--device ID]
    fpdesk office list
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.core.language import english, pick

COMMANDS = {"office": "登记下级单位（邀请文件+配对码）、注销设备、列出单位 / pair and revoke offices"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="office_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    add = actions.add_parser("add", parents=[common],
                             help=action_help("登记下级单位，生成邀请文件和一次性配对码 / invite a child office"))
    add.add_argument("--code", required=True, metavar="CODE", help=pick(
        "下级单位区划代码（乡镇9位、村12位）", "the child office's division code (township 9 digits, village 12)"))
    add.add_argument("--level", required=True, choices=["township", "village"], metavar="LEVEL",
                     help="township | village")
    add.add_argument("--name", required=True, metavar="NAME", help=pick("单位名称，如 罗翠村计生协", "the office's name"))
    add.add_argument("--out", required=True, type=Path, metavar="INVITE", help=pick(
        "邀请文件保存位置", "where to save the invitation file"))
    revoke = actions.add_parser("revoke", parents=[common],
                                help=action_help("注销下级单位的设备（如丢失的电脑）/ revoke a device"))
    revoke.add_argument("--code", required=True, metavar="CODE")
    revoke.add_argument("--device", metavar="ID", help=pick(
        "只注销这台设备（默认该单位的全部设备）", "revoke this device only (default: all of the office's devices)"))
    actions.add_parser("list", parents=[common], help=action_help("列出已登记的单位和设备 / list offices"))


def run(args) -> int:
    from fpdesk.services.opening import open_workspace
    workspace = open_workspace(database_url(args))
    try:
        if args.office_action == "add":
            return _add(args, workspace)
        if args.office_action == "revoke":
            return _revoke(args, workspace)
        return _list(args, workspace)
    finally:
        workspace.close()


def _add(args, workspace) -> int:
    from fpdesk.services.sync.identity import add_child_office

    invitation = add_child_office(workspace, code=args.code, level=args.level, name=args.name, out=args.out)
    emit(args, {"pairing_code": invitation.pairing_code, "office_code": invitation.office_code,
                "invitation": str(invitation.path)},
         pick(f"已为{invitation.name}（{invitation.office_code}）生成邀请文件：{invitation.path}\n"
              f"配对码（请电话告知或当面交给对方，只能使用一次）：\n{invitation.pairing_code}",
              f"Invitation file for {invitation.name} ({invitation.office_code}): {invitation.path}\n"
              f"Pairing code (tell it by phone or hand it over in person; it works once):\n{invitation.pairing_code}"))
    return EXIT_OK


def _revoke(args, workspace) -> int:
    from fpdesk.services.sync.identity import revoke

    done = revoke(workspace, code=args.code, device=args.device)
    lines = [pick(f"已注销设备 {d['device_id']}（{d['office_code']}），只接收它第 {d['revoked_seq']} 号及以前的修改。",
                  f"Revoked device {d['device_id']} ({d['office_code']}); only its changes up to number"
                  f" {d['revoked_seq']} are accepted.")
             for d in done] or [pick("这些设备已经注销过。", "These devices were already revoked.")]
    emit(args, {"revoked": done}, "\n".join(lines))
    return EXIT_OK


def _list(args, workspace) -> int:
    from fpdesk.services.sync.identity import list_offices

    offices = list_offices(workspace)

    def text() -> str:
        if not offices:
            return pick("还没有登记任何交换单位。", "No exchange offices are registered yet.")
        if english():
            return _list_en(offices)
        status_zh = {"active": "有效", "revoked": "已注销", "invited": "已邀请，待加入"}
        rows = []
        for o in offices:
            last = o["last_imported_at"] or o["last_exported_at"] or "—"
            rows.append(f"{o['office_code']:<12} {o['name']:<14} {o['level']:<9} {status_zh[o['status']]:<6} "
                        f"设备 {o['device_id'] or '—'}  指纹 {o['fingerprint'] or '—'}  最近交换 {last}")
            if o["their_report"]:
                r = o["their_report"]
                rows.append(f"{'':12} 对方导入 {r['package']}：新增 {r['new']}，更新 {r['updated']}，"
                            f"冲突 {r['conflicts']}，疑似重复 {r['duplicates']}，暂缓 {r['held']}，拒收 {r['rejected']}")
        return "\n".join(rows)

    emit(args, {"offices": offices}, text)
    return EXIT_OK


def _list_en(offices) -> str:
    status = {"active": "Active", "revoked": "Revoked", "invited": "Invited, not joined"}
    rows = []
    for o in offices:
        last = o["last_imported_at"] or o["last_exported_at"] or "—"
        rows.append(f"{o['office_code']:<12} {o['name']:<14} {o['level']:<9} {status[o['status']]:<8} "
                    f"device {o['device_id'] or '—'}  fingerprint {o['fingerprint'] or '—'}  last exchange {last}")
        if o["their_report"]:
            r = o["their_report"]
            rows.append(f"{'':12} their import of {r['package']}: {r['new']} new, {r['updated']} updated,"
                        f" {r['conflicts']} conflicts, {r['duplicates']} possible duplicates, {r['held']} held,"
                        f" {r['rejected']} rejected")
    return "\n".join(rows)
