"""The one temporary folder a running program writes printouts to, and its removal.

Receipts and certificates carry names, ID numbers and addresses. They were left in the system's
temporary folder after their preview and after the program closed, unencrypted beside an encrypted
database. Now every file the program makes for itself (a printout to preview, the demo database)
goes into one folder of this process, ``fpdesk-scratch-…`` in the temporary folder: a printout is
deleted when its preview closes, the folder when the program exits, and folders left by a program
that did not exit (a crash, a power cut) at the next start.

A running program holds ``in-use.lock`` open inside its folder: locked (POSIX) or undeletable while
open (Windows), so a second program starting never sweeps a folder still in use.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

PREFIX = "fpdesk-scratch-"
LOCK_NAME = "in-use.lock"
# Folders of versions before this one, which had no lock: swept once they are a day old.
OLD_PREFIXES = ("fpdesk-print-", "fpdesk-receipt-", "fpdesk-bulletin-", "fpdesk-demo-")
OLD_AGE_SECONDS = 24 * 3600

_lock = threading.Lock()
_folder: Path | None = None
_lock_file = None


def scratch_folder() -> Path:
    """This process's folder, made on first use (and removed at exit)."""
    global _folder, _lock_file
    with _lock:
        if _folder is None or not _folder.is_dir():
            folder = Path(tempfile.mkdtemp(prefix=PREFIX))
            handle = open(folder / LOCK_NAME, "a+b")  # noqa: SIM115 (held open until the program ends)
            _hold(handle)
            _folder, _lock_file = folder, handle
            atexit.register(clean_up)
        return _folder


def scratch_file(name: str) -> Path:
    """A path for a file named ``name`` in this process's folder (a new subfolder if the name is taken)."""
    folder = scratch_folder()
    path = folder / name
    if path.exists():
        path = Path(tempfile.mkdtemp(dir=folder)) / name
    return path


def owns(path: str | Path) -> bool:
    """Whether ``path`` lies in this process's folder (a file the program made for itself)."""
    folder = _folder
    if folder is None:
        return False
    try:
        return Path(path).resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def discard(path: str | Path) -> bool:
    """Delete a file of this process's folder now; False when it could not be (still open on
    Windows: the folder goes at exit)."""
    if not owns(path):
        return False
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        return False
    return True


def clean_up() -> None:
    """Remove this process's folder and everything in it (at exit)."""
    global _folder, _lock_file
    with _lock:
        folder, handle = _folder, _lock_file
        _folder = _lock_file = None
    if handle is not None:
        handle.close()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale(temporary: str | Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove the folders of programs that are no longer running; returns what was removed."""
    base = Path(temporary or tempfile.gettempdir())
    now = now if now is not None else time.time()
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not entry.is_dir() or entry == _folder:
            continue
        if name.startswith(PREFIX):
            if _in_use(entry):
                continue
        elif name.startswith(OLD_PREFIXES):
            try:
                if now - entry.stat().st_mtime < OLD_AGE_SECONDS:
                    continue
            except OSError:
                continue
        else:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry)
    return removed


def _hold(handle) -> None:
    if os.name == "posix":
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    # on Windows the open handle alone keeps the file from being deleted


def _in_use(folder: Path) -> bool:
    lock = folder / LOCK_NAME
    if not lock.exists():
        return False
    if os.name == "posix":
        import fcntl

        try:
            with open(lock, "a+b") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return True  # unreadable: not ours to judge
        return False
    try:
        lock.unlink()  # refused while the program that made it still holds it open
    except PermissionError:
        return True
    except OSError:
        return True
    return False
