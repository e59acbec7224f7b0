"""Turning encryption on is done whole: no plain copy of the data is left beside the encrypted file,
every existing account keeps access with its own password, and a run killed at any moment either left
the plain file (its recovery code still valid) or an encrypted one whose new recovery code was shown
before the switch."""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from fpdesk.core.people import HouseholdDraft, PersonDraft
from fpdesk.core.vocabulary import Relation
from fpdesk.services import credentials
from fpdesk.services.opening import RECOVERY, open_workspace
from fpdesk.services.registry import households as hh
from fpdesk.services.trust import accounts, backups
from fpdesk.services.trust.encryption import enable_encryption
from fpdesk.services.workspace import init_office
from fpdesk.storage import encryption
from fpdesk.storage.schema import Setting

pytest.importorskip("sqlcipher3")
NUMBER = "350421198001010017"
ADMIN, CLERK = ("admin", "admin-pass-1"), ("clerk", "clerk-pass-1")


def _village(location: Path) -> str:
    """A village laptop with an administrator and a clerk, one household; returns the recovery code."""
    ws = open_workspace(str(location))
    init_office(ws, code="350421200201", level="village", name="罗翠村计生协")
    _info, code = accounts.add_user(ws, name=ADMIN[0], password=ADMIN[1], role="admin")
    accounts.add_user(ws, name=CLERK[0], password=CLERK[1], role="data_entry")
    hh.register_household(ws, HouseholdDraft(division_code="350421200201"),
                          [PersonDraft("林国华", NUMBER, Relation.HEAD, phone="13812345678")])
    ws.close()
    return code


def _plain_files_with_data(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and NUMBER.encode() in p.read_bytes()]


def test_no_plain_copy_is_left_and_every_account_keeps_access(tmp_path):
    location = tmp_path / "village.sqlite3"
    _village(location)
    ws = open_workspace(str(location))
    accounts.log_in(ws, *ADMIN)
    automatic = backups.automatic_backup(ws, "before-import")
    ws.db.close()
    kept = backups.restore(str(location), automatic).kept_aside  # leaves a copy beside the database
    assert kept is not None and kept.exists()
    ws = open_workspace(str(location))
    accounts.log_in(ws, *ADMIN)
    result = enable_encryption(ws, ADMIN[1])
    ws.close()
    assert _plain_files_with_data(tmp_path) == []  # the database, its copies: none readable as plain text
    restored = backups.list_backups(open_workspace(str(location), credentials=ADMIN))
    assert restored and all(not p.read_bytes().startswith(b"SQLite format 3") for p in restored)
    clerk = open_workspace(str(location), credentials=CLERK)  # the clerk was never given the new key by hand
    assert clerk.role == "data_entry"
    clerk.close()
    wrap = encryption.load_keyring(location)["wraps"][encryption.user_slot("clerk")]
    assert wrap.get("kind") != encryption.ACCOUNT_HASH  # its log-in gave it an ordinary wrap
    assert result.plain_copies_encrypted >= 2
    with pytest.raises(Exception) as caught:
        open_workspace(str(location), credentials=("clerk", "not-her-password"))
    assert getattr(caught.value, "code", "") == "unlock_failed"


def _run(job, delay: float | None) -> bool:
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            job()
            code = 0
        finally:
            os._exit(code)
    if delay is not None:
        deadline = time.perf_counter() + delay
        while time.perf_counter() < deadline:
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
            time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _encrypt(location: Path, shown: Path) -> None:
    ws = open_workspace(str(location))
    accounts.log_in(ws, *ADMIN)
    backups.automatic_backup(ws, "daily")

    def show(code: str) -> None:
        with open(shown, "w") as handle:
            handle.write(code)
            handle.flush()
            os.fsync(handle.fileno())

    enable_encryption(ws, ADMIN[1], show_code=show)
    ws.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kill trials fork a child process")
def test_an_interrupted_encryption_is_undone_or_completed(tmp_path):
    base = tmp_path / "base.sqlite3"
    old_code = _village(base)
    measure = tmp_path / "measure"
    measure.mkdir()
    shutil.copyfile(base, measure / "village.sqlite3")
    started = time.perf_counter()
    assert _run(lambda: _encrypt(measure / "village.sqlite3", measure / "shown.txt"), None)
    took = time.perf_counter() - started
    rng = random.Random(11)
    outcomes, problems = {"plain": 0, "encrypted": 0}, []
    for trial in range(16):
        folder = tmp_path / f"trial{trial}"
        folder.mkdir()
        location, shown = folder / "village.sqlite3", folder / "shown.txt"
        shutil.copyfile(base, location)
        _run(lambda location=location, shown=shown: _encrypt(location, shown), rng.uniform(0.0, took * 1.1))
        try:
            ws = open_workspace(str(location), credentials=ADMIN)  # the next start
        except Exception as exc:
            problems.append(f"trial {trial}: the administrator cannot open it: {exc!r}")
            continue
        try:
            if ws.db.key is None:
                outcomes["plain"] += 1
                with ws.read() as session:
                    stored = session.get(Setting, accounts.RECOVERY_SETTING).value["hash"]
                if not credentials.verify_password(stored, credentials.normal_code(old_code)):
                    problems.append(f"trial {trial}: plain, but the old recovery code no longer works")
            else:
                outcomes["encrypted"] += 1
                if not shown.exists():
                    problems.append(f"trial {trial}: encrypted before its recovery code was shown")
                    continue
                open_workspace(str(location), credentials=(RECOVERY, shown.read_text())).close()
                open_workspace(str(location), credentials=CLERK).close()
                if _plain_files_with_data(folder):
                    problems.append(f"trial {trial}: plain copies left: {_plain_files_with_data(folder)}")
        finally:
            ws.close()
        if encryption.pending_keyring_path(location).exists():
            problems.append(f"trial {trial}: a pending keyring was left")
    assert problems == []
    assert outcomes["plain"] > 0 and outcomes["encrypted"] > 0, outcomes
