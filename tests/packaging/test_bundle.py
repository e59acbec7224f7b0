"""The PyInstaller bundle: it builds from packaging.spec, and both executables start from it.

The slow tests build the one-folder bundle into a temporary folder (about a minute on two cores), then
run the bundled ``fpdesk --version``, ``fpdesk --help`` and the main window offscreen with
``FPDESK_SMOKE_TEST=1``, which prints ``fpdesk: main window up in 0.123 s`` and quits. The fast tests
check the generated Windows version resource and the icon set.

    pytest tests/packaging -m slow     # prints the build time, bundle size and window-up time
"""

from __future__ import annotations

import importlib.util
import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fpdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging.spec"
IS_WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if IS_WINDOWS else ""

# Generous, yet a hung build or program still ends the module within 6 minutes.
BUILD_TIMEOUT_S = 240  # the build takes 30-45 s on two cores
RUN_TIMEOUT_S = 25  # the programs exit within a second
# Linux; what `du -sh` shows: about 171 MiB at 0.1.0, 214 MiB once the fallback fonts that print every
# character of a name came in (+39 MB, HanaMin B alone 31 MB for CJK Extensions B-F; see build/make_fallback_fonts.py)
SIZE_BUDGET_MIB = 225
WINDOW_UP = re.compile(r"^fpdesk: main window up in (\d+\.\d+) s$", re.MULTILINE)


def _load_build_module(name: str):
    spec = importlib.util.spec_from_file_location(f"fpdesk_build_{name}", ROOT / "build" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(config: pytest.Config, text: str) -> None:
    """Write a measurement to the terminal past pytest's output capture."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"[bundle] {text}")


def _bundle_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, pytestconfig) -> Path:
    """Build the bundle once for this module, outside the checkout, and return dist/fpdesk."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed: pip install -e .[bundle]")
    work = tmp_path_factory.mktemp("pyinstaller")
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
               "--distpath", str(work / "dist"), "--workpath", str(work / "work")]
    env = {key: value for key, value in os.environ.items() if not key.startswith("FPDESK_BUNDLE_")}  # the default build
    started = time.monotonic()
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, encoding="utf-8",
                            errors="replace", timeout=BUILD_TIMEOUT_S, check=False)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
    folder = work / "dist" / "fpdesk"
    _report(pytestconfig, f"built in {elapsed:.0f} s; size {_bundle_size(folder) / 2**20:.1f} MiB")
    return folder


