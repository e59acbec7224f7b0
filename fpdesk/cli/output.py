"""Shared CLI plumbing: the database location, JSON/text output and turning refusals into exit 1."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from fpdesk.core.errors import DomainError

EXIT_OK, EXIT_REFUSED = 0, 1


def database_url(args) -> str:
    """``--db`` beats ``FPDESK_DB`` beats the file in the user data folder."""
    from fpdesk.services.locations import default_database_location

    return getattr(args, "db", None) or default_database_location()


def emit(args, payload: dict[str, Any], text: str | Callable[[], str]) -> None:
    """Print JSON with --json, otherwise the human text (Chinese first)."""
    if getattr(args, "json", False):
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write((text() if callable(text) else text).rstrip("\n") + "\n")


def refuse(args, error: DomainError) -> int:
    if getattr(args, "json", False):
        json.dump({"ok": False, "error": error.as_dict()}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    print(f"错误 [{error.code}]：{error.message_zh}", file=sys.stderr)
    return EXIT_REFUSED


def run_guarded(run: Callable[[Any], int], args) -> int:
    """Run a command; a DomainError is a refusal (exit 1) with its message, never a traceback."""
    from fpdesk.cli.login import credentials_for, login_hook_for
    from fpdesk.services import workspace

    workspace.login_hook = login_hook_for(args)  # a database with user accounts asks who is acting
    workspace.credentials_hook = lambda: credentials_for(args)  # an encrypted one, before it opens
    try:
        try:
            return run(args)
        except DomainError as error:
            return refuse(args, error)
    except KeyboardInterrupt:
        print("已取消 / cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`fpdesk … | head`): nothing more to say.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        workspace.login_hook = workspace.credentials_hook = None
