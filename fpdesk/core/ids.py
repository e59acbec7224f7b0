"""Record ids minted offline: UUIDv7 (RFC 9562), time-ordered so new rows append to indexes.

Python 3.11's uuid module has no uuid7, so we build it: 48-bit Unix milliseconds, version 7,
a 12-bit counter for ids minted in the same millisecond (keeps them sorted), variant, 62 random bits.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def new_id() -> uuid.UUID:
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                _last_ms += 1
                _counter = 0
            ms = _last_ms
        else:
            _last_ms = ms
            _counter = 0
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & _RANDOM_BITS
    return _uuid_of((ms << 80) | _VERSION_BITS | (counter << 64) | _VARIANT_BITS | rand)


def new_ids(count: int) -> list[uuid.UUID]:
    """``count`` ids as ``new_id`` mints them one after another (a roster mints one per person)."""
    global _last_ms, _counter
    randoms = os.urandom(8 * count)
    made = []
    with _lock:
        now = time.time_ns() // 1_000_000
        for n in range(count):
            ms = now
            if ms <= _last_ms:
                _counter += 1
                if _counter > 0xFFF:
                    _last_ms += 1
                    _counter = 0
                ms = _last_ms
            else:
                _last_ms = ms
                _counter = 0
            rand = int.from_bytes(randoms[8 * n:8 * n + 8], "big") & _RANDOM_BITS
            made.append(_uuid_of((ms << 80) | _VERSION_BITS | (_counter << 64) | _VARIANT_BITS | rand))
    return made


_RANDOM_BITS = (1 << 62) - 1
_VERSION_BITS = 0x7 << 76
_VARIANT_BITS = 0b10 << 62
_SAFE = uuid.SafeUUID.unknown


def _uuid_of(value: int) -> uuid.UUID:
    # uuid.UUID(int=…) re-checks the range and parses keyword arguments: a third of new_id's time
    # when a roster import mints a hundred thousand ids. The value is in range by construction.
    made = object.__new__(uuid.UUID)
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", _SAFE)
    return made


def new_device_id() -> str:
    """A device id for this installation: short, random, never reused."""
    return "D" + uuid.uuid4().hex[:15].upper()
