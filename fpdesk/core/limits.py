"""How long a text may be: one table for the checks of every way data comes in (the household editor,
rosters, sync) and for the database columns that hold it, so SQLite (which would store any length)
and PostgreSQL (which refuses a longer value) accept exactly the same data."""

from __future__ import annotations

from fpdesk.core.errors import DomainError

PERSON_NAME = 50
ADDRESS = 200
CERTIFICATE_NO = 40
PAYER_NAME = 60
CONSENT_BY = 50
POLICY_NUMBER = 60

# field -> (limit, Chinese, English): the texts people type
TEXT_FIELDS = {
    "name": (PERSON_NAME, "姓名", "name"),
    "address": (ADDRESS, "住址", "address"),
    "certificate_no": (CERTIFICATE_NO, "证号", "certificate number"),
    "payer_name": (PAYER_NAME, "缴费人", "payer's name"),
    "consent_by": (CONSENT_BY, "同意人", "consenting person"),
    "policy_number": (POLICY_NUMBER, "保单号", "policy number"),
}


def check_length(field: str, value: str | None) -> str | None:
    """``value`` as it is, or DomainError(text_too_long) naming the field and its limit."""
    if value is not None and field in TEXT_FIELDS:
        limit, field_zh, field_en = TEXT_FIELDS[field]
        if len(value) > limit:
            raise DomainError("text_too_long", {"field_zh": field_zh, "field_en": field_en, "limit": limit,
                                                "length": len(value)})
    return value