@pytest.fixture
def run_env(tmp_path) -> dict[str, str]:
    """The environment for a bundled program: offscreen Qt, and home, settings and data in tmp_path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FPDESK_")}
    home = tmp_path / "home"
    home.mkdir()
    env.update(
        HOME=str(home), USERPROFILE=str(home), APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"), XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"), XDG_CACHE_HOME=str(home / ".cache"),
        QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8",
    )
    return env


def _run(executable: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([str(executable), *args], env=env, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=RUN_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as expired:
        output = [part.decode("utf-8", "replace") if isinstance(part, bytes) else part or ""
                  for part in (expired.stdout, expired.stderr)]
        pytest.fail(f"{executable.name} {' '.join(args)} still ran after {RUN_TIMEOUT_S} s "
                    f"(a modal dialog offscreen waits forever)\nstdout:\n{output[0]}\nstderr:\n{output[1]}")


@pytest.mark.slow
def test_version(bundle, run_env):
    result = _run(bundle / f"fpdesk{EXE_SUFFIX}", "--version", env=run_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"fpdesk {__version__}"


@pytest.mark.slow
def test_help_is_chinese(bundle, run_env):
    result = _run(bundle / f"fpdesk{EXE_SUFFIX}", "--help", env=run_env)
    assert result.returncode == 0, result.stderr
    assert "计生家庭保险登记" in result.stdout
    assert "图形界面" in result.stdout


# fpdesk-gui is a windowed program: on Windows it has no stdout to print the smoke line to.
SMOKE_EXECUTABLES = ["fpdesk"] if IS_WINDOWS else ["fpdesk-gui", "fpdesk"]


@pytest.mark.slow
@pytest.mark.parametrize("name", SMOKE_EXECUTABLES)
def test_main_window_comes_up(bundle, run_env, tmp_path, name, pytestconfig, record_property):
    run_env["FPDESK_SMOKE_TEST"] = "1"
    database = tmp_path / "smoke.sqlite3"
    started = time.monotonic()
    result = _run(bundle / f"{name}{EXE_SUFFIX}", "--db", str(database), env=run_env)
    wall = time.monotonic() - started
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    match = WINDOW_UP.search(result.stdout)
    assert match, f"no window-up line in:\n{result.stdout}\n{result.stderr}"
    assert database.exists()  # the window opened a real database, migrations included
    record_property("window_up_s", float(match.group(1)))
    _report(pytestconfig, f"{name}: main window up in {match.group(1)} s (process {wall:.2f} s)")


@pytest.mark.slow
def test_the_bundle_prints_and_verifies_a_certificate(bundle, run_env, tmp_path):
    """The libraries a printout needs (font, QR, signing through PyNaCl) are all inside the bundle."""
    import json

    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.services.opening import open_workspace
    from fpdesk.storage.schema import Household

    database = tmp_path / "printing.sqlite3"
    workspace = open_workspace(str(database))
    load_demo(workspace, scale="village", seed=3)
    with workspace.read() as session:
        households = session.scalars(Household.__table__.select().with_only_columns(Household.id).limit(5)).all()
    import datetime as dt

    enroll_households_bulk(workspace, product="fp_family_accident_100", year=2025, household_ids=households,
                           on=dt.date(2025, 3, 1), today=dt.date(2025, 3, 1),
                           form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    _premiums_received(workspace, dt.date(2025, 3, 1))  # a certificate is printed once the premium is in
    workspace.close()
    fpdesk = bundle / f"fpdesk{EXE_SUFFIX}"
    out = tmp_path / "certificates.pdf"
    printed = _run(fpdesk, "print", "certificates", "--db", str(database), "--year", "2025", "--out", str(out),
                   "--json", env=run_env)
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["pages"] >= 1 and out.stat().st_size > 10_000
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
                   check=True)
    page = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
                             capture_output=True, text=True, check=True)
    payload = scanned.stdout.strip().splitlines()[0]  # what a USB scanner types
    assert payload.startswith("FP1.")
    verified = _run(fpdesk, "verify", "--db", str(database), payload, "--json", env=run_env)
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["verdict"] == "genuine"


def _premiums_received(workspace, day):
    """The families' cash against receipts, the government's by one allocation."""
    from fpdesk.core.errors import DomainError
    from fpdesk.services.enrollment.allocations import allocate
    from fpdesk.services.enrollment.status import record_payments
    from fpdesk.storage.schema_enrollment import Enrollment

    with workspace.read() as session:
        rows = session.execute(Enrollment.__table__.select().with_only_columns(
            Enrollment.id, Enrollment.payer_type, Enrollment.premium_fen)).all()
    record_payments(workspace, [(r.id, r.premium_fen, day) for r in rows if r.payer_type == "self"], today=day)
    try:
        allocate(workspace, payer="government", voucher_no="城财2025-1", on=day, today=day,
                 product="fp_family_accident_100", year=2025)
    except DomainError as error:  # five households may hold no government-paid one
        assert error.code == "nothing_to_allocate"


@pytest.mark.slow
def test_contents(bundle):
    internal = bundle / "_internal"
    assert (internal / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (internal / "resources" / "icons" / "fpdesk.ico").is_file()
    assert any((internal / "forms").rglob("*")), "forms/ is missing"
    # the user guide and every picture it shows (taken from the real screens when the bundle was built)
    for guide in ("user-guide.zh.md", "user-guide.en.md"):
        text = (internal / "docs" / guide).read_text(encoding="utf-8")
        for picture in re.findall(r"!\[[^\]]*\]\((images/[^)\s]+)\)", text):
            assert (internal / "docs" / picture).is_file(), picture
    # Alembic reads migrations from disk, so every one must ship as a source file.
    migrations = ROOT / "fpdesk" / "storage" / "migrations"
    for source in migrations.rglob("*.py"):
        assert (internal / "fpdesk" / "storage" / "migrations" / source.relative_to(migrations)).is_file()
    assert list(internal.glob("pypinyin/*.json")), "pypinyin's dictionaries are missing"

    files = [path.relative_to(internal).as_posix() for path in internal.rglob("*") if path.is_file()]
    translations = sorted(Path(path).name for path in files if path.endswith(".qm") and "PySide6/" in path)
    assert translations == ["qtbase_en.qm", "qtbase_zh_CN.qm"]
    unwanted = re.compile(r"webengine|qt6quick|qt6qml|qt63d|qt6multimedia|opengl32sw|d3dcompiler|"
                          r"/sqldrivers/|/multimedia/|/qmltooling/|QtOpenGL\.", re.IGNORECASE)
    assert [path for path in files if unwanted.search(path)] == []
    platforms = {Path(path).name for path in files if "/plugins/platforms/" in path}
    assert any("offscreen" in name for name in platforms), platforms


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks ELF dependencies with ldd")
def test_qt_libraries_resolve_inside_the_bundle(bundle):
    """Trimming must not drop a Qt library something kept still links (ldd on every ELF file)."""
    libraries = [path for path in bundle.rglob("*.so*") if path.is_file() and not path.is_symlink()]
    search_path = os.pathsep.join(sorted({str(path.parent) for path in libraries}))
    ours = re.compile(r"^\s*(lib(?:Qt6|pyside6|shiboken6|icu)\S*) => (.*)$", re.MULTILINE)
    problems = []
    for library in libraries:
        output = subprocess.run(["ldd", str(library)], env={**os.environ, "LD_LIBRARY_PATH": search_path},
                                capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False).stdout
        for name, target in ours.findall(output):
            if str(bundle) not in target:
                problems.append(f"{library.relative_to(bundle)}: {name} => {target.strip()}")
    assert problems == []


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the size budget is for the Linux bundle")
def test_size_budget(bundle):
    size_mib = _bundle_size(bundle) / 2**20
    assert size_mib <= SIZE_BUDGET_MIB, f"bundle is {size_mib:.1f} MiB; run build/make_bundle.py to see why"


def test_windows_version_file(tmp_path):
    version_info = _load_build_module("version_info")
    path = version_info.write_version_file(tmp_path / "version.txt", __version__, exe_name="fpdesk-gui",
                                           description="计生家庭保险登记 fpdesk")
    text = path.read_text(encoding="utf-8")
    numbers = version_info.version_tuple(__version__)
    assert f"filevers={numbers!r}" in text
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert "StringStruct('OriginalFilename', 'fpdesk-gui.exe')" in text
    compile(text, str(path), "eval")  # PyInstaller reads it back with eval()
    assert version_info.version_tuple("2.10.3rc1+g1234") == (2, 10, 3, 0)


def test_icon_set():
    icons = ROOT / "resources" / "icons"
    data = (icons / "fpdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {data[6 + 16 * index] or 256 for index in range(count)}
    assert {16, 32, 48, 256} <= sizes
    for size in (16, 32, 48, 256):
        assert (icons / f"fpdesk-{size}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
