"""The QR payload: compact, versioned, signed; one changed character is never accepted."""

import datetime as dt

import pytest

from fpdesk.core import signed_payload as sp

D = dt.date


@pytest.fixture(scope="module")
def keys():
    return sp.new_private_key()


def certificate(private):
    claims = sp.certificate_claims(office_code="350421200", key_number=1, number="350421200-2025-000017",
                                   product="fp_family_accident_100", period_start=D(2025, 3, 2),
                                   period_end=D(2026, 3, 1), holder_id_number="350421198001010017")
    return sp.encode(claims, private)


def test_a_certificate_payload_is_short_ascii_and_states_its_claims(keys):
    private, public = keys
    text = certificate(private)
    assert text.startswith("FP1.C.350421200.1.2025-000017.fp_family_accident_100.20250302.20260301.3504210017.")
    assert text.isascii() and len(text) < 180 and "19800101" not in text  # the birth date stays hidden
    decoded = sp.decode(text + "\r\n")  # a scanner's Enter key
    assert decoded.verify(public)
    assert decoded.claims.get("holder") == "3504210017"
    assert sp.expand_holder("3504210017") == "350421********0017"


def test_every_single_character_change_is_rejected(keys):
    private, public = keys
    text = certificate(private)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_."
    for position in range(len(text)):
        for replacement in {alphabet[(alphabet.index(text[position]) + step) % len(alphabet)] for step in (1, 7)}:
            changed = text[:position] + replacement + text[position + 1:]
            try:
                accepted = sp.decode(changed).verify(public)
            except sp.PayloadError:
                accepted = False
            assert not accepted, (position, replacement)


def test_the_last_base64_character_is_checked_in_full(keys):
    """'Q' and 'R' can decode to the same bytes in a final base64 character; only the canonical one passes."""
    text = certificate(keys[0])
    last = text[-1]
    sibling = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    index = sibling.index(last)
    twin = sibling[index ^ 1]  # differs only in the lowest of the unused bits
    with pytest.raises(sp.PayloadError):
        sp.decode(text[:-1] + twin)


def test_a_roster_payload_and_a_wrong_key(keys):
    private, public = keys
    claims = sp.roster_claims(office_code="350421200", key_number=2, number="350421200-2025-000003",
                              product="fp_family_accident_100", year=2025, scope="350421200201", persons=812,
                              premium_fen=5600000)
    decoded = sp.decode(sp.encode(claims, private))
    assert decoded.claims.as_dict()["persons"] == "812" and decoded.claims.key_number == 2
    _, other_public = sp.new_private_key()
    assert decoded.verify(public) and not decoded.verify(other_public)


@pytest.mark.parametrize("text", ["", "hello", "FP2.C.1.1.a.b.c.d.e.sig", "FP1.X.350421200.1.a.b", "FP1.C.350421200.1.x"])
def test_other_texts_are_not_payloads(text):
    with pytest.raises(sp.PayloadError):
        sp.decode(text)


def test_fingerprints_are_readable_over_the_phone(keys):
    assert len(sp.fingerprint(keys[1]).split()) == 4
