"""Console streams that never fail on a character: GBK consoles, pipes and redirected files.

On a Chinese Windows, output that is piped or redirected is encoded in the ANSI code page (936, GBK),
which has no ``¥`` (U+00A5) and no no-break space: Python raised ``UnicodeEncodeError`` half-way through a
table. Text for people keeps the stream's encoding (what ``type``, ``findstr`` and PowerShell expect)
and swaps such characters for their nearest look-alike; ``--json`` is always UTF-8 (RFC 8259), whatever
the console, so a script reads the same bytes on every machine.
"""

from __future__ import annotations

import codecs
import io
import sys

ERROR_HANDLER = "fpdesk-console"

# Characters our texts use that GBK lacks, and what stands in for them there.
_STAND_INS = {
    "\xa5": "\uffe5",  # ¥ → ￥ (full-width yen, the sign Chinese documents use)
    "\u2011": "-", "\u2212": "-",  # non-breaking hyphen, minus sign
    "\xa0": " ", "\u2009": " ", "\u202f": " ",  # no-break and thin spaces
    "\u2713": "√", "\u2717": "×",
}


def _substitute(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    replaced = []
    for character in error.object[error.start:error.end]:
        stand_in = _STAND_INS.get(character, "?")
        try:
            stand_in.encode(error.encoding)
        except (UnicodeEncodeError, LookupError):
            stand_in = "?"
        replaced.append(stand_in)
    return "".join(replaced), error.end


def prepare_streams(*, json_output: bool) -> None:
    """Make stdout and stderr safe for any text; stdout UTF-8 when it carries JSON."""
    try:
        codecs.lookup_error(ERROR_HANDLER)
    except LookupError:
        codecs.register_error(ERROR_HANDLER, _substitute)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # None under pythonw; a capture object in tests
            stream.reconfigure(errors=ERROR_HANDLER)
    if json_output and isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
