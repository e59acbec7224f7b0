"""A bounded fuzzing run over the roster reader and the import's dry run (tests/trust/fuzz_inputs.py):
mutated real .xlsx/.xls/.ods/.csv files; every case is read or refused with a DomainError, none crashes
(a native abort of the spreadsheet library counts as a crash too)."""

import json
import os
import subprocess
import sys
from pathlib import Path

HARNESS = Path(__file__).with_name("fuzz_inputs.py")


def test_four_hundred_mutated_rosters_and_packages_are_read_or_refused_cleanly(tmp_path):
    seed = int(os.environ.get("FPDESK_FUZZ_SEED", "6"))
    cases = int(os.environ.get("FPDESK_FUZZ_CASES", "400"))
    done = subprocess.run([sys.executable, str(HARNESS), "--cases", str(cases), "--seed", str(seed), "--json",
                           "--keep", str(tmp_path)], capture_output=True, text=True, timeout=900)
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(summary, ensure_ascii=False))  # case and crash counts for the closing note (pytest -s)
    assert summary["cases"] == cases
    assert summary["crash_count"] == 0, summary["targets"]
    roster = summary["targets"]["roster"]
    assert roster["refused"] > cases // 8 and roster["accepted"] > 0  # the mutations reach both outcomes
    package = summary["targets"]["package"]  # signed and sealed: every damaged package is refused
    assert package["cases"] > 0 and package["refused"] == package["cases"]


def test_damaged_database_files_are_refused_clearly(tmp_path):
    """Not a database, truncated, from a newer fpdesk: refused by code, with no traceback."""
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    good = tmp_path / "good.sqlite3"
    subprocess.run([sys.executable, "-m", "fpdesk", "init", "--db", str(good), "--office-code", "350421200",
                    "--office-level", "township", "--office-name", "城关乡计生协"], check=True, capture_output=True,
                   env=env)
    import sqlite3

    connection = sqlite3.connect(good)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = good.read_bytes()
    cases = {
        "text.sqlite3": (b"hello, this is a note\n" * 50, "not_a_database"),
        "zip.sqlite3": (b"PK\x03\x04" + bytes(2000), "not_a_database"),
        "truncated.sqlite3": (data[: len(data) // 3], "db_damaged"),
    }
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(data)
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '0042'")
    connection.commit()
    connection.close()
    for name, (content, _code) in cases.items():
        (tmp_path / name).write_bytes(content)
    cases["newer.sqlite3"] = (None, "db_newer_schema")
    for name, (_content, code) in cases.items():
        done = subprocess.run([sys.executable, "-m", "fpdesk", "stats", "--db", str(tmp_path / name), "--json"],
                              capture_output=True, text=True, env=env)
        assert done.returncode == 1, (name, done.stderr)
        assert json.loads(done.stdout)["error"]["code"] == code, name
        assert "Traceback" not in done.stderr
    assert (tmp_path / "newer.sqlite3").read_bytes()[:100] == data[:100]  # refused untouched
