"""Masking personal information in lists, the audit log and exports (DOMAIN.md §6, PIPL art. 51).

ID numbers show the first 6 and last 4 characters (``350421********0017``: the birth date is hidden),
mobile numbers the first 3 and last 4 (``138****5678``), as core.idnumber.mask / core.phone.mask do.
Full numbers only where role and purpose need them (the insurer's roster), each such view logged.

A claim's medical free text (what happened, the diagnosis, a refusal's reason, typed notes) is
sensitive personal information (PIPL art. 28). Unlike a number it has no part that is safe to show,
so a reader without ``pi.full`` gets ``MEDICAL_HIDDEN`` in its place (services/claims.py decides who).
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
    return {key: masked_value(key, value) for key, value in values.items()}


# Chinese first as everywhere; the English form is for the English interface (``medical_text``).
MEDICAL_HIDDEN = ("（已隐藏：仅审核员、管理员和录入人本人可见）",
                  "(hidden: only reviewers, administrators and the person who entered it may see this)")


def hide_medical(text: str | None) -> str | None:
    """The marker in place of medical free text. An empty field stays empty: a marker over nothing
    would suggest something was written."""
    return MEDICAL_HIDDEN[0] if text else text


def medical_text(text: str | None, language: str) -> str | None:
    """``text`` as a screen in ``language`` shows it: the marker in that language, anything else as is."""
    return MEDICAL_HIDDEN[1] if language == "en" and text == MEDICAL_HIDDEN[0] else text


# Claim texts that may hold medical facts (services/claims.py decides who reads them in full).
MEDICAL_FIELDS = {"claim": frozenset({"description", "decline_reason", "note"}), "claim_event": frozenset({"note"})}


def masked_value(field: str, value: Any, entity: str | None = None) -> Any:
    """One logged value as a reader without full access sees it: ID and phone numbers masked, and
    (given the record's ``entity``) a claim's medical text hidden."""
    if field in MEDICAL_FIELDS.get(entity, ()) and isinstance(value, str):
        return hide_medical(value)
    if field in ID_KEYS and isinstance(value, str):
        return mask_id_number(value)
    if field in PHONE_KEYS and isinstance(value, str):
        return mask_phone(value)
    return value
