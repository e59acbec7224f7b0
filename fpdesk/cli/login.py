"""Logging the CLI in once a database has user accounts.

The user comes from ``--user`` (global or per command) or FPDESK_USER; the password from
FPDESK_PASSWORD (automation) or a prompt on a terminal. A database without accounts needs neither.
"""

from __future__ import annotations

import getpass
import os
import sys

from fpdesk.core.errors import DomainError
from fpdesk.core.language import pick


def user_from(args) -> str | None:
    return getattr(args, "user", None) or getattr(args, "global_user", None) or os.environ.get("FPDESK_USER")


def stdin_is_interactive() -> bool:
    """Whether someone can type an answer. On Windows ``isatty()`` is true for any character device,
    NUL included (``fpdesk … < NUL`` in a scheduled task): only a handle with a console mode is a
    console there."""
    if sys.stdin is None:
        return False
    try:
        if not sys.stdin.isatty():
            return False
        if sys.platform != "win32":
            return True
        import ctypes
        import msvcrt

        mode = ctypes.c_uint32()
        handle = msvcrt.get_osfhandle(sys.stdin.fileno())
        return bool(ctypes.windll.kernel32.GetConsoleMode(ctypes.c_void_p(handle), ctypes.byref(mode)))
    except (OSError, ValueError, AttributeError):  # a closed or replaced stream
        return False


def credentials_for(args) -> tuple[str, str]:
    """(user, password) from --user / FPDESK_USER and FPDESK_PASSWORD, or asked on a terminal."""
    name = user_from(args)
    interactive = stdin_is_interactive()
    try:
        if not name:
            if not interactive:
                raise DomainError("login_required")
            name = input(pick("用户名：", "user: ")).strip()
        password = os.environ.get("FPDESK_PASSWORD")
        if password is None:
            if not interactive:
                raise DomainError("login_required")
            password = getpass.getpass(pick(f"{name} 的密码：", f"password of {name}: "))
    except EOFError:  # the input ended before an answer (a closed console, a device that reads nothing)
        raise DomainError("login_required") from None
    return name, password


def login_hook_for(args):
    """The hook ``open_workspace`` calls when the database has accounts."""

    def log_in(workspace) -> None:
        from fpdesk.services.trust.accounts import log_in as check

        check(workspace, *credentials_for(args))

    return log_in
