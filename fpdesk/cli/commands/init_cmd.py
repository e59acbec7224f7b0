"""fpdesk init --office-code CODE --office-level village|township|county --office-name NAME
   fpdesk init --invite INVITE --pairing-code CODE   (join as the office the parent invited)"""

from __future__ import annotations

from pathlib import Path

from fpdesk.cli.output import EXIT_OK, database_url, emit
from fpdesk.core.language import pick

EXIT_USAGE = 2


def add_arguments(parser) -> None:
    parser.add_argument("--office-code", help=pick(
        "区划代码：县6位、乡镇9位、村12位", "division code: county 6 digits, township 9, village 12"))
    parser.add_argument("--office-level", choices=["village", "township", "county"])
    parser.add_argument("--office-name", help=pick("单位名称，如 城关乡计生协", "the office's name"))
    parser.add_argument("--invite", type=Path, metavar="INVITE", help=pick(
        "上级单位给的邀请文件", "the invitation file from the parent office"))
    parser.add_argument("--pairing-code", metavar="CODE", help=pick(
        "上级单位告知的配对码", "the pairing code the parent office gave"))


def run(args) -> int:
    import sys

    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import init_office

    if args.invite is not None or args.pairing_code is not None:
        if args.invite is None or args.pairing_code is None:
            print(pick("错误：--invite 和 --pairing-code 要一起使用。", "Error: --invite and --pairing-code go together."),
                  file=sys.stderr)
            return EXIT_USAGE
    elif not (args.office_code and args.office_level and args.office_name):
        print(pick("错误：请给出 --office-code、--office-level、--office-name，或用 --invite 和 --pairing-code 加入上级单位。",
                   "Error: give --office-code, --office-level and --office-name, or join a parent office with"
                   " --invite and --pairing-code."), file=sys.stderr)
        return EXIT_USAGE
    workspace = open_workspace(database_url(args, creates=True))
    try:
        if args.invite is not None:
            from fpdesk.services.sync.identity import join_by_invitation

            join_by_invitation(workspace, args.invite, args.pairing_code)
        else:
            init_office(workspace, code=args.office_code, level=args.office_level, name=args.office_name)
        office = workspace.require_office()
        payload = {"ok": True, "office": {"code": office.code, "level": office.level.value, "name": office.name,
                                          "device_id": office.device_id},
                   "database": workspace.db.display_name}
        emit(args, payload, pick(f"已设置本机单位：{office.name}（{office.code}，{office.level.label_zh}）\n"
                                 f"数据库：{workspace.db.display_name}",
                                 f"This computer's office: {office.name} ({office.code}, {office.level.label_en})\n"
                                 f"Database: {workspace.db.display_name}"))
    finally:
        workspace.close()
    return EXIT_OK
