"""The ``fpdesk`` entry point: no sub-command opens the GUI, any sub-command runs headless.

Kept apart from both front ends so the CLI never imports Qt and the GUI never imports the CLI.
"""

from __future__ import annotations

import sys


def could_name_a_command(argument: str) -> bool:
    """Whether ``argument`` has the shape of a sub-command's name: a lower-case ASCII word, hyphens
    allowed ("eligible-list"). Options, paths and URLs do not."""
    return argument.isascii() and argument[:1].islower() and argument.replace("-", "").isalnum()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    wants_gui = not any(a in ("-h", "--help", "--version") for a in args)
    if wants_gui and any(could_name_a_command(a) for a in args):
        # Only an argument shaped like a command's name can be one. The names come from the command
        # modules, and importing all eighteen cost the window about 10 ms (1.5%) of its start-up.
        from fpdesk.cli.main import command_names

        wants_gui = not any(a in command_names() for a in args)
    if wants_gui:
        from fpdesk.gui.app import parse_gui_args, run_gui

        options = parse_gui_args(args)
        if options is None:
            return 2

        return run_gui(db=options.db, demo=options.demo, language=options.lang)
    from fpdesk.cli.language import choose_language
    from fpdesk.cli.main import run_cli
    from fpdesk.core.language import pick, set_language
    from fpdesk.core.windows_support import unsupported_windows

    set_language(choose_language(args))
    reason = unsupported_windows()
    if reason is not None and sys.stderr is not None:  # the command line may still work: say it, go on
        print(pick(f"注意：{reason[0]}（命令行未在此系统上测试）", f"Note: {reason[1]} (untested here)"), file=sys.stderr)
    return run_cli(args)
