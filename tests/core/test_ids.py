"""Ids minted many at a time are what minting them one after another gives: UUIDv7, distinct, in order."""

from __future__ import annotations

import time

from fpdesk.core.ids import new_id, new_ids


def test_ids_minted_together_are_version_7_distinct_and_in_minting_order():
    before = new_id()
    batch = new_ids(5000)  # more than a millisecond's 4,096 counter values: the next one is borrowed
    after = new_id()
    minted = [before, *batch, after]
    assert len(set(minted)) == len(minted) and minted == sorted(minted)
    assert all(i.version == 7 and i.variant == "specified in RFC 4122" for i in minted)
    assert abs((batch[0].int >> 80) - time.time_ns() // 1_000_000) < 60_000
    assert new_ids(0) == []
