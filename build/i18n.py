"""Refresh the interface translations: extract every tr() string into resources/i18n/fpdesk_en.ts
(existing translations are kept), then compile fpdesk_en.qm.

    python build/i18n.py            # after changing interface texts; translate new entries in the .ts
    python build/i18n.py --check    # exit 1 if the .ts misses a string or has an untranslated entry

Chinese is the source language; English is the translation. Qt Linguist edits the .ts file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "i18n" / "fpdesk_en.ts"
QM = TS.with_suffix(".qm")


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "fpdesk" / "gui").rglob("*.py"))


def tool(name: str) -> str:
    """A PySide6 tool of this Python's installation, found beside it when the venv is not activated."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name) or name


def lupdate(target: Path) -> None:
    subprocess.run([tool("pyside6-lupdate"), *sources(), "-ts", str(target), "-source-language", "zh_CN",
                    "-target-language", "en", "-no-obsolete", "-locations", "none"],
                   cwd=ROOT, check=True, capture_output=True)


def lrelease() -> None:
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, capture_output=True)


def problems(ts: Path) -> list[str]:
    """Entries a user of the English interface would see in Chinese."""
    found = []
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or not (translation.text or "").strip() or translation.get("type") == "unfinished":
            found.append(f"untranslated: {source}")
    return found


def missing_from(ts: Path) -> list[str]:
    """Strings in the code that the committed .ts does not have yet."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh.ts"
        shutil.copy(ts, fresh)
        lupdate(fresh)
        return problems(fresh)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        issues = missing_from(TS)
        for line in issues:
            print(line)
        return 1 if issues else 0
    lupdate(TS)
    lrelease()
    for line in problems(TS):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
