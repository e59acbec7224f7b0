"""Every top-level window and dialog of the program, opened and measured on a 1366×768 screen.

Run as a script by tests/gui/test_window_sizes.py, in its own process: Qt's offscreen platform takes
the screen's size from a configuration file only when the application starts. It prints one JSON
line per window, language and text size: the client size it opened at and the smallest its layout
allows. With FPDESK_SCREENSHOTS set it also saves each window as a PNG there.

    QT_QPA_PLATFORM=offscreen:configfile=laptop.json python tests/gui/window_census.py zh_CN en
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path

TODAY = dt.date(2026, 3, 2)
VILLAGE = "350421200201"


def prepare(folder: Path):
    """A village office with the demo village in it, one household enrolled and paid, its receipt's PDF."""
    from sqlalchemy import select

    from fpdesk.services.demo.database import load_demo
    from fpdesk.services.enrollment.enroll_many import enroll_households_bulk
    from fpdesk.services.enrollment.status import record_payment
    from fpdesk.services.opening import open_workspace
    from fpdesk.services.printouts.data import Selection
    from fpdesk.services.printouts.jobs import print_certificates
    from fpdesk.storage.schema import Household
    from fpdesk.storage.schema_enrollment import Enrollment

    workspace = open_workspace(str(folder / "village.sqlite3"), author="luoxm")
    load_demo(workspace, scale="village", seed=2)
    with workspace.read() as session:
        households = list(session.scalars(select(Household.id).limit(3)))
    enroll_households_bulk(workspace, product="fp_family_accident_100", year=TODAY.year, household_ids=households,
                           on=TODAY, today=TODAY,
                           form_values={"health_declaration": True, "beneficiary_type": "statutory"})
    with workspace.read() as session:
        enrollment_id, premium = session.execute(select(Enrollment.id, Enrollment.premium_fen)
                                                 .where(Enrollment.payer_type == "self").limit(1)).one()
    record_payment(workspace, enrollment_id, amount_fen=premium, paid_on=TODAY, today=TODAY)
    pdf = folder / "certificates.pdf"
    print_certificates(workspace, out=pdf, selection=Selection(year=TODAY.year), paper="A4", today=TODAY)
    return workspace, households[0], pdf


