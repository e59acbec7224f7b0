"""fpdesk user / audit / backup / restore as a contract: options, --json shapes, exit codes; and the
rule that a database without users behaves exactly as before (no --user, no prompt)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from fpdesk.cli.table import display_width


def fpdesk(*args: str, password: str | None = None, new_password: str | None = None, user: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("FPDESK_PASSWORD", "FPDESK_NEW_PASSWORD", "FPDESK_USER")}
    if password is not None:
        env["FPDESK_PASSWORD"] = password
    if new_password is not None:
        env["FPDESK_NEW_PASSWORD"] = new_password
    if user is not None:
        env["FPDESK_USER"] = user
    return subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, text=True, timeout=300,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.fixture
def db(tmp_path):
    location = str(tmp_path / "fpdesk.sqlite3")
    done = fpdesk("init", "--db", location, "--office-code", "350421200", "--office-level", "township",
                  "--office-name", "城关乡计生协")
    assert done.returncode == 0, done.stderr
    return location


def test_without_users_commands_run_as_before_and_audit_works(db):
    assert fpdesk("stats", "--db", db).returncode == 0
    done = fpdesk("audit", "verify", "--db", db, "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"ok": True, "entries": 2}
    listed = fpdesk("user", "list", "--db", db, "--json")
    assert json.loads(listed.stdout) == {"ok": True, "users": []}
    assert fpdesk("user", "list", "--db", db).stdout.startswith("还没有用户")


def test_users_log_in_with_user_and_password_from_the_environment(db):
    first = fpdesk("user", "add", "admin", "--role", "admin", "--db", db, "--json", new_password="admin-pass-1")
    assert first.returncode == 0, first.stderr
    payload = json.loads(first.stdout)
    assert payload["user"]["role"] == "admin" and len(payload["recovery_code"]) == 29
    refused = fpdesk("stats", "--db", db, "--json")  # no user, no terminal: refused, no prompt
    assert refused.returncode == 1 and json.loads(refused.stdout)["error"]["code"] == "login_required"
    wrong = fpdesk("--user", "admin", "stats", "--db", db, password="nope")
    assert wrong.returncode == 1 and "login_failed" in wrong.stderr and "Traceback" not in wrong.stderr
    assert fpdesk("--user", "admin", "stats", "--db", db, password="admin-pass-1").returncode == 0
    assert fpdesk("stats", "--db", db, "--user", "admin", password="admin-pass-1").returncode == 0
    assert fpdesk("stats", "--db", db, password="admin-pass-1", user="admin").returncode == 0
    added = fpdesk("user", "add", "clerk", "--role", "录入员", "--db", db, "--user", "admin",
                   password="admin-pass-1", new_password="clerk-pass-1")
    assert added.returncode == 0, added.stderr
    denied = fpdesk("user", "add", "x", "--role", "viewer", "--db", db, "--user", "clerk", "--json",
                    password="clerk-pass-1", new_password="whatever-1")
    assert denied.returncode == 1 and json.loads(denied.stdout)["error"]["code"] == "not_permitted"
    disabled = fpdesk("user", "disable", "clerk", "--db", db, "--user", "admin", password="admin-pass-1")
    assert disabled.returncode == 0
    gone = fpdesk("--user", "clerk", "stats", "--db", db, password="clerk-pass-1")
    assert gone.returncode == 1 and "account_disabled" in gone.stderr
    listing = json.loads(fpdesk("user", "list", "--db", db, "--json", user="admin", password="admin-pass-1").stdout)
    assert [(u["name"], u["role"], u["disabled"]) for u in listing["users"]] == [
        ("admin", "admin", False), ("clerk", "data_entry", True)]
    table = fpdesk("user", "list", "--db", db, user="admin", password="admin-pass-1").stdout.splitlines()
    assert [line.split() for line in table] == [["用户名", "角色", "状态", "姓名"], ["admin", "管理员", "正常"],
                                                ["clerk", "录入员", "停用"]]
    # the role column lines up as in the other commands' tables (a CJK character is two columns wide)
    assert len({display_width(line[:line.index(word)])
                for line, word in zip(table, ("角色", "管理员", "录入员"), strict=True)}) == 1
    reset = fpdesk("user", "passwd", "admin", "--recovery-code", payload["recovery_code"], "--db", db, "--json",
                   new_password="brand-new-1")
    assert reset.returncode == 0 and json.loads(reset.stdout)["recovery_code"] != payload["recovery_code"]
    assert fpdesk("--user", "admin", "stats", "--db", db, password="brand-new-1").returncode == 0


def test_audit_verify_names_the_first_broken_entry_and_show_filters(db):
    shown = fpdesk("audit", "show", "--db", db, "--json")
    entries = json.loads(shown.stdout)["entries"]
    assert [e["entity"] for e in entries] == ["division", "office"]
    assert set(entries[0]) == {"seq", "at", "author", "entity", "record_id", "operation", "revision", "fields",
                               "old_values", "origin_device"}
    record = json.loads(fpdesk("audit", "show", "--db", db, "--record", entries[1]["record_id"], "--json").stdout)
    assert record["count"] == 1 and record["entries"][0]["entity"] == "office"
    assert json.loads(fpdesk("audit", "show", "--db", db, "--user", "nobody", "--json").stdout)["count"] == 0
    _tamper(db, "UPDATE change_log SET fields = '{\"name\": \"假的\"}' WHERE local_seq = 2")
    broken = fpdesk("audit", "verify", "--db", db, "--json")
    assert broken.returncode == 1
    payload = json.loads(broken.stdout)
    assert payload["ok"] is False and payload["broken"]["local_seq"] == 2 and payload["entries_checked"] == 1
    assert payload["error"]["code"] == "audit_broken"
    assert "第 2 条" in fpdesk("audit", "verify", "--db", db).stdout
    assert "The entry before it checks out." in fpdesk("audit", "verify", "--db", db, "--lang", "en").stdout


def test_backup_and_restore(db, tmp_path):
    out = tmp_path / "copy.sqlite3"
    done = fpdesk("backup", "--db", db, "--out", str(out), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["bytes"] > 0
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    refused = fpdesk("restore", str(junk), "--db", db, "--json")
    assert refused.returncode == 1 and json.loads(refused.stdout)["error"]["code"] == "not_a_database"
    restored = fpdesk("restore", str(out), "--db", db, "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["kept_aside"].endswith(".sqlite3")
    assert fpdesk("audit", "verify", "--db", db).returncode == 0
    listed = fpdesk("backup", "--list", "--db", db, "--json")
    assert listed.returncode == 0 and "backups" in json.loads(listed.stdout)


def test_retention_setting_and_due_count(db):
    done = fpdesk("audit", "retention", "--set-years", "5", "--db", db, "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"ok": True, "years": 5, "due": 0}
    bad = fpdesk("audit", "retention", "--set-years", "99", "--db", db, "--json")
    assert bad.returncode == 1 and json.loads(bad.stdout)["error"]["code"] == "bad_retention"


def test_encrypt_then_every_command_needs_the_password(db, tmp_path):
    pytest.importorskip("sqlcipher3")
    assert fpdesk("user", "add", "admin", "--role", "admin", "--db", db, new_password="admin-pass-1").returncode == 0
    done = fpdesk("user", "encrypt", "--db", db, "--user", "admin", "--json", password="admin-pass-1")
    assert done.returncode == 0, done.stderr
    code = json.loads(done.stdout)["recovery_code"]
    with open(db, "rb") as handle:
        assert not handle.read(16).startswith(b"SQLite format 3")
    locked = fpdesk("stats", "--db", db, "--json")
    assert locked.returncode == 1 and json.loads(locked.stdout)["error"]["code"] == "login_required"
    wrong = fpdesk("stats", "--db", db, "--json", user="admin", password="nope")
    assert wrong.returncode == 1 and json.loads(wrong.stdout)["error"]["code"] == "unlock_failed"
    assert fpdesk("stats", "--db", db, user="admin", password="admin-pass-1").returncode == 0
    assert fpdesk("audit", "verify", "--db", db, user="admin", password="admin-pass-1").returncode == 0
    reset = fpdesk("user", "passwd", "admin", "--recovery-code", code, "--db", db, new_password="fresh-pass-1")
    assert reset.returncode == 0, reset.stderr
    assert fpdesk("stats", "--db", db, user="admin", password="fresh-pass-1").returncode == 0


def test_user_option_is_taken_after_any_action_of_any_command(db):
    """`--user` after a nested action works for every command, including those written without it."""
    assert fpdesk("user", "add", "admin", "--role", "admin", "--db", db, new_password="admin-pass-1").returncode == 0
    for argv in (("sync", "conflicts"), ("office", "list"), ("targets", "list", "--year", "2026"),
                 ("claims", "list"), ("report", "progress", "--year", "2026"), ("consent", "list", "350421")):
        done = fpdesk(*argv, "--db", db, "--user", "admin", "--json", password="admin-pass-1")
        assert "unrecognized arguments" not in done.stderr, argv
        assert done.returncode in (0, 1), (argv, done.stderr[-500:])
        if done.returncode == 1:  # refused for what was asked, never for the log-in
            assert json.loads(done.stdout)["error"]["code"] not in ("login_required", "login_failed"), argv
    refused = fpdesk("sync", "conflicts", "--db", db, "--json")
    assert refused.returncode == 1 and json.loads(refused.stdout)["error"]["code"] == "login_required"


def test_audit_verify_names_the_end_of_the_log_when_its_newest_entries_were_cut_off(db):
    """No entry number to name: the Chinese says 末尾, and the English no Chinese at all."""
    _tamper(db, "DELETE FROM change_log WHERE local_seq = (SELECT max(local_seq) FROM change_log)")
    broken = fpdesk("audit", "verify", "--db", db, "--json")
    assert broken.returncode == 1
    payload = json.loads(broken.stdout)
    assert payload["broken"]["reason"] == "head_mismatch" and payload["error"]["code"] == "audit_broken"
    assert "（末尾）" in fpdesk("audit", "verify", "--db", db).stdout
    english = fpdesk("audit", "verify", "--db", db, "--lang", "en")
    assert english.returncode == 1 and "Audit log entry (the last) was edited" in english.stdout
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.stdout.split("\n")[0])


def _tamper(db: str, statement: str) -> None:
    """A change made to the file around the program."""
    connection = sqlite3.connect(db)
    connection.execute(statement)
    connection.commit()
    connection.close()
