"""The Windows failures, each reproduced on Linux where its cause can be: Windows's rules emulated
(no fsync on a read-only handle, no ``os.statvfs``, ``isatty()`` true for a device that reads nothing),
its encodings forced (GBK pipes), its paths used (Chinese folder names with spaces, ``#`` and ``%``).
The Windows stage of CI (build/windows) runs the same jobs in the real bundle under wine."""

from __future__ import annotations

import ast
import fcntl
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fpdesk.core.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]


def fpdesk(*args: str, env_extra: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FPDESK_")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "fpdesk", *args], capture_output=True, timeout=300, env=env,
                          stdin=subprocess.DEVNULL, **kwargs)


@pytest.fixture
def windows_fsync(monkeypatch):
    """os.fsync as Windows has it: FlushFileBuffers needs a handle that may write."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise PermissionError(13, "Permission denied")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def _township(location: str):
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.workspace import add_division, init_office
    ws = open_workspace(location)
    init_office(ws, code="350421200", level="township", name="城关乡计生协")
    add_division(ws, code="350421200201", name="罗翠村", code_year=2024)
    return ws


def test_backups_and_encryption_flush_through_a_writable_handle(tmp_path, windows_fsync, monkeypatch):
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.trust import accounts, backups
    from fpdesk.services.trust.encryption import enable_encryption

    folder = tmp_path / "计生 办"
    ws = _township(str(folder / "fpdesk.sqlite3"))
    made = backups.backup(ws, folder / "备份" / "b.sqlite3")
    assert made.path.is_file()
    assert backups.automatic_backup(ws, "before-import") is not None  # it logged a failure on Windows
    accounts.add_user(ws, name="admin", password="Secret-123456", role="admin")
    result = enable_encryption(ws, "Secret-123456")
    assert result.recovery_code
    assert not list(folder.glob("*.partial")) and (folder / "fpdesk.sqlite3.keys").is_file()
    ws.close()
    reopened = open_workspace(str(folder / "fpdesk.sqlite3"), credentials=("admin", "Secret-123456"))
    assert reopened.db.key is not None
    reopened.close()


def test_a_read_only_place_is_named_without_statvfs(tmp_path, monkeypatch):
    from fpdesk.storage import sqlite_files

    monkeypatch.delattr(os, "statvfs")
    folder = tmp_path / "U盘"
    folder.mkdir()
    monkeypatch.setattr(sqlite_files, "_can_create_in", lambda _folder: False)  # a write-protected stick
    refusal = sqlite_files.classify_sqlite_error("unable to open database file", str(folder / "x.sqlite3"),
                                                 folder / "x.sqlite3")
    assert refusal is not None and refusal.code == "db_read_only"
    monkeypatch.undo()
    monkeypatch.delattr(os, "statvfs")
    assert sqlite_files._read_only_place(folder / "x.sqlite3") is False


@pytest.mark.parametrize("folder_name", ["计生 办 2025", "C# 资料", "100%41 名册"])
def test_paths_are_shown_as_written_and_open_the_file_named(tmp_path, folder_name):
    folder = tmp_path / folder_name
    location = folder / "村 数据.sqlite3"
    done = fpdesk("demo", "--scale", "village", "--db", str(location), "--json")
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["database"] == str(location)
    assert location.is_file() and sorted(p.name for p in folder.iterdir() if p.is_file()) == ["村 数据.sqlite3"]
    from fpdesk.services.opening import open_workspace
    ws = open_workspace(str(location))
    assert ws.db.display_name == str(location) and ws.db.file_path == location
    ws.close()


def test_gbk_pipes_get_text_in_gbk_and_json_in_utf8(tmp_path):
    location = str(tmp_path / "x.sqlite3")
    gbk = {"PYTHONIOENCODING": "gbk"}
    listed = fpdesk("products", "list", "--db", location, env_extra=gbk)
    assert listed.returncode == 0, listed.stderr.decode("gbk")
    text = listed.stdout.decode("gbk")
    assert "￥100.00" in text and "Traceback" not in listed.stderr.decode("gbk")
    as_json = fpdesk("products", "list", "--db", location, "--json", env_extra=gbk)
    assert as_json.returncode == 0
    products = json.loads(as_json.stdout.decode("utf-8"))["products"]
    assert any("—" in p["name_zh"] for p in products)  # an em dash, UTF-8 encoded
    helped = fpdesk("--help", env_extra=gbk)
    assert helped.returncode == 0 and "计生家庭保险登记" in helped.stdout.decode("gbk")
    refused = fpdesk("enroll", "--head-id", "350421198001010018", "--product", "nosuch", "--year", "2025",
                     "--db", location, "--json", env_extra=gbk)
    assert refused.returncode == 1 and json.loads(refused.stdout.decode("utf-8"))["ok"] is False


def test_the_console_stand_ins_keep_what_gbk_can_say():
    from fpdesk.cli.console import ERROR_HANDLER, prepare_streams

    prepare_streams(json_output=False)
    assert "¥5\xa0−\u20111 ✓".encode("gbk", errors=ERROR_HANDLER).decode("gbk") == "￥5 --1 √"
    assert "𠮷".encode("gbk", errors=ERROR_HANDLER) == b"?"


class _NulDevice(io.StringIO):
    """Standard input redirected from NUL on Windows: a character device, so isatty() is true, that
    reads nothing."""

    def isatty(self) -> bool:
        return True


def test_a_device_that_reads_nothing_is_login_required_not_eof(monkeypatch):
    from fpdesk.cli import login

    monkeypatch.delenv("FPDESK_PASSWORD", raising=False)
    monkeypatch.delenv("FPDESK_USER", raising=False)
    monkeypatch.setattr(sys, "stdin", _NulDevice(""))
    monkeypatch.setattr(login.getpass, "getpass", lambda _prompt: input())
    for args in (type("A", (), {"user": None})(), type("A", (), {"user": "admin"})()):
        with pytest.raises(DomainError) as refused:
            login.credentials_for(args)
        assert refused.value.code == "login_required"


def test_no_date_is_formatted_through_the_c_runtime_with_chinese_in_the_format():
    """strftime (and an f-string's date format) with 年/月/日 fails on Windows outside code page 936."""
    offenders = []
    for path in sorted((ROOT / "fpdesk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
                if "%" in spec and not spec.isascii():
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "strftime"
                  and any(isinstance(a, ast.Constant) and not str(a.value).isascii() for a in node.args)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_bulletin_dates_are_built_from_numbers():
    import datetime as dt

    from fpdesk.core.dates import chinese_date

    assert chinese_date(dt.date(2025, 3, 9)) == "2025年03月09日"
    assert chinese_date(dt.date(2025, 3, 9), with_year=False) == "03月09日"
