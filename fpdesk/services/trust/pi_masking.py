"""Masking personal information in lists, the audit log and exports (PIPL art. 51). The rule, once:

Wherever an ID number is masked, the person is shown with
- the ID number's first 6 and last 4 characters (``350421********6017``),
- the age in completed years (周岁) instead of the birth date — a birth date beside a masked number
  gives back the eight hidden digits, so the two are never shown together,
- a mobile number's first 3 and last 4 digits (``139****2222``).
``shown_person`` applies it; every output that masks (search in the CLI and the GUI, the full roster,
printed rosters, the audit log, conflict reviews) goes through it or ``masked_value``. Full numbers
only where role and purpose need them (the insurer's roster), each such view logged.

A claim's medical free text (what happened, the diagnosis, a refusal's reason, typed notes) is
sensitive personal information (PIPL art. 28). Unlike a number it has no part that is safe to show,
so a reader without ``pi.full`` gets ``MEDICAL_HIDDEN`` in its place (services/enrollment/claims.py decides who).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fpdesk.core import idnumber, phone
from fpdesk.core.dates import completed_years
from fpdesk.core.language import pick
from fpdesk.core.language import text as pick_text

ID_KEYS = frozenset({"id_number", "head_id_number"})
PHONE_KEYS = frozenset({"phone", "phone2"})
BIRTH_KEYS = frozenset({"birth_date"})


def mask_id_number(value: str | None) -> str | None:
    return idnumber.mask(value) if value else value


def mask_phone(value: str | None) -> str | None:
    return phone.mask(value) if value else value


@dataclass(frozen=True)
class ShownPerson:
    """A person's identifying numbers as one reader may see them: ``birth_date`` is None when masked."""

    id_number: str | None
    birth_date: dt.date | None
    age: int | None
    phone: str | None

    def age_text(self, language: str = "zh") -> str:
        if self.age is None:
            return ""
        return pick(f"{self.age}周岁", str(self.age), language)


def shown_person(id_number: str | None, birth_date: dt.date | None, phone_number: str | None, *, masked: bool,
                 today: dt.date | None = None) -> ShownPerson:
    """The rule above, for one person."""
    age = completed_years(birth_date, today or dt.date.today()) if birth_date else None
    if not masked:
        return ShownPerson(id_number, birth_date, age, phone_number)
    return ShownPerson(mask_id_number(id_number), None, age, mask_phone(phone_number))


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
    return pick_text(MEDICAL_HIDDEN, language) if text == MEDICAL_HIDDEN[0] else text


# Claim texts that may hold medical facts (services/enrollment/claims.py decides who reads them in full).
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
    if field in BIRTH_KEYS and isinstance(value, str):
        try:
            return ShownPerson(None, None, completed_years(dt.date.fromisoformat(value[:10]), dt.date.today()),
                               None).age_text()
        except ValueError:
            return value
    return value
