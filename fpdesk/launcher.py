"""The ``fpdesk`` entry point: no sub-command opens the GUI, any sub-command runs headless.

Kept apart from both front ends so the CLI never imports Qt and the GUI never imports the CLI.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from fpdesk.cli.main import command_names, run_cli

    names = command_names()
    wants_gui = not any(a in names or a in ("-h", "--help", "--version") for a in args)
    if wants_gui:
        from fpdesk.gui.app import parse_gui_args, run_gui

        options = parse_gui_args(args)
        if options is None:
            return 2

        return run_gui(db=options.db, demo=options.demo, language=options.lang)
    from fpdesk.cli.language import choose_language
    from fpdesk.core.language import pick, set_language
    from fpdesk.core.windows_support import unsupported_windows

    set_language(choose_language(args))
    reason = unsupported_windows()
    if reason is not None and sys.stderr is not None:  # the command line may still work: say it, go on
        print(pick(f"注意：{reason[0]}（命令行未在此系统上测试）", f"Note: {reason[1]} (untested here)"), file=sys.stderr)
    return run_cli(args)
