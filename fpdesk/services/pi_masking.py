"""Masking personal information in lists, the audit log and exports (DOMAIN.md §6, PIPL art. 51).

ID numbers show the first 6 and last 4 characters (``350421********0017``: the birth date is hidden),
mobile numbers the first 3 and last 4 (``138****5678``), as core.idnumber.mask / core.phone.mask do.
Full numbers only where role and purpose need them (the insurer's roster), each such view logged.
"""

from __future__ import annotations

from typing import Any

from fpdesk.core import idnumber, phone

ID_KEYS = frozenset({"id_number", "head_id_number"})
PHONE_KEYS = frozenset({"phone", "phone2"})


def mask_id_number(value: str | None) -> str | None:
    return idnumber.mask(value) if value else value


def mask_phone(value: str | None) -> str | None:
    return phone.mask(value) if value else value


def mask_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a change's field values with ID and phone numbers masked."""
    if not values:
        return values
    masked = dict(values)
    for key, value in values.items():
        if key in ID_KEYS and isinstance(value, str):
            masked[key] = mask_id_number(value)
        elif key in PHONE_KEYS and isinstance(value, str):
            masked[key] = mask_phone(value)
    return masked
