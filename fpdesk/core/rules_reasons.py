"""Reason codes of the rules engine: why someone cannot be enrolled, or what to watch.

The codes are a contract like error codes (``fpdesk products eligibility --json`` prints them,
roster reports group by them): never rename one. Their texts are declared with the error codes in
``fpdesk/core/messages.py`` (blocking reasons and warnings apart) so one translation table serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fpdesk.core.errors import DomainError
from fpdesk.core.messages import BLOCKING_MESSAGES, WARNING_MESSAGES

__all__ = ["BLOCKING_MESSAGES", "WARNING_MESSAGES", "Reason", "make_reason"]


@dataclass(frozen=True)
class Reason:
    """Why someone cannot be enrolled (or, for warnings, what to watch)."""

    code: str
    message_zh: str
    message_en: str
    person_index: int | None = None  # which of the judged people it concerns; None = the household

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message_zh, "message_en": self.message_en,
                "person": self.person_index}


def make_reason(code: str, person_index: int | None = None, **params: Any) -> Reason:
    # DomainError renders the declared templates (and refuses an undeclared code).
    rendered = DomainError(code, params)
    return Reason(code, rendered.message_zh, rendered.message_en, person_index)
