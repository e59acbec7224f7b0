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

How common a trigram is, is estimated from where its 64th row is (the rows of a trigram are spread
over the table), one small read of the index per trigram, kept for a minute per database.
"""

from __future__ import annotations

import time
import weakref

from sqlalchemy import text
from sqlalchemy.orm import Session

WINDOW = 6  # characters: four trigrams; six measured best as a fixed window on a 500,000-person county
PROBE = 64  # rows read per trigram to estimate its share
KEEP_S = 60.0  # estimates are only ever slower or faster, never wrong: a minute spares the reads while typing

# engine -> trigram -> (share of the rows, when estimated)
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
    known = _shares.setdefault(engine, {})
    now = time.monotonic()
    missing = sorted(t for t in trigrams if t not in known or now - known[t][1] > KEEP_S)
    if missing:
        # One statement for all: how many of its first PROBE rows each trigram has and where the
        # last of them is, and the table's last row.
        probes = " UNION ALL ".join(
            f"SELECT {i}, count(*), max(rowid) FROM (SELECT rowid FROM person_number_fts"
            f" WHERE person_number_fts MATCH :t{i} LIMIT {PROBE})" for i in range(len(missing)))
        rows = session.execute(text(f"SELECT -1, 0, max(rowid) FROM person UNION ALL {probes}"),
                                {f"t{i}": _quoted(t) for i, t in enumerate(missing)}).all()
        last = rows[0][2] or 1
        for i, count, position in rows[1:]:
            known[missing[i]] = ((PROBE / position) if count == PROBE else count / last, now)
    return {t: known[t][0] for t in trigrams}
