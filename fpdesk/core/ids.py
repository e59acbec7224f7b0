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
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | rand
    return uuid.UUID(int=value)


def new_device_id() -> str:
    """A device id for this installation: short, random, never reused."""
    return "D" + uuid.uuid4().hex[:15].upper()
