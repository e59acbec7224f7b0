"""55 SIGKILL trials, 11 each: a roster import, a bulk renewal, a batch print, a roster import into an
encrypted (SQLCipher) database and a sync package import (tests/trust/kill_trials.py).

Each trial: integrity_check ok, the job's footprint wholly there or not at all, the audit chain intact,
the next start opens the database and writes. Bounded: about 30–60 s on a small laptop.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HARNESS = Path(__file__).with_name("kill_trials.py")


def test_fifty_five_kill_trials_leave_no_damage_and_no_half_job():
    seed = int(os.environ.get("FPDESK_KILL_SEED", "20261122"))
    done = subprocess.run([sys.executable, str(HARNESS), "--trials", "55", "--seed", str(seed), "--json"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(summary, ensure_ascii=False))  # the figures for the closing note (pytest -s)
    assert summary["failures"] == [] and done.returncode == 0
    assert summary["trials"] >= 50
    assert summary["killed_mid_job"] >= 10  # most kills land inside the job, not after it
    per_job = summary["trials"] // len(summary["per_job"])
    for job, seen in summary["per_job"].items():
        assert seen["before"] + seen["after"] == per_job, job
    assert sum(seen["before"] for seen in summary["per_job"].values()) > 0
    assert sum(seen["after"] for seen in summary["per_job"].values()) > 0
