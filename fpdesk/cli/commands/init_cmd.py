"""fpdesk init --office-code CODE --office-level village|township|county --office-name NAME"""

from __future__ import annotations

from fpdesk.cli.output import EXIT_OK, database_url, emit


def add_arguments(parser) -> None:
    parser.add_argument("--office-code", required=True, help="区划代码：县6位、乡镇9位、村12位")
    parser.add_argument("--office-level", required=True, choices=["village", "township", "county"])
    parser.add_argument("--office-name", required=True, help="单位名称，如 城关乡计生协")


def run(args) -> int:
    from fpdesk.services.workspace import init_office, open_workspace

    workspace = open_workspace(database_url(args))
    try:
        init_office(workspace, code=args.office_code, level=args.office_level, name=args.office_name)
        office = workspace.require_office()
        payload = {"ok": True, "office": {"code": office.code, "level": office.level.value, "name": office.name,
                                          "device_id": office.device_id},
                   "database": workspace.db.display_name}
        emit(args, payload, f"已设置本机单位：{office.name}（{office.code}，{office.level.label_zh}）\n"
                            f"数据库：{workspace.db.display_name}")
    finally:
        workspace.close()
    return EXIT_OK
