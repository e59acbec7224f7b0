"""The whole visit by keys only, counted: a 4-person household registered, enrolled, paid, and its receipt
and certificate printed (here: saved as PDFs in the folder the office chose once), on the real widgets.

What counts as the data: each character of a name, an ID number or a phone number, and the Enter that
ends a field the clerk typed into. Every other key is counted: the Enter that passes an empty phone
field, the shortcuts, the answer to the health declaration. The mouse is not used.
"""

from __future__ import annotations

import datetime as dt

from gui_helpers import settle, type_chinese
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from fpdesk.gui.main_window import MainWindow
from fpdesk.gui.widgets.paper_output import FOLDER
from fpdesk.storage.schema import Person
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson, Payment

IN_WINDOW = dt.date(2026, 3, 2)  # S1's sign-up window runs 1 January to 30 April
FAMILY = [("吴建华", "350421198103050052", "13905981234"), ("郑秀梅", "350421198306120049", ""),
          ("吴晓东", "350421200809090013", ""), ("吴小妹", "350421201505050025", "")]


class Keyboard:
    """Keys sent to the widget that has the focus, counted as data or as keys beyond the data."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.beyond_data = 0
        self.ending_data = 0
        self.log: list[str] = []

    @staticmethod
    def focused():
        widget = QApplication.focusWidget()
        assert widget is not None, "no widget has the keyboard"
        return widget

    def type(self, text: str) -> None:
        if text.isascii():
            self.qtbot.keyClicks(self.focused(), text)
        else:
            type_chinese(self.focused(), text)

    def end_field(self) -> None:
        self.ending_data += 1
        self.qtbot.keyClick(self.focused(), Qt.Key.Key_Return)

    def press(self, key, modifier=Qt.KeyboardModifier.NoModifier, why: str = "") -> None:
        self.beyond_data += 1
        self.log.append(why)
        self.qtbot.keyClick(self.focused(), key, modifier)


def test_a_four_person_household_from_registration_to_both_papers_in_twelve_keys(
        qtbot, chinese_app, village_workspace, user_settings, tmp_path):
    papers = tmp_path / "出单"
    papers.mkdir()
    user_settings.papers_to = FOLDER  # chosen once, on an earlier visit: the choice is remembered
    user_settings.papers_folder = str(papers)
    window = MainWindow(village_workspace, user_settings, today=IN_WINDOW)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier, "Ctrl+N: a new household")
    editor = next(e for e in window.editors if e.isVisible())
    qtbot.waitUntil(editor.isActiveWindow)
    for name, number, phone in FAMILY:
        keys.type(name)
        keys.end_field()
        keys.type(number)
        keys.end_field()
        if phone:
            keys.type(phone)
            keys.end_field()
        else:
            keys.press(Qt.Key.Key_Return, why="Enter past an empty phone")
    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
               "Ctrl+Shift+S: 保存并参保")
    settle(qtbot)
    assert editor not in window.editors  # saved, closed and let go
    screen = window.enrollment
    qtbot.waitUntil(window.isActiveWindow)
    assert keys.focused() is screen.form.editors["health_declaration"]
    assert [screen.members.item(r, 2).text() for r in range(screen.members.rowCount())] == ["符合"] * 4
    keys.press(Qt.Key.Key_Space, why="Space: the health declaration")
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, "Ctrl+Enter: 登记、收费并出单")
    settle(qtbot)

    result = screen.last_result
    assert result is not None and len(result.insured) == 4, screen.summary.text()
    with village_workspace.read() as session:
        head_id = session.scalar(select(Person.id).where(Person.id_number == FAMILY[0][1]))
        assert head_id is not None
        enrollment = session.get(Enrollment, result.enrollment_id)
        assert session.scalar(select(func.count()).select_from(InsuredPerson)
                              .where(InsuredPerson.enrollment_id == enrollment.id)) == 4
        receipt = session.scalar(select(Payment.receipt_no).where(Payment.enrollment_id == enrollment.id))
        assert receipt and receipt == result.receipt_no and enrollment.status == "paid"
    saved = sorted(papers.iterdir())
    assert len(saved) == 2, saved
    texts = {path.name: "".join(page.extract_text() for page in PdfReader(path).pages) for path in saved}
    receipt_text = next(t for n, t in texts.items() if n.startswith("收据"))
    certificate_text = next(t for n, t in texts.items() if n.startswith("参保凭证"))
    assert receipt in receipt_text and "壹佰元整" in receipt_text and "吴建华" in receipt_text
    assert all(name in certificate_text for name, _n, _p in FAMILY)
    assert str(papers) in screen.result.text()

    clicks = 0
    print(f"\nwhole visit: {keys.beyond_data} keys beyond the data ({'; '.join(keys.log)}), {clicks} clicks;"
          f" {keys.ending_data} Enters ended typed fields; all keys but the characters:"
          f" {keys.beyond_data + keys.ending_data}")
    assert keys.beyond_data <= 12 and clicks <= 3

    # a lost certificate: printed again from the household's own page, under its first number
    household_editor = window.open_household(enrollment.household_id)
    qtbot.waitExposed(household_editor)
    assert household_editor.certificate_button.isVisibleTo(household_editor)
    assert household_editor.print_certificates()
    settle(qtbot)
    preview = household_editor.preview
    first_number = next(n for n in texts if n.startswith("参保凭证")).split()[1]
    again = "".join(page.extract_text() for page in PdfReader(preview.path).pages)
    assert first_number in again and "补打" in again and "吴小妹" in again
    preview.done(0)
    assert not preview.path.exists()  # the preview's printout leaves nothing behind
    household_editor.done(0)


def test_a_household_never_insured_offers_no_certificate(qtbot, chinese_app, village_workspace, user_settings):
    window = MainWindow(village_workspace, user_settings, today=IN_WINDOW)
    qtbot.addWidget(window)
    with village_workspace.read() as session:
        household_id = session.scalar(select(Person.household_id).limit(1))
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 0
    editor = window.open_household(household_id)
    assert not editor.certificate_button.isVisibleTo(editor)
    editor.done(0)


def test_by_default_the_papers_are_previewed_one_after_the_other(qtbot, chinese_app, village_workspace,
                                                                 user_settings):
    """Before the office chose a printer or a folder nothing leaves the program unasked: the receipt's
    preview, then the certificate's when it closes; neither file stays behind."""
    from fpdesk.gui.screens.enrollment import EnrollmentScreen

    screen = EnrollmentScreen(village_workspace, today=IN_WINDOW, settings=user_settings)
    qtbot.addWidget(screen)
    screen.show()
    with village_workspace.read() as session:
        households = session.scalars(select(Person.household_id).distinct()).all()
    for household_id in households:
        screen.choose_household(household_id)
        judged = screen.preview.judged if screen.preview else None
        if judged and judged.payer.value == "self" and screen.preview.can_enroll:
            break
    screen.form.editors["health_declaration"].setChecked(True)
    assert screen.enroll_now()
    settle(qtbot)
    receipt = screen.papers.previews[0]
    assert receipt.isVisible() and screen.last_result.receipt_no in receipt.windowTitle()
    receipt.done(0)
    certificate = screen.papers.previews[0]
    assert certificate is not receipt and certificate.isVisible() and "参保凭证" in certificate.windowTitle()
    paths = [receipt.path, certificate.path]
    certificate.done(0)
    assert not any(path.exists() for path in paths)
