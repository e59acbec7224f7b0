"""Running the Windows bundle under wine from pytest (the Windows stage of CI).

`bash build/windows/build.sh` builds the bundle and writes dist/windows/build.json; these tests run only
when FPDESK_WINDOWS_BUILD names that file (tests/conftest.py leaves the folder out otherwise). Every
program runs in a wine set up as a Chinese Windows (code page 936, China time), in a folder with a
Chinese name and a space, the way a township's laptop has it.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import pytest

WORK_FOLDER = "计生 办"  # C:\计生 办: Chinese and a space, as offices name their folders


@dataclass
class Ran:
    args: tuple[str, ...]
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        """Text written for people: in the console's code page, GBK on a Chinese Windows."""
        return self.stdout.decode("gbk")

    @property
    def errors(self) -> str:
        return self.stderr.decode("gbk", errors="replace")

    def json(self) -> dict:
        """--json is UTF-8 whatever the console (README, "The command line")."""
        return json.loads(self.stdout.decode("utf-8"))

    def explain(self) -> str:
        return f"fpdesk {' '.join(self.args)} -> {self.returncode}\n{self.errors[-2000:]}"


class WindowsBundle:
    def __init__(self, build: dict):
        self.build = build
        self.bundle = Path(build["bundle"])
        self.prefix = Path(build["environment"]["WINEPREFIX"])
        self.drive_c = self.prefix / "drive_c"
        self.work = self.drive_c / WORK_FOLDER
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("FPDESK_", "PYTHON", "PIP", "QT_", "VIRTUAL_ENV"))}
        self.env.update(build["environment"])

    def windows_path(self, path: Path) -> str:
        """C:\\… for a file inside the prefix's drive C, Z:\\… for any other host path."""
        path = Path(path)
        if path.is_relative_to(self.drive_c):
            return str(PureWindowsPath("C:\\", *path.relative_to(self.drive_c).parts))
        return "Z:" + str(path).replace("/", "\\")

    def run(self, *args: str, exe: str = "fpdesk.exe", env: dict[str, str] | None = None,
            timeout: float = 180, cwd: Path | None = None) -> Ran:
        program = self.windows_path(self.bundle / exe)
        return self.wine(program, *args, env=env, timeout=timeout, cwd=cwd)

    def wine(self, *command: str, env: dict[str, str] | None = None, timeout: float = 180,
             cwd: Path | None = None) -> Ran:
        # stdout and stderr are pipes: wine hands a program an invalid handle for a regular Unix file
        done = subprocess.run(["wine", *command], capture_output=True, stdin=subprocess.DEVNULL,
                              env={**self.env, **(env or {})}, timeout=timeout, cwd=cwd or self.work)
        return Ran(tuple(command[1:]), done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def windows() -> WindowsBundle:
    location = os.environ.get("FPDESK_WINDOWS_BUILD")
    if not location:
        pytest.skip("FPDESK_WINDOWS_BUILD names no build (bash build/windows/build.sh writes dist/windows/build.json)")
    bundle = WindowsBundle(json.loads(Path(location).read_text(encoding="utf-8")))
    bundle.work.mkdir(parents=True, exist_ok=True)
    return bundle


@pytest.fixture(scope="session")
def shots(windows) -> Path:
    folder = Path(windows.build["bundle"]).parent / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
