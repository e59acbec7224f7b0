"""Trust benchmarks: what the audit chain, verification, backups and log-in cost.

    python -m tests.benchmarks.trust [--persons 100000]

Figures, not assertions. The audit chain's cost is measured as the demo load (every person, household
and change-log entry written through the change log) with the chain on, against the same load in the
same run with ``chain_rows`` switched off: the ratio is the chain's overhead on bulk writes.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from fpdesk.services.demo.database import load_demo
from fpdesk.services.opening import open_workspace
from fpdesk.services.trust import audit, backups
from fpdesk.storage import changelog
from fpdesk.storage.audit_chain import GENESIS, iter_entries, link_hash
from fpdesk.storage.schema import ChangeEntry
from tests.benchmarks.standing import Standing, report


def _unchained(connection, rows) -> None:
    """The change log's rows as they would be without the chain: hash column empty, head untouched."""
    for row in rows:
        row["chain_hash"] = None


def load(folder: Path, persons: int, label: str, chained: bool) -> tuple[float, int, str]:
    original = changelog.chain_rows
    if not chained:
        changelog.chain_rows = _unchained
    try:
        path = folder / f"{label}.sqlite3"
        workspace = open_workspace(str(path))
        started = time.perf_counter()
        load_demo(workspace, persons=persons, seed=7)
        seconds = time.perf_counter() - started
        with workspace.read() as session:
            entries = session.scalar(select(func.count()).select_from(ChangeEntry))
        workspace.close()
        return seconds, entries, str(path)
    finally:
        changelog.chain_rows = original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fpdesk-bench-trust-") as temp:
        folder = Path(temp)
        bare_s, entries, _ = load(folder, args.persons, "bare", chained=False)
        chained_s, _, chained_path = load(folder, args.persons, "chained", chained=True)
        workspace = open_workspace(chained_path)
        started = time.perf_counter()
        verification = audit.verify(workspace)
        verify_s = time.perf_counter() - started
        with workspace.db.engine.connect() as connection:  # the hashing alone, on the real entries
            rows = [dict(row) for row in iter_entries(connection)]
        started = time.perf_counter()
        previous = GENESIS
        for row in rows:
            previous = link_hash(previous, row)
        hashing_us = (time.perf_counter() - started) / len(rows) * 1e6
        started = time.perf_counter()
        copy = backups.backup(workspace, folder / "copy.sqlite3")
        backup_s = time.perf_counter() - started
        workspace.close()
        from fpdesk.services.credentials import hasher

        started = time.perf_counter()
        for _ in range(5):
            hasher.hash("a password of ours")
        argon2_ms = (time.perf_counter() - started) / 5 * 1000
    figures = {
        "persons": args.persons, "change_log_entries": entries,
        "demo_load_without_chain_s": round(bare_s, 2), "demo_load_with_chain_s": round(chained_s, 2),
        "chain_overhead_ratio": round(chained_s / bare_s, 3),
        "chain_us_per_entry_by_difference": round((chained_s - bare_s) / entries * 1e6, 1),
        "chain_hashing_us_per_entry": round(hashing_us, 1),
        "chain_hashing_share_of_load": round(hashing_us * entries / 1e6 / chained_s, 3),
        "verify_s": round(verify_s, 2), "verify_entries_per_s": round(verification.entries / verify_s),
        "verify_ok": verification.ok, "backup_s": round(backup_s, 2), "backup_mb": round(copy.bytes / 1048576, 1),
        "argon2id_hash_ms": round(argon2_ms, 1),
    }
    print(json.dumps(figures, indent=2))
    report([
        Standing("trust", f"demo load of {args.persons:,} persons, chained", chained_s, "s", bare_s,
                 "the same load with the chain off", "figure (no bar)", None),
        Standing("trust", "audit verification", verification.entries / verify_s, "entries/s", None, "",
                 "figure (no bar)", verification.ok or None),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
