"""Encryption at rest: what SQLCipher (through sqlcipher3) costs on the foundation's insert and search
benchmarks, as a ratio to the same work on a plain SQLite file in the same run.

    python -m tests.benchmarks.encryption [--persons 50000]

The encrypted side opens the file the way fpdesk does (storage/encryption.py: a raw 256-bit key through
``PRAGMA key``); this tells whether encryption on by default for village laptops keeps within the
foundation's bars (search p95 under 10 ms).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import sessionmaker

from fpdesk.services.demo.database import load_demo
from fpdesk.services.registry.search import search
from fpdesk.services.workspace import Workspace
from fpdesk.storage.database import Database, _sqlite_pragmas, run_migrations
from fpdesk.storage.schema import Person

KEY = "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'"  # a raw 256-bit key


def engine_for(path: Path, encrypted: bool):
    if not encrypted:
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    import sqlcipher3

    def connect():
        connection = sqlcipher3.connect(str(path), check_same_thread=False)
        connection.execute(f'PRAGMA key = "{KEY}"')
        return connection

    engine = create_engine("sqlite://", creator=connect)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def workspace_for(path: Path, encrypted: bool) -> Workspace:
    engine = engine_for(path, encrypted)
    run_migrations(engine)
    db = Database(url=f"sqlite:///{path}", engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    return Workspace(db=db, office=None)


def bench(folder: Path, persons: int, encrypted: bool) -> dict:
    path = folder / ("encrypted.db" if encrypted else "plain.db")
    workspace = workspace_for(path, encrypted)
    started = time.perf_counter()
    summary = load_demo(workspace, persons=persons, seed=7)
    load_s = time.perf_counter() - started
    rng = random.Random(5)
    with workspace.read() as session:
        people = session.execute(select(Person.name, Person.name_initials, Person.id_number)
                                 .where(text("person.rowid % 97 = 0"))).all()
    picks = rng.sample(people, min(200, len(people)))
    queries = [p.name[:2] for p in picks] + [p.name_initials[:2] for p in picks] + [p.id_number[8:14] for p in picks]
    search(workspace, queries[0])
    times = []
    for query in queries:
        started = time.perf_counter()
        search(workspace, query)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    workspace.close()
    return {"persons": summary.persons, "load_s": round(load_s, 2), "persons_per_s": round(summary.persons / load_s),
            "search_median_ms": round(statistics.median(times), 2),
            "search_p95_ms": round(times[int(len(times) * 0.95)], 2),
            "file_starts_with_sqlite_header": path.read_bytes()[:16] == b"SQLite format 3\x00"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=50_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fpdesk-bench-cipher-") as temp:
        plain = bench(Path(temp), args.persons, encrypted=False)
        encrypted = bench(Path(temp), args.persons, encrypted=True)
    print(json.dumps({"plain": plain, "encrypted": encrypted,
                      "insert_ratio_encrypted_to_plain": round(encrypted["load_s"] / plain["load_s"], 3),
                      "search_p95_ratio_encrypted_to_plain": round(encrypted["search_p95_ms"] / plain["search_p95_ms"], 3),
                      "search_median_ratio_encrypted_to_plain":
                          round(encrypted["search_median_ms"] / plain["search_median_ms"], 3)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
