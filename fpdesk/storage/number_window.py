"""Which part of a long number fragment SQLite's trigram index is asked for (storage/search.py).

The index answers a quoted fragment by reading the list of every one of its trigrams, and a row
that holds them all in a row is a candidate that instr() then checks against the whole fragment. In
a county's ID numbers the region's and the century's trigrams are in nearly every row: a whole
fragment read them all (15-35 ms at 500,000 persons), and a fixed window of its last six characters
still left, for a fragment from another county's region ('0423197310'), the 700 rows born in that
month to read and check, for the three or four that hold it (5-17 ms).

So the window is chosen from how common each trigram is: the six characters whose first and last
trigram (disjoint, so their shares multiply into an estimate of the rows holding both) are the
rarest together, weighed by the lists the index reads for all four (a window through the region's
or the century's digits reads long ones: whole ID numbers, p95 3.3 -> 2.4 ms). For that fragment it
is '319731' (the region's digits are rare), for the county's own people still the month's end of it.
The window only narrows the rows that instr() checks: the rows found are the same whatever the
estimates say. (Asking, besides, for a rare trigram outside the window measured no faster: the
window's rows are few once it is chosen so.)

How common a trigram is, is counted in a sample of SAMPLE persons spread over the table, read once
and kept for KEEP_S per database (10-20 ms at 500,000 persons, on the first long fragment): asking
the index where each trigram's 64th row is cost 0.1-0.2 ms a trigram, which a whole ID number's 16
paid on most searches. The sample tells the common trigrams (the region's, the century's) from the
rest, which is what the choice needs; a trigram it never saw counts as half a row of it.
"""

from __future__ import annotations

import time
import weakref
from collections import Counter

from sqlalchemy import text
from sqlalchemy.orm import Session

WINDOW = 6  # characters: four trigrams; six measured best as a fixed window on a 500,000-person county
SAMPLE = 512  # persons read to estimate the trigrams' shares
KEEP_S = 600.0  # estimates are only ever slower or faster, never wrong: read again every ten minutes

# engine -> (when sampled, trigram -> persons of the sample holding it, persons sampled)
_shares: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _trigrams(fragment: str) -> list[str]:
    return [fragment[i:i + 3] for i in range(len(fragment) - 2)]


def _quoted(value: str) -> str:
    return '"' + value + '"'  # digits and X only (search.classify): nothing to escape


def match_expression(session: Session, fragment: str) -> str:
    """The full-text query for a fragment longer than WINDOW; the caller keeps the rows holding it all."""
    share = _estimated_shares(session, set(_trigrams(fragment)))
    starts = range(len(fragment) - WINDOW, -1, -1)  # from the end: on a tie the last six, as before
    start = min(starts, key=lambda i: _cost(fragment[i:i + WINDOW], share))
    return _quoted(fragment[start:start + WINDOW])


def _cost(window: str, share: dict[str, float]) -> float:
    rows = share[window[:3]] * share[window[-3:]]
    return rows * (1 + sum(share[t] for t in _trigrams(window)))


def _estimated_shares(session: Session, trigrams: set[str]) -> dict[str, float]:
    engine = session.get_bind().engine
    sampled = _shares.get(engine)
    if sampled is None or time.monotonic() - sampled[0] > KEEP_S:
        sampled = _shares[engine] = (time.monotonic(), *_sample(session))
    _when, counts, persons = sampled
    return {t: max(counts.get(t, 0), 0.5) / max(persons, 1) for t in trigrams}


def _sample(session: Session) -> tuple[dict[str, int], int]:
    """Trigram -> how many of SAMPLE evenly spaced persons hold it (in the ID number or the phone,
    as the index counts), and how many were read."""
    last = session.execute(text("SELECT max(rowid) FROM person")).scalar() or 0
    step = max(1, last // SAMPLE)
    rows = session.execute(text(
        "WITH RECURSIVE k(r) AS (SELECT :step UNION ALL SELECT r + :step FROM k WHERE r + :step <= :last)"
        " SELECT person.id_number, person.phone FROM k JOIN person ON person.rowid = k.r"),
        {"step": step, "last": last}).all()
    counts: Counter[str] = Counter()
    for id_number, phone in rows:
        both = f"{id_number or ''} {phone or ''}".upper()  # the space: no trigram spans the two
        counts.update({both[i:i + 3] for i in range(len(both) - 2)})
    return counts, len(rows)
