"""Shared CLI plumbing: the database location, JSON/text output and turning refusals into exit 1."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from fpdesk.core.errors import DomainError, os_error_reason
from fpdesk.core.language import pick

EXIT_OK, EXIT_REFUSED = 0, 1
EXIT_INTERNAL = 1  # what Python's own exit on an uncaught exception was: scripts already see it

log = logging.getLogger(__name__)


def database_url(args, *, creates: bool = False) -> str:
    """``--db`` beats ``FPDESK_DB`` beats the file in the user data folder.

    A file named with ``--db`` or ``FPDESK_DB`` that does not exist is still made (a new office
    starts that way), but a command that reads (``creates`` False) says so on stderr: a mistyped
    path otherwise answered with an empty office's zeros as if they were the office's figures."""
    import os
    from pathlib import Path

    from fpdesk.services.locations import default_database_location

    location = getattr(args, "db", None) or default_database_location()
    named = getattr(args, "db", None) or os.environ.get("FPDESK_DB")
    if not creates and named and "://" not in location and not Path(location).expanduser().exists():
        print(pick(f"注意：数据库文件“{location}”不存在，已新建一个空数据库；如果是路径写错了，请删除这个文件并改正路径。",
                   f"Note: '{location}' did not exist; a new empty database was made there; if the path was"
                   " mistyped, delete that file and correct the path."), file=sys.stderr)
    return location


def action_help(help_text: str) -> str:
    """A nested action's "中文 / English" help: whole as it always read in Chinese (people and checks
    read it so), only the English after the last "/" in English."""
    head, sep, tail = help_text.rpartition("/ ")
    english = tail.strip() if sep and head.strip() and not any("\u3000" <= ch <= "\uffef" for ch in tail) else help_text
    return pick(help_text, english)


def emit(args, payload: dict[str, Any], text: str | Callable[[], str]) -> None:
    """Print JSON with --json (the same in every language), otherwise the human text in the CLI's
    language (``cli/language.py``)."""
    if getattr(args, "json", False):
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write((text() if callable(text) else text).rstrip("\n") + "\n")


def file_error(error: OSError) -> DomainError:
    reason_zh, reason_en = os_error_reason(error)
    return DomainError("file_error", {"path": str(error.filename or ""), "reason_zh": reason_zh,
                                      "reason_en": reason_en})


def refuse(args, error: DomainError) -> int:
    log.info("refused: %s", error.code)
    if getattr(args, "json", False):
        json.dump({"ok": False, "error": error.as_dict()}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    print(pick(f"错误 [{error.code}]：{error.message_zh}", f"Error [{error.code}]: {error.message_en}"), file=sys.stderr)
    return EXIT_REFUSED


def internal_error(error: Exception) -> int:
    """One line that names the log file (which has the traceback) instead of a traceback on screen."""
    from fpdesk.services.logbook import current_log_file

    log.error("unexpected failure", exc_info=error)
    where = current_log_file()
    kind = type(error).__name__
    if where is None:  # no log could be written: the traceback is all there is, so it is printed
        import traceback

        traceback.print_exception(error, file=sys.stderr)
        print(pick(f"程序内部出错（{kind}），请把上面的信息发给为您维护本程序的人。",
                   f"Internal error ({kind}); please send the text above to whoever looks after the program."),
              file=sys.stderr)
    else:
        print(pick(f"程序内部出错（{kind}），不是您的操作问题；详细情况已写入日志文件 {where}，报告问题时请附上这个文件。",
                   f"Internal error ({kind}), not a mistake of yours; the details are in the log file {where}:"
                   " send that file with your report."), file=sys.stderr)
    return EXIT_INTERNAL


def _check_common_arguments(args) -> None:
    """Values every command reads the same way, checked once: year 0 or month 13 reached the
    date library as a traceback."""
    year = getattr(args, "year", None)
    if isinstance(year, int) and not 1950 <= year <= 2100:
        raise DomainError("bad_argument", {"detail": f"--year {year}：保险年度应在 1950 到 2100 之间",
                                           "detail_en": f"--year {year}: the policy year is between 1950 and 2100"})
    month = getattr(args, "start_month", None)
    if isinstance(month, int) and not 1 <= month <= 12:
        raise DomainError("bad_argument", {"detail": f"--start-month {month}：起始月应在 1 到 12 之间",
                                           "detail_en": f"--start-month {month}: the first month is between 1 and 12"})


def run_guarded(run: Callable[[Any], int], args) -> int:
    """Run a command; a DomainError is a refusal (exit 1) with its message, never a traceback."""
    from fpdesk.cli.login import credentials_for, login_hook_for
    from fpdesk.services import opening

    opening.login_hook = login_hook_for(args)  # a database with user accounts asks who is acting
    opening.credentials_hook = lambda: credentials_for(args)  # an encrypted one, before it opens
    try:
        try:
            _check_common_arguments(args)
            return run(args)
        except DomainError as error:
            return refuse(args, error)
        except OSError as error:  # a file or folder named on the command line: said, never a traceback
            return refuse(args, file_error(error))
        except Exception as error:  # a bug: the traceback goes to the log, not the screen
            return internal_error(error)
    except KeyboardInterrupt:
        print(pick("已取消", "cancelled"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`fpdesk … | head`): nothing more to say.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        opening.login_hook = opening.credentials_hook = None
