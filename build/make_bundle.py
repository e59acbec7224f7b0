"""Build the one-folder bundle with PyInstaller and report its size.

    python build/make_bundle.py            # -> dist/fpdesk/fpdesk and dist/fpdesk/fpdesk-gui
    python build/make_bundle.py --clean    # drop PyInstaller's cache and build/work first
    FPDESK_BUNDLE_DEBUG=1 python build/make_bundle.py   # debug bootloader, console for fpdesk-gui

Build files go to build/work/ and the bundle to dist/fpdesk/, both git-ignored. PyInstaller does not
cross-compile: run this on the platform you ship to (see README, "Building the bundle").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging.spec"
BUNDLE_NAME = "fpdesk"


def pyinstaller_command(distpath: Path, workpath: Path, *, clean: bool = False) -> list[str]:
    """The PyInstaller command line the script and the packaging test both use."""
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
               "--distpath", str(distpath), "--workpath", str(workpath), "--log-level", "WARN"]
    if clean:
        command.append("--clean")
    return command


def tree_size(path: Path) -> int:
    """Bytes on disk under ``path``, files only, symlinks not followed (what ``du -sb`` counts)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            file_path = Path(root, name)
            if not file_path.is_symlink():
                total += file_path.stat().st_size
    return total


def biggest(bundle: Path, count: int = 10) -> list[tuple[int, str]]:
    """The ``count`` largest contributors: each Qt library and plugin folder on its own, other
    packages by their top folder inside ``_internal``, loose files by name."""
    internal = bundle / "_internal"
    sizes: dict[str, int] = {}
    for root, _dirs, files in os.walk(bundle):
        for name in files:
            path = Path(root, name)
            if path.is_symlink():
                continue
            relative = path.relative_to(internal) if path.is_relative_to(internal) else path.relative_to(bundle)
            parts = relative.parts
            if parts[:1] == ("PySide6",) and len(parts) >= 2:
                # PySide6/Qt/lib/libQt6Gui.so.6 stays whole; PySide6/Qt/plugins/<kind> is grouped.
                key = "/".join(parts[:4]) if "plugins" in parts[:3] else "/".join(parts)
            elif len(parts) > 1:
                key = parts[0] + "/"
            else:
                key = parts[0]
            sizes[key] = sizes.get(key, 0) + path.stat().st_size
    return sorted(((size, key) for key, size in sizes.items()), reverse=True)[:count]


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:7.1f} MB"


def report(bundle: Path, count: int = 10) -> int:
    size = tree_size(bundle)
    print(f"bundle: {bundle}")
    print(f"size:   {megabytes(size).strip()} ({size} bytes)")
    du = subprocess.run(["du", "-sh", str(bundle)], capture_output=True, text=True, check=False) \
        if sys.platform != "win32" else None
    if du is not None and du.returncode == 0:
        print(f"du -sh: {du.stdout.split()[0]}")
    print(f"largest {count}:")
    for part_size, name in biggest(bundle, count):
        print(f"  {megabytes(part_size)}  {name}")
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build dist/fpdesk with PyInstaller and print its size.")
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=ROOT / "build" / "work")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache and workpath first")
    parser.add_argument("--report-only", action="store_true", help="do not build; report the existing bundle")
    parser.add_argument("--top", type=int, default=10, help="how many of the largest parts to list")
    args = parser.parse_args(argv)

    bundle = args.distpath / BUNDLE_NAME
    if not args.report_only:
        started = time.monotonic()
        result = subprocess.run(pyinstaller_command(args.distpath, args.workpath, clean=args.clean),
                                cwd=ROOT, check=False)
        if result.returncode != 0:
            print(f"PyInstaller failed with exit code {result.returncode}", file=sys.stderr)
            return result.returncode
        print(f"built in {time.monotonic() - started:.0f} s")
    if not bundle.is_dir():
        print(f"no bundle at {bundle}", file=sys.stderr)
        return 1
    report(bundle, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
