"""``fpdesk`` sub-commands. A contract: names, ``--json`` shapes and exit codes stay as specified.

Exit codes: 0 done; 1 refused (bad input, nothing changed, the message says why); 2 usage error;
3 partly done (a roster with rejected rows). No traceback for any expected failure; an unexpected one
is written to the log file (services/logbook.py) and said in one line naming it, exit 1 as before.

Each command lives in its own module with ``add_arguments(parser)`` and ``run(args) -> int``;
modules import SQLAlchemy and friends inside ``run`` so ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from fpdesk import __version__
from fpdesk.core.language import pick, set_language

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

# name -> (module, one-line help in Chinese / English)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("fpdesk.cli.commands.init_cmd", "设置本机单位 / set up this office"),
    "demo": ("fpdesk.cli.commands.demo_cmd", "生成演示数据 / generate a demo county"),
    "stats": ("fpdesk.cli.commands.stats_cmd", "按乡镇、村统计户数和人数 / counts per township and village"),
    "search": ("fpdesk.cli.commands.search_cmd", "按姓名、拼音首字母、身份证号片段或电话查找 / search people"),
}
# Modules that add commands of their own (a module-level COMMANDS dict); missing ones are skipped.
EXTRA_COMMAND_MODULES = (
    "fpdesk.cli.commands.products_cmd",
    "fpdesk.cli.commands.enroll_cmd",
    "fpdesk.cli.commands.renew_cmd",
    "fpdesk.cli.commands.check_cmd",
    "fpdesk.cli.commands.eligible_list_cmd",
    "fpdesk.cli.commands.roster_cmd",
    "fpdesk.cli.commands.print_cmd",
    # targets, progress reports, claims
    "fpdesk.cli.commands.targets_cmd",
    "fpdesk.cli.commands.report_cmd",
    "fpdesk.cli.commands.claims_cmd",
    # users, audit, backups
    "fpdesk.cli.commands.user_cmd",
    "fpdesk.cli.commands.audit_cmd",
    "fpdesk.cli.commands.backup_cmd",
    "fpdesk.cli.commands.consent_cmd",
    # offices and sync packages
    "fpdesk.cli.commands.office_cmd",
    "fpdesk.cli.commands.sync_cmd",
    "fpdesk.cli.commands.divisions_cmd",
    # allocations, cash handed up, reconciliation
    "fpdesk.cli.commands.money_cmd",
)


def command_names() -> frozenset[str]:
    """Every sub-command name: the launcher opens the GUI only when none is given."""
    return frozenset(_registered())


# "设置本机单位 / set up this office": the Chinese runs up to the first " / " after a Chinese character
_BILINGUAL = re.compile(r"^(?P<zh>.*?[^\x00-\x7f])\s*/\s+(?P<en>[^\u3000-\u9fff\uff00-\uffef]+)$")
LANG_HELP = ("界面语言：zh 中文，en 英文（默认依次看 FPDESK_LANG、图形界面的设置、系统区域，均无则中文）",
             "language: zh Chinese, en English (else FPDESK_LANG, the GUI's setting, an English locale; else Chinese)")


def in_language(help_text: str) -> str:
    """One language of a "中文 / English" help text; a text in one language only stays as it is."""
    match = _BILINGUAL.match(help_text)
    return pick(match["zh"], match["en"]) if match else help_text


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH|URL", help=pick(
        "数据库文件或 URL（默认在用户数据目录；环境变量 FPDESK_DB 可覆盖）",
        "database file or URL (default: in the user data folder; FPDESK_DB overrides)"))
    common.add_argument("--json", action="store_true", help=pick(
        "在标准输出打印机器可读的 JSON 摘要", "print a machine-readable JSON summary on standard output"))
    common.add_argument("--user", metavar="NAME", help=pick(
        "以此用户登录（设置了用户后必需；密码从提示或 FPDESK_PASSWORD 读取）",
        "log in as this user (needed once there are users; the password is asked or read from FPDESK_PASSWORD)"))
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=pick(*LANG_HELP))
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fpdesk",
        description=pick("计生家庭保险登记 fpdesk — 不带子命令时打开图形界面。",
                         "fpdesk, family-planning family insurance records — without a command it opens the window."),
    )
    parser.add_argument("--version", action="version", version=f"fpdesk {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help=pick("在新生成的演示数据库上打开图形界面", "open the window on a newly made demo database"))
    parser.add_argument("--user", dest="global_user", metavar="NAME",
                        help=pick("以此用户登录（也可写在子命令后）", "log in as this user (may also follow the command)"))
    parser.add_argument("--lang", dest="global_lang", choices=("zh", "en"), help=pick(*LANG_HELP))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common_options()
    for name, (module_name, bilingual_help) in _registered().items():
        help_text = in_language(bilingual_help)
        sub = subparsers.add_parser(name, help=help_text, parents=[common], description=help_text)
        sub.set_defaults(_module=module_name)
        importlib.import_module(module_name).add_arguments(sub)
        _user_option_everywhere(sub)
    return parser


def _user_option_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--user NAME`` is taken after any action too (``fpdesk sync export … --user 王芳``), so a
    command module with actions of its own need not remember to add it to each of them."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for nested in action.choices.values():
                if not any("--user" in option.option_strings for option in nested._actions):
                    nested.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME",
                                        help=pick("以此用户登录", "log in as this user"))
                if not any("--lang" in option.option_strings for option in nested._actions):
                    nested.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=pick(*LANG_HELP))
                _user_option_everywhere(nested)


def _registered() -> dict[str, tuple[str, str]]:
    commands = dict(COMMANDS)
    for extra in EXTRA_COMMAND_MODULES:
        try:
            module = importlib.import_module(extra)
        except ModuleNotFoundError as exc:
            if exc.name != extra:
                raise
            continue
        for name, help_text in module.COMMANDS.items():
            commands[name] = (extra, help_text)
    return commands


def run_cli(argv: list[str]) -> int:
    from fpdesk.cli.console import prepare_streams
    from fpdesk.cli.language import choose_language

    prepare_streams(json_output="--json" in argv)
    set_language(choose_language(argv))  # before the parser: its help texts are in that language
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed the usage message
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    from fpdesk.cli.output import run_guarded
    from fpdesk.services.logbook import configure_logging, log_start

    configure_logging()
    log_start(f"cli {args.command}")  # the command's name only: its arguments may name people
    return run_guarded(importlib.import_module(args._module).run, args)


def main(argv: list[str] | None = None) -> int:
    return run_cli(sys.argv[1:] if argv is None else argv)
