"""fpdesk user add | passwd | list | disable | enable | role — user accounts of this installation.

    fpdesk user add NAME --role data_entry|reviewer|admin|viewer [--display-name TEXT]
    fpdesk user passwd NAME [--recovery-code CODE]
    fpdesk user list
    fpdesk user disable NAME / fpdesk user enable NAME / fpdesk user role NAME ROLE
    fpdesk user encrypt        encrypt the database file (SQLCipher); prints a new recovery code

The new password is read from FPDESK_NEW_PASSWORD or asked twice on a terminal. The first user of a
database must be an administrator and needs no log-in; its recovery code is printed once. Later
commands log in with --user and FPDESK_PASSWORD (or the prompt). Exit 0 done, 1 refused, 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from fpdesk.cli.output import EXIT_OK, action_help, database_url, emit
from fpdesk.cli.table import render
from fpdesk.core.language import english, on_its_own, pick

COMMANDS = {"user": "管理用户：添加、改密码、列出、停用 / manage user accounts"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2]
    actions = parser.add_subparsers(dest="user_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=pick("打印 JSON", "print JSON"))
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=pick("数据库", "database"))
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME", help=pick("以此用户登录", "log in as this user"))
    add = actions.add_parser("add", parents=[common], help=action_help("添加用户 / add a user"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, help=pick(
        "data_entry 录入员 / reviewer 审核员 / admin 管理员 / viewer 只读",
        "data_entry (data entry) / reviewer / admin (administrator) / viewer (read only)"))
    add.add_argument("--display-name", default="", metavar="TEXT", help=pick("姓名", "the person's name"))
    passwd = actions.add_parser("passwd", parents=[common], help=action_help("设置密码 / set a password"))
    passwd.add_argument("name", metavar="NAME")
    passwd.add_argument("--recovery-code", metavar="CODE", help=pick(
        "用安装时打印的恢复码重置（无需登录）", "reset with the recovery code printed at set-up (no log-in needed)"))
    actions.add_parser("list", parents=[common], help=action_help("列出用户 / list users"))
    for action, text in (("disable", "停用用户 / disable a user"), ("enable", "恢复用户 / enable a user")):
        actions.add_parser(action, parents=[common], help=action_help(text)).add_argument("name", metavar="NAME")
    actions.add_parser("encrypt", parents=[common],
                       help=action_help("加密数据库文件（管理员；打印新的恢复码）/ encrypt the database file"))
    role = actions.add_parser("role", parents=[common], help=action_help("更改角色 / change a role"))
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", metavar="ROLE")


def _new_password() -> str:
    from fpdesk.core.errors import DomainError

    password = os.environ.get("FPDESK_NEW_PASSWORD")
    if password is not None:
        return password
    from fpdesk.cli.login import stdin_is_interactive

    no_answer = DomainError("bad_argument", {"detail": "请在环境变量 FPDESK_NEW_PASSWORD 中给出新密码",
                                             "detail_en": "give the new password in the environment variable"
                                                          " FPDESK_NEW_PASSWORD"})
    if not stdin_is_interactive():
        raise no_answer
    try:
        first = getpass.getpass(pick("新密码 / new password: ", "New password: "))
        again = getpass.getpass(pick("再输一次 / again: ", "Again: "))
    except EOFError:
        raise no_answer from None
    if again != first:
        raise DomainError("bad_argument", {"detail": "两次输入的密码不一致",
                                           "detail_en": "the two passwords typed differ"})
    return first


def run(args) -> int:
    from fpdesk.services import opening
    from fpdesk.services.opening import open_workspace

    credentials = None
    if args.user_action == "passwd" and args.recovery_code:
        opening.login_hook = None  # the recovery code stands in for a log-in
        credentials = (opening.RECOVERY, args.recovery_code)  # and unlocks an encrypted file
    workspace = open_workspace(database_url(args), credentials=credentials)
    try:
        return ACTIONS[args.user_action](args, workspace)
    finally:
        workspace.close()


def _add(args, workspace) -> int:
    from fpdesk.services.trust.accounts import add_user

    info, recovery = add_user(workspace, name=args.name, password=_new_password(), role=args.role,
                              display_name=args.display_name)

    def text() -> str:
        lines = [pick(f"已添加用户 {info.name}（{info.as_dict()['role_zh']}）。",
                      f"Added user {info.name} ({_role_en(info.role)}).")]
        if recovery:
            lines += ["", pick("恢复码（忘记所有管理员密码时用它重置，请打印或抄下后妥善保管，只显示这一次）：",
                               "Recovery code (resets a password when every administrator's is forgotten; print or"
                               " copy it and keep it safe, it is shown only this once):"),
                      f"    {recovery}"]
        return "\n".join(lines)

    emit(args, {"ok": True, "user": info.as_dict(), "recovery_code": recovery}, text)
    return EXIT_OK


def _passwd(args, workspace) -> int:
    from fpdesk.services.trust.accounts import change_password

    new_code = change_password(workspace, args.name, _new_password(), recovery_code=args.recovery_code)

    def text() -> str:
        lines = [pick(f"已为 {args.name} 设置新密码。", f"New password set for {args.name}.")]
        if new_code:
            lines.append(pick(f"原恢复码已作废，新的恢复码（请妥善保管）：{new_code}",
                              f"The old recovery code no longer works; the new one (keep it safe): {new_code}"))
        return "\n".join(lines)

    emit(args, {"ok": True, "user": args.name, "recovery_code": new_code}, text)
    return EXIT_OK


def _list(args, workspace) -> int:
    from fpdesk.services.trust.accounts import list_users

    users = [info.as_dict() for info in list_users(workspace)]

    def text() -> str:
        if not users:
            return pick("还没有用户（任何人都可操作；添加第一个管理员：fpdesk user add NAME --role admin）。",
                        "There are no users yet (anyone may work; add the first administrator with"
                        " fpdesk user add NAME --role admin).")
        if english():
            return render(["User name", "Role", "Status", "Name"],
                          [[u["name"], on_its_own(_role_en(u["role"])),
                            "Disabled" if u["disabled"] else "Locked" if u["locked"] else "Active",
                            u["display_name"]] for u in users])
        return render(["用户名", "角色", "状态", "姓名"],
                      [[u["name"], u["role_zh"], "停用" if u["disabled"] else "锁定" if u["locked"] else "正常",
                        u["display_name"]] for u in users])

    emit(args, {"ok": True, "users": users}, text)
    return EXIT_OK


def _disable(args, workspace, disabled: bool = True) -> int:
    from fpdesk.services.trust.accounts import set_disabled

    info = set_disabled(workspace, args.name, disabled)
    emit(args, {"ok": True, "user": info.as_dict()}, pick(f"用户 {info.name} 已{'停用' if disabled else '恢复'}。",
                                                           f"User {info.name} {'disabled' if disabled else 'enabled'}."))
    return EXIT_OK


def _role(args, workspace) -> int:
    from fpdesk.services.trust.accounts import set_role

    info = set_role(workspace, args.name, args.role)
    emit(args, {"ok": True, "user": info.as_dict()}, pick(f"用户 {info.name} 的角色改为{info.as_dict()['role_zh']}。",
                                                           f"User {info.name} is now {_role_en(info.role)}."))
    return EXIT_OK


def _encrypt(args, workspace) -> int:
    from fpdesk.cli.login import credentials_for
    from fpdesk.services.trust.encryption import enable_encryption

    def show(code: str) -> None:  # before the switch, so an interruption after it never loses the code
        print(pick(f"新的恢复码（请立即抄下；加密完成后原恢复码作废）：{code}",
                   f"New recovery code (copy it now; the old one stops working once the file is encrypted): {code}"),
              file=sys.stderr, flush=True)

    result = enable_encryption(workspace, credentials_for(args)[1], show_code=show)
    emit(args, {"ok": True, "recovery_code": result.recovery_code,
                "plain_backups_removed": result.plain_backups_removed,
                "plain_copies_encrypted": result.plain_copies_encrypted},
         pick(f"数据库已加密。以后打开须用户名和密码（其他用户用各自原来的密码）。\n"
              f"新的恢复码（原恢复码作废，请打印或抄下后妥善保管）：{result.recovery_code}"
              f"\n已加密原有的未加密副本（备份、恢复前和升级前的副本）{result.plain_copies_encrypted} 个。",
              f"The database is encrypted. Opening it now takes a user name and password (other users keep their"
              f" own passwords).\nNew recovery code (the old one no longer works; print or copy it and keep it"
              f" safe): {result.recovery_code}\nUnencrypted copies encrypted too (backups, copies made before a"
              f" restore or an upgrade): {result.plain_copies_encrypted}."))
    return EXIT_OK


def _role_en(role: str) -> str:
    from fpdesk.services.permissions import ROLE_NAMES

    return ROLE_NAMES.get(role, (role, role))[1]


ACTIONS = {"encrypt": _encrypt, "add": _add, "passwd": _passwd, "list": _list, "disable": _disable,
           "enable": lambda args, ws: _disable(args, ws, False), "role": _role}
