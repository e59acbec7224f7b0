"""The user guide's pictures, taken from the real screens on a 1366×768 screen, in Chinese and English.

    python build/guide_screenshots.py                 # -> docs/images/<screen>.<zh|en>.png
    python build/guide_screenshots.py --if-missing    # only when a picture the guides name is missing
    python build/guide_screenshots.py --out DIR

The pictures are made when the bundle is built (packaging.spec runs this when they are missing) and
are not kept in git: they always show the screens of the version being shipped, and a change of a
screen never adds another set of binary files to the history. They are saved with 256 colours
(about 30–70 KB each). The data is the demo village's (fictitious people), on a fixed date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDES = {"zh": DOCS / "user-guide.zh.md", "en": DOCS / "user-guide.en.md"}
TODAY = dt.date(2026, 3, 2)
SCREEN = (1366, 768)


def named_pictures() -> set[str]:
    """The pictures the guides show (images/<name>.<lang>.png)."""
    names: set[str] = set()
    for guide in GUIDES.values():
        if guide.is_file():
            names |= set(re.findall(r"!\[[^\]]*\]\((images/[^)\s]+\.png)\)", guide.read_text(encoding="utf-8")))
    return names


def missing(out: Path) -> list[str]:
    return sorted(name for name in named_pictures() if not (out / Path(name).name).is_file())


def relaunch_on_a_laptop_screen(argv: list[str]) -> int:
    """Qt's offscreen platform takes its screen's size from a file when it starts: run again with one."""
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-guide-"))
    config = folder / "laptop.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": SCREEN[0],
                                               "height": SCREEN[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", FPDESK_GUIDE_CHILD="1",
               HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    try:
        return subprocess.run([sys.executable, str(Path(__file__).resolve()), *argv], env=env, check=False).returncode
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def settle(app, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget, path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")


def take_pictures(out: Path) -> list[Path]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from fpdesk.gui.dialogs.guide_dialog import FirstStepsDialog
    from fpdesk.gui.dialogs.household_editor import HouseholdEditor, empty_household
    from fpdesk.gui.dialogs.print_preview import PrintPreviewDialog
    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.main_window import MainWindow
    from fpdesk.gui.settings import UserSettings
    from fpdesk.gui.setup import install_font
    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.services.enrollment.status import record_payment
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.printouts.data import Selection
    from fpdesk.services.printouts.jobs import print_certificates
    from fpdesk.services.workspace import init_office, list_divisions
    from fpdesk.storage.schema import Household
    from fpdesk.storage.schema_enrollment import Enrollment

    app = QApplication.instance() or QApplication(sys.argv[:1])
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        workspace = open_workspace(str(folder / "demo.sqlite3"), author="luoxm")
        load_demo(workspace, scale="village", seed=1)
        with workspace.read() as session:
            households = list(session.scalars(select(Household.id).limit(4)))
        enroll_households_bulk(workspace, product="fp_family_accident_100", year=TODAY.year,
                               household_ids=households[1:], on=TODAY, today=TODAY,
                               form_values={"health_declaration": True, "beneficiary_type": "statutory"})
        with workspace.read() as session:
            enrollment_id, premium = session.execute(select(Enrollment.id, Enrollment.premium_fen).limit(1)).one()
        record_payment(workspace, enrollment_id, amount_fen=premium, paid_on=TODAY, today=TODAY)
        certificates = folder / "certificates.pdf"
        print_certificates(workspace, out=certificates, selection=Selection(year=TODAY.year), paper="A4", today=TODAY)
        village = open_workspace(str(folder / "village.sqlite3"), author="luoxm")
        init_office(village, code="350421200201", level="village", name="罗翠村计生协")

        for language, suffix in (("zh_CN", "zh"), ("en", "en")):
            install_font(app)
            install_language(app, language)
            settings = UserSettings(QSettings(str(folder / f"settings-{suffix}.ini"), QSettings.Format.IniFormat))
            window = MainWindow(workspace, settings, today=TODAY)
            window.show()
            window.households.run_search()
            settle(app, 1.0)

            def picture(name: str, widget, wait: float = 0.3, suffix: str = suffix) -> None:
                settle(app, wait)
                path = out / f"{name}.{suffix}.png"
                save(widget, path)
                made.append(path)

            picture("households", window, 1.0)
            editor = HouseholdEditor(workspace, empty_household("350421200201"), list_divisions(workspace),
                                     today=TODAY, parent=window)
            editor.show()
            family = (("吴建华", "350421198103050052", "13905981234"), ("郑秀梅", "350421198306120049", ""),
                      ("吴晓东", "350421200809090013", ""))
            for index, (name, number, phone) in enumerate(family):
                row = editor.rows[index] if index < len(editor.rows) else editor.add_member()
                row.name.setText(name)
                row.id_number.setText(number)
                row.phone.setText(phone)
            editor.add_member()
            editor.rows[-1].name.setFocus()
            picture("household_editor", editor)
            editor.done(0)
            window.go_to_screen(1)
            window.enrollment.choose_household(households[0])
            picture("enrollment", window, 0.6)
            window.go_to_screen(2)
            picture("printing", window)
            preview = PrintPreviewDialog(certificates, window)
            preview.show()
            picture("print_preview", preview, 2.5)
            preview.done(0)
            window.go_to_screen(5)
            picture("exchange", window)
            window.go_to_screen(6)
            picture("settings", window)
            steps = FirstStepsDialog(village, window)
            steps.show()
            picture("first_steps", steps)
            steps.done(0)
            window.close()
        village.close()
        workspace.close()
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DOCS / "images"), help="folder for the pictures (docs/images)")
    parser.add_argument("--if-missing", action="store_true", help="do nothing when every named picture exists")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if args.if_missing and not missing(out):
        return 0
    if os.environ.get("FPDESK_GUIDE_CHILD") != "1":
        return relaunch_on_a_laptop_screen(sys.argv[1:] if argv is None else argv)
    made = take_pictures(out)
    size = sum(path.stat().st_size for path in made)
    print(f"guide pictures: {len(made)} in {out}, {size / 1000:.0f} kB")
    lacking = missing(out)
    if lacking:
        print(f"the guides name pictures that were not made: {', '.join(lacking)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
