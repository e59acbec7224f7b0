"""Phone numbers: mobiles per the MIIT numbering plan, landlines as a second number."""

from __future__ import annotations

import re

from fpdesk.core.errors import DomainError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# area code 0 + 2–3 digits, then a 7–8 digit local number
_LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")
_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９－＋"} | {0x3000: 0x20}


def normalise(raw: str) -> str:
    """Strip +86/0086, spaces and hyphens from mobiles; keep one hyphen in landlines."""
    text = str(raw).translate(_FULLWIDTH).strip()
    compact = re.sub(r"[\s\-()（）]", "", text)
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            compact = compact[len(prefix):]
            break
    if compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]
    if _MOBILE.match(compact):
        return compact
    landline = re.sub(r"\s+", "", text)
    landline = re.sub(r"[()（）]", "-", landline).strip("-")
    if "-" not in landline and compact.startswith("0") and 10 <= len(compact) <= 12:
        area_len = 3 if compact[1] in "12" else 4  # 010, 02x are 3 digits; other area codes 4
        landline = compact[:area_len] + "-" + compact[area_len:]
    return landline


def validate(raw: str, *, allow_landline: bool = True) -> str:
    number = normalise(raw)
    if _MOBILE.match(number) or (allow_landline and _LANDLINE.match(number)):
        return number
    raise DomainError("bad_phone", {"value": str(raw).strip()})


def is_mobile(number: str) -> bool:
    return bool(_MOBILE.match(number))


def mask(number: str) -> str:
    """138****5678 for printouts and notice boards; a number masked already stays as it is (a
    screen may mask what a service masked for the same reader)."""
    if "*" in number:
        return number
    if is_mobile(number):
        return number[:3] + "****" + number[7:]
    return number[:-4] + "****" if len(number) > 4 else "****"
