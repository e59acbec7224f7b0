"""The signed QR payload printed on certificates and rosters (format version 1).

A payload is one line of printable ASCII, so that a USB barcode scanner in keyboard mode can type
it into any field (Chinese characters cannot be typed that way) and a person can read it aloud::

    FP1.C.350421200.1.2025-000017.fp_family_accident_100.20250302.20260301.3504210017.<signature>
    FP1.R.350421200.1.2025-000003.fp_family_accident_100.2025.350421200201.812.5600000.<signature>

``FP1`` names the format and its version; ``C`` a certificate, ``R`` a roster. Then the issuing
office's code and the number of its signing key (keys are numbered per office so a replaced key
does not invalidate older printouts), then the claims of that kind. The holder is the masked ID
number of the household head as its 10 visible characters (first 6 + last 4; ``-`` if none):
the payload carries no more personal information than the printed page. The signature is
Ed25519 over the UTF-8 bytes of everything before the last dot, base64url without padding.

Parsing is strict: a payload must be exactly what ``encode`` would have written, so one changed
character anywhere (even in the unused low bits of the signature's last base64 character) fails.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass

# PyNaCl (PyCA's libsodium binding) rather than cryptography: the same raw 32-byte Ed25519 keys,
# X25519 for the sync packages later, and 1.5 MB in the bundle instead of 12 MB.
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey, VerifyKey

FORMAT = "FP1"
SEPARATOR = "."
CERTIFICATE, ROSTER = "C", "R"
_FIELDS = {
    CERTIFICATE: ("number", "product", "period_start", "period_end", "holder"),
    ROSTER: ("number", "product", "year", "scope", "persons", "premium_fen"),
}
_FIELD_TEXT = re.compile(r"^[A-Za-z0-9_\-]+$")
_SIGNATURE_LENGTH = 86  # 64 bytes in base64url without padding


class PayloadError(ValueError):
    """The text is not a payload of a format this program knows."""


@dataclass(frozen=True)
class Claims:
    """What a payload states. ``values`` holds the kind's fields (see _FIELDS) as text."""

    kind: str
    office_code: str
    key_number: int
    values: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str:
        return dict(self.values)[name]

    def as_dict(self) -> dict[str, str | int]:
        return {"kind": self.kind, "office_code": self.office_code, "key_number": self.key_number,
                **dict(self.values)}


@dataclass(frozen=True)
class SignedPayload:
    claims: Claims
    message: bytes  # the signed bytes
    signature: bytes

    def verify(self, public_key: bytes) -> bool:
        try:
            VerifyKey(public_key).verify(self.message, self.signature)
        except (BadSignatureError, CryptoError, ValueError, TypeError):
            return False
        return True


def compact_holder(masked_or_full: str | None) -> str:
    """The visible part of a masked ID number (350421********0017 -> 3504210017); ``-`` if none."""
    if not masked_or_full or len(masked_or_full) != 18:
        return "-"
    return masked_or_full[:6] + masked_or_full[14:]


def expand_holder(compact: str) -> str:
    """3504210017 -> 350421********0017, as printed on the certificate."""
    return compact[:6] + "*" * 8 + compact[6:] if len(compact) == 10 else ""


def certificate_claims(*, office_code: str, key_number: int, number: str, product: str,
                       period_start: dt.date, period_end: dt.date, holder_id_number: str | None) -> Claims:
    """``number`` is the printed certificate number; its office prefix is not repeated."""
    tail = number.removeprefix(office_code + "-")
    return Claims(CERTIFICATE, office_code, key_number, (
        ("number", tail), ("product", product), ("period_start", f"{period_start:%Y%m%d}"),
        ("period_end", f"{period_end:%Y%m%d}"), ("holder", compact_holder(holder_id_number))))


def roster_claims(*, office_code: str, key_number: int, number: str, product: str, year: int, scope: str,
                  persons: int, premium_fen: int) -> Claims:
    tail = number.removeprefix(office_code + "-")
    return Claims(ROSTER, office_code, key_number, (
        ("number", tail), ("product", product), ("year", str(year)), ("scope", scope or "-"),
        ("persons", str(persons)), ("premium_fen", str(premium_fen))))


def _message(claims: Claims) -> str:
    parts = [FORMAT, claims.kind, claims.office_code, str(claims.key_number)]
    parts += [value for _, value in claims.values]
    for part in parts:
        if not _FIELD_TEXT.match(part):
            raise PayloadError(f"payload field {part!r} is empty or has characters outside [A-Za-z0-9_-]")
    return SEPARATOR.join(parts)


def encode(claims: Claims, private_key: bytes) -> str:
    """Sign ``claims`` with a raw 32-byte Ed25519 private key; returns the payload text."""
    message = _message(claims)
    signature = SigningKey(private_key).sign(message.encode()).signature
    return message + SEPARATOR + base64.urlsafe_b64encode(signature).decode().rstrip("=")


def decode(text: str) -> SignedPayload:
    """Parse a payload (surrounding whitespace from a scanner's Enter key is ignored); the signature
    is not checked here. Raises PayloadError for anything ``encode`` could not have written."""
    text = text.strip()
    parts = text.split(SEPARATOR)
    if len(parts) < 5 or parts[0] != FORMAT:
        raise PayloadError("not an fpdesk payload of format FP1")
    kind = parts[1]
    if kind not in _FIELDS:
        raise PayloadError(f"unknown payload kind {kind!r}")
    names = _FIELDS[kind]
    if len(parts) != 4 + len(names) + 1:
        raise PayloadError("wrong number of fields")
    office_code, key_text, *values, signature_text = parts[2:]
    if not key_text.isdigit():
        raise PayloadError("key number is not a number")
    claims = Claims(kind, office_code, int(key_text), tuple(zip(names, values, strict=True)))
    message = _message(claims)
    signature = _strict_base64url(signature_text)
    if message + SEPARATOR + signature_text != text:
        raise PayloadError("payload is not in canonical form")
    return SignedPayload(claims, message.encode(), signature)


def _strict_base64url(text: str) -> bytes:
    if len(text) != _SIGNATURE_LENGTH:
        raise PayloadError("signature has the wrong length")
    try:
        raw = base64.urlsafe_b64decode(text + "==")
    except (binascii.Error, ValueError):
        raise PayloadError("signature is not base64url") from None
    # Two base64 texts can decode to the same bytes (unused low bits of the last character):
    # only the canonical one is accepted, so a changed character never passes as genuine.
    if base64.urlsafe_b64encode(raw).decode().rstrip("=") != text:
        raise PayloadError("signature is not canonical base64url")
    return raw


def new_private_key() -> tuple[bytes, bytes]:
    """A fresh Ed25519 key pair as raw bytes: (private 32-byte seed, public 32 bytes)."""
    key = SigningKey.generate()
    return bytes(key), bytes(key.verify_key)


def fingerprint(public_key: bytes) -> str:
    """A short, human-comparable key fingerprint (read over the phone when registering keys)."""
    import hashlib

    digest = hashlib.sha256(public_key).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))