def windows(workspace, household_id, pdf: Path, folder: Path) -> dict[str, Callable]:
    """Name -> a function that makes the window (shown by the caller)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from fpdesk.gui.dialogs import claim_dialogs, divisions_dialog, exchange_dialogs, roster_money_dialogs
    from fpdesk.gui.dialogs.consent_dialog import ConsentDialog, ConsentForm
    from fpdesk.gui.dialogs.first_admin import FirstAdminDialog
    from fpdesk.gui.dialogs.guide_dialog import FirstStepsDialog, GuideDialog
    from fpdesk.gui.dialogs.history_dialog import HistoryDialog
    from fpdesk.gui.dialogs.household_editor import HouseholdEditor, empty_household
    from fpdesk.gui.dialogs.login_dialog import LoginDialog
    from fpdesk.gui.dialogs.print_preview import PrintPreviewDialog
    from fpdesk.gui.dialogs.retention_dialog import RetentionDialog
    from fpdesk.gui.dialogs.roster_export_dialog import RosterExportDialog
    from fpdesk.gui.dialogs.roster_import_wizard import RosterImportWizard
    from fpdesk.gui.dialogs.setup_wizard import SetupWizard
    from fpdesk.gui.dialogs.users_dialog import AddUserDialog, UsersDialog
    from fpdesk.gui.dialogs.verify_dialog import VerifyDialog
    from fpdesk.gui.failures import ErrorDialog
    from fpdesk.gui.main_window import MainWindow
    from fpdesk.gui.settings import UserSettings
    from fpdesk.services.registry.divisions import village_suggester
    from fpdesk.services.registry.household_form import load_household_form
    from fpdesk.services.workspace import list_divisions

    def main_window():
        from PySide6.QtCore import QSettings

        window = MainWindow(workspace, UserSettings(QSettings(str(folder / "settings.ini"),
                                                              QSettings.Format.IniFormat)), today=TODAY)
        for index in range(window.navigation.count()):  # every screen built: the widest and tallest count
            window.page(index)
        return window

    def conflict():
        fields = {"address": {"base": "罗翠村3组17号", "ours": "罗翠村3组17号之一", "theirs": "罗翠村三组17号",
                              "provisional": "罗翠村三组17号"},
                  "categories": {"base": ["other_fp"], "ours": ["hardship", "two_daughters_sterilized"],
                                 "theirs": ["only_child"], "provisional": ["only_child"]}}
        side = {"office_name": "城关乡计生协", "author": "luoxm", "at": "2026-03-02T09:30:00"}
        return exchange_dialogs.ConflictDialog(workspace, {"entity": "household", "record_id": str(household_id),
                                                           "ours": side, "theirs": dict(side, office_name="罗翠村"),
                                                           "fields": fields})

    def file_dialog():
        dialog = QFileDialog(None, "导出名册", str(folder), "Excel 工作簿 (*.xlsx)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on a Linux desktop
        return dialog

    def print_dialog():
        printer = QPrinter()
        dialog = QPrintDialog(printer)
        dialog.printer_kept = printer  # the dialog does not own it; Python would free it under the dialog
        return dialog

    def discard_question():
        return QMessageBox(QMessageBox.Icon.Question, "放弃修改？", "本户有还没保存的内容。放弃这些修改吗？",
                           QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)

    member = types.SimpleNamespace(name="吴晓东", needs_guardian=True)
    trace = ("Traceback (most recent call last):\n"
             '  File "fpdesk/gui/screens/progress.py", line 288, in job\n'
             "    return progress(workspace, year=year, product=product, as_of=as_of)\n"
             "sqlite3.OperationalError: database disk image is malformed\n")
    divisions = list_divisions(workspace)
    return {
        "main_window": main_window,
        "household_editor_new": lambda: HouseholdEditor(workspace, empty_household(VILLAGE), divisions, today=TODAY),
        "household_editor": lambda: HouseholdEditor(workspace, load_household_form(workspace, household_id),
                                                    divisions, today=TODAY),
        "print_preview": lambda: PrintPreviewDialog(pdf),
        "roster_import": lambda: RosterImportWizard(workspace, today=TODAY),
        "roster_export": lambda: RosterExportDialog(workspace, today=TODAY),
        "verify": lambda: VerifyDialog(workspace),
        "setup_wizard": lambda: SetupWizard(workspace),
        "first_admin": lambda: FirstAdminDialog(workspace),
        "login": lambda: LoginDialog(workspace, location=str(folder / "village.sqlite3")),
        "users": lambda: UsersDialog(workspace),
        "add_user": lambda: AddUserDialog(workspace),
        "retention": lambda: RetentionDialog(workspace, today=TODAY),
        "history": lambda: HistoryDialog(workspace, household_id, "吴建华户"),
        "consent": lambda: ConsentDialog(workspace, household_id, "吴建华户", today=TODAY),
        "consent_form": lambda: ConsentForm(member, "吴建华", TODAY),
        "claim_register": lambda: claim_dialogs.RegisterClaimDialog(workspace, TODAY),
        "claim_report": lambda: claim_dialogs.ReportDialog(TODAY),
        "claim_payment": lambda: claim_dialogs.PaymentDialog(TODAY, 120000),
        "claim_decline": lambda: claim_dialogs.DeclineDialog(TODAY),
        "exchange_export": lambda: exchange_dialogs.ExportDialog(workspace, [("350421200", "城关乡计生协")],
                                                                 [folder]),
        "exchange_import": lambda: exchange_dialogs.ImportDialog(workspace),
        "exchange_add_child": lambda: exchange_dialogs.AddChildDialog(workspace, folder),
        "exchange_join": lambda: exchange_dialogs.JoinDialog(workspace),
        "exchange_conflict": conflict,
        "qt_file_dialog": file_dialog,
        "qt_print_dialog": print_dialog,
        "qt_message_box": discard_question,
        "guide": lambda: GuideDialog(),
        "first_steps": lambda: FirstStepsDialog(workspace),
        "divisions": lambda: divisions_dialog.DivisionsDialog(workspace),
        "add_division": lambda: divisions_dialog.AddDivisionDialog(workspace, "village", name="坪埠村"),
        "add_villages": lambda: divisions_dialog.AddVillagesDialog(
            workspace, {("城关乡", "坪埠村"): [5, 6, 7], ("城关乡", "罗翠村委会"): [12]}, village_suggester(workspace)),
        "hand_up": lambda: roster_money_dialogs.HandUpDialog(workspace, TODAY),
        "confirm_roster": lambda: roster_money_dialogs.ConfirmRosterDialog(workspace, TODAY),
        "allocation": lambda: roster_money_dialogs.AllocationDialog(workspace, TODAY),
        "error_dialog": lambda: ErrorDialog(trace, Path("C:/Users/王芳/AppData/Local/fpdesk/logs/fpdesk.log")),
    }


def measure(names: list[str] | None, languages: list[str]) -> list[dict]:
    from PySide6.QtWidgets import QApplication

    from fpdesk.gui.i18n import install_language
    from fpdesk.gui.settings import TEXT_SIZES
    from fpdesk.gui.setup import install_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    shots = os.environ.get("FPDESK_SCREENSHOTS")
    results = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        workspace, household_id, pdf = prepare(folder)
        makers = windows(workspace, household_id, pdf, folder)
        for language in languages:
            for size_name, points in TEXT_SIZES.items():
                install_font(app, points)
                install_language(app, language)
                for name, make in makers.items():
                    if names and name not in names:
                        continue
                    window = make()
                    window.show()
                    for _ in range(3):
                        app.processEvents()
                    hint = window.minimumSizeHint()
                    results.append({"window": name, "class": type(window).__name__, "language": language,
                                    "text_size": size_name,
                                    "width": window.width(), "height": window.height(),
                                    "min_width": max(hint.width(), window.minimumWidth()),
                                    "min_height": max(hint.height(), window.minimumHeight())})
                    if shots:
                        Path(shots).mkdir(parents=True, exist_ok=True)
                        window.grab().save(str(Path(shots) / f"{name}_{language}_{size_name}.png"))
                    if hasattr(window, "done"):
                        window.done(0)
                    window.close()
                    window.deleteLater()
                    app.processEvents()
        workspace.close()
    return results


if __name__ == "__main__":
    only = [a for a in sys.argv[1:] if a not in ("zh_CN", "en")]
    chosen = [a for a in sys.argv[1:] if a in ("zh_CN", "en")] or ["zh_CN", "en"]
    for line in measure(only or None, chosen):
        print(json.dumps(line, ensure_ascii=False), flush=True)
